"""Custom (webhook) robots of one corp: token, signing secret, keywords, rate limit (no HTTP)."""

from __future__ import annotations

import base64
import collections
import hashlib
import hmac

import attrs

from censusdt_fake._errors import LegacyError

__all__ = ["WebhookRobot", "WebhookState"]

SIGN_WINDOW_MS = 3600 * 1000
PER_MINUTE = 20
THROTTLE_MS = 10 * 60 * 1000


@attrs.define
class WebhookRobot:
    access_token: str
    secret: str | None = None
    keywords: list[str] = attrs.field(factory=list)
    sent_ms: collections.deque[int] = attrs.field(factory=collections.deque)
    throttled_until_ms: int = 0
    #: Bodies accepted, in order: what the group would show.
    messages: list[dict[str, object]] = attrs.field(factory=list)

    def check_signature(self, timestamp: str | None, signature: str | None, now_ms: int) -> None:
        if self.secret is None:
            return
        # The observed replies carry the check's reason in errmsg under errcode 310000.
        if (
            not timestamp
            or not timestamp.isdigit()
            or abs(now_ms - int(timestamp)) > SIGN_WINDOW_MS
        ):
            raise LegacyError(310000, "invalid timestamp")
        string_to_sign = f"{timestamp}\n{self.secret}".encode()
        digest = hmac.new(self.secret.encode(), string_to_sign, hashlib.sha256).digest()
        expected = base64.b64encode(digest).decode("ascii")
        if not signature or not hmac.compare_digest(signature, expected):
            raise LegacyError(310000, "sign not match")

    def check_keywords(self, text: str) -> None:
        if self.keywords and not any(keyword in text for keyword in self.keywords):
            raise LegacyError(310000, "keywords not in content")

    def admit(self, now_ms: int) -> None:
        """Count one message; the 21st within a minute throttles the robot for 10 minutes."""
        if now_ms < self.throttled_until_ms:
            raise LegacyError(130101, "send too fast, exceed 20 times per minute")
        while self.sent_ms and self.sent_ms[0] <= now_ms - 60_000:
            self.sent_ms.popleft()
        if len(self.sent_ms) >= PER_MINUTE:
            self.throttled_until_ms = now_ms + THROTTLE_MS
            raise LegacyError(130101, "send too fast, exceed 20 times per minute")
        self.sent_ms.append(now_ms)


@attrs.define
class WebhookState:
    robots: dict[str, WebhookRobot] = attrs.field(factory=dict)

    def add(self, token: str, *, secret: str | None, keywords: list[str]) -> WebhookRobot:
        if len(keywords) > 10:
            raise ValueError(f"a robot takes at most 10 keywords, got {len(keywords)}")
        robot = WebhookRobot(token, secret, list(keywords))
        self.robots[token] = robot
        return robot
