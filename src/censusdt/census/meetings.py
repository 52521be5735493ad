"""Meetings in an audience's calendars: the public names of the meetings workflow.

``schedule`` / ``Meeting`` use the sync client (``censusdt.DingTalk``); ``async_schedule`` /
``AsyncMeeting`` the async one.
"""

from censusdt.census._async.meetings import AsyncMeeting
from censusdt.census._async.meetings import schedule as async_schedule
from censusdt.census._sync.meetings import Meeting, schedule
from censusdt.census.meetingreport import RESPONSE_LABELS, MeetingRecord, MeetingStatus

__all__ = [
    "RESPONSE_LABELS",
    "AsyncMeeting",
    "Meeting",
    "MeetingRecord",
    "MeetingStatus",
    "async_schedule",
    "schedule",
]
