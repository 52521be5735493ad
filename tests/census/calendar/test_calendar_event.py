"""Tests for CalendarEvent: normalisation, validation, covered days and UIDs."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from censusdt.census.calendar import CalendarEvent
from censusdt.timeutil import SHANGHAI


def test_all_day_defaults_to_one_day() -> None:
    event = CalendarEvent("自主填报截止", date(2020, 11, 5))

    assert event.all_day is True
    assert event.start == date(2020, 11, 5)
    assert event.end == date(2020, 11, 6)
    assert list(event.days()) == [date(2020, 11, 5)]


def test_all_day_end_is_exclusive() -> None:
    event = CalendarEvent("入户登记", date(2020, 11, 1), date(2020, 12, 11))

    days = list(event.days())

    assert days[0] == date(2020, 11, 1)
    assert days[-1] == date(2020, 12, 10)
    assert len(days) == 40
    assert event.occurs_on(date(2020, 12, 10))
    assert not event.occurs_on(date(2020, 12, 11))


def test_all_day_end_not_after_start() -> None:
    with pytest.raises(ValueError, match="exclusive") as info:
        CalendarEvent("摸底", date(2020, 10, 11), date(2020, 10, 11))
    assert "ends on 2020-10-12" in str(info.value)


def test_timed_converted_to_shanghai() -> None:
    start = datetime(2020, 11, 1, 1, 0, 0, 123_456, tzinfo=timezone.utc)

    event = CalendarEvent("培训", start, start + timedelta(hours=2))

    assert event.all_day is False
    assert isinstance(event.start, datetime)
    assert event.start.tzinfo is SHANGHAI
    assert event.start.hour == 9
    assert event.start.microsecond == 0
    assert event.end == datetime(2020, 11, 1, 11, 0, tzinfo=SHANGHAI)


def test_timed_defaults_to_zero_length() -> None:
    start = datetime(2020, 11, 1, tzinfo=SHANGHAI)

    event = CalendarEvent("普查标准时点", start)

    assert event.end == start
    assert list(event.days()) == [date(2020, 11, 1)]


def test_timed_ending_at_midnight_covers_one_day() -> None:
    start = datetime(2020, 11, 2, 20, 0, tzinfo=SHANGHAI)
    event = CalendarEvent("值班", start, datetime(2020, 11, 3, 0, 0, tzinfo=SHANGHAI))
    assert list(event.days()) == [date(2020, 11, 2)]


def test_timed_across_midnight_covers_two_days() -> None:
    start = datetime(2020, 11, 2, 20, 0, tzinfo=SHANGHAI)
    event = CalendarEvent("夜间值班", start, datetime(2020, 11, 3, 8, 0, tzinfo=SHANGHAI))
    assert list(event.days()) == [date(2020, 11, 2), date(2020, 11, 3)]


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        CalendarEvent("培训", datetime(2020, 11, 2, 9, 0))


def test_datetime_for_all_day_rejected() -> None:
    with pytest.raises(ValueError, match=r"all-day event takes dates"):
        CalendarEvent("培训", datetime(2020, 11, 2, 9, tzinfo=SHANGHAI), all_day=True)


def test_date_for_timed_rejected() -> None:
    with pytest.raises(ValueError, match="timed event takes aware datetimes"):
        CalendarEvent("培训", date(2020, 11, 2), all_day=False)


def test_timed_end_before_start_rejected() -> None:
    start = datetime(2020, 11, 2, 9, tzinfo=SHANGHAI)
    with pytest.raises(ValueError, match="is before start"):
        CalendarEvent("培训", start, start - timedelta(minutes=1))


@pytest.mark.parametrize("title", ["", "   ", "\n"])
def test_empty_title_rejected(title: str) -> None:
    with pytest.raises(ValueError, match="title="):
        CalendarEvent(title, date(2020, 11, 2))


def test_derived_uid_is_stable() -> None:
    first = CalendarEvent("业务培训", date(2020, 9, 1), date(2020, 9, 3))
    second = CalendarEvent("业务培训", date(2020, 9, 1), date(2020, 9, 3))
    renamed = CalendarEvent("业务培训（二）", date(2020, 9, 1), date(2020, 9, 3))

    assert first.uid == second.uid
    assert first.uid.endswith("@censusdt")
    assert renamed.uid != first.uid


def test_explicit_uid_kept() -> None:
    event = CalendarEvent("培训", date(2020, 9, 1), uid="evt-1")
    assert event.uid == "evt-1"


@pytest.mark.parametrize("uid", ["", "a\nb", "a\rb"])
def test_invalid_uid_rejected(uid: str) -> None:
    with pytest.raises(ValueError, match="uid="):
        CalendarEvent("培训", date(2020, 9, 1), uid=uid)


def test_line_breaks_normalised() -> None:
    event = CalendarEvent("a\r\nb", date(2020, 9, 1), description="c\rd", location="e\r\nf")

    assert event.title == "a\nb"
    assert event.description == "c\nd"
    assert event.location == "e\nf"


def test_overlaps_range() -> None:
    event = CalendarEvent("摸底", date(2020, 10, 11), date(2020, 11, 1))

    assert event.overlaps(date(2020, 10, 31), date(2020, 11, 6))
    assert event.overlaps(date(2020, 10, 1), date(2020, 10, 11))
    assert not event.overlaps(date(2020, 11, 1), date(2020, 11, 7))
    assert not event.overlaps(date(2020, 10, 1), date(2020, 10, 10))
