"""Live training shared to town groups: who watched, per person exact against the fake; reminders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from censusdt import AsyncDingTalk, DingTalk
from censusdt.census._async.training import schedule_training as async_schedule_training
from censusdt.census._async.training import training_report as async_training_report
from censusdt.census._sync.towngroups import create_town_groups
from censusdt.census._sync.training import (
    Training,
    remind_unwatched,
    schedule_training,
    training_report,
)
from censusdt.census.audience import ContactsSnapshot
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import live_plan, simulate_viewers
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID
from censusdt_fake.models.robot import RobotState
from tests.census.admin_seed import TOWNS, seed_admin_county

HOUR = 3600


def _start(fake: FakeDingTalk) -> dt.datetime:
    return dt.datetime.fromtimestamp(fake.clock.time(), SHANGHAI) + dt.timedelta(days=1)


def _union_to_user(fake: FakeDingTalk) -> dict[str, str]:
    return {u.unionid: u.userid for u in fake.default_corp.ext(ContactsState).users.values()}


def _fake_watched(fake: FakeDingTalk, live_id: str) -> dict[str, tuple[int, int]]:
    """userid -> (live ms, replay ms) the fake shows at its current time."""
    now = fake.clock.now_ms()
    users = _union_to_user(fake)
    shown = {}
    for unionid, (live_ms, replay_ms, live_at, replay_at) in live_plan(fake, live_id).items():
        seen_live = live_ms if live_at is not None and live_at <= now else 0
        seen_replay = replay_ms if replay_at is not None and replay_at <= now else 0
        shown[users[unionid]] = (seen_live, seen_replay)
    return shown


def test_report_matches_fake_per_person(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, tmp_path: Path
) -> None:
    seed_admin_county(dingtalk_fake)
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    groups = create_town_groups(dingtalk, snapshot, TOWNS, template_id=DEFAULT_TEMPLATE_ID)
    start = _start(dingtalk_fake)

    training = schedule_training(
        dingtalk, "p0", "普查表填报培训", start, start + dt.timedelta(hours=2), groups=groups
    )
    members = [userid for group in groups for userid in group.members]
    unionids = [dingtalk.contacts.union_id(userid) for userid in members]
    simulate_viewers(
        dingtalk_fake, training.live_id, unionids, live_share=0.4, replay_share=0.6, seed=7
    )
    dingtalk_fake.clock.advance(26 * HOUR)  # the live is over; some replays are still to come

    report = training_report(dingtalk, Training.load(training.save(tmp_path / "t.json")))
    shown = _fake_watched(dingtalk_fake, training.live_id)

    for person in report.people:
        assert (person.live_ms, person.replay_ms) == shown.get(person.userid, (0, 0))
    assert sorted(p.userid for p in report.people) == sorted(members)
    assert set(report.by_town()) == set(TOWNS)
    assert 0 < len(report.not_watched()) < len(members)

    deadline = start + dt.timedelta(days=3)
    ding_ids = remind_unwatched(dingtalk, report, deadline=deadline)
    dings = dingtalk_fake.default_corp.ext(RobotState).dings
    dinged = {userid for ding_id in ding_ids for userid in dings[ding_id].deliveries}
    assert dinged == {p.userid for p in report.not_watched()}
    assert all("请于" in dings[ding_id].content for ding_id in ding_ids)


def test_schedule_shares_to_every_group(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    seed_admin_county(dingtalk_fake)
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    groups = create_town_groups(dingtalk, snapshot, TOWNS, template_id=DEFAULT_TEMPLATE_ID)
    start = _start(dingtalk_fake)

    training = schedule_training(
        dingtalk, "p0", "培训", start, start + dt.timedelta(hours=1), groups=groups
    )

    messages = dingtalk_fake.default_corp.ext(RobotState).messages.values()
    shared = {m.open_conversation_id for m in messages if training.play_url in m.msg_param}
    assert shared == {group.open_conversation_id for group in groups}
    assert len(groups) == len(TOWNS)


@pytest.mark.anyio
async def test_async_schedule_and_report(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    seed_admin_county(dingtalk_fake)
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    groups = create_town_groups(
        _sync_client(dingtalk_fake), snapshot, TOWNS[:1], template_id=DEFAULT_TEMPLATE_ID
    )
    start = _start(dingtalk_fake)
    training = await async_schedule_training(
        async_dingtalk, "p0", "培训", start, start + dt.timedelta(hours=1), groups=groups
    )
    simulate_viewers(
        dingtalk_fake,
        training.live_id,
        [await async_dingtalk.contacts.union_id(u) for u in groups[0].members],
        live_share=1.0,
        seed=1,
    )
    dingtalk_fake.clock.advance(2 * 86400)

    report = await async_training_report(async_dingtalk, training)

    assert all(person.live_ms > 0 for person in report.people)
    assert report.by_town() == {TOWNS[0]: (len(groups[0].members), len(groups[0].members), 0, 0)}


def _sync_client(fake: FakeDingTalk) -> DingTalk:
    app = fake.default_app
    return DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    )
