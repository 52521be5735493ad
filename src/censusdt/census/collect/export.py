"""Export of a collected table to .xlsx: raw data, violations and summary sheets."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from censusdt.census.collect.aggregate import Summary, aggregate
from censusdt.census.collect.records import Record, TableData, Village, to_records
from censusdt.census.collect.template import (
    CODE_COLUMN,
    TOWN_COLUMN,
    VILLAGE_COLUMN,
    TableTemplate,
)
from censusdt.census.collect.validate import Violation, validate
from censusdt.census.collect.values import ColumnType

__all__ = ["SHEET_NAMES", "export_xlsx"]

# Sheet names by language: raw data, violations, summary.
SHEET_NAMES = {
    "zh": ("原始数据", "校验问题", "汇总"),
    "en": ("Raw data", "Violations", "Summary"),
}

_TEXT = {
    "zh": {
        "location": "位置",
        "column": "列",
        "value": "值",
        "kind": "问题",
        "message": "说明",
        "town": "乡镇",
        "villages": "村数",
        "submitted": "已提交",
        "not_submitted": "未提交",
        "unfinished": "未完成",
        "not_submitted_list": "未提交的村",
        "unfinished_list": "未完成的村（必填项未填）",
        "missing": "未填的必填项",
        "code": "区划代码",
        "village": "村",
        "none": "无",
    },
    "en": {
        "location": "Location",
        "column": "Column",
        "value": "Value",
        "kind": "Problem",
        "message": "Description",
        "town": "Town",
        "villages": "Villages",
        "submitted": "Submitted",
        "not_submitted": "Not submitted",
        "unfinished": "Unfinished",
        "not_submitted_list": "Villages that have not submitted",
        "unfinished_list": "Villages with required values missing",
        "missing": "Missing required columns",
        "code": "Division code",
        "village": "Village",
        "none": "None",
    },
}

_NUMBER_FORMATS = {
    ColumnType.INTEGER: "#,##0",
    ColumnType.DECIMAL: "#,##0.00",
    ColumnType.PERCENT: "0.00%",
}
_PROBLEM_FILL = "FFF4CCCC"


def export_xlsx(
    path: str | os.PathLike[str],
    template: TableTemplate,
    data: TableData,
    *,
    villages: Iterable[Village] | None = None,
    by: str = "town",
    lang: str = "zh",
    sheet_names: Sequence[str] | None = None,
) -> pathlib.Path:
    """Write raw data, violations and summary sheets to ``path`` and return the path.

    Sheet names are Chinese (原始数据, 校验问题, 汇总) unless ``lang="en"`` or
    ``sheet_names`` sets others. Cells with a problem are shaded in the raw-data sheet
    and carry the description as a comment. ``villages`` and ``by`` are passed on to
    `validate` and `aggregate`.
    """
    import openpyxl

    if lang not in SHEET_NAMES:
        raise ValueError(f"invalid lang {lang!r}: expected zh or en")
    names = tuple(sheet_names) if sheet_names is not None else SHEET_NAMES[lang]
    if len(names) != 3 or len(set(names)) != 3:
        raise ValueError(f"sheet_names must be three different names, got {names!r}")

    expected = None if villages is None else list(villages)
    records = to_records(template, data, villages=expected or ())
    violations = validate(template, records, villages=expected)
    summary = aggregate(
        template,
        records,
        by=by,
        villages=expected,
        county_name="全县合计" if lang == "zh" else "County total",
    )

    workbook = openpyxl.Workbook()
    raw_sheet = workbook.active
    raw_sheet.title = names[0]
    _write_raw(raw_sheet, template, records, violations, lang)
    _write_violations(workbook.create_sheet(names[1]), violations, lang)
    _write_summary(workbook.create_sheet(names[2]), template, summary, lang)

    target = pathlib.Path(path)
    workbook.save(target)
    return target


def _cell_value(value: object) -> object:
    """Return a value openpyxl can store as it is; anything else becomes text."""
    if value is None or isinstance(value, (str, int, float, Decimal, dt.date, dt.datetime)):
        return value
    return str(value)


def _write_raw(
    sheet: Any,
    template: TableTemplate,
    records: list[Record],
    violations: list[Violation],
    lang: str,
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    text = _TEXT[lang]
    header = [*template.header, text["location"]]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    positions = {name: index for index, name in enumerate(template.key_columns)}
    offset = len(template.key_columns)
    positions.update({column.name: offset + i for i, column in enumerate(template.columns)})

    # A violation is found again by its location: sheet and cell, or form instance and column.
    where: dict[tuple[object, ...], tuple[int, int]] = {}
    for row_index, record in enumerate(records):
        keys = {
            CODE_COLUMN: record.village.code,
            TOWN_COLUMN: record.village.town,
            VILLAGE_COLUMN: record.village.name,
        }
        row: list[object] = [keys.get(name, "") for name in template.key_columns]
        row += [_cell_value(record.values.get(column.name)) for column in template.columns]
        row.append(_source_text(record, lang))
        sheet.append(row)
        for name, column_index in positions.items():
            where[(record.sheet, record.cell(name), record.instance_id, name)] = (
                row_index + 2,
                column_index + 1,
            )

    fill = PatternFill(fill_type="solid", start_color=_PROBLEM_FILL, end_color=_PROBLEM_FILL)
    notes: dict[tuple[int, int], list[str]] = {}
    for violation in violations:
        if violation.column is None:
            continue
        found = where.get(
            (violation.sheet, violation.cell, violation.instance_id, violation.column)
        )
        if found is not None:
            notes.setdefault(found, []).append(violation.message(lang))
    for (row_number, column_number), messages in notes.items():
        cell = sheet.cell(row=row_number, column=column_number)
        cell.fill = fill
        cell.comment = Comment("\n".join(messages), "censusdt")

    _finish(sheet, len(header))


def _source_text(record: Record, lang: str) -> str:
    """Return where a record came from: ``圣城街道 第 5 行`` or ``填表实例 …``."""
    if record.instance_id is not None:
        prefix = "填表实例" if lang == "zh" else "form instance"
        return f"{prefix} {record.instance_id}"

    row = (
        ""
        if record.row is None
        else (f"第 {record.row} 行" if lang == "zh" else f"row {record.row}")
    )
    return f"{record.sheet} {row}".strip() if record.sheet else row


def _violation_location(violation: Violation, lang: str) -> str:
    if violation.cell is None and violation.instance_id is not None:
        prefix = "填表实例" if lang == "zh" else "form instance"
        return f"{prefix} {violation.instance_id}"
    return violation.location


def _write_violations(sheet: Any, violations: list[Violation], lang: str) -> None:
    from openpyxl.styles import Font

    text = _TEXT[lang]
    header = [
        text["code"],
        text["town"],
        text["village"],
        text["location"],
        text["column"],
        text["value"],
        text["kind"],
        text["message"],
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    for violation in violations:
        sheet.append(
            [
                violation.village.code,
                violation.village.town,
                violation.village.name,
                _violation_location(violation, lang),
                violation.column or "",
                _cell_value(violation.value),
                violation.kind.label(lang),
                violation.message(lang),
            ]
        )
    _finish(sheet, len(header))


def _write_summary(sheet: Any, template: TableTemplate, summary: Summary, lang: str) -> None:
    from openpyxl.styles import Font

    text = _TEXT[lang]
    total_columns = [template.column(name) for name in summary.columns]
    group_label = text["town"] if summary.by in ("town", TOWN_COLUMN) else summary.by
    header = [
        group_label,
        text["villages"],
        text["submitted"],
        text["not_submitted"],
        text["unfinished"],
        *(column.header() for column in total_columns),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)

    for group in (*summary.groups, summary.county):
        row = [group.name, group.villages, group.submitted, group.not_submitted, group.unfinished]
        row += [group.totals.get(column.name) for column in total_columns]
        sheet.append(row)
        row_number = sheet.max_row
        for offset, column in enumerate(total_columns):
            cell = sheet.cell(row=row_number, column=6 + offset)
            cell.number_format = _NUMBER_FORMATS.get(column.type, "General")
        if group is summary.county:
            for cell in sheet[row_number]:
                cell.font = Font(bold=True)

    sheet.append([])
    sheet.append([text["not_submitted_list"]])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([text["code"], text["town"], text["village"]])
    for village in summary.not_submitted:
        sheet.append([village.code, village.town, village.name])
    if not summary.not_submitted:
        sheet.append([text["none"]])

    sheet.append([])
    sheet.append([text["unfinished_list"]])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([text["code"], text["town"], text["village"], text["missing"]])
    for item in summary.unfinished:
        village = item.village
        sheet.append([village.code, village.town, village.name, "、".join(item.missing)])
    if not summary.unfinished:
        sheet.append([text["none"]])

    _finish(sheet, len(header))


def _finish(sheet: Any, width: int) -> None:
    """Freeze the header row and widen the columns to their longest text (CJK counts double)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    for index in range(1, width + 1):
        letter = get_column_letter(index)
        longest = 4
        for cell in sheet[letter]:
            value = "" if cell.value is None else str(cell.value)
            length = sum(2 if ord(character) > 0x2E80 else 1 for character in value)
            longest = max(longest, min(length, 60))
        sheet.column_dimensions[letter].width = longest + 2
