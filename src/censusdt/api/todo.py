"""To-do (待办) endpoints, models and input checks of DingTalk's ``todo_1.0`` API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError
from censusdt.timeutil import SHANGHAI, check_epoch_ms, to_epoch_ms

__all__ = [
    "CREATE_TASK",
    "DELETE_TASK",
    "GET_TASK",
    "GET_TASK_BY_SOURCE",
    "MAX_DESCRIPTION_LENGTH",
    "MAX_EXECUTORS_PER_CREATE",
    "MAX_EXECUTORS_PER_UPDATE",
    "MAX_SUBJECT_LENGTH",
    "QUERY_ORG_TASKS",
    "UPDATE_EXECUTOR_STATUS",
    "UPDATE_TASK",
    "DetailUrl",
    "Priority",
    "TodoCard",
    "TodoTask",
    "epoch_ms_errors",
    "people_errors",
    "text_length_errors",
    "url_errors",
]

CREATE_TASK = Endpoint.new("POST", "/v1.0/todo/users/{unionId}/tasks", idempotent=False)
GET_TASK = Endpoint.new("GET", "/v1.0/todo/users/{unionId}/tasks/{taskId}", idempotent=True)
GET_TASK_BY_SOURCE = Endpoint.new(
    "GET", "/v1.0/todo/users/{unionId}/tasks/sources/{sourceId}", idempotent=True
)
UPDATE_TASK = Endpoint.new("PUT", "/v1.0/todo/users/{unionId}/tasks/{taskId}", idempotent=True)
UPDATE_EXECUTOR_STATUS = Endpoint.new(
    "PUT", "/v1.0/todo/users/{unionId}/tasks/{taskId}/executorStatus", idempotent=True
)
DELETE_TASK = Endpoint.new("DELETE", "/v1.0/todo/users/{unionId}/tasks/{taskId}", idempotent=True)
QUERY_ORG_TASKS = Endpoint.new(
    "POST", "/v1.0/todo/users/{unionId}/org/tasks/query", idempotent=True
)

#: CreateTodoTask: subject up to 1024 characters, description up to 4096.
MAX_SUBJECT_LENGTH = 1024
MAX_DESCRIPTION_LENGTH = 4096
#: DingTalk recommends at most 100 executors (and 100 participants) per created to-do.
MAX_EXECUTORS_PER_CREATE = 100
#: UpdateTodoTask and executorStatus take up to 1000 people per call.
MAX_EXECUTORS_PER_UPDATE = 1000
#: Each detailUrl link is at most 1024 bytes.
MAX_URL_BYTES = 1024


class Priority:
    """CreateTodoTask ``priority`` values."""

    LOW = 10
    NORMAL = 20
    HIGH = 30
    URGENT = 40


@attrs.frozen
class DetailUrl:
    """Links the to-do opens: ``app_url`` on phones, ``pc_url`` on the desktop client."""

    app_url: str
    pc_url: str


def _optional_ms(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.timezone.utc).astimezone(SHANGHAI)


@attrs.frozen
class TodoTask:
    """A to-do as GetTodoTask and CreateTodoTask return it; times are Asia/Shanghai datetimes."""

    id: str
    subject: str
    creator_id: str
    created_time: dt.datetime | None
    done: bool
    executor_ids: tuple[str, ...]
    participant_ids: tuple[str, ...]
    description: str | None = None
    due_time: dt.datetime | None = None
    finish_time: dt.datetime | None = None
    source_id: str | None = None
    detail_url: DetailUrl | None = None
    priority: int | None = None
    biz_tag: str | None = None
    modified_time: dt.datetime | None = None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> TodoTask:
        detail = body.get("detailUrl")
        return cls(
            id=str(body["id"]),
            subject=str(body.get("subject") or ""),
            creator_id=str(body.get("creatorId") or ""),
            created_time=_optional_ms(body.get("createdTime")),
            done=bool(body.get("done", False)),
            executor_ids=tuple(str(item) for item in body.get("executorIds") or []),
            participant_ids=tuple(str(item) for item in body.get("participantIds") or []),
            description=body.get("description"),
            due_time=_optional_ms(body.get("dueTime")),
            finish_time=_optional_ms(body.get("finishTime")),
            source_id=body.get("sourceId"),
            detail_url=(
                DetailUrl(str(detail.get("appUrl") or ""), str(detail.get("pcUrl") or ""))
                if isinstance(detail, dict)
                else None
            ),
            priority=int(body["priority"]) if body.get("priority") is not None else None,
            biz_tag=body.get("bizTag"),
            modified_time=_optional_ms(body.get("modifiedTime")),
        )


@attrs.frozen
class TodoCard:
    """One entry of a user's org to-do list; ``is_done`` is as that user sees it."""

    task_id: str
    subject: str
    is_done: bool
    due_time: dt.datetime | None = None
    created_time: dt.datetime | None = None
    creator_id: str | None = None
    source_id: str | None = None
    todo_type: str | None = None
    priority: int | None = None

    @classmethod
    def from_wire(cls, body: dict[str, Any]) -> TodoCard:
        return cls(
            task_id=str(body["taskId"]),
            subject=str(body.get("subject") or ""),
            is_done=bool(body.get("isDone", False)),
            due_time=_optional_ms(body.get("dueTime")),
            created_time=_optional_ms(body.get("createdTime")),
            creator_id=body.get("creatorId"),
            source_id=body.get("sourceId"),
            todo_type=body.get("todoType"),
            priority=int(body["priority"]) if body.get("priority") is not None else None,
        )


def epoch_ms_errors(
    field: str, value: dt.datetime | int | None
) -> tuple[list[FieldError], int | None]:
    """Convert a due time to epoch milliseconds, or name why it cannot be sent.

    An int must already be epoch milliseconds: a value in epoch seconds would be read by
    DingTalk as a date in 1970, so it is rejected with the fix. A naive datetime is rejected
    because its instant is unknown.
    """
    if value is None:
        return [], None
    if isinstance(value, dt.datetime):
        try:
            return [], to_epoch_ms(value)
        except ValueError as error:
            return [FieldError(field, value, str(error))], None
    try:
        return [], check_epoch_ms(value, name=field)
    except (TypeError, ValueError) as error:
        return [FieldError(field, value, str(error))], None


def text_length_errors(field: str, value: str | None, maximum: int) -> list[FieldError]:
    if value is None:
        return []
    if len(value) > maximum:
        return [
            FieldError(field, f"{value[:20]}…", f"has {len(value)} characters; at most {maximum}")
        ]
    return []


def people_errors(field: str, values: Sequence[str], maximum: int) -> list[FieldError]:
    errors = []
    if len(values) > maximum:
        errors.append(
            FieldError(field, f"{len(values)} ids", f"at most {maximum} per call; split the list")
        )
    for index, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            errors.append(FieldError(f"{field}[{index}]", value, "must be a non-empty unionId"))
    return errors


def url_errors(field: str, value: str) -> list[FieldError]:
    size = len(value.encode("utf-8"))
    if not value:
        return [FieldError(field, value, "must be a non-empty URL")]
    if size > MAX_URL_BYTES:
        return [FieldError(field, f"{value[:40]}…", f"is {size} bytes; at most {MAX_URL_BYTES}")]
    return []
