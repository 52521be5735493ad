"""Test-only endpoints served by the fake: an idempotent read and a non-idempotent send per dialect."""

from __future__ import annotations

from typing import Any

from censusdt import Endpoint
from censusdt_fake import Call, FakeDingTalk, Router

LEGACY_READ = Endpoint.legacy("POST", "/topapi/test/read", idempotent=True)
LEGACY_SEND = Endpoint.legacy("POST", "/topapi/test/send", idempotent=False)
NEW_READ = Endpoint.new("GET", "/v1.0/test/items", idempotent=True)
NEW_SEND = Endpoint.new("POST", "/v1.0/test/items", idempotent=False)
LEGACY_PAGED = Endpoint.legacy("POST", "/topapi/test/paged", idempotent=True)
NEW_PAGED = Endpoint.new("GET", "/v1.0/test/paged", idempotent=True)


class Sent:
    """What the send endpoints received, in order."""

    def __init__(self) -> None:
        self.items: list[Any] = []


def install(fake: FakeDingTalk, total_items: int = 45) -> Sent:
    """Serve the test endpoints on ``fake``; return the record of sends."""
    sent = Sent()
    router = Router()

    @router.post(LEGACY_READ.path)
    def legacy_read(call: Call) -> dict[str, Any]:
        return {"result": {"value": call.integer("value", default=0)}}

    @router.post(LEGACY_SEND.path)
    def legacy_send(call: Call) -> dict[str, Any]:
        sent.items.append(call.string("item", required=True))
        return {"task_id": len(sent.items)}

    @router.get(NEW_READ.path)
    def new_read(call: Call) -> dict[str, Any]:
        return {"items": list(sent.items)}

    @router.post(NEW_SEND.path)
    def new_send(call: Call) -> dict[str, Any]:
        sent.items.append(call.string("item", required=True))
        return {"id": str(len(sent.items))}

    @router.post(LEGACY_PAGED.path)
    def legacy_paged(call: Call) -> dict[str, Any]:
        cursor = call.integer("cursor", default=0)
        size = call.integer("size", default=10)
        chunk = list(range(total_items))[cursor : cursor + size]
        more = cursor + size < total_items
        return {"result": {"list": chunk, "has_more": more, "next_cursor": cursor + size}}

    @router.get(NEW_PAGED.path)
    def new_paged(call: Call) -> dict[str, Any]:
        start = int(call.query.get("nextToken") or 0)
        size = int(call.query.get("maxResults") or 10)
        chunk = list(range(total_items))[start : start + size]
        more = start + size < total_items
        return {"list": chunk, "hasMore": more, "nextToken": str(start + size) if more else None}

    fake.add_routes(router)
    return sent
