"""A1 notation for DingTalk online sheets: parse, format and check range addresses.

DingTalk's sheet endpoints take a ``rangeAddress`` in A1 notation inside the sheet named in
the path: ``B3`` (one cell), ``A1:C10`` (a rectangle), ``A:C`` (whole columns) and ``2:5``
(whole rows). The address has no ``Sheet!`` prefix; the prefixed form only appears inside
hyperlink targets (``Sheet2!A4``), which `SheetReference` handles.

Row and column indexes in this module are 0-based, like the ``row`` and ``column`` fields of
DingTalk's insert and delete calls and ``lastNonEmptyRow`` in GetSheet: ``cell_address(0, 0)``
is ``"A1"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import attrs

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "CellRange",
    "MatrixShapeError",
    "SheetReference",
    "cell_address",
    "check_matrix_shape",
    "column_index",
    "column_letters",
    "format_range",
    "parse_range",
]

# NOTE: DingTalk does not publish a sheet's maximum size, so these are the .xlsx limits
# (column XFD, row 1048576).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

_EXPECTED = "expected a cell (B3), a rectangle (A1:C10), whole columns (A:C) or whole rows (2:5)"

_CELL = re.compile(r"([A-Za-z]+)([0-9]+)")
_COLUMN = re.compile(r"[A-Za-z]+")
_ROW = re.compile(r"[0-9]+")


def column_letters(index: int) -> str:
    """Return the letters of the 0-based column ``index``: 0 is ``A``, 26 is ``AA``."""
    _check_column(index)

    letters = ""
    number = index + 1
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of the column named ``letters`` (case-insensitive).

    Raises ValueError when ``letters`` is not a column name or lies past column XFD.
    """
    if not _COLUMN.fullmatch(letters):
        raise ValueError(f"invalid column {letters!r}: expected letters such as A, AA or XFD")

    number = 0
    for letter in letters.upper():
        number = number * 26 + (ord(letter) - ord("A") + 1)
        if number > MAX_COLUMNS:
            raise ValueError(
                f"column {letters!r} is out of bounds: the last column is "
                f"{column_letters(MAX_COLUMNS - 1)}"
            )
    return number - 1


def cell_address(row: int, column: int) -> str:
    """Return the A1 address of the cell at 0-based ``row`` and ``column``: (2, 4) is ``E3``."""
    _check_row(row)
    return f"{column_letters(column)}{row + 1}"


def _check_row(row: int) -> None:
    if not 0 <= row < MAX_ROWS:
        raise ValueError(f"row index {row} is out of bounds: expected 0 to {MAX_ROWS - 1}")


def _check_column(column: int) -> None:
    if not 0 <= column < MAX_COLUMNS:
        raise ValueError(f"column index {column} is out of bounds: expected 0 to {MAX_COLUMNS - 1}")


def _parse_row_number(digits: str, text: str) -> int:
    """Return the 0-based index of the 1-based row number ``digits`` found in ``text``."""
    if digits.startswith("0"):
        raise ValueError(f"invalid A1 range {text!r}: row numbers start at 1 and have no leading 0")

    number = int(digits)
    if number > MAX_ROWS:
        raise ValueError(f"invalid A1 range {text!r}: row {number} is past the last row {MAX_ROWS}")
    return number - 1


def _parse_column_letters(letters: str, text: str) -> int:
    try:
        return column_index(letters)
    except ValueError as error:
        raise ValueError(f"invalid A1 range {text!r}: {error}") from None


def _check_bounds(attribute: attrs.Attribute[int | None], value: int | None, limit: int) -> None:
    if value is not None and not 0 <= value < limit:
        raise ValueError(
            f"{attribute.name} index {value} is out of bounds: expected 0 to {limit - 1}"
        )


