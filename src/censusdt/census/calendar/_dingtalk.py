"""Convert calendar events to and from DingTalk calendar event JSON (calendar v1.0)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from censusdt.census.calendar._event import CalendarEvent
from censusdt.timeutil import from_dingtalk_time, to_dingtalk_time

__all__ = ["event_from_dingtalk", "event_to_dingtalk"]

# CreateEvent limits: summary up to 2048 characters, description up to 5000.
MAX_SUMMARY_LENGTH = 2048
MAX_DESCRIPTION_LENGTH = 5000


def event_to_dingtalk(event: CalendarEvent) -> dict[str, Any]:
    """Build the CreateEvent/PatchEvent body fields that describe ``event``.

    Gives ``summary``, ``start``, ``end``, ``isAllDay`` and, when set, ``description``
    and ``location``. An all-day event's end date stays exclusive, as DingTalk expects.
    Raises ValueError when the title or description is longer than DingTalk accepts.
    """
    if len(event.title) > MAX_SUMMARY_LENGTH:
        raise ValueError(
            f"title of event {event.uid!r} has {len(event.title)} characters; DingTalk "
            f"accepts at most {MAX_SUMMARY_LENGTH}, so shorten it"
        )
    if len(event.description) > MAX_DESCRIPTION_LENGTH:
        raise ValueError(
            f"description of event {event.uid!r} has {len(event.description)} characters; "
            f"DingTalk accepts at most {MAX_DESCRIPTION_LENGTH}, so shorten it"
        )

    body: dict[str, Any] = {
        "summary": event.title,
        "start": to_dingtalk_time(event.start),
        "end": to_dingtalk_time(event.end),
        "isAllDay": event.all_day,
    }
    if event.description:
        body["description"] = event.description
    if event.location:
        body["location"] = {"displayName": event.location}
    return body


def event_from_dingtalk(resource: Mapping[str, Any]) -> CalendarEvent:
    """Build a CalendarEvent from a DingTalk event resource (GetEvent, ListEvents items).

    The event ``id`` becomes the UID. Whether the event is all-day follows from its
    ``start`` form (``date`` or ``dateTime``). Raises ValueError when ``isAllDay``
    contradicts that form or a field is malformed.
    """
    event_id = resource.get("id") or None
    label = f"event {event_id!r}"

    start_form = resource.get("start")
    if not isinstance(start_form, Mapping):
        raise ValueError(f"{label} has no start object: {start_form!r}")
    start = from_dingtalk_time(start_form, name="start")

    end_form = resource.get("end")
    end = from_dingtalk_time(end_form, name="end") if isinstance(end_form, Mapping) else None

    location = resource.get("location")
    location_name = ""
    if isinstance(location, Mapping):
        location_name = str(location.get("displayName") or "")

    event = CalendarEvent(
        str(resource.get("summary") or ""),
        start,
        end,
        location=location_name,
        description=str(resource.get("description") or ""),
        uid=str(event_id) if event_id is not None else None,
    )

    is_all_day = resource.get("isAllDay")
    if is_all_day is not None and bool(is_all_day) != event.all_day:
        raise ValueError(
            f"{label} has isAllDay={is_all_day!r}, but its start {dict(start_form)!r} is "
            f"{'a date' if event.all_day else 'a dateTime'}"
        )
    return event
