"""Typed calls for work notifications (工作通知): send, progress, result, recall, status bar."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from censusdt._errors import FieldError, ValidationError
from censusdt.api.messaging import (
    MAX_RECIPIENTS_PER_CALL,
    NOTICE_GET_PROGRESS,
    NOTICE_GET_RESULT,
    NOTICE_RECALL,
    NOTICE_SEND,
    NOTICE_UPDATE_STATUS_BAR,
    Message,
    SendProgress,
    SendResult,
    message_errors,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncMessaging"]

#: ``dept_id_list`` takes at most 20 departments per call (the doc's limit).
MAX_DEPTS_PER_CALL = 20


class AsyncMessaging:
    """Work notifications sent under the app's name (``client.messaging``).

    ``agent_id`` is the app's AgentId, shown on the app's page in the developer console.
    """

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client

    async def send(
        self,
        agent_id: int,
        message: Message,
        *,
        userids: Sequence[str] = (),
        dept_ids: Sequence[int] = (),
        to_all: bool = False,
    ) -> int:
        """Send ``message`` and return the ``task_id``.

        DingTalk returns success even when it filters recipients (the same content twice in a
        day, the daily cap); only :meth:`get_result` shows who was filtered and why.
        """
        errors = message_errors(message)
        if not to_all and not userids and not dept_ids:
            errors.append(FieldError("userids", list(userids), "give userids, dept_ids or to_all"))
        if len(userids) > MAX_RECIPIENTS_PER_CALL:
            errors.append(
                FieldError(
                    "userids",
                    f"{len(userids)} userids",
                    f"at most {MAX_RECIPIENTS_PER_CALL} per call; split the list",
                )
            )
        if len(dept_ids) > MAX_DEPTS_PER_CALL:
            errors.append(
                FieldError(
                    "dept_ids",
                    f"{len(dept_ids)} departments",
                    f"at most {MAX_DEPTS_PER_CALL} per call; split the list",
                )
            )
        if errors:
            raise ValidationError(errors)

        body: dict[str, object] = {"agent_id": agent_id, "msg": message.to_msg()}
        if userids:
            body["userid_list"] = ",".join(userids)
        if dept_ids:
            body["dept_id_list"] = ",".join(str(dept_id) for dept_id in dept_ids)
        if to_all:
            body["to_all_user"] = True
        reply = await self._client.request(NOTICE_SEND, json=body)
        return int(reply["task_id"])

    async def get_progress(self, agent_id: int, task_id: int) -> SendProgress:
        reply = await self._client.request(
            NOTICE_GET_PROGRESS, json={"agent_id": agent_id, "task_id": task_id}
        )
        progress = reply.get("progress") or {}
        return SendProgress(
            int(progress.get("progress_in_percent", 0)), int(progress.get("status", 0))
        )

    async def get_result(self, agent_id: int, task_id: int) -> SendResult:
        """Per-recipient outcome; available for 24 hours, for tasks of at most 100 recipients."""
        reply = await self._client.request(
            NOTICE_GET_RESULT, json={"agent_id": agent_id, "task_id": task_id}
        )
        return SendResult.from_wire(reply.get("send_result") or {})

    async def recall(self, agent_id: int, task_id: int) -> None:
        """Withdraw a notice sent within the last 24 hours."""
        # The recall API names the task ``msg_task_id``, unlike the other calls.
        await self._client.request(
            NOTICE_RECALL, json={"agent_id": agent_id, "msg_task_id": task_id}
        )

    async def update_status_bar(
        self, agent_id: int, task_id: int, value: str, *, background: str | None = None
    ) -> None:
        """Change the status bar of an OA notice sent to at most 5 users within 7 days."""
        body: dict[str, object] = {"agent_id": agent_id, "task_id": task_id, "status_value": value}
        if background:
            body["status_bg"] = background
        await self._client.request(NOTICE_UPDATE_STATUS_BAR, json=body)
