# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Typed calls for DingTalk to-dos (待办): create, read, update, per-executor status, list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from censusdt._sync.pagination import Paginator
from censusdt._concurrency import sync_map
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api.todo import (
    CREATE_TASK,
    DELETE_TASK,
    GET_TASK,
    GET_TASK_BY_SOURCE,
    MAX_DESCRIPTION_LENGTH,
    MAX_EXECUTORS_PER_CREATE,
    MAX_EXECUTORS_PER_UPDATE,
    MAX_SUBJECT_LENGTH,
    QUERY_ORG_TASKS,
    UPDATE_EXECUTOR_STATUS,
    UPDATE_TASK,
    DetailUrl,
    TodoCard,
    TodoTask,
    epoch_ms_errors,
    people_errors,
    text_length_errors,
    url_errors,
)

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["Todo", "sync_union_ids"]

#: How many userid→unionId look-ups run at once when a cache is cold.
LOOKUP_CONCURRENCY = 10


def sync_union_ids(client: DingTalk, userids: Iterable[str]) -> dict[str, str]:
    """Map userids to unionIds through the client's contacts cache, in the given order."""
    unique = list(dict.fromkeys(userids))
    found = sync_map(client.contacts.union_id, unique, concurrency=LOOKUP_CONCURRENCY)
    return dict(zip(unique, found, strict=True))


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


