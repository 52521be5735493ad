# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Typed calls for app-robot messages: one-to-one, group, and DING reminders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._sync.pagination import Paginator
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api.messaging import Message
from censusdt.api.robot import (
    DING_READ_STATUS,
    DING_RECALL,
    DING_SEND,
    GROUP_QUERY,
    GROUP_RECALL,
    GROUP_SEND,
    MAX_DING_RECEIVERS,
    MAX_GROUP_MSG_PARAM_BYTES,
    MAX_GROUP_QUERY_RESULTS,
    MAX_OTO_USERS,
    MAX_RECALL_KEYS,
    OTO_READ_STATUS,
    OTO_RECALL,
    OTO_SEND,
    DingResult,
    OtoSendResult,
    ReadStatus,
    RecallResult,
    RemindType,
    msg_param_errors,
    robot_template,
)

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["Robot"]


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


def _count_errors(field: str, values: Sequence[Any], limit: int) -> list[FieldError]:
    if not values:
        return [FieldError(field, list(values), "must not be empty")]
    if len(values) > limit:
        return [FieldError(field, f"{len(values)} items", f"at most {limit} per call; split it")]
    return []


def _template(message: Message) -> tuple[str, str]:
    try:
        return robot_template(message)
    except ValueError as error:
        raise ValidationError([FieldError("message", type(message).__name__, str(error))]) from None


def _recall_result(reply: dict[str, Any]) -> RecallResult:
    failed = reply.get("failedResult") or {}
    return RecallResult(
        tuple(str(key) for key in reply.get("successResult") or []),
        {str(key): str(value) for key, value in failed.items()},
    )


