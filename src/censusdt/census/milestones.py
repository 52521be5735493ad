"""The census milestone calendar on DingTalk: the public names of the milestones workflow.

The plain names use the sync client (``censusdt.DingTalk``); the ``async_`` names the async one.
"""

from censusdt.census._async.milestones import calendar_events as async_calendar_events
from censusdt.census._async.milestones import export_ics as async_export_ics
from censusdt.census._async.milestones import publish_milestones as async_publish_milestones
from censusdt.census._async.milestones import subscribe_staff as async_subscribe_staff
from censusdt.census._sync.milestones import (
    DEFAULT_NAME,
    MilestoneCalendar,
    calendar_events,
    export_ics,
    publish_milestones,
    subscribe_staff,
)

__all__ = [
    "DEFAULT_NAME",
    "MilestoneCalendar",
    "async_calendar_events",
    "async_export_ics",
    "async_publish_milestones",
    "async_subscribe_staff",
    "calendar_events",
    "export_ics",
    "publish_milestones",
    "subscribe_staff",
]
