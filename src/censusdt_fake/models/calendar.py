"""Calendar state of one corp: events with attendees, and subscribed calendars (no HTTP here).

Errors are :class:`NewApiError` with the codes of ``calendar_1.0``. Path ``{userId}`` values are
unionIds throughout, as in DingTalk.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from censusdt_fake._errors import NewApiError

__all__ = [
    "MAX_ATTENDEES_PER_CALL",
    "MAX_EVENTS_PER_DAY",
    "CalendarState",
    "EventRecord",
    "SubscribedCalendar",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PRIMARY = "primary"
#: CreateEvent/AddAttendee accept at most 500 attendees per call, and an event contains at most 5000.
MAX_ATTENDEES_PER_CALL = 500
MAX_ATTENDEES_PER_EVENT = 5000
#: A user can create at most 100 events per day.
MAX_EVENTS_PER_DAY = 100
MAX_SUMMARY_LENGTH = 2048
MAX_DESCRIPTION_LENGTH = 5000
#: ListEvents: maxResults and maxAttendees up to 100; the window at most one year.
MAX_LIST_RESULTS = 100
MAX_GET_ATTENDEES = 500
MAX_WINDOW = timedelta(days=366)
#: GetSchedule takes at most 20 people.
MAX_SCHEDULE_USERS = 20
#: Subscribed calendar names are shorter than 128 characters; descriptions up to 1024.
MAX_CALENDAR_NAME = 128
MAX_CALENDAR_DESCRIPTION = 1024
RESPONSE_STATUSES = ("needsAction", "accepted", "declined", "tentative")
IDEMPOTENCY_MS = 86_400_000


def invalid(message: str) -> NewApiError:
    # NOTE: DingTalk documents this code but only some of its messages (blank summary, unset
    # start or end, recurrence bounds, calendar name and scope); the other messages are ours.
    return NewApiError(400, "invalidParameter", message)


def not_found() -> NewApiError:
    # NOTE: the message of calendar 404s is not documented; the code is.
    return NewApiError(404, "itemNotFound", "item not found")


def permission_deny() -> NewApiError:
    # NOTE: the message is ours; the code is the one CreateEvent/PatchEvent document.
    return NewApiError(400, "permissionDeny", "only the organizer can modify the event")


def parse_time(value: Any, name: str) -> tuple[datetime, bool]:
    """Read a ``{date}`` or ``{dateTime, timeZone}`` object as (instant, is_all_day)."""
    if not isinstance(value, dict):
        raise invalid(f"Event {name} time not set.")
    day = value.get("date") or None
    moment = value.get("dateTime") or None
    if day and moment:
        raise invalid(f"Event {name} time has both date and dateTime")
    if day:
        try:
            parsed_day = date.fromisoformat(str(day))
        except ValueError:
            raise invalid(f"Event {name} date is invalid: {day}") from None
        return datetime(parsed_day.year, parsed_day.month, parsed_day.day, tzinfo=SHANGHAI), True
    if not moment:
        raise invalid(f"Event {name} time not set.")
    return parse_instant(str(moment), value.get("timeZone"), name), False


def parse_instant(text: str, zone: Any, name: str) -> datetime:
    cleaned = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise invalid(f"{name} is not an ISO 8601 time: {text}") from None
    if parsed.tzinfo is None:
        try:
            parsed = parsed.replace(tzinfo=ZoneInfo(str(zone or "Asia/Shanghai")))
        except (ZoneInfoNotFoundError, ValueError):
            raise invalid(f"{name} timeZone is invalid: {zone}") from None
    return parsed


@attrs.define
class Attendee:
    union_id: str
    is_optional: bool = False
    response_status: str = "needsAction"


@attrs.define
class EventRecord:
    """One event; the organizer's copy and every attendee's copy share it."""

    id: str
    calendar_id: str
    organizer: str
    summary: str
    start: dict[str, Any]
    end: dict[str, Any]
    is_all_day: bool
    created_ms: int
    updated_ms: int
    description: str | None = None
    location: dict[str, Any] | None = None
    reminders: list[dict[str, Any]] | None = None
    extra_fields: dict[str, Any] = attrs.field(factory=dict)
    status: str = "confirmed"
    attendees: dict[str, Attendee] = attrs.field(factory=dict)
    #: Attendees who deleted the event from their own calendar only.
    removed_by: set[str] = attrs.field(factory=set)

    @property
    def start_instant(self) -> datetime:
        return parse_time(self.start, "start")[0]

    @property
    def end_instant(self) -> datetime:
        return parse_time(self.end, "end")[0]

    def visible_to(self, union_id: str) -> bool:
        if union_id in self.removed_by:
            return False
        return union_id == self.organizer or union_id in self.attendees

    def to_wire(self, viewer: str, *, max_attendees: int = 100) -> dict[str, Any]:
        """Render the event resource for ``viewer`` (``self`` marks their own entry)."""
        attendees = [
            {
                "id": attendee.union_id,
                "displayName": attendee.union_id,
                "responseStatus": attendee.response_status,
                "isOptional": attendee.is_optional,
                "self": attendee.union_id == viewer,
            }
            for attendee in list(self.attendees.values())[:max_attendees]
        ]
        body: dict[str, Any] = {
            "id": self.id,
            "summary": self.summary,
            "status": self.status,
            "start": dict(self.start),
            "end": dict(self.end),
            "isAllDay": self.is_all_day,
            "organizer": {
                "id": self.organizer,
                "displayName": self.organizer,
                "responseStatus": "accepted",
                "self": self.organizer == viewer,
            },
            "attendees": attendees,
            "createTime": _iso(self.created_ms),
            "updateTime": _iso(self.updated_ms),
        }
        if self.description is not None:
            body["description"] = self.description
        if self.location is not None:
            body["location"] = dict(self.location)
        if self.reminders is not None:
            # Responses carry reminder minutes as strings, requests as integers.
            body["reminders"] = [
                {"method": item.get("method", "dingtalk"), "minutes": str(item.get("minutes"))}
                for item in self.reminders
            ]
        body.update(self.extra_fields)
        return body


@attrs.define
class SubscribedCalendar:
    calendar_id: str
    name: str
    author: str
    description: str | None = None
    managers: list[str] = attrs.field(factory=list)
    scope: dict[str, list[str]] = attrs.field(factory=dict)
    subscribers: set[str] = attrs.field(factory=set)

    def in_scope(self, union_id: str, corp_id: str) -> bool:
        """Return whether ``union_id`` of ``corp_id`` is inside the subscribe scope.

        NOTE: group-chat membership is not modelled; a scope naming any openConversationId
        admits everyone.
        """
        if union_id in self.scope.get("unionIds", []):
            return True
        if corp_id in self.scope.get("corpIds", []):
            return True
        return bool(self.scope.get("openConversationIds"))

    def to_wire(self) -> dict[str, Any]:
        return {
            "calendarId": self.calendar_id,
            "name": self.name,
            "description": self.description or "",
            "author": self.author,
            "managers": list(self.managers),
            "subscribeScope": {
                "unionIds": list(self.scope.get("unionIds", [])),
                "openConversationIds": list(self.scope.get("openConversationIds", [])),
                "corpIds": list(self.scope.get("corpIds", [])),
            },
        }


@attrs.define
class CalendarState:
    """The corp's events and subscribed calendars."""

    events: dict[str, EventRecord] = attrs.field(factory=dict)
    calendars: dict[str, SubscribedCalendar] = attrs.field(factory=dict)
    #: (organizer, Asia/Shanghai day) -> events created that day.
    created_per_day: dict[tuple[str, str], int] = attrs.field(factory=dict)
    #: x-client-token -> (event id, epoch ms of first use).
    client_tokens: dict[str, tuple[str, int]] = attrs.field(factory=dict)
    next_number: int = 1

    # Events.

    def create_event(
        self,
        organizer: str,
        calendar_id: str,
        body: dict[str, Any],
        *,
        now_ms: int,
        client_token: str | None = None,
    ) -> EventRecord:
        if client_token:
            seen = self.client_tokens.get(client_token)
            if seen is not None and now_ms - seen[1] < IDEMPOTENCY_MS and seen[0] in self.events:
                return self.events[seen[0]]

        self._check_calendar_writable(organizer, calendar_id)
        summary = body.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            raise invalid("Event summary cannot be blank")
        if "start" not in body or body["start"] is None:
            raise invalid("Event start time not set.")
        if "end" not in body or body["end"] is None:
            raise invalid("Event end time not set.")
        self._check_fields(body)
        attendees = _attendee_list(body.get("attendees"), "attendees")
        if len(attendees) > MAX_ATTENDEES_PER_CALL:
            raise invalid(f"attendees size must be less than {MAX_ATTENDEES_PER_CALL}")

        day_key = (organizer, datetime.fromtimestamp(now_ms / 1000, SHANGHAI).date().isoformat())
        if self.created_per_day.get(day_key, 0) >= MAX_EVENTS_PER_DAY:
            raise NewApiError(
                400, "flowLimit", "current user can not create events exceed 100 per day"
            )

        event = EventRecord(
            id=self._new_id("event"),
            calendar_id=calendar_id,
            organizer=organizer,
            summary=summary,
            start=dict(body["start"]),
            end=dict(body["end"]),
            is_all_day=parse_time(body["start"], "start")[1],
            created_ms=now_ms,
            updated_ms=now_ms,
            description=body.get("description"),
            location=body.get("location"),
            reminders=body.get("reminders"),
            extra_fields=_extra_fields(body),
        )
        for item in attendees:
            union_id = str(item["id"])
            if union_id != organizer:
                event.attendees[union_id] = Attendee(union_id, bool(item.get("isOptional")))

        self.events[event.id] = event
        self.created_per_day[day_key] = self.created_per_day.get(day_key, 0) + 1
        if client_token:
            self.client_tokens[client_token] = (event.id, now_ms)
        return event

    def event(self, viewer: str, calendar_id: str, event_id: str) -> EventRecord:
        event = self.events.get(event_id)
        if event is None:
            raise not_found()
        if calendar_id == PRIMARY:
            if not event.visible_to(viewer):
                raise not_found()
        elif event.calendar_id != calendar_id or not self._can_read(viewer, calendar_id):
            raise not_found()
        return event

    def patch_event(
        self, organizer: str, calendar_id: str, event_id: str, body: dict[str, Any], *, now_ms: int
    ) -> EventRecord:
        if not body.get("id"):
            raise NewApiError(400, "MissingParameter", "id is mandatory for this action.")
        if str(body["id"]) != event_id:
            raise invalid("Event id in body does not match the path")
        event = self.event(organizer, calendar_id, event_id)
        if event.organizer != organizer:
            raise permission_deny()
        if event.status == "cancelled":
            raise not_found()
        self._check_fields(body)
        new_start = body.get("start") or event.start
        new_end = body.get("end") or event.end
        _check_span(new_start, new_end)

        if body.get("summary") is not None:
            if not str(body["summary"]).strip():
                raise invalid("Event summary cannot be blank")
            event.summary = str(body["summary"])
        event.start = dict(new_start)
        event.end = dict(new_end)
        event.is_all_day = parse_time(new_start, "start")[1]
        for key in ("description", "location", "reminders"):
            if body.get(key) is not None:
                setattr(event, key, body[key])
        if body.get("attendees") is not None:
            # NOTE: a patch's attendee list is taken as the full new list; statuses of people
            # who stay are kept.
            attendees = _attendee_list(body["attendees"], "attendees")
            if len(attendees) > MAX_ATTENDEES_PER_CALL:
                raise invalid(f"attendees size must be less than {MAX_ATTENDEES_PER_CALL}")
            kept = {}
            for item in attendees:
                union_id = str(item["id"])
                previous = event.attendees.get(union_id)
                kept[union_id] = previous or Attendee(union_id, bool(item.get("isOptional")))
            event.attendees = kept
        event.extra_fields.update(_extra_fields(body))
        event.updated_ms = now_ms
        return event

    def delete_event(self, user: str, calendar_id: str, event_id: str, *, now_ms: int) -> None:
        """Cancel the event for everyone when the organizer deletes it, else remove one copy."""
        event = self.event(user, calendar_id, event_id)
        if event.organizer == user:
            event.status = "cancelled"
        else:
            event.removed_by.add(user)
        event.updated_ms = now_ms

    def add_attendees(
        self, organizer: str, calendar_id: str, event_id: str, items: Any, *, now_ms: int
    ) -> None:
        event = self._organized(organizer, calendar_id, event_id)
        attendees = _attendee_list(items, "attendeesToAdd")
        if not attendees:
            raise NewApiError(
                400, "MissingParameter", "attendeesToAdd is mandatory for this action."
            )
        if len(attendees) > MAX_ATTENDEES_PER_CALL:
            raise invalid(f"attendeesToAdd size must be less than {MAX_ATTENDEES_PER_CALL}")
        new_ids = {str(item["id"]) for item in attendees} - set(event.attendees) - {organizer}
        if len(event.attendees) + len(new_ids) > MAX_ATTENDEES_PER_EVENT:
            raise invalid(f"event attendees size must be less than {MAX_ATTENDEES_PER_EVENT}")
        for item in attendees:
            union_id = str(item["id"])
            if union_id != organizer and union_id not in event.attendees:
                event.attendees[union_id] = Attendee(union_id, bool(item.get("isOptional")))
            event.removed_by.discard(union_id)
        event.updated_ms = now_ms

    def remove_attendees(
        self, organizer: str, calendar_id: str, event_id: str, items: Any, *, now_ms: int
    ) -> None:
        event = self._organized(organizer, calendar_id, event_id)
        attendees = _attendee_list(items, "attendeesToRemove")
        if len(attendees) > MAX_ATTENDEES_PER_CALL:
            raise invalid(f"attendeesToRemove size must be less than {MAX_ATTENDEES_PER_CALL}")
        for item in attendees:
            event.attendees.pop(str(item["id"]), None)
        event.updated_ms = now_ms

    def respond(
        self, attendee: str, calendar_id: str, event_id: str, status: Any, *, now_ms: int
    ) -> None:
        if status not in RESPONSE_STATUSES:
            raise invalid(f"responseStatus is invalid: {status}")
        event = self.event(attendee, calendar_id, event_id)
        record = event.attendees.get(attendee)
        if record is None:
            # NOTE: DingTalk does not document the reply when the organizer responds.
            raise invalid("current user is not an attendee of the event")
        record.response_status = str(status)
        event.updated_ms = now_ms

    def list_events(
        self,
        viewer: str,
        calendar_id: str,
        *,
        time_min: datetime | None,
        time_max: datetime | None,
        show_deleted: bool,
        updated_since_ms: int | None = None,
    ) -> list[EventRecord]:
        """Events of one calendar whose span meets ``end >= timeMin`` and ``start < timeMax``."""
        if calendar_id != PRIMARY and not self._can_read(viewer, calendar_id):
            raise not_found()
        found = []
        for event in self.events.values():
            if calendar_id == PRIMARY:
                if event.calendar_id != PRIMARY or not event.visible_to(viewer):
                    continue
            elif event.calendar_id != calendar_id:
                continue
            if event.status == "cancelled" and not show_deleted:
                continue
            if time_min is not None and event.end_instant < time_min:
                continue
            if time_max is not None and event.start_instant >= time_max:
                continue
            if updated_since_ms is not None and event.updated_ms < updated_since_ms:
                continue
            found.append(event)
        return sorted(found, key=lambda event: (event.start_instant, event.id))

    def schedule(self, union_id: str, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Busy items of ``union_id`` between ``start`` and ``end`` (GetSchedule)."""
        items = []
        for event in self.events.values():
            if event.status == "cancelled" or not event.visible_to(union_id):
                continue
            attendee = event.attendees.get(union_id)
            response = attendee.response_status if attendee is not None else "accepted"
            if response == "declined":
                continue
            if event.end_instant <= start or event.start_instant >= end:
                continue
            # All-day items are reported in UTC, timed ones in the event's zone.
            zone = "UTC" if event.is_all_day else event.start.get("timeZone") or "Asia/Shanghai"
            items.append(
                {
                    "status": "TENTATIVE" if response == "tentative" else "BUSY",
                    "start": {**event.start, "timeZone": zone},
                    "end": {**event.end, "timeZone": zone},
                }
            )
        return items

    # Subscribed calendars.

    def create_calendar(
        self, author: str, corp_id: str, body: dict[str, Any]
    ) -> SubscribedCalendar:
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise invalid("calendar name cannot be blank")
        self._check_calendar_fields(body)
        scope = body.get("subscribeScope")
        if not isinstance(scope, dict):
            raise invalid("subscribe range cannot be null")
        calendar = SubscribedCalendar(
            calendar_id=self._new_id("subscribed"),
            name=name,
            author=author,
            description=body.get("description"),
            managers=[str(item) for item in body.get("managers") or []],
            scope=_scope(scope),
        )
        if not calendar.in_scope(author, corp_id):
            raise invalid("current user must in range")
        self.calendars[calendar.calendar_id] = calendar
        return calendar

    def calendar(self, calendar_id: str) -> SubscribedCalendar:
        calendar = self.calendars.get(calendar_id)
        if calendar is None:
            raise not_found()
        return calendar

    def update_calendar(
        self, user: str, corp_id: str, calendar_id: str, body: dict[str, Any]
    ) -> None:
        calendar = self.calendar(calendar_id)
        if user != calendar.author and user not in calendar.managers:
            raise NewApiError(403, "permissionDenied", "no permission to update the calendar")
        if body.get("name") is not None and not str(body["name"]).strip():
            raise invalid("calendar name cannot be blank")
        self._check_calendar_fields(body)
        if body.get("name") is not None:
            calendar.name = str(body["name"])
        if body.get("description") is not None:
            calendar.description = str(body["description"])
        if body.get("managers") is not None:
            calendar.managers = [str(item) for item in body["managers"]]
        if body.get("subscribeScope") is not None:
            calendar.scope = _scope(body["subscribeScope"])

    def delete_calendar(self, user: str, calendar_id: str) -> None:
        """Only the author deletes; subscribers are unsubscribed and its events go with it."""
        calendar = self.calendar(calendar_id)
        if user != calendar.author:
            raise NewApiError(403, "permissionDenied", "only the creator can delete the calendar")
        del self.calendars[calendar_id]
        for event_id in [
            key for key, event in self.events.items() if event.calendar_id == calendar_id
        ]:
            del self.events[event_id]

    def subscribe(self, user: str, corp_id: str, calendar_id: str) -> None:
        calendar = self.calendars.get(calendar_id)
        if calendar is None:
            if calendar_id == PRIMARY:
                raise invalid("calendar type invalid")
            raise not_found()
        if not calendar.in_scope(user, corp_id):
            raise NewApiError(400, "permissionDenied", "current user is not in subscribe range")
        # NOTE: DingTalk caps subscriptions per user (exceedSubscribeLimit) at an undocumented
        # number; the fake has no cap.
        calendar.subscribers.add(user)

    def unsubscribe(self, user: str, calendar_id: str) -> None:
        calendar = self.calendars.get(calendar_id)
        if calendar is None:
            if calendar_id == PRIMARY:
                raise invalid("calendar type invalid")
            raise not_found()
        calendar.subscribers.discard(user)

    def calendars_of(self, user: str) -> list[dict[str, Any]]:
        """ListCalendars items: the primary calendar, then subscribed ones the user follows."""
        found: list[dict[str, Any]] = [
            {
                "id": PRIMARY,
                "summary": "primary",
                "description": "",
                "timeZone": "Asia/Shanghai",
                "eTag": "",
                "type": "primary",
                "privilege": "owner",
            }
        ]
        for calendar in self.calendars.values():
            owner = user == calendar.author or user in calendar.managers
            if not owner and user not in calendar.subscribers:
                continue
            found.append(
                {
                    "id": calendar.calendar_id,
                    "summary": calendar.name,
                    "description": calendar.description or "",
                    "timeZone": "Asia/Shanghai",
                    "eTag": "",
                    "type": "subscribed",
                    "privilege": "owner" if owner else "reader",
                }
            )
        return found

    # Control plane: people responding to invitations.

    def simulate_responses(
        self,
        event_id: str,
        *,
        accept: float,
        decline: float,
        tentative: float,
        seed: int,
        now_ms: int,
    ) -> dict[str, str]:
        """Let each attendee still at ``needsAction`` respond by the given shares; seeded."""
        if min(accept, decline, tentative) < 0 or accept + decline + tentative > 1.0 + 1e-9:
            raise ValueError("accept, decline and tentative must be >= 0 and add up to at most 1")
        event = self.events.get(event_id)
        if event is None:
            raise KeyError(f"no event {event_id}")
        rng = random.Random(f"{seed}:{event_id}")
        answered = {}
        for attendee in event.attendees.values():
            draw = rng.random()
            if attendee.response_status != "needsAction":
                continue
            if draw < accept:
                attendee.response_status = "accepted"
            elif draw < accept + decline:
                attendee.response_status = "declined"
            elif draw < accept + decline + tentative:
                attendee.response_status = "tentative"
            else:
                continue
            answered[attendee.union_id] = attendee.response_status
        event.updated_ms = now_ms
        return answered

    # Helpers.

    def _new_id(self, prefix: str) -> str:
        number = self.next_number
        self.next_number += 1
        return f"{prefix}{number:010d}"

    def _organized(self, organizer: str, calendar_id: str, event_id: str) -> EventRecord:
        event = self.event(organizer, calendar_id, event_id)
        if event.organizer != organizer:
            raise permission_deny()
        return event

    def _can_read(self, user: str, calendar_id: str) -> bool:
        calendar = self.calendars.get(calendar_id)
        if calendar is None:
            return False
        return user == calendar.author or user in calendar.managers or user in calendar.subscribers

    def _check_calendar_writable(self, user: str, calendar_id: str) -> None:
        if calendar_id == PRIMARY:
            return
        # NOTE: DingTalk documents events in "primary" only; the fake lets a subscribed
        # calendar's author and managers add events to it, as its app shows.
        calendar = self.calendars.get(calendar_id)
        if calendar is None:
            raise not_found()
        if user != calendar.author and user not in calendar.managers:
            raise permission_deny()

    @staticmethod
    def _check_fields(body: dict[str, Any]) -> None:
        summary = body.get("summary")
        if isinstance(summary, str) and len(summary) > MAX_SUMMARY_LENGTH:
            raise invalid(f"Event summary length must be less than {MAX_SUMMARY_LENGTH}")
        description = body.get("description")
        if isinstance(description, str) and len(description) > MAX_DESCRIPTION_LENGTH:
            raise invalid(f"Event description length must be less than {MAX_DESCRIPTION_LENGTH}")
        if body.get("start") is not None and body.get("end") is not None:
            _check_span(body["start"], body["end"])
        recurrence = body.get("recurrence")
        if isinstance(recurrence, dict):
            _check_recurrence(recurrence)

    @staticmethod
    def _check_calendar_fields(body: dict[str, Any]) -> None:
        name = body.get("name")
        if isinstance(name, str) and len(name) >= MAX_CALENDAR_NAME:
            raise invalid("calendar name length must less than 128")
        description = body.get("description")
        if isinstance(description, str) and len(description) > MAX_CALENDAR_DESCRIPTION:
            raise invalid(f"calendar description length must be at most {MAX_CALENDAR_DESCRIPTION}")


def _check_span(start: Any, end: Any) -> None:
    start_instant, start_all_day = parse_time(start, "start")
    end_instant, end_all_day = parse_time(end, "end")
    if start_all_day != end_all_day:
        raise invalid("Event start and end must both be dates or both be dateTimes")
    if not start_all_day and (start.get("timeZone") or None) != (end.get("timeZone") or None):
        raise invalid("Event end timeZone must be the same as start timeZone")
    if end_instant < start_instant or (start_all_day and end_instant == start_instant):
        raise invalid("Event end time must be later than start time")


def _check_recurrence(recurrence: dict[str, Any]) -> None:
    pattern = recurrence.get("pattern") or {}
    interval = pattern.get("interval")
    if interval is not None and not 1 <= int(interval) <= 365:
        raise invalid("Recurrence interval must between [1, 365]")
    range_ = recurrence.get("range") or {}
    occurrences = range_.get("numberOfOccurrences")
    if occurrences is not None and not 1 <= int(occurrences) <= 99:
        raise invalid("Recurrence range numberOfOccurrences must between [1, 99]")


def _attendee_list(value: Any, name: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(item, dict) and item.get("id") for item in value
    ):
        raise invalid(f"{name} is invalid")
    return value


def _extra_fields(body: dict[str, Any]) -> dict[str, Any]:
    keep = ("recurrence", "onlineMeetingInfo", "uiConfigs", "richTextDescription", "categories")
    return {key: body[key] for key in keep if body.get(key) is not None}


def _scope(scope: Any) -> dict[str, list[str]]:
    if not isinstance(scope, dict):
        raise invalid("subscribe range cannot be null")
    return {
        key: [str(item) for item in scope.get(key) or []]
        for key in ("unionIds", "openConversationIds", "corpIds")
    }


def _iso(epoch_ms: int) -> str:
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc).astimezone(SHANGHAI)
    return moment.isoformat(timespec="seconds")
