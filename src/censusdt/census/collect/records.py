"""Village records read from sheet grids, workbooks and smart-form instances, and blank sheets.

A `Record` is one village's submission: the raw values of the data columns and, for sheets,
the A1 address of every cell, so validation can point at ``E17``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

import attrs

from censusdt.api.a1 import cell_address
from censusdt.census.collect.specs import is_spec_row
from censusdt.census.collect.template import (
    CODE_COLUMN,
    TOWN_COLUMN,
    VILLAGE_COLUMN,
    Layout,
    TableTemplate,
    normalize_header,
)
from censusdt.census.collect.values import is_blank, strip_invisible
from censusdt.census.divisions import DivisionLevel, DivisionTable
from censusdt.census.rostercells import CellError, normalize_code

__all__ = [
    "Grid",
    "Record",
    "SheetLayoutError",
    "TableData",
    "Village",
    "blank_sheets",
    "records_from_form_instances",
    "records_from_grid",
    "records_from_sheets",
    "records_from_xlsx",
    "to_records",
    "villages_from_divisions",
]

Grid: TypeAlias = Sequence[Sequence[object]]
TableData: TypeAlias = (
    "Sequence[Record] | Grid | Mapping[str, Grid] | Sequence[Mapping[str, object]]"
)

# Rows that offices add for subtotals; they are not villages and would count twice.
_SUBTOTAL_WORDS = ("合计", "小计", "总计", "汇总")


@attrs.frozen(order=True)
class Village:
    """A village (村级 division): its 12-digit code, its town and its name."""

    code: str
    town: str
    name: str


@attrs.frozen
class Record:
    """One village's submitted row or form instance.

    ``values`` maps each data column found to the raw value as submitted (None for a form
    field that is absent). ``cells`` maps key and data columns to A1 addresses for a sheet
    row and is empty for a form instance. ``code_valid`` is False when the 区划代码 cell does
    not contain a 12-digit code, and ``village.code`` is then the text as typed.
    """

    village: Village
    values: Mapping[str, object]
    cells: Mapping[str, str] = attrs.field(factory=dict)
    sheet: str | None = None
    row: int | None = None
    instance_id: str | None = None
    modified: str | None = None
    code_valid: bool = True

    def cell(self, column: str) -> str | None:
        """Return the A1 address of ``column`` in this row, or None for a form instance."""
        return self.cells.get(column)

    def location(self, column: str | None = None) -> str:
        """Return where the record is: ``乡镇!E17``, ``E17``, ``row 17`` or ``instance …``."""
        if self.instance_id is not None:
            return f"instance {self.instance_id}"

        address = self.cells.get(column) if column is not None else None
        if address is None:
            address = f"row {self.row}" if self.row is not None else "?"
        return f"{self.sheet}!{address}" if self.sheet else address


class SheetLayoutError(ValueError):
    """A grid or form whose columns do not match the template; the message lists them all."""


def records_from_grid(
    template: TableTemplate,
    grid: Grid,
    *,
    sheet: str | None = None,
    town: str | None = None,
    first_row: int = 0,
    first_column: int = 0,
    villages: Iterable[Village] = (),
) -> list[Record]:
    """Read the village rows of a grid whose first row is the header.

    ``grid`` is what GetRange returns as ``values``, or rows read from an .xlsx sheet.
    ``first_row`` and ``first_column`` are the 0-based sheet position of its top-left cell, so
    addresses are the sheet's own. A second row of column specs (``整数，必填``) is skipped.
    Blank rows and subtotal rows (合计, 小计) are skipped. An empty 乡镇 cell takes the town
    above it, as merged cells read back. ``town`` names the town of a one-sheet-per-town sheet.
    ``villages`` fills a missing town or village name from the 区划代码.
    """
    if not grid:
        raise SheetLayoutError(f"sheet {sheet or ''} is empty: expected a header row".strip())

    positions = _header_positions(template, grid[0], sheet=sheet, town_given=town is not None)
    known = {village.code: village for village in villages}

    data_start = 1
    if len(grid) > 1 and is_spec_row(grid[1]):
        data_start = 2

    records: list[Record] = []
    current_town = town or ""
    for index in range(data_start, len(grid)):
        row = grid[index]
        cells = {name: _cell(row, column) for name, column in positions.items()}
        if all(is_blank(value) for value in cells.values()) or _is_subtotal(cells):
            continue

        if town is None and not is_blank(cells.get(TOWN_COLUMN)):
            current_town = _text(cells[TOWN_COLUMN])
        village, code_valid = _village(cells, current_town, known)
        sheet_row = first_row + index
        records.append(
            Record(
                village=village,
                values={column.name: cells[column.name] for column in template.columns},
                cells={
                    name: cell_address(sheet_row, first_column + column)
                    for name, column in positions.items()
                },
                sheet=sheet,
                row=sheet_row + 1,
                code_valid=code_valid,
            )
        )
    return records


def records_from_sheets(
    template: TableTemplate, sheets: Mapping[str, Grid], *, villages: Iterable[Village] = ()
) -> list[Record]:
    """Read several sheets, each with its own header row.

    In the one-sheet-per-town layout the sheet name is the town; in the rows-by-town layout
    the 乡镇 column is.
    """
    known = list(villages)
    records: list[Record] = []
    for sheet_name, grid in sheets.items():
        town = sheet_name if template.layout is Layout.SHEET_PER_TOWN else None
        records.extend(
            records_from_grid(template, grid, sheet=sheet_name, town=town, villages=known)
        )
    return records


def records_from_xlsx(
    template: TableTemplate,
    path: str | os.PathLike[str],
    *,
    sheets: Sequence[str] | None = None,
    villages: Iterable[Village] = (),
) -> list[Record]:
    """Read a filled .xlsx workbook: the named sheets, else every sheet whose header matches."""
    import openpyxl

    workbook = openpyxl.load_workbook(os.fspath(path), data_only=True, read_only=True)
    try:
        grids: dict[str, list[tuple[object, ...]]] = {}
        for worksheet in workbook.worksheets:
            if sheets is not None and worksheet.title not in sheets:
                continue
            grid = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
            if sheets is None and not _looks_like_header(template, grid):
                continue
            grids[worksheet.title] = grid
    finally:
        workbook.close()

    if not grids:
        raise SheetLayoutError(
            f"no sheet in {os.fspath(path)} has the header of template {template.name!r}: "
            f"expected {'、'.join(template.header)}"
        )
    return records_from_sheets(template, grids, villages=villages)


def records_from_form_instances(
    template: TableTemplate,
    instances: Iterable[Mapping[str, object]],
    *,
    villages: Iterable[Village] = (),
) -> list[Record]:
    """Read smart-form instances, one per village submission.

    Each instance is either a swform instance (``{"formInstanceId", "modifyTime", "forms":
    [{"key", "label", "value"}]}``, optionally wrapped in ``{"result": …}``) or a plain dict
    of field name to value. Fields are matched to columns by label. The village is found by
    its 区划代码 field, else by its 乡镇 and 村 fields in ``villages``.
    """
    known = list(villages)
    by_code = {village.code: village for village in known}
    by_name = {(village.town, village.name): village for village in known}

    records: list[Record] = []
    for index, instance in enumerate(instances):
        fields, instance_id, modified = _instance_fields(instance, index)
        matched: dict[str, object] = {}
        for label, value in fields.items():
            column = template.match_header(label)
            if column is not None:
                matched.setdefault(column, value)

        village, code_valid = _village(matched, _text(matched.get(TOWN_COLUMN)), by_code)
        if not village.code and (village.town, village.name) in by_name:
            village, code_valid = by_name[(village.town, village.name)], True
        records.append(
            Record(
                village=village,
                values={column.name: matched.get(column.name) for column in template.columns},
                instance_id=instance_id,
                modified=modified,
                code_valid=code_valid,
            )
        )
    return records


def to_records(
    template: TableTemplate, data: TableData, *, villages: Iterable[Village] = ()
) -> list[Record]:
    """Return records for any supported input.

    Accepted: a list of Records; a grid (list of rows, header first); a mapping of sheet name
    to grid; a list of smart-form instances (dicts).
    """
    if isinstance(data, Mapping):
        return records_from_sheets(template, data, villages=villages)
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        raise TypeError(
            f"cannot read collection data from {type(data).__name__}: expected records, a grid, "
            "a mapping of sheet name to grid, or smart-form instances"
        )
    if not data:
        return []

    first = data[0]
    if isinstance(first, Record):
        return [item for item in data if isinstance(item, Record)]
    if isinstance(first, Mapping):
        return records_from_form_instances(template, data, villages=villages)  # type: ignore[arg-type]
    return records_from_grid(template, data, villages=villages)  # type: ignore[arg-type]


def villages_from_divisions(table: DivisionTable, county_code: str) -> list[Village]:
    """Return the villages of a county in a division table, ordered by code."""
    villages: list[Village] = []
    for division in table.subtree(county_code):
        if division.level is not DivisionLevel.VILLAGE:
            continue
        town = table.get(division.parent_code)
        villages.append(Village(division.code, town.name, division.name))
    return villages


def blank_sheets(
    template: TableTemplate, villages: Iterable[Village]
) -> dict[str, list[list[str]]]:
    """Return the sheets to create, each a grid of header plus one pre-filled row per village.

    The rows-by-town layout gives one sheet named after the template, villages grouped by
    town in code order; the one-sheet-per-town layout gives one sheet per town.
    """
    ordered = sorted(villages, key=lambda village: village.code)
    blanks = [""] * len(template.columns)

    if template.layout is Layout.ROWS_BY_TOWN:
        rows = [[village.code, village.town, village.name, *blanks] for village in ordered]
        return {template.name: [template.header, *rows]}

    sheets: dict[str, list[list[str]]] = {}
    for village in ordered:
        grid = sheets.setdefault(village.town, [template.header])
        grid.append([village.code, village.name, *blanks])
    return sheets


def _header_positions(
    template: TableTemplate, header: Sequence[object], *, sheet: str | None, town_given: bool
) -> dict[str, int]:
    """Map every template column (keys first) to its 0-based position in the header row."""
    positions: dict[str, int] = {}
    duplicates: list[str] = []
    for index, text in enumerate(header):
        column = template.match_header(text)
        if column is None:
            continue
        if column in positions:
            duplicates.append(column)
            continue
        positions[column] = index

    required = [*template.key_columns, *(column.name for column in template.columns)]
    if town_given and TOWN_COLUMN in required and TOWN_COLUMN not in positions:
        required.remove(TOWN_COLUMN)
    missing = [name for name in required if name not in positions]

    if missing or duplicates:
        problems = []
        if missing:
            problems.append(f"missing columns {'、'.join(missing)}")
        if duplicates:
            problems.append(f"columns given twice: {'、'.join(duplicates)}")
        found = "、".join(str(text) for text in header if not is_blank(text))
        where = f"sheet {sheet}" if sheet else "the sheet"
        raise SheetLayoutError(
            f"{where} does not match template {template.name!r}: {'; '.join(problems)} "
            f"(header found: {found or 'nothing'})"
        )
    return positions


def _looks_like_header(template: TableTemplate, grid: Sequence[Sequence[object]]) -> bool:
    if not grid:
        return False
    matched = {template.match_header(text) for text in grid[0]}
    return CODE_COLUMN in matched and all(column.name in matched for column in template.columns)


def _is_subtotal(cells: Mapping[str, object]) -> bool:
    for key in (CODE_COLUMN, TOWN_COLUMN, VILLAGE_COLUMN):
        text = normalize_header(cells.get(key))
        if text and any(text.endswith(word) for word in _SUBTOTAL_WORDS):
            return True
    return False


def _cell(row: Sequence[object], column: int) -> object:
    return row[column] if column < len(row) else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return strip_invisible(str(value)).strip()


def _village(
    cells: Mapping[str, object], town: str, known: Mapping[str, Village]
) -> tuple[Village, bool]:
    raw_code = cells.get(CODE_COLUMN)
    try:
        code = normalize_code(raw_code)
        code_valid = True
    except CellError:
        code = _text(raw_code)
        code_valid = False

    name = _text(cells.get(VILLAGE_COLUMN))
    reference = known.get(code)
    if reference is not None:
        town = town or reference.town
        name = name or reference.name
    return Village(code, town, name), code_valid


def _instance_fields(
    instance: Mapping[str, object], index: int
) -> tuple[dict[str, object], str, str | None]:
    """Return the fields of a form instance by label, its id and its modification time."""
    body = instance
    result = instance.get("result")
    if isinstance(result, Mapping) and "forms" in result:
        body = result

    instance_id = body.get("formInstanceId")
    label = str(instance_id) if instance_id is not None else f"#{index + 1}"
    modified = body.get("modifyTime") or body.get("createTime")
    modified_text = str(modified) if modified is not None else None

    forms = body.get("forms")
    if not isinstance(forms, list):
        return dict(body), label, modified_text

    fields: dict[str, object] = {}
    for position, field in enumerate(forms):
        if not isinstance(field, Mapping) or not isinstance(field.get("label"), str):
            raise SheetLayoutError(
                f"form instance {index} field {position} is not a {{key, label, value}} object"
            )
        fields[field["label"]] = field.get("value")
    return fields, label, modified_text
