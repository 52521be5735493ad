# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""The census milestone calendar on DingTalk: publish, subscribe staff, read back, export.

A subscribed (public) calendar contains the 7th census milestones plus the office's own deadlines;
staff subscribe to it and see it beside their own calendar. Agenda views and iCalendar files are
built from what DingTalk returns, with the pure ``censusdt.census.calendar`` module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from censusdt._sync.client import DingTalk
from censusdt._concurrency import sync_map
from censusdt._errors import FieldError, ValidationError
from censusdt.api.calendar import PRIMARY
from censusdt.census.calendar import (
    CalendarEvent,
    Milestone,
    event_from_dingtalk,
    load_census7_milestones,
    to_ics,
)

__all__ = [
    "DEFAULT_NAME",
    "MilestoneCalendar",
    "calendar_events",
    "export_ics",
    "publish_milestones",
    "subscribe_staff",
]

DEFAULT_NAME = "第七次全国人口普查日历"
DEFAULT_NAME_EN = "7th National Population Census"
#: A user creates at most 100 events a day, and the author creates every milestone event.
MAX_EVENTS_PER_DAY = 100
SUBSCRIBE_CONCURRENCY = 10


@attrs.frozen
class MilestoneCalendar:
    """A published milestone calendar: its id, author, events and subscribers."""

    calendar_id: str
    name: str
    author_userid: str
    author_union_id: str
    #: Milestone event UID -> DingTalk event id.
    event_ids: dict[str, str]
    subscribers: tuple[str, ...]


def publish_milestones(
    client: DingTalk,
    author_userid: str,
    staff_userids: Sequence[str],
    *,
    name: str | None = None,
    description: str | None = None,
    milestones: Sequence[Milestone] | None = None,
    office_deadlines: Sequence[Milestone] = (),
    corp_id: str | None = None,
    lang: str = "zh",
) -> MilestoneCalendar:
    """Create a public calendar of census milestones and subscribe ``staff_userids`` to it.

    ``milestones`` defaults to the built-in 7th census dates; ``office_deadlines`` adds the
    office's own. The subscribe scope is ``corp_id`` (the whole corp) when given, otherwise the
    author and the staff by name.
    """
    chosen = list(milestones) if milestones is not None else load_census7_milestones()
    chosen += list(office_deadlines)
    if len(chosen) > MAX_EVENTS_PER_DAY:
        raise ValidationError(
            [
                FieldError(
                    "milestones",
                    f"{len(chosen)} milestones",
                    f"DingTalk lets one user create at most {MAX_EVENTS_PER_DAY} events a day; "
                    "publish the rest tomorrow",
                )
            ]
        )
    events = [milestone.to_event(lang) for milestone in chosen]
    title = name or (DEFAULT_NAME_EN if lang == "en" else DEFAULT_NAME)

    staff = [userid for userid in dict.fromkeys(staff_userids) if userid != author_userid]
    union_ids = client.calendar.union_ids([author_userid, *staff])
    author = union_ids[author_userid]
    calendar_id = client.calendar.create_subscribed_calendar(
        author,
        title,
        description=description,
        union_ids=[] if corp_id else list(union_ids.values()),
        corp_ids=[corp_id] if corp_id else [],
    )

    event_ids: dict[str, str] = {}
    for event in events:
        created = client.calendar.create_event(
            author,
            event.title,
            event.start,
            event.end,
            description=event.description or None,
            location=event.location or None,
            reminder_minutes=[],
            calendar_id=calendar_id,
        )
        event_ids[event.uid] = created.id

    subscribe_staff(client, calendar_id, staff)
    return MilestoneCalendar(calendar_id, title, author_userid, author, event_ids, tuple(staff))


def subscribe_staff(client: DingTalk, calendar_id: str, userids: Sequence[str]) -> None:
    """Subscribe each person to a public calendar whose scope includes them."""
    union_ids = client.calendar.union_ids(userids)

    def subscribe(union_id: str) -> None:
        client.calendar.subscribe(union_id, calendar_id)

    sync_map(subscribe, list(union_ids.values()), concurrency=SUBSCRIBE_CONCURRENCY)


def calendar_events(
    client: DingTalk,
    userid: str,
    *,
    calendar_id: str = PRIMARY,
    time_min: datetime | None = None,
    time_max: datetime | None = None,
) -> list[CalendarEvent]:
    """Read a person's calendar (their own, or a public one they follow) as CalendarEvents."""
    union_ids = client.calendar.union_ids([userid])
    pages = client.calendar.list_events(
        union_ids[userid], calendar_id=calendar_id, time_min=time_min, time_max=time_max
    )
    return [event_from_dingtalk(event.raw) for event in pages]


def export_ics(
    client: DingTalk,
    userid: str,
    *,
    calendar_id: str = PRIMARY,
    name: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """Write a calendar, with the events ``userid`` can read, as an iCalendar file."""
    events = calendar_events(client, userid, calendar_id=calendar_id)
    return to_ics(events, name or calendar_id, stamp=stamp)
