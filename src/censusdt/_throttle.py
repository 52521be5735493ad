"""Client-side pacing per (app, API path), so bulk work runs at DingTalk's limit, not past it."""

from __future__ import annotations

import collections
import threading
import weakref
from collections.abc import Mapping

__all__ = ["DEFAULT_RATE", "RateLimiter", "shared_rate_limiter"]

#: DingTalk's default limit: 20 calls per second per app per API (standard-edition org).
DEFAULT_RATE = 20


class RateLimiter:
    """A sliding-window limiter: at most ``rate`` calls start within any ``window`` seconds.

    ``try_acquire`` is pure bookkeeping and never sleeps: it books a slot only when a call may start
    now, and otherwise returns how long to wait before asking again. Booking at the moment of
    sending, never ahead, keeps the booked times equal to the send times even when a waiting task
    wakes late, which would otherwise squeeze more than ``rate`` calls into DingTalk's window. The
    async and sync clients share it, and tests drive it with a fake clock. The window is a little
    longer than DingTalk's one second to absorb the jitter between when a call leaves and when the
    server counts it.
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
        self._starts: dict[tuple[str, str], collections.deque[float]] = {}
        self._lock = threading.Lock()

    def rate_for(self, path: str) -> int:
        return self.rates.get(path, self.default_rate)

    def try_acquire(self, app_key: str, path: str, now: float) -> float:
        """Book a call to ``path`` starting at ``now`` and return 0, or return the seconds to wait."""
        rate = self.rate_for(path)
        with self._lock:
            starts = self._starts.setdefault((app_key, path), collections.deque())
            # The same sum decides expiry and the wait, so float rounding cannot make them disagree.
            while starts and starts[0] + self.window <= now:
                starts.popleft()
            if len(starts) < rate:
                starts.append(now)
                return 0.0
            # At least a millisecond, so a caller adding the wait to a large clock value advances it.
            return max(starts[0] + self.window - now, 0.001)


_SHARED: weakref.WeakKeyDictionary[object, dict[tuple[object, ...], RateLimiter]] = (
    weakref.WeakKeyDictionary()
)
_SHARED_LOCK = threading.Lock()


def shared_rate_limiter(
    clock: object, *, default_rate: int = DEFAULT_RATE, rates: Mapping[str, int] | None = None
) -> RateLimiter:
    """Return the limiter that every client on ``clock`` with these rates shares.

    DingTalk counts calls per app across all of the app's clients, so two clients of one app in one
    process must draw from the same slots. Limiters are per clock because slot times from different
    clocks (e.g. two tests' virtual clocks) cannot be compared.
    """
    key = (default_rate, tuple(sorted((rates or {}).items())))
    with _SHARED_LOCK:
        limiters = _SHARED.setdefault(clock, {})
        limiter = limiters.get(key)
        if limiter is None:
            limiter = RateLimiter(default_rate=default_rate, rates=rates)
            limiters[key] = limiter
        return limiter
