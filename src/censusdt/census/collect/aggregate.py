"""Totals of a collected table by town and for the county, and who has not submitted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

import attrs

from censusdt.census.collect.records import Record, TableData, Village, to_records
from censusdt.census.collect.template import CODE_COLUMN, TOWN_COLUMN, TableTemplate
from censusdt.census.collect.validate import ParsedRecord, latest_records, parse_record
from censusdt.census.collect.values import ColumnType

__all__ = ["GroupTotals", "Summary", "UnfinishedVillage", "aggregate"]


@attrs.frozen
class GroupTotals:
    """Counts and column totals of one group of villages (a town, or the whole county).

    ``totals`` maps each column that has a total to it: the sum for integer and decimal
    columns, the column's total formula over those sums for ratios, and None where the
    formula divides by zero. Percent, text and date columns without a formula have no total.
    """

    name: str
    villages: int
    submitted: int
    not_submitted: int
    unfinished: int
    totals: Mapping[str, Decimal | None]


@attrs.frozen
class UnfinishedVillage:
    """A village that submitted some values but left required ones blank."""

    village: Village
    missing: tuple[str, ...]
    location: str


@attrs.frozen
class Summary:
    """The result of `aggregate`: groups in order, the county, and villages behind."""

    by: str
    columns: tuple[str, ...]
    groups: tuple[GroupTotals, ...]
    county: GroupTotals
    not_submitted: tuple[Village, ...]
    unfinished: tuple[UnfinishedVillage, ...]

    def group(self, name: str) -> GroupTotals:
        """Return the group called ``name``; raise KeyError naming the groups."""
        for group in self.groups:
            if group.name == name:
                return group
        known = "、".join(group.name for group in self.groups)
        raise KeyError(f"no group {name!r}; the groups are {known}")


def aggregate(
    template: TableTemplate,
    data: TableData,
    *,
    by: str = "town",
    villages: Iterable[Village] | None = None,
    county_name: str = "全县",
) -> Summary:
    """Total ``data`` per town (or per text column ``by``) and for the county.

    ``data`` is anything `to_records` reads, including smart-form instances. Only valid
    values count: a blank or unreadable cell adds nothing (`validate` reports it). When a
    village appears twice, only its last record counts. Ratios are recomputed from the
    group's sums with the column's total formula, never averaged.

    A village has not submitted when all its data cells are blank or, given ``villages``
    (the county's village list), when it has no record at all. It is unfinished when some
    data is filled but a required value is blank.
    """
    grouping = _grouping_column(template, by)
    expected = None if villages is None else list(villages)
    records, _ = latest_records(to_records(template, data, villages=expected or ()))
    parsed = [parse_record(template, record) for record in records]

    columns = tuple(
        column.name for column in template.columns if column.is_summed or column.total_formula
    )
    absent = _absent_villages(records, expected)

    members: dict[str, list[ParsedRecord]] = {}
    first_code: dict[str, str] = {}
    for item in parsed:
        key = _group_key(item.record, grouping)
        members.setdefault(key, []).append(item)
        if item.record.code_valid:
            first_code[key] = min(
                first_code.get(key, item.record.village.code), item.record.village.code
            )
    absent_by_group: dict[str, list[Village]] = {}
    if grouping == TOWN_COLUMN:
        for village in absent:
            absent_by_group.setdefault(village.town, []).append(village)
            members.setdefault(village.town, [])
            first_code[village.town] = min(first_code.get(village.town, village.code), village.code)

    order = list(members)
    if grouping == TOWN_COLUMN:
        order.sort(key=lambda key: first_code.get(key, "~"))

    groups = tuple(
        _totals(template, key, members[key], len(absent_by_group.get(key, ()))) for key in order
    )
    county = _totals(template, county_name, parsed, len(absent))

    not_submitted = sorted(
        [item.record.village for item in parsed if item.all_blank] + absent,
        key=lambda village: (village.code, village.town, village.name),
    )
    unfinished = tuple(
        UnfinishedVillage(item.record.village, item.missing, item.record.location(CODE_COLUMN))
        for item in parsed
        if not item.all_blank and item.missing
    )
    return Summary(by, columns, groups, county, tuple(not_submitted), unfinished)


def _grouping_column(template: TableTemplate, by: str) -> str:
    if by in ("town", TOWN_COLUMN):
        return TOWN_COLUMN

    text_columns = [column.name for column in template.columns if column.type is ColumnType.TEXT]
    if by not in text_columns:
        choices = "、".join(["town", *text_columns])
        raise ValueError(f"cannot group by {by!r}: expected one of {choices}")
    return by


def _group_key(record: Record, grouping: str) -> str:
    if grouping == TOWN_COLUMN:
        return record.village.town
    value = record.values.get(grouping)
    return "" if value is None else str(value).strip()


def _absent_villages(records: list[Record], expected: list[Village] | None) -> list[Village]:
    if expected is None:
        return []
    present = {record.village.code for record in records if record.code_valid}
    return [village for village in expected if village.code not in present]


def _totals(
    template: TableTemplate, name: str, members: list[ParsedRecord], absent: int
) -> GroupTotals:
    sums: dict[str, Decimal] = {}
    for column in template.columns:
        if not column.is_summed:
            continue
        total = Decimal(0)
        for item in members:
            value = item.values.get(column.name)
            if isinstance(value, Decimal):
                total += value
        sums[column.name] = total

    totals: dict[str, Decimal | None] = {}
    formulas = dict(template.total_formulas)
    for column in template.columns:
        if column.is_summed:
            totals[column.name] = sums[column.name]
        elif column.name in formulas:
            totals[column.name] = formulas[column.name].operands[1].evaluate(sums)

    blank = sum(1 for item in members if item.all_blank)
    unfinished = sum(1 for item in members if not item.all_blank and item.missing)
    return GroupTotals(
        name=name,
        villages=len(members) + absent,
        submitted=len(members) - blank,
        not_submitted=blank + absent,
        unfinished=unfinished,
        totals=totals,
    )