class Todo:
    """To-dos of the app's corp (``client.todo``).

    Every person is a unionId, as DingTalk's to-do API expects; ``union_ids`` converts userids
    with the client's cache. ``owner`` is the path unionId: the creator when creating, the
    operator when changing a to-do. Times are aware datetimes or epoch milliseconds.
    """

    def __init__(self, client: DingTalk) -> None:
        self._client = client

    def union_ids(self, userids: Iterable[str]) -> dict[str, str]:
        """Map userids to unionIds (cached per client)."""
        return sync_union_ids(self._client, userids)

    def create(
        self,
        owner: str,
        subject: str,
        *,
        executor_ids: Sequence[str] = (),
        participant_ids: Sequence[str] = (),
        due: dt.datetime | int | None = None,
        description: str | None = None,
        detail_url: DetailUrl | None = None,
        source_id: str | None = None,
        priority: int | None = None,
        is_only_show_executor: bool | None = None,
        ding_notify: bool | None = None,
        content_fields: Mapping[str, str] | None = None,
    ) -> TodoTask:
        """Create a work to-do owned by ``owner`` and return it.

        ``detail_url`` makes it an org to-do that appears in executors' org lists; DingTalk
        creates only work to-dos through this API since 2024, so pass one. ``source_id``
        (your business id) is unique per app: a second create with it fails with ``task exist``.
        """
        errors = (
            people_errors("owner", [owner], 1)
            + text_length_errors("subject", subject, MAX_SUBJECT_LENGTH)
            + text_length_errors("description", description, MAX_DESCRIPTION_LENGTH)
            + people_errors("executor_ids", list(executor_ids), MAX_EXECUTORS_PER_CREATE)
            + people_errors("participant_ids", list(participant_ids), MAX_EXECUTORS_PER_CREATE)
        )
        if not subject or not subject.strip():
            errors.append(FieldError("subject", subject, "must not be empty"))
        due_errors, due_ms = epoch_ms_errors("due", due)
        errors += due_errors
        if detail_url is not None:
            errors += url_errors("detail_url.app_url", detail_url.app_url)
            errors += url_errors("detail_url.pc_url", detail_url.pc_url)
        _raise_if(errors)

        body: dict[str, Any] = {"subject": subject, "creatorId": owner}
        optional: dict[str, Any] = {
            "description": description,
            "dueTime": due_ms,
            "sourceId": source_id,
            "priority": priority,
            "isOnlyShowExecutor": is_only_show_executor,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        if executor_ids:
            body["executorIds"] = list(executor_ids)
        if participant_ids:
            body["participantIds"] = list(participant_ids)
        if detail_url is not None:
            body["detailUrl"] = {"appUrl": detail_url.app_url, "pcUrl": detail_url.pc_url}
        if ding_notify is not None:
            # notifyConfigs values are strings on the wire.
            body["notifyConfigs"] = {"dingNotify": "1" if ding_notify else "0"}
        if content_fields:
            body["contentFieldList"] = [
                {"fieldKey": key, "fieldValue": value} for key, value in content_fields.items()
            ]

        reply = self._client.request(
            CREATE_TASK, json=body, params={"operatorId": owner}, path_params={"unionId": owner}
        )
        return TodoTask.from_wire(reply)

    def get(self, owner: str, task_id: str) -> TodoTask:
        """Return one to-do (without per-executor status, which DingTalk does not return)."""
        reply = self._client.request(
            GET_TASK, path_params={"unionId": owner, "taskId": task_id}
        )
        return TodoTask.from_wire(reply)

    def get_by_source(self, owner: str, source_id: str) -> TodoTask:
        """Return the to-do this app created with ``source_id``."""
        reply = self._client.request(
            GET_TASK_BY_SOURCE, path_params={"unionId": owner, "sourceId": source_id}
        )
        return TodoTask.from_wire(reply)

    def update(
        self,
        owner: str,
        task_id: str,
        *,
        subject: str | None = None,
        description: str | None = None,
        due: dt.datetime | int | None = None,
        done: bool | None = None,
        executor_ids: Sequence[str] | None = None,
        participant_ids: Sequence[str] | None = None,
    ) -> bool:
        """Change the fields given; the others stay as they are. Return DingTalk's ``result``."""
        errors = text_length_errors("subject", subject, MAX_SUBJECT_LENGTH) + text_length_errors(
            "description", description, MAX_DESCRIPTION_LENGTH
        )
        if executor_ids is not None:
            errors += people_errors("executor_ids", list(executor_ids), MAX_EXECUTORS_PER_UPDATE)
        if participant_ids is not None:
            errors += people_errors(
                "participant_ids", list(participant_ids), MAX_EXECUTORS_PER_UPDATE
            )
        due_errors, due_ms = epoch_ms_errors("due", due)
        _raise_if(errors + due_errors)

        fields: dict[str, Any] = {
            "subject": subject,
            "description": description,
            "dueTime": due_ms,
            "done": done,
            "executorIds": list(executor_ids) if executor_ids is not None else None,
            "participantIds": list(participant_ids) if participant_ids is not None else None,
        }
        body = {key: value for key, value in fields.items() if value is not None}
        if not body:
            raise ValidationError([FieldError("fields", None, "give at least one field to change")])

        reply = self._client.request(
            UPDATE_TASK,
            json=body,
            params={"operatorId": owner},
            path_params={"unionId": owner, "taskId": task_id},
        )
        return bool(reply.get("result", False))

    def set_executor_status(
        self, owner: str, task_id: str, statuses: Mapping[str, bool]
    ) -> bool:
        """Mark executors (unionId → done) done or not done, all in one call of up to 1000."""
        errors = people_errors("statuses", list(statuses), MAX_EXECUTORS_PER_UPDATE)
        if not statuses:
            errors.append(FieldError("statuses", {}, "give at least one executor"))
        _raise_if(errors)

        body = {
            "executorStatusList": [
                {"id": union_id, "isDone": bool(done)} for union_id, done in statuses.items()
            ]
        }
        reply = self._client.request(
            UPDATE_EXECUTOR_STATUS,
            json=body,
            params={"operatorId": owner},
            path_params={"unionId": owner, "taskId": task_id},
        )
        return bool(reply.get("result", False))

    def delete(self, owner: str, task_id: str) -> bool:
        """Delete a to-do this app created."""
        reply = self._client.request(
            DELETE_TASK,
            params={"operatorId": owner},
            path_params={"unionId": owner, "taskId": task_id},
        )
        return bool(reply.get("result", False))

    def org_tasks(
        self,
        union_id: str,
        *,
        is_done: bool | None = None,
        role_types: Sequence[Sequence[str]] | None = None,
        todo_type: str | None = None,
    ) -> Paginator[TodoCard]:
        """Iterate ``union_id``'s org to-dos, page by page.

        ``role_types`` is a list of role sets (``executor``, ``creator``, ``participant``):
        a to-do matches when the person has every role of at least one set.
        """
        allowed = {"executor", "creator", "participant"}
        errors = [
            FieldError(f"role_types[{outer}][{inner}]", role, f"must be one of {sorted(allowed)}")
            for outer, group in enumerate(role_types or [])
            for inner, role in enumerate(group)
            if role not in allowed
        ]
        _raise_if(errors)

        def fetch_page(cursor: Any) -> Page[TodoCard]:
            body: dict[str, Any] = {}
            if cursor is not None:
                body["nextToken"] = cursor
            if is_done is not None:
                body["isDone"] = is_done
            if role_types is not None:
                body["roleTypes"] = [list(group) for group in role_types]
            if todo_type is not None:
                body["todoType"] = todo_type
            reply = self._client.request(
                QUERY_ORG_TASKS, json=body, path_params={"unionId": union_id}
            )
            cards = [TodoCard.from_wire(item) for item in reply.get("todoCards") or []]
            return Page(cards, reply.get("nextToken") or None)

        return Paginator(fetch_page)
