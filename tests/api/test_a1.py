"""Tests for A1 range addresses: parsing, formatting, iteration and matrix shape checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.api.a1 import (
    MAX_COLUMNS,
    MAX_ROWS,
    CellRange,
    MatrixShapeError,
    SheetReference,
    cell_address,
    check_matrix_shape,
    column_index,
    column_letters,
    format_range,
    parse_range,
)

rows = st.integers(min_value=0, max_value=MAX_ROWS - 1)
columns = st.integers(min_value=0, max_value=MAX_COLUMNS - 1)


@st.composite
def cell_ranges(draw: st.DrawFn) -> CellRange:
    kind = draw(st.sampled_from(["cell", "rectangle", "rows", "columns"]))
    if kind == "cell":
        return CellRange.cell(draw(rows), draw(columns))
    if kind == "rows":
        first, last = sorted((draw(rows), draw(rows)))
        return CellRange.rows(first, last)
    if kind == "columns":
        first, last = sorted((draw(columns), draw(columns)))
        return CellRange.columns(first, last)
    top, bottom = sorted((draw(rows), draw(rows)))
    left, right = sorted((draw(columns), draw(columns)))
    return CellRange.rectangle(top, left, bottom, right)


def _letters(number: int) -> str:
    """Spell a 1-based column number in bijective base 26, independently of column_letters."""
    text = ""
    while number:
        number, digit = divmod(number - 1, 26)
        text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + text
    return text


@st.composite
def canonical_texts(draw: st.DrawFn) -> str:
    """Canonical A1 texts built by string concatenation, not by the module under test."""
    row_numbers = st.integers(min_value=1, max_value=MAX_ROWS)
    column_names = st.integers(min_value=1, max_value=MAX_COLUMNS).map(_letters)
    kind = draw(st.sampled_from(["cell", "rectangle", "rows", "columns"]))
    if kind == "cell":
        return f"{draw(column_names)}{draw(row_numbers)}"
    if kind == "rows":
        first, last = sorted((draw(row_numbers), draw(row_numbers)))
        return f"{first}:{last}"
    if kind == "columns":
        first, last = sorted((draw(st.integers(1, MAX_COLUMNS)), draw(st.integers(1, MAX_COLUMNS))))
        return f"{_letters(first)}:{_letters(last)}"
    top, bottom = sorted((draw(row_numbers), draw(row_numbers)))
    left, right = sorted((draw(st.integers(1, MAX_COLUMNS)), draw(st.integers(1, MAX_COLUMNS))))
    if (top, left) == (bottom, right):
        bottom = top + 1 if top < MAX_ROWS else top - 1
        top, bottom = sorted((top, bottom))
    return f"{_letters(left)}{top}:{_letters(right)}{bottom}"


@given(canonical_texts())
def test_format_parse_round_trip(text: str) -> None:
    assert format_range(parse_range(text)) == text


@given(cell_ranges())
def test_parse_format_round_trip(cell_range: CellRange) -> None:
    assert parse_range(format_range(cell_range)) == cell_range
    assert str(cell_range) == format_range(cell_range)


@given(st.integers(min_value=1, max_value=MAX_COLUMNS))
def test_column_letters_match_bijective_base26(number: int) -> None:
    assert column_letters(number - 1) == _letters(number)
    assert column_index(_letters(number)) == number - 1


@pytest.mark.parametrize(
    ("letters", "index"),
    [
        ("A", 0),
        ("Z", 25),
        ("AA", 26),
        ("AZ", 51),
        ("BA", 52),
        ("ZZ", 701),
        ("AAA", 702),
        ("XFD", 16383),
    ],
)
def test_column_index_known_values(letters: str, index: int) -> None:
    assert column_index(letters) == index
    assert column_letters(index) == letters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B3", CellRange(2, 1, 2, 1)),
        ("A1:C10", CellRange(0, 0, 9, 2)),
        ("A:C", CellRange(None, 0, None, 2)),
        ("2:5", CellRange(1, None, 4, None)),
        ("AA1:AZ2", CellRange(0, 26, 1, 51)),
        ("XFD1048576", CellRange(MAX_ROWS - 1, MAX_COLUMNS - 1, MAX_ROWS - 1, MAX_COLUMNS - 1)),
        ("A1:ZZ99999", CellRange(0, 0, 99998, 701)),
        ("b3", CellRange(2, 1, 2, 1)),
        ("C10:A1", CellRange(0, 0, 9, 2)),
        ("C:A", CellRange(None, 0, None, 2)),
        ("5:2", CellRange(1, None, 4, None)),
        ("A:A", CellRange(None, 0, None, 0)),
        ("1:1", CellRange(0, None, 0, None)),
    ],
)
def test_parse_range_forms(text: str, expected: CellRange) -> None:
    assert parse_range(text) == expected


def test_single_cell_rectangle_formats_as_cell() -> None:
    assert format_range(parse_range("B3:B3")) == "B3"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected a cell"),
        ("A0", "row numbers start at 1"),
        ("A01", "row numbers start at 1"),
        ("XFE1", "out of bounds"),
        ("A1048577", "past the last row"),
        ("Sheet1!A1", "no sheet prefix"),
        ("$A$1", "$ markers"),
        ("A1:B", "expected a cell"),
        ("A:3", "expected a cell"),
        ("A1:B2:C3", "expected a cell"),
        (" A1", "expected a cell"),
        ("A 1", "expected a cell"),
        ("1A", "expected a cell"),
        ("A1-B2", "expected a cell"),
        ("甲1", "expected a cell"),
    ],
)
def test_parse_range_rejects_invalid(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="invalid A1 range") as caught:
        parse_range(text)
    assert fragment in str(caught.value)
    assert repr(text) in str(caught.value)


def test_parse_range_rejects_non_string() -> None:
    with pytest.raises(TypeError, match="must be a str"):
        parse_range(3)  # type: ignore[arg-type]


def test_cell_range_rejects_inverted_corners() -> None:
    with pytest.raises(ValueError, match="greater than bottom"):
        CellRange(5, 0, 2, 0)


def test_cell_range_rejects_half_open_bounds() -> None:
    with pytest.raises(ValueError, match="both be set"):
        CellRange(1, 0, None, 0)


def test_cell_address_examples() -> None:
    assert cell_address(0, 0) == "A1"
    assert cell_address(16, 4) == "E17"
    assert cell_address(2, 27) == "AB3"
    with pytest.raises(ValueError, match="row index -1"):
        cell_address(-1, 0)


def test_shape_of_each_form() -> None:
    assert parse_range("B3").shape == (1, 1)
    assert parse_range("A1:C10").shape == (10, 3)
    assert parse_range("A:C").shape == (None, 3)
    assert parse_range("2:5").shape == (4, None)


def test_iteration_is_row_major() -> None:
    assert list(parse_range("A1:B2")) == ["A1", "B1", "A2", "B2"]
    assert list(parse_range("Z9")) == ["Z9"]


@given(
    st.integers(0, MAX_ROWS - 20),
    st.integers(0, MAX_COLUMNS - 20),
    st.integers(1, 15),
    st.integers(1, 15),
)
def test_iteration_matches_offsets(top: int, left: int, height: int, width: int) -> None:
    cell_range = CellRange.rectangle(top, left, top + height - 1, left + width - 1)
    rows_count, columns_count = cell_range.shape
    assert rows_count is not None
    assert columns_count is not None
    expected = [
        cell_range.cell_address(row, column)
        for row in range(rows_count)
        for column in range(columns_count)
    ]
    assert list(cell_range) == expected
    assert len(expected) == rows_count * columns_count
    assert len(set(expected)) == len(expected)


def test_iteration_of_whole_columns_raises() -> None:
    with pytest.raises(ValueError, match="resolve it against the sheet size"):
        list(parse_range("A:C"))


def test_relative_cell_address() -> None:
    assert parse_range("C5:E9").cell_address(1, 2) == "E6"
    assert parse_range("B:D").cell_address(4, 0) == "B5"
    assert parse_range("3:4").cell_address(1, 27) == "AB4"
    with pytest.raises(ValueError, match="outside range C5:E9"):
        parse_range("C5:E9").cell_address(5, 0)


def test_resolve_bounds_open_dimensions() -> None:
    assert parse_range("B:C").resolve(100, 26) == parse_range("B1:C100")
    assert parse_range("2:3").resolve(100, 26) == parse_range("A2:Z3")
    assert parse_range("D4").resolve(2, 2) == parse_range("D4")


def test_contains() -> None:
    rectangle = parse_range("B2:C3")
    assert rectangle.contains(1, 1)
    assert not rectangle.contains(0, 1)
    assert parse_range("B:B").contains(500, 1)
    assert not parse_range("B:B").contains(500, 2)
    assert parse_range("2:2").contains(1, 900)


def test_check_matrix_shape_accepts_matching() -> None:
    check_matrix_shape("A1:B2", [["1", "2"], ["3", "4"]])
    check_matrix_shape(parse_range("A:B"), [["1", "2"]] * 7)
    check_matrix_shape("3:3", [["x"] * 30])


@pytest.mark.parametrize(
    ("address", "values", "fragment"),
    [
        ("A1:B2", [["1", "2"]], "values has 1 rows but range A1:B2 has 2"),
        ("A1:B2", [["1", "2"], ["3"]], "values[1] has 1 cells but the range has 2 columns"),
        ("A1:B2", [], "is empty"),
        ("A:B", [["1", "2", "3"]], "values[0] has 3 cells but the range has 2 columns"),
        ("2:3", [["1"], ["1", "2"]], "values[1] has 2 cells but values[0] has 1 columns"),
        ("A1", "x", "must be a list of rows"),
        ("A1", ["x"], "values[0] for range A1 must be a list of cells"),
    ],
)
def test_check_matrix_shape_rejects_mismatch(address: str, values: object, fragment: str) -> None:
    with pytest.raises(MatrixShapeError) as caught:
        check_matrix_shape(address, values)  # type: ignore[arg-type]
    assert fragment in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_sheet_reference_parse_and_format() -> None:
    reference = SheetReference.parse("Sheet2!A4")
    assert reference == SheetReference("Sheet2", parse_range("A4"))
    assert str(reference) == "Sheet2!A4"

    quoted = SheetReference("村 名单", parse_range("A:C"))
    assert str(quoted) == "'村 名单'!A:C"
    assert SheetReference.parse(str(quoted)) == quoted

    apostrophe = SheetReference("It's", parse_range("B2"))
    assert str(apostrophe) == "'It''s'!B2"
    assert SheetReference.parse("'It''s'!B2") == apostrophe

    assert str(SheetReference("汇总", parse_range("A1"))) == "汇总!A1"
    assert str(SheetReference("A1", parse_range("A1"))) == "'A1'!A1"


@given(
    st.text(
        alphabet=st.characters(blacklist_characters=":\\/?*[]", blacklist_categories=["Cs"]),
        min_size=1,
        max_size=20,
    ),
    cell_ranges(),
)
def test_sheet_reference_round_trip(name: str, cell_range: CellRange) -> None:
    reference = SheetReference(name, cell_range)
    assert SheetReference.parse(str(reference)) == reference


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("A1", "expected SheetName!A1"),
        ("'Sheet 1'A1", "must end with '!"),
        ("It's!A1", "must be quoted"),
        ("Sheet1!", "invalid A1 range"),
    ],
)
def test_sheet_reference_rejects_invalid(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match="invalid") as caught:
        SheetReference.parse(text)
    assert fragment in str(caught.value)


def test_sheet_reference_rejects_forbidden_name() -> None:
    with pytest.raises(ValueError, match=r"cannot contain / \?"):
        SheetReference("a/b?", parse_range("A1"))
