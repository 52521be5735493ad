"""Pages of list results in DingTalk's three paging styles, independent of sync or async."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import attrs

__all__ = [
    "AsyncPageFetcher",
    "Page",
    "PageFetcher",
    "legacy_cursor_page",
    "legacy_offset_page",
    "next_token_page",
]

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of items and the cursor of the next page, ``None`` on the last page."""

    items: Sequence[T]
    next_cursor: Any = None


#: Fetches the page at a cursor (``None`` for the first page).
AsyncPageFetcher = Callable[[Any], Awaitable[Page[T]]]
PageFetcher = Callable[[Any], Page[T]]


def legacy_cursor_page(result: dict[str, Any], convert: Callable[[Any], T]) -> Page[T]:
    """Read ``result.list`` / ``has_more`` / ``next_cursor`` (``topapi/v2/user/list`` style)."""
    items = [convert(item) for item in result.get("list") or []]
    has_more = _as_bool(result.get("has_more"))
    return Page(items, result.get("next_cursor") if has_more else None)


def legacy_offset_page(
    result: dict[str, Any], convert: Callable[[Any], T], *, offset: int, size: int
) -> Page[T]:
    """Read ``result.list`` / ``hasMore`` (``topapi/role/list`` style); the next offset follows."""
    items = [convert(item) for item in result.get("list") or []]
    has_more = _as_bool(result.get("hasMore", result.get("has_more")))
    return Page(items, offset + size if has_more else None)


def next_token_page(body: dict[str, Any], key: str, convert: Callable[[Any], T]) -> Page[T]:
    """Read ``nextToken`` / ``hasMore`` (new API style); stop when no ``nextToken`` comes back."""
    items = [convert(item) for item in body.get(key) or []]
    token = body.get("nextToken")
    if not token or body.get("hasMore") is False:
        return Page(items, None)
    return Page(items, token)


def _as_bool(value: Any) -> bool:
    # Doc samples show booleans as strings ("true"); accept both.
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)
