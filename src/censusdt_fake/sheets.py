"""Control plane for online sheets: seed workbooks and let simulated villages fill their rows."""

from __future__ import annotations

from collections.abc import Mapping

from censusdt_fake._state import Corp
from censusdt_fake.models.sheet_a1 import GridRange, format_address
from censusdt_fake.models.sheets import Sheet, Workbook
from censusdt_fake.models.workbooks import WorkbookState

__all__ = ["fill_row", "find_row", "state_of", "workbook_of"]


def state_of(corp: Corp) -> WorkbookState:
    """Return the corp's workspaces, documents and workbooks."""
    return corp.ext(WorkbookState)


def workbook_of(corp: Corp, workbook_id: str) -> Workbook:
    return state_of(corp).workbook(workbook_id)


def find_row(sheet: Sheet, key: str, *, key_column: int = 0) -> int:
    """Return the 0-based row whose ``key_column`` cell shows ``key``; raise LookupError."""
    for (row, column), value in sheet.content().items():
        if column == key_column and str(value) == key:
            return row
    raise LookupError(f"no row with {key!r} in column {key_column} of sheet {sheet.name}")


def fill_row(
    corp: Corp,
    workbook_id: str,
    *,
    sheet: str,
    key: str,
    values: Mapping[str, object],
    key_column: int = 0,
    header_row: int = 0,
) -> str:
    """Type ``values`` (header text to cell text) into the row whose key cell is ``key``.

    This is what a village's person does in the DingTalk sheet UI: the text is entered as a
    person types it, so ``"12"`` becomes the number 12. Returns the A1 range of the row written.
    Unknown headers raise KeyError before any cell changes.
    """
    workbook = workbook_of(corp, workbook_id)
    target = workbook.sheet(sheet) if sheet else workbook.sheets[0]
    row = find_row(target, key, key_column=key_column)

    headers: dict[str, int] = {}
    for (cell_row, column), value in target.content().items():
        if cell_row == header_row:
            headers[str(value)] = column
    unknown = [header for header in values if header not in headers]
    if unknown:
        raise KeyError(f"unknown column header(s) {unknown} in sheet {target.name}")

    columns = sorted(headers[header] for header in values)
    if not columns:
        return ""
    by_column = {headers[header]: _typed(value) for header, value in values.items()}
    first, last = columns[0], columns[-1]
    matrix = [[by_column.get(column) for column in range(first, last + 1)]]
    address = format_address(GridRange(row, first, row, last))
    return target.update_range(address, values=matrix)


def _typed(value: object) -> str | int | float | None:
    if value is None or isinstance(value, (str, int, float)):
        return value
    return str(value)
