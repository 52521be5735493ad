"""To-dos for an audience, tracked per person: the public names of the tasks workflow.

``assign`` / ``TaskHandle`` use the sync client (``censusdt.DingTalk``); ``async_assign`` /
``AsyncTaskHandle`` the async one.
"""

from censusdt.census._async.tasks import AsyncTaskHandle
from censusdt.census._async.tasks import assign as async_assign
from censusdt.census._sync.tasks import Reminder, TaskHandle, assign
from censusdt.census.taskreport import (
    GroupCompletion,
    Progress,
    TaskBatch,
    TaskRecord,
    TaskStatus,
    completion_by_group,
    reminder_text,
)

__all__ = [
    "AsyncTaskHandle",
    "GroupCompletion",
    "Progress",
    "Reminder",
    "TaskBatch",
    "TaskHandle",
    "TaskRecord",
    "TaskStatus",
    "assign",
    "async_assign",
    "completion_by_group",
    "reminder_text",
]
