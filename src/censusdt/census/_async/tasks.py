"""Assign to-dos to an audience, track each person's progress, and remind exactly the unfinished.

DingTalk recommends at most 100 executors per created to-do, so an audience is split into several
to-dos with the same subject and deadline (one per 100 people); the handle hides that. Per-person
progress comes from each executor's own org to-do list, because GetTodoTask returns no
per-executor status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import attrs

from censusdt._async.client import AsyncDingTalk
from censusdt._concurrency import async_map
from censusdt._errors import FieldError, ValidationError
from censusdt.api.robot import MAX_DING_RECEIVERS, RemindType
from censusdt.api.todo import MAX_EXECUTORS_PER_CREATE, DetailUrl
from censusdt.census.taskreport import (
    Progress,
    TaskBatch,
    TaskRecord,
    TaskStatus,
    reminder_text,
    split,
)
from censusdt.timeutil import SHANGHAI, as_shanghai, from_epoch_ms

__all__ = ["AsyncTaskHandle", "Reminder", "assign"]

#: Org to-do lists read at once while checking progress.
STATUS_CONCURRENCY = 10
#: Link a to-do opens when the caller gives none, because DingTalk lists only to-dos with a link.
DEFAULT_DETAIL_URL = DetailUrl(
    "https://www.stats.gov.cn/sj/pcsj/rkpc/d7c/", "https://www.stats.gov.cn/sj/pcsj/rkpc/d7c/"
)


@attrs.frozen
class Reminder:
    """Recipients of a reminder, and those DingTalk could not reach (reason -> userids)."""

    userids: tuple[str, ...]
    failed: dict[str, tuple[str, ...]]
    open_ding_ids: tuple[str, ...]


class AsyncTaskHandle:
    """An assignment on DingTalk: its to-dos, and each executor's progress on demand."""

    def __init__(self, client: AsyncDingTalk, record: TaskRecord) -> None:
        self._client = client
        self.record = record

    @property
    def subject(self) -> str:
        return self.record.subject

    @property
    def due(self) -> datetime | None:
        return self.record.due

    @property
    def userids(self) -> list[str]:
        return self.record.userids

    @property
    def task_ids(self) -> list[str]:
        return [batch.task_id for batch in self.record.batches]

    def save(self, path: str | Path) -> None:
        """Write the assignment to a JSON file that ``load`` reads back."""
        self.record.save(path)

    @classmethod
    def load(cls, client: AsyncDingTalk, path: str | Path) -> AsyncTaskHandle:
        return cls(client, TaskRecord.load(path))

    async def status(self, *, now: datetime | None = None) -> TaskStatus:
        """Read every executor's progress; past the deadline, not done is overdue.

        ``now`` decides what is overdue and defaults to the client's clock. A simulation passes
        the fake's virtual time here.
        """
        if now is None:
            now = from_epoch_ms(int(self._client.clock.time() * 1000))
        else:
            now = as_shanghai(now)
        task_of = {
            userid: batch.task_id for batch in self.record.batches for userid in batch.userids
        }

        async def finished(userid: str) -> bool:
            union_id = self.record.union_ids[userid]
            cards = self._client.todo.org_tasks(union_id, is_done=True, role_types=[["executor"]])
            async for card in cards:
                if card.task_id == task_of[userid]:
                    return True
            return False

        userids = self.record.userids
        results = await async_map(finished, userids, concurrency=STATUS_CONCURRENCY)
        overdue = self.record.due is not None and now > self.record.due
        people = {
            userid: Progress.DONE if done else Progress.OVERDUE if overdue else Progress.PENDING
            for userid, done in zip(userids, results, strict=True)
        }
        return TaskStatus(self.record.subject, self.record.due, now, people)

    async def mark(self, userids: Sequence[str], *, done: bool = True) -> None:
        """Record, as the office, that these executors have (or have not) finished."""
        unknown = [userid for userid in userids if userid not in self.record.union_ids]
        if unknown:
            raise ValidationError(
                [
                    FieldError("userids", userid, "is not an executor of this task")
                    for userid in unknown
                ]
            )
        wanted = set(userids)
        for batch in self.record.batches:
            statuses = {
                self.record.union_ids[userid]: done for userid in batch.userids if userid in wanted
            }
            if statuses:
                await self._client.todo.set_executor_status(
                    self.record.owner_union_id, batch.task_id, statuses
                )

    async def remind(
        self,
        *,
        status: TaskStatus | None = None,
        text: str | None = None,
        lang: str = "zh",
        remind_type: RemindType = RemindType.IN_APP,
    ) -> Reminder:
        """DING exactly the executors who have not finished (checked now unless ``status``).

        The DING comes from the app's robot, in batches of DingTalk's per-call limit.
        """
        current = status if status is not None else await self.status()
        unfinished = current.unfinished
        if not unfinished:
            return Reminder((), {}, ())

        content = text or reminder_text(self.record.subject, self.record.due, lang)
        failed: dict[str, list[str]] = {}
        ding_ids = []
        for chunk in split(unfinished, MAX_DING_RECEIVERS[remind_type]):
            result = await self._client.robot.send_ding(chunk, content, remind_type=remind_type)
            ding_ids.append(result.open_ding_id)
            for reason, users in result.failed.items():
                failed.setdefault(reason, []).extend(users)
        return Reminder(
            tuple(unfinished),
            {reason: tuple(users) for reason, users in failed.items()},
            tuple(ding_ids),
        )


