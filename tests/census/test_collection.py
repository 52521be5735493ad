"""Tests for the collection workflow against the fake: create, fill, read, validate, total, remind."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import httpx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from censusdt import AsyncDingTalk, DingTalk
from censusdt.api.a1 import cell_address
from censusdt.api.sheets import MAX_RANGE_CELLS
from censusdt.census._async.collection import collect_table as async_collect_table
from censusdt.census._async.collection import create_table as async_create_table
from censusdt.census._sync.collection import (
    CollectionTable,
    collect_form,
    collect_table,
    create_table,
    export_result,
    minimum_read_calls,
    read_table,
    remind,
)
from censusdt.census.collect.records import Village
from censusdt.census.collect.template import Column, TableTemplate
from censusdt.census.collect.validate import ViolationKind
from censusdt.census.collect.values import ColumnType
from censusdt.census.notices import NoticeState
from censusdt.census.rehearsal import Rehearsal
from censusdt.census.stages import forms as forms_stage
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.forms import FormsState
from censusdt_fake.models.messaging import MessagingState
from censusdt_fake.sheets import fill_row, state_of

RANGE_PATH = "/v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}/ranges/{rangeAddress}"
SHEET_PATH = "/v1.0/doc/workbooks/{workbookId}/sheets/{sheetId}"
TOWNS = {"001": "圣城街道", "003": "文家街道", "100": "侯镇"}
VILLAGES = tuple(
    Village(f"370783{town}{number:03d}", name, f"{name}{number}村")
    for town, name in TOWNS.items()
    for number in range(201, 205)
)
TEMPLATE = TableTemplate.build(
    "摸底进度",
    [
        Column("计划户数", ColumnType.INTEGER, required=True, unit="户"),
        Column("户数", ColumnType.INTEGER, required=True, unit="户"),
        Column("人数", ColumnType.INTEGER, required=True, unit="人"),
        Column("完成率", ColumnType.PERCENT, total_formula="户数 / 计划户数"),
        Column("开始日期", ColumnType.DATE),
    ],
    ["户数 ≤ 计划户数"],
)


def _owner(fake: FakeDingTalk) -> User:
    return fake.default_corp.ext(ContactsState).create_user(
        name="王主任", mobile="13800000001", dept_id_list=[1]
    )


def _client(fake: FakeDingTalk) -> DingTalk:
    app = fake.default_app
    return DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    )


@pytest.fixture
def setup(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> CollectionTable:
    owner = _owner(dingtalk_fake)
    return create_table(dingtalk, TEMPLATE, VILLAGES, operator_id=owner.unionid)


def _fill(fake: FakeDingTalk, table: CollectionTable, code: str, **values: object) -> None:
    headers = {column.name: column.header() for column in TEMPLATE.columns}
    fill_row(
        fake.default_corp,
        table.workbook_id,
        sheet=table.sheets[0].name,
        key=code,
        values={headers[name]: value for name, value in values.items()},
    )


def _address(table: CollectionTable, village: Village, column: str) -> str:
    row = 1 + sorted(VILLAGES).index(village)
    header = TEMPLATE.header.index(TEMPLATE.column(column).header())
    return f"{table.sheets[0].name}!{cell_address(row, header)}"


def test_created_sheet_is_prefilled_by_town(
    setup: CollectionTable, dingtalk_fake: FakeDingTalk
) -> None:
    workbook = state_of(dingtalk_fake.default_corp).workbook(setup.workbook_id)
    sheet = workbook.sheet(setup.sheets[0].name)
    grid = sheet.values(f"A1:C{len(VILLAGES) + 1}")

    assert [item.name for item in workbook.sheets] == ["摸底进度"]
    assert grid[0] == ["区划代码", "乡镇", "村"]
    assert [str(row[0]) for row in grid[1:]] == [village.code for village in sorted(VILLAGES)]
    assert [row[1] for row in grid[1:]] == [village.town for village in sorted(VILLAGES)]


def test_editors_can_fill_the_sheet(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _owner(dingtalk_fake)
    editor = dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="李村长", mobile="13800000002", dept_id_list=[1]
    )
    table = create_table(
        dingtalk, TEMPLATE, VILLAGES, operator_id=owner.unionid, editors=[editor.unionid]
    )

    written = dingtalk.sheets.update_range(
        table.workbook_id, table.sheets[0].name, "D2:F2", [[100, 80, 240]],
        operator_id=editor.unionid,
    )  # fmt: skip

    assert written == "D2:F2"


@settings(max_examples=15)
@given(
    fills=st.lists(
        st.one_of(
            st.none(),
            st.tuples(st.integers(1, 500), st.integers(0, 500), st.integers(0, 3000)),
        ),
        min_size=len(VILLAGES),
        max_size=len(VILLAGES),
    )
)
def test_totals_equal_direct_sum_over_grid(fills: list[tuple[int, int, int] | None]) -> None:
    fake = FakeDingTalk()
    owner = _owner(fake)
    with _client(fake) as client:
        table = create_table(client, TEMPLATE, VILLAGES, operator_id=owner.unionid)
        for village, fill in zip(sorted(VILLAGES), fills, strict=True):
            if fill is not None:
                plan, done, persons = fill
                _fill(fake, table, village.code, 计划户数=plan, 户数=done, 人数=persons)
        result = collect_table(client, table)

    sheet = state_of(fake.default_corp).workbook(table.workbook_id).sheet(table.sheets[0].name)
    grid = sheet.values(f"A2:F{len(VILLAGES) + 1}")
    expected: dict[str, dict[str, Decimal]] = {}
    submitted: dict[str, int] = {}
    for row in grid:
        town = str(row[1])
        sums = expected.setdefault(town, {"计划户数": Decimal(0), "户数": Decimal(0)})
        if row[3] != "":
            submitted[town] = submitted.get(town, 0) + 1
            sums["计划户数"] += Decimal(row[3])
            sums["户数"] += Decimal(row[4])

    for town, sums in expected.items():
        group = result.summary.group(town)
        assert group.totals["计划户数"] == sums["计划户数"]
        assert group.totals["户数"] == sums["户数"]
        assert group.submitted == submitted.get(town, 0)
    county_plan = sum(sums["计划户数"] for sums in expected.values())
    assert result.summary.county.totals["计划户数"] == county_plan
    assert len(result.summary.not_submitted) == fills.count(None)


def test_every_violation_kind_has_its_cell(
    setup: CollectionTable, dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    ordered = sorted(VILLAGES)
    good = {"计划户数": 100, "户数": 50, "人数": 150}
    _fill(dingtalk_fake, setup, ordered[0].code, **good, 开始日期="2020年10月11日")
    _fill(dingtalk_fake, setup, ordered[1].code, **{**good, "户数": "五十"})
    _fill(dingtalk_fake, setup, ordered[2].code, **{**good, "人数": "150.5"})
    _fill(dingtalk_fake, setup, ordered[3].code, **good, 完成率="很高%")
    _fill(dingtalk_fake, setup, ordered[4].code, **good, 开始日期="2020年13月45日")
    _fill(dingtalk_fake, setup, ordered[5].code, **{**good, "户数": 120})
    _fill(dingtalk_fake, setup, ordered[6].code, 计划户数=100)
    sheet_name = setup.sheets[0].name
    # A village's person overwrites the pre-filled codes of two rows.
    dingtalk.sheets.update_range(
        setup.workbook_id, sheet_name, "A9:A10", [["3707830012x"], [ordered[9].code]],
        operator_id=setup.operator_id,
    )  # fmt: skip
    dingtalk.sheets.update_range(
        setup.workbook_id, sheet_name, "A12:C12", [["370783999201", "侯镇", "新村"]],
        operator_id=setup.operator_id,
    )  # fmt: skip

    result = collect_table(dingtalk, setup)
    found = {(item.kind, item.location) for item in result.violations}

    assert (ViolationKind.NOT_A_NUMBER, _address(setup, ordered[1], "户数")) in found
    assert (ViolationKind.NOT_AN_INTEGER, _address(setup, ordered[2], "人数")) in found
    assert (ViolationKind.INVALID_PERCENT, _address(setup, ordered[3], "完成率")) in found
    assert (ViolationKind.INVALID_DATE, _address(setup, ordered[4], "开始日期")) in found
    assert (ViolationKind.RULE, _address(setup, ordered[5], "户数")) in found
    assert (ViolationKind.MISSING, _address(setup, ordered[6], "户数")) in found
    assert (ViolationKind.MISSING, _address(setup, ordered[6], "人数")) in found
    assert (ViolationKind.NOT_SUBMITTED, _address(setup, ordered[11], "计划户数")) in found
    assert (ViolationKind.INVALID_CODE, f"{sheet_name}!A9") in found
    assert (ViolationKind.DUPLICATE, f"{sheet_name}!A10") in found
    assert (ViolationKind.UNKNOWN_VILLAGE, f"{sheet_name}!A12") in found
    assert not any(item.village.code == ordered[0].code for item in result.violations)


def test_reads_use_minimum_calls(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _owner(dingtalk_fake)
    many = [
        Village(f"370783{town:03d}{number:03d}", f"镇{town}", f"村{number}")
        for town in range(1, 11)
        for number in range(201, 201 + 700)
    ]
    table = create_table(dingtalk, TEMPLATE, many, operator_id=owner.unionid)

    read = read_table(dingtalk, table)

    cells = (len(many) + 1) * len(TEMPLATE.header)
    assert read.calls == len(dingtalk_fake.calls(RANGE_PATH))
    sheet_reads = [entry for entry in dingtalk_fake.calls(SHEET_PATH) if entry.method == "GET"]
    assert read.sheet_calls == len(sheet_reads) == 1
    assert read.calls == -(-cells // MAX_RANGE_CELLS)
    assert read.minimum_calls == minimum_read_calls(table)
    assert len(read.records) == len(many)


def test_rows_added_below_are_read(
    setup: CollectionTable, dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    added = Village("370783100299", "侯镇", "新建村")
    dingtalk.sheets.append_rows(
        setup.workbook_id,
        setup.sheets[0].name,
        [[added.code, added.town, added.name, 10, 5, 15]],
        operator_id=setup.operator_id,
    )

    result = collect_table(dingtalk, setup)

    last_row = len(VILLAGES) + 2
    assert (ViolationKind.UNKNOWN_VILLAGE, f"{setup.sheets[0].name}!A{last_row}") in {
        (item.kind, item.location) for item in result.violations
    }
    assert result.summary.group("侯镇").totals["户数"] == 5


def test_sheet_per_town_layout(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _owner(dingtalk_fake)
    template = TableTemplate.build(
        "分镇进度",
        [Column("户数", ColumnType.INTEGER, required=True)],
        layout=TEMPLATE.layout.SHEET_PER_TOWN,
    )
    table = create_table(dingtalk, template, VILLAGES, operator_id=owner.unionid)
    fill_row(
        dingtalk_fake.default_corp,
        table.workbook_id,
        sheet="侯镇",
        key=VILLAGES[-1].code,
        values={"户数": 9},
    )

    result = collect_table(dingtalk, table)

    assert [sheet.name for sheet in table.sheets] == sorted(
        TOWNS.values(), key=list(TOWNS.values()).index
    )
    assert result.summary.group("侯镇").totals["户数"] == 9
    assert result.summary.county.submitted == 1


def test_control_route_fill_then_collect(
    setup: CollectionTable, dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    with httpx.Client(transport=dingtalk_fake.transport(), base_url="http://fake") as http:
        response = http.post(
            f"/__fake__/sheets/{setup.workbook_id}/fill",
            json={"key": VILLAGES[0].code, "values": {"户数（户）": "7", "计划户数（户）": "8"}},
        )

    result = collect_table(dingtalk, setup)

    assert response.status_code == 200
    assert result.summary.county.totals["户数"] == 7
    assert [item.village.code for item in result.summary.unfinished] == [VILLAGES[0].code]


def test_forms_give_same_totals_as_sheet(
    setup: CollectionTable, dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    forms = dingtalk_fake.default_corp.ext(FormsState)
    form = forms.add_form(
        "摸底日报",
        creator="office",
        labels=["区划代码", "计划户数", "户数", "人数"],
        now_ms=dingtalk_fake.clock.now_ms(),
    )
    rng = random.Random(7)
    for village in VILLAGES[:9]:
        values = {"计划户数": rng.randint(10, 99), "户数": rng.randint(0, 9), "人数": 30}
        _fill(dingtalk_fake, setup, village.code, **values)
        forms.submit(
            form.form_code,
            user_id=f"u{village.code}",
            user_name=village.name,
            values={"区划代码": village.code, **values},
            now_ms=dingtalk_fake.clock.now_ms(),
        )

    from_sheet = collect_table(dingtalk, setup)
    from_form = collect_form(dingtalk, form.form_code, TEMPLATE, VILLAGES)

    assert from_form.summary.county.totals == from_sheet.summary.county.totals
    assert from_form.summary.groups == from_sheet.summary.groups
    assert from_form.calls == 1
    assert {item.code for item in from_form.summary.not_submitted} == {
        item.code for item in VILLAGES[9:]
    }


def test_remind_sends_to_people_of_villages_behind(
    setup: CollectionTable, dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    contacts = dingtalk_fake.default_corp.ext(ContactsState)
    people = {
        village.code: [
            contacts.create_user(
                name=village.name, mobile=f"1390000{index:04d}", dept_id_list=[1]
            ).userid
        ]
        for index, village in enumerate(VILLAGES)
    }
    _fill(dingtalk_fake, setup, VILLAGES[0].code, 计划户数=1, 户数=1, 人数=1)
    result = collect_table(dingtalk, setup)

    reminder = remind(
        dingtalk,
        TEMPLATE.name,
        result.behind,
        people,
        agent_id=dingtalk_fake.default_app.agent_id,
    )

    notices = dingtalk_fake.default_corp.ext(MessagingState).notices
    assert reminder.task_id in notices
    assert set(notices[reminder.task_id].deliveries) == {
        people[village.code][0] for village in VILLAGES[1:]
    }
    assert "摸底进度" in notices[reminder.task_id].msg["text"]["content"]
    assert reminder.broadcast is not None
    status = reminder.broadcast.status()
    assert set(status.userids(NoticeState.UNREAD)) == set(reminder.userids)


@pytest.mark.anyio
async def test_async_create_and_collect(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _owner(dingtalk_fake)
    table = await async_create_table(async_dingtalk, TEMPLATE, VILLAGES, operator_id=owner.unionid)
    _fill(dingtalk_fake, table, VILLAGES[2].code, 计划户数=10, 户数=4, 人数=12)

    result = await async_collect_table(async_dingtalk, table)

    assert result.summary.county.totals["户数"] == 4
    assert result.summary.county.totals["完成率"] == Decimal("0.4")
    assert len(result.summary.not_submitted) == len(VILLAGES) - 1


def test_export_has_three_sheets(
    setup: CollectionTable, dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, tmp_path: Path
) -> None:
    _fill(dingtalk_fake, setup, VILLAGES[0].code, 计划户数=10, 户数=20, 人数=30)
    result = collect_table(dingtalk, setup)

    path = export_result(tmp_path / "汇总.xlsx", TEMPLATE, result, VILLAGES)
    english = export_result(tmp_path / "summary.xlsx", TEMPLATE, result, VILLAGES, lang="en")

    assert openpyxl.load_workbook(path).sheetnames == ["原始数据", "校验问题", "汇总"]
    assert openpyxl.load_workbook(english).sheetnames == ["Raw data", "Violations", "Summary"]


def test_forms_stage_reports_by_town(tmp_path: Path) -> None:
    fake = FakeDingTalk(seed=3)
    app = fake.default_app
    console = Console(record=True, width=160)
    with _client(fake) as client:
        rehearsal = Rehearsal(
            fake=fake,
            client=client,
            async_client=lambda: AsyncDingTalk(app.app_key, app.app_secret),
            county_code="370783",
            seed=3,
            workdir=tmp_path,
            console=console,
            real_limits=False,
        )
        forms_stage.run(rehearsal)

    output = console.export_text()
    stage_result = rehearsal.results["forms"]
    result = stage_result["result"]
    assert "寿光市摸底进度（按乡镇）" in output
    assert "圣城街道" in output
    assert result.violations
    assert {village.code for village in stage_result["late"]} <= {
        village.code for village in result.summary.not_submitted
    }
    assert stage_result["reminder"].task_id is not None
    still_missing = {village.code for village in stage_result["second"].summary.not_submitted}
    assert stage_result["caught_up"]
    assert not still_missing & {village.code for village in stage_result["caught_up"]}
    assert stage_result["export"].exists()
    assert stage_result["form_result"].summary.county.totals == result.summary.county.totals
