"""Tests for converting CalendarEvent to and from DingTalk calendar event JSON."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.census.calendar import CalendarEvent, event_from_dingtalk, event_to_dingtalk
from censusdt.timeutil import SHANGHAI


def test_all_day_body() -> None:
    event = CalendarEvent("入户登记", date(2020, 11, 1), date(2020, 12, 11))

    body = event_to_dingtalk(event)

    assert body == {
        "summary": "入户登记",
        "start": {"date": "2020-11-01"},
        "end": {"date": "2020-12-11"},
        "isAllDay": True,
    }


def test_timed_body() -> None:
    start = datetime(2020, 10, 20, 9, 0, tzinfo=SHANGHAI)
    event = CalendarEvent(
        "摸底工作推进会",
        start,
        start + timedelta(hours=2),
        location="县统计局三楼会议室",
        description="各镇街普查办主任参加",
    )

    body = event_to_dingtalk(event)

    assert body["start"] == {"dateTime": "2020-10-20T09:00:00+08:00", "timeZone": "Asia/Shanghai"}
    assert body["end"] == {"dateTime": "2020-10-20T11:00:00+08:00", "timeZone": "Asia/Shanghai"}
    assert body["isAllDay"] is False
    assert body["location"] == {"displayName": "县统计局三楼会议室"}
    assert body["description"] == "各镇街普查办主任参加"


def test_resource_to_event() -> None:
    resource = {
        "id": "RzZYZWZ2NnRKa3Jv",
        "summary": "普查员培训",
        "description": "第二期",
        "status": "confirmed",
        "start": {"dateTime": "2020-09-10T14:00:00+08:00", "timeZone": "Asia/Shanghai"},
        "end": {"dateTime": "2020-09-10T17:00:00+08:00", "timeZone": "Asia/Shanghai"},
        "isAllDay": False,
        "location": {"displayName": "党校报告厅", "meetingRooms": []},
        "reminders": [{"method": "dingtalk", "minutes": "15"}],
    }

    event = event_from_dingtalk(resource)

    assert event.uid == "RzZYZWZ2NnRKa3Jv"
    assert event.title == "普查员培训"
    assert event.start == datetime(2020, 9, 10, 14, 0, tzinfo=SHANGHAI)
    assert event.end == datetime(2020, 9, 10, 17, 0, tzinfo=SHANGHAI)
    assert event.location == "党校报告厅"
    assert event.description == "第二期"


def test_all_day_resource_to_event() -> None:
    resource = {
        "id": "e1",
        "summary": "摸底",
        "start": {"date": "2020-10-11", "dateTime": None, "timeZone": None},
        "end": {"date": "2020-11-01"},
        "isAllDay": True,
    }

    event = event_from_dingtalk(resource)

    assert event.all_day is True
    assert list(event.days())[-1] == date(2020, 10, 31)


def test_contradicting_all_day_flag_rejected() -> None:
    resource = {
        "id": "e2",
        "summary": "会议",
        "start": {"dateTime": "2020-09-10T14:00:00+08:00", "timeZone": "Asia/Shanghai"},
        "isAllDay": True,
    }

    with pytest.raises(ValueError, match="isAllDay=True"):
        event_from_dingtalk(resource)


def test_missing_start_rejected() -> None:
    with pytest.raises(ValueError, match="event 'e3' has no start"):
        event_from_dingtalk({"id": "e3", "summary": "会议"})


def test_title_over_limit_rejected() -> None:
    event = CalendarEvent("长" * 2049, date(2020, 9, 1))
    with pytest.raises(ValueError, match="at most 2048"):
        event_to_dingtalk(event)


def test_description_over_limit_rejected() -> None:
    event = CalendarEvent("会议", date(2020, 9, 1), description="说" * 5001)
    with pytest.raises(ValueError, match="at most 5000"):
        event_to_dingtalk(event)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31)),
    st.integers(min_value=0, max_value=86_399),
    st.integers(min_value=0, max_value=3 * 86_400),
    st.booleans(),
)
def test_body_round_trip(day: date, offset: int, length: int, all_day: bool) -> None:
    if all_day:
        event = CalendarEvent("会议", day, day + timedelta(days=1 + length // 86_400), uid="x")
    else:
        start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI) + timedelta(seconds=offset)
        event = CalendarEvent("会议", start, start + timedelta(seconds=length), uid="x")

    resource = {"id": "x", **event_to_dingtalk(event)}

    assert event_from_dingtalk(resource) == event
