"""Fault rules: make chosen calls fail the way DingTalk or the network fails."""

from __future__ import annotations

import enum
import fnmatch
import random

import attrs

__all__ = ["FaultKind", "FaultRule"]


class FaultKind(enum.Enum):
    """Kind of failure to inject."""

    #: Legacy errcode 90018 / new HTTP 403 ``Forbidden.AccessDenied.QpsLimitForAppkeyAndApi``.
    THROTTLE = "throttle"
    #: Legacy errcode 40014 / new HTTP 400 ``InvalidAuthentication``.
    INVALID_TOKEN = "invalid_token"
    #: Legacy errcode -1 "系统繁忙" / new HTTP 503 ``ServiceUnavailable``; nothing was done.
    BUSY = "busy"
    #: HTTP 500 on both hosts.
    SERVER_ERROR = "server_error"
    #: The reply never comes: the client sees a read timeout.
    TIMEOUT = "timeout"
    #: The connection drops without a reply.
    DISCONNECT = "disconnect"
    #: The connection is refused before the request is sent.
    CONNECT_ERROR = "connect_error"


@attrs.define
class FaultRule:
    """Inject ``kind`` into calls whose path matches ``path`` (a glob) in ``corp_id``, if given.

    Exactly one trigger applies: ``once`` (the first matching call only), ``every`` (every n-th
    matching call), or ``probability`` (each call, with ``seed`` making it repeatable); with none,
    every matching call fails. ``after`` runs the handler first and then fails the reply: the
    server acted but the client cannot know (only for server errors, timeouts and disconnects).
    """

    kind: FaultKind
    path: str = "*"
    corp_id: str | None = None
    once: bool = False
    every: int | None = None
    probability: float | None = None
    seed: int = 0
    after: bool = False
    matched: int = 0
    fired: int = 0
    rng: random.Random = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.after and self.kind not in {
            FaultKind.SERVER_ERROR,
            FaultKind.TIMEOUT,
            FaultKind.DISCONNECT,
        }:
            raise ValueError(
                "after=True only applies to server errors, timeouts and disconnects; "
                f"got {self.kind.value}"
            )
        if self.every is not None and self.every < 1:
            raise ValueError(f"every must be at least 1, got {self.every}")
        if self.probability is not None and not 0 <= self.probability <= 1:
            raise ValueError(f"probability must be within [0, 1], got {self.probability}")
        self.rng = random.Random(self.seed)

    def applies(self, path: str, corp_id: str | None) -> bool:
        """Count a call against the rule and tell whether it fails."""
        if self.corp_id is not None and corp_id != self.corp_id:
            return False
        if not fnmatch.fnmatchcase(path, self.path):
            return False
        self.matched += 1
        if self.once:
            fire = self.fired == 0
        elif self.every is not None:
            fire = self.matched % self.every == 0
        elif self.probability is not None:
            fire = self.rng.random() < self.probability
        else:
            fire = True
        if fire:
            self.fired += 1
        return fire

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "path": self.path,
            "corp_id": self.corp_id,
            "once": self.once,
            "every": self.every,
            "probability": self.probability,
            "seed": self.seed,
            "after": self.after,
            "matched": self.matched,
            "fired": self.fired,
        }
