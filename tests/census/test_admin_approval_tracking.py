"""Approvals submitted from templates: tracked per instance, waiting per approver, late ones DINGed."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdt import AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.workflow import InstanceStatus
from censusdt.census._async.approvaltrack import approval_statuses as async_approval_statuses
from censusdt.census._async.approvaltrack import submit_approval as async_submit_approval
from censusdt.census._sync.approvaltrack import (
    approval_statuses,
    remind_late_approvers,
    submit_approval,
    waiting_by_approver,
)
from censusdt.census.admin.approvals import LEAVE, SUPPLIES_REQUEST
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import add_process, set_approver
from censusdt_fake.messaging import add_staff
from censusdt_fake.models.robot import RobotState

LEAVE_VALUES = {
    "请假类型": "事假",
    "请假时间": (
        dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI),
        dt.datetime(2026, 12, 8, 17, 30, tzinfo=SHANGHAI),
    ),
    "请假天数": 1,
    "请假事由": "家中有事",
}
SUPPLIES_VALUES = {
    "申领事由": "入户登记",
    "物资明细": [
        {"物资名称": "普查员证", "数量": 40, "单位": "个"},
        {"物资名称": "签字笔", "数量": 80},
    ],
}


@pytest.fixture
def office(dingtalk_fake: FakeDingTalk) -> dict[str, str]:
    for userid, name in [
        ("clerk", "办事员"),
        ("chief", "组长"),
        ("head", "主任"),
        ("keeper", "保管员"),
    ]:
        add_staff(dingtalk_fake, userid, name, [1])
    return {
        template.name: add_process(
            dingtalk_fake, template.name, fields=[c.wire_name for c in template.components]
        )
        for template in (LEAVE, SUPPLIES_REQUEST)
    }


def test_track_and_remind_only_late_approvers(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, office: dict[str, str]
) -> None:
    set_approver(dingtalk_fake, "chief", "agree", 1800)
    set_approver(dingtalk_fake, "head", "never")
    set_approver(dingtalk_fake, "keeper", "never")
    leave = submit_approval(
        dingtalk, LEAVE, office["请假"], "clerk", LEAVE_VALUES, approvers=["chief", "head"]
    )
    dingtalk_fake.clock.advance(3 * 3600)
    supplies = submit_approval(
        dingtalk,
        SUPPLIES_REQUEST,
        office["物资申领"],
        "clerk",
        SUPPLIES_VALUES,
        approvers=["keeper"],
    )
    dingtalk_fake.clock.advance(3600)

    statuses = approval_statuses(dingtalk, [leave, supplies])
    waiting = waiting_by_approver(statuses)
    sent = remind_late_approvers(dingtalk, statuses, older_than=dt.timedelta(hours=2))

    assert [s.status for s in statuses] == [InstanceStatus.RUNNING, InstanceStatus.RUNNING]
    assert {user: [s.instance_id for s in items] for user, items in waiting.items()} == {
        "head": [leave],
        "keeper": [supplies],
    }
    # head has waited 2.5 hours, keeper one hour: only head is late.
    assert set(sent) == {"head"}
    ding = dingtalk_fake.default_corp.ext(RobotState).dings[sent["head"].open_ding_id]
    assert set(ding.deliveries) == {"head"}
    assert statuses[0].title in ding.content
    assert statuses[0].label() == "审批中"


def test_a_bad_form_sends_nothing(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, office: dict[str, str]
) -> None:
    with pytest.raises(ValidationError) as caught:
        submit_approval(
            dingtalk, LEAVE, office["请假"], "clerk", {"请假类型": "旅游假"}, approvers=["chief"]
        )

    assert {e.field for e in caught.value.errors} >= {
        "请假类型",
        "请假时间",
        "请假天数",
        "请假事由",
    }
    assert dingtalk_fake.calls("/v1.0/workflow/processInstances") == []


@pytest.mark.anyio
async def test_async_submit_runs_to_completion(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk, office: dict[str, str]
) -> None:
    set_approver(dingtalk_fake, "chief", "agree", 60)
    set_approver(dingtalk_fake, "head", "refuse", 60)
    first = await async_submit_approval(
        async_dingtalk, LEAVE, office["请假"], "clerk", LEAVE_VALUES, approvers=["chief"]
    )
    second = await async_submit_approval(
        async_dingtalk,
        SUPPLIES_REQUEST,
        office["物资申领"],
        "clerk",
        SUPPLIES_VALUES,
        approvers=["chief", "head"],
    )
    dingtalk_fake.clock.advance(600)

    done = await async_approval_statuses(async_dingtalk, [first, second])

    assert [(s.status, s.result.value) for s in done] == [
        (InstanceStatus.COMPLETED, "agree"),
        (InstanceStatus.COMPLETED, "refuse"),
    ]
    assert [s.label() for s in done] == ["已结束（同意）", "已结束（拒绝）"]
