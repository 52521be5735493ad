"""To-do state of one corp: tasks with per-executor done state (no HTTP here).

Errors are raised as :class:`NewApiError` with DingTalk's code and message, because the to-do API
(``todo_1.0``) is on the new host. Each operation has its own code prefix
(``todo.taskCreate``, ``todo.taskUpdate``, ...), as DingTalk returns them.
"""

from __future__ import annotations

import random
from typing import Any

import attrs

from censusdt_fake._errors import NewApiError

__all__ = [
    "MAX_DESCRIPTION_LENGTH",
    "MAX_SUBJECT_LENGTH",
    "ORG_PAGE_SIZE",
    "TodoState",
    "TodoTask",
]

#: CreateTodoTask and UpdateTodoTask limits (characters, people per list).
MAX_SUBJECT_LENGTH = 1024
MAX_DESCRIPTION_LENGTH = 4096
MAX_CREATE_PEOPLE = 100
MAX_UPDATE_PEOPLE = 1000
MAX_STATUS_LIST = 1000
#: NOTE: QueryOrgTodoTasks takes no page size and its server default is not documented; 50 is ours.
ORG_PAGE_SIZE = 50
#: Completed to-dos older than 180 days drop out of the org to-do list.
DONE_RETENTION_MS = 180 * 86_400_000
# Plausible epoch milliseconds (1973 .. year 5138); a dueTime outside is "dueTime is invalid".
_MIN_EPOCH_MS = 10**11
_MAX_EPOCH_MS = 10**14


def param_error(operation: str, message: str) -> NewApiError:
    """The HTTP 400 ``todo.<operation>.paramError`` DingTalk returns for a bad parameter."""
    return NewApiError(400, f"todo.{operation}.paramError", message)


