"""Counters of the calls a client made, for reports and benchmarks."""

from __future__ import annotations

import collections
import threading

__all__ = ["CallStats"]


class CallStats:
    """Calls per API path, token requests, retries, throttling replies and time spent pacing."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self.token_requests = 0
        self.retries = 0
        self.throttled = 0
        self.paced_seconds = 0.0
        self._lock = threading.Lock()

    def record_call(self, path: str) -> None:
        with self._lock:
            self.calls[path] += 1

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def snapshot(self) -> dict[str, object]:
        """Return the counters as plain data."""
        return {
            "calls": dict(self.calls),
            "total_calls": self.total_calls,
            "token_requests": self.token_requests,
            "retries": self.retries,
            "throttled": self.throttled,
            "paced_seconds": round(self.paced_seconds, 3),
        }
