"""Work notifications: endpoint declarations, limits, message shapes and results (no I/O)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError

__all__ = [
    "FORBIDDEN_DAILY_CAP",
    "FORBIDDEN_DUPLICATE",
    "FORBIDDEN_PER_MINUTE",
    "MAX_MSG_BYTES",
    "MAX_RECIPIENTS_PER_CALL",
    "MAX_RESULT_RECIPIENTS",
    "NOTICE_GET_PROGRESS",
    "NOTICE_GET_RESULT",
    "NOTICE_RECALL",
    "NOTICE_SEND",
    "NOTICE_UPDATE_STATUS_BAR",
    "PER_MINUTE_RECIPIENTS",
    "RESULT_WINDOW_SECONDS",
    "ActionCardButton",
    "ActionCardMessage",
    "FileMessage",
    "ForbiddenEntry",
    "ImageMessage",
    "LinkMessage",
    "MarkdownMessage",
    "Message",
    "OAMessage",
    "SendProgress",
    "SendResult",
    "TextMessage",
    "VoiceMessage",
    "message_errors",
    "msg_size",
]

_PREFIX = "/topapi/message/corpconversation"
NOTICE_SEND = Endpoint.legacy("POST", f"{_PREFIX}/asyncsend_v2", idempotent=False)
NOTICE_GET_PROGRESS = Endpoint.legacy("POST", f"{_PREFIX}/getsendprogress", idempotent=True)
NOTICE_GET_RESULT = Endpoint.legacy("POST", f"{_PREFIX}/getsendresult", idempotent=True)
NOTICE_RECALL = Endpoint.legacy("POST", f"{_PREFIX}/recall", idempotent=True)
NOTICE_UPDATE_STATUS_BAR = Endpoint.legacy("POST", f"{_PREFIX}/status_bar/update", idempotent=True)

#: ``msg`` may take at most 2048 bytes, counted in UTF-8 as sent (a Chinese character is 3).
MAX_MSG_BYTES = 2048
#: The documented ``userid_list`` limit per call: the doc page sets 100, the Java SDK allows 5000.
MAX_RECIPIENTS_PER_CALL = 100
#: ``getsendresult`` does not support tasks with more than 100 recipients.
MAX_RESULT_RECIPIENTS = 100
#: Results and recalls are available for 24 hours after sending.
RESULT_WINDOW_SECONDS = 24 * 3600
#: At most 5000 recipients a minute receive an app's messages; the rest are filtered.
PER_MINUTE_RECIPIENTS = 5000

#: ``forbidden_list`` codes: app per-minute recipients exceeded, daily per-user cap, duplicate.
FORBIDDEN_PER_MINUTE = "143103"
FORBIDDEN_DAILY_CAP = "143105"
FORBIDDEN_DUPLICATE = "143106"


@attrs.frozen
class TextMessage:
    content: str

    def to_msg(self) -> dict[str, Any]:
        return {"msgtype": "text", "text": {"content": self.content}}


@attrs.frozen
class MarkdownMessage:
    title: str
    text: str

    def to_msg(self) -> dict[str, Any]:
        return {"msgtype": "markdown", "markdown": {"title": self.title, "text": self.text}}


@attrs.frozen
class LinkMessage:
    title: str
    text: str
    message_url: str
    pic_url: str

    def to_msg(self) -> dict[str, Any]:
        # The link object is the one camelCase shape among the snake_case work notifications.
        return {
            "msgtype": "link",
            "link": {
                "title": self.title,
                "text": self.text,
                "messageUrl": self.message_url,
                "picUrl": self.pic_url,
            },
        }


@attrs.frozen
class ActionCardButton:
    title: str
    action_url: str


@attrs.frozen
class ActionCardMessage:
    """A card with one "read more" link (``single_title``/``single_url``) or several buttons."""

    title: str
    markdown: str
    single_title: str | None = None
    single_url: str | None = None
    buttons: tuple[ActionCardButton, ...] = ()
    #: ``"0"`` stacks buttons vertically, ``"1"`` lays them out horizontally.
    button_orientation: str = "0"

    def to_msg(self) -> dict[str, Any]:
        card: dict[str, Any] = {"title": self.title, "markdown": self.markdown}
        if self.single_title and self.single_url:
            card["single_title"] = self.single_title
            card["single_url"] = self.single_url
        else:
            card["btn_orientation"] = self.button_orientation
            card["btn_json_list"] = [
                {"title": button.title, "action_url": button.action_url} for button in self.buttons
            ]
        return {"msgtype": "action_card", "action_card": card}


@attrs.frozen
class OAMessage:
    """An OA message: coloured head, titled body with form rows, optional status bar."""

    message_url: str
    head_text: str
    title: str
    #: ARGB colour as 8 hex digits without ``0x``.
    head_color: str = "FFBBBBBB"
    content: str | None = None
    form: tuple[tuple[str, str], ...] = ()
    author: str | None = None
    pc_message_url: str | None = None
    status_value: str | None = None
    status_bg: str | None = None

    def to_msg(self) -> dict[str, Any]:
        body: dict[str, Any] = {"title": self.title}
        if self.form:
            body["form"] = [{"key": key, "value": value} for key, value in self.form]
        if self.content:
            body["content"] = self.content
        if self.author:
            body["author"] = self.author
        oa: dict[str, Any] = {
            "message_url": self.message_url,
            "head": {"bgcolor": self.head_color, "text": self.head_text},
            "body": body,
        }
        if self.pc_message_url:
            oa["pc_message_url"] = self.pc_message_url
        if self.status_value:
            oa["status_bar"] = {"status_value": self.status_value}
            if self.status_bg:
                oa["status_bar"]["status_bg"] = self.status_bg
        return {"msgtype": "oa", "oa": oa}


@attrs.frozen
class ImageMessage:
    media_id: str

    def to_msg(self) -> dict[str, Any]:
        return {"msgtype": "image", "image": {"media_id": self.media_id}}


@attrs.frozen
class VoiceMessage:
    media_id: str
    #: Whole seconds, below 60.
    duration: int

    def to_msg(self) -> dict[str, Any]:
        return {
            "msgtype": "voice",
            "voice": {"media_id": self.media_id, "duration": str(self.duration)},
        }


@attrs.frozen
class FileMessage:
    media_id: str

    def to_msg(self) -> dict[str, Any]:
        return {"msgtype": "file", "file": {"media_id": self.media_id}}


Message = (
    TextMessage
    | MarkdownMessage
    | LinkMessage
    | ActionCardMessage
    | OAMessage
    | ImageMessage
    | VoiceMessage
    | FileMessage
)


def msg_size(msg: dict[str, Any]) -> int:
    """Bytes ``msg`` takes on the wire (compact JSON in UTF-8), the unit of the 2048 limit."""
    return len(json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def message_errors(message: Message, field: str = "message") -> list[FieldError]:
    """Every reason DingTalk would reject ``message``, each naming the field and the fix."""
    errors: list[FieldError] = []
    msg = message.to_msg()
    body = msg[msg["msgtype"]]
    for key, value in body.items():
        if isinstance(value, str) and not value.strip() and key != "btn_orientation":
            errors.append(FieldError(f"{field}.{key}", value, "must not be empty"))
    if isinstance(message, ActionCardMessage):
        if not (message.single_title and message.single_url) and not message.buttons:
            errors.append(
                FieldError(
                    f"{field}.buttons",
                    message.buttons,
                    "give single_title and single_url, or at least one button",
                )
            )
        if message.button_orientation not in {"0", "1"}:
            errors.append(
                FieldError(
                    f"{field}.button_orientation", message.button_orientation, "use '0' or '1'"
                )
            )
    if isinstance(message, VoiceMessage) and not 0 < message.duration < 60:
        errors.append(FieldError(f"{field}.duration", message.duration, "must be 1-59 seconds"))
    size = msg_size(msg)
    if size > MAX_MSG_BYTES:
        errors.append(
            FieldError(
                field,
                f"{size} bytes",
                f"a work notification takes at most {MAX_MSG_BYTES} bytes in UTF-8 "
                "(a Chinese character is 3 bytes); shorten the text or link to a document",
            )
        )
    return errors


@attrs.frozen
class SendProgress:
    percent: int
    #: 0 not started, 1 processing, 2 done.
    status: int


@attrs.frozen
class ForbiddenEntry:
    """A recipient filtered by flow control: the DingTalk code and its count."""

    userid: str
    code: str
    count: int = 0


@attrs.frozen
class SendResult:
    """Per-recipient outcome of one work-notification task."""

    read: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    forbidden: tuple[ForbiddenEntry, ...] = ()
    failed: tuple[str, ...] = ()
    invalid_users: tuple[str, ...] = ()
    invalid_depts: tuple[int, ...] = ()

    @classmethod
    def from_wire(cls, result: dict[str, Any]) -> SendResult:
        forbidden = tuple(
            ForbiddenEntry(
                str(item.get("userid")), str(item.get("code")), int(item.get("count") or 0)
            )
            for item in result.get("forbidden_list") or []
        )
        listed = {entry.userid for entry in forbidden}
        # Older replies carry only forbidden_user_id_list, without the reason.
        extra = tuple(
            ForbiddenEntry(str(userid), "")
            for userid in result.get("forbidden_user_id_list") or []
            if str(userid) not in listed
        )
        return cls(
            read=_strings(result.get("read_user_id_list")),
            unread=_strings(result.get("unread_user_id_list")),
            forbidden=forbidden + extra,
            failed=_strings(result.get("failed_user_id_list")),
            invalid_users=_strings(result.get("invalid_user_id_list")),
            invalid_depts=tuple(int(item) for item in result.get("invalid_dept_id_list") or []),
        )


def _strings(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(value) for value in values or [])
