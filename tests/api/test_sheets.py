"""Tests for the online-sheet calls against the fake, sync and async."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.a1 import CellRange
from censusdt.api.sheets import MAX_RANGE_CELLS, DocMember, check_values, plan_row_reads
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.contacts import ContactsState, User


def _user(fake: FakeDingTalk, name: str, mobile: str) -> User:
    return fake.default_corp.ext(ContactsState).create_user(
        name=name, mobile=mobile, dept_id_list=[1]
    )


def _workbook(client: DingTalk, owner: User) -> str:
    workspace = client.sheets.create_workspace("人口普查", operator_id=owner.unionid)
    document = client.sheets.create_workbook(
        workspace.workspace_id, "摸底进度", operator_id=owner.unionid
    )
    return document.node_id


def test_update_then_get_range_roundtrip(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    workbook_id = _workbook(dingtalk, owner)

    written = dingtalk.sheets.update_range(
        workbook_id,
        "Sheet1",
        "B2:C3",
        [["东城村", 120], ["西城村", 85.5]],
        operator_id=owner.unionid,
    )
    read = dingtalk.sheets.get_range(
        workbook_id, "Sheet1", "B2:C3", operator_id=owner.unionid, select=("values", "formulas")
    )

    assert written == "B2:C3"
    assert read.values == [["东城村", 120], ["西城村", 85.5]]
    assert read.formulas == [["东城村", "120"], ["西城村", "85.5"]]
    assert read.range == CellRange.rectangle(1, 1, 2, 2)


def test_display_values_follow_number_format(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    workbook_id = _workbook(dingtalk, owner)

    dingtalk.sheets.update_range(
        workbook_id, "Sheet1", "A1", [[0.853]], operator_id=owner.unionid, number_format="0.00%"
    )
    shown = dingtalk.sheets.get_display_values(
        workbook_id, "Sheet1", "A1", operator_id=owner.unionid
    )

    assert shown == [["85.30%"]]


def test_sheets_create_list_get(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    workbook_id = _workbook(dingtalk, owner)

    created = dingtalk.sheets.create_sheet(workbook_id, "文家街道", operator_id=owner.unionid)
    duplicate = dingtalk.sheets.create_sheet(workbook_id, "文家街道", operator_id=owner.unionid)
    listed = dingtalk.sheets.list_sheets(workbook_id, operator_id=owner.unionid)
    by_name = dingtalk.sheets.get_sheet(workbook_id, "文家街道", operator_id=owner.unionid)

    assert [sheet.name for sheet in listed] == ["Sheet1", "文家街道", duplicate.name]
    assert duplicate.name != "文家街道"
    assert by_name.id == created.id
    assert by_name.last_non_empty_row == -1


def test_append_and_insert_delete_rows(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    workbook_id = _workbook(dingtalk, owner)
    sheets = dingtalk.sheets

    first = sheets.append_rows(
        workbook_id, "Sheet1", [["a", 1], ["b", 2]], operator_id=owner.unionid
    )
    second = sheets.append_rows(workbook_id, "Sheet1", [["c", 3]], operator_id=owner.unionid)
    sheets.insert_rows(workbook_id, "Sheet1", 1, 2, operator_id=owner.unionid)
    sheets.delete_rows(workbook_id, "Sheet1", 0, 1, operator_id=owner.unionid)
    sheets.insert_columns(workbook_id, "Sheet1", 0, 1, operator_id=owner.unionid)
    sheets.delete_columns(workbook_id, "Sheet1", 2, 1, operator_id=owner.unionid)
    values = sheets.get_range(workbook_id, "Sheet1", "A1:B4", operator_id=owner.unionid).values

    assert first == "A1:B2"
    assert second == "A3:B3"
    assert values == [["", ""], ["", ""], ["", "b"], ["", "c"]]


def test_shape_mismatch_refused_before_sending(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    workbook_id = _workbook(dingtalk, owner)
    calls_before = len(dingtalk_fake.calls())

    with pytest.raises(ValidationError) as raised:
        dingtalk.sheets.update_range(
            workbook_id, "Sheet1", "A1:C2", [["1", "2"], ["3", "4"]], operator_id=owner.unionid
        )

    message = str(raised.value)
    assert "A1:C2" in message
    assert "2x2" in message
    assert "2x3" in message
    assert len(dingtalk_fake.calls()) == calls_before


def test_ragged_matrix_names_bad_row() -> None:
    with pytest.raises(ValidationError) as raised:
        check_values("A1:B3", [["1", "2"], ["3"], ["5", "6"]])

    assert raised.value.errors[0].field == "values"
    assert "values[1]" in raised.value.errors[0].reason


def test_over_limit_matrix_refused() -> None:
    rows = MAX_RANGE_CELLS // 10 + 1

    with pytest.raises(ValidationError) as raised:
        check_values(f"A1:J{rows}", [["0"] * 10] * rows)

    assert str(MAX_RANGE_CELLS) in raised.value.errors[0].reason


def test_plan_row_reads_is_minimal() -> None:
    ranges = plan_row_reads(1, 7040, 30, max_cells=40_000)

    rows_per_call = 40_000 // 30
    assert len(ranges) == -(-7040 // rows_per_call)
    assert ranges[0].top == 1
    assert ranges[-1].bottom == 7040
    assert all((item.row_count or 0) * 30 <= 40_000 for item in ranges)
    assert sum(item.row_count or 0 for item in ranges) == 7040


def test_editor_member_can_write_stranger_cannot(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    editor = _user(dingtalk_fake, "李村长", "13800000002")
    stranger = _user(dingtalk_fake, "赵某", "13800000003")
    workspace = dingtalk.sheets.create_workspace("人口普查", operator_id=owner.unionid)
    document = dingtalk.sheets.create_workbook(
        workspace.workspace_id, "摸底进度", operator_id=owner.unionid
    )
    dingtalk.sheets.add_members(
        workspace.workspace_id,
        document.node_id,
        [DocMember(editor.unionid, "USER", "EDITOR")],
        operator_id=owner.unionid,
    )

    dingtalk.sheets.update_range(
        document.node_id, "Sheet1", "A1", [["ok"]], operator_id=editor.unionid
    )
    with pytest.raises(APIError) as raised:
        dingtalk.sheets.update_range(
            document.node_id, "Sheet1", "A1", [["no"]], operator_id=stranger.unionid
        )

    assert raised.value.status == 403
    assert raised.value.code == "forbidden.accessDenied"
    assert raised.value.message == "The operator has no permission."


def test_bad_member_role_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        DingTalk("key", "secret").sheets.add_members(
            "ws", "node", [DocMember("u1", "USER", "OWNER")], operator_id="u0"
        )

    assert raised.value.errors[0].field == "members[0].role_type"


@pytest.mark.anyio
async def test_async_update_and_read(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    sheets = async_dingtalk.sheets
    workspace = await sheets.create_workspace("人口普查", operator_id=owner.unionid)
    document = await sheets.create_workbook(
        workspace.workspace_id, "摸底进度", operator_id=owner.unionid
    )

    await sheets.update_range(
        document.node_id, "Sheet1", "A1:B1", [["户数", "人数"]], operator_id=owner.unionid
    )
    read = await sheets.get_range(document.node_id, "Sheet1", "A1:B1", operator_id=owner.unionid)

    assert read.values == [["户数", "人数"]]
    with pytest.raises(ValidationError):
        await sheets.update_range(
            document.node_id, "Sheet1", "A1:B1", [["户数"]], operator_id=owner.unionid
        )


@given(
    rows=st.integers(1, 6),
    columns=st.integers(1, 6),
    extra_rows=st.integers(-1, 1),
    extra_columns=st.integers(-1, 1),
)
def test_check_values_accepts_only_range_shape(
    rows: int, columns: int, extra_rows: int, extra_columns: int
) -> None:
    cell_range = CellRange.rectangle(2, 1, 2 + rows - 1, 1 + columns - 1)
    matrix_rows = max(1, rows + extra_rows)
    matrix_columns = max(1, columns + extra_columns)
    matrix = [["x"] * matrix_columns for _ in range(matrix_rows)]

    if (matrix_rows, matrix_columns) == (rows, columns):
        assert check_values(cell_range, matrix) == cell_range
    else:
        with pytest.raises(ValidationError) as raised:
            check_values(cell_range, matrix)
        reason = raised.value.errors[0].reason
        assert str(cell_range) in reason
        assert f"{rows}x{columns}" in reason


@given(
    first=st.integers(0, 50),
    count=st.integers(0, 5000),
    columns=st.integers(1, 200),
    max_cells=st.integers(1, 50_000),
)
def test_plan_row_reads_covers_rows_once(
    first: int, count: int, columns: int, max_cells: int
) -> None:
    ranges = plan_row_reads(first, first + count - 1, columns, max_cells=max_cells)

    covered = [row for item in ranges for row in range(item.top or 0, (item.bottom or 0) + 1)]
    rows_per_call = max(1, max_cells // columns)
    assert covered == list(range(first, first + count))
    assert len(ranges) == -(-count // rows_per_call)
    assert all(item.left == 0 and item.right == columns - 1 for item in ranges)
