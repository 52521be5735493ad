"""A paginator that walks every page of a list API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Generic, TypeVar

from censusdt._pages import AsyncPageFetcher

__all__ = ["AsyncPaginator"]

T = TypeVar("T")


class AsyncPaginator(Generic[T]):
    """Iterate the items of every page, fetching the next page only when needed.

    Each iteration starts again from the first page.
    """

    def __init__(self, fetch_page: AsyncPageFetcher[T], *, first_cursor: Any = None) -> None:
        self._fetch_page = fetch_page
        self._first_cursor = first_cursor

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[T]:
        cursor = self._first_cursor
        while True:
            page = await self._fetch_page(cursor)
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def collect(self) -> list[T]:
        """Fetch every page and return all items."""
        return [item async for item in self]
