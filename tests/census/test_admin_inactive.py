"""Unactivated staff per town with their supervisor, and the SMS DING in batches of 20."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdt import AsyncDingTalk, DingTalk
from censusdt.api.robot import RemindType
from censusdt.census._async.inactivestaff import inactive_staff as async_inactive_staff
from censusdt.census._sync.inactivestaff import inactive_staff, remind_inactive, town_departments
from censusdt.census.audience import ContactsSnapshot
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.robot import RobotState
from tests.census.admin_seed import TOWNS, seed_admin_county


def _expected(fake: FakeDingTalk) -> set[str]:
    contacts = fake.default_corp.ext(ContactsState)
    return {u.userid for u in contacts.users.values() if not u.active}


def test_inactive_staff_by_town_with_supervisor(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    seed_admin_county(dingtalk_fake)
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)

    people = inactive_staff(dingtalk, snapshot)

    assert {p.userid for p in people} == _expected(dingtalk_fake)
    assert sorted(town_departments(snapshot).values()) == sorted(TOWNS)
    for person in people:
        village = snapshot.users[person.userid].dept_ids
        bosses = [
            u.name
            for u in snapshot.users.values()
            if "普查指导员" in u.tags and u.dept_ids == village
        ]
        assert person.supervisors == tuple(bosses)
        assert person.town in TOWNS
    assert [p.town for p in people] == sorted((p.town for p in people), key=TOWNS.index)


def test_sms_reminders_go_in_batches_of_twenty(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    seed_admin_county(dingtalk_fake, per_village=16, inactive_every=1)
    userids = sorted(_expected(dingtalk_fake))

    results = remind_inactive(dingtalk, userids)

    dings = dingtalk_fake.default_corp.ext(RobotState).dings
    sent = [dings[r.open_ding_id] for r in results]
    assert len(userids) == 60
    assert [len(d.deliveries) for d in sent] == [20, 20, 20]
    assert {d.remind_type for d in sent} == {int(RemindType.SMS)}
    assert {u for d in sent for u in d.deliveries} == set(userids)
    assert all("请下载并登录钉钉" in d.content for d in sent)


@pytest.mark.anyio
async def test_async_inactive_staff(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    seed_admin_county(dingtalk_fake)
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    today = dt.datetime.fromtimestamp(dingtalk_fake.clock.time()).date()

    people = await async_inactive_staff(async_dingtalk, snapshot, query_date=today)

    assert {p.userid for p in people} == _expected(dingtalk_fake)
