"""Clock protocol, so tests can drive token expiry and pacing without waiting."""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock"]


class Clock(Protocol):
    """Time source of the client: wall-clock seconds for token expiry, monotonic for pacing."""

    def time(self) -> float: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clocks of this machine."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


#: The machine's clock, shared by every client that is given no clock.
SYSTEM_CLOCK = SystemClock()
