"""Tests for the to-do calls against the fake, sync and async."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.todo import DetailUrl
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.todo import ORG_PAGE_SIZE, TodoState

DETAIL = DetailUrl("https://example.org/app", "https://example.org/pc")


def _users(fake: FakeDingTalk, count: int) -> list[User]:
    state = fake.default_corp.ext(ContactsState)
    return [
        state.create_user(name=f"普查员{index}", mobile=f"1390000{index:04d}", dept_id_list=[1])
        for index in range(count)
    ]


def _due(fake: FakeDingTalk, days: int = 3) -> datetime:
    return datetime.fromtimestamp(fake.clock.time(), SHANGHAI) + timedelta(days=days)


def test_create_get_roundtrip(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, worker = _users(dingtalk_fake, 2)
    due = _due(dingtalk_fake).replace(microsecond=0)

    created = dingtalk.todo.create(
        owner.unionid,
        "完成摸底表",
        executor_ids=[worker.unionid],
        due=due,
        detail_url=DETAIL,
        source_id="listing-1",
    )
    fetched = dingtalk.todo.get(owner.unionid, created.id)

    assert fetched.subject == "完成摸底表"
    assert fetched.due_time == due
    assert fetched.executor_ids == (worker.unionid,)
    assert fetched.detail_url == DETAIL
    assert dingtalk.todo.get_by_source(owner.unionid, "listing-1").id == created.id


def test_duplicate_source_id_is_task_exist(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (owner,) = _users(dingtalk_fake, 1)
    dingtalk.todo.create(owner.unionid, "任务", detail_url=DETAIL, source_id="same")

    with pytest.raises(APIError) as caught:
        dingtalk.todo.create(owner.unionid, "任务", detail_url=DETAIL, source_id="same")

    assert caught.value.status == 400
    assert caught.value.code == "todo.taskCreate.paramError"
    assert caught.value.message == "task exist"


def test_due_in_seconds_is_rejected_before_sending(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    (owner,) = _users(dingtalk_fake, 1)
    seconds = int(dingtalk_fake.clock.time())

    with pytest.raises(ValidationError) as caught:
        dingtalk.todo.create(owner.unionid, "任务", due=seconds, detail_url=DETAIL)

    assert caught.value.errors[0].field == "due"
    assert "looks like epoch seconds" in caught.value.errors[0].reason
    assert dingtalk_fake.calls("/v1.0/todo/users/{unionId}/tasks") == []


def test_wire_due_time_in_seconds(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    from censusdt.api.todo import CREATE_TASK

    (owner,) = _users(dingtalk_fake, 1)
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            CREATE_TASK,
            json={"subject": "任务", "dueTime": int(dingtalk_fake.clock.time())},
            path_params={"unionId": owner.unionid},
        )

    assert caught.value.code == "todo.taskCreate.paramError"
    assert caught.value.message == "dueTime is invalid"


def test_more_than_100_executors_rejected(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (owner,) = _users(dingtalk_fake, 1)
    executors = [f"union{index}" for index in range(101)]

    with pytest.raises(ValidationError) as caught:
        dingtalk.todo.create(owner.unionid, "任务", executor_ids=executors, detail_url=DETAIL)

    assert caught.value.errors[0].field == "executor_ids"


def test_executor_status_shows_in_org_list(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, first, second = _users(dingtalk_fake, 3)
    task = dingtalk.todo.create(
        owner.unionid, "培训签到", executor_ids=[first.unionid, second.unionid], detail_url=DETAIL
    )

    assert dingtalk.todo.set_executor_status(owner.unionid, task.id, {first.unionid: True})

    first_cards = list(dingtalk.todo.org_tasks(first.unionid, role_types=[["executor"]]))
    second_cards = list(dingtalk.todo.org_tasks(second.unionid, role_types=[["executor"]]))
    assert [(card.task_id, card.is_done) for card in first_cards] == [(task.id, True)]
    assert [(card.task_id, card.is_done) for card in second_cards] == [(task.id, False)]


def test_org_list_pages_through_every_task(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, worker = _users(dingtalk_fake, 2)
    created = {
        dingtalk.todo.create(
            owner.unionid, f"任务{index}", executor_ids=[worker.unionid], detail_url=DETAIL
        ).id
        for index in range(ORG_PAGE_SIZE + 7)
    }

    listed = [card.task_id for card in dingtalk.todo.org_tasks(worker.unionid)]

    assert sorted(listed) == sorted(created)
    assert len(dingtalk_fake.calls("/v1.0/todo/users/{unionId}/org/tasks/query")) == 2


def test_org_list_skips_tasks_without_detail_url(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner, worker = _users(dingtalk_fake, 2)
    dingtalk.todo.create(owner.unionid, "无链接", executor_ids=[worker.unionid])

    assert list(dingtalk.todo.org_tasks(worker.unionid)) == []


def test_update_and_delete(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner, _worker = _users(dingtalk_fake, 2)
    task = dingtalk.todo.create(owner.unionid, "旧标题", detail_url=DETAIL)

    assert dingtalk.todo.update(owner.unionid, task.id, subject="新标题", done=True)
    updated = dingtalk.todo.get(owner.unionid, task.id)
    assert updated.subject == "新标题"
    assert updated.done is True

    assert dingtalk.todo.delete(owner.unionid, task.id)
    with pytest.raises(APIError) as caught:
        dingtalk.todo.update(owner.unionid, task.id, subject="再改")
    assert caught.value.code == "todo.taskUpdate.paramError"
    assert caught.value.message == "task not exist"


def test_other_app_cannot_update(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (owner,) = _users(dingtalk_fake, 1)
    task = dingtalk.todo.create(owner.unionid, "本应用任务", detail_url=DETAIL)
    other = dingtalk_fake.add_app()

    with (
        DingTalk(
            other.app_key, other.app_secret, transport=dingtalk_fake.transport()
        ) as other_client,
        pytest.raises(APIError) as caught,
    ):
        other_client.todo.update(owner.unionid, task.id, done=True)

    assert caught.value.code == "todo.taskUpdate.paramError"
    assert caught.value.message == "task not belong to bizTag"


def test_bad_next_token_is_rejected(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    from censusdt.api.todo import QUERY_ORG_TASKS

    (worker,) = _users(dingtalk_fake, 1)
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            QUERY_ORG_TASKS, json={"nextToken": "abc"}, path_params={"unionId": worker.unionid}
        )

    assert caught.value.code == "todo.orgTaskQuery.paramError"
    assert caught.value.message == "nextToken is invalid"


def test_control_plane_completes_for_one_person(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    import httpx

    owner, first, second = _users(dingtalk_fake, 3)
    task = dingtalk.todo.create(
        owner.unionid, "上报", executor_ids=[first.unionid, second.unionid], detail_url=DETAIL
    )

    with httpx.Client(transport=dingtalk_fake.transport(), base_url="http://fake") as http:
        reply = http.post(
            "/__fake__/todo/complete", json={"taskId": task.id, "unionId": second.unionid}
        )
    assert reply.status_code == 200

    state = dingtalk_fake.default_corp.ext(TodoState)
    assert state.tasks[task.id].executor_done == {first.unionid: False, second.unionid: True}


@pytest.mark.anyio
async def test_async_create_and_status(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner, worker = _users(dingtalk_fake, 2)
    task = await async_dingtalk.todo.create(
        owner.unionid, "异步任务", executor_ids=[worker.unionid], detail_url=DETAIL
    )
    await async_dingtalk.todo.set_executor_status(owner.unionid, task.id, {worker.unionid: True})

    cards = await async_dingtalk.todo.org_tasks(worker.unionid, is_done=True).collect()

    assert [card.task_id for card in cards] == [task.id]


@pytest.mark.anyio
async def test_async_union_ids_are_cached(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    users = _users(dingtalk_fake, 3)
    userids = [user.userid for user in users]

    first = await async_dingtalk.todo.union_ids(userids)
    second = await async_dingtalk.calendar.union_ids(userids)

    assert first == {user.userid: user.unionid for user in users}
    assert second == first
    assert len(dingtalk_fake.calls("/topapi/v2/user/get")) == 3
