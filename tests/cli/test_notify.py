"""``censusdt notify send|status|remind`` against the fake over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from censusdt.census.audience import ContactsSnapshot, Dept, Tag
from censusdt.cli import cli
from censusdt.cli._i18n import set_language
from censusdt.cli.notify import build_audience
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff, read_notice
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.robot import RobotState


@pytest.fixture(autouse=True)
def chinese_output() -> Any:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture(autouse=True)
def in_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the default send log (.censusdt-sent.json in the working folder) out of the repository."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def county(dingtalk_fake: FakeDingTalk, tmp_path: Path) -> Path:
    """Two towns, each with a supervisor and three enumerators; returns a snapshot file."""
    contacts = dingtalk_fake.default_corp.ext(ContactsState)
    for town_number, town_name in enumerate(["圣城街道", "古城街道"]):
        town = contacts.create_department(town_name, 1)
        for position in range(4):
            tag = "普查指导员" if position == 0 else "普查员"
            add_staff(
                dingtalk_fake,
                f"t{town_number}p{position}",
                f"员工{town_number}{position}",
                [town.dept_id],
                roles=[tag],
            )
    path = tmp_path / "snapshot.json"
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    path.write_text(json.dumps(snapshot.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def _connection(server: Any, fake: FakeDingTalk) -> list[str]:
    app = fake.default_app
    return [
        "--app-key",
        app.app_key,
        "--app-secret",
        app.app_secret,
        "--base-url",
        server.url,
    ]


def _send(server: Any, fake: FakeDingTalk, county: Path, tmp_path: Path, *extra: str) -> Any:
    args = [
        "notify",
        "send",
        *_connection(server, fake),
        "--agent-id",
        str(fake.default_app.agent_id),
        "--snapshot",
        str(county),
        "--send-log",
        str(tmp_path / "log.json"),
        "--save",
        str(tmp_path / "notice.json"),
        *extra,
    ]
    return CliRunner().invoke(cli, args)


def test_build_audience_intersects_kinds_and_unions_within() -> None:
    audience = build_audience(
        tags=("普查指导员", "普查员"),
        depts=("圣城街道",),
        dept_only=(),
        users=("x",),
        exclude_tags=("普查员",),
    )
    assert audience == (
        ((Tag("普查指导员") | Tag("普查员")) & Dept("圣城街道")) | _people("x")
    ) - Tag("普查员")


def _people(*userids: str) -> Any:
    from censusdt.census.audience import People

    return People(*userids)


def test_send_status_remind(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    result = _send(
        dingtalk_server,
        dingtalk_fake,
        county,
        tmp_path,
        "--tag",
        "普查员",
        "--dept",
        "圣城街道",
        "--text",
        "明天入户",
        "--explain",
    )
    assert result.exit_code == 0, result.output
    assert "共 3 人" in result.output
    assert "标签「普查员」，且部门「圣城街道」成员" in result.output
    handle = json.loads((tmp_path / "notice.json").read_text(encoding="utf-8"))
    assert sorted(u for part in handle["parts"] for u in part["userids"]) == [
        "t0p1",
        "t0p2",
        "t0p3",
    ]

    read_notice(dingtalk_fake, "t0p2")
    export = tmp_path / "status.xlsx"
    status = CliRunner().invoke(
        cli,
        [
            "notify",
            "status",
            *_connection(dingtalk_server, dingtalk_fake),
            str(tmp_path / "notice.json"),
            "--export",
            str(export),
        ],
    )
    assert status.exit_code == 0, status.output
    assert "已读" in status.output
    assert "未读" in status.output
    rows = list(load_workbook(export).active.iter_rows(values_only=True))[1:]
    assert {(row[0], row[2]) for row in rows} == {
        ("t0p1", "未读"),
        ("t0p2", "已读"),
        ("t0p3", "未读"),
    }

    remind = CliRunner().invoke(
        cli,
        [
            "notify",
            "remind",
            *_connection(dingtalk_server, dingtalk_fake),
            str(tmp_path / "notice.json"),
        ],
    )
    assert remind.exit_code == 0, remind.output
    assert "提醒 2 名未读人员" in remind.output
    [ding] = dingtalk_fake.default_corp.ext(RobotState).dings.values()
    assert sorted(ding.deliveries) == ["t0p1", "t0p3"]
    saved = json.loads((tmp_path / "notice.json").read_text(encoding="utf-8"))
    assert saved["reminders"][0]["userids"] == ["t0p1", "t0p3"]


def test_send_twice_warns_of_duplicate(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    first = _send(
        dingtalk_server, dingtalk_fake, county, tmp_path, "--user", "t1p1", "--text", "同一条"
    )
    assert first.exit_code == 0, first.output
    second = _send(
        dingtalk_server,
        dingtalk_fake,
        county,
        tmp_path,
        "--user",
        "t1p1",
        "--text",
        "同一条",
        "--on-trap",
        "error",
    )
    assert second.exit_code == 1
    assert "员工11" in second.output
    assert "未发送" in second.output


def test_unknown_tag_is_reported(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    result = _send(
        dingtalk_server, dingtalk_fake, county, tmp_path, "--tag", "不存在", "--text", "x"
    )
    assert result.exit_code == 1
    assert "接收人有误" in result.output
    assert "没有人带有标签「不存在」" in result.output
    assert "no user has" not in result.output


def test_status_after_24_hours_says_expired(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    assert (
        _send(
            dingtalk_server, dingtalk_fake, county, tmp_path, "--dept", "古城街道", "--text", "x"
        ).exit_code
        == 0
    )
    dingtalk_fake.clock.advance(24 * 3600 + 1)
    status = CliRunner().invoke(
        cli,
        [
            "notify",
            "status",
            *_connection(dingtalk_server, dingtalk_fake),
            str(tmp_path / "notice.json"),
        ],
    )
    assert status.exit_code == 0, status.output
    assert "结果已过期" in status.output
    remind = CliRunner().invoke(
        cli,
        [
            "notify",
            "remind",
            *_connection(dingtalk_server, dingtalk_fake),
            str(tmp_path / "notice.json"),
        ],
    )
    assert remind.exit_code == 1
    assert "超过24小时" in remind.output


def test_english_output(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    args = [
        "--lang",
        "en",
        "notify",
        "send",
        *_connection(dingtalk_server, dingtalk_fake),
        "--agent-id",
        str(dingtalk_fake.default_app.agent_id),
        "--snapshot",
        str(county),
        "--send-log",
        str(tmp_path / "l.json"),
        "--save",
        str(tmp_path / "n.json"),
        "--tag",
        "普查指导员",
        "--text",
        "hello",
        "--dry-run",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "2 people" in result.output
    assert not (tmp_path / "n.json").exists()


def test_send_without_save_is_usage_error(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path
) -> None:
    args = [
        "notify",
        "send",
        *_connection(dingtalk_server, dingtalk_fake),
        "--agent-id",
        str(dingtalk_fake.default_app.agent_id),
        "--snapshot",
        str(county),
        "--tag",
        "普查员",
        "--text",
        "x",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--save" in result.output
    assert dingtalk_fake.calls("/topapi/message/corpconversation/asyncsend_v2") == []


def test_send_reads_contacts_through_the_api(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    args = [
        "notify",
        "send",
        *_connection(dingtalk_server, dingtalk_fake),
        "--agent-id",
        str(dingtalk_fake.default_app.agent_id),
        "--tag",
        "普查指导员",
        "--text",
        "通讯录来自接口",
        "--save",
        str(tmp_path / "api.json"),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "共 2 人" in result.output
    handle = json.loads((tmp_path / "api.json").read_text(encoding="utf-8"))
    assert handle["names"] == {"t0p0": "员工00", "t1p0": "员工10"}
    assert dingtalk_fake.calls("/topapi/v2/department/listsub") != []


def test_status_limits_detail_rows(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, county: Path, tmp_path: Path
) -> None:
    sent = _send(dingtalk_server, dingtalk_fake, county, tmp_path, "--tag", "普查员", "--text", "x")
    assert sent.exit_code == 0, sent.output
    args = [
        "notify",
        "status",
        *_connection(dingtalk_server, dingtalk_fake),
        str(tmp_path / "notice.json"),
        "--limit",
        "2",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "另有 4 人未列出" in result.output
