"""``censusdt task``, ``meeting`` and ``calendar`` against the fake over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from censusdt.census.calendar import from_ics
from censusdt.cli import cli
from censusdt.cli._i18n import set_language
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.calendar import CalendarState
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.robot import RobotState
from censusdt_fake.models.todo import TodoState


@pytest.fixture(autouse=True)
def chinese_output() -> Any:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def staff(dingtalk_fake: FakeDingTalk) -> list[User]:
    state = dingtalk_fake.default_corp.ext(ContactsState)
    return [
        state.create_user(
            name=f"员工{index}", mobile=f"1320000{index:04d}", dept_id_list=[1], userid=f"u{index}"
        )
        for index in range(5)
    ]


def _run(server: Any, fake: FakeDingTalk, *args: str) -> Any:
    app = fake.default_app
    connection = [
        "--app-key",
        app.app_key,
        "--app-secret",
        app.app_secret,
        "--base-url",
        server.url,
    ]
    group, command, *rest = args
    return CliRunner().invoke(cli, [group, command, *connection, *rest])


def test_task_assign_status_remind(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    handle_file = tmp_path / "task.json"
    users = [part for user in staff[1:] for part in ("--user", user.userid)]

    assigned = _run(
        dingtalk_server,
        dingtalk_fake,
        "task",
        "assign",
        *users,
        "--subject",
        "提交摸底表",
        "--due",
        "2030-11-05 18:00",
        "--owner",
        "u0",
        "--save",
        str(handle_file),
    )
    assert assigned.exit_code == 0, assigned.output
    assert "已为 4 人创建待办《提交摸底表》" in assigned.output

    record = json.loads(handle_file.read_text(encoding="utf-8"))
    (batch,) = record["batches"]
    dingtalk_fake.default_corp.ext(TodoState).complete(
        batch["task_id"], staff[1].unionid, dingtalk_fake.clock.now_ms()
    )

    status = _run(dingtalk_server, dingtalk_fake, "task", "status", str(handle_file))
    assert status.exit_code == 0, status.output
    assert "已完成 1/4 人，未完成 3 人" in status.output
    assert "u1" not in status.output

    reminded = _run(dingtalk_server, dingtalk_fake, "task", "remind", str(handle_file))
    assert reminded.exit_code == 0, reminded.output
    assert "已向 3 名未完成人员发送 DING" in reminded.output
    (ding,) = dingtalk_fake.default_corp.ext(RobotState).dings.values()
    assert sorted(ding.deliveries) == ["u2", "u3", "u4"]


def test_task_due_in_seconds_is_rejected(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    result = _run(
        dingtalk_server,
        dingtalk_fake,
        "task",
        "assign",
        "--user",
        "u1",
        "--subject",
        "任务",
        "--due",
        "1604224800",
        "--owner",
        "u0",
        "--save",
        str(tmp_path / "task.json"),
    )

    assert result.exit_code != 0
    assert "looks like epoch seconds" in result.output


def test_task_api_error_is_reported_in_chinese(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    args = [
        "task",
        "assign",
        "--user",
        "u1",
        "--subject",
        "任务",
        "--due",
        "2030-11-05 18:00",
        "--owner",
        "u0",
        "--source-id",
        "same",
        "--save",
        str(tmp_path / "task.json"),
    ]
    assert _run(dingtalk_server, dingtalk_fake, *args).exit_code == 0
    args[-1] = str(tmp_path / "again.json")

    again = _run(dingtalk_server, dingtalk_fake, *args)

    assert again.exit_code == 1
    assert "钉钉返回错误" in again.output
    assert "task exist" in again.output


def test_task_assign_keeps_existing_handle(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    handle = tmp_path / "task.json"
    handle.write_text("{}", encoding="utf-8")
    args = ["task", "assign", "--user", "u1", "--subject", "任务", "--due", "2030-11-05 18:00"]

    result = _run(dingtalk_server, dingtalk_fake, *args, "--owner", "u0", "--save", str(handle))

    assert result.exit_code == 2
    assert "已存在" in result.output
    assert handle.read_text(encoding="utf-8") == "{}"


def test_meeting_schedule_and_status(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    handle_file = tmp_path / "meeting.json"
    scheduled = _run(
        dingtalk_server,
        dingtalk_fake,
        "meeting",
        "schedule",
        "--user",
        "u1",
        "--user",
        "u2",
        "--summary",
        "培训会",
        "--start",
        "2030-11-02 09:00",
        "--end",
        "2030-11-02 12:00",
        "--organizer",
        "u0",
        "--save",
        str(handle_file),
    )
    assert scheduled.exit_code == 0, scheduled.output
    assert "已进入 2 人的日程" in scheduled.output

    event_id = json.loads(handle_file.read_text(encoding="utf-8"))["event_id"]
    dingtalk_fake.default_corp.ext(CalendarState).respond(
        staff[1].unionid, "primary", event_id, "accepted", now_ms=dingtalk_fake.clock.now_ms()
    )

    status = _run(dingtalk_server, dingtalk_fake, "meeting", "status", str(handle_file))
    assert status.exit_code == 0, status.output
    assert "接受 1" in status.output
    assert "未回复 1" in status.output


def test_calendar_publish_agenda_export(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    published = _run(
        dingtalk_server,
        dingtalk_fake,
        "calendar",
        "publish",
        "--author",
        "u0",
        "--user",
        "u1",
        "--deadline",
        "2020-10-28=摸底表上报截止",
    )
    assert published.exit_code == 0, published.output
    (calendar_id,) = dingtalk_fake.default_corp.ext(CalendarState).calendars

    month = _run(
        dingtalk_server,
        dingtalk_fake,
        "calendar",
        "agenda",
        "--user",
        "u1",
        "--calendar-id",
        calendar_id,
        "--view",
        "month",
        "--date",
        "2020-10-01",
    )
    assert month.exit_code == 0, month.output
    assert "2020年10月" in month.output
    day = _run(
        dingtalk_server,
        dingtalk_fake,
        "calendar",
        "agenda",
        "--user",
        "u1",
        "--calendar-id",
        calendar_id,
        "--view",
        "day",
        "--date",
        "2020-10-28",
    )
    assert day.exit_code == 0, day.output
    assert "摸底表上报截止" in day.output

    output = tmp_path / "census.ics"
    exported = _run(
        dingtalk_server,
        dingtalk_fake,
        "calendar",
        "export",
        "--user",
        "u1",
        "--calendar-id",
        calendar_id,
        "--output",
        str(output),
    )
    assert exported.exit_code == 0, exported.output
    titles = {event.title for event in from_ics(output.read_bytes())}
    assert {"摸底表上报截止", "入户登记"} <= titles


def test_english_output(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, staff: list[User], tmp_path: Path
) -> None:
    app = dingtalk_fake.default_app
    result = CliRunner().invoke(
        cli,
        [
            "--lang",
            "en",
            "task",
            "assign",
            "--app-key",
            app.app_key,
            "--app-secret",
            app.app_secret,
            "--base-url",
            dingtalk_server.url,
            "--user",
            "u1",
            "--subject",
            "Listing",
            "--due",
            "2030-11-05 18:00",
            "--owner",
            "u0",
            "--save",
            str(tmp_path / "task.json"),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "Created the to-do “Listing” for 1 people" in result.output
