"""Scene groups against the fake, sync and async."""

from __future__ import annotations

import asyncio

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID


@pytest.fixture
def staff(dingtalk_fake: FakeDingTalk) -> list[str]:
    town = dingtalk_fake.default_corp.ext(ContactsState).create_department("文家街道", 1)
    userids = [f"s{number}" for number in range(6)]
    for userid in userids:
        add_staff(dingtalk_fake, userid, userid, [town.dept_id])
    return userids


def test_scene_group_lifecycle(dingtalk: DingTalk, staff: list[str]) -> None:
    group = dingtalk.im.create_scene_group(
        "文家街道", DEFAULT_TEMPLATE_ID, staff[0], userids=staff[1:3]
    )
    dingtalk.im.add_members(group.open_conversation_id, staff[3:5])
    dingtalk.im.remove_members(group.open_conversation_id, [staff[1]])
    dingtalk.im.update_scene_group(group.open_conversation_id, title="文家街道普查员群")
    info = dingtalk.im.get_scene_group(group.open_conversation_id)
    assert info.title == "文家街道普查员群"
    assert info.owner_userid == staff[0]
    members = list(dingtalk.im.members(group.open_conversation_id, page_size=2))
    assert members == [staff[0], staff[2], staff[3], staff[4]]


def test_scene_group_uuid_dedupes_create(dingtalk: DingTalk, staff: list[str]) -> None:
    first = dingtalk.im.create_scene_group("群", DEFAULT_TEMPLATE_ID, staff[0], uuid="town-1")
    second = dingtalk.im.create_scene_group("群", DEFAULT_TEMPLATE_ID, staff[0], uuid="town-1")
    assert first == second


def test_scene_group_errors(dingtalk: DingTalk, staff: list[str]) -> None:
    with pytest.raises(APIError) as caught:
        dingtalk.im.create_scene_group("群", "no-such-template", staff[0])
    assert caught.value.code == "groupTemplate.notFound"
    assert caught.value.message == "群模板不存在"
    with pytest.raises(APIError) as caught:
        dingtalk.im.create_scene_group("群", DEFAULT_TEMPLATE_ID, staff[0], userids=["ghost"])
    assert caught.value.code == "member.notFound"
    assert caught.value.message == "成员不存在: ghost"
    with pytest.raises(ValidationError):
        dingtalk.im.create_scene_group("群" * 31, DEFAULT_TEMPLATE_ID, staff[0])


def test_async_scene_group(async_dingtalk: AsyncDingTalk, staff: list[str]) -> None:
    async def scenario() -> list[str]:
        group = await async_dingtalk.im.create_scene_group("异步群", DEFAULT_TEMPLATE_ID, staff[0])
        return await async_dingtalk.im.members(group.open_conversation_id).collect()

    assert asyncio.run(scenario()) == [staff[0]]