def _validate_row(
    instance: CellRange, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    _check_bounds(attribute, value, MAX_ROWS)


def _validate_column(
    instance: CellRange, attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    _check_bounds(attribute, value, MAX_COLUMNS)


@attrs.frozen
class CellRange:
    """A range of cells in one sheet, with 0-based inclusive bounds.

    Whole columns (``A:C``) have ``top`` and ``bottom`` set to None; whole rows (``2:5``) have
    ``left`` and ``right`` set to None. Build one with `parse_range` or the class methods
    `cell`, `rectangle`, `columns` and `rows`; ``str(range)`` formats it back.
    """

    top: int | None = attrs.field(validator=_validate_row)
    left: int | None = attrs.field(validator=_validate_column)
    bottom: int | None = attrs.field(validator=_validate_row)
    right: int | None = attrs.field(validator=_validate_column)

    def __attrs_post_init__(self) -> None:
        if (self.top is None) != (self.bottom is None):
            raise ValueError("top and bottom must both be set or both be None")
        if (self.left is None) != (self.right is None):
            raise ValueError("left and right must both be set or both be None")
        if self.top is None and self.left is None:
            raise ValueError("a range needs row bounds, column bounds or both")
        if self.top is not None and self.bottom is not None and self.top > self.bottom:
            raise ValueError(f"top {self.top} is greater than bottom {self.bottom}")
        if self.left is not None and self.right is not None and self.left > self.right:
            raise ValueError(f"left {self.left} is greater than right {self.right}")

    @classmethod
    def parse(cls, text: str) -> CellRange:
        """Parse an A1 range address; see `parse_range`."""
        return parse_range(text)

    @classmethod
    def cell(cls, row: int, column: int) -> CellRange:
        """Return the range of the single cell at 0-based ``row`` and ``column``."""
        return cls(row, column, row, column)

    @classmethod
    def rectangle(cls, top: int, left: int, bottom: int, right: int) -> CellRange:
        """Return the rectangle between two corners, given as 0-based inclusive indexes."""
        return cls(top, left, bottom, right)

    @classmethod
    def columns(cls, first: int, last: int) -> CellRange:
        """Return the whole columns ``first`` to ``last`` (0-based, inclusive)."""
        return cls(None, first, None, last)

    @classmethod
    def rows(cls, first: int, last: int) -> CellRange:
        """Return the whole rows ``first`` to ``last`` (0-based, inclusive)."""
        return cls(first, None, last, None)

    @property
    def is_bounded(self) -> bool:
        """Whether the range has both row and column bounds (a cell or a rectangle)."""
        return self.top is not None and self.left is not None

    @property
    def row_count(self) -> int | None:
        """Number of rows, or None for whole columns."""
        if self.top is None or self.bottom is None:
            return None
        return self.bottom - self.top + 1

    @property
    def column_count(self) -> int | None:
        """Number of columns, or None for whole rows."""
        if self.left is None or self.right is None:
            return None
        return self.right - self.left + 1

    @property
    def shape(self) -> tuple[int | None, int | None]:
        """``(rows, columns)``, with None for a dimension the range does not bound."""
        return (self.row_count, self.column_count)

    def resolve(self, row_count: int, column_count: int) -> CellRange:
        """Bound whole rows or columns by the size of a sheet (``row_count`` × ``column_count``).

        A bounded range comes back unchanged, even where it reaches past the sheet.
        """
        if row_count < 1 or column_count < 1:
            raise ValueError(
                f"a sheet of {row_count} rows and {column_count} columns has no cells to resolve "
                "a range against"
            )

        top = 0 if self.top is None else self.top
        bottom = row_count - 1 if self.bottom is None else self.bottom
        left = 0 if self.left is None else self.left
        right = column_count - 1 if self.right is None else self.right
        return CellRange(top, left, bottom, right)

    def contains(self, row: int, column: int) -> bool:
        """Return whether the cell at 0-based ``row`` and ``column`` lies inside the range."""
        if self.top is not None and self.bottom is not None and not self.top <= row <= self.bottom:
            return False
        return not (
            self.left is not None
            and self.right is not None
            and not self.left <= column <= self.right
        )

    def cell_address(self, row: int, column: int) -> str:
        """Return the address of the cell at offset (``row``, ``column``) from the top-left corner.

        The offsets are positions in a values matrix read from or written to this range, so
        ``parse_range("C5:E9").cell_address(1, 2)`` is ``"E6"``. Whole rows count columns from
        A and whole columns count rows from 1.
        """
        rows, columns = self.shape
        if row < 0 or (rows is not None and row >= rows):
            raise ValueError(f"row offset {row} is outside range {self} of {rows} rows")
        if column < 0 or (columns is not None and column >= columns):
            raise ValueError(f"column offset {column} is outside range {self} of {columns} columns")

        top = 0 if self.top is None else self.top
        left = 0 if self.left is None else self.left
        return cell_address(top + row, left + column)

    def cells(self) -> Iterator[tuple[int, int]]:
        """Yield the 0-based ``(row, column)`` of every cell, row by row.

        Raises ValueError for whole rows or columns; call `resolve` first.
        """
        if self.top is None or self.bottom is None or self.left is None or self.right is None:
            raise ValueError(
                f"range {self} has no {'row' if self.top is None else 'column'} bounds, so its "
                "cells cannot be listed; resolve it against the sheet size first"
            )

        for row in range(self.top, self.bottom + 1):
            for column in range(self.left, self.right + 1):
                yield (row, column)

    def __iter__(self) -> Iterator[str]:
        """Yield the A1 address of every cell, row by row (see `cells`)."""
        for row, column in self.cells():
            yield cell_address(row, column)

    def __str__(self) -> str:
        return format_range(self)


def parse_range(text: str) -> CellRange:
    """Parse an A1 range address as DingTalk's ``rangeAddress`` takes it.

    Accepts ``B3``, ``A1:C10``, ``A:C`` and ``2:5``; letters may be lower case. Corners given
    in reverse order (``C10:A1``) are put in order, as spreadsheets do. Raises ValueError
    naming the text for anything else, including a ``Sheet!`` prefix, ``$`` markers, spaces,
    row 0 and cells past XFD1048576.
    """
    if not isinstance(text, str):
        raise TypeError(f"an A1 range must be a str, not {type(text).__name__}")
    if "!" in text:
        raise ValueError(
            f"invalid A1 range {text!r}: a range address has no sheet prefix because the sheet "
            "is part of the request path; pass the sheet separately or use SheetReference"
        )
    if "$" in text:
        raise ValueError(f"invalid A1 range {text!r}: remove the $ markers, {_EXPECTED}")

    parts = text.split(":")
    if len(parts) == 1:
        return _parse_single(text)
    if len(parts) == 2:
        return _parse_pair(text, parts[0], parts[1])
    raise ValueError(f"invalid A1 range {text!r}: {_EXPECTED}")


def _parse_single(text: str) -> CellRange:
    match = _CELL.fullmatch(text)
    if match is None:
        raise ValueError(f"invalid A1 range {text!r}: {_EXPECTED}")

    column = _parse_column_letters(match.group(1), text)
    row = _parse_row_number(match.group(2), text)
    return CellRange.cell(row, column)


def _parse_pair(text: str, start: str, end: str) -> CellRange:
    start_cell = _CELL.fullmatch(start)
    end_cell = _CELL.fullmatch(end)
    if start_cell is not None and end_cell is not None:
        rows = sorted(
            (
                _parse_row_number(start_cell.group(2), text),
                _parse_row_number(end_cell.group(2), text),
            )
        )
        columns = sorted(
            (
                _parse_column_letters(start_cell.group(1), text),
                _parse_column_letters(end_cell.group(1), text),
            )
        )
        return CellRange.rectangle(rows[0], columns[0], rows[1], columns[1])

    if _COLUMN.fullmatch(start) and _COLUMN.fullmatch(end):
        first, last = sorted((_parse_column_letters(start, text), _parse_column_letters(end, text)))
        return CellRange.columns(first, last)

    if _ROW.fullmatch(start) and _ROW.fullmatch(end):
        first, last = sorted((_parse_row_number(start, text), _parse_row_number(end, text)))
        return CellRange.rows(first, last)

    raise ValueError(f"invalid A1 range {text!r}: {_EXPECTED}")


def format_range(cell_range: CellRange) -> str:
    """Format a range in canonical A1 notation: upper-case letters, a single cell without ``:``."""
    top, left, bottom, right = cell_range.top, cell_range.left, cell_range.bottom, cell_range.right

    if top is None or bottom is None:
        assert left is not None
        assert right is not None
        return f"{column_letters(left)}:{column_letters(right)}"
    if left is None or right is None:
        return f"{top + 1}:{bottom + 1}"
    if top == bottom and left == right:
        return cell_address(top, left)
    return f"{cell_address(top, left)}:{cell_address(bottom, right)}"


class MatrixShapeError(ValueError):
    """A values matrix whose shape does not match the range it is written to."""

    def __init__(self, message: str, *, cell_range: CellRange, rows: int, columns: int | None):
        super().__init__(message)
        self.cell_range = cell_range
        self.rows = rows
        self.columns = columns


def check_matrix_shape(cell_range: CellRange | str, values: Sequence[Sequence[object]]) -> None:
    """Raise MatrixShapeError unless ``values`` has one row per range row and one cell per column.

    DingTalk's UpdateRange requires every matrix (``values``, ``backgroundColors``, …) to match
    the range: one inner list per row, one element per column. Every row must have the same
    length even where the range leaves a dimension open (whole rows or whole columns), because
    DingTalk measures those against the sheet size, which the client does not know.
    """
    if isinstance(cell_range, str):
        cell_range = parse_range(cell_range)

    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise MatrixShapeError(
            f"values for range {cell_range} must be a list of rows, not {type(values).__name__}",
            cell_range=cell_range,
            rows=0,
            columns=None,
        )

    row_count = len(values)
    expected_rows, expected_columns = cell_range.shape
    if row_count == 0:
        raise MatrixShapeError(
            f"values for range {cell_range} is empty: expected one list per row",
            cell_range=cell_range,
            rows=0,
            columns=None,
        )

    if expected_rows is not None and row_count != expected_rows:
        raise MatrixShapeError(
            f"values has {row_count} rows but range {cell_range} has {expected_rows}",
            cell_range=cell_range,
            rows=row_count,
            columns=_first_row_length(values),
        )

    width = expected_columns
    for index, row in enumerate(values):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
            raise MatrixShapeError(
                f"values[{index}] for range {cell_range} must be a list of cells, "
                f"not {type(row).__name__}",
                cell_range=cell_range,
                rows=row_count,
                columns=None,
            )
        if width is None:
            width = len(row)
        if len(row) != width:
            reference = "the range has" if expected_columns is not None else "values[0] has"
            raise MatrixShapeError(
                f"values[{index}] has {len(row)} cells but {reference} {width} columns "
                f"(range {cell_range})",
                cell_range=cell_range,
                rows=row_count,
                columns=len(row),
            )


def _first_row_length(values: Sequence[Sequence[object]]) -> int | None:
    first = values[0]
    if isinstance(first, (str, bytes)) or not isinstance(first, Sequence):
        return None
    return len(first)


# Characters Excel forbids in sheet names; a reference to such a name cannot exist.
_FORBIDDEN_IN_SHEET_NAME = frozenset(":\\/?*[]")
_PLAIN_SHEET_NAME = re.compile(r"[^\W\d][\w.]*")


@attrs.frozen
class SheetReference:
    """A range in a named sheet, as hyperlink targets write it: ``Sheet2!A4``, ``'村 名单'!A:C``.

    NOTE: DingTalk documents only the plain form (``Sheet2!A4``). Quoting a name that is not a
    plain word with single quotes, and doubling quotes inside it, follows Excel.
    """

    sheet: str
    range: CellRange

    def __attrs_post_init__(self) -> None:
        if not self.sheet:
            raise ValueError("a sheet reference needs a sheet name")
        bad = sorted(set(self.sheet) & _FORBIDDEN_IN_SHEET_NAME)
        if bad:
            raise ValueError(
                f"invalid sheet name {self.sheet!r}: sheet names cannot contain {' '.join(bad)}"
            )

    @classmethod
    def parse(cls, text: str) -> SheetReference:
        """Parse ``Sheet!A1`` or ``'Sheet name'!A1:C3`` into a sheet name and a range."""
        if text.startswith("'"):
            name, rest = _read_quoted_sheet_name(text)
        else:
            name, separator, rest = text.partition("!")
            if not separator:
                raise ValueError(
                    f"invalid sheet reference {text!r}: expected SheetName!A1 or 'Sheet name'!A1"
                )
            if "'" in name:
                raise ValueError(
                    f"invalid sheet reference {text!r}: a sheet name with quotes must be quoted "
                    "as 'it''s'"
                )
        return cls(name, parse_range(rest))

    def __str__(self) -> str:
        name = self.sheet
        if not _PLAIN_SHEET_NAME.fullmatch(name) or _is_cell_address(name):
            escaped = name.replace("'", "''")
            name = f"'{escaped}'"
        return f"{name}!{format_range(self.range)}"


def _is_cell_address(text: str) -> bool:
    """Whether ``text`` reads as one cell (``A1``, ``xfd9``), so a sheet named so needs quotes."""
    try:
        _parse_single(text)
    except ValueError:
        return False
    return True


def _read_quoted_sheet_name(text: str) -> tuple[str, str]:
    """Split ``'It''s'!A1`` into the unquoted name ``It's`` and the range text ``A1``."""
    name = []
    position = 1
    while position < len(text):
        character = text[position]
        if character == "'":
            if text.startswith("''", position):
                name.append("'")
                position += 2
                continue
            if text.startswith("'!", position):
                return "".join(name), text[position + 2 :]
            break
        name.append(character)
        position += 1
    raise ValueError(
        f"invalid sheet reference {text!r}: "
        "a quoted sheet name must end with '! followed by a range"
    )
