# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""A paginator that walks every page of a list API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from censusdt._pages import PageFetcher

__all__ = ["Paginator"]

T = TypeVar("T")


class Paginator(Generic[T]):
    """Iterate the items of every page, fetching the next page only when needed.

    Each iteration starts again from the first page.
    """

    def __init__(self, fetch_page: PageFetcher[T], *, first_cursor: Any = None) -> None:
        self._fetch_page = fetch_page
        self._first_cursor = first_cursor

    def __iter__(self) -> Iterator[T]:
        return self._iterate()

    def _iterate(self) -> Iterator[T]:
        cursor = self._first_cursor
        while True:
            page = self._fetch_page(cursor)
            for item in page.items:
                yield item
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def collect(self) -> list[T]:
        """Fetch every page and return all items."""
        return [item for item in self]
