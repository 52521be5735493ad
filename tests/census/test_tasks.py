"""Tests for assigning to-dos to an audience and tracking them per person, sync and async."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt import AsyncDingTalk, DingTalk, ValidationError
from censusdt.census._async.tasks import assign as async_assign
from censusdt.census._sync.tasks import TaskHandle, assign
from censusdt.census.taskreport import Progress, completion_by_group
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.robot import RobotState
from censusdt_fake.models.todo import TodoState


def _users(fake: FakeDingTalk, count: int) -> list[User]:
    state = fake.default_corp.ext(ContactsState)
    return [
        state.create_user(name=f"普查员{index}", mobile=f"1380000{index:04d}", dept_id_list=[1])
        for index in range(count)
    ]


def _in_days(fake: FakeDingTalk, days: float) -> datetime:
    return datetime.fromtimestamp(fake.clock.time(), SHANGHAI) + timedelta(days=days)


def _complete(fake: FakeDingTalk, handle: TaskHandle, userids: list[str]) -> None:
    state = fake.default_corp.ext(TodoState)
    task_of = {user: batch.task_id for batch in handle.record.batches for user in batch.userids}
    for userid in userids:
        state.complete(task_of[userid], handle.record.union_ids[userid], fake.clock.now_ms())


@given(
    size=st.integers(min_value=1, max_value=130),
    data=st.data(),
)
def test_per_person_completion_is_exact(size: int, data: st.DataObject) -> None:
    fake = FakeDingTalk(clock=VirtualClock(start=time.time(), frozen=True))
    app = fake.default_app
    owner, *staff = _users(fake, size + 1)
    audience = [user.userid for user in staff]
    finished = data.draw(st.sets(st.sampled_from(audience)), label="finished")

    with DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    ) as client:
        handle = assign(
            client, audience, "摸底进度表", _in_days(fake, 3), owner_userid=owner.userid
        )
        _complete(fake, handle, sorted(finished))
        status = handle.status()

    assert list(status.people) == audience
    assert set(status.done) == finished
    assert set(status.pending) == set(audience) - finished
    assert status.overdue == []


def test_audience_over_100_is_split_into_batches(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner, *staff = _users(dingtalk_fake, 251)

    handle = assign(
        dingtalk,
        [user.userid for user in staff],
        "培训",
        _in_days(dingtalk_fake, 1),
        owner_userid=owner.userid,
    )

    assert [len(batch.userids) for batch in handle.record.batches] == [100, 100, 50]
    state = dingtalk_fake.default_corp.ext(TodoState)
    executors = [len(state.tasks[task_id].executor_ids) for task_id in handle.task_ids]
    assert executors == [100, 100, 50]


def test_virtual_clock_moves_unfinished_to_overdue(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner, first, second = _users(dingtalk_fake, 3)
    handle = assign(
        dingtalk,
        [first.userid, second.userid],
        "上报",
        _in_days(dingtalk_fake, 2),
        owner_userid=owner.userid,
    )
    _complete(dingtalk_fake, handle, [first.userid])

    before = handle.status()
    dingtalk_fake.clock.advance(2 * 86_400 + 1)
    after = handle.status()

    assert before.people == {first.userid: Progress.DONE, second.userid: Progress.PENDING}
    assert after.people == {first.userid: Progress.DONE, second.userid: Progress.OVERDUE}


def test_remind_dings_exactly_the_unfinished(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner, *staff = _users(dingtalk_fake, 6)
    audience = [user.userid for user in staff]
    handle = assign(
        dingtalk, audience, "核查", _in_days(dingtalk_fake, 1), owner_userid=owner.userid
    )
    _complete(dingtalk_fake, handle, audience[:2])

    reminder = handle.remind()

    assert reminder.userids == tuple(audience[2:])
    dings = dingtalk_fake.default_corp.ext(RobotState).dings
    assert len(dings) == 1
    (ding,) = dings.values()
    assert sorted(ding.deliveries) == sorted(audience[2:])
    assert "核查" in ding.content


def test_remind_nobody_when_all_done(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, worker = _users(dingtalk_fake, 2)
    handle = assign(dingtalk, [worker.userid], "核查", None, owner_userid=owner.userid)
    handle.mark([worker.userid])

    assert handle.remind().userids == ()
    assert dingtalk_fake.default_corp.ext(RobotState).dings == {}


def test_save_and_load_keep_tracking(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, tmp_path: Path
) -> None:
    owner, first, second = _users(dingtalk_fake, 3)
    handle = assign(
        dingtalk,
        [first.userid, second.userid],
        "登记",
        _in_days(dingtalk_fake, 1),
        owner_userid=owner.userid,
        source_id="enum-2020",
    )
    path = tmp_path / "task.json"
    handle.save(path)

    reloaded = TaskHandle.load(dingtalk, path)
    reloaded.mark([second.userid])

    assert reloaded.record == handle.record
    assert handle.status().people == {first.userid: Progress.PENDING, second.userid: Progress.DONE}


def test_due_in_seconds_is_rejected(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, worker = _users(dingtalk_fake, 2)

    with pytest.raises(ValidationError) as caught:
        assign(dingtalk, [worker.userid], "任务", int(time.time()), owner_userid=owner.userid)

    assert caught.value.errors[0].field == "due"
    assert "epoch seconds" in caught.value.errors[0].reason


def test_completion_by_town(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, *staff = _users(dingtalk_fake, 6)
    audience = [user.userid for user in staff]
    handle = assign(
        dingtalk, audience, "摸底", _in_days(dingtalk_fake, 1), owner_userid=owner.userid
    )
    _complete(dingtalk_fake, handle, [audience[0], audience[3]])
    towns = ["圣城街道", "圣城街道", "古城街道", "古城街道", "古城街道"]
    town = dict(zip(audience, towns, strict=True))

    rows = completion_by_group(handle.status(), town)

    assert [(row.group, row.total, row.done, row.pending) for row in rows] == [
        ("圣城街道", 2, 1, 1),
        ("古城街道", 3, 1, 2),
    ]


@pytest.mark.anyio
async def test_async_assign_status_remind(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner, *staff = _users(dingtalk_fake, 4)
    audience = [user.userid for user in staff]
    handle = await async_assign(
        async_dingtalk, audience, "异步任务", _in_days(dingtalk_fake, 1), owner_userid=owner.userid
    )
    await handle.mark(audience[:1])

    status = await handle.status()
    reminder = await handle.remind(status=status, lang="en")

    assert status.done == audience[:1]
    assert reminder.userids == tuple(audience[1:])


def test_status_at_given_time(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, worker = _users(dingtalk_fake, 2)
    due = _in_days(dingtalk_fake, 1)
    handle = assign(dingtalk, [worker.userid], "上报", due, owner_userid=owner.userid)

    before = handle.status(now=due - timedelta(seconds=1))
    after = handle.status(now=due + timedelta(seconds=1))

    assert before.people == {worker.userid: Progress.PENDING}
    assert after.people == {worker.userid: Progress.OVERDUE}


def test_judged_at_relabels_unfinished(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, first, second = _users(dingtalk_fake, 3)
    due = _in_days(dingtalk_fake, 1)
    handle = assign(dingtalk, [first.userid, second.userid], "上报", due, owner_userid=owner.userid)
    handle.mark([first.userid])
    after = handle.status(now=due + timedelta(hours=1))

    before = after.judged_at(due - timedelta(hours=1))

    assert after.people == {first.userid: Progress.DONE, second.userid: Progress.OVERDUE}
    assert before.people == {first.userid: Progress.DONE, second.userid: Progress.PENDING}
