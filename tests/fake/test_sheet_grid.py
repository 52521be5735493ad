"""Tests for the fake's workbook and sheet grid, against a plain list-of-lists model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from censusdt.api.a1 import parse_range
from censusdt_fake.models.sheet_a1 import GridRange, format_address, parse_address
from censusdt_fake.models.sheet_errors import (
    DocumentSizeOverLimit,
    InvalidInputArgs,
    OperationIllegal,
    ResourceNotFound,
    SheetError,
)
from censusdt_fake.models.sheets import Sheet, Workbook

# Texts that every number format leaves as typed, so the model can store them verbatim.
TEXTS = st.sampled_from(["a", "村", "x y", "12", "0.5", "=A1+B1", "-3"])
CELL_TEXTS = st.one_of(st.just(""), TEXTS)


def _letters(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def _address(top: int, left: int, bottom: int, right: int) -> str:
    return f"{_letters(left)}{top + 1}:{_letters(right)}{bottom + 1}"


class GridMachine(RuleBasedStateMachine):
    """Drive a small sheet and a list-of-lists model with the same operations."""

    MAX_ROWS = 12
    MAX_COLUMNS = 8

    def __init__(self) -> None:
        super().__init__()
        self.workbook = Workbook(
            "wb-machine", sheet_names=(), max_rows=self.MAX_ROWS, max_columns=self.MAX_COLUMNS
        )
        self.sheet: Sheet
        self.model: list[list[str]] = []

    @initialize(rows=st.integers(1, 6), columns=st.integers(1, 5))
    def create(self, rows: int, columns: int) -> None:
        self.sheet = self.workbook.create_sheet("村级汇总", row_count=rows, column_count=columns)
        self.model = [[""] * columns for _ in range(rows)]

    @property
    def rows(self) -> int:
        return len(self.model)

    @property
    def columns(self) -> int:
        return len(self.model[0])

    @rule(data=st.data())
    def update_range(self, data: st.DataObject) -> None:
        top = data.draw(st.integers(0, self.rows - 1))
        bottom = data.draw(st.integers(top, self.rows - 1))
        left = data.draw(st.integers(0, self.columns - 1))
        right = data.draw(st.integers(left, self.columns - 1))
        matrix = data.draw(
            st.lists(
                st.lists(CELL_TEXTS, min_size=right - left + 1, max_size=right - left + 1),
                min_size=bottom - top + 1,
                max_size=bottom - top + 1,
            )
        )

        written = self.sheet.update_range(_address(top, left, bottom, right), values=matrix)

        assert parse_range(written) == parse_range(_address(top, left, bottom, right))
        for offset, row in enumerate(matrix):
            self.model[top + offset][left : right + 1] = row

    @rule(data=st.data())
    def update_with_wrong_shape_changes_nothing(self, data: st.DataObject) -> None:
        top = data.draw(st.integers(0, self.rows - 1))
        left = data.draw(st.integers(0, self.columns - 1))
        extra = data.draw(st.sampled_from(["row", "column"]))
        matrix = [["z", "z"]] if extra == "column" else [["z"], ["z"]]

        with pytest.raises(InvalidInputArgs) as caught:
            self.sheet.update_range(_address(top, left, top, left), values=matrix)

        assert caught.value.status == 400
        assert caught.value.code == "invalidRequest.inputArgs.invalid"

    @rule(data=st.data())
    def append_rows(self, data: st.DataObject) -> None:
        room = self.MAX_ROWS - (self._model_last_row() + 1)
        batch = data.draw(
            st.lists(
                st.lists(TEXTS, min_size=1, max_size=self.MAX_COLUMNS),
                min_size=1,
                max_size=3,
            )
        )
        if len(batch) > room:
            with pytest.raises(InvalidInputArgs):
                self.sheet.append_rows(batch)
            return

        first = self._model_last_row() + 1
        written = self.sheet.append_rows(batch)

        width = max(len(row) for row in batch)
        assert parse_range(written) == parse_range(
            _address(first, 0, first + len(batch) - 1, width - 1)
        )
        self._grow(first + len(batch), width)
        for offset, row in enumerate(batch):
            self.model[first + offset][: len(row)] = row

    @rule(data=st.data())
    def insert_rows(self, data: st.DataObject) -> None:
        row = data.draw(st.integers(0, self.rows))
        count = data.draw(st.integers(1, 3))
        if self.rows + count > self.MAX_ROWS:
            with pytest.raises(InvalidInputArgs):
                self.sheet.insert_rows_before(row, count)
            return

        self.sheet.insert_rows_before(row, count)

        self.model[row:row] = [[""] * self.columns for _ in range(count)]

    @precondition(lambda self: len(self.model) > 1)
    @rule(data=st.data())
    def delete_rows(self, data: st.DataObject) -> None:
        row = data.draw(st.integers(0, self.rows - 1))
        count = data.draw(st.integers(1, self.rows - row))
        if count == self.rows:
            with pytest.raises(OperationIllegal):
                self.sheet.delete_rows(row, count)
            return

        self.sheet.delete_rows(row, count)

        del self.model[row : row + count]

    @rule(data=st.data())
    def insert_columns(self, data: st.DataObject) -> None:
        column = data.draw(st.integers(0, self.columns))
        count = data.draw(st.integers(1, 2))
        if self.columns + count > self.MAX_COLUMNS:
            with pytest.raises(InvalidInputArgs):
                self.sheet.insert_columns_before(column, count)
            return

        self.sheet.insert_columns_before(column, count)

        for row in self.model:
            row[column:column] = [""] * count

    @precondition(lambda self: len(self.model[0]) > 1)
    @rule(data=st.data())
    def delete_columns(self, data: st.DataObject) -> None:
        column = data.draw(st.integers(0, self.columns - 1))
        count = data.draw(st.integers(1, self.columns - column))
        if count == self.columns:
            with pytest.raises(OperationIllegal):
                self.sheet.delete_columns(column, count)
            return

        self.sheet.delete_columns(column, count)

        for row in self.model:
            del row[column : column + count]

    @rule(data=st.data())
    def clear_data(self, data: st.DataObject) -> None:
        top = data.draw(st.integers(0, self.rows - 1))
        bottom = data.draw(st.integers(top, self.rows - 1))
        left = data.draw(st.integers(0, self.columns - 1))
        right = data.draw(st.integers(left, self.columns - 1))

        self.sheet.clear_data(_address(top, left, bottom, right))

        for row in range(top, bottom + 1):
            self.model[row][left : right + 1] = [""] * (right - left + 1)

    def _model_last_row(self) -> int:
        filled = [index for index, row in enumerate(self.model) if any(row)]
        return filled[-1] if filled else -1

    def _grow(self, rows: int, columns: int) -> None:
        width = self.columns
        if columns > width:
            for row in self.model:
                row.extend([""] * (columns - width))
        while len(self.model) < rows:
            self.model.append([""] * self.columns)

    @invariant()
    def grid_matches_model(self) -> None:
        if not self.model:
            return
        assert self.sheet.row_count == self.rows
        assert self.sheet.column_count == self.columns
        whole = _address(0, 0, self.rows - 1, self.columns - 1)
        assert self.sheet.formulas(whole) == self.model

    @invariant()
    def last_non_empty_matches_model(self) -> None:
        if not self.model:
            return
        assert self.sheet.last_non_empty_row == self._model_last_row()
        filled_columns = [
            column for column in range(self.columns) if any(row[column] for row in self.model)
        ]
        assert self.sheet.last_non_empty_column == (filled_columns[-1] if filled_columns else -1)


TestGridMachine = GridMachine.TestCase
TestGridMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


# Values and display values


@pytest.fixture
def sheet() -> Sheet:
    return Workbook("wb-1").sheet("Sheet1")


def test_values_of_empty_cells_are_empty_strings(sheet: Sheet) -> None:
    assert sheet.values("A1:B2") == [["", ""], ["", ""]]
    assert sheet.display_values("A1:B2") == [["", ""], ["", ""]]
    assert sheet.formulas("A1") == [[""]]


def test_numeric_text_becomes_number(sheet: Sheet) -> None:
    sheet.update_range("A1:D1", values=[["120", "0.85", "007", "1e3"]])

    assert sheet.values("A1:D1") == [[120, 0.85, 7, 1000.0]]
    assert sheet.display_values("A1:D1") == [["120", "0.85", "7", "1000"]]


def test_text_format_keeps_typed_text(sheet: Sheet) -> None:
    sheet.update_range("A1:B1", values=[["370783001001", "007"]], number_format="@")

    assert sheet.values("A1:B1") == [["370783001001", "007"]]


def test_long_digit_strings_stay_text(sheet: Sheet) -> None:
    sheet.update_range("A1", values=[["370783199001011234"]])

    assert sheet.values("A1") == [["370783199001011234"]]


def test_formula_is_returned_as_text(sheet: Sheet) -> None:
    sheet.update_range("C1", values=[["=A1+B1"]])

    assert sheet.values("C1") == [["=A1+B1"]]
    assert sheet.formulas("C1") == [["=A1+B1"]]
    assert sheet.display_values("C1") == [["=A1+B1"]]


def test_json_numbers_are_stored_as_numbers(sheet: Sheet) -> None:
    sheet.update_range("A1:B1", values=[[42, 2.5]])

    assert sheet.values("A1:B1") == [[42, 2.5]]


def test_none_leaves_cell_unchanged(sheet: Sheet) -> None:
    sheet.update_range("A1:B1", values=[["keep", "old"]])
    sheet.update_range("A1:B1", values=[[None, "new"]])

    assert sheet.values("A1:B1") == [["keep", "new"]]


@pytest.mark.parametrize(
    ("number_format", "value", "expected"),
    [
        ("#,##0", "1234.5", "1,235"),
        ("#,##0.00", "1234.561", "1,234.56"),
        ("0%", "0.125", "13%"),
        ("0.00%", "0.1234", "12.34%"),
        ("0.00E+00", "1010", "1.01E+03"),
        ("0.00E+00", "0.000123", "1.23E-04"),
        ("¥#,##0.00", "1234.56", "¥1,234.56"),
        ("$#,##0", "-1234", "-$1,234"),
        ("yyyy/m/d", "44562", "2022/1/1"),
        ("yyyy年m月d日", "44136", "2020年11月1日"),
        ("yyyy年m月", "44136", "2020年11月"),
        ("hh:mm:ss", "0.5", "12:00:00"),
        ("yyyy/m/d hh:mm:ss", "44562.25", "2022/1/1 06:00:00"),
        ("General", "2.50", "2.5"),
        ("0%", "村", "村"),
    ],
)
def test_display_value_by_number_format(
    sheet: Sheet, number_format: str, value: str, expected: str
) -> None:
    sheet.update_range("A1", number_format=number_format)
    sheet.update_range("A1", values=[[value]])

    assert sheet.display_values("A1") == [[expected]]


def test_unknown_number_format_is_rejected(sheet: Sheet) -> None:
    with pytest.raises(InvalidInputArgs) as caught:
        sheet.update_range("A1", values=[["1"]], number_format="0.000")

    assert caught.value.code == "invalidRequest.inputArgs.invalid"
    assert sheet.values("A1") == [[""]]


def test_read_range_selects_fields(sheet: Sheet) -> None:
    sheet.update_range(
        "A1:B1",
        values=[["1", "x"]],
        properties={"backgroundColors": [["#FF0000", None]], "fontWeights": [["bold", "normal"]]},
    )

    result = sheet.read_range("A1:B1", ["values", "backgroundColors", "fontWeights"])

    assert list(result) == ["values", "backgroundColors", "fontWeights"]
    assert result["values"] == [[1, "x"]]
    assert result["backgroundColors"][0][0] == {
        "red": 255,
        "green": 0,
        "blue": 0,
        "hexString": "#ff0000",
    }
    assert result["backgroundColors"][0][1]["hexString"] == "#ffffff"  # type: ignore[index]
    assert result["fontWeights"] == [["bold", "normal"]]


def test_read_range_rejects_unknown_field(sheet: Sheet) -> None:
    with pytest.raises(InvalidInputArgs, match="Invalid select field: colours"):
        sheet.read_range("A1", ["values", "colours"])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("backgroundColors", "red"),
        ("fontSizes", 0),
        ("fontSizes", True),
        ("fontWeights", "heavy"),
        ("horizontalAlignments", "justify"),
        ("verticalAlignments", "centre"),
        ("hyperlinks", {"type": "mail", "link": "x"}),
        ("borders", "thin"),
    ],
)
def test_bad_property_is_rejected_before_any_write(sheet: Sheet, name: str, value: object) -> None:
    with pytest.raises(InvalidInputArgs):
        sheet.update_range("A1:B1", values=[["a", "b"]], properties={name: [["#000000", value]]})

    assert sheet.values("A1:B1") == [["", ""]]


# Ranges and errors


def test_read_clips_large_range_to_sheet() -> None:
    sheet = Workbook("wb-1").create_sheet("小表", row_count=3, column_count=2)
    sheet.update_range("B3", values=[["x"]])

    assert sheet.values("A1:ZZ99999") == [["", ""], ["", ""], ["", "x"]]
    assert sheet.values("A:A") == [[""], [""], [""]]
    assert sheet.values("3:3") == [["", "x"]]


def test_read_starting_outside_sheet_is_not_found() -> None:
    sheet = Workbook("wb-1").create_sheet("小表", row_count=3, column_count=2)

    with pytest.raises(ResourceNotFound) as caught:
        sheet.values("C1")

    assert caught.value.status == 404
    assert caught.value.code == "invalidRequest.resource.notFound"
    assert "C1" in caught.value.message


def test_write_past_sheet_edge_is_not_found() -> None:
    sheet = Workbook("wb-1").create_sheet("小表", row_count=3, column_count=2)

    with pytest.raises(ResourceNotFound):
        sheet.update_range("A3:A4", values=[["1"], ["2"]])

    assert sheet.values("A3") == [[""]]


@pytest.mark.parametrize(
    "address", ["", "A0", "A01", "1A", "A1:B", "A:3", "Sheet1!A1", "$A$1", "A1:B2:C3"]
)
def test_malformed_address_is_invalid_input(sheet: Sheet, address: str) -> None:
    with pytest.raises(InvalidInputArgs) as caught:
        sheet.values(address)

    assert caught.value.status == 400
    assert caught.value.message == f"Invalid range address: {address}"


def test_whole_column_write_must_cover_every_row() -> None:
    sheet = Workbook("wb-1").create_sheet("小表", row_count=3, column_count=2)

    assert sheet.update_range("B:B", values=[["1"], ["2"], ["3"]]) == "B1:B3"
    with pytest.raises(InvalidInputArgs, match="expected 3 rows, got 2"):
        sheet.update_range("B:B", values=[["1"], ["2"]])


def test_append_to_empty_sheet_starts_at_row_one(sheet: Sheet) -> None:
    assert sheet.append_rows([["区划代码", "村"], ["370783001001", "城里居委会"]]) == "A1:B2"
    assert sheet.last_non_empty_row == 1


def test_append_goes_below_last_non_empty_row(sheet: Sheet) -> None:
    sheet.update_range("C5", values=[["x"]])

    assert sheet.append_rows([["a"], ["b", "c"]]) == "A6:B7"
    assert sheet.values("A6:B7") == [["a", ""], ["b", "c"]]


def test_append_grows_sheet() -> None:
    sheet = Workbook("wb-1").create_sheet("小表", row_count=2, column_count=2)
    sheet.update_range("A2", values=[["x"]])

    assert sheet.append_rows([["1", "2", "3"]]) == "A3:C3"
    assert (sheet.row_count, sheet.column_count) == (3, 3)


@pytest.mark.parametrize("values", [[], [[]], "abc", [["ok"], "bad"], [[{"a": 1}]]])
def test_append_rejects_bad_values(sheet: Sheet, values: object) -> None:
    with pytest.raises(InvalidInputArgs):
        sheet.append_rows(values)  # type: ignore[arg-type]

    assert sheet.last_non_empty_row == -1


def test_insert_and_delete_reject_bad_indexes(sheet: Sheet) -> None:
    with pytest.raises(InvalidInputArgs, match="Invalid row: 101"):
        sheet.insert_rows_before(101, 1)
    with pytest.raises(InvalidInputArgs, match="Invalid rowCount: 0"):
        sheet.insert_rows_before(0, 0)
    with pytest.raises(InvalidInputArgs, match="reach past the last row"):
        sheet.delete_rows(99, 2)
    with pytest.raises(InvalidInputArgs, match="Invalid column: -1"):
        sheet.delete_columns(-1, 1)


def test_size_limit_rejects_write_without_change() -> None:
    workbook = Workbook("wb-1", max_cells=3)
    sheet = workbook.sheet("Sheet1")
    sheet.update_range("A1:B1", values=[["1", "2"]])

    with pytest.raises(DocumentSizeOverLimit) as caught:
        sheet.update_range("A2:B2", values=[["3", "4"]])

    assert caught.value.status == 403
    assert caught.value.code == "forbidden.document.sizeOverLimit"
    assert caught.value.message.startswith("The document size is over limit")
    assert sheet.values("A2:B2") == [["", ""]]
    sheet.update_range("A1:B1", values=[["", "9"]])
    sheet.update_range("A2:B2", values=[["3", "4"]])
    assert workbook.non_empty_cell_count == 3


# Workbook


def test_sheet_lookup_by_id_or_name() -> None:
    workbook = Workbook("wb-1", sheet_names=("圣城街道", "文家街道"))
    first, second = workbook.sheets

    assert workbook.sheet(first.id) is first
    assert workbook.sheet("文家街道") is second
    assert first.id != second.id
    assert first.id.startswith("st-")
    with pytest.raises(ResourceNotFound, match="Sheet not found: 洛城街道"):
        workbook.sheet("洛城街道")


def test_duplicate_sheet_name_is_renamed() -> None:
    workbook = Workbook("wb-1")

    assert workbook.create_sheet("Sheet1").name == "Sheet1 (2)"
    assert workbook.create_sheet("Sheet1").name == "Sheet1 (3)"


def test_last_sheet_cannot_be_deleted() -> None:
    workbook = Workbook("wb-1")

    with pytest.raises(OperationIllegal) as caught:
        workbook.delete_sheet("Sheet1")

    assert caught.value.status == 403
    assert caught.value.code == "forbidden.operationIllegal"
    assert len(workbook.sheets) == 1


def test_update_sheet_checks_before_changing() -> None:
    workbook = Workbook("wb-1", sheet_names=("甲", "乙"))

    with pytest.raises(InvalidInputArgs, match="already exists"):
        workbook.update_sheet("甲", name="乙", visibility="hidden")
    assert workbook.sheet("甲").visibility == "visible"

    workbook.update_sheet("甲", visibility="hidden", frozen_row_count=1)
    assert workbook.sheet("甲").frozen_row_count == 1
    with pytest.raises(OperationIllegal, match="at least one visible sheet"):
        workbook.update_sheet("乙", visibility="hidden")


def test_every_error_carries_status_code_and_message() -> None:
    for error in (
        InvalidInputArgs("x"),
        ResourceNotFound("x"),
        OperationIllegal("x"),
        DocumentSizeOverLimit(),
    ):
        assert isinstance(error, SheetError)
        assert error.status in (400, 403, 404)
        assert error.code
        assert error.message


# The fake's parser against the client's


ADDRESS_TEXT = st.text(alphabet="ABCXYZabz0123456789:!$ ", max_size=12)


@given(ADDRESS_TEXT)
def test_fake_parser_agrees_with_client(text: str) -> None:
    try:
        client = parse_range(text)
    except ValueError:
        client = None
    try:
        fake: GridRange | None = parse_address(text)
    except InvalidInputArgs:
        fake = None

    if client is not None:
        assert fake == GridRange(client.top, client.left, client.bottom, client.right)
        assert format_address(fake) == str(client)
    if fake is None:
        assert client is None
