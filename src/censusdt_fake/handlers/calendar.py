"""Calendar API (``calendar_1.0``) handlers and the calendar control plane."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.calendar import (
    MAX_GET_ATTENDEES,
    MAX_LIST_RESULTS,
    MAX_SCHEDULE_USERS,
    MAX_WINDOW,
    CalendarState,
    invalid,
    parse_instant,
)

router = Router()

_USER = "/v1.0/calendar/users/{userId}"
_EVENTS = _USER + "/calendars/{calendarId}/events"
_EVENT = _EVENTS + "/{eventId}"


def _state(call: Call) -> CalendarState:
    return call.tenant.ext(CalendarState)


def _body(call: Call) -> dict[str, Any]:
    if call.body is None:
        return {}
    if not isinstance(call.body, dict):
        raise NewApiError(400, "MissingBody", "body is mandatory for this action")
    return call.body


def _ids(call: Call) -> tuple[str, str]:
    return call.path_params["userId"], call.path_params["calendarId"]


def _bounded(call: Call, name: str, maximum: int, default: int) -> int:
    value: int = call.integer(name, default=default)
    if not 0 <= value <= maximum:
        raise NewApiError(
            400, f"invalidParameter.{name}", f"{name} size must within range [0,{maximum}]"
        )
    return value


# Events.


@router.post(_EVENTS)
def create_event(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    event = _state(call).create_event(
        user,
        calendar_id,
        _body(call),
        now_ms=call.now_ms,
        client_token=call.header("x-client-token"),
    )
    return event.to_wire(user)


@router.get(_EVENT)
def get_event(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    max_attendees = _bounded(call, "maxAttendees", MAX_GET_ATTENDEES, 100)
    event = _state(call).event(user, calendar_id, call.path_params["eventId"])
    return event.to_wire(user, max_attendees=max_attendees)


@router.get(_EVENTS)
def list_events(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    max_results = _bounded(call, "maxResults", MAX_LIST_RESULTS, MAX_LIST_RESULTS)
    max_attendees = _bounded(call, "maxAttendees", MAX_LIST_RESULTS, 100)
    time_min = _optional_instant(call, "timeMin")
    time_max = _optional_instant(call, "timeMax")
    if time_min is not None and time_max is not None:
        if time_max < time_min:
            raise invalid("timeMax must be later than timeMin")
        if time_max - time_min > MAX_WINDOW:
            raise invalid("the time range between timeMin and timeMax must be within one year")

    offset = _offset(call.query.get("nextToken"), "nextToken")
    sync_token = call.query.get("syncToken")
    updated_since = _offset(sync_token, "syncToken") if sync_token else None
    events = _state(call).list_events(
        user,
        calendar_id,
        time_min=time_min,
        time_max=time_max,
        show_deleted=call.boolean("showDeleted"),
        updated_since_ms=updated_since,
    )

    size = max_results or MAX_LIST_RESULTS
    page = events[offset : offset + size]
    body: dict[str, Any] = {
        "events": [event.to_wire(user, max_attendees=max_attendees) for event in page]
    }
    if offset + size < len(events):
        body["nextToken"] = str(offset + size)
    elif time_max is None:
        # A syncToken comes with the last page, and only when no timeMax bounds the query.
        body["syncToken"] = str(call.now_ms)
    return body


@router.put(_EVENT)
def patch_event(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    event = _state(call).patch_event(
        user, calendar_id, call.path_params["eventId"], _body(call), now_ms=call.now_ms
    )
    return event.to_wire(user)


@router.delete(_EVENT)
def delete_event(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    _state(call).delete_event(user, calendar_id, call.path_params["eventId"], now_ms=call.now_ms)
    return {}


@router.post(_EVENT + "/attendees")
def add_attendees(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    body = _body(call)
    if body.get("attendeesToAdd") is None:
        raise call.missing("attendeesToAdd")
    _state(call).add_attendees(
        user, calendar_id, call.path_params["eventId"], body["attendeesToAdd"], now_ms=call.now_ms
    )
    return {}


@router.post(_EVENT + "/attendees/batchRemove")
def remove_attendees(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    _state(call).remove_attendees(
        user,
        calendar_id,
        call.path_params["eventId"],
        _body(call).get("attendeesToRemove") or [],
        now_ms=call.now_ms,
    )
    return {}


@router.get(_EVENT + "/attendees")
def list_attendees(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    max_results = _bounded(call, "maxResults", MAX_GET_ATTENDEES, 100)
    state = _state(call)
    if calendar_id != "primary" and calendar_id in state.calendars:
        raise NewApiError(
            400, "invalidParameter.subscribed.invalid", "subscribed calendar is not supported"
        )
    event = state.event(user, calendar_id, call.path_params["eventId"])
    everyone = event.to_wire(user, max_attendees=len(event.attendees))["attendees"]
    offset = _offset(call.query.get("nextToken"), "nextToken")
    size = max_results or 100
    body: dict[str, Any] = {"attendees": everyone[offset : offset + size]}
    if offset + size < len(everyone):
        body["nextToken"] = str(offset + size)
    return body


@router.post(_EVENT + "/respond")
def respond_event(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    status = _body(call).get("responseStatus")
    if status is None:
        raise call.missing("responseStatus")
    _state(call).respond(user, calendar_id, call.path_params["eventId"], status, now_ms=call.now_ms)
    return {}


# Calendars and free/busy.


@router.get(_USER + "/calendars")
def list_calendars(call: Call) -> dict[str, Any]:
    calendars = _state(call).calendars_of(call.path_params["userId"])
    return {"response": {"calendars": calendars}}


@router.post(_USER + "/querySchedule")
def query_schedule(call: Call) -> dict[str, Any]:
    body = _body(call)
    user_ids = body.get("userIds")
    start_text, end_text = body.get("startTime"), body.get("endTime")
    if not isinstance(user_ids, list) or not user_ids or not start_text or not end_text:
        raise NewApiError(400, "paramIllegal", "userIds, startTime and endTime are required")
    if len(user_ids) > MAX_SCHEDULE_USERS:
        raise NewApiError(400, "paramIllegal", f"userIds size must be at most {MAX_SCHEDULE_USERS}")
    try:
        start = parse_instant(str(start_text), None, "startTime")
        end = parse_instant(str(end_text), None, "endTime")
    except NewApiError as error:
        raise NewApiError(400, "paramIllegal", error.message) from None
    if end <= start:
        raise NewApiError(400, "paramIllegal", "endTime must be later than startTime")

    state = _state(call)
    return {
        "scheduleInformation": [
            {
                "userId": str(union_id),
                "error": "",
                "scheduleItems": state.schedule(str(union_id), start, end),
            }
            for union_id in user_ids
        ]
    }


# Subscribed calendars.

_SUBSCRIBED = _USER + "/subscribedCalendars"


@router.post(_SUBSCRIBED)
def create_subscribed_calendar(call: Call) -> dict[str, Any]:
    calendar = _state(call).create_calendar(
        call.path_params["userId"], call.tenant.corp_id, _body(call)
    )
    return {"calendarId": calendar.calendar_id}


@router.get(_SUBSCRIBED + "/{calendarId}")
def get_subscribed_calendar(call: Call) -> dict[str, Any]:
    return _state(call).calendar(call.path_params["calendarId"]).to_wire()


@router.put(_SUBSCRIBED + "/{calendarId}")
def update_subscribed_calendar(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    _state(call).update_calendar(user, call.tenant.corp_id, calendar_id, _body(call))
    return {"result": True}


@router.delete(_SUBSCRIBED + "/{calendarId}")
def delete_subscribed_calendar(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    _state(call).delete_calendar(user, calendar_id)
    return {"result": True}


@router.post(_USER + "/calendars/{calendarId}/subscribe")
def subscribe_calendar(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    _state(call).subscribe(user, call.tenant.corp_id, calendar_id)
    return {}


@router.post(_USER + "/calendars/{calendarId}/unsubscribe")
def unsubscribe_calendar(call: Call) -> dict[str, Any]:
    user, calendar_id = _ids(call)
    _state(call).unsubscribe(user, calendar_id)
    return {"result": True}


# Control plane: attendees responding.


def _corp_state(call: Call) -> CalendarState:
    corp_id = call.raw("corpId")
    corp = call.fake.corps[corp_id] if corp_id else call.fake.default_corp
    return corp.ext(CalendarState)


@router.post("/__fake__/calendar/respond", control=True)
def control_respond(call: Call) -> dict[str, Any]:
    """Body ``{"eventId", "unionId", "responseStatus", "corpId"?}``: one attendee responds."""
    state = _corp_state(call)
    event_id, union_id = str(call.raw("eventId")), str(call.raw("unionId"))
    event = state.events.get(event_id)
    if event is None:
        raise KeyError(f"no event {event_id}")
    state.respond(
        union_id, event.calendar_id, event_id, call.raw("responseStatus"), now_ms=call.now_ms
    )
    return {"eventId": event_id, "unionId": union_id}


@router.post("/__fake__/calendar/simulate", control=True)
def control_simulate(call: Call) -> dict[str, Any]:
    """Body ``{"eventId", "accept", "decline", "tentative", "seed"}``: seeded responses."""
    answered = _corp_state(call).simulate_responses(
        str(call.raw("eventId")),
        accept=float(call.raw("accept", 1.0)),
        decline=float(call.raw("decline", 0.0)),
        tentative=float(call.raw("tentative", 0.0)),
        seed=int(call.raw("seed", 0)),
        now_ms=call.now_ms,
    )
    return {"responses": answered}


def _optional_instant(call: Call, name: str) -> datetime | None:
    text = call.query.get(name)
    if not text:
        return None
    return parse_instant(text, None, name)


def _offset(token: str | None, name: str) -> int:
    if not token:
        return 0
    if not token.isdigit():
        raise invalid(f"{name} is invalid")
    return int(token)