async def assign(
    client: AsyncDingTalk,
    audience_userids: Sequence[str],
    subject: str,
    due: datetime | int | None,
    *,
    owner_userid: str,
    description: str | None = None,
    detail_url: DetailUrl | None = None,
    source_id: str | None = None,
    priority: int | None = None,
    ding_notify: bool | None = None,
) -> AsyncTaskHandle:
    """Create to-dos for ``audience_userids`` due at ``due`` and return a handle to track them.

    ``due`` is an aware datetime or epoch milliseconds (a value in seconds is rejected).
    ``owner_userid`` is the creator, usually the census office's operator. ``source_id`` makes
    the assignment idempotent per app: each batch's to-do gets ``<source_id>-<n>``.
    """
    audience = list(dict.fromkeys(audience_userids))
    errors = []
    if not audience:
        errors.append(FieldError("audience_userids", [], "give at least one userid"))
    due_at: datetime | None
    if isinstance(due, datetime):
        try:
            due_at = as_shanghai(due)
        except ValueError as error:
            errors.append(FieldError("due", due, str(error)))
    elif due is None:
        due_at = None
    else:
        try:
            due_at = from_epoch_ms(due, name="due")
        except (TypeError, ValueError) as error:
            errors.append(FieldError("due", due, str(error)))
    if errors:
        raise ValidationError(errors)

    union_ids = await client.todo.union_ids([owner_userid, *audience])
    owner = union_ids[owner_userid]
    batches = []
    for number, chunk in enumerate(split(audience, MAX_EXECUTORS_PER_CREATE), start=1):
        task = await client.todo.create(
            owner,
            subject,
            executor_ids=[union_ids[userid] for userid in chunk],
            due=due_at,
            description=description,
            detail_url=detail_url or DEFAULT_DETAIL_URL,
            source_id=f"{source_id}-{number}" if source_id else None,
            priority=priority,
            ding_notify=ding_notify,
        )
        batches.append(TaskBatch(task.id, tuple(chunk)))

    record = TaskRecord(
        subject=subject,
        due=due_at.astimezone(SHANGHAI) if due_at is not None else None,
        owner_userid=owner_userid,
        owner_union_id=owner,
        union_ids={userid: union_ids[userid] for userid in audience},
        batches=tuple(batches),
        source_id=source_id,
    )
    return AsyncTaskHandle(client, record)
