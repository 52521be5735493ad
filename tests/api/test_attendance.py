"""Attendance calls against the fake: punch results, details, leaves, limits; sync and async."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.attendance import LEAVE_STATUS, LIST_PUNCH_RESULTS
from censusdt.census.admin.attendance import TimeResult
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import generate_attendance
from censusdt_fake.models.attendance import AttendanceState

MONDAY = dt.date(2026, 11, 2)
FRIDAY = MONDAY + dt.timedelta(days=4)


def _people(count: int) -> list[str]:
    return [f"p{index:03d}" for index in range(count)]


def test_punch_results_cover_every_check_point_across_batches(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    people = _people(60)
    made = generate_attendance(dingtalk_fake, people, MONDAY, MONDAY + dt.timedelta(days=9), seed=4)

    results = dingtalk.attendance.punch_results(people, MONDAY, MONDAY + dt.timedelta(days=9))

    # Two check points per working day; 60 people need two user batches, 10 days two windows.
    assert made == 60 * 8
    assert len(results) == 2 * made
    assert len({r.record_id for r in results}) == len(results)
    assert len(dingtalk_fake.calls("/attendance/list")) > 4


def test_punch_details_hold_only_real_punches(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    people = _people(5)
    generate_attendance(dingtalk_fake, people, MONDAY, FRIDAY, seed=2, absent_share=0.3)
    start = dt.datetime.combine(MONDAY, dt.time(0), SHANGHAI)

    details = dingtalk.attendance.list_punch_details(people, start, start + dt.timedelta(days=5))

    state = dingtalk_fake.default_corp.ext(AttendanceState)
    punched = [r for r in state.records if r.user_check_ms is not None]
    assert sorted(d.record_id for d in details) == sorted(str(r.record_id) for r in punched)
    assert all(d.user_check_time is not None for d in details)


@pytest.mark.anyio
async def test_leave_statuses_page_through_every_leave(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    people = _people(30)
    generate_attendance(dingtalk_fake, people, MONDAY, FRIDAY, seed=9, leave_share=0.4)

    leaves = await async_dingtalk.attendance.leave_statuses(people, MONDAY, FRIDAY)
    results = await async_dingtalk.attendance.list_punch_results(
        people[:5], MONDAY, FRIDAY
    ).collect()

    state = dingtalk_fake.default_corp.ext(AttendanceState)
    assert Counter(leave.user_id for leave in leaves) == Counter(leave.userid for leave in state.leaves)
    assert len(state.leaves) > 20  # more than one page of 20
    assert {r.time_result for r in results} <= set(TimeResult)


def test_local_limits_name_the_fields(dingtalk: DingTalk) -> None:
    with pytest.raises(ValidationError) as caught:
        dingtalk.attendance.list_punch_results(
            _people(51), MONDAY, MONDAY + dt.timedelta(days=7), limit=60
        )
    assert {e.field for e in caught.value.errors} == {"user_ids", "end", "limit"}


def test_wire_limits_answer_with_dingtalk_codes(dingtalk: DingTalk) -> None:
    too_long = {
        "workDateFrom": "2026-11-02 00:00:00",
        "workDateTo": "2026-11-09 00:00:00",
        "userIdList": ["p000"],
        "offset": 0,
        "limit": 50,
    }
    with pytest.raises(APIError) as span:
        dingtalk.request(LIST_PUNCH_RESULTS, json=too_long)
    with pytest.raises(APIError) as missing:
        dingtalk.request(LIST_PUNCH_RESULTS, json={"userIdList": ["p000"], "offset": 0, "limit": 5})
    with pytest.raises(APIError) as size:
        dingtalk.request(
            LEAVE_STATUS,
            json={"userid_list": "p000", "start_time": 1, "end_time": 2, "offset": 0, "size": 21},
        )

    assert (span.value.code, span.value.message) == (
        "400002",
        "workDateFrom和workDateTo的间隔不能超过7天",
    )
    assert (missing.value.code, missing.value.message) == ("40035", "缺少参数 workDateFrom")
    assert (size.value.code, size.value.message) == ("400002", "size最大为20")
