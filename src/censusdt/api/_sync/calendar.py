# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Typed calls for DingTalk calendars (日程): events, attendees, free/busy, subscribed calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from censusdt._sync.pagination import Paginator
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api._sync.todo import sync_union_ids
from censusdt.api.calendar import (
    ADD_ATTENDEES,
    CREATE_EVENT,
    CREATE_SUBSCRIBED_CALENDAR,
    DELETE_EVENT,
    DELETE_SUBSCRIBED_CALENDAR,
    GET_EVENT,
    GET_SUBSCRIBED_CALENDAR,
    LIST_ATTENDEES,
    LIST_CALENDARS,
    LIST_EVENTS,
    MAX_ATTENDEES_PAGE,
    MAX_ATTENDEES_PER_CALL,
    MAX_LIST_RESULTS,
    MAX_SCHEDULE_USERS,
    PATCH_EVENT,
    PRIMARY,
    QUERY_SCHEDULE,
    REMOVE_ATTENDEES,
    RESPOND_EVENT,
    RESPONSE_STATUSES,
    SUBSCRIBE_CALENDAR,
    UNSUBSCRIBE_CALENDAR,
    UPDATE_SUBSCRIBED_CALENDAR,
    Attendee,
    CalendarInfo,
    Event,
    ScheduleItem,
    SubscribedCalendar,
    event_time,
    instant_text,
    scope_body,
)

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["Calendar"]

# CreateEvent/PatchEvent limits: summary up to 2048 characters, description up to 5000.
MAX_SUMMARY_LENGTH = 2048
MAX_DESCRIPTION_LENGTH = 5000
MAX_CALENDAR_NAME = 127
MAX_CALENDAR_DESCRIPTION = 1024


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


def _attendee_errors(field: str, union_ids: Sequence[str]) -> list[FieldError]:
    errors = []
    if len(union_ids) > MAX_ATTENDEES_PER_CALL:
        errors.append(
            FieldError(
                field,
                f"{len(union_ids)} ids",
                f"at most {MAX_ATTENDEES_PER_CALL} per call; add the rest with add_attendees",
            )
        )
    for index, value in enumerate(union_ids):
        if not isinstance(value, str) or not value.strip():
            errors.append(FieldError(f"{field}[{index}]", value, "must be a non-empty unionId"))
    return errors


def _text_errors(field: str, value: str | None, maximum: int) -> list[FieldError]:
    if value is not None and len(value) > maximum:
        return [
            FieldError(field, f"{value[:20]}…", f"has {len(value)} characters; at most {maximum}")
        ]
    return []


