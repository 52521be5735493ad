"""Day, week and month agendas: which events fall on which day of the period shown."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

import attrs
from rich.console import RenderableType

from censusdt.census.calendar._event import CalendarEvent
from censusdt.timeutil import SHANGHAI, shanghai_midnight

__all__ = ["Agenda", "AgendaDay", "AgendaEntry", "View", "agenda"]

View = Literal["day", "week", "month"]
Language = Literal["zh", "en"]

_VIEWS = ("day", "week", "month")
_LANGUAGES = ("zh", "en")


@attrs.frozen
class AgendaEntry:
    """One event as shown on one day. A multi-day event has one entry per day it covers."""

    event: CalendarEvent
    day: date

    @property
    def starts_today(self) -> bool:
        """Whether the event starts on this day rather than continuing from an earlier one."""
        if isinstance(self.event.start, datetime):
            return self.event.start >= shanghai_midnight(self.day)
        return self.event.start == self.day

    @property
    def ends_today(self) -> bool:
        """Whether the event ends on this day rather than continuing to a later one."""
        if isinstance(self.event.end, datetime):
            return self.event.end <= shanghai_midnight(self.day + timedelta(days=1))
        return self.event.end == self.day + timedelta(days=1)

    @property
    def fills_day(self) -> bool:
        """Whether the entry covers the whole day: an all-day event or a timed one spanning it."""
        return self.event.all_day or (not self.starts_today and not self.ends_today)

    @property
    def day_number(self) -> tuple[int, int]:
        """The position of this day within the event and the number of days it covers."""
        first, last = self.event.first_day, self.event.last_day
        return (self.day - first).days + 1, (last - first).days + 1

    def sort_key(self) -> tuple[int, datetime, datetime, str, str]:
        """Order whole-day entries first, then by start time, end time, title and UID."""
        start = self.event.start
        end = self.event.end
        if not isinstance(start, datetime):
            start = shanghai_midnight(start)
        if not isinstance(end, datetime):
            end = shanghai_midnight(end)
        return (0 if self.fills_day else 1, start, end, self.event.title, self.event.uid)


@attrs.frozen
class AgendaDay:
    """The entries of one day, in display order.

    ``in_period`` is False for the days of the neighbouring months that fill the first
    and last week of a month grid.
    """

    day: date
    entries: tuple[AgendaEntry, ...]
    in_period: bool = True


@attrs.frozen
class Agenda:
    """The events of a person or an audience over a day, a week (Monday to Sunday) or a month.

    ``first`` and ``last`` bound the period (inclusive). ``days`` lists every day shown,
    which for a month view includes the padding days of the first and last week.
    ``str(agenda)`` and ``to_text()`` give plain text, and rich renders the object
    itself as tables.
    """

    view: View
    anchor: date
    lang: Language
    title: str | None
    first: date
    last: date
    days: tuple[AgendaDay, ...]

    def to_text(self, width: int = 100) -> str:
        """Render the agenda as plain text. ``width`` limits the month grid, in terminal cells."""
        from censusdt.census.calendar._render import render_text

        return render_text(self, width=width)

    def __str__(self) -> str:
        return self.to_text()

    def __rich__(self) -> RenderableType:
        from censusdt.census.calendar._render import render_rich

        return render_rich(self)

    def entries_on(self, day: date) -> tuple[AgendaEntry, ...]:
        """Return the entries of ``day``, or an empty tuple for a day outside the view."""
        for agenda_day in self.days:
            if agenda_day.day == day:
                return agenda_day.entries
        return ()


def _period(view: View, anchor: date) -> tuple[date, date, date, date]:
    """Return the period (first, last) and the days shown (shown_first, shown_last)."""
    if view == "day":
        return anchor, anchor, anchor, anchor

    if view == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        sunday = monday + timedelta(days=6)
        return monday, sunday, monday, sunday

    first = anchor.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    last = next_month - timedelta(days=1)
    shown_first = first - timedelta(days=first.weekday())
    shown_last = last + timedelta(days=6 - last.weekday())
    return first, last, shown_first, shown_last


def _unique_by_uid(events: Iterable[CalendarEvent]) -> list[CalendarEvent]:
    # Several people's calendars can contain the same event, so show each UID once.
    seen: set[str] = set()
    unique: list[CalendarEvent] = []
    for event in events:
        if event.uid in seen:
            continue
        seen.add(event.uid)
        unique.append(event)
    return unique


def agenda(
    events: Iterable[CalendarEvent],
    view: View = "week",
    anchor: date | None = None,
    lang: Language = "zh",
    *,
    title: str | None = None,
) -> Agenda:
    """Lay out events by day for the day, week (Monday to Sunday) or month around ``anchor``.

    ``events`` may come from one person or from several people (an audience); events
    with the same UID are shown once. ``anchor`` defaults to today in Asia/Shanghai.
    ``title`` (e.g. a name or section) heads the output. Text is Chinese by default and
    English with ``lang="en"``.
    """
    if view not in _VIEWS:
        raise ValueError(f"view={view!r} is not supported; use 'day', 'week' or 'month'")
    if lang not in _LANGUAGES:
        raise ValueError(f"lang={lang!r} is not supported; use 'zh' or 'en'")
    if anchor is None:
        anchor = datetime.now(SHANGHAI).date()
    elif isinstance(anchor, datetime):
        raise TypeError(f"anchor={anchor!r} must be a date, not a datetime; pass anchor.date()")

    first, last, shown_first, shown_last = _period(view, anchor)
    relevant = [
        event for event in _unique_by_uid(events) if event.overlaps(shown_first, shown_last)
    ]

    days: list[AgendaDay] = []
    current = shown_first
    while current <= shown_last:
        entries = [AgendaEntry(event, current) for event in relevant if event.occurs_on(current)]
        entries.sort(key=AgendaEntry.sort_key)
        days.append(AgendaDay(current, tuple(entries), first <= current <= last))
        current += timedelta(days=1)

    return Agenda(view, anchor, lang, title, first, last, tuple(days))
