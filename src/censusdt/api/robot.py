"""App-robot messages and DING: endpoint declarations, limits, message templates, results (no I/O)."""

from __future__ import annotations

import enum
import json
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError
from censusdt.api.messaging import (
    ActionCardMessage,
    LinkMessage,
    MarkdownMessage,
    Message,
    TextMessage,
)

__all__ = [
    "DING_READ_STATUS",
    "DING_RECALL",
    "DING_SEND",
    "GROUP_QUERY",
    "GROUP_RECALL",
    "GROUP_SEND",
    "MAX_DING_RECEIVERS",
    "MAX_GROUP_MSG_PARAM_BYTES",
    "MAX_GROUP_QUERY_RESULTS",
    "MAX_OTO_USERS",
    "MAX_RECALL_KEYS",
    "OTO_READ_STATUS",
    "OTO_RECALL",
    "OTO_SEND",
    "DingResult",
    "GroupReadPage",
    "OtoSendResult",
    "ReadStatus",
    "RecallResult",
    "RemindType",
    "msg_param_errors",
    "robot_template",
]

# Path case is DingTalk's own: oToMessages for send and read status, otoMessages for recall.
OTO_SEND = Endpoint.new("POST", "/v1.0/robot/oToMessages/batchSend", idempotent=False)
OTO_READ_STATUS = Endpoint.new("GET", "/v1.0/robot/oToMessages/readStatus", idempotent=True)
OTO_RECALL = Endpoint.new("POST", "/v1.0/robot/otoMessages/batchRecall", idempotent=True)
GROUP_SEND = Endpoint.new("POST", "/v1.0/robot/groupMessages/send", idempotent=False)
GROUP_QUERY = Endpoint.new("POST", "/v1.0/robot/groupMessages/query", idempotent=True)
GROUP_RECALL = Endpoint.new("POST", "/v1.0/robot/groupMessages/recall", idempotent=True)
DING_SEND = Endpoint.new("POST", "/v1.0/robot/ding/send", idempotent=False)
DING_RECALL = Endpoint.new("POST", "/v1.0/robot/ding/recall", idempotent=True)
DING_READ_STATUS = Endpoint.new("POST", "/v1.0/robot/ding/readStatuses/query", idempotent=True)

#: ``userIds`` per one-to-one send. The doc page states 20 and its error table implies 100.
MAX_OTO_USERS = 20
#: ``processQueryKeys`` per recall.
MAX_RECALL_KEYS = 20
#: ``msgParam`` of a group message takes at most 15000 bytes.
MAX_GROUP_MSG_PARAM_BYTES = 15000
#: ``maxResults`` of a group read-status page.
MAX_GROUP_QUERY_RESULTS = 200


class RemindType(enum.IntEnum):
    """Delivery channel of a DING; SMS and phone calls need purchased quota."""

    IN_APP = 1
    SMS = 2
    CALL = 3


#: Receivers per DING: 200 in-app, 20 by SMS or phone call.
MAX_DING_RECEIVERS = {RemindType.IN_APP: 200, RemindType.SMS: 20, RemindType.CALL: 20}


def robot_template(message: Message) -> tuple[str, str]:
    """The ``msgKey`` and JSON-encoded ``msgParam`` of a robot message with ``message``'s content.

    Raises ``ValueError`` for message kinds robots cannot send as a template (OA, media ids).
    """
    params: dict[str, Any]
    if isinstance(message, TextMessage):
        key, params = "sampleText", {"content": message.content}
    elif isinstance(message, MarkdownMessage):
        key, params = "sampleMarkdown", {"title": message.title, "text": message.text}
    elif isinstance(message, LinkMessage):
        key = "sampleLink"
        params = {
            "title": message.title,
            "text": message.text,
            "messageUrl": message.message_url,
            "picUrl": message.pic_url,
        }
    elif isinstance(message, ActionCardMessage) and message.single_title and message.single_url:
        key = "sampleActionCard"
        params = {
            "title": message.title,
            "text": message.markdown,
            "singleTitle": message.single_title,
            "singleURL": message.single_url,
        }
    elif isinstance(message, ActionCardMessage) and 2 <= len(message.buttons) <= 5:
        # sampleActionCard2..5 carry 2..5 vertical buttons.
        key = f"sampleActionCard{len(message.buttons)}"
        params = {"title": message.title, "text": message.markdown}
        for index, button in enumerate(message.buttons, start=1):
            params[f"actionTitle{index}"] = button.title
            params[f"actionURL{index}"] = button.action_url
    else:
        raise ValueError(
            f"robots cannot send {type(message).__name__} as a template; use text, markdown, "
            "link or an action card with one link or 2-5 buttons"
        )
    return key, json.dumps(params, ensure_ascii=False)


def msg_param_errors(msg_param: str, limit: int) -> list[FieldError]:
    size = len(msg_param.encode("utf-8"))
    if size > limit:
        return [FieldError("message", f"{size} bytes", f"msgParam takes at most {limit} bytes")]
    return []


@attrs.frozen
class OtoSendResult:
    process_query_key: str
    invalid_userids: tuple[str, ...] = ()
    flow_controlled_userids: tuple[str, ...] = ()


@attrs.frozen
class ReadStatus:
    """Read state of a robot message per recipient; ``send_status`` is SUCCESS, RECALLED or PROCESSING."""

    send_status: str
    read: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()


@attrs.frozen
class GroupReadPage:
    send_status: str
    read: tuple[str, ...]
    next_token: str | None


@attrs.frozen
class RecallResult:
    succeeded: tuple[str, ...]
    #: processQueryKey -> DingTalk's reason.
    failed: dict[str, str]


@attrs.frozen
class DingResult:
    open_ding_id: str
    #: DingTalk's reason -> userids it could not reach.
    failed: dict[str, tuple[str, ...]]
