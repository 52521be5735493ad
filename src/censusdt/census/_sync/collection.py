# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Collection tables on DingTalk: create the villages' sheet, read it back, read smart forms, remind.

The pure work (templates, records, validation, totals, the .xlsx export) lives in
``censusdt.census.collect``; this module does the DingTalk calls around it. Reads use the
fewest GetRange calls that DingTalk's per-call cell limit allows: whole rows, as many per call
as fit in ``MAX_RANGE_CELLS``.
"""

from __future__ import annotations

import math
import os
import pathlib
from collections.abc import Iterable, Mapping, Sequence

import attrs

from censusdt._sync.client import DingTalk
from censusdt._concurrency import sync_map
from censusdt.api.a1 import CellRange
from censusdt.api.forms import INSTANCES_PAGE_MAX, FormInstance
from censusdt.api.messaging import TextMessage
from censusdt.api.sheets import APPEND_ROWS_MAX, MAX_RANGE_CELLS, DocMember, plan_row_reads
from censusdt.census._sync.broadcast import Broadcast, send_notice
from censusdt.census.collect.aggregate import Summary, aggregate
from censusdt.census.collect.export import export_xlsx
from censusdt.census.collect.records import (
    Grid,
    Record,
    Village,
    blank_sheets,
    records_from_form_instances,
    records_from_sheets,
)
from censusdt.census.collect.template import TableTemplate
from censusdt.census.collect.validate import Violation, validate

__all__ = [
    "CollectionResult",
    "CollectionTable",
    "FormRead",
    "Reminder",
    "TableRead",
    "TableSheet",
    "analyse",
    "collect_form",
    "collect_table",
    "create_table",
    "export_result",
    "form_instance_dict",
    "minimum_read_calls",
    "read_form",
    "read_table",
    "remind",
    "reminder_text",
]

#: Concurrent GetRange calls while reading one table.
READ_CONCURRENCY = 4


@attrs.frozen
class TableSheet:
    """One sheet of a collection table: its name and how many rows it contains (header included)."""

    name: str
    row_count: int
    village_codes: tuple[str, ...] = attrs.field(repr=False)


@attrs.frozen
class CollectionTable:
    """A collection workbook created on DingTalk, and what is needed to read it back."""

    workspace_id: str
    workbook_id: str
    url: str | None
    operator_id: str
    template: TableTemplate
    villages: tuple[Village, ...] = attrs.field(repr=False)
    sheets: tuple[TableSheet, ...] = ()

    @property
    def width(self) -> int:
        return len(self.template.header)


@attrs.frozen
class TableRead:
    """A collection table read back: each sheet's grid, its records and the calls it took."""

    grids: Mapping[str, Grid]
    records: list[Record]
    calls: int
    #: The fewest GetRange calls that could cover the same cells under the per-call limit.
    minimum_calls: int
    #: GetSheet calls made to find each sheet's last row (one per sheet).
    sheet_calls: int = 0


@attrs.frozen
class FormRead:
    """A smart form read back: its instances as records, and the calls it took."""

    records: list[Record]
    instances: int
    calls: int


@attrs.frozen
class CollectionResult:
    """A collection read, checked and totalled: violations, town and county totals, calls."""

    records: list[Record]
    violations: list[Violation]
    summary: Summary
    calls: int
    minimum_calls: int

    @property
    def behind(self) -> list[Village]:
        """Villages that have not submitted or left required values blank, in code order."""
        villages = {village.code: village for village in self.summary.not_submitted}
        for item in self.summary.unfinished:
            villages.setdefault(item.village.code, item.village)
        return [villages[code] for code in sorted(villages)]


@attrs.frozen
class Reminder:
    """A reminder sent to the people of villages behind: who got it and the notice's task id."""

    village_codes: tuple[str, ...]
    userids: tuple[str, ...]
    #: The first work-notification task; a notice to more than 100 people has several.
    task_id: int | None
    broadcast: Broadcast | None = attrs.field(default=None, repr=False, eq=False)


