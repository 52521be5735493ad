"""``censusdt forms`` against the fake over real HTTP: create, collect, aggregate, remind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from censusdt.census.divisions import Division, DivisionLevel
from censusdt.cli import cli
from censusdt.cli._i18n import set_language
from censusdt_fake import FakeDingTalk, FakeServer
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.forms import FormsState
from censusdt_fake.models.messaging import MessagingState
from censusdt_fake.sheets import fill_row

COUNTY = "370772000000"
TOWN = "370772004000"
VILLAGE_CODES = ("370772004200", "370772004201", "370772004203")


@pytest.fixture(autouse=True)
def chinese_output() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def divisions_file(tmp_path: Path) -> Path:
    rows = [
        Division(COUNTY, DivisionLevel.COUNTY, "滨海区", "370700000000"),
        Division(TOWN, DivisionLevel.TOWN, "央子街道", COUNTY),
        Division(VILLAGE_CODES[0], DivisionLevel.VILLAGE, "崔家央子村委会", TOWN),
        Division(VILLAGE_CODES[1], DivisionLevel.VILLAGE, "新立村委会", TOWN),
        Division(VILLAGE_CODES[2], DivisionLevel.VILLAGE, "丰台农业村委会", TOWN),
    ]
    path = tmp_path / "divisions.csv"
    lines = [f"{row.code},{row.level.value},{row.name},{row.parent_code}\n" for row in rows]
    path.write_text("code,level,name,parent_code\n" + "".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def owner(dingtalk_fake: FakeDingTalk) -> User:
    return dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="王主任", mobile="13800000001", dept_id_list=[1]
    )


def _connection(server: FakeServer, fake: FakeDingTalk) -> list[str]:
    app = fake.default_app
    return ["--app-key", app.app_key, "--app-secret", app.app_secret, "--base-url", server.url]


def _create(
    server: FakeServer, fake: FakeDingTalk, owner: User, divisions: Path, state: Path
) -> dict[str, object]:
    result = CliRunner().invoke(
        cli,
        [
            "forms",
            "create",
            "--county",
            "370772",
            "--divisions",
            str(divisions),
            "--operator",
            owner.unionid,
            "--state",
            str(state),
            *_connection(server, fake),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "已创建在线表格" in result.output
    saved: dict[str, object] = json.loads(state.read_text(encoding="utf-8"))
    return saved


def _fill(fake: FakeDingTalk, workbook_id: str, code: str, planned: int, listed: int) -> None:
    fill_row(
        fake.default_corp,
        workbook_id,
        sheet="摸底进度日报",
        key=code,
        values={
            "应摸底户数（户）": planned,
            "户数（户）": listed,
            "人数（人）": listed * 3,
            "完成率": f"{listed / planned:.1%}",
        },
    )


def test_create_collect_and_export(
    dingtalk_server: FakeServer,
    dingtalk_fake: FakeDingTalk,
    owner: User,
    divisions_file: Path,
    tmp_path: Path,
) -> None:
    state = tmp_path / "收集表.json"
    saved = _create(dingtalk_server, dingtalk_fake, owner, divisions_file, state)
    workbook_id = str(saved["workbook_id"])
    _fill(dingtalk_fake, workbook_id, VILLAGE_CODES[0], 200, 100)
    _fill(dingtalk_fake, workbook_id, VILLAGE_CODES[1], 100, 150)
    output = tmp_path / "汇总.xlsx"

    result = CliRunner().invoke(
        cli,
        [
            "forms",
            "collect",
            "--state",
            str(state),
            "--output",
            str(output),
            *_connection(dingtalk_server, dingtalk_fake),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "央子街道" in result.output
    assert "250" in result.output
    assert "不满足规则" in result.output
    assert "丰台农业村委会" in result.output
    assert openpyxl.load_workbook(output).sheetnames == ["原始数据", "校验问题", "汇总"]


def test_collect_in_english(
    dingtalk_server: FakeServer,
    dingtalk_fake: FakeDingTalk,
    owner: User,
    divisions_file: Path,
    tmp_path: Path,
) -> None:
    state = tmp_path / "table.json"
    _create(dingtalk_server, dingtalk_fake, owner, divisions_file, state)

    result = CliRunner().invoke(
        cli,
        [
            "--lang",
            "en",
            "forms",
            "collect",
            "--state",
            str(state),
            *_connection(dingtalk_server, dingtalk_fake),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "3 villages not submitted" in result.output


def test_aggregate_smart_form(
    dingtalk_server: FakeServer, dingtalk_fake: FakeDingTalk, divisions_file: Path
) -> None:
    forms = dingtalk_fake.default_corp.ext(FormsState)
    form = forms.add_form(
        "摸底进度日报",
        creator="office",
        labels=["区划代码", "应摸底户数", "户数", "人数", "完成率"],
        now_ms=0,
    )
    for code, listed in zip(VILLAGE_CODES, (40, 60, 20), strict=True):
        forms.submit(
            form.form_code,
            user_id=f"u{code}",
            user_name=code,
            values={"区划代码": code, "应摸底户数": 100, "户数": listed, "人数": listed * 3,
                    "完成率": f"{listed}%"},
            now_ms=0,
        )  # fmt: skip

    result = CliRunner().invoke(
        cli,
        [
            "forms",
            "aggregate",
            "--form",
            form.form_code,
            "--county",
            "370772",
            "--divisions",
            str(divisions_file),
            *_connection(dingtalk_server, dingtalk_fake),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "300" in result.output
    assert "120" in result.output
    assert "40.0%" in result.output
    assert "未报 0 个村" in result.output


def test_aggregate_needs_one_source(divisions_file: Path) -> None:
    result = CliRunner().invoke(
        cli, ["forms", "aggregate", "--county", "370772", "--divisions", str(divisions_file)]
    )

    assert result.exit_code == 2
    assert "--form" in result.output


def test_create_without_county_fails(owner: User) -> None:
    result = CliRunner().invoke(
        cli,
        ["forms", "create", "--operator", owner.unionid, "--app-key", "k", "--app-secret", "s"],
    )

    assert result.exit_code == 2
    assert "--county" in result.output


def test_remind_notifies_people_behind(
    dingtalk_server: FakeServer,
    dingtalk_fake: FakeDingTalk,
    owner: User,
    divisions_file: Path,
    tmp_path: Path,
) -> None:
    state = tmp_path / "table.json"
    saved = _create(dingtalk_server, dingtalk_fake, owner, divisions_file, state)
    _fill(dingtalk_fake, str(saved["workbook_id"]), VILLAGE_CODES[0], 100, 50)
    contacts = dingtalk_fake.default_corp.ext(ContactsState)
    clerks = [
        contacts.create_user(name=f"填报员{index}", mobile=f"1390000000{index}", dept_id_list=[1])
        for index in range(3)
    ]
    people = tmp_path / "people.csv"
    people.write_text(
        "区划代码,userid\n"
        + "".join(
            f"{code},{clerk.userid}\n" for code, clerk in zip(VILLAGE_CODES, clerks, strict=True)
        ),
        encoding="utf-8-sig",
    )

    result = CliRunner().invoke(
        cli,
        [
            "forms",
            "remind",
            "--state",
            str(state),
            "--people",
            str(people),
            "--agent-id",
            str(dingtalk_fake.default_app.agent_id),
            *_connection(dingtalk_server, dingtalk_fake),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "已提醒 2 人" in result.output
    notices = list(dingtalk_fake.default_corp.ext(MessagingState).notices.values())
    assert len(notices) == 1
    assert set(notices[0].deliveries) == {clerks[1].userid, clerks[2].userid}
