# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Meetings for an audience: schedule, reschedule, cancel, and each person's response.

DingTalk changes at most 500 attendees per call, so a large audience is invited in steps: the
event is created with the first 500 and the rest are added 500 at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import attrs

from censusdt._sync.client import DingTalk
from censusdt._errors import FieldError, ValidationError
from censusdt.api.calendar import MAX_ATTENDEES_PER_CALL, MAX_ATTENDEES_PER_EVENT
from censusdt.census.meetingreport import MeetingRecord, MeetingStatus
from censusdt.census.taskreport import split

__all__ = ["Meeting", "schedule"]


class Meeting:
    """A scheduled meeting in its audience's calendars."""

    def __init__(self, client: DingTalk, record: MeetingRecord) -> None:
        self._client = client
        self.record = record

    @property
    def event_id(self) -> str:
        return self.record.event_id

    def save(self, path: str | Path) -> None:
        self.record.save(path)

    @classmethod
    def load(cls, client: DingTalk, path: str | Path) -> Meeting:
        return cls(client, MeetingRecord.load(path))

    def reschedule(self, start: date | datetime, end: date | datetime) -> None:
        """Move the meeting; every attendee's calendar follows."""
        self._client.calendar.patch_event(
            self.record.organizer_union_id, self.record.event_id, start=start, end=end
        )
        self.record = attrs.evolve(self.record, start=start, end=end)

    def cancel(self) -> None:
        """Cancel the meeting for everyone (the organizer deletes it)."""
        self._client.calendar.delete_event(
            self.record.organizer_union_id, self.record.event_id
        )

    def invite(self, userids: Sequence[str]) -> None:
        """Add people to the meeting, 500 per call."""
        new = [userid for userid in dict.fromkeys(userids) if userid not in self.record.union_ids]
        union_ids = self._client.calendar.union_ids(new)
        for chunk in split(new, MAX_ATTENDEES_PER_CALL):
            self._client.calendar.add_attendees(
                self.record.organizer_union_id,
                self.record.event_id,
                [union_ids[userid] for userid in chunk],
            )
        self.record = attrs.evolve(self.record, union_ids={**self.record.union_ids, **union_ids})

    def status(self) -> MeetingStatus:
        """Read each invited person's response from the event's attendee list."""
        answers: dict[str, str] = {}
        pages = self._client.calendar.attendees(
            self.record.organizer_union_id, self.record.event_id
        )
        for attendee in pages:
            answers[attendee.id] = attendee.response_status
        people = {
            userid: answers.get(union_id, "needsAction")
            for userid, union_id in self.record.union_ids.items()
        }
        return MeetingStatus(self.record.summary, people)


def schedule(
    client: DingTalk,
    organizer_userid: str,
    audience_userids: Sequence[str],
    summary: str,
    *,
    start: date | datetime,
    end: date | datetime,
    description: str | None = None,
    location: str | None = None,
    online_meeting: bool = False,
    reminder_minutes: Sequence[int] | None = None,
) -> Meeting:
    """Put a meeting in the calendars of ``organizer_userid`` and ``audience_userids``.

    Dates make an all-day meeting (Asia/Shanghai days, ``end`` exclusive); aware datetimes a
    timed one.
    """
    audience = [userid for userid in dict.fromkeys(audience_userids) if userid != organizer_userid]
    if len(audience) > MAX_ATTENDEES_PER_EVENT:
        raise ValidationError(
            [
                FieldError(
                    "audience_userids",
                    f"{len(audience)} people",
                    f"an event holds at most {MAX_ATTENDEES_PER_EVENT} attendees; split the meeting",
                )
            ]
        )
    union_ids = client.calendar.union_ids([organizer_userid, *audience])
    organizer = union_ids[organizer_userid]
    batches = split(audience, MAX_ATTENDEES_PER_CALL)

    event = client.calendar.create_event(
        organizer,
        summary,
        start,
        end,
        attendees=[union_ids[userid] for userid in batches[0]] if batches else [],
        description=description,
        location=location,
        online_meeting=online_meeting,
        reminder_minutes=reminder_minutes,
    )
    for chunk in batches[1:]:
        client.calendar.add_attendees(
            organizer, event.id, [union_ids[userid] for userid in chunk]
        )

    record = MeetingRecord(
        event_id=event.id,
        summary=summary,
        start=start,
        end=end,
        organizer_userid=organizer_userid,
        organizer_union_id=organizer,
        union_ids={userid: union_ids[userid] for userid in audience},
    )
    return Meeting(client, record)