class Calendar:
    """Calendars of the app's corp (``client.calendar``).

    ``user`` is always a unionId, as in DingTalk's paths: the organizer for changes, the
    attendee for responses, the viewer for reads. ``union_ids`` converts userids (cached).
    Timed events take aware datetimes; all-day events take dates, read as Asia/Shanghai days,
    and their end date is exclusive.
    """

    def __init__(self, client: DingTalk) -> None:
        self._client = client

    def union_ids(self, userids: Iterable[str]) -> dict[str, str]:
        """Map userids to unionIds (cached per client)."""
        return sync_union_ids(self._client, userids)

    # Events.

    def create_event(
        self,
        user: str,
        summary: str,
        start: dt.date | dt.datetime,
        end: dt.date | dt.datetime,
        *,
        attendees: Sequence[str] = (),
        optional_attendees: Sequence[str] = (),
        description: str | None = None,
        location: str | None = None,
        reminder_minutes: Sequence[int] | None = None,
        online_meeting: bool = False,
        calendar_id: str = PRIMARY,
    ) -> Event:
        """Create an event organised by ``user`` and return it.

        At most 500 attendees go in one call; invite the rest with ``add_attendees``.
        ``reminder_minutes`` of ``[]`` means no reminder; ``None`` keeps DingTalk's 15 minutes.
        """
        errors = _text_errors("summary", summary, MAX_SUMMARY_LENGTH) + _text_errors(
            "description", description, MAX_DESCRIPTION_LENGTH
        )
        if not summary or not summary.strip():
            errors.append(FieldError("summary", summary, "must not be empty"))
        start_errors, start_body = event_time("start", start)
        end_errors, end_body = event_time("end", end)
        errors += start_errors + end_errors
        everyone = [*attendees, *optional_attendees]
        errors += _attendee_errors("attendees", everyone)
        if start_body is not None and end_body is not None:
            errors += _span_errors(start, end)
        _raise_if(errors)

        body: dict[str, Any] = {
            "summary": summary,
            "start": start_body,
            "end": end_body,
            "isAllDay": "date" in (start_body or {}),
        }
        if everyone:
            body["attendees"] = [{"id": union_id, "isOptional": False} for union_id in attendees]
            body["attendees"] += [
                {"id": union_id, "isOptional": True} for union_id in optional_attendees
            ]
        if description is not None:
            body["description"] = description
        if location is not None:
            body["location"] = {"displayName": location}
        if reminder_minutes is not None:
            body["reminders"] = [
                {"method": "dingtalk", "minutes": minutes} for minutes in reminder_minutes
            ]
        if online_meeting:
            body["onlineMeetingInfo"] = {"type": "dingtalk"}

        # NOTE: DingTalk's x-client-token idempotency header is not sent, because
        # client.request takes no extra headers; a create is never retried blindly instead.
        reply = self._client.request(
            CREATE_EVENT,
            json=body,
            path_params={"userId": user, "calendarId": calendar_id},
        )
        return Event.from_wire(reply)

    def get_event(
        self, user: str, event_id: str, *, calendar_id: str = PRIMARY, max_attendees: int = 100
    ) -> Event:
        """Return one event as it appears in ``user``'s calendar (at most ``max_attendees`` attendees, ≤500)."""
        if not 0 <= max_attendees <= 500:
            raise ValidationError(
                [FieldError("max_attendees", max_attendees, "must be between 0 and 500")]
            )
        reply = self._client.request(
            GET_EVENT,
            params={"maxAttendees": max_attendees},
            path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
        )
        return Event.from_wire(reply)

    def list_events(
        self,
        user: str,
        *,
        time_min: dt.datetime | None = None,
        time_max: dt.datetime | None = None,
        calendar_id: str = PRIMARY,
        show_deleted: bool = False,
        page_size: int = MAX_LIST_RESULTS,
        max_attendees: int = 100,
    ) -> Paginator[Event]:
        """Iterate the events of a calendar that end after ``time_min`` and start before
        ``time_max`` (a window of at most one year), page by page."""
        errors: list[FieldError] = []
        params: dict[str, Any] = {"maxResults": page_size, "maxAttendees": max_attendees}
        for name, value in (("time_min", time_min), ("time_max", time_max)):
            if value is None:
                continue
            value_errors, text = instant_text(name, value)
            errors += value_errors
            params["timeMin" if name == "time_min" else "timeMax"] = text
        if not 1 <= page_size <= MAX_LIST_RESULTS:
            errors.append(FieldError("page_size", page_size, "must be between 1 and 100"))
        if not 0 <= max_attendees <= MAX_LIST_RESULTS:
            errors.append(FieldError("max_attendees", max_attendees, "must be between 0 and 100"))
        if (
            not errors
            and time_min is not None
            and time_max is not None
            and time_max - time_min > dt.timedelta(days=366)
        ):
            errors.append(
                FieldError("time_max", time_max, "the window from time_min spans over one year")
            )
        _raise_if(errors)
        if show_deleted:
            params["showDeleted"] = True

        def fetch_page(cursor: Any) -> Page[Event]:
            page_params = dict(params)
            if cursor is not None:
                page_params["nextToken"] = cursor
            reply = self._client.request(
                LIST_EVENTS,
                params=page_params,
                path_params={"userId": user, "calendarId": calendar_id},
            )
            events = [Event.from_wire(item) for item in reply.get("events") or []]
            return Page(events, reply.get("nextToken") or None)

        return Paginator(fetch_page)

    def patch_event(
        self,
        user: str,
        event_id: str,
        *,
        summary: str | None = None,
        start: dt.date | dt.datetime | None = None,
        end: dt.date | dt.datetime | None = None,
        description: str | None = None,
        location: str | None = None,
        calendar_id: str = PRIMARY,
    ) -> Event:
        """Change an event's fields as its organizer ``user``; the fields not given stay."""
        errors = _text_errors("summary", summary, MAX_SUMMARY_LENGTH) + _text_errors(
            "description", description, MAX_DESCRIPTION_LENGTH
        )
        body: dict[str, Any] = {"id": event_id}
        if start is not None or end is not None:
            if start is None or end is None:
                errors.append(
                    FieldError(
                        "end" if end is None else "start", None, "give start and end together"
                    )
                )
            else:
                start_errors, body["start"] = event_time("start", start)
                end_errors, body["end"] = event_time("end", end)
                errors += start_errors + end_errors
                if not start_errors and not end_errors:
                    errors += _span_errors(start, end)
                    body["isAllDay"] = "date" in body["start"]
        _raise_if(errors)
        if summary is not None:
            body["summary"] = summary
        if description is not None:
            body["description"] = description
        if location is not None:
            body["location"] = {"displayName": location}

        reply = self._client.request(
            PATCH_EVENT,
            json=body,
            path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
        )
        return Event.from_wire(reply)

    def delete_event(
        self,
        user: str,
        event_id: str,
        *,
        calendar_id: str = PRIMARY,
        push_notification: bool | None = None,
    ) -> None:
        """Delete an event: for everyone when ``user`` organises it, else from their calendar."""
        params = {} if push_notification is None else {"pushNotification": push_notification}
        self._client.request(
            DELETE_EVENT,
            params=params,
            path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
        )

    def add_attendees(
        self,
        user: str,
        event_id: str,
        attendees: Sequence[str],
        *,
        optional: bool = False,
        calendar_id: str = PRIMARY,
    ) -> None:
        """Invite up to 500 more people to an event organised by ``user``."""
        errors = _attendee_errors("attendees", attendees)
        if not attendees:
            errors.append(FieldError("attendees", [], "give at least one attendee"))
        _raise_if(errors)
        body = {"attendeesToAdd": [{"id": item, "isOptional": optional} for item in attendees]}
        self._client.request(
            ADD_ATTENDEES,
            json=body,
            path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
        )

    def remove_attendees(
        self, user: str, event_id: str, attendees: Sequence[str], *, calendar_id: str = PRIMARY
    ) -> None:
        """Remove up to 500 people from an event organised by ``user``."""
        _raise_if(_attendee_errors("attendees", attendees))
        body = {"attendeesToRemove": [{"id": item} for item in attendees]}
        self._client.request(
            REMOVE_ATTENDEES,
            json=body,
            path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
        )

    def attendees(
        self,
        user: str,
        event_id: str,
        *,
        calendar_id: str = PRIMARY,
        page_size: int = MAX_ATTENDEES_PAGE,
    ) -> Paginator[Attendee]:
        """Iterate every attendee of an event with their response, page by page (≤500 a page)."""
        if not 1 <= page_size <= MAX_ATTENDEES_PAGE:
            raise ValidationError([FieldError("page_size", page_size, "must be between 1 and 500")])

        def fetch_page(cursor: Any) -> Page[Attendee]:
            params: dict[str, Any] = {"maxResults": page_size}
            if cursor is not None:
                params["nextToken"] = cursor
            reply = self._client.request(
                LIST_ATTENDEES,
                params=params,
                path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
            )
            items = [Attendee.from_wire(item) for item in reply.get("attendees") or []]
            return Page(items, reply.get("nextToken") or None)

        return Paginator(fetch_page)

    def respond(
        self, user: str, event_id: str, status: str, *, calendar_id: str = PRIMARY
    ) -> None:
        """Record attendee ``user``'s response: accepted, declined, tentative or needsAction."""
        if status not in RESPONSE_STATUSES:
            raise ValidationError(
                [FieldError("status", status, f"must be one of {', '.join(RESPONSE_STATUSES)}")]
            )
        self._client.request(
            RESPOND_EVENT,
            json={"responseStatus": status},
            path_params={"userId": user, "calendarId": calendar_id, "eventId": event_id},
        )

    # Calendars and free/busy.

    def calendars(self, user: str) -> list[CalendarInfo]:
        """List ``user``'s calendars: the primary one and the subscribed ones."""
        reply = self._client.request(LIST_CALENDARS, path_params={"userId": user})
        items = (reply.get("response") or {}).get("calendars") or []
        return [CalendarInfo.from_wire(item) for item in items]

    def free_busy(
        self, user: str, people: Sequence[str], start: dt.datetime, end: dt.datetime
    ) -> dict[str, list[ScheduleItem]]:
        """Return each person's busy spans between ``start`` and ``end`` (at most 20 people)."""
        errors = []
        if not people or len(people) > MAX_SCHEDULE_USERS:
            errors.append(
                FieldError("people", f"{len(people)} ids", "give 1 to 20 unionIds per call")
            )
        start_errors, start_text = instant_text("start", start)
        end_errors, end_text = instant_text("end", end)
        _raise_if(errors + start_errors + end_errors)

        reply = self._client.request(
            QUERY_SCHEDULE,
            json={"userIds": list(people), "startTime": start_text, "endTime": end_text},
            path_params={"userId": user},
        )
        result: dict[str, list[ScheduleItem]] = {}
        for info in reply.get("scheduleInformation") or []:
            items = [ScheduleItem.from_wire(item) for item in info.get("scheduleItems") or []]
            result[str(info.get("userId"))] = items
        return result

    # Subscribed calendars.

    def create_subscribed_calendar(
        self,
        user: str,
        name: str,
        *,
        description: str | None = None,
        managers: Sequence[str] = (),
        union_ids: Sequence[str] = (),
        open_conversation_ids: Sequence[str] = (),
        corp_ids: Sequence[str] = (),
    ) -> str:
        """Create a public calendar authored by ``user``; return its calendar id.

        The scope names who may subscribe (people, group chats, whole corps) and must include
        the author.
        """
        errors = _text_errors("name", name, MAX_CALENDAR_NAME) + _text_errors(
            "description", description, MAX_CALENDAR_DESCRIPTION
        )
        if not name or not name.strip():
            errors.append(FieldError("name", name, "must not be empty"))
        if not (union_ids or open_conversation_ids or corp_ids):
            errors.append(
                FieldError("scope", None, "give union_ids, open_conversation_ids or corp_ids")
            )
        _raise_if(errors)

        body: dict[str, Any] = {
            "name": name,
            "subscribeScope": scope_body(union_ids, open_conversation_ids, corp_ids),
        }
        if description is not None:
            body["description"] = description
        if managers:
            body["managers"] = list(managers)
        reply = self._client.request(
            CREATE_SUBSCRIBED_CALENDAR, json=body, path_params={"userId": user}
        )
        return str(reply["calendarId"])

    def get_subscribed_calendar(self, user: str, calendar_id: str) -> SubscribedCalendar:
        reply = self._client.request(
            GET_SUBSCRIBED_CALENDAR, path_params={"userId": user, "calendarId": calendar_id}
        )
        return SubscribedCalendar.from_wire(reply)

    def update_subscribed_calendar(
        self,
        user: str,
        calendar_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        managers: Sequence[str] | None = None,
        union_ids: Sequence[str] | None = None,
        open_conversation_ids: Sequence[str] | None = None,
        corp_ids: Sequence[str] | None = None,
    ) -> bool:
        """Change a public calendar as its author or a manager; the fields not given stay."""
        errors = _text_errors("name", name, MAX_CALENDAR_NAME) + _text_errors(
            "description", description, MAX_CALENDAR_DESCRIPTION
        )
        _raise_if(errors)
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if description is not None:
            body["description"] = description
        if managers is not None:
            body["managers"] = list(managers)
        if union_ids is not None or open_conversation_ids is not None or corp_ids is not None:
            body["subscribeScope"] = scope_body(
                union_ids or (), open_conversation_ids or (), corp_ids or ()
            )
        reply = self._client.request(
            UPDATE_SUBSCRIBED_CALENDAR,
            json=body,
            path_params={"userId": user, "calendarId": calendar_id},
        )
        return bool(reply.get("result", False))

    def delete_subscribed_calendar(self, user: str, calendar_id: str) -> bool:
        """Delete a public calendar as its author; subscribers are unsubscribed."""
        reply = self._client.request(
            DELETE_SUBSCRIBED_CALENDAR, path_params={"userId": user, "calendarId": calendar_id}
        )
        return bool(reply.get("result", False))

    def subscribe(self, user: str, calendar_id: str) -> None:
        """Subscribe ``user`` to a public calendar whose scope includes them."""
        self._client.request(
            SUBSCRIBE_CALENDAR, path_params={"userId": user, "calendarId": calendar_id}
        )

    def unsubscribe(self, user: str, calendar_id: str) -> bool:
        reply = self._client.request(
            UNSUBSCRIBE_CALENDAR, path_params={"userId": user, "calendarId": calendar_id}
        )
        return bool(reply.get("result", False))


def _span_errors(start: dt.date | dt.datetime, end: dt.date | dt.datetime) -> list[FieldError]:
    start_is_day = not isinstance(start, dt.datetime)
    end_is_day = not isinstance(end, dt.datetime)
    if start_is_day != end_is_day:
        return [FieldError("end", end, "start and end must both be dates or both datetimes")]
    if start_is_day:
        assert not isinstance(start, dt.datetime)
        assert not isinstance(end, dt.datetime)
        if end <= start:
            return [
                FieldError("end", end, "an all-day end date is exclusive; use the day after start")
            ]
        return []
    assert isinstance(start, dt.datetime)
    assert isinstance(end, dt.datetime)
    if end < start:
        return [FieldError("end", end, "is before start")]
    return []
