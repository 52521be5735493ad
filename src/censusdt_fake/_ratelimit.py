"""Optional enforcement of DingTalk's per-app, per-API call rate."""

from __future__ import annotations

import collections
import threading

__all__ = ["ApiRateLimit"]


class ApiRateLimit:
    """At most ``rate`` calls per app and API path in any one-second window, as DingTalk counts."""

    def __init__(self, rate: int = 20, window: float = 1.0) -> None:
        self.rate = rate
        self.window = window
        self._calls: dict[tuple[str, str], collections.deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, app_key: str, path: str, now: float) -> bool:
        """Record a call at ``now`` and tell whether it is within the limit."""
        with self._lock:
            calls = self._calls.setdefault((app_key, path), collections.deque())
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.rate:
                return False
            calls.append(now)
            return True
