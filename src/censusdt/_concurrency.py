"""Twin primitives for the async code and the sync code generated from it.

The async modules under ``_async/`` use the ``Async*``/``async_*`` names below;
``tools/gen_sync.py`` rewrites them to the plain/``sync_*`` twins when it generates ``_sync/``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import TypeVar

__all__ = [
    "AsyncLock",
    "AsyncSleep",
    "Lock",
    "Sleep",
    "async_map",
    "async_sleep",
    "sync_map",
    "sync_sleep",
]

T = TypeVar("T")
X = TypeVar("X")

AsyncSleep = Callable[[float], Awaitable[None]]
Sleep = Callable[[float], None]


async def async_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    time.sleep(seconds)


class AsyncLock:
    """An asyncio lock created on first use, so a client can be built outside an event loop."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        await self._lock.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._lock is not None
        self._lock.release()


class Lock:
    """A threading lock with the same interface as :class:`AsyncLock`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()


async def async_map(
    function: Callable[[X], Awaitable[T]], items: Iterable[X], *, concurrency: int
) -> list[T]:
    """Run ``function`` over ``items`` with at most ``concurrency`` calls in flight; keep order.

    The first exception cancels the calls still running and propagates.
    """
    semaphore = asyncio.Semaphore(concurrency)

    async def run_one(item: X) -> T:
        async with semaphore:
            return await function(item)

    tasks = [asyncio.ensure_future(run_one(item)) for item in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def sync_map(function: Callable[[X], T], items: Iterable[X], *, concurrency: int) -> list[T]:
    """Run ``function`` over ``items`` one after another; ``concurrency`` is accepted and unused.

    The sync client is for scripts and test suites; bulk work at the rate limit is the async
    client's job, so the sync twin stays sequential and predictable.
    """
    del concurrency
    return [function(item) for item in items]