class Robot:
    """Messages from the app's robot (``client.robot``); ``robot_code`` defaults to the app key."""

    def __init__(self, client: DingTalk) -> None:
        self._client = client

    def _code(self, robot_code: str | None) -> str:
        # An internal app's robot code equals its app key unless the console shows another.
        return robot_code or self._client.app_key

    # One-to-one.

    def send_to_users(
        self, userids: Sequence[str], message: Message, *, robot_code: str | None = None
    ) -> OtoSendResult:
        """Send ``message`` to each user's chat with the robot (at most 20 users per call)."""
        key, param = _template(message)
        _raise_if(_count_errors("userids", userids, MAX_OTO_USERS))
        reply = self._client.request(
            OTO_SEND,
            json={
                "robotCode": self._code(robot_code),
                "userIds": list(userids),
                "msgKey": key,
                "msgParam": param,
            },
        )
        return OtoSendResult(
            str(reply["processQueryKey"]),
            tuple(str(item) for item in reply.get("invalidStaffIdList") or []),
            tuple(str(item) for item in reply.get("flowControlledStaffIdList") or []),
        )

    def read_status(
        self, process_query_key: str, *, robot_code: str | None = None
    ) -> ReadStatus:
        """Who read a one-to-one message; queryable for 24 hours after sending."""
        reply = self._client.request(
            OTO_READ_STATUS,
            params={"robotCode": self._code(robot_code), "processQueryKey": process_query_key},
        )
        read: list[str] = []
        unread: list[str] = []
        for item in reply.get("messageReadInfoList") or []:
            (read if item.get("readStatus") == "READ" else unread).append(str(item.get("userId")))
        return ReadStatus(str(reply.get("sendStatus")), tuple(read), tuple(unread))

    def recall_from_users(
        self, process_query_keys: Sequence[str], *, robot_code: str | None = None
    ) -> RecallResult:
        _raise_if(_count_errors("process_query_keys", process_query_keys, MAX_RECALL_KEYS))
        reply = self._client.request(
            OTO_RECALL,
            json={
                "robotCode": self._code(robot_code),
                "processQueryKeys": list(process_query_keys),
            },
        )
        return _recall_result(reply)

    # Groups.

    def send_to_group(
        self, open_conversation_id: str, message: Message, *, robot_code: str | None = None
    ) -> str:
        """Send ``message`` to a group the robot is in; return the ``processQueryKey``."""
        key, param = _template(message)
        _raise_if(msg_param_errors(param, MAX_GROUP_MSG_PARAM_BYTES))
        reply = self._client.request(
            GROUP_SEND,
            json={
                "openConversationId": open_conversation_id,
                "robotCode": self._code(robot_code),
                "msgKey": key,
                "msgParam": param,
            },
        )
        return str(reply["processQueryKey"])

    def group_readers(
        self,
        open_conversation_id: str,
        process_query_key: str,
        *,
        robot_code: str | None = None,
        page_size: int = MAX_GROUP_QUERY_RESULTS,
    ) -> Paginator[str]:
        """Userids who read a group message (DingTalk has no unread list: members minus these)."""
        _raise_if(
            []
            if 1 <= page_size <= MAX_GROUP_QUERY_RESULTS
            else [FieldError("page_size", page_size, f"use 1-{MAX_GROUP_QUERY_RESULTS}")]
        )

        def fetch(cursor: Any) -> Page[str]:
            body: dict[str, Any] = {
                "processQueryKey": process_query_key,
                "openConversationId": open_conversation_id,
                "robotCode": self._code(robot_code),
                "maxResults": page_size,
            }
            if cursor:
                body["nextToken"] = cursor
            reply = self._client.request(GROUP_QUERY, json=body)
            items = [str(item) for item in reply.get("readUserIds") or []]
            token = reply.get("nextToken")
            more = reply.get("hasMore") is not False and bool(token)
            return Page(items, token if more else None)

        return Paginator(fetch)

    def group_send_status(
        self, open_conversation_id: str, process_query_key: str, *, robot_code: str | None = None
    ) -> str:
        """SUCCESS, RECALLED or PROCESSING."""
        reply = self._client.request(
            GROUP_QUERY,
            json={
                "processQueryKey": process_query_key,
                "openConversationId": open_conversation_id,
                "robotCode": self._code(robot_code),
                "maxResults": 1,
            },
        )
        return str(reply.get("sendStatus"))

    def recall_from_group(
        self,
        open_conversation_id: str,
        process_query_keys: Sequence[str],
        *,
        robot_code: str | None = None,
    ) -> RecallResult:
        _raise_if(_count_errors("process_query_keys", process_query_keys, MAX_RECALL_KEYS))
        reply = self._client.request(
            GROUP_RECALL,
            json={
                "openConversationId": open_conversation_id,
                "robotCode": self._code(robot_code),
                "processQueryKeys": list(process_query_keys),
            },
        )
        return _recall_result(reply)

    # DING.

    def send_ding(
        self,
        userids: Sequence[str],
        content: str,
        *,
        remind_type: RemindType = RemindType.IN_APP,
        call_voice: str | None = None,
        robot_code: str | None = None,
    ) -> DingResult:
        """DING ``userids``: at most 200 in-app, 20 by SMS or phone call per call."""
        errors = _count_errors("userids", userids, MAX_DING_RECEIVERS[remind_type])
        if not content.strip():
            errors.append(FieldError("content", content, "must not be empty"))
        _raise_if(errors)
        body: dict[str, Any] = {
            "robotCode": self._code(robot_code),
            "remindType": int(remind_type),
            "receiverUserIdList": list(userids),
            "content": content,
        }
        if call_voice and remind_type is RemindType.CALL:
            body["callVoice"] = call_voice
        reply = self._client.request(DING_SEND, json=body)
        failed = reply.get("failedList") or {}
        return DingResult(
            str(reply["openDingId"]),
            {str(reason): tuple(str(user) for user in users) for reason, users in failed.items()},
        )

    def recall_ding(self, open_ding_id: str, *, robot_code: str | None = None) -> None:
        self._client.request(
            DING_RECALL, json={"robotCode": self._code(robot_code), "openDingId": open_ding_id}
        )

    def ding_read_status(
        self, open_ding_id: str, *, robot_code: str | None = None
    ) -> ReadStatus:
        reply = self._client.request(
            DING_READ_STATUS,
            json={"robotCode": self._code(robot_code), "openDingId": open_ding_id},
        )
        read: list[str] = []
        unread: list[str] = []
        result = reply.get("result") or {}
        for item in result.get("robotDingReadInfoList") or []:
            (read if item.get("readStatus") == "READ" else unread).append(str(item.get("userId")))
        return ReadStatus("SUCCESS", tuple(read), tuple(unread))
