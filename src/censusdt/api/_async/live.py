"""Typed calls for live sessions: create, query, update, delete, viewers and replay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._async.pagination import AsyncPaginator
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api.live import (
    CREATE_CLOUD_FEED,
    CREATE_LIVE,
    DELETE_LIVE,
    MAX_WATCH_PAGE_SIZE,
    QUERY_LIVE,
    REPLAY_URL,
    SHARE_CLOUD_FEED,
    UPDATE_LIVE,
    WATCH_DETAIL,
    WATCH_USERS,
    GroupIdType,
    LiveInfo,
    LiveViewer,
    ShareResult,
    WatchSummary,
)
from censusdt.timeutil import to_epoch_ms

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncLive"]


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


class AsyncLive:
    """Live sessions of the app's corp (``client.live``); the anchor is a unionId.

    Every call names the anchor's unionId, as DingTalk's live API expects; use
    ``client.contacts.union_id(userid)`` to get it.
    """

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client

    async def create(
        self,
        union_id: str,
        title: str,
        start: dt.datetime,
        end: dt.datetime,
        *,
        introduction: str = "",
        cover_url: str = "",
        public_type: int = 2,
        landscape: bool = True,
    ) -> str:
        """Announce a live session and return its id; ``start`` must be in the future."""
        now = self._client.clock.time()
        errors: list[FieldError] = []
        if not union_id:
            errors.append(FieldError("union_id", union_id, "is required (the anchor's unionId)"))
        if not title.strip():
            errors.append(FieldError("title", title, "must not be empty"))
        if start.timestamp() <= now:
            errors.append(FieldError("start", start, "must be in the future"))
        if end <= start:
            errors.append(FieldError("end", end, "must be after start"))
        if public_type not in (0, 1, 2):
            errors.append(FieldError("public_type", public_type, "must be 0, 1 or 2"))
        _raise_if(errors)
        body: dict[str, Any] = {
            "unionId": union_id,
            "title": title,
            "preStartTime": to_epoch_ms(start),
            "preEndTime": to_epoch_ms(end),
            "publicType": public_type,
            "isLandscape": landscape,
        }
        if introduction:
            body["introduction"] = introduction
        if cover_url:
            body["coverUrl"] = cover_url
        reply = await self._client.request(CREATE_LIVE, json=body)
        return str(reply["result"]["liveId"])

    async def get(self, live_id: str, union_id: str) -> LiveInfo:
        reply = await self._client.request(
            QUERY_LIVE, params={"liveId": live_id, "unionId": union_id}
        )
        return LiveInfo.from_wire(reply["result"]["liveInfo"])

    async def update(
        self,
        live_id: str,
        union_id: str,
        *,
        title: str | None = None,
        introduction: str | None = None,
        cover_url: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> None:
        """Change an announced session (DingTalk refuses once it has started)."""
        if start is not None and end is not None and end <= start:
            _raise_if([FieldError("end", end, "must be after start")])
        body: dict[str, Any] = {"liveId": live_id, "unionId": union_id}
        optional = {
            "title": title,
            "introduction": introduction,
            "coverUrl": cover_url,
            "preStartTime": to_epoch_ms(start) if start else None,
            "preEndTime": to_epoch_ms(end) if end else None,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        await self._client.request(UPDATE_LIVE, json=body)

    async def delete(self, live_id: str, union_id: str) -> None:
        """Delete a session; deleting an ended one deletes its replay too."""
        await self._client.request(DELETE_LIVE, params={"liveId": live_id, "unionId": union_id})

    async def watch_summary(self, live_id: str, union_id: str) -> WatchSummary:
        reply = await self._client.request(
            WATCH_DETAIL, params={"liveId": live_id, "unionId": union_id}
        )
        return WatchSummary.from_wire(reply.get("result") or {})

    def viewers(
        self, live_id: str, union_id: str, *, page_size: int = MAX_WATCH_PAGE_SIZE
    ) -> AsyncPaginator[LiveViewer]:
        """Page through the org's viewers, live and replay, with their watch times."""
        if not 1 <= page_size <= MAX_WATCH_PAGE_SIZE:
            _raise_if([FieldError("page_size", page_size, f"must be 1..{MAX_WATCH_PAGE_SIZE}")])

        async def fetch(cursor: Any) -> Page[LiveViewer]:
            number = int(cursor or 0)
            reply = await self._client.request(
                WATCH_USERS,
                params={
                    "liveId": live_id,
                    "unionId": union_id,
                    "pageNumber": number,
                    "pageSize": page_size,
                },
            )
            result = reply.get("result") or {}
            # DingTalk's key is spelled orgUsesList.
            items = [LiveViewer.from_wire(item) for item in result.get("orgUsesList") or []]
            return Page(items, number + 1 if len(items) == page_size else None)

        return AsyncPaginator(fetch)

    async def replay_url(self, live_id: str, union_id: str) -> str:
        """The downloadable replay of an ended session."""
        reply = await self._client.request(
            REPLAY_URL, params={"liveId": live_id, "unionId": union_id}
        )
        return str((reply.get("result") or {}).get("replayUrl") or "")

    # Cloud-director feeds.

    async def create_cloud_feed(
        self,
        user_id: str,
        title: str,
        start: dt.datetime,
        video_url: str,
        *,
        cover_url: str = "",
        intro: str = "",
    ) -> str:
        """Create a cloud-director feed that streams ``video_url`` from ``start``; return its id.

        Unlike the other live calls, feeds name people by userid.
        """
        errors: list[FieldError] = []
        if not user_id:
            errors.append(FieldError("user_id", user_id, "is required"))
        if not title.strip():
            errors.append(FieldError("title", title, "must not be empty"))
        if not video_url:
            errors.append(FieldError("video_url", video_url, "is required"))
        _raise_if(errors)
        body: dict[str, Any] = {
            "userId": user_id,
            "title": title,
            "startTime": to_epoch_ms(start),
            "videoUrl": video_url,
        }
        if cover_url:
            body["coverUrl"] = cover_url
        if intro:
            body["intro"] = intro
        reply = await self._client.request(CREATE_CLOUD_FEED, json=body)
        return str(reply["result"])

    async def share_cloud_feed(
        self,
        feed_id: str,
        user_id: str,
        group_ids: Sequence[str],
        *,
        group_id_type: GroupIdType = GroupIdType.OPEN_CONVERSATION_ID,
    ) -> ShareResult:
        """Share a feed into several groups at once."""
        if not group_ids:
            _raise_if([FieldError("group_ids", [], "needs at least one group")])
        reply = await self._client.request(
            SHARE_CLOUD_FEED,
            path_params={"feedId": feed_id},
            json={
                "userId": user_id,
                "groupIdType": int(group_id_type),
                "groupIds": list(group_ids),
            },
        )
        shared = tuple(str(group) for group in reply.get("shareSuccessGroupList") or [])
        return ShareResult(bool(reply.get("hasShareSuccess")), shared)
