"""The custom (webhook) robot of a group: signing, message bodies and the endpoint (no I/O).

A custom robot is not an app: it posts to ``/robot/send`` with its own webhook token and, when
"加签" is on, a ``timestamp`` and an HMAC-SHA256 ``sign`` computed from its ``SEC…`` secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import attrs

from censusdt.api.messaging import (
    ActionCardMessage,
    LinkMessage,
    MarkdownMessage,
    Message,
    TextMessage,
)

__all__ = [
    "MAX_AT_USERS",
    "MESSAGES_PER_MINUTE",
    "SIGN_WINDOW_SECONDS",
    "WEBHOOK_PATH",
    "Mention",
    "sign",
    "webhook_body",
]

WEBHOOK_PATH = "/robot/send"
#: DingTalk accepts a signed request whose timestamp is within one hour of its own clock.
SIGN_WINDOW_SECONDS = 3600
#: A custom robot may send 20 messages a minute; beyond that it is throttled for 10 minutes.
MESSAGES_PER_MINUTE = 20
#: At most 50 people may be mentioned in one message.
MAX_AT_USERS = 50


def sign(secret: str, timestamp_ms: int) -> str:
    """The ``sign`` query value: base64 of HMAC-SHA256 over ``"{timestamp}\\n{secret}"``.

    The value is returned before URL encoding; httpx encodes query values when it sends them.
    """
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@attrs.frozen
class Mention:
    """People to @ in a text or markdown message; their @ must also appear in the text."""

    userids: tuple[str, ...] = ()
    mobiles: tuple[str, ...] = ()
    everyone: bool = False

    def to_wire(self) -> dict[str, Any]:
        return {
            "atUserIds": list(self.userids),
            "atMobiles": list(self.mobiles),
            "isAtAll": self.everyone,
        }


def webhook_body(message: Message, *, mention: Mention | None = None) -> dict[str, Any]:
    """The JSON body for ``message``; webhook message types are camelCase (``actionCard``).

    Raises ``ValueError`` for messages a webhook cannot send (OA, media ids).
    """
    body: dict[str, Any]
    if isinstance(message, TextMessage):
        body = {"msgtype": "text", "text": {"content": message.content}}
    elif isinstance(message, MarkdownMessage):
        body = {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.text}}
    elif isinstance(message, LinkMessage):
        body = {
            "msgtype": "link",
            "link": {
                "title": message.title,
                "text": message.text,
                "messageUrl": message.message_url,
                "picUrl": message.pic_url,
            },
        }
    elif isinstance(message, ActionCardMessage):
        card: dict[str, Any] = {"title": message.title, "text": message.markdown}
        if message.single_title and message.single_url:
            card["singleTitle"] = message.single_title
            card["singleURL"] = message.single_url
        else:
            card["btnOrientation"] = message.button_orientation
            card["btns"] = [
                {"title": button.title, "actionURL": button.action_url}
                for button in message.buttons
            ]
        body = {"msgtype": "actionCard", "actionCard": card}
    else:
        raise ValueError(
            f"a webhook robot cannot send {type(message).__name__}; use text, markdown, link "
            "or an action card"
        )
    if mention is not None and body["msgtype"] in {"text", "markdown"}:
        body["at"] = mention.to_wire()
    return body


def __getattr__(name: str) -> Any:
    # The clients live in _sync/_async modules that import this one; load them on first use.
    if name == "WebhookRobot":
        from censusdt.api._sync.webhook import WebhookRobot

        return WebhookRobot
    if name == "AsyncWebhookRobot":
        from censusdt.api._async.webhook import AsyncWebhookRobot

        return AsyncWebhookRobot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
