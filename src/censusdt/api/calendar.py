"""Calendar (日程) endpoints, models and input checks of DingTalk's ``calendar_1.0`` API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError
from censusdt.timeutil import (
    check_epoch_ms,
    format_iso8601,
    from_dingtalk_time,
    parse_iso8601,
    to_dingtalk_time,
)

__all__ = [
    "ADD_ATTENDEES",
    "CREATE_EVENT",
    "CREATE_SUBSCRIBED_CALENDAR",
    "DELETE_EVENT",
    "DELETE_SUBSCRIBED_CALENDAR",
    "GET_EVENT",
    "GET_SUBSCRIBED_CALENDAR",
    "LIST_ATTENDEES",
    "LIST_CALENDARS",
    "LIST_EVENTS",
    "MAX_ATTENDEES_PAGE",
    "MAX_ATTENDEES_PER_CALL",
    "MAX_ATTENDEES_PER_EVENT",
    "MAX_LIST_RESULTS",
    "MAX_SCHEDULE_USERS",
    "PATCH_EVENT",
    "PRIMARY",
    "QUERY_SCHEDULE",
    "REMOVE_ATTENDEES",
    "RESPOND_EVENT",
    "RESPONSE_STATUSES",
    "SUBSCRIBE_CALENDAR",
    "UNSUBSCRIBE_CALENDAR",
    "UPDATE_SUBSCRIBED_CALENDAR",
    "Attendee",
    "CalendarInfo",
    "Event",
    "ScheduleItem",
    "SubscribedCalendar",
    "event_time",
    "instant_text",
]

_USER = "/v1.0/calendar/users/{userId}"
_EVENTS = _USER + "/calendars/{calendarId}/events"
_EVENT = _EVENTS + "/{eventId}"
_SUBSCRIBED = _USER + "/subscribedCalendars"

CREATE_EVENT = Endpoint.new("POST", _EVENTS, idempotent=False)
GET_EVENT = Endpoint.new("GET", _EVENT, idempotent=True)
LIST_EVENTS = Endpoint.new("GET", _EVENTS, idempotent=True)
PATCH_EVENT = Endpoint.new("PUT", _EVENT, idempotent=True)
DELETE_EVENT = Endpoint.new("DELETE", _EVENT, idempotent=True)
ADD_ATTENDEES = Endpoint.new("POST", _EVENT + "/attendees", idempotent=True)
REMOVE_ATTENDEES = Endpoint.new("POST", _EVENT + "/attendees/batchRemove", idempotent=True)
LIST_ATTENDEES = Endpoint.new("GET", _EVENT + "/attendees", idempotent=True)
RESPOND_EVENT = Endpoint.new("POST", _EVENT + "/respond", idempotent=True)
LIST_CALENDARS = Endpoint.new("GET", _USER + "/calendars", idempotent=True)
QUERY_SCHEDULE = Endpoint.new("POST", _USER + "/querySchedule", idempotent=True)
CREATE_SUBSCRIBED_CALENDAR = Endpoint.new("POST", _SUBSCRIBED, idempotent=False)
GET_SUBSCRIBED_CALENDAR = Endpoint.new("GET", _SUBSCRIBED + "/{calendarId}", idempotent=True)
UPDATE_SUBSCRIBED_CALENDAR = Endpoint.new("PUT", _SUBSCRIBED + "/{calendarId}", idempotent=True)
DELETE_SUBSCRIBED_CALENDAR = Endpoint.new("DELETE", _SUBSCRIBED + "/{calendarId}", idempotent=True)
SUBSCRIBE_CALENDAR = Endpoint.new(
    "POST", _USER + "/calendars/{calendarId}/subscribe", idempotent=True
)
UNSUBSCRIBE_CALENDAR = Endpoint.new(
    "POST", _USER + "/calendars/{calendarId}/unsubscribe", idempotent=True
)

#: A user's main calendar; DingTalk's event APIs take this calendarId.
PRIMARY = "primary"
#: CreateEvent and AddAttendee change at most 500 attendees per call, and an event contains at most 5000.
MAX_ATTENDEES_PER_CALL = 500
MAX_ATTENDEES_PER_EVENT = 5000
#: ListAttendees returns at most 500 attendees per page.
MAX_ATTENDEES_PAGE = 500
#: ListEvents returns at most 100 events per page.
MAX_LIST_RESULTS = 100
#: GetSchedule (free/busy) takes at most 20 people.
MAX_SCHEDULE_USERS = 20
RESPONSE_STATUSES = ("needsAction", "accepted", "declined", "tentative")


def event_time(field: str, value: object) -> tuple[list[FieldError], dict[str, str] | None]:
    """Build a ``start``/``end`` object from a date (all-day) or an aware datetime.

    Calendar times travel as ISO strings, so a number is a mistake. The message states whether it
    looks like epoch seconds or milliseconds and how to pass it instead.
    """
    if isinstance(value, (dt.date, dt.datetime)):
        try:
            return [], to_dingtalk_time(value)
        except ValueError as error:
            return [FieldError(field, value, str(error))], None
    return [FieldError(field, value, _not_a_time(field, value))], None


def instant_text(field: str, value: object) -> tuple[list[FieldError], str | None]:
    """Format an aware datetime as the ISO 8601 text ListEvents and GetSchedule take."""
    if isinstance(value, dt.datetime):
        try:
            return [], format_iso8601(value)
        except ValueError as error:
            return [FieldError(field, value, str(error))], None
    return [FieldError(field, value, _not_a_time(field, value))], None


def _not_a_time(field: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            check_epoch_ms(value, name=field)
        except ValueError as error:
            detail = str(error)
        else:
            detail = f"{field}={value} looks like epoch milliseconds"
        return (
            f"calendar times are ISO 8601 strings, not numbers ({detail}); pass an aware "
            f"datetime, e.g. datetime.fromtimestamp(seconds, ZoneInfo('Asia/Shanghai'))"
        )
    return f"expected an aware datetime or a date, got {type(value).__name__}"


@attrs.frozen
class Attendee:
    """An attendee or the organizer; ``id`` is a unionId."""

    id: str
    display_name: str = ""
    response_status: str = "needsAction"
    is_optional: bool = False
    is_self: bool = False

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> Attendee:
        return cls(
            id=str(body.get("id") or ""),
            display_name=str(body.get("displayName") or ""),
            response_status=str(body.get("responseStatus") or "needsAction"),
            is_optional=bool(body.get("isOptional", False)),
            is_self=bool(body.get("self", False)),
        )


def _optional_iso(value: Any) -> dt.datetime | None:
    if not value:
        return None
    return parse_iso8601(str(value))


@attrs.frozen
class Event:
    """A calendar event; all-day events have ``date`` start and (exclusive) end."""

    id: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    is_all_day: bool
    status: str = "confirmed"
    description: str | None = None
    location: str | None = None
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    create_time: dt.datetime | None = None
    update_time: dt.datetime | None = None
    raw: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> Event:
        start = from_dingtalk_time(body["start"], name="start")
        end_form = body.get("end")
        end = from_dingtalk_time(end_form, name="end") if isinstance(end_form, Mapping) else None
        location = body.get("location")
        organizer = body.get("organizer")
        return cls(
            id=str(body["id"]),
            summary=str(body.get("summary") or ""),
            start=start,
            end=end,
            is_all_day=not isinstance(start, dt.datetime),
            status=str(body.get("status") or "confirmed"),
            description=body.get("description"),
            location=(
                str(location.get("displayName") or "") if isinstance(location, Mapping) else None
            ),
            organizer=Attendee.from_wire(organizer) if isinstance(organizer, Mapping) else None,
            attendees=tuple(Attendee.from_wire(item) for item in body.get("attendees") or []),
            create_time=_optional_iso(body.get("createTime")),
            update_time=_optional_iso(body.get("updateTime")),
            raw=dict(body),
        )


@attrs.frozen
class CalendarInfo:
    """One calendar of a user: ``primary``, ``subscribed`` or ``shared``."""

    id: str
    summary: str
    type: str
    privilege: str
    description: str = ""
    time_zone: str = ""

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> CalendarInfo:
        return cls(
            id=str(body.get("id") or ""),
            summary=str(body.get("summary") or ""),
            type=str(body.get("type") or "unknown"),
            privilege=str(body.get("privilege") or ""),
            description=str(body.get("description") or ""),
            time_zone=str(body.get("timeZone") or ""),
        )


@attrs.frozen
class SubscribedCalendar:
    """A public calendar that people in its scope can subscribe to."""

    calendar_id: str
    name: str
    author: str
    description: str = ""
    managers: tuple[str, ...] = ()
    union_ids: tuple[str, ...] = ()
    open_conversation_ids: tuple[str, ...] = ()
    corp_ids: tuple[str, ...] = ()

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> SubscribedCalendar:
        scope = body.get("subscribeScope") or {}
        return cls(
            calendar_id=str(body.get("calendarId") or ""),
            name=str(body.get("name") or ""),
            author=str(body.get("author") or ""),
            description=str(body.get("description") or ""),
            managers=tuple(str(item) for item in body.get("managers") or []),
            union_ids=tuple(str(item) for item in scope.get("unionIds") or []),
            open_conversation_ids=tuple(
                str(item) for item in scope.get("openConversationIds") or []
            ),
            corp_ids=tuple(str(item) for item in scope.get("corpIds") or []),
        )


@attrs.frozen
class ScheduleItem:
    """One busy span of a person: ``status`` is ``BUSY`` or ``TENTATIVE``."""

    status: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> ScheduleItem:
        return cls(
            status=str(body.get("status") or "BUSY"),
            start=from_dingtalk_time(body["start"], name="start"),
            end=from_dingtalk_time(body["end"], name="end"),
        )


def scope_body(
    union_ids: Sequence[str], open_conversation_ids: Sequence[str], corp_ids: Sequence[str]
) -> dict[str, list[str]]:
    return {
        "unionIds": list(union_ids),
        "openConversationIds": list(open_conversation_ids),
        "corpIds": list(corp_ids),
    }
