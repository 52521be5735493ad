"""Workbooks and sheets of the fake DingTalk: ordered sheets, each a sparse grid of cells.

These are plain state classes: the sheet handlers parse the wire, call the methods here and
render what they return. Methods raise the errors of `sheet_errors`, which carry DingTalk's
HTTP status, code and message. Every write checks all of its input before it changes a cell,
so a rejected request leaves the workbook as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from censusdt_fake.models.sheet_a1 import GridRange, format_address, parse_address
from censusdt_fake.models.sheet_cells import (
    PROPERTY_DEFAULTS,
    PROPERTY_FIELDS,
    Cell,
    CellValue,
    check_property,
)
from censusdt_fake.models.sheet_errors import (
    DocumentSizeOverLimit,
    InvalidInputArgs,
    OperationIllegal,
    ResourceNotFound,
)
from censusdt_fake.models.sheet_formats import NUMBER_FORMATS

__all__ = [
    "DEFAULT_COLUMN_COUNT",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_ROW_COUNT",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "RANGE_FIELDS",
    "Sheet",
    "Workbook",
]

# NOTE: DingTalk does not document the size of a new sheet or the largest sheet and workbook
# it accepts. A new sheet here has 100 rows and 26 columns (A–Z), and a sheet grows to the
# .xlsx maximum. A write that would give a workbook more than DEFAULT_MAX_CELLS non-empty cells
# raises forbidden.document.sizeOverLimit.
DEFAULT_ROW_COUNT = 100
DEFAULT_COLUMN_COUNT = 26
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
DEFAULT_MAX_CELLS = 5_000_000

# Fields GetRange can return, in the order its response lists them; ``select`` picks some.
RANGE_FIELDS = (
    "values",
    "displayValues",
    "formulas",
    "backgroundColors",
    "fontSizes",
    "fontWeights",
    "horizontalAlignments",
    "verticalAlignments",
    "hyperlinks",
    "complexValues",
)

_WORD_WRAPS = frozenset({"overflow", "clip", "autoWrap"})
_VISIBILITIES = frozenset({"visible", "hidden"})

Matrix = Sequence[Sequence[object]]


class Sheet:
    """One sheet: id, name, visibility, grid size and a sparse map of cells."""

    def __init__(
        self,
        sheet_id: str,
        name: str,
        *,
        row_count: int = DEFAULT_ROW_COUNT,
        column_count: int = DEFAULT_COLUMN_COUNT,
        workbook: Workbook | None = None,
    ) -> None:
        if row_count < 1 or column_count < 1:
            raise ValueError(
                f"a sheet needs at least one row and one column, not {row_count}x{column_count}"
            )

        self.id = sheet_id
        self.name = name
        self.visibility = "visible"
        self.row_count = row_count
        self.column_count = column_count
        self.frozen_row_count = 0
        self.frozen_column_count = 0
        self.workbook = workbook
        self._cells: dict[tuple[int, int], Cell] = {}

    def __repr__(self) -> str:
        return f"Sheet(id={self.id!r}, name={self.name!r}, {self.row_count}x{self.column_count})"

    # Reading

    @property
    def last_non_empty_row(self) -> int:
        """0-based index of the last row with a value or formula, -1 for an empty sheet."""
        return max((row for (row, _), cell in self._cells.items() if not cell.is_empty), default=-1)

    @property
    def last_non_empty_column(self) -> int:
        """0-based index of the last column with a value or formula, -1 for an empty sheet."""
        return max(
            (column for (_, column), cell in self._cells.items() if not cell.is_empty), default=-1
        )

    @property
    def non_empty_cell_count(self) -> int:
        """Number of cells with a value or formula."""
        return sum(1 for cell in self._cells.values() if not cell.is_empty)

    def cell(self, row: int, column: int) -> Cell:
        """Return the cell at 0-based ``row`` and ``column``; an unset cell is a new blank Cell."""
        return self._cells.get((row, column)) or Cell()

    def content(self) -> dict[tuple[int, int], CellValue]:
        """Map ``(row, column)`` of every non-empty cell to its value or formula text."""
        return {
            position: cell.shown_value()
            for position, cell in self._cells.items()
            if not cell.is_empty
        }

    def resolve(self, address: str, *, clip: bool) -> GridRange:
        """Return the bounded range that ``address`` names in this sheet.

        Whole rows and columns end at the sheet's edges. With ``clip`` (reads and clears), a
        range that starts inside the sheet is cut at its edges, so ``A1:ZZ99999`` reads the
        whole sheet. Without it (writes), every cell must lie inside the sheet. A range
        outside the sheet raises 404 invalidRequest.resource.notFound.
        """
        # NOTE: DingTalk documents A1:ZZ99999 as a whole-sheet range and also returns
        # resource.notFound for a range outside the sheet. Clipping reads and rejecting writes
        # past the edge fits both statements, but the real rules are not published.
        grid_range = parse_address(address).bounded(self.row_count, self.column_count)
        first_row, first_column, last_row, last_column = _closed(grid_range)

        starts_outside = first_row >= self.row_count or first_column >= self.column_count
        ends_outside = last_row >= self.row_count or last_column >= self.column_count
        if starts_outside or (ends_outside and not clip):
            raise ResourceNotFound(
                f"Range {address} is outside sheet {self.name}, which has "
                f"{self.row_count} rows and {self.column_count} columns"
            )

        return GridRange(
            first_row,
            first_column,
            min(last_row, self.row_count - 1),
            min(last_column, self.column_count - 1),
        )

    def values(self, address: str) -> list[list[CellValue]]:
        """GetRange ``values``: numbers as numbers, ``""`` for empty cells."""
        return [[cell.shown_value() for cell in row] for row in self._rows_of(address)]

    def display_values(self, address: str) -> list[list[str]]:
        """GetRange ``displayValues``: every cell as text under its number format."""
        return [[cell.display_value() for cell in row] for row in self._rows_of(address)]

    def formulas(self, address: str) -> list[list[str]]:
        """GetRange ``formulas``: the formula, else the typed value, as text."""
        return [[cell.formula_text() for cell in row] for row in self._rows_of(address)]

    def read_range(
        self, address: str, fields: Iterable[str] | None = None
    ) -> dict[str, list[list[object]]]:
        """Return the GetRange matrices named in ``fields`` (all of RANGE_FIELDS by default)."""
        selected = list(RANGE_FIELDS if fields is None else fields)
        unknown = [name for name in selected if name not in RANGE_FIELDS]
        if unknown:
            raise InvalidInputArgs(
                f"Invalid select field: {', '.join(unknown)}; expected {', '.join(RANGE_FIELDS)}"
            )

        rows = self._rows_of(address)
        result: dict[str, list[list[object]]] = {}
        for name in selected:
            result[name] = [[_render_field(cell, name) for cell in row] for row in rows]
        return result

    def _rows_of(self, address: str) -> list[list[Cell]]:
        first_row, first_column, last_row, last_column = _closed(self.resolve(address, clip=True))
        return [
            [self.cell(row, column) for column in range(first_column, last_column + 1)]
            for row in range(first_row, last_row + 1)
        ]

    # Writing values and formats

    def update_range(
        self,
        address: str,
        *,
        values: Matrix | None = None,
        properties: Mapping[str, Matrix] | None = None,
        number_format: str | None = None,
        word_wrap: str | None = None,
    ) -> str:
        """Write matrices into the range and return its ``a1Notation`` (UpdateRange).

        ``values`` elements are entered as typed text (see `Cell.enter`); None leaves a cell
        as it is. ``properties`` maps UpdateRange field names (``backgroundColors``, …) to
        matrices. Every matrix must have one row per range row and one element per column,
        else 400 invalidRequest.inputArgs.invalid.
        """
        grid_range = self.resolve(address, clip=False)
        first_row, first_column, last_row, last_column = _closed(grid_range)
        shape = (last_row - first_row + 1, last_column - first_column + 1)

        if number_format is not None and number_format not in NUMBER_FORMATS:
            raise InvalidInputArgs(f"Invalid numberFormat: {number_format}")
        if word_wrap is not None and word_wrap not in _WORD_WRAPS:
            raise InvalidInputArgs(
                f"Invalid wordWrap: {word_wrap}, expected one of {', '.join(sorted(_WORD_WRAPS))}"
            )

        typed: list[list[CellValue | None]] | None = None
        if values is not None:
            _check_shape("values", values, shape, address)
            typed = [[_check_typed(value) for value in row] for row in values]
        checked: dict[str, list[list[object]]] = {}
        for name, matrix in (properties or {}).items():
            if name not in PROPERTY_FIELDS:
                raise InvalidInputArgs(f"Unknown cell property: {name}")
            _check_shape(name, matrix, shape, address)
            checked[name] = [
                [None if value is None else check_property(name, value) for value in row]
                for row in matrix
            ]

        self._check_size_after(grid_range, typed)

        for row_offset in range(shape[0]):
            for column_offset in range(shape[1]):
                position = (first_row + row_offset, first_column + column_offset)
                cell = self._cells.setdefault(position, Cell())
                if number_format is not None:
                    cell.number_format = number_format
                if word_wrap is not None:
                    cell.properties["wordWrap"] = word_wrap
                if typed is not None:
                    cell.enter(typed[row_offset][column_offset])
                for name, matrix in checked.items():
                    element = matrix[row_offset][column_offset]
                    if element is not None:
                        cell.properties[name] = element
                self._drop_if_blank(position)

        return format_address(grid_range)

    def append_rows(self, values: Matrix) -> str:
        """Write rows below the last non-empty row, from column A, and return their range.

        The sheet grows when the rows reach past its last row or column. An empty sheet
        starts at row 1 (AppendRows).
        """
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise InvalidInputArgs("values must be a non-empty list of rows")
        for index, row in enumerate(values):
            if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
                raise InvalidInputArgs(f"values[{index}] must be a list of cells")
        width = max(len(row) for row in values)
        if width == 0:
            raise InvalidInputArgs("values must contain at least one cell")

        typed = [[_check_typed(value) for value in row] for row in values]
        first_row = self.last_non_empty_row + 1
        last_row = first_row + len(typed) - 1
        self._check_dimensions(last_row + 1, width)
        grid_range = GridRange(first_row, 0, last_row, width - 1)
        self._check_size_after(grid_range, typed)

        self.row_count = max(self.row_count, last_row + 1)
        self.column_count = max(self.column_count, width)
        for row_offset, row in enumerate(typed):
            for column, element in enumerate(row):
                position = (first_row + row_offset, column)
                self._cells.setdefault(position, Cell()).enter(element)
                self._drop_if_blank(position)

        return format_address(grid_range)

    def clear_data(self, address: str) -> str:
        """Empty the values and formulas of the range, keeping formats (ClearData)."""
        grid_range = self.resolve(address, clip=True)
        for position in self._positions_in(grid_range):
            self._cells[position].clear_content()
            self._drop_if_blank(position)
        return format_address(grid_range)

    def clear(self, address: str) -> str:
        """Remove everything from the range: values, formulas and formats (Clear)."""
        grid_range = self.resolve(address, clip=True)
        for position in self._positions_in(grid_range):
            del self._cells[position]
        return format_address(grid_range)

    def _positions_in(self, grid_range: GridRange) -> list[tuple[int, int]]:
        first_row, first_column, last_row, last_column = _closed(grid_range)
        return [
            (row, column)
            for row, column in self._cells
            if first_row <= row <= last_row and first_column <= column <= last_column
        ]

    def _drop_if_blank(self, position: tuple[int, int]) -> None:
        if self._cells[position].is_blank:
            del self._cells[position]

    def _check_size_after(
        self, grid_range: GridRange, values: list[list[CellValue | None]] | None
    ) -> None:
        """Raise DocumentSizeOverLimit if writing ``values`` would pass the workbook's limit."""
        if self.workbook is None or values is None:
            return

        first_row, first_column, _, _ = _closed(grid_range)
        change = 0
        for row_offset, row in enumerate(values):
            for column_offset, element in enumerate(row):
                if element is None:
                    continue
                cell = self._cells.get((first_row + row_offset, first_column + column_offset))
                was_empty = cell is None or cell.is_empty
                is_empty = element == ""
                change += int(was_empty and not is_empty) - int(not was_empty and is_empty)
        if change <= 0:
            return
        self.workbook.check_size(change)

    # Rows and columns

    def insert_rows_before(self, row: int, row_count: int) -> None:
        """Insert ``row_count`` empty rows before 0-based ``row``, moving later rows down."""
        _check_index("row", row, self.row_count, allow_end=True)
        _check_count("rowCount", row_count)
        self._check_dimensions(self.row_count + row_count, self.column_count)

        self._cells = {
            (r + row_count if r >= row else r, c): cell for (r, c), cell in self._cells.items()
        }
        self.row_count += row_count

    def delete_rows(self, row: int, row_count: int) -> None:
        """Delete ``row_count`` rows from 0-based ``row``, moving later rows up."""
        _check_index("row", row, self.row_count, allow_end=False)
        _check_count("rowCount", row_count)
        if row + row_count > self.row_count:
            raise InvalidInputArgs(
                f"Rows {row} to {row + row_count - 1} reach past the last row {self.row_count - 1}"
            )
        if row_count == self.row_count:
            raise OperationIllegal("A sheet must keep at least one row")

        self._cells = {
            (r - row_count if r >= row + row_count else r, c): cell
            for (r, c), cell in self._cells.items()
            if not row <= r < row + row_count
        }
        self.row_count -= row_count

    def insert_columns_before(self, column: int, column_count: int) -> None:
        """Insert ``column_count`` empty columns before 0-based ``column``, moving others right."""
        _check_index("column", column, self.column_count, allow_end=True)
        _check_count("columnCount", column_count)
        self._check_dimensions(self.row_count, self.column_count + column_count)

        self._cells = {
            (r, c + column_count if c >= column else c): cell
            for (r, c), cell in self._cells.items()
        }
        self.column_count += column_count

    def delete_columns(self, column: int, column_count: int) -> None:
        """Delete ``column_count`` columns from 0-based ``column``, moving later columns left."""
        _check_index("column", column, self.column_count, allow_end=False)
        _check_count("columnCount", column_count)
        if column + column_count > self.column_count:
            raise InvalidInputArgs(
                f"Columns {column} to {column + column_count - 1} reach past the last column "
                f"{self.column_count - 1}"
            )
        if column_count == self.column_count:
            raise OperationIllegal("A sheet must keep at least one column")

        self._cells = {
            (r, c - column_count if c >= column + column_count else c): cell
            for (r, c), cell in self._cells.items()
            if not column <= c < column + column_count
        }
        self.column_count -= column_count

    def _check_dimensions(self, row_count: int, column_count: int) -> None:
        max_rows = self.workbook.max_rows if self.workbook else MAX_ROWS
        max_columns = self.workbook.max_columns if self.workbook else MAX_COLUMNS
        if row_count > max_rows:
            raise InvalidInputArgs(
                f"A sheet has at most {max_rows} rows, the request needs {row_count}"
            )
        if column_count > max_columns:
            raise InvalidInputArgs(
                f"A sheet has at most {max_columns} columns, the request needs {column_count}"
            )


