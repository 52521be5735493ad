"""Write and read iCalendar (RFC 5545) files of census calendar events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

import icalendar

from censusdt.census.calendar._event import CalendarEvent
from censusdt.timeutil import SHANGHAI, SHANGHAI_NAME

__all__ = ["from_ics", "to_ics"]

PRODUCT_ID = "-//censusdt//census calendar//ZH"


def _event_component(event: CalendarEvent, stamp: datetime) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp)
    component.add("summary", event.title)

    # icalendar writes a date as VALUE=DATE and a zoneinfo datetime with its TZID.
    component.add("dtstart", event.start)
    component.add("dtend", event.end)

    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    return component


def to_ics(
    events: Iterable[CalendarEvent],
    calendar_name: str,
    *,
    stamp: datetime | None = None,
) -> bytes:
    """Write events as an iCalendar file that calendar apps can import or subscribe to.

    All-day events get DATE values and timed events Asia/Shanghai TZIDs, with the
    VTIMEZONE included. ``stamp`` is the DTSTAMP of every event and defaults to now,
    so pass a fixed value for byte-identical output. Repeated identical events are
    written once. Raises ValueError when two different events share a UID.
    """
    if stamp is None:
        stamp = datetime.now(timezone.utc)
    stamp = stamp.astimezone(timezone.utc).replace(microsecond=0)

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", SHANGHAI_NAME)

    written: dict[str, CalendarEvent] = {}
    for event in events:
        earlier = written.get(event.uid)
        if earlier == event:
            continue
        if earlier is not None:
            raise ValueError(
                f"uid={event.uid!r} is used by two different events ({earlier.title!r} and "
                f"{event.title!r}); give each event its own uid"
            )
        written[event.uid] = event
        calendar.add_component(_event_component(event, stamp))

    calendar.add_missing_timezones()
    result: bytes = calendar.to_ical()
    return result


def _text(component: icalendar.Component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    return str(value)


def _as_event_time(value: date | datetime) -> date | datetime:
    # A floating time (no TZID, no Z) has no zone of its own. Census calendars are
    # all in Asia/Shanghai, so read it there.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value


def _parse_event(component: icalendar.Component, index: int) -> CalendarEvent:
    uid = _text(component, "uid") or None
    label = f"VEVENT #{index} (uid={uid!r})"

    if "dtstart" not in component:
        raise ValueError(f"{label} has no DTSTART")
    start = _as_event_time(component.decoded("dtstart"))

    end: date | datetime | None = None
    if "dtend" in component:
        end = _as_event_time(component.decoded("dtend"))
    elif "duration" in component:
        duration = component.decoded("duration")
        if not isinstance(duration, timedelta):
            raise ValueError(f"{label} has an unreadable DURATION {duration!r}")
        end = start + duration

    # NOTE: an RRULE is not expanded; a recurring event comes back as its first occurrence.
    try:
        return CalendarEvent(
            _text(component, "summary"),
            start,
            end,
            location=_text(component, "location"),
            description=_text(component, "description"),
            uid=uid,
        )
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from None


def from_ics(data: bytes | str) -> list[CalendarEvent]:
    """Read the VEVENTs of an iCalendar file, in file order.

    DATE values give all-day events and DATE-TIME values give timed events in
    Asia/Shanghai. A floating time is read as Asia/Shanghai local time. An event
    without DTEND ends after its DURATION, or after one day (all-day) or at its start
    (timed), as RFC 5545 specifies.
    """
    calendar = icalendar.Calendar.from_ical(data)
    return [
        _parse_event(component, index)
        for index, component in enumerate(calendar.walk("VEVENT"), start=1)
    ]
