"""Tests for iCalendar export and import of census calendar events."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from censusdt.census.calendar import CalendarEvent, from_ics, load_census7_milestones, to_ics
from censusdt.timeutil import SHANGHAI

STAMP = datetime(2020, 9, 1, tzinfo=timezone.utc)

# Chinese, ASCII, the characters iCalendar escapes (, ; \ and line breaks), and spaces.
text_alphabet = st.sampled_from(
    list("普查员入户登记摸底长表复查会议室第一二三abcXYZ019 ,;:\\\"'\n\r\t@#（）：，。")
)
texts = st.text(alphabet=text_alphabet, max_size=40)
titles = texts.filter(str.strip)
uids = st.none() | st.text(alphabet="abcdef0123456789-@.", min_size=1, max_size=30)
days = st.dates(min_value=date(1992, 1, 1), max_value=date(2037, 12, 31))


@st.composite
def calendar_events(draw: st.DrawFn) -> CalendarEvent:
    title = draw(titles)
    start_day = draw(days)
    location = draw(texts)
    description = draw(texts)
    uid = draw(uids)

    if draw(st.booleans()):
        end = start_day + timedelta(days=draw(st.integers(min_value=1, max_value=60)))
        return CalendarEvent(
            title, start_day, end, location=location, description=description, uid=uid
        )

    zone = draw(st.sampled_from([SHANGHAI, timezone.utc, timezone(timedelta(hours=-5))]))
    start = datetime(
        start_day.year,
        start_day.month,
        start_day.day,
        draw(st.integers(0, 23)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 59)),
        draw(st.integers(0, 999_999)),
        tzinfo=zone,
    )
    end = start + timedelta(seconds=draw(st.integers(min_value=0, max_value=5 * 86_400)))
    return CalendarEvent(title, start, end, location=location, description=description, uid=uid)


@settings(max_examples=150, deadline=None)
@given(st.lists(calendar_events(), max_size=8, unique_by=lambda event: event.uid))
def test_ics_round_trip(events: list[CalendarEvent]) -> None:
    assert from_ics(to_ics(events, "七人普日历")) == events


def test_all_day_written_as_date() -> None:
    event = CalendarEvent("入户登记", date(2020, 11, 1), date(2020, 12, 11), uid="enumeration")

    text = to_ics([event], "七人普日历", stamp=STAMP).decode()

    assert "DTSTART;VALUE=DATE:20201101\r\n" in text
    assert "DTEND;VALUE=DATE:20201211\r\n" in text


def test_timed_written_with_shanghai_tzid() -> None:
    start = datetime(2020, 11, 1, 1, 0, tzinfo=timezone.utc)
    event = CalendarEvent("培训", start, start + timedelta(hours=1), uid="training")

    text = to_ics([event], "日历", stamp=STAMP).decode()

    assert "DTSTART;TZID=Asia/Shanghai:20201101T090000\r\n" in text
    assert "DTEND;TZID=Asia/Shanghai:20201101T100000\r\n" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n" in text


def test_calendar_properties() -> None:
    text = to_ics([], "寿光市人普办", stamp=STAMP).decode()

    assert "X-WR-CALNAME:寿光市人普办\r\n" in text
    assert "X-WR-TIMEZONE:Asia/Shanghai\r\n" in text
    assert "VERSION:2.0\r\n" in text
    assert text.startswith("BEGIN:VCALENDAR\r\n")


def test_export_is_deterministic_with_stamp() -> None:
    events = [milestone.to_event() for milestone in load_census7_milestones()]

    first = to_ics(events, "七人普", stamp=STAMP)
    second = to_ics(events, "七人普", stamp=STAMP)

    assert first == second


def test_uids_stable_across_exports() -> None:
    events = [milestone.to_event() for milestone in load_census7_milestones()]

    earlier = from_ics(to_ics(events, "七人普", stamp=STAMP))
    later = from_ics(to_ics(events, "七人普", stamp=STAMP + timedelta(days=30)))

    assert [event.uid for event in earlier] == [event.uid for event in later]
    assert "census7-enumeration@censusdt" in {event.uid for event in earlier}


def test_derived_uid_survives_reexport() -> None:
    event = CalendarEvent("业务培训", date(2020, 9, 1))

    reparsed = from_ics(to_ics([event], "日历"))[0]

    assert reparsed.uid == event.uid
    assert CalendarEvent("业务培训", date(2020, 9, 1)).uid == reparsed.uid


def test_identical_duplicates_written_once() -> None:
    event = CalendarEvent("会议", date(2020, 9, 1), uid="same")

    reparsed = from_ics(to_ics([event, event], "日历"))

    assert reparsed == [event]


def test_conflicting_uid_rejected() -> None:
    first = CalendarEvent("会议", date(2020, 9, 1), uid="same")
    second = CalendarEvent("另一个会议", date(2020, 9, 2), uid="same")

    with pytest.raises(ValueError, match="uid='same' is used by two different events"):
        to_ics([first, second], "日历")


EXTERNAL = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//other//app//EN\r
BEGIN:VEVENT\r
UID:floating\r
DTSTAMP:20200901T000000Z\r
SUMMARY:Floating meeting\r
DTSTART:20201102T090000\r
DTEND:20201102T100000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:utc\r
DTSTAMP:20200901T000000Z\r
SUMMARY:UTC call\r
DTSTART:20201102T010000Z\r
DURATION:PT30M\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:no-end-day\r
DTSTAMP:20200901T000000Z\r
SUMMARY:Deadline\r
DTSTART;VALUE=DATE:20201105\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:no-end-time\r
DTSTAMP:20200901T000000Z\r
SUMMARY:Reference time\r
DTSTART;TZID=Asia/Shanghai:20201101T000000\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_import_external_file() -> None:
    floating, utc, deadline, reference = from_ics(EXTERNAL.encode())

    assert floating.start == datetime(2020, 11, 2, 9, 0, tzinfo=SHANGHAI)
    assert floating.end == datetime(2020, 11, 2, 10, 0, tzinfo=SHANGHAI)
    assert utc.start == datetime(2020, 11, 2, 9, 0, tzinfo=SHANGHAI)
    assert utc.end == datetime(2020, 11, 2, 9, 30, tzinfo=SHANGHAI)
    assert deadline.all_day is True
    assert deadline.end == date(2020, 11, 6)
    assert reference.end == reference.start


def test_import_without_dtstart_rejected() -> None:
    calendar = icalendar.Calendar()
    component = icalendar.Event()
    component.add("uid", "broken")
    component.add("summary", "无开始时间")
    calendar.add_component(component)

    with pytest.raises(ValueError, match=r"VEVENT #1 \(uid='broken'\) has no DTSTART"):
        from_ics(calendar.to_ical())


def test_import_end_before_start_rejected() -> None:
    text = EXTERNAL.replace("DTEND:20201102T100000", "DTEND:20201102T080000")

    with pytest.raises(ValueError, match=r"uid='floating'.*is before start"):
        from_ics(text)
