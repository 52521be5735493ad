"""Client-side pacing per (app, API path), so bulk work runs at DingTalk's limit, not past it."""

from __future__ import annotations

import collections
import threading
from collections.abc import Mapping

__all__ = ["DEFAULT_RATE", "RateLimiter"]

#: DingTalk's default limit: 20 calls per second per app per API (standard-edition org).
DEFAULT_RATE = 20


class RateLimiter:
    """A sliding-window limiter: at most ``rate`` calls start within any ``window`` seconds.

    ``reserve`` is pure bookkeeping and never sleeps: it books the earliest slot for one call and
    returns how long the caller must wait for it, so the async and sync clients share it and tests
    drive it with a fake clock. The window is a little longer than DingTalk's one second to absorb
    the jitter between when a call leaves and when the server counts it.
    """

    def __init__(
        self,
        *,
        default_rate: int = DEFAULT_RATE,
        rates: Mapping[str, int] | None = None,
        window: float = 1.05,
    ) -> None:
        if default_rate < 1:
            raise ValueError(f"default_rate must be at least 1, got {default_rate}")
        self.default_rate = default_rate
        self.rates = dict(rates or {})
        self.window = window
        self._slots: dict[tuple[str, str], collections.deque[float]] = {}
        self._lock = threading.Lock()

    def rate_for(self, path: str) -> int:
        return self.rates.get(path, self.default_rate)

    def reserve(self, app_key: str, path: str, now: float) -> float:
        """Book a slot for one call to ``path`` and return the seconds to wait before sending."""
        rate = self.rate_for(path)
        with self._lock:
            slots = self._slots.setdefault((app_key, path), collections.deque())
            while slots and slots[0] <= now - self.window:
                slots.popleft()
            start = now if len(slots) < rate else max(now, slots[-rate] + self.window)
            slots.append(start)
            while len(slots) > rate:
                slots.popleft()
            return start - now