def create_table(
    client: DingTalk,
    template: TableTemplate,
    villages: Iterable[Village],
    *,
    operator_id: str,
    workspace_id: str | None = None,
    editors: Iterable[str] = (),
) -> CollectionTable:
    """Create the workbook of ``template`` with one pre-filled row per village.

    ``operator_id`` is the unionId of the office member who owns the workbook. Without a
    ``workspace_id`` a workspace named after the template is created. ``editors`` are the
    unionIds of the people who fill the table; they become editors of the workbook.
    """
    village_list = tuple(sorted(villages, key=lambda village: village.code))
    if not village_list:
        raise ValueError("a collection table needs at least one village")
    grids = blank_sheets(template, village_list)
    sheets = client.sheets

    if workspace_id is None:
        workspace = sheets.create_workspace(template.name, operator_id=operator_id)
        workspace_id = workspace.workspace_id
    document = sheets.create_workbook(workspace_id, template.name, operator_id=operator_id)
    workbook_id = document.node_id
    default_sheets = sheets.list_sheets(workbook_id, operator_id=operator_id)

    table_sheets = []
    width = len(template.header)
    rows_per_call = max(1, min(APPEND_ROWS_MAX, MAX_RANGE_CELLS // width))
    for name, grid in grids.items():
        created = sheets.create_sheet(workbook_id, name, operator_id=operator_id)
        for start in range(0, len(grid), rows_per_call):
            sheets.append_rows(
                workbook_id,
                created.name,
                grid[start : start + rows_per_call],
                operator_id=operator_id,
            )
        codes = tuple(str(row[0]) for row in grid[1:])
        table_sheets.append(TableSheet(created.name, len(grid), codes))

    # A new workbook starts with an empty "Sheet1", which the table does not use.
    for default in default_sheets:
        sheets.delete_sheet(workbook_id, default.id, operator_id=operator_id)

    unique_editors = list(dict.fromkeys(editor for editor in editors if editor != operator_id))
    if unique_editors:
        sheets.add_members(
            workspace_id,
            workbook_id,
            [DocMember(union_id, "USER", "EDITOR") for union_id in unique_editors],
            operator_id=operator_id,
        )

    return CollectionTable(
        workspace_id=workspace_id,
        workbook_id=workbook_id,
        url=document.url,
        operator_id=operator_id,
        template=template,
        villages=village_list,
        sheets=tuple(table_sheets),
    )


def _read_plan(
    table: CollectionTable, row_counts: Mapping[str, int] | None = None
) -> list[tuple[str, CellRange]]:
    """Return the whole-row ranges to read, sheet by sheet, ``row_counts`` rows per sheet."""
    plan = []
    for sheet in table.sheets:
        rows = sheet.row_count if row_counts is None else row_counts[sheet.name]
        for cell_range in plan_row_reads(0, rows - 1, table.width):
            plan.append((sheet.name, cell_range))
    return plan


def minimum_read_calls(table: CollectionTable, row_counts: Mapping[str, int] | None = None) -> int:
    """Return the fewest GetRange calls that cover every sheet under the per-call cell limit."""
    total = 0
    for sheet in table.sheets:
        rows = sheet.row_count if row_counts is None else row_counts[sheet.name]
        total += math.ceil(rows * table.width / MAX_RANGE_CELLS)
    return total


def read_table(client: DingTalk, table: CollectionTable) -> TableRead:
    """Read every sheet of the table with whole-row GetRange calls and turn rows into records.

    One GetSheet per sheet finds its last non-empty row first, so rows that people added
    below the villages (or inserted between them) are read too.
    """

    workbook_id, operator = table.workbook_id, table.operator_id

    def last_row(sheet: TableSheet) -> int:
        info = client.sheets.get_sheet(workbook_id, sheet.name, operator_id=operator)
        return max(sheet.row_count, info.last_non_empty_row + 1)

    counts = sync_map(last_row, table.sheets, concurrency=READ_CONCURRENCY)
    row_counts = {sheet.name: count for sheet, count in zip(table.sheets, counts, strict=True)}
    plan = _read_plan(table, row_counts)

    def read_one(item: tuple[str, CellRange]) -> list[list[object]]:
        sheet_name, cell_range = item
        read = client.sheets.get_range(
            table.workbook_id, sheet_name, cell_range, operator_id=table.operator_id
        )
        return read.values

    blocks = sync_map(read_one, plan, concurrency=READ_CONCURRENCY)

    grids: dict[str, list[list[object]]] = {sheet.name: [] for sheet in table.sheets}
    for (sheet_name, _), block in zip(plan, blocks, strict=True):
        grids[sheet_name].extend(block)
    records = records_from_sheets(table.template, grids, villages=table.villages)
    return TableRead(
        grids=grids,
        records=records,
        calls=len(plan),
        minimum_calls=minimum_read_calls(table, row_counts),
        sheet_calls=len(table.sheets),
    )


def form_instance_dict(instance: FormInstance) -> dict[str, object]:
    """Return an instance in swform's wire shape, which the records reader takes."""
    return {
        "formInstanceId": instance.form_instance_id,
        "modifyTime": instance.modify_time,
        "forms": [
            {"key": field.key, "label": field.label, "value": field.value}
            for field in instance.forms
        ],
    }


def read_form(
    client: DingTalk,
    form_code: str,
    template: TableTemplate,
    villages: Iterable[Village],
    *,
    action_date: str | None = None,
) -> FormRead:
    """Read every instance of a smart form (100 per call) and turn them into records.

    A village that submitted twice has two records; validation reports the older one as a
    duplicate and totals count only the latest.
    """
    calls_before = client.stats.total_calls
    instances = client.forms.list_instances(form_code, action_date=action_date).collect()
    calls = client.stats.total_calls - calls_before

    records = records_from_form_instances(
        template, [form_instance_dict(item) for item in instances], villages=villages
    )
    return FormRead(records=records, instances=len(instances), calls=calls)


def analyse(
    template: TableTemplate,
    records: list[Record],
    villages: Iterable[Village],
    *,
    calls: int = 0,
    minimum_calls: int = 0,
    county_name: str = "全县",
) -> CollectionResult:
    """Validate every cell of ``records`` and total them by town and for the county."""
    expected = list(villages)
    violations = validate(template, records, villages=expected)
    summary = aggregate(template, records, villages=expected, county_name=county_name)
    return CollectionResult(records, violations, summary, calls, minimum_calls)


def collect_table(
    client: DingTalk, table: CollectionTable, *, county_name: str = "全县"
) -> CollectionResult:
    """Read the table back, validate every cell and total it by town and county."""
    read = read_table(client, table)
    return analyse(
        table.template,
        read.records,
        table.villages,
        calls=read.calls,
        minimum_calls=read.minimum_calls,
        county_name=county_name,
    )


def collect_form(
    client: DingTalk,
    form_code: str,
    template: TableTemplate,
    villages: Iterable[Village],
    *,
    action_date: str | None = None,
    county_name: str = "全县",
) -> CollectionResult:
    """Read a smart form's instances, validate them and total them by town and county."""
    expected = list(villages)
    read = read_form(client, form_code, template, expected, action_date=action_date)
    minimum = max(1, math.ceil(read.instances / INSTANCES_PAGE_MAX))
    return analyse(
        template,
        read.records,
        expected,
        calls=read.calls,
        minimum_calls=minimum,
        county_name=county_name,
    )


def export_result(
    path: str | os.PathLike[str],
    template: TableTemplate,
    result: CollectionResult,
    villages: Iterable[Village],
    *,
    lang: str = "zh",
) -> pathlib.Path:
    """Write the .xlsx with the raw data, the violations and the summary sheets."""
    return export_xlsx(path, template, result.records, villages=list(villages), lang=lang)


def reminder_text(table_name: str, villages: Sequence[Village], *, lang: str = "zh") -> str:
    """Return the notice text asking the people of ``villages`` to fill in or finish their rows."""
    names = "、".join(f"{village.town}{village.name}" for village in villages[:10])
    more = len(villages) - 10
    if lang == "en":
        suffix = f" and {more} more" if more > 0 else ""
        return (
            f"Reminder: please fill in and finish the rows of {names}{suffix} "
            f"in the table “{table_name}” today."
        )
    suffix = f"等 {len(villages)} 个村" if more > 0 else ""
    return f"提醒：请今天内在“{table_name}”中填写并完成{names}{suffix}的数据。"


def remind(
    client: DingTalk,
    table_name: str,
    villages: Sequence[Village],
    people: Mapping[str, Sequence[str]],
    *,
    agent_id: int,
    lang: str = "zh",
) -> Reminder:
    """Send one work notification to the people (userids) responsible for ``villages``.

    ``people`` maps a village code to the userids of its enumerators or supervisors. Villages
    without anyone are left out of the notice and of the returned codes. The notice goes out
    through the broadcast workflow, so ``Reminder.broadcast.status()`` tells who read it and
    ``Reminder.broadcast.remind()`` reaches the unread again (by DING if asked).
    """
    reached = [village for village in villages if people.get(village.code)]
    userids = tuple(dict.fromkeys(userid for village in reached for userid in people[village.code]))
    if not userids:
        return Reminder((), (), None)

    message = TextMessage(reminder_text(table_name, reached, lang=lang))
    broadcast = send_notice(client, list(userids), message, agent_id=agent_id, lang=lang)
    task_ids = broadcast.task_ids
    return Reminder(
        tuple(village.code for village in reached),
        userids,
        task_ids[0] if task_ids else None,
        broadcast,
    )
