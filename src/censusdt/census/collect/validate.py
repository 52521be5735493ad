"""Validation of collected tables: every problem with its village, cell, value and reason."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from censusdt.census.collect.records import Record, TableData, Village, to_records
from censusdt.census.collect.rules import Comparison
from censusdt.census.collect.template import CODE_COLUMN, TableTemplate
from censusdt.census.collect.values import ValueProblem, is_blank, parse_value

__all__ = [
    "ParsedRecord",
    "Violation",
    "ViolationKind",
    "latest_records",
    "parse_record",
    "validate",
]

Value = Decimal | str | dt.date


class ViolationKind(enum.Enum):
    """The kind of problem found in a value or a row."""

    MISSING = "missing"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    INVALID_PERCENT = "invalid_percent"
    INVALID_DATE = "invalid_date"
    RULE = "rule"
    INVALID_CODE = "invalid_code"
    UNKNOWN_VILLAGE = "unknown_village"
    DUPLICATE = "duplicate"
    NOT_SUBMITTED = "not_submitted"

    def label(self, lang: str = "zh") -> str:
        """Return a short name of the kind for reports."""
        zh, en = _LABELS[self]
        return en if lang == "en" else zh


_LABELS = {
    ViolationKind.MISSING: ("必填未填", "Missing"),
    ViolationKind.NOT_A_NUMBER: ("不是数字", "Not a number"),
    ViolationKind.NOT_AN_INTEGER: ("不是整数", "Not an integer"),
    ViolationKind.INVALID_PERCENT: ("百分比无效", "Invalid percentage"),
    ViolationKind.INVALID_DATE: ("日期无效", "Invalid date"),
    ViolationKind.RULE: ("不满足规则", "Rule broken"),
    ViolationKind.INVALID_CODE: ("区划代码无效", "Invalid division code"),
    ViolationKind.UNKNOWN_VILLAGE: ("不在村级名单", "Unknown village"),
    ViolationKind.DUPLICATE: ("重复填报", "Duplicate"),
    ViolationKind.NOT_SUBMITTED: ("未填报", "Not submitted"),
}


@attrs.frozen
class Violation:
    """One problem: where it is (village, column, cell), the value, and the broken rule or type.

    ``cell`` is the A1 address (``E17``) for sheet data and None for smart-form instances,
    which ``instance_id`` names instead. ``comparison`` is the failing part of a rule.
    ``other`` is, for a duplicate, the location of the record that counts.
    """

    kind: ViolationKind
    village: Village
    column: str | None
    cell: str | None
    value: object = None
    sheet: str | None = None
    instance_id: str | None = None
    rule: str | None = None
    comparison: Comparison | None = None
    other: str | None = None

    @property
    def location(self) -> str:
        """Where to look: ``乡镇!E17``, ``E17`` or ``instance <id>``."""
        if self.cell is not None:
            return f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        if self.instance_id is not None:
            return f"instance {self.instance_id}"
        return "?"

    def message(self, lang: str = "zh") -> str:
        """Describe the problem in Chinese (default) or English (``lang="en"``)."""
        if lang == "en":
            where = self.location
            village = f"{self.village.town} {self.village.name}".strip()
            subject = f" {self.column}" if self.column else ""
            return f"{where} ({village}){subject}: {self._problem_en()}"

        where = self.location.replace("instance ", "填表实例 ")
        subject = f"「{self.column}」" if self.column else ""
        return f"{where}（{self.village.town}{self.village.name}）{subject}{self._problem_zh()}"

    def _problem_zh(self) -> str:
        value = _show(self.value)
        kind = self.kind
        if kind is ViolationKind.MISSING:
            return "为必填项，未填写"
        if kind is ViolationKind.NOT_A_NUMBER:
            return f"应填数字，实际填写“{value}”"
        if kind is ViolationKind.NOT_AN_INTEGER:
            return f"应填整数，实际填写“{value}”"
        if kind is ViolationKind.INVALID_PERCENT:
            return f"应填百分比（如 85% 或 0.85），实际填写“{value}”"
        if kind is ViolationKind.INVALID_DATE:
            return f"应填日期（如 2020年11月1日 或 2020-11-01），实际填写“{value}”"
        if kind is ViolationKind.RULE:
            return f"不满足规则“{self.rule}”：{self._sides('，')}"
        if kind is ViolationKind.INVALID_CODE:
            return f"“{value}”不是 12 位区划代码"
        if kind is ViolationKind.UNKNOWN_VILLAGE:
            return f"区划代码 {self.village.code} 不在本县村级名单中"
        if kind is ViolationKind.DUPLICATE:
            return f"区划代码 {self.village.code} 重复填报，汇总以 {self.other} 为准"
        return "尚未填报"

    def _problem_en(self) -> str:
        value = _show(self.value)
        kind = self.kind
        if kind is ViolationKind.MISSING:
            return "is required but empty"
        if kind is ViolationKind.NOT_A_NUMBER:
            return f"must be a number, got '{value}'"
        if kind is ViolationKind.NOT_AN_INTEGER:
            return f"must be a whole number, got '{value}'"
        if kind is ViolationKind.INVALID_PERCENT:
            return f"must be a percentage such as 85% or 0.85, got '{value}'"
        if kind is ViolationKind.INVALID_DATE:
            return f"must be a date such as 2020-11-01, got '{value}'"
        if kind is ViolationKind.RULE:
            return f"breaks rule '{self.rule}': {self._sides(', ')}"
        if kind is ViolationKind.INVALID_CODE:
            return f"'{value}' is not a 12-digit division code"
        if kind is ViolationKind.UNKNOWN_VILLAGE:
            return f"division code {self.village.code} is not a village of this county"
        if kind is ViolationKind.DUPLICATE:
            return f"division code {self.village.code} was submitted again; totals use {self.other}"
        return "has not been submitted"

    def _sides(self, separator: str) -> str:
        """Return the computed sides of the failed comparison; a side without columns is skipped."""
        if self.comparison is None:
            return ""
        sides = [
            (self.comparison.left, self.comparison.left_value),
            (self.comparison.right, self.comparison.right_value),
        ]
        return separator.join(
            f"{expression.text} = {_show(value)}"
            for expression, value in sides
            if expression.columns
        )


def _show(value: object) -> str:
    """Return a value as a message shows it; long computed decimals are cut to 6 places."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -6:
            value = value.quantize(Decimal("0.000001")).normalize()
        return format(value, "f")
    return str(value)


