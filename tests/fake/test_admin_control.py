"""The fake's approval, attendance and live control routes over HTTP, checked through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from censusdt import DingTalk
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff


def _post(fake: FakeDingTalk, path: str, body: dict[str, Any]) -> httpx.Response:
    with httpx.Client(transport=fake.transport(), base_url="https://oapi.dingtalk.com") as http:
        return http.post(path, json=body)


def test_workflow_routes_drive_an_instance(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    for userid in ("a", "b", "c"):
        add_staff(dingtalk_fake, userid, f"人员{userid}", [1])
    created = _post(
        dingtalk_fake,
        "/__fake__/workflow/processes",
        {"name": "请假", "flow": [["NONE", ["b"]], ["NONE", ["c"]]]},
    )
    code = created.json()["process_code"]
    _post(
        dingtalk_fake,
        "/__fake__/workflow/approvers",
        {"userid": "c", "decision": "refuse", "delay_seconds": 60},
    )

    instance_id = dingtalk.workflow.start_instance(
        code, "a", [{"name": "事由", "value": "看病"}], dept_id=-1
    )
    acted = _post(
        dingtalk_fake,
        "/__fake__/workflow/act",
        {"instance_id": instance_id, "userid": "b", "decision": "agree"},
    )
    dingtalk_fake.clock.advance(61)
    instance = dingtalk.workflow.get_instance(instance_id)
    wrong = _post(
        dingtalk_fake,
        "/__fake__/workflow/act",
        {"instance_id": instance_id, "userid": "b", "decision": "agree"},
    )

    assert acted.json() == {"status": "RUNNING", "result": ""}
    assert (instance.status.value, instance.result.value) == ("COMPLETED", "refuse")
    assert wrong.status_code == 400
    assert "has no running task" in wrong.json()["error"]


def test_attendance_and_live_routes(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    user = add_staff(dingtalk_fake, "x", "学员", [1])
    made = _post(
        dingtalk_fake,
        "/__fake__/attendance/generate",
        {"userids": ["x"], "start": "2026-11-02", "end": "2026-11-08", "seed": 1},
    )
    with httpx.Client(
        transport=dingtalk_fake.transport(), base_url="https://oapi.dingtalk.com"
    ) as http:
        outcomes = http.get("/__fake__/attendance/outcomes").json()["outcomes"]
    start = dt.datetime.fromtimestamp(dingtalk_fake.clock.time(), SHANGHAI) + dt.timedelta(hours=1)
    live_id = dingtalk.live.create(user.unionid, "培训", start, start + dt.timedelta(hours=1))
    plan = _post(
        dingtalk_fake,
        "/__fake__/live/simulate",
        {"live_id": live_id, "unionids": [user.unionid], "live_share": 1.0, "seed": 3},
    )
    dingtalk_fake.clock.advance(3 * 3600)

    assert made.json() == {"days": 5}
    assert [item["date"] for item in outcomes] == [f"2026-11-0{d}" for d in range(2, 7)]
    assert plan.json() == {"plan": {user.unionid: "live"}}
    assert [v.user_id for v in dingtalk.live.viewers(live_id, user.unionid)] == ["x"]
