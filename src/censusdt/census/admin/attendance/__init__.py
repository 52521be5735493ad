"""Attendance summaries from DingTalk punch results and leave statuses.

Parse the legacy endpoints' items with ``parse_punch_results`` and
``parse_leave_statuses``, classify each person's work day with ``classify_day`` (its
docstring gives the rule when check points disagree), and summarise a day or a week
per person and per section. ``attendance_tables`` renders Chinese (or English) rich
tables and ``export_attendance_xlsx`` writes a workbook.
"""

from censusdt.census.admin.attendance._records import (
    CheckType,
    LeaveStatus,
    PunchResult,
    TimeResult,
    parse_leave_statuses,
    parse_punch_results,
)
from censusdt.census.admin.attendance._report import (
    STATUS_LABELS,
    attendance_tables,
    export_attendance_xlsx,
    summary_title,
)
from censusdt.census.admin.attendance._summary import (
    NO_SECTION,
    AttendanceSummary,
    DayStatus,
    PersonDay,
    StatusCounts,
    classify_day,
    daily_summary,
    summarize_attendance,
    weekly_summary,
)

__all__ = [
    "NO_SECTION",
    "STATUS_LABELS",
    "AttendanceSummary",
    "CheckType",
    "DayStatus",
    "LeaveStatus",
    "PersonDay",
    "PunchResult",
    "StatusCounts",
    "TimeResult",
    "attendance_tables",
    "classify_day",
    "daily_summary",
    "export_attendance_xlsx",
    "parse_leave_statuses",
    "parse_punch_results",
    "summarize_attendance",
    "summary_title",
    "weekly_summary",
]