@attrs.frozen
class ParsedRecord:
    """A record's data values read for their column types.

    ``values`` has every column whose value is valid, and ``problems`` every column whose
    value is not. ``missing`` lists the required columns left blank. ``all_blank`` is True
    when no data cell is filled, so the village has not submitted.
    """

    record: Record
    values: dict[str, Value]
    problems: dict[str, ValueProblem]
    missing: tuple[str, ...]
    all_blank: bool


def parse_record(template: TableTemplate, record: Record) -> ParsedRecord:
    """Read every data value of ``record`` for its column type."""
    values: dict[str, Value] = {}
    problems: dict[str, ValueProblem] = {}
    missing: list[str] = []
    filled = 0

    for column in template.columns:
        raw = record.values.get(column.name)
        if is_blank(raw):
            if column.required:
                missing.append(column.name)
            continue
        filled += 1
        try:
            values[column.name] = parse_value(column.type, raw, unit=column.unit)
        except ValueProblem as problem:
            problems[column.name] = problem

    return ParsedRecord(record, values, problems, tuple(missing), all_blank=filled == 0)


def latest_records(records: Sequence[Record]) -> tuple[list[Record], dict[int, Record]]:
    """Split records into the ones that count and the duplicates they replace.

    Records of the same valid 区划代码 are duplicates; the last one counts, ordered by form
    modification time and then by position. Returns the counted records in input order
    and a map from the index of each replaced record to the record that replaced it.
    """
    order = sorted(range(len(records)), key=lambda index: (records[index].modified or "", index))
    winners: dict[str, int] = {}
    for index in order:
        record = records[index]
        if record.code_valid and record.village.code:
            winners[record.village.code] = index

    counted: list[Record] = []
    replaced: dict[int, Record] = {}
    for index, record in enumerate(records):
        winner = winners.get(record.village.code) if record.code_valid else None
        if winner is None or winner == index:
            counted.append(record)
        else:
            replaced[index] = records[winner]
    return counted, replaced


