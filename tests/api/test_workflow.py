"""Approval calls against the fake: start, get, list ids, terminate; sync and async."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.workflow import LIST_INSTANCE_IDS, START_INSTANCE, InstanceStatus
from censusdt.census.admin.approvals import BUSINESS_TRIP, SEAL_REQUEST
from censusdt.timeutil import SHANGHAI, to_epoch_ms
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import act_on_approval, add_process, set_approver
from censusdt_fake.messaging import add_staff

TRIP = {
    "出差事由": "赴市普查办参加数据处理培训",
    "出差时间": (dt.date(2026, 12, 7), dt.date(2026, 12, 9)),
    "出差天数": 3,
    "行程明细": [
        {
            "出发城市": "曲阜",
            "目的城市": "济宁",
            "出发日期": dt.date(2026, 12, 7),
            "交通工具": "公务用车",
        },
        {
            "出发城市": "济宁",
            "目的城市": "曲阜",
            "出发日期": dt.date(2026, 12, 9),
            "交通工具": "长途汽车",
            "备注": "返程",
        },
    ],
}


@pytest.fixture
def staff(dingtalk_fake: FakeDingTalk) -> list[str]:
    for index in range(5):
        add_staff(dingtalk_fake, f"s{index}", f"员工{index}", [1])
    return [f"s{index}" for index in range(5)]


def _code(fake: FakeDingTalk, template: object = BUSINESS_TRIP) -> str:
    components = template.components  # type: ignore[attr-defined]
    return add_process(
        fake,
        template.name,  # type: ignore[attr-defined]
        fields=[c.wire_name for c in components],
        required=[c.wire_name for c in components if c.required],
    )


def _now(fake: FakeDingTalk) -> dt.datetime:
    return dt.datetime.fromtimestamp(fake.clock.time(), SHANGHAI)


def test_detail_table_round_trips_through_the_fake(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    code = _code(dingtalk_fake)
    form = BUSINESS_TRIP.form_component_values(TRIP)

    instance_id = dingtalk.workflow.start_instance(code, staff[0], form, approvers=[staff[1]])
    instance = dingtalk.workflow.get_instance(instance_id)

    assert BUSINESS_TRIP.parse_form_values(instance.form_component_values) == (
        BUSINESS_TRIP.parse_form_values(form)
    )
    rows = BUSINESS_TRIP.parse_form_values(instance.form_component_values)["行程明细"]
    assert [row["目的城市"] for row in rows] == ["济宁", "曲阜"]  # type: ignore[attr-defined]
    assert instance.status is InstanceStatus.RUNNING
    assert instance.waiting_on() == [staff[1]]
    assert instance.originator_user_id == staff[0]


def test_sequential_approvers_move_the_instance_on_the_clock(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    code = _code(dingtalk_fake)
    set_approver(dingtalk_fake, staff[1], "agree", 600)
    set_approver(dingtalk_fake, staff[2], "agree", 1200)
    instance_id = dingtalk.workflow.start_instance(
        code, staff[0], BUSINESS_TRIP.form_component_values(TRIP), approvers=[staff[1], staff[2]]
    )

    dingtalk_fake.clock.advance(601)
    middle = dingtalk.workflow.get_instance(instance_id)
    dingtalk_fake.clock.advance(1200)
    done = dingtalk.workflow.get_instance(instance_id)

    assert middle.status is InstanceStatus.RUNNING
    assert middle.waiting_on() == [staff[2]]
    assert done.approved
    assert [(t.user_id, t.status, t.result) for t in done.tasks] == [
        (staff[1], "COMPLETED", "AGREE"),
        (staff[2], "COMPLETED", "AGREE"),
    ]
    assert [r.type for r in done.operation_records] == [
        "START_PROCESS_INSTANCE",
        "EXECUTE_TASK_NORMAL",
        "EXECUTE_TASK_NORMAL",
        "FINISH_PROCESS_INSTANCE",
    ]


def test_a_refusal_ends_the_instance_and_cancels_the_rest(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    code = _code(dingtalk_fake)
    instance_id = dingtalk.workflow.start_instance(
        code,
        staff[0],
        BUSINESS_TRIP.form_component_values(TRIP),
        approvers=[[staff[1], staff[2]], staff[3]],
    )

    act_on_approval(dingtalk_fake, instance_id, staff[2], "refuse")
    instance = dingtalk.workflow.get_instance(instance_id)

    assert instance.status is InstanceStatus.COMPLETED
    assert instance.result.value == "refuse"
    assert {t.user_id: t.status for t in instance.tasks} == {
        staff[1]: "CANCELED",
        staff[2]: "COMPLETED",
        staff[3]: "CANCELED",
    }


def test_terminate_and_list_ids_by_status(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    code = _code(dingtalk_fake)
    started = _now(dingtalk_fake) - dt.timedelta(minutes=1)
    ids = [
        dingtalk.workflow.start_instance(
            code, staff[0], BUSINESS_TRIP.form_component_values(TRIP), approvers=[staff[1]]
        )
        for _ in range(5)
    ]
    dingtalk.workflow.terminate_instance(ids[0], operating_user_id=staff[0])

    everything = list(dingtalk.workflow.list_instance_ids(code, started, max_results=2))
    running = list(dingtalk.workflow.list_instance_ids(code, started, statuses=["RUNNING"]))
    terminated = dingtalk.workflow.get_instance(ids[0])

    assert everything == ids
    assert running == ids[1:]
    assert terminated.status is InstanceStatus.TERMINATED
    assert terminated.waiting_on() == []


@pytest.mark.anyio
async def test_async_start_and_get(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    code = _code(dingtalk_fake, SEAL_REQUEST)
    values = {
        "印章类型": "人普办公章",
        "用印日期": dt.date(2026, 12, 8),
        "用印事由": "普查经费报告",
        "文件明细": [{"文件名称": "经费报告", "份数": 2}],
    }
    instance_id = await async_dingtalk.workflow.start_instance(
        code, staff[0], SEAL_REQUEST.form_component_values(values), approvers=[staff[4]]
    )
    instance = await async_dingtalk.workflow.get_instance(instance_id)

    parsed = SEAL_REQUEST.parse_form_values(instance.form_component_values)
    assert (
        parsed["文件明细"]
        == SEAL_REQUEST.parse_form_values(SEAL_REQUEST.form_component_values(values))["文件明细"]
    )
    assert instance.waiting_on() == [staff[4]]


# Negative wire cases: DingTalk's codes, sent raw so our own checks do not stop them first.


def test_unknown_process_code_is_process_code_error(dingtalk: DingTalk, staff: list[str]) -> None:
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            START_INSTANCE,
            json={
                "processCode": "PROC-NOPE",
                "originatorUserId": staff[0],
                "deptId": -1,
                "formComponentValues": [{"name": "a", "value": "b"}],
            },
        )
    assert (caught.value.status, caught.value.code) == (400, "processCodeError")
    assert caught.value.message == "process code PROC-NOPE does not exist"


def test_unknown_instance_is_process_instance_not_exist(dingtalk: DingTalk) -> None:
    with pytest.raises(APIError) as caught:
        dingtalk.workflow.get_instance("no-such-instance")
    assert (caught.value.status, caught.value.code) == (400, "processInstanceNotExist")
    assert caught.value.message == "process instance no-such-instance does not exist"


def test_list_ids_window_and_page_limits_on_the_wire(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    code = _code(dingtalk_fake)
    now_ms = to_epoch_ms(_now(dingtalk_fake))
    too_old = {
        "processCode": code,
        "startTime": now_ms - 121 * 86_400_000,
        "nextToken": 0,
        "maxResults": 20,
    }
    too_many = {
        "processCode": code,
        "startTime": now_ms - 86_400_000,
        "nextToken": 0,
        "maxResults": 21,
    }

    with pytest.raises(APIError) as old:
        dingtalk.request(LIST_INSTANCE_IDS, json=too_old)
    with pytest.raises(APIError) as many:
        dingtalk.request(LIST_INSTANCE_IDS, json=too_many)

    assert old.value.code == "invalidInstanceListIdsStartTime"
    assert old.value.message == "startTime must be within 120 days before now"
    assert many.value.code == "invalidMaxResults"
    assert many.value.message == "maxResults must be 1..20"


def test_local_checks_name_every_bad_field(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    start = _now(dingtalk_fake) - dt.timedelta(days=200)
    with pytest.raises(ValidationError) as caught:
        dingtalk.workflow.list_instance_ids(
            "PROC-X", start, start + dt.timedelta(days=130), max_results=50, user_ids=["u"] * 11
        )
    fields = {error.field for error in caught.value.errors}
    assert fields == {"max_results", "user_ids", "end"}

    with pytest.raises(ValidationError) as empty:
        dingtalk.workflow.start_instance("", "", [])
    assert {e.field for e in empty.value.errors} == {
        "form_component_values",
        "process_code",
        "originator_user_id",
        "dept_id",
    }
