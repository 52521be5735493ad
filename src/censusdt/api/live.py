"""Live streaming (直播, ``live_1.0``) endpoints, models and limits."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt.timeutil import from_epoch_ms

__all__ = [
    "CREATE_CLOUD_FEED",
    "CREATE_LIVE",
    "DELETE_LIVE",
    "MAX_WATCH_PAGE_SIZE",
    "QUERY_LIVE",
    "REPLAY_URL",
    "SHARE_CLOUD_FEED",
    "UPDATE_LIVE",
    "WATCH_DETAIL",
    "WATCH_USERS",
    "GroupIdType",
    "LiveInfo",
    "LiveStatus",
    "LiveViewer",
    "ShareResult",
    "WatchSummary",
]

# One collection path for create, query, update and delete, distinguished by the HTTP method.
CREATE_LIVE = Endpoint.new("POST", "/v1.0/live/lives", idempotent=False)
QUERY_LIVE = Endpoint.new("GET", "/v1.0/live/lives", idempotent=True)
UPDATE_LIVE = Endpoint.new("PUT", "/v1.0/live/lives", idempotent=True)
DELETE_LIVE = Endpoint.new("DELETE", "/v1.0/live/lives", idempotent=True)
WATCH_DETAIL = Endpoint.new("GET", "/v1.0/live/lives/watchDetails", idempotent=True)
WATCH_USERS = Endpoint.new("GET", "/v1.0/live/lives/watchUsers", idempotent=True)
REPLAY_URL = Endpoint.new("GET", "/v1.0/live/lives/replayUrls", idempotent=True)
# Cloud-director feeds stream an existing video; they are the live product that DingTalk can
# share into several groups at once.
CREATE_CLOUD_FEED = Endpoint.new("POST", "/v1.0/live/cloudFeeds", idempotent=False)
SHARE_CLOUD_FEED = Endpoint.new("POST", "/v1.0/live/cloudFeeds/{feedId}/share", idempotent=True)

#: Viewer lists come in pages of at most 200, numbered from 0.
MAX_WATCH_PAGE_SIZE = 200


class GroupIdType(enum.IntEnum):
    """Kind of id that ``groupIds`` contains in a feed share.

    NOTE: DingTalk does not document these values for cloud feeds; they follow the legacy
    training-course API, where 1 is a chatId and 2 an openConversationId.
    """

    CHAT_ID = 1
    OPEN_CONVERSATION_ID = 2


@attrs.frozen
class ShareResult:
    """Groups that a feed was shared into."""

    success: bool
    groups: tuple[str, ...]


class LiveStatus(enum.IntEnum):
    ANNOUNCED = 0
    LIVE = 1
    ENDED = 3
    PENALISED = 4
    DELETED = 5


def _instant(value: Any) -> dt.datetime | None:
    if value in (None, "", 0):
        return None
    return from_epoch_ms(int(value))


@attrs.frozen
class LiveInfo:
    live_id: str
    union_id: str
    title: str
    status: LiveStatus
    start_time: dt.datetime | None
    end_time: dt.datetime | None
    introduction: str = ""
    cover_url: str = ""
    play_url: str = ""
    subscribe_count: int = 0
    uv: int = 0
    duration_ms: int = 0
    playback_duration_ms: int = 0

    @classmethod
    def from_wire(cls, info: Mapping[str, Any]) -> LiveInfo:
        return cls(
            live_id=str(info.get("liveId") or ""),
            union_id=str(info.get("unionId") or ""),
            title=str(info.get("title") or ""),
            status=LiveStatus(int(info.get("liveStatus") or 0)),
            start_time=_instant(info.get("startTime")),
            end_time=_instant(info.get("endTime")),
            introduction=str(info.get("introduction") or ""),
            cover_url=str(info.get("coverUrl") or ""),
            play_url=str(info.get("livePlayUrl") or ""),
            subscribe_count=int(info.get("subscribeCount") or 0),
            uv=int(info.get("uv") or 0),
            duration_ms=int(info.get("duration") or 0),
            playback_duration_ms=int(info.get("playbackDuration") or 0),
        )


@attrs.frozen
class WatchSummary:
    pv: int
    uv: int
    live_uv: int
    playback_uv: int
    total_watch_time_ms: int
    avg_watch_time_ms: int

    @classmethod
    def from_wire(cls, result: Mapping[str, Any]) -> WatchSummary:
        return cls(
            pv=int(result.get("pv") or 0),
            uv=int(result.get("uv") or 0),
            live_uv=int(result.get("liveUv") or 0),
            playback_uv=int(result.get("playbackUv") or 0),
            total_watch_time_ms=int(result.get("totalWatchTime") or 0),
            avg_watch_time_ms=int(result.get("avgWatchTime") or 0),
        )


@attrs.frozen
class LiveViewer:
    """One viewer in the org; ``user_id`` is empty for people outside it."""

    name: str
    union_id: str
    user_id: str
    dept_name: str
    watch_live_ms: int
    watch_playback_ms: int
    first_watch_time: dt.datetime | None

    @property
    def watched_live(self) -> bool:
        return self.watch_live_ms > 0

    @property
    def watched_replay(self) -> bool:
        return self.watch_playback_ms > 0

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> LiveViewer:
        return cls(
            name=str(item.get("name") or ""),
            union_id=str(item.get("unionId") or ""),
            user_id=str(item.get("userId") or ""),
            dept_name=str(item.get("deptName") or ""),
            watch_live_ms=int(item.get("watchLiveTime") or 0),
            watch_playback_ms=int(item.get("watchPlaybackTime") or 0),
            first_watch_time=_instant(item.get("firstWatchTime")),
        )
