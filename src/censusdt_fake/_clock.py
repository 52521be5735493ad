"""The fake's virtual clock: real time plus an offset, or frozen, moved on by ``advance``."""

from __future__ import annotations

import math
import threading
import time

__all__ = ["VirtualClock"]


class VirtualClock:
    """Epoch and monotonic time that tests move forward without waiting.

    Unfrozen, it follows the machine's clock plus the offset that ``advance`` adds. Frozen, it
    stands still at its start until advanced. ``sleep`` advances it, so a client given this clock
    and ``sleep`` waits no real time for backoff or pacing.
    """

    def __init__(self, *, start: float | None = None, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._frozen = frozen
        self._base_wall = time.time() if start is None else start
        self._base_real = time.monotonic()
        self._offset = 0.0

    @property
    def frozen(self) -> bool:
        return self._frozen

    def time(self) -> float:
        """Seconds since the epoch."""
        with self._lock:
            return self._base_wall + self._elapsed() + self._offset

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed() + self._offset

    def now_ms(self) -> int:
        return int(self.time() * 1000)

    def advance(self, seconds: float) -> None:
        """Move time forward; tokens expire and results age as if ``seconds`` had passed."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(
                f"the clock only moves forward by a finite amount; got {seconds} seconds"
            )
        with self._lock:
            self._offset += seconds

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def _elapsed(self) -> float:
        return 0.0 if self._frozen else time.monotonic() - self._base_real
