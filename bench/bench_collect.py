"""Collection benchmark: read, validate and total Weifang's 7,040 villages × 30 columns.

Run: ``python bench/bench_collect.py`` (under a minute; needs pandas from the ``bench`` extra).

1. Creates the collection workbook for every village of Weifang (潍坊市, 3707) in the fake:
   one row per village and 30 columns (3 key columns, 27 data columns). Then it fills every row
   in the fake's grid directly, with about 2 % of the cells mistyped.
2. Times ``collect_table`` (GetRange reads, records, validation of every cell, totals by town
   and county) against a plain pandas path over the same data in the same run: the same
   GetRange calls, a DataFrame, ``to_numeric`` (fractions dropped, as in an integer column)
   and ``groupby("乡镇").sum()``. The time of each
   is the median of ``--repeat`` runs.
3. Counts the GetRange calls against the fewest the per-call cell limit allows, and checks that
   both paths give the same county totals.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from decimal import Decimal
from typing import Any

import pandas as pd

from censusdt import AsyncDingTalk
from censusdt.api.sheets import MAX_RANGE_CELLS
from censusdt.census._async.collection import (
    CollectionTable,
    _read_plan,
    collect_table,
    create_table,
    minimum_read_calls,
    read_table,
)
from censusdt.census.collect.records import Village, villages_from_divisions
from censusdt.census.collect.template import Column, TableTemplate
from censusdt.census.collect.values import ColumnType
from censusdt.census.divisions import DivisionTable
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.sheets import state_of

DATA_COLUMNS = 27
MISTAKE_SHARE = 0.02


def weifang_villages() -> list[Village]:
    table = DivisionTable.builtin("3707")
    villages: list[Village] = []
    for county in table.counties():
        villages.extend(villages_from_divisions(table, county.code))
    return villages


def wide_template() -> TableTemplate:
    """27 integer columns: 计划户数, 户数, 人数 and 24 counts, with three rules."""
    names = [
        "计划户数",
        "户数",
        "人数",
        *(f"指标{index:02d}" for index in range(1, DATA_COLUMNS - 2)),
    ]
    columns = [Column(name, ColumnType.INTEGER, required=True) for name in names]
    return TableTemplate.build(
        "潍坊市摸底汇总", columns, ["户数 ≤ 计划户数", "人数 ≥ 户数", "指标01 + 指标02 ≤ 人数"]
    )


def fill_everything(fake: FakeDingTalk, table: CollectionTable, seed: int) -> None:
    """Write every village's data cells straight into the fake's grid (the control plane)."""
    rng = random.Random(seed)
    sheet = state_of(fake.default_corp).workbook(table.workbook_id).sheet(table.sheets[0].name)
    first_column = len(table.template.key_columns)
    rows: list[list[object]] = []
    for _ in table.villages:
        planned = rng.randint(100, 900)
        listed = rng.randint(planned // 2, planned)
        persons = listed * 3
        row: list[object] = [planned, listed, persons]
        row += [rng.randint(0, persons // 30) for _ in range(DATA_COLUMNS - 3)]
        for index in range(len(row)):
            if rng.random() < MISTAKE_SHARE:
                row[index] = rng.choice(["约100", "12.5", ""])
        rows.append(row)

    top, bottom = 2, len(rows) + 1
    left = _letters(first_column)
    right = _letters(first_column + DATA_COLUMNS - 1)
    for start in range(0, len(rows), 1000):
        block = rows[start : start + 1000]
        address = f"{left}{top + start}:{right}{top + start + len(block) - 1}"
        sheet.update_range(address, values=block)
    assert top + len(rows) - 1 == bottom


def _letters(index: int) -> str:
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


async def pandas_path(client: AsyncDingTalk, table: CollectionTable) -> pd.DataFrame:
    """Read with the same GetRange calls, then total with a DataFrame grouped by town."""
    rows: list[list[Any]] = []
    for sheet_name, cell_range in _read_plan(table):
        read = await client.sheets.get_range(
            table.workbook_id, sheet_name, cell_range, operator_id=table.operator_id
        )
        rows.extend(read.values)
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    data_columns = [column.header() for column in table.template.columns]
    numbers = frame[data_columns].apply(pd.to_numeric, errors="coerce")
    # Integer columns: a value with a fraction is a mistake, as validation treats it.
    frame[data_columns] = numbers.where(numbers % 1 == 0)
    return frame.groupby("乡镇", sort=False)[data_columns].sum()


def median_seconds(function: Any, repeat: int) -> tuple[float, Any]:
    timings = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Runs per timing; the median counts.")
    parser.add_argument("--seed", type=int, default=2020)
    arguments = parser.parse_args()

    villages = weifang_villages()
    template = wide_template()
    fake = FakeDingTalk(seed=arguments.seed)
    owner = fake.default_corp.ext(ContactsState).create_user(
        name="人普办统计员", mobile="13700000000", dept_id_list=[1]
    )
    app = fake.default_app
    client = AsyncDingTalk(app.app_key, app.app_secret, transport=fake.transport())

    started = time.perf_counter()
    table = asyncio.run(create_table(client, template, villages, operator_id=owner.unionid))
    created = time.perf_counter() - started
    fill_everything(fake, table, arguments.seed)

    range_path = "/v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"
    calls_before = len(fake.calls(range_path))
    collect_seconds, result = median_seconds(
        lambda: asyncio.run(collect_table(client, table, county_name="潍坊市")), arguments.repeat
    )
    get_range_calls = (len(fake.calls(range_path)) - calls_before) // arguments.repeat
    read_seconds, read = median_seconds(
        lambda: asyncio.run(read_table(client, table)), arguments.repeat
    )
    result_sheet_calls = read.sheet_calls
    pandas_seconds, grouped = median_seconds(
        lambda: asyncio.run(pandas_path(client, table)), arguments.repeat
    )

    pandas_county = {
        column.name: Decimal(int(grouped[column.header()].sum())) for column in template.columns
    }
    agree = all(
        result.summary.county.totals[name] == total for name, total in pandas_county.items()
    )
    width = len(template.header)
    print(f"villages: {len(villages)}, columns: {width}, cells: {len(villages) * width:,}")
    print(f"create (one AppendRows per {MAX_RANGE_CELLS // width} rows): {created:.2f} s")
    print(
        f"collect + validate + total: {collect_seconds:.2f} s; pandas read + groupby: "
        f"{pandas_seconds:.2f} s; ratio {collect_seconds / pandas_seconds:.2f}"
    )
    print(
        f"of which GetRange reads and records: {read_seconds:.2f} s, so validation and totals "
        f"take {collect_seconds - read_seconds:.2f} s"
    )
    print(
        f"GetRange calls: {get_range_calls} (collect reported {result.calls}, plus "
        f"{result_sheet_calls} GetSheet); minimum under {MAX_RANGE_CELLS:,} cells per call: "
        f"{minimum_read_calls(table)}"
    )
    print(
        f"violations: {len(result.violations):,}; towns: {len(result.summary.groups)}; "
        f"county totals agree with pandas: {agree}"
    )


if __name__ == "__main__":
    main()
