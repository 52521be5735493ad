"""Robot one-to-one, group messages and DING against the fake, sync and async."""

from __future__ import annotations

import asyncio
import json

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.messaging import MarkdownMessage, OAMessage, TextMessage
from censusdt.api.robot import OTO_SEND, RemindType
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff, read_robot_message, set_reading_model
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID


@pytest.fixture
def staff(dingtalk_fake: FakeDingTalk) -> list[str]:
    town = dingtalk_fake.default_corp.ext(ContactsState).create_department("古城街道", 1)
    userids = [f"user{number}" for number in range(25)]
    for number, userid in enumerate(userids):
        add_staff(dingtalk_fake, userid, f"员工{number}", [town.dept_id], roles=["普查员"])
    return userids


def test_oto_send_read_status_and_recall(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    sent = dingtalk.robot.send_to_users([*staff[:3], "ghost"], TextMessage("明早开会"))
    assert sent.invalid_userids == ("ghost",)
    read_robot_message(dingtalk_fake, staff[1], sent.process_query_key)
    status = dingtalk.robot.read_status(sent.process_query_key)
    assert status.send_status == "SUCCESS"
    assert status.read == (staff[1],)
    assert status.unread == (staff[0], staff[2])

    recalled = dingtalk.robot.recall_from_users([sent.process_query_key, "nope"])
    assert recalled.succeeded == (sent.process_query_key,)
    assert recalled.failed == {"nope": "invalid.processQueryKey"}
    assert dingtalk.robot.read_status(sent.process_query_key).send_status == "RECALLED"


def test_oto_paths_keep_dingtalk_casing(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    sent = dingtalk.robot.send_to_users(staff[:1], TextMessage("x"))
    dingtalk.robot.read_status(sent.process_query_key)
    dingtalk.robot.recall_from_users([sent.process_query_key])
    paths = [entry.path for entry in dingtalk_fake.calls() if entry.path.startswith("/v1.0/robot")]
    assert paths == [
        "/v1.0/robot/oToMessages/batchSend",
        "/v1.0/robot/oToMessages/readStatus",
        "/v1.0/robot/otoMessages/batchRecall",
    ]


def test_oto_over_20_users_rejected_before_sending(dingtalk: DingTalk, staff: list[str]) -> None:
    with pytest.raises(ValidationError):
        dingtalk.robot.send_to_users(staff[:21], TextMessage("x"))


def test_fake_oto_limits_and_template_errors(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    robot_code = dingtalk_fake.default_app.robot_code
    cases = [
        (
            {"userIds": staff[:21], "msgKey": "sampleText", "msgParam": '{"content":"x"}'},
            "invalidParameter.userIds.overMax",
            "userIds超过上限",
        ),
        (
            {"userIds": staff[:1], "msgKey": "sampleNope", "msgParam": "{}"},
            "invalidParameter.msgKey.invalid",
            "msgKey无效",
        ),
        (
            {"userIds": staff[:1], "msgKey": "sampleText", "msgParam": "not json"},
            "invalidParameter.msgParam.invalid",
            "msgParam必须是JSON格式的字符串",
        ),
        (
            {"userIds": staff[:1], "msgKey": "sampleText", "msgParam": "{}"},
            "miss.param.contentOfText",
            "文本消息缺少content",
        ),
        (
            {
                "userIds": staff[:1],
                "msgKey": "sampleText",
                "msgParam": json.dumps({"content": "普" * 5001}),
            },
            "invalidParameter.msgParam.tooLong",
            "msgParam超长",
        ),
    ]
    for body, code, message in cases:
        with pytest.raises(APIError) as caught:
            dingtalk.request(OTO_SEND, json={"robotCode": robot_code, **body})
        assert caught.value.code == code
        assert caught.value.message == message
        assert caught.value.status == 400
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            OTO_SEND,
            json={
                "robotCode": "other",
                "userIds": staff[:1],
                "msgKey": "sampleText",
                "msgParam": '{"content":"x"}',
            },
        )
    assert caught.value.code == "invalidParameter.robotCode.notExsit"
    assert caught.value.message == "robotCode不存在"


def test_oto_read_status_expires(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    sent = dingtalk.robot.send_to_users(staff[:2], TextMessage("x"))
    dingtalk_fake.clock.advance(24 * 3600 + 1)
    with pytest.raises(APIError) as caught:
        dingtalk.robot.read_status(sent.process_query_key)
    assert caught.value.code == "processQueryKey.expireTime"
    assert caught.value.message == "processQueryKey已过期"


def test_robot_rejects_oa_message(dingtalk: DingTalk, staff: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        dingtalk.robot.send_to_users(staff[:1], OAMessage("https://a", "h", "t"))
    assert "OAMessage" in str(caught.value)


def test_group_message_read_pages(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    group = dingtalk.im.create_scene_group(
        "古城街道普查群", DEFAULT_TEMPLATE_ID, staff[0], userids=staff
    )
    key = dingtalk.robot.send_to_group(
        group.open_conversation_id, MarkdownMessage("通知", "**开会**")
    )
    for userid in staff[:7]:
        read_robot_message(dingtalk_fake, userid, key)
    readers = list(dingtalk.robot.group_readers(group.open_conversation_id, key, page_size=3))
    assert readers == staff[:7]
    # Three pages of at most three readers each.
    assert len(dingtalk_fake.calls("/v1.0/robot/groupMessages/query")) == 3
    recalled = dingtalk.robot.recall_from_group(group.open_conversation_id, [key])
    assert recalled.succeeded == (key,)
    assert dingtalk.robot.group_send_status(group.open_conversation_id, key) == "RECALLED"


def test_group_send_to_unknown_group(dingtalk: DingTalk) -> None:
    with pytest.raises(APIError) as caught:
        dingtalk.robot.send_to_group("cidNOPE==", TextMessage("x"))
    assert caught.value.code == "invalid.openConversationId"
    assert caught.value.message == "openConversationId无效"


def test_ding_read_status_follows_reading_model(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    set_reading_model(dingtalk_fake, 1.0, mean_delay_seconds=60, seed=3)
    ding = dingtalk.robot.send_ding([*staff[:5], "ghost"], "请尽快阅读通知")
    assert ding.failed == {"staffId.notExisted": ("ghost",)}
    assert dingtalk.robot.ding_read_status(ding.open_ding_id).read == ()
    dingtalk_fake.clock.advance(3600 * 6)
    assert sorted(dingtalk.robot.ding_read_status(ding.open_ding_id).read) == sorted(staff[:5])
    dingtalk.robot.recall_ding(ding.open_ding_id)


def test_ding_receiver_limits(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    with pytest.raises(ValidationError):
        dingtalk.robot.send_ding(staff[:21], "短信", remind_type=RemindType.SMS)
    from censusdt.api.robot import DING_SEND

    body = {
        "robotCode": dingtalk_fake.default_app.robot_code,
        "remindType": 3,
        "receiverUserIdList": staff[:21],
        "content": "电话",
    }
    with pytest.raises(APIError) as caught:
        dingtalk.request(DING_SEND, json=body)
    assert caught.value.code == "ding.receivercount.limit"
    assert caught.value.message == "DING接收人数超过上限"


def test_async_ding(async_dingtalk: AsyncDingTalk, staff: list[str]) -> None:
    async def scenario() -> tuple[str, ...]:
        ding = await async_dingtalk.robot.send_ding(staff[:2], "异步DING")
        status = await async_dingtalk.robot.ding_read_status(ding.open_ding_id)
        return status.unread

    assert asyncio.run(scenario()) == tuple(staff[:2])
