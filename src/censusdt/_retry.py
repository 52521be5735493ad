"""Retry decisions: which failures to retry, and after how long."""

from __future__ import annotations

import random

import attrs

from censusdt._classify import ErrorKind

__all__ = ["RetryPolicy"]


@attrs.frozen
class RetryPolicy:
    """Decide whether to retry a failed attempt and how long to wait first.

    Throttling and "system busy" replies mean the server did not act, so any call is retried.
    Server errors and transport failures after the request left may mean it did act: only
    idempotent calls are retried then, unless the caller opted in with ``retry_unsafe``.
    Backoff doubles from ``base_delay`` up to ``max_delay``, with full jitter from ``rng``.
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    rng: random.Random = attrs.field(factory=random.Random, eq=False)

    def delay(
        self,
        kind: ErrorKind,
        attempt: int,
        *,
        idempotent: bool,
        retry_after: float | None = None,
    ) -> float | None:
        """Return the seconds to wait before attempt ``attempt + 1``, or ``None`` to give up.

        ``attempt`` counts from 1. ``idempotent`` is already true when the caller opted in.
        """
        if attempt >= self.max_attempts:
            return None
        if kind is ErrorKind.FINAL or kind is ErrorKind.TOKEN_INVALID:
            return None
        if kind is ErrorKind.FAILED_MAYBE_APPLIED and not idempotent:
            return None

        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        jittered = self.rng.uniform(backoff / 2, backoff)
        if retry_after is not None:
            return max(retry_after, jittered)
        return jittered
