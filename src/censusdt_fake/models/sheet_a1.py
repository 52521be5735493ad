"""The fake's own reader and writer of A1 range addresses, independent of the client's parser.

A `GridRange` has 0-based inclusive bounds; whole columns leave the row bounds None and whole
rows leave the column bounds None. Syntax errors raise `InvalidInputArgs` (HTTP 400), which is
DingTalk's error for a malformed ``rangeAddress``. The sheet checks whether a range fits it.
"""

from __future__ import annotations

from typing import NamedTuple

from censusdt_fake.models.sheet_errors import InvalidInputArgs

__all__ = ["GridRange", "column_name", "format_address", "format_cell", "parse_address"]


class GridRange(NamedTuple):
    """A rectangle, whole rows or whole columns of one sheet, with 0-based inclusive bounds."""

    first_row: int | None
    first_column: int | None
    last_row: int | None
    last_column: int | None

    def bounded(self, row_count: int, column_count: int) -> GridRange:
        """Return the range with open row or column bounds closed at the sheet's edges."""
        return GridRange(
            0 if self.first_row is None else self.first_row,
            0 if self.first_column is None else self.first_column,
            row_count - 1 if self.last_row is None else self.last_row,
            column_count - 1 if self.last_column is None else self.last_column,
        )


class _Corner(NamedTuple):
    column: int | None
    row: int | None


def column_name(index: int) -> str:
    """Return the letters of 0-based column ``index`` (0 → ``A``, 27 → ``AB``)."""
    name = []
    remaining = index
    while True:
        name.append(chr(65 + remaining % 26))
        remaining = remaining // 26 - 1
        if remaining < 0:
            return "".join(reversed(name))


def format_cell(row: int, column: int) -> str:
    """Return the A1 address of the cell at 0-based ``row`` and ``column``."""
    return column_name(column) + str(row + 1)


def format_address(grid_range: GridRange) -> str:
    """Return the A1 text DingTalk echoes back as ``a1Notation`` for a bounded range."""
    first_row, first_column, last_row, last_column = grid_range
    if first_row is None or last_row is None:
        return f"{column_name(first_column or 0)}:{column_name(last_column or 0)}"
    if first_column is None or last_column is None:
        return f"{first_row + 1}:{last_row + 1}"

    start = format_cell(first_row, first_column)
    if (first_row, first_column) == (last_row, last_column):
        return start
    return f"{start}:{format_cell(last_row, last_column)}"


def parse_address(address: str) -> GridRange:
    """Read ``A1``, ``A1:C3``, ``A:C`` or ``2:5`` (letters in either case) into a GridRange."""
    halves = address.split(":")
    if len(halves) > 2 or not address:
        raise _invalid(address)

    corners = [_read_corner(half, address) for half in halves]
    if len(corners) == 1:
        only = corners[0]
        if only.column is None or only.row is None:
            raise _invalid(address)
        return GridRange(only.row, only.column, only.row, only.column)

    start, end = corners
    # Both halves must be the same kind: A1:C3, A:C or 2:5, never A1:C or A:3.
    if (start.row is None) != (end.row is None) or (start.column is None) != (end.column is None):
        raise _invalid(address)

    first_row = last_row = first_column = last_column = None
    if start.row is not None and end.row is not None:
        first_row, last_row = min(start.row, end.row), max(start.row, end.row)
    if start.column is not None and end.column is not None:
        first_column, last_column = min(start.column, end.column), max(start.column, end.column)
    return GridRange(first_row, first_column, last_row, last_column)


def _read_corner(text: str, address: str) -> _Corner:
    """Scan one side of the colon: letters, then digits, either part optional but not both."""
    position = 0
    column = 0
    while position < len(text) and text[position].isascii() and text[position].isalpha():
        column = column * 26 + (ord(text[position].upper()) - 64)
        position += 1
    letters_end = position

    while position < len(text) and text[position] in "0123456789":
        position += 1
    digits = text[letters_end:position]

    if position != len(text) or position == 0:
        raise _invalid(address)
    if digits.startswith("0"):
        raise _invalid(address)

    return _Corner(
        column - 1 if letters_end > 0 else None,
        int(digits) - 1 if digits else None,
    )


def _invalid(address: str) -> InvalidInputArgs:
    return InvalidInputArgs(f"Invalid range address: {address}")
