"""``censusdt approval|attendance|training|staff`` against the fake over real HTTP."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from censusdt.census.admin.approvals import SUPPLIES_REQUEST
from censusdt.census.audience import ContactsSnapshot
from censusdt.cli import cli
from censusdt.cli._i18n import set_language
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import add_process, attendance_outcomes, generate_attendance, set_approver
from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID
from censusdt_fake.models.robot import RobotState
from censusdt_fake.models.workflow import WorkflowState
from tests.census.admin_seed import TOWNS, seed_admin_county


@pytest.fixture(autouse=True)
def chinese_output() -> Any:
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def snapshot_file(dingtalk_fake: FakeDingTalk, tmp_path: Path) -> Path:
    seed_admin_county(dingtalk_fake)
    path = tmp_path / "snapshot.json"
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    path.write_text(json.dumps(snapshot.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


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
    result = CliRunner().invoke(cli, [*args[:2], *connection, *args[2:]])
    assert result.exit_code == 0, result.output
    return result


def test_approval_submit_status_remind(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, snapshot_file: Path, tmp_path: Path
) -> None:
    code = add_process(
        dingtalk_fake, "物资申领", fields=[c.wire_name for c in SUPPLIES_REQUEST.components]
    )
    set_approver(dingtalk_fake, "p4", "never")
    values = tmp_path / "values.json"
    values.write_text(
        json.dumps(
            {"物资明细": [{"物资名称": "普查包", "数量": 12}], "期望领取日期": "2026-12-09"},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    track = tmp_path / "approvals.json"

    submitted = _run(
        dingtalk_server,
        dingtalk_fake,
        "approval",
        "submit",
        "--template",
        "物资申领",
        "--process-code",
        code,
        "--originator",
        "p1",
        "--values",
        str(values),
        "--field",
        "申领事由=入户登记",
        "--approver",
        "p4",
        "--track",
        str(track),
    )
    status = _run(dingtalk_server, dingtalk_fake, "approval", "status", "--track", str(track))
    # The command compares with the machine's clock, which the fake's virtual clock does not move.
    reminded = _run(
        dingtalk_server,
        dingtalk_fake,
        "approval",
        "remind",
        "--track",
        str(track),
        "--older-than-hours",
        "0",
    )

    (instance_id,) = json.loads(track.read_text(encoding="utf-8"))
    instance = dingtalk_fake.default_corp.ext(WorkflowState).instances[instance_id]
    assert instance_id in submitted.output
    assert json.loads(instance.form_values[1]["value"])[0][0] == {
        "name": "物资名称",
        "value": "普查包",
    }
    assert "审批中" in status.output
    assert "已 DING 1 名审批人：p4" in reminded.output


def test_attendance_summary_and_export(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, snapshot_file: Path, tmp_path: Path
) -> None:
    users = [f"p{i}" for i in range(16)]
    monday = dt.date(2026, 11, 2)
    generate_attendance(
        dingtalk_fake, users, monday, monday + dt.timedelta(days=4), seed=5, late_share=0.3
    )
    export = tmp_path / "考勤.xlsx"

    result = _run(
        dingtalk_server,
        dingtalk_fake,
        "attendance",
        "summary",
        "--date",
        "2026-11-04",
        "--week",
        "--snapshot",
        str(snapshot_file),
        "--export",
        str(export),
    )

    late = sum(1 for outcome in attendance_outcomes(dingtalk_fake).values() if outcome == "late")
    sheet = load_workbook(export).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    total_row = [cell.value for cell in sheet[sheet.max_row]]
    assert total_row[header.index("迟到")] == late
    assert "迟到" in result.output


def test_training_schedule_report_remind(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, snapshot_file: Path, tmp_path: Path
) -> None:
    from censusdt_fake.admin import simulate_viewers

    start = dt.datetime.fromtimestamp(dingtalk_fake.clock.time(), SHANGHAI) + dt.timedelta(days=1)
    handle = tmp_path / "training.json"
    scheduled = _run(
        dingtalk_server,
        dingtalk_fake,
        "training",
        "schedule",
        "--title",
        "入户登记培训",
        "--anchor",
        "p0",
        "--start",
        start.strftime("%Y-%m-%d %H:%M"),
        "--town",
        TOWNS[0],
        "--town",
        TOWNS[1],
        "--template-id",
        DEFAULT_TEMPLATE_ID,
        "--snapshot",
        str(snapshot_file),
        "--handle",
        str(handle),
    )
    saved = json.loads(handle.read_text(encoding="utf-8"))
    members = [m for group in saved["groups"] for m in group["members"]]
    from censusdt_fake.models.contacts import ContactsState

    users = dingtalk_fake.default_corp.ext(ContactsState).users
    plan = simulate_viewers(
        dingtalk_fake,
        saved["live_id"],
        [users[m].unionid for m in members],
        live_share=0.5,
        replay_share=0.0,
        seed=2,
    )
    dingtalk_fake.clock.advance(2 * 86400)
    report = _run(dingtalk_server, dingtalk_fake, "training", "report", str(handle))
    reminded = _run(
        dingtalk_server,
        dingtalk_fake,
        "training",
        "remind",
        str(handle),
        "--deadline",
        "2026-12-31 18:00",
    )

    unwatched = sum(1 for how in plan.values() if how == "none")
    assert "分享到 2 个镇街群" in scheduled.output
    assert f"尚未观看：{unwatched} 人" in report.output
    assert f"已 DING {unwatched} 名未观看人员" in reminded.output


def test_staff_inactive_with_sms(
    dingtalk_server: Any, dingtalk_fake: FakeDingTalk, snapshot_file: Path
) -> None:
    result = _run(
        dingtalk_server,
        dingtalk_fake,
        "staff",
        "inactive",
        "--snapshot",
        str(snapshot_file),
        "--remind",
    )

    dings = list(dingtalk_fake.default_corp.ext(RobotState).dings.values())
    assert "未激活钉钉人员" in result.output
    assert TOWNS[0] in result.output
    assert [d.remind_type for d in dings] == [2]
    assert f"共 {len(dings[0].deliveries)} 人未激活" in result.output
