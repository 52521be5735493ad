# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Attendance summaries for a day or a week, per section, read through the attendance API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from censusdt.census.admin.attendance import (
    AttendanceSummary,
    summarize_attendance,
)

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["fetch_attendance_summary"]


def fetch_attendance_summary(
    client: DingTalk,
    userids: Sequence[str],
    day: dt.date,
    *,
    weekly: bool = False,
    sections: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    section_order: Sequence[str] = (),
) -> AttendanceSummary:
    """Summarise ``day`` (or its Monday-to-Sunday week) from punch results and leaves.

    Users are read in batches within DingTalk's limits (50 per punch query, 7 days, 100 per
    leave query); the classification is the pure ``classify_day``.
    """
    start = day - dt.timedelta(days=day.weekday()) if weekly else day
    end = start + dt.timedelta(days=6) if weekly else day
    punches = client.attendance.punch_results(userids, start, end)
    leaves = client.attendance.leave_statuses(userids, start, end)
    return summarize_attendance(
        punches,
        leaves,
        start=start,
        end=end,
        sections=sections,
        names=names,
        section_order=section_order,
    )
