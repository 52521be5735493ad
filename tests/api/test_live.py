"""Live calls against the fake: lifecycle on the clock, viewers, replay, errors; sync and async."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk
from censusdt.api.live import CREATE_LIVE, LiveStatus
from censusdt.timeutil import SHANGHAI, to_epoch_ms
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import watch_live
from censusdt_fake.messaging import add_staff


@pytest.fixture
def people(dingtalk_fake: FakeDingTalk) -> list[str]:
    """unionIds of an anchor and four staff."""
    return [add_staff(dingtalk_fake, f"v{i}", f"学员{i}", [1]).unionid for i in range(5)]


def _at(fake: FakeDingTalk, hours: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(fake.clock.time(), SHANGHAI) + dt.timedelta(hours=hours)


def test_lifecycle_follows_the_clock(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: list[str]
) -> None:
    anchor = people[0]
    live_id = dingtalk.live.create(
        anchor, "入户登记培训", _at(dingtalk_fake, 1), _at(dingtalk_fake, 2)
    )
    dingtalk.live.update(live_id, anchor, title="入户登记业务培训")
    before = dingtalk.live.get(live_id, anchor)
    dingtalk_fake.clock.advance(1.5 * 3600)
    during = dingtalk.live.get(live_id, anchor)
    with pytest.raises(APIError) as late_update:
        dingtalk.live.update(live_id, anchor, title="改不了")
    dingtalk_fake.clock.advance(3600)
    after = dingtalk.live.get(live_id, anchor)

    assert (before.status, before.title) == (LiveStatus.ANNOUNCED, "入户登记业务培训")
    assert during.status is LiveStatus.LIVE
    assert after.status is LiveStatus.ENDED
    assert after.duration_ms == 3600 * 1000
    assert (late_update.value.status, late_update.value.code) == (400, "liveStatusNotMatch")
    assert late_update.value.message == "only an announced live can be updated"
    assert dingtalk.live.replay_url(live_id, anchor).endswith(f"{live_id}.mp4")


def test_viewers_split_live_and_replay_per_person(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: list[str]
) -> None:
    anchor = people[0]
    live_id = dingtalk.live.create(anchor, "培训", _at(dingtalk_fake, 1), _at(dingtalk_fake, 2))
    watch_live(dingtalk_fake, live_id, people[1], live_ms=1_800_000)
    watch_live(dingtalk_fake, live_id, people[2], replay_ms=600_000)
    later = dingtalk_fake.clock.time() + 5 * 3600
    watch_live(dingtalk_fake, live_id, people[3], replay_ms=900_000, replay_at=later)
    dingtalk_fake.clock.advance(3 * 3600)

    seen = {
        v.union_id: (v.watch_live_ms, v.watch_playback_ms)
        for v in dingtalk.live.viewers(live_id, anchor, page_size=1)
    }
    summary = dingtalk.live.watch_summary(live_id, anchor)

    assert seen == {people[1]: (1_800_000, 0), people[2]: (0, 600_000)}
    assert (summary.uv, summary.live_uv, summary.playback_uv) == (2, 1, 1)
    dingtalk_fake.clock.advance(3 * 3600)
    assert {v.union_id for v in dingtalk.live.viewers(live_id, anchor)} == set(people[1:4])


@pytest.mark.anyio
async def test_async_delete_by_anchor_only(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk, people: list[str]
) -> None:
    live_id = await async_dingtalk.live.create(
        people[0], "培训", _at(dingtalk_fake, 1), _at(dingtalk_fake, 2)
    )

    with pytest.raises(APIError) as stranger:
        await async_dingtalk.live.delete(live_id, people[1])
    await async_dingtalk.live.delete(live_id, people[0])
    with pytest.raises(APIError) as gone:
        await async_dingtalk.live.get(live_id, people[0])

    assert (stranger.value.status, stranger.value.code) == (404, "noPermission")
    assert stranger.value.message == "only the anchor may change this live"
    assert (gone.value.code, gone.value.message) == ("invalidParam", "lippi_live.stream.paramError")


def test_wire_errors_use_live_codes(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: list[str]
) -> None:
    past = {
        "unionId": people[0],
        "title": "培训",
        "preStartTime": to_epoch_ms(_at(dingtalk_fake, -1)),
        "preEndTime": to_epoch_ms(_at(dingtalk_fake, 1)),
    }
    with pytest.raises(APIError) as early:
        dingtalk.request(CREATE_LIVE, json=past)
    with pytest.raises(APIError) as outsider:
        dingtalk.request(CREATE_LIVE, json={**past, "unionId": "nobody"})
    live_id = dingtalk.live.create(people[0], "培训", _at(dingtalk_fake, 1), _at(dingtalk_fake, 2))
    with pytest.raises(APIError) as no_replay:
        dingtalk.live.replay_url(live_id, people[0])

    assert (early.value.code, early.value.message) == (
        "invalidParam",
        "lippi_live.room.preStartTimeCanNotEarlierThanNow",
    )
    assert (outsider.value.code, outsider.value.message) == (
        "userNoLivePermission",
        "the user cannot use live in this org",
    )
    assert no_replay.value.code == "liveStatusNotMatch"
    assert no_replay.value.message == "the live has no replay before it ends"


def test_cloud_feed_shares_into_known_groups(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: list[str]
) -> None:
    from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID

    groups = [
        dingtalk.im.create_scene_group(
            f"{town}普查群", DEFAULT_TEMPLATE_ID, "v0", userids=["v1", "v2"]
        )
        for town in ("城关镇", "东关街道")
    ]
    feed_id = dingtalk.live.create_cloud_feed(
        "v0", "业务培训", _at(dingtalk_fake, 1), "https://example.org/t.mp4"
    )

    wanted = [g.open_conversation_id for g in groups] + ["cidUnknown=="]
    result = dingtalk.live.share_cloud_feed(feed_id, "v0", wanted)

    assert result.success
    assert result.groups == tuple(g.open_conversation_id for g in groups)
    with pytest.raises(APIError) as missing:
        dingtalk.live.share_cloud_feed("feed-nope", "v0", wanted)
    assert (missing.value.code, missing.value.message) == (
        "invalidParam",
        "lippi_live.stream.paramError",
    )
