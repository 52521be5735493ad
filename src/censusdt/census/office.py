"""Office administration on DingTalk: the public names of the approval, attendance, training
and inactive-staff workflows.

The plain names use the sync client (``censusdt.DingTalk``); the ``async_`` names the async one.
"""

from censusdt.census._async.approvaltrack import approval_statuses as async_approval_statuses
from censusdt.census._async.approvaltrack import (
    remind_late_approvers as async_remind_late_approvers,
)
from censusdt.census._async.approvaltrack import submit_approval as async_submit_approval
from censusdt.census._async.attendancereport import (
    fetch_attendance_summary as async_fetch_attendance_summary,
)
from censusdt.census._async.inactivestaff import inactive_staff as async_inactive_staff
from censusdt.census._async.inactivestaff import remind_inactive as async_remind_inactive
from censusdt.census._async.training import remind_unwatched as async_remind_unwatched
from censusdt.census._async.training import schedule_training as async_schedule_training
from censusdt.census._async.training import training_report as async_training_report
from censusdt.census._sync.approvaltrack import (
    ApprovalStatus,
    approval_statuses,
    approval_table,
    remind_late_approvers,
    submit_approval,
    waiting_by_approver,
)
from censusdt.census._sync.attendancereport import fetch_attendance_summary
from censusdt.census._sync.inactivestaff import (
    InactivePerson,
    inactive_staff,
    inactive_table,
    remind_inactive,
    town_departments,
    town_of,
)
from censusdt.census._sync.training import (
    Trainee,
    Training,
    TrainingReport,
    remind_unwatched,
    schedule_training,
    training_report,
    training_table,
)

__all__ = [
    "ApprovalStatus",
    "InactivePerson",
    "Trainee",
    "Training",
    "TrainingReport",
    "approval_statuses",
    "approval_table",
    "async_approval_statuses",
    "async_fetch_attendance_summary",
    "async_inactive_staff",
    "async_remind_inactive",
    "async_remind_late_approvers",
    "async_remind_unwatched",
    "async_schedule_training",
    "async_submit_approval",
    "async_training_report",
    "fetch_attendance_summary",
    "inactive_staff",
    "inactive_table",
    "remind_inactive",
    "remind_late_approvers",
    "remind_unwatched",
    "schedule_training",
    "submit_approval",
    "town_departments",
    "town_of",
    "training_report",
    "training_table",
    "waiting_by_approver",
]
