"""Live state: sessions on the virtual clock and simulated viewers, live and replay."""

from __future__ import annotations

import random
import zlib
from typing import Any

import attrs

from censusdt_fake._errors import NewApiError

__all__ = ["CloudFeed", "Live", "LiveState", "Viewing"]

PARAM_ERROR = "lippi_live.stream.paramError"


def param_error(message: str = PARAM_ERROR) -> NewApiError:
    return NewApiError(400, "invalidParam", message)


@attrs.define
class Viewing:
    """One person's watching: live minutes from ``live_at_ms``, replay from ``replay_at_ms``."""

    unionid: str
    live_ms: int = 0
    live_at_ms: int | None = None
    replay_ms: int = 0
    replay_at_ms: int | None = None

    def visible(self, now_ms: int) -> tuple[int, int, int | None]:
        """Live time, replay time and first watch time as seen at ``now_ms``."""
        live = self.live_ms if self.live_at_ms is not None and self.live_at_ms <= now_ms else 0
        replay = (
            self.replay_ms if self.replay_at_ms is not None and self.replay_at_ms <= now_ms else 0
        )
        times = [t for t, ms in ((self.live_at_ms, live), (self.replay_at_ms, replay)) if ms and t]
        return live, replay, min(times) if times else None


@attrs.define
class Live:
    live_id: str
    anchor: str
    title: str
    pre_start_ms: int
    pre_end_ms: int
    introduction: str = ""
    cover_url: str = ""
    public_type: int = 2
    deleted: bool = False
    subscribers: set[str] = attrs.field(factory=set)
    viewings: dict[str, Viewing] = attrs.field(factory=dict)

    def status(self, now_ms: int) -> int:
        if self.deleted:
            return 5
        if now_ms < self.pre_start_ms:
            return 0
        if now_ms < self.pre_end_ms:
            return 1
        return 3

    def play_url(self) -> str:
        return f"dingtalk://dingtalkclient/action/open_live?liveUuid={self.live_id}"

    def info(self, now_ms: int) -> dict[str, Any]:
        status = self.status(now_ms)
        started = status in (1, 3)
        ended = status == 3
        return {
            "liveId": self.live_id,
            "unionId": self.anchor,
            "title": self.title,
            "coverUrl": self.cover_url,
            "introduction": self.introduction,
            "startTime": self.pre_start_ms if started else 0,
            "endTime": self.pre_end_ms if ended else 0,
            "duration": self.pre_end_ms - self.pre_start_ms if ended else 0,
            "playbackDuration": self.pre_end_ms - self.pre_start_ms if ended else 0,
            "liveStatus": status,
            "subscribeCount": len(self.subscribers),
            "uv": sum(1 for v in self.viewings.values() if v.visible(now_ms)[2] is not None),
            "livePlayUrl": self.play_url(),
        }


@attrs.define
class CloudFeed:
    feed_id: str
    userid: str
    title: str
    start_ms: int
    video_url: str
    shared_to: list[str] = attrs.field(factory=list)


