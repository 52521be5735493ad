"""Census calendar: events, 7th census milestones, agenda views and iCalendar files.

Everything here is pure (no network). ``event_from_dingtalk`` and ``event_to_dingtalk``
convert DingTalk's calendar event JSON for the code that calls the calendar endpoints.
"""

from censusdt.census.calendar._agenda import Agenda, AgendaDay, AgendaEntry, View, agenda
from censusdt.census.calendar._dingtalk import event_from_dingtalk, event_to_dingtalk
from censusdt.census.calendar._event import CalendarEvent
from censusdt.census.calendar._ics import from_ics, to_ics
from censusdt.census.calendar._milestones import (
    Certainty,
    Milestone,
    load_census7_milestones,
    parse_milestones_csv,
)

__all__ = [
    "Agenda",
    "AgendaDay",
    "AgendaEntry",
    "CalendarEvent",
    "Certainty",
    "Milestone",
    "View",
    "agenda",
    "event_from_dingtalk",
    "event_to_dingtalk",
    "from_ics",
    "load_census7_milestones",
    "parse_milestones_csv",
    "to_ics",
]