def validate(
    template: TableTemplate, data: TableData, *, villages: Iterable[Village] | None = None
) -> list[Violation]:
    """Return every violation in ``data``, row by row, in column and rule order.

    ``data`` is anything `to_records` reads: records, a grid read with GetRange (header
    first), a mapping of sheet name to grid, or smart-form instances. With ``villages``
    (the county's village list), codes outside it are reported as unknown.

    A row with no data cell filled gives one ``NOT_SUBMITTED`` violation instead of one
    ``MISSING`` per required column. A rule is checked only when all its columns hold valid
    numbers, because blank and invalid values are reported on their own.
    """
    known = None if villages is None else list(villages)
    records = to_records(template, data, villages=known or ())
    known_codes = None if known is None else {village.code for village in known}
    _, replaced = latest_records(records)

    violations: list[Violation] = []
    for index, record in enumerate(records):
        violations.extend(_key_violations(record, known_codes, replaced.get(index)))
        violations.extend(_record_violations(template, parse_record(template, record)))
    return violations


def _violation(
    kind: ViolationKind,
    record: Record,
    column: str | None,
    value: object,
    *,
    rule: str | None = None,
    comparison: Comparison | None = None,
    other: str | None = None,
) -> Violation:
    return Violation(
        kind,
        record.village,
        column,
        record.cell(column) if column is not None else None,
        value,
        sheet=record.sheet,
        instance_id=record.instance_id,
        rule=rule,
        comparison=comparison,
        other=other,
    )


def _key_violations(
    record: Record, known_codes: set[str] | None, replaced_by: Record | None
) -> list[Violation]:
    code = record.village.code
    if not record.code_valid:
        if not code:
            return [_violation(ViolationKind.MISSING, record, CODE_COLUMN, None)]
        return [_violation(ViolationKind.INVALID_CODE, record, CODE_COLUMN, code)]

    found: list[Violation] = []
    if known_codes is not None and code not in known_codes:
        found.append(_violation(ViolationKind.UNKNOWN_VILLAGE, record, CODE_COLUMN, code))
    if replaced_by is not None:
        found.append(
            _violation(
                ViolationKind.DUPLICATE,
                record,
                CODE_COLUMN,
                code,
                other=replaced_by.location(CODE_COLUMN),
            )
        )
    return found


def _record_violations(template: TableTemplate, parsed: ParsedRecord) -> list[Violation]:
    record = parsed.record
    if parsed.all_blank:
        first = template.columns[0].name
        return [_violation(ViolationKind.NOT_SUBMITTED, record, first, None)]

    found: list[Violation] = []
    for column in template.columns:
        if column.name in parsed.missing:
            found.append(_violation(ViolationKind.MISSING, record, column.name, None))
        problem = parsed.problems.get(column.name)
        if problem is not None:
            kind = ViolationKind(problem.kind)
            found.append(_violation(kind, record, column.name, problem.value))

    numbers = {name: value for name, value in parsed.values.items() if isinstance(value, Decimal)}
    for rule in template.rules:
        check = rule.check(numbers)
        if check is None or check.passed:
            continue
        subject = rule.columns[0] if rule.columns else template.columns[0].name
        found.append(
            _violation(
                ViolationKind.RULE,
                record,
                subject,
                record.values.get(subject),
                rule=rule.text,
                comparison=check.failure,
            )
        )
    return found
