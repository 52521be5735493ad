"""Robot HTTP-mode callbacks: signature check, timestamp window, and the parsed message.

When a person @-mentions the robot in a group or chats with it one to one, DingTalk POSTs the
message as JSON to the robot's message URL with two headers: ``timestamp`` (epoch milliseconds,
as text) and ``sign``, the base64 HMAC-SHA256 of ``timestamp + "\\n" + appSecret`` keyed with the
app secret. A callback is genuine only when the signature matches and the timestamp is within one
hour of now, either way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import attrs

from censusdt._clock import Clock, SystemClock
from censusdt._errors import DingTalkError

__all__ = [
    "SIGNATURE_WINDOW_MS",
    "CallbackRejected",
    "CallbackVerifier",
    "RobotCallback",
    "sign_callback",
]

#: DingTalk rejects, and so do we, callbacks whose timestamp is more than an hour off.
SIGNATURE_WINDOW_MS = 3_600_000


class CallbackRejected(DingTalkError):
    """A callback failed verification; ``reason`` is a short machine-readable word."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"robot callback rejected ({reason}): {detail}")
        self.reason = reason
        self.detail = detail


def sign_callback(timestamp_ms: int | str, app_secret: str) -> str:
    """Return the ``sign`` header DingTalk sends with a callback made at ``timestamp_ms``."""
    message = f"{timestamp_ms}\n{app_secret}".encode()
    digest = hmac.new(app_secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class CallbackVerifier:
    """Check the ``timestamp`` and ``sign`` headers of callbacks for one robot app.

    ``clock`` defaults to the system clock; pass the fake's virtual clock in tests.
    """

    def __init__(
        self,
        app_secret: str,
        *,
        clock: Clock | None = None,
        window_ms: int = SIGNATURE_WINDOW_MS,
    ) -> None:
        if not app_secret:
            raise ValueError("app_secret is empty; give the robot app's AppSecret")
        self._app_secret = app_secret
        self._clock: Clock = clock or SystemClock()
        self.window_ms = window_ms

    def verify(self, headers: Mapping[str, str]) -> int:
        """Return the callback's timestamp, or raise :class:`CallbackRejected`.

        Header names are matched without regard to case, as HTTP requires.
        """
        lowered = {key.lower(): value for key, value in headers.items()}
        timestamp_text = lowered.get("timestamp", "").strip()
        signature = lowered.get("sign", "").strip()
        if not timestamp_text or not signature:
            raise CallbackRejected("missing", "the timestamp or sign header is missing")
        if not timestamp_text.isdigit():
            raise CallbackRejected("timestamp", f"timestamp {timestamp_text!r} is not an integer")
        timestamp = int(timestamp_text)
        now_ms = int(self._clock.time() * 1000)
        if abs(now_ms - timestamp) > self.window_ms:
            raise CallbackRejected(
                "stale",
                f"timestamp {timestamp} is {abs(now_ms - timestamp) // 1000} s from now; "
                f"at most {self.window_ms // 1000} s is allowed",
            )
        expected = sign_callback(timestamp_text, self._app_secret)
        if not hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8")):
            raise CallbackRejected("signature", "the sign header does not match the app secret")
        return timestamp


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@attrs.frozen
class RobotCallback:
    """One message a person sent to the robot, as the callback body carries it."""

    msgtype: str
    content: str
    msg_id: str | None
    create_at: int | None
    #: ``"1"`` for a one-to-one chat, ``"2"`` for a group.
    conversation_type: str
    conversation_id: str | None
    conversation_title: str | None
    sender_nick: str | None
    #: The sender's userid; DingTalk sends it only for members of the robot's corp.
    sender_staff_id: str | None
    sender_union_id: str | None
    robot_code: str | None
    session_webhook: str | None
    session_webhook_expired_time: int | None
    is_in_at_list: bool = False

    @property
    def is_group(self) -> bool:
        return self.conversation_type == "2"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> RobotCallback:
        """Read a callback body; raise ``ValueError`` naming what is missing or malformed."""
        msgtype = body.get("msgtype")
        if not isinstance(msgtype, str) or not msgtype:
            raise ValueError("the callback body has no msgtype")
        content = ""
        if msgtype == "text":
            text = body.get("text")
            if not isinstance(text, Mapping) or not isinstance(text.get("content"), str):
                raise ValueError("a text callback needs text.content")
            # The @-mention is stripped, which usually leaves a leading space.
            content = str(text["content"]).strip()
        expired = body.get("sessionWebhookExpiredTime")
        created = body.get("createAt")
        return cls(
            msgtype=msgtype,
            content=content,
            msg_id=_text(body.get("msgId")),
            create_at=int(created) if created is not None else None,
            conversation_type=str(body.get("conversationType", "1")),
            conversation_id=_text(body.get("conversationId")),
            conversation_title=_text(body.get("conversationTitle")),
            sender_nick=_text(body.get("senderNick")),
            sender_staff_id=_text(body.get("senderStaffId")) or None,
            sender_union_id=_text(body.get("senderUnionId")) or None,
            robot_code=_text(body.get("robotCode")),
            session_webhook=_text(body.get("sessionWebhook")) or None,
            session_webhook_expired_time=int(expired) if expired is not None else None,
            is_in_at_list=bool(body.get("isInAtList", False)),
        )