class Workbook:
    """A workbook (online sheet document): its ordered sheets and its size limits."""

    def __init__(
        self,
        workbook_id: str,
        *,
        name: str = "",
        sheet_names: Sequence[str] = ("Sheet1",),
        max_cells: int = DEFAULT_MAX_CELLS,
        max_rows: int = MAX_ROWS,
        max_columns: int = MAX_COLUMNS,
    ) -> None:
        self.id = workbook_id
        self.name = name
        self.max_cells = max_cells
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.sheets: list[Sheet] = []
        self._created = 0
        for sheet_name in sheet_names:
            self.create_sheet(sheet_name)

    def __repr__(self) -> str:
        return f"Workbook(id={self.id!r}, sheets={[sheet.name for sheet in self.sheets]!r})"

    def create_sheet(
        self,
        name: str,
        *,
        row_count: int = DEFAULT_ROW_COUNT,
        column_count: int = DEFAULT_COLUMN_COUNT,
    ) -> Sheet:
        """Add a sheet at the end (CreateSheet); a name in use gets a number: ``乡镇 (2)``."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidInputArgs("name must be a non-empty string")

        # NOTE: DingTalk renames a duplicate name "to a legal value" without saying how, so the
        # fake's " (2)", " (3)", … suffix is a guess.
        unique = name
        number = 2
        names_in_use = {sheet.name for sheet in self.sheets}
        while unique in names_in_use:
            unique = f"{name} ({number})"
            number += 1

        self._created += 1
        digest = hashlib.sha1(f"{self.id}/{self._created}".encode()).hexdigest()[:10]
        sheet = Sheet(
            f"st-{digest}", unique, row_count=row_count, column_count=column_count, workbook=self
        )
        self.sheets.append(sheet)
        return sheet

    def sheet(self, id_or_name: str) -> Sheet:
        """Return the sheet with this id, else with this name (DingTalk takes either)."""
        for sheet in self.sheets:
            if sheet.id == id_or_name:
                return sheet
        for sheet in self.sheets:
            if sheet.name == id_or_name:
                return sheet
        raise ResourceNotFound(f"Sheet not found: {id_or_name}")

    def delete_sheet(self, id_or_name: str) -> None:
        """Remove a sheet (DeleteSheet); the last sheet of a workbook cannot go."""
        sheet = self.sheet(id_or_name)
        if len(self.sheets) == 1:
            raise OperationIllegal("A workbook must keep at least one sheet")
        self.sheets.remove(sheet)
        sheet.workbook = None

    def update_sheet(
        self,
        id_or_name: str,
        *,
        name: str | None = None,
        visibility: str | None = None,
        frozen_row_count: int | None = None,
        frozen_column_count: int | None = None,
    ) -> Sheet:
        """Rename, hide or show a sheet and set its frozen rows and columns (UpdateSheet)."""
        sheet = self.sheet(id_or_name)

        if name is not None:
            if not name.strip():
                raise InvalidInputArgs("name must be a non-empty string")
            if any(other.name == name for other in self.sheets if other is not sheet):
                raise InvalidInputArgs(f"A sheet named {name} already exists")
        if visibility is not None:
            if visibility not in _VISIBILITIES:
                raise InvalidInputArgs(
                    f"Invalid visibility: {visibility}, expected visible or hidden"
                )
            others_visible = any(
                other.visibility == "visible" for other in self.sheets if other is not sheet
            )
            if visibility == "hidden" and not others_visible:
                raise OperationIllegal("A workbook must keep at least one visible sheet")
        if frozen_row_count is not None and not 0 <= frozen_row_count <= sheet.row_count:
            raise InvalidInputArgs(f"Invalid frozenRowCount: {frozen_row_count}")
        if frozen_column_count is not None and not 0 <= frozen_column_count <= sheet.column_count:
            raise InvalidInputArgs(f"Invalid frozenColumnCount: {frozen_column_count}")

        if name is not None:
            sheet.name = name
        if visibility is not None:
            sheet.visibility = visibility
        if frozen_row_count is not None:
            sheet.frozen_row_count = frozen_row_count
        if frozen_column_count is not None:
            sheet.frozen_column_count = frozen_column_count
        return sheet

    @property
    def non_empty_cell_count(self) -> int:
        """Number of cells with a value or formula, over all sheets."""
        return sum(sheet.non_empty_cell_count for sheet in self.sheets)

    def check_size(self, added_cells: int) -> None:
        """Raise DocumentSizeOverLimit if ``added_cells`` more would pass ``max_cells``."""
        if self.non_empty_cell_count + added_cells > self.max_cells:
            raise DocumentSizeOverLimit()


def _closed(grid_range: GridRange) -> tuple[int, int, int, int]:
    first_row, first_column, last_row, last_column = grid_range
    assert first_row is not None
    assert first_column is not None
    assert last_row is not None
    assert last_column is not None
    return first_row, first_column, last_row, last_column


def _check_shape(name: str, matrix: object, shape: tuple[int, int], address: str) -> None:
    rows, columns = shape
    if isinstance(matrix, (str, bytes)) or not isinstance(matrix, Sequence):
        raise InvalidInputArgs(f"{name} must be a two-dimensional array")
    if len(matrix) != rows:
        raise InvalidInputArgs(
            f"The dimension of {name} does not match range {address}: "
            f"expected {rows} rows, got {len(matrix)}"
        )
    for index, row in enumerate(matrix):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != columns:
            length = len(row) if isinstance(row, Sequence) else "no"
            raise InvalidInputArgs(
                f"The dimension of {name} does not match range {address}: "
                f"expected {columns} columns in row {index}, got {length}"
            )


def _check_typed(value: object) -> CellValue | None:
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise InvalidInputArgs(f"Invalid cell value: {value!r}, expected a string or a number")


def _check_index(name: str, index: object, count: int, *, allow_end: bool) -> None:
    last = count if allow_end else count - 1
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= last:
        raise InvalidInputArgs(f"Invalid {name}: {index!r}, expected 0 to {last}")


def _check_count(name: str, count: object) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InvalidInputArgs(f"Invalid {name}: {count!r}, expected a positive integer")


def _render_field(cell: Cell, name: str) -> object:
    if name == "values":
        return cell.shown_value()
    if name == "displayValues":
        return cell.display_value()
    if name == "formulas":
        return cell.formula_text()

    stored = cell.properties.get(name, PROPERTY_DEFAULTS[name])
    if name == "backgroundColors" and isinstance(stored, str):
        red, green, blue = (int(stored[index : index + 2], 16) for index in (1, 3, 5))
        return {"red": red, "green": green, "blue": blue, "hexString": stored}
    return stored