@attrs.define
class TodoTask:
    """One to-do with its executors' done state; ``biz_tag`` is the creating app's key."""

    id: str
    subject: str
    creator_id: str
    created_time: int
    biz_tag: str
    description: str | None = None
    due_time: int | None = None
    executor_ids: list[str] = attrs.field(factory=list)
    participant_ids: list[str] = attrs.field(factory=list)
    source_id: str | None = None
    detail_url: dict[str, str] | None = None
    priority: int | None = None
    todo_type: str = "TODO"
    is_only_show_executor: bool = False
    content_field_list: list[dict[str, str]] = attrs.field(factory=list)
    done: bool = False
    finish_time: int | None = None
    modified_time: int = 0
    modifier_id: str | None = None
    #: Executor unionId -> done; the per-executor status that ``executorStatus`` sets.
    executor_done: dict[str, bool] = attrs.field(factory=dict)
    #: Executor unionId -> epoch ms when the executor finished.
    executor_finish_time: dict[str, int] = attrs.field(factory=dict)

    def is_done_for(self, union_id: str) -> bool:
        """Whether the to-do is done in ``union_id``'s own list.

        NOTE: DingTalk does not document whether a list's ``isDone`` is per executor or the
        task-level ``done``; the fake shows an executor their own status, others the task's.
        """
        if union_id in self.executor_done:
            return self.executor_done[union_id] or self.done
        return self.done

    def to_wire(self) -> dict[str, Any]:
        """The task resource as GetTodoTask and CreateTodoTask return it."""
        body: dict[str, Any] = {
            "id": self.id,
            "subject": self.subject,
            "creatorId": self.creator_id,
            "createdTime": self.created_time,
            "modifiedTime": self.modified_time,
            "done": self.done,
            "executorIds": list(self.executor_ids),
            "participantIds": list(self.participant_ids),
            "bizTag": self.biz_tag,
            "isOnlyShowExecutor": self.is_only_show_executor,
            "source": "isv_dingtalkTodo",
        }
        optional = {
            "description": self.description,
            "dueTime": self.due_time,
            "finishTime": self.finish_time,
            "sourceId": self.source_id,
            "detailUrl": self.detail_url,
            "priority": self.priority,
            "modifierId": self.modifier_id,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body

    def to_card(self, union_id: str) -> dict[str, Any]:
        """Render the to-do as one ``todoCards`` item of ``union_id``'s org to-do list."""
        card: dict[str, Any] = {
            "taskId": self.id,
            "subject": self.subject,
            "createdTime": self.created_time,
            "modifiedTime": self.modified_time,
            "creatorId": self.creator_id,
            "bizTag": self.biz_tag,
            "isDone": self.is_done_for(union_id),
            "todoType": self.todo_type,
        }
        optional = {
            "dueTime": self.due_time,
            "detailUrl": self.detail_url,
            "priority": self.priority,
            "sourceId": self.source_id,
        }
        card.update({key: value for key, value in optional.items() if value is not None})
        return card

    def roles_of(self, union_id: str) -> set[str]:
        roles = set()
        if union_id in self.executor_ids:
            roles.add("executor")
        if union_id == self.creator_id:
            roles.add("creator")
        if union_id in self.participant_ids:
            roles.add("participant")
        return roles


@attrs.define
class TodoState:
    """The corp's to-dos, with DingTalk's limits and codes enforced."""

    tasks: dict[str, TodoTask] = attrs.field(factory=dict)
    #: (bizTag, sourceId) -> taskId; one to-do per sourceId.
    by_source: dict[tuple[str, str], str] = attrs.field(factory=dict)
    next_number: int = 1

    # Operations behind the API.

    def create(
        self,
        *,
        owner: str,
        biz_tag: str,
        now_ms: int,
        body: dict[str, Any],
        operator_id: str | None = None,
    ) -> TodoTask:
        """Create a to-do from a CreateTodoTask body; ``owner`` is the path unionId."""
        subject = body.get("subject")
        if not isinstance(subject, str) or not subject:
            raise NewApiError(400, "MissingParameter", "subject is mandatory for this action.")
        self._check_text("taskCreate", body, MAX_CREATE_PEOPLE)

        source_id = body.get("sourceId") or None
        if source_id is not None and (biz_tag, str(source_id)) in self.by_source:
            raise param_error("taskCreate", "task exist")

        task_id = self._new_id(now_ms)
        executors = _unique(body.get("executorIds") or [])
        task = TodoTask(
            id=task_id,
            subject=subject,
            creator_id=str(body.get("creatorId") or operator_id or owner),
            created_time=now_ms,
            biz_tag=biz_tag,
            description=body.get("description"),
            due_time=body.get("dueTime"),
            executor_ids=executors,
            participant_ids=_unique(body.get("participantIds") or []),
            source_id=str(source_id) if source_id is not None else None,
            detail_url=body.get("detailUrl"),
            priority=body.get("priority"),
            todo_type=str(body.get("todoType") or "TODO"),
            is_only_show_executor=bool(body.get("isOnlyShowExecutor", False)),
            content_field_list=list(body.get("contentFieldList") or []),
            modified_time=now_ms,
            executor_done=dict.fromkeys(executors, False),
        )
        self.tasks[task_id] = task
        if task.source_id is not None:
            self.by_source[(biz_tag, task.source_id)] = task_id
        return task

    def get(self, task_id: str, operation: str = "taskQuery") -> TodoTask:
        task = self.tasks.get(task_id)
        if task is None:
            raise param_error(operation, "task not exist")
        return task

    def get_by_source(self, biz_tag: str, source_id: str) -> TodoTask:
        task_id = self.by_source.get((biz_tag, source_id))
        if task_id is None:
            raise param_error("taskQuery", "task not exist")
        return self.tasks[task_id]

    def owned(self, task_id: str, biz_tag: str, operation: str) -> TodoTask:
        """Return the task if the calling app created it, because apps change only their own."""
        task = self.get(task_id, operation)
        if task.biz_tag != biz_tag:
            raise param_error(operation, "task not belong to bizTag")
        return task

    def update(
        self,
        task_id: str,
        *,
        biz_tag: str,
        now_ms: int,
        body: dict[str, Any],
        operator_id: str | None,
    ) -> None:
        """Apply an UpdateTodoTask body: only the fields sent change."""
        task = self.owned(task_id, biz_tag, "taskUpdate")
        self._check_text("taskUpdate", body, MAX_UPDATE_PEOPLE)

        if "subject" in body and body["subject"] is not None:
            task.subject = str(body["subject"])
        if "description" in body and body["description"] is not None:
            task.description = str(body["description"])
        if body.get("dueTime") is not None:
            task.due_time = int(body["dueTime"])
        if body.get("executorIds") is not None:
            executors = _unique(body["executorIds"])
            task.executor_ids = executors
            task.executor_done = {
                executor: task.executor_done.get(executor, False) for executor in executors
            }
        if body.get("participantIds") is not None:
            task.participant_ids = _unique(body["participantIds"])
        if body.get("contentFieldList") is not None:
            task.content_field_list = list(body["contentFieldList"])
        if body.get("done") is not None:
            task.done = bool(body["done"])
            task.finish_time = now_ms if task.done else None
        task.modified_time = now_ms
        task.modifier_id = operator_id

    def set_executor_status(
        self, task_id: str, *, biz_tag: str, now_ms: int, statuses: list[Any]
    ) -> None:
        """Apply ``executorStatusList``; every entry is checked before any is applied."""
        operation = "taskExecutorStatusUpdate"
        task = self.owned(task_id, biz_tag, operation)
        if len(statuses) > MAX_STATUS_LIST:
            raise param_error(operation, "executors is oversize")

        changes: list[tuple[str, bool]] = []
        for entry in statuses:
            if not isinstance(entry, dict) or not entry.get("id"):
                raise NewApiError(400, "MissingParameter", "id is mandatory for this action.")
            executor = str(entry["id"])
            if executor not in task.executor_done:
                # NOTE: the reply for an id that is not an executor is not documented.
                raise param_error(operation, f"executor {executor} not exist")
            changes.append((executor, bool(entry.get("isDone", False))))

        for executor, done in changes:
            self.mark_executor(task, executor, done, now_ms)
        task.modified_time = now_ms

    def delete(self, task_id: str, *, biz_tag: str) -> None:
        task = self.owned(task_id, biz_tag, "taskDelete")
        del self.tasks[task_id]
        if task.source_id is not None:
            self.by_source.pop((task.biz_tag, task.source_id), None)

    def org_tasks(
        self,
        union_id: str,
        *,
        now_ms: int,
        is_done: bool | None,
        role_types: list[list[str]] | None,
        todo_type: str | None,
    ) -> list[TodoTask]:
        """``union_id``'s org to-dos matching the filters, oldest first.

        Only to-dos with a ``detailUrl`` are org to-dos, and done ones older than 180 days drop
        out. ``role_types`` is OR over the outer list and AND inside each inner list.
        """
        found = []
        for task in self.tasks.values():
            if not task.detail_url:
                continue
            roles = task.roles_of(union_id)
            if not roles:
                continue
            if role_types and not any(set(group) <= roles for group in role_types):
                continue
            done = task.is_done_for(union_id)
            if is_done is not None and done != is_done:
                continue
            if todo_type and task.todo_type != todo_type:
                continue
            finished = task.executor_finish_time.get(union_id) or task.finish_time
            if done and finished is not None and now_ms - finished > DONE_RETENTION_MS:
                continue
            found.append(task)
        return sorted(found, key=lambda task: (task.created_time, task.id))

    # Control plane: people finishing their to-dos.

    def mark_executor(self, task: TodoTask, executor: str, done: bool, now_ms: int) -> None:
        if executor not in task.executor_done:
            raise KeyError(f"{executor} is not an executor of to-do {task.id}")
        task.executor_done[executor] = done
        if done:
            task.executor_finish_time[executor] = now_ms
        else:
            task.executor_finish_time.pop(executor, None)

    def complete(self, task_id: str, union_id: str, now_ms: int) -> None:
        """Simulate ``union_id`` ticking the to-do off in the DingTalk app."""
        task = self.tasks.get(task_id)
        if task is None:
            raise KeyError(f"no to-do {task_id}")
        self.mark_executor(task, union_id, True, now_ms)

    def simulate(self, task_id: str, *, probability: float, seed: int, now_ms: int) -> list[str]:
        """Let each unfinished executor finish with ``probability``; return who finished.

        The same seed and task give the same people, so tests can predict the outcome.
        """
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"probability={probability} must be between 0 and 1")
        task = self.tasks.get(task_id)
        if task is None:
            raise KeyError(f"no to-do {task_id}")
        rng = random.Random(f"{seed}:{task_id}")
        finished = []
        for executor in task.executor_ids:
            draw = rng.random()
            if not task.executor_done[executor] and draw < probability:
                self.mark_executor(task, executor, True, now_ms)
                finished.append(executor)
        return finished

    # Helpers.

    def _new_id(self, now_ms: int) -> str:
        number = self.next_number
        self.next_number += 1
        return f"task{now_ms % 10**8:08d}{number:06d}"

    @staticmethod
    def _check_text(operation: str, body: dict[str, Any], max_people: int) -> None:
        subject = body.get("subject")
        if isinstance(subject, str) and len(subject) > MAX_SUBJECT_LENGTH:
            raise param_error(operation, "subject is oversize")
        description = body.get("description")
        if isinstance(description, str) and len(description) > MAX_DESCRIPTION_LENGTH:
            raise param_error(operation, "description is oversize")
        if len(body.get("executorIds") or []) > max_people:
            raise param_error(operation, "executors is oversize")
        if len(body.get("participantIds") or []) > max_people:
            raise param_error(operation, "participants is oversize")
        due = body.get("dueTime")
        if due is not None and (
            isinstance(due, bool)
            or not isinstance(due, int)
            or not _MIN_EPOCH_MS <= due < _MAX_EPOCH_MS
        ):
            raise param_error(operation, "dueTime is invalid")


def _unique(values: list[Any]) -> list[str]:
    return list(dict.fromkeys(str(value) for value in values))
