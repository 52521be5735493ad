"""The calendar event value shared by agenda views, iCalendar files and DingTalk conversion."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import attrs

from censusdt.timeutil import as_shanghai

__all__ = ["CalendarEvent"]

# Namespace for UIDs derived from an event's content, so that the same event gets the
# same UID in every export and on every machine.
_UID_NAMESPACE = uuid.UUID("6f1c2d1e-4b0a-5c3e-9d7f-2a8b6c4e1f30")
UID_DOMAIN = "censusdt"


def derive_uid(title: str, start: date | datetime, end: date | datetime) -> str:
    """Return a UID that depends only on the title and the time span."""
    key = "\x1f".join([title, start.isoformat(), end.isoformat()])
    return f"{uuid.uuid5(_UID_NAMESPACE, key)}@{UID_DOMAIN}"


@attrs.frozen(init=False)
class CalendarEvent:
    """One calendar event, either all-day or timed, in Asia/Shanghai.

    An all-day event has ``date`` values for ``start`` and ``end``, and ``end`` is
    exclusive, as in DingTalk and iCalendar: a one-day event on 2020-11-01 ends on
    2020-11-02. A timed event has aware datetimes, converted to Asia/Shanghai and cut
    to whole seconds. ``uid`` identifies the event across exports. Without one, it is
    derived from the title and time span, so re-exporting gives the same UID.
    """

    title: str
    start: date | datetime
    end: date | datetime
    all_day: bool
    location: str
    description: str
    uid: str

    def __init__(
        self,
        title: str,
        start: date | datetime,
        end: date | datetime | None = None,
        *,
        all_day: bool | None = None,
        location: str = "",
        description: str = "",
        uid: str | None = None,
    ) -> None:
        """Validate and normalise an event; ``end`` defaults to one day or zero length.

        Line breaks in the text fields are stored as "\\n". Raises ValueError naming the
        field for an empty title, a naive datetime, a date given for a timed event (or a
        datetime for an all-day one), an end before the start, or a UID with line breaks.
        """
        if not isinstance(title, str) or not title.strip():
            raise ValueError(f"title={title!r} is empty; an event needs a title")
        title = _normalise_line_breaks(title)
        location = _normalise_line_breaks(location)
        description = _normalise_line_breaks(description)

        if all_day is None:
            all_day = not isinstance(start, datetime)

        if all_day:
            start, end = _all_day_span(start, end)
        else:
            start, end = _timed_span(start, end)

        if uid is None:
            uid = derive_uid(title, start, end)
        elif not uid or any(char in uid for char in "\r\n"):
            raise ValueError(f"uid={uid!r} must be non-empty and on one line")

        self.__attrs_init__(title, start, end, all_day, location, description, uid)

    def days(self) -> Iterator[date]:
        """Yield each Asia/Shanghai date that the event covers, in order.

        A timed event that ends exactly at midnight does not cover the following day,
        and a zero-length timed event covers the day of its start.
        """
        first, last = self.first_day, self.last_day
        current = first
        while current <= last:
            yield current
            current += timedelta(days=1)

    @property
    def first_day(self) -> date:
        """The first date the event covers."""
        if isinstance(self.start, datetime):
            return self.start.date()
        return self.start

    @property
    def last_day(self) -> date:
        """The last date the event covers (inclusive)."""
        if isinstance(self.end, datetime):
            assert isinstance(self.start, datetime)
            if self.end == self.start:
                return self.start.date()
            return (self.end - timedelta(microseconds=1)).date()
        return self.end - timedelta(days=1)

    def occurs_on(self, day: date) -> bool:
        """Return whether the event covers ``day``."""
        return self.first_day <= day <= self.last_day

    def overlaps(self, first: date, last: date) -> bool:
        """Return whether the event covers any date from ``first`` to ``last`` inclusive."""
        return self.first_day <= last and self.last_day >= first


def _normalise_line_breaks(text: str) -> str:
    # iCalendar text escapes a line break only as "\n" and reads a CR back as LF, so
    # store every break as LF to keep exports reversible.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _all_day_span(start: date | datetime, end: date | datetime | None) -> tuple[date, date]:
    if isinstance(start, datetime):
        raise ValueError(
            f"start={start!r} is a datetime, but an all-day event takes dates; "
            f"pass start.date() or all_day=False"
        )
    if end is None:
        return start, start + timedelta(days=1)
    if isinstance(end, datetime):
        raise ValueError(
            f"end={end!r} is a datetime, but an all-day event takes dates; pass a date"
        )
    if end <= start:
        raise ValueError(
            f"end={end.isoformat()} is not after start={start.isoformat()}; the end of an "
            f"all-day event is exclusive, so a single day {start.isoformat()} ends on "
            f"{(start + timedelta(days=1)).isoformat()}"
        )
    return start, end


def _timed_span(start: date | datetime, end: date | datetime | None) -> tuple[datetime, datetime]:
    if not isinstance(start, datetime):
        raise ValueError(
            f"start={start!r} is a date, but a timed event takes aware datetimes; pass a "
            f"datetime with tzinfo or all_day=True"
        )
    start = as_shanghai(start).replace(microsecond=0)
    if end is None:
        return start, start
    if not isinstance(end, datetime):
        raise ValueError(f"end={end!r} is a date, but a timed event takes aware datetimes")
    end = as_shanghai(end).replace(microsecond=0)
    if end < start:
        raise ValueError(
            f"end={end.isoformat()} is before start={start.isoformat()}; swap them or fix the end"
        )
    return start, end
