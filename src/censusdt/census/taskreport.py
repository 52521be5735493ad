"""Per-person to-do progress, completion tables by group, and the saved form of an assignment."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from censusdt.timeutil import SHANGHAI, as_shanghai

__all__ = [
    "GroupCompletion",
    "Progress",
    "TaskBatch",
    "TaskRecord",
    "TaskStatus",
    "completion_by_group",
    "reminder_text",
]


class Progress(enum.Enum):
    """Progress of one executor on a to-do."""

    DONE = "done"
    #: Not done and the deadline has not passed.
    PENDING = "pending"
    #: Not done and the deadline has passed.
    OVERDUE = "overdue"

    def label(self, lang: str = "zh") -> str:
        labels = {
            "zh": {"done": "已完成", "pending": "未完成", "overdue": "已逾期"},
            "en": {"done": "done", "pending": "not done", "overdue": "overdue"},
        }
        return labels["en" if lang == "en" else "zh"][self.value]


@attrs.frozen
class TaskStatus:
    """Each executor's progress on an assignment at ``checked_at``."""

    subject: str
    due: datetime | None
    checked_at: datetime
    #: userid -> progress, in the order the audience was given.
    people: Mapping[str, Progress]

    def with_progress(self, *wanted: Progress) -> list[str]:
        return [userid for userid, progress in self.people.items() if progress in wanted]

    @property
    def done(self) -> list[str]:
        return self.with_progress(Progress.DONE)

    @property
    def pending(self) -> list[str]:
        return self.with_progress(Progress.PENDING)

    @property
    def overdue(self) -> list[str]:
        return self.with_progress(Progress.OVERDUE)

    @property
    def unfinished(self) -> list[str]:
        """Everyone not done, overdue or not: the people a reminder goes to."""
        return self.with_progress(Progress.PENDING, Progress.OVERDUE)

    def judged_at(self, now: datetime) -> TaskStatus:
        """Return the same progress with not-done people judged pending or overdue at ``now``.

        Use it to show a status as it stood before or after the deadline without reading every
        executor's list again; people who finished stay done.
        """
        overdue = self.due is not None and as_shanghai(now) > self.due
        late = Progress.OVERDUE if overdue else Progress.PENDING
        people = {
            userid: progress if progress is Progress.DONE else late
            for userid, progress in self.people.items()
        }
        return TaskStatus(self.subject, self.due, as_shanghai(now), people)

    def summary(self, lang: str = "zh") -> str:
        total = len(self.people)
        if lang == "en":
            return (
                f"{self.subject}: {len(self.done)}/{total} done, {len(self.pending)} not done, "
                f"{len(self.overdue)} overdue"
            )
        return (
            f"{self.subject}：已完成 {len(self.done)}/{total} 人，未完成 {len(self.pending)} 人，"
            f"已逾期 {len(self.overdue)} 人"
        )


@attrs.frozen
class GroupCompletion:
    """Completion counts of one group (a town, a section) of an assignment's audience."""

    group: str
    total: int
    done: int
    pending: int
    overdue: int

    @property
    def rate(self) -> float:
        return self.done / self.total if self.total else 0.0


def completion_by_group(
    status: TaskStatus, group_of: Mapping[str, str], *, other: str = "其他"
) -> list[GroupCompletion]:
    """Count done, pending and overdue people per group, groups in first-seen order.

    People missing from ``group_of`` are counted under ``other``.
    """
    counts: dict[str, dict[Progress, int]] = {}
    for userid, progress in status.people.items():
        group = group_of.get(userid, other)
        counts.setdefault(group, dict.fromkeys(Progress, 0))[progress] += 1
    return [
        GroupCompletion(
            group,
            sum(tally.values()),
            tally[Progress.DONE],
            tally[Progress.PENDING],
            tally[Progress.OVERDUE],
        )
        for group, tally in counts.items()
    ]


def reminder_text(subject: str, due: datetime | None, lang: str = "zh") -> str:
    """Build the DING text that reminds someone to finish a to-do."""
    if due is None:
        if lang == "en":
            return f"Reminder: please finish the to-do “{subject}” and mark it done in DingTalk."
        return f"【待办提醒】请尽快完成「{subject}」，完成后在钉钉待办中点击“完成”。"
    local = as_shanghai(due)
    if lang == "en":
        return (
            f"Reminder: please finish the to-do “{subject}” by {local:%Y-%m-%d %H:%M} "
            f"and mark it done in DingTalk."
        )
    return (
        f"【待办提醒】请于{local.month}月{local.day}日 {local:%H:%M} 前完成「{subject}」，"
        f"完成后在钉钉待办中点击“完成”。"
    )


@attrs.frozen
class TaskBatch:
    """One DingTalk to-do of an assignment and the userids who execute it."""

    task_id: str
    userids: tuple[str, ...]


@attrs.frozen
class TaskRecord:
    """Everything needed to check or remind an assignment later, from another process."""

    subject: str
    due: datetime | None
    owner_userid: str
    owner_union_id: str
    #: userid -> unionId of every executor.
    union_ids: Mapping[str, str]
    batches: tuple[TaskBatch, ...]
    source_id: str | None = None

    @property
    def userids(self) -> list[str]:
        return [userid for batch in self.batches for userid in batch.userids]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "subject": self.subject,
            "due": self.due.isoformat() if self.due is not None else None,
            "owner_userid": self.owner_userid,
            "owner_union_id": self.owner_union_id,
            "union_ids": dict(self.union_ids),
            "batches": [
                {"task_id": batch.task_id, "userids": list(batch.userids)} for batch in self.batches
            ],
            "source_id": self.source_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TaskRecord:
        if data.get("version") != 1:
            raise ValueError(f"unknown task record version {data.get('version')!r}; expected 1")
        due_text = data.get("due")
        due = datetime.fromisoformat(due_text).astimezone(SHANGHAI) if due_text else None
        return cls(
            subject=str(data["subject"]),
            due=due,
            owner_userid=str(data["owner_userid"]),
            owner_union_id=str(data["owner_union_id"]),
            union_ids={str(key): str(value) for key, value in data["union_ids"].items()},
            batches=tuple(
                TaskBatch(str(item["task_id"]), tuple(str(user) for user in item["userids"]))
                for item in data["batches"]
            ),
            source_id=data.get("source_id"),
        )

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> TaskRecord:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def split(values: Sequence[str], size: int) -> list[list[str]]:
    """Cut ``values`` into consecutive chunks of at most ``size``."""
    return [list(values[start : start + size]) for start in range(0, len(values), size)]