@attrs.define
class LiveState:
    lives: dict[str, Live] = attrs.field(factory=dict)
    feeds: dict[str, CloudFeed] = attrs.field(factory=dict)
    next_live: int = 1

    def create(self, anchor: str, body: dict[str, Any], now_ms: int) -> Live:
        title = body.get("title")
        start, end = body.get("preStartTime"), body.get("preEndTime")
        if not title or start is None or end is None:
            raise param_error()
        try:
            start_ms, end_ms = int(start), int(end)
        except (TypeError, ValueError):
            raise param_error() from None
        if start_ms <= now_ms:
            raise param_error("lippi_live.room.preStartTimeCanNotEarlierThanNow")
        if end_ms <= start_ms:
            raise param_error()
        public_type = int(body.get("publicType") or 0)
        if public_type == 1:
            raise NewApiError(400, "noPermission", "fully public lives need a paid edition")
        live_id = (
            f"{zlib.crc32(f'{anchor}:{self.next_live}'.encode()):08x}-live-{self.next_live:04d}"
        )
        self.next_live += 1
        live = Live(
            live_id,
            anchor,
            str(title),
            start_ms,
            end_ms,
            str(body.get("introduction") or ""),
            str(body.get("coverUrl") or ""),
            public_type,
        )
        self.lives[live_id] = live
        return live

    def get(self, live_id: str | None) -> Live:
        live = self.lives.get(live_id or "")
        if live is None or live.deleted:
            raise param_error()
        return live

    def owned(self, live_id: str | None, unionid: str | None) -> Live:
        live = self.get(live_id)
        if live.anchor != unionid:
            raise NewApiError(404, "noPermission", "only the anchor may change this live")
        return live

    def update(self, body: dict[str, Any], now_ms: int) -> None:
        live = self.owned(body.get("liveId"), body.get("unionId"))
        if live.status(now_ms) != 0:
            raise NewApiError(400, "liveStatusNotMatch", "only an announced live can be updated")
        start = int(body.get("preStartTime") or live.pre_start_ms)
        end = int(body.get("preEndTime") or live.pre_end_ms)
        if start <= now_ms:
            raise param_error("lippi_live.room.preStartTimeCanNotEarlierThanNow")
        if end <= start:
            raise param_error()
        live.pre_start_ms, live.pre_end_ms = start, end
        for key, attr in (
            ("title", "title"),
            ("introduction", "introduction"),
            ("coverUrl", "cover_url"),
        ):
            if body.get(key) is not None:
                setattr(live, attr, str(body[key]))

    def viewers(self, live: Live, now_ms: int) -> list[tuple[str, int, int, int]]:
        """(unionid, live ms, replay ms, first watch ms) of everyone seen by ``now_ms``."""
        seen = []
        for viewing in live.viewings.values():
            live_ms, replay_ms, first = viewing.visible(now_ms)
            if first is not None:
                seen.append((viewing.unionid, live_ms, replay_ms, first))
        return sorted(seen, key=lambda item: (item[3], item[0]))

    # Control plane.

    def watch(
        self,
        live_id: str,
        unionid: str,
        *,
        live_ms: int = 0,
        replay_ms: int = 0,
        live_at_ms: int | None = None,
        replay_at_ms: int | None = None,
    ) -> None:
        """Record that ``unionid`` watched live and/or the replay (times default to the session)."""
        live = self.lives[live_id]
        viewing = live.viewings.setdefault(unionid, Viewing(unionid))
        if live_ms:
            viewing.live_ms += live_ms
            viewing.live_at_ms = live_at_ms if live_at_ms is not None else live.pre_start_ms
        if replay_ms:
            viewing.replay_ms += replay_ms
            viewing.replay_at_ms = replay_at_ms if replay_at_ms is not None else live.pre_end_ms

    def simulate(
        self,
        live_id: str,
        unionids: list[str],
        *,
        live_share: float,
        replay_share: float,
        replay_mean_delay_seconds: float,
        seed: int,
    ) -> dict[str, str]:
        """Each person watches live, or else maybe the replay later; returns who did what."""
        live = self.lives[live_id]
        length = live.pre_end_ms - live.pre_start_ms
        plan: dict[str, str] = {}
        for unionid in unionids:
            rng = random.Random(zlib.crc32(f"{seed}:{live_id}:{unionid}".encode()))
            draw = rng.random()
            if draw < live_share:
                joined = rng.randint(0, max(1, length // 4))
                self.watch(
                    live_id,
                    unionid,
                    live_ms=max(60_000, length - joined - rng.randint(0, length // 4)),
                    live_at_ms=live.pre_start_ms + joined,
                )
                plan[unionid] = "live"
            elif rng.random() < replay_share:
                delay = int(rng.expovariate(1 / max(replay_mean_delay_seconds, 1)) * 1000)
                self.watch(
                    live_id,
                    unionid,
                    replay_ms=max(60_000, int(length * rng.uniform(0.3, 1.0))),
                    replay_at_ms=live.pre_end_ms + 60_000 + delay,
                )
                plan[unionid] = "replay"
            else:
                plan[unionid] = "none"
        return plan
