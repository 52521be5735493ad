"""Work notifications through the public client against the fake, sync and async."""

from __future__ import annotations

import asyncio

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.messaging import (
    ActionCardButton,
    ActionCardMessage,
    FileMessage,
    ImageMessage,
    LinkMessage,
    MarkdownMessage,
    OAMessage,
    TextMessage,
    VoiceMessage,
)
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff, notice_record, read_notice, set_unreachable
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.messaging import MessagingState


@pytest.fixture
def town(dingtalk_fake: FakeDingTalk) -> int:
    contacts = dingtalk_fake.default_corp.ext(ContactsState)
    town = contacts.create_department("圣城街道", 1)
    village = contacts.create_department("东关村", town.dept_id)
    add_staff(dingtalk_fake, "zhang", "张三", [town.dept_id], roles=["普查指导员"])
    add_staff(dingtalk_fake, "li", "李四", [village.dept_id], roles=["普查员"])
    add_staff(dingtalk_fake, "wang", "王五", [village.dept_id], roles=["普查员"], active=False)
    return town.dept_id


ALL_MESSAGES = [
    TextMessage("请于周五前完成摸底"),
    MarkdownMessage("培训通知", "## 培训\n周五 9:00"),
    LinkMessage("指标解释", "现住地的认定", "https://example.org/a", "https://example.org/p.png"),
    ActionCardMessage("通知", "**请确认**", single_title="查看", single_url="https://example.org"),
    ActionCardMessage(
        "通知",
        "请选择",
        buttons=(ActionCardButton("同意", "https://a"), ActionCardButton("拒绝", "https://b")),
    ),
    OAMessage("https://example.org", "人普办", "物资领取", form=(("地点", "三楼"),)),
    ImageMessage("@lADOmedia"),
    VoiceMessage("@lADOvoice", 12),
    FileMessage("@lADOfile"),
]


@pytest.mark.usefixtures("town")
@pytest.mark.parametrize("message", ALL_MESSAGES, ids=lambda m: type(m).__name__)
def test_send_every_message_type(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, message: object
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(agent_id, message, userids=["zhang"])  # type: ignore[arg-type]
    stored = dingtalk_fake.default_corp.ext(MessagingState).notices[task_id].msg
    assert stored == message.to_msg()  # type: ignore[attr-defined]
    result = dingtalk.messaging.get_result(agent_id, task_id)
    assert result.unread == ("zhang",)
    assert result.read == ()


def test_result_lists_invalid_and_read(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(
        agent_id, TextMessage("部门通知"), dept_ids=[town], userids=["nobody"]
    )
    read_notice(dingtalk_fake, "li", task_id)
    result = dingtalk.messaging.get_result(agent_id, task_id)
    assert result.read == ("li",)
    assert result.unread == ("zhang",)
    assert result.invalid_users == ("nobody",)
    # Not-activated users in a department are not recipients at all.
    assert "wang" not in result.read + result.unread


def test_duplicate_content_is_forbidden_silently(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    first = dingtalk.messaging.send(agent_id, TextMessage("同一条"), userids=["zhang", "li"])
    second = dingtalk.messaging.send(agent_id, TextMessage("同一条"), userids=["zhang"])
    assert second != first
    result = dingtalk.messaging.get_result(agent_id, second)
    assert result.unread == ()
    assert [(entry.userid, entry.code) for entry in result.forbidden] == [("zhang", "143106")]


def test_daily_cap_is_forbidden_silently(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    for number in range(500):
        dingtalk.messaging.send(agent_id, TextMessage(f"第{number}条"), userids=["zhang"])
    last = dingtalk.messaging.send(agent_id, TextMessage("第501条"), userids=["zhang"])
    result = dingtalk.messaging.get_result(agent_id, last)
    assert [(entry.userid, entry.code) for entry in result.forbidden] == [("zhang", "143105")]
    assert result.forbidden[0].count == 500
    # The next Shanghai day the cap starts again.
    dingtalk_fake.clock.advance(24 * 3600)
    fresh = dingtalk.messaging.send(agent_id, TextMessage("第二天"), userids=["zhang"])
    assert dingtalk.messaging.get_result(agent_id, fresh).unread == ("zhang",)


def test_unreachable_user_is_failed(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    set_unreachable(dingtalk_fake, ["li"])
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(agent_id, TextMessage("x"), userids=["li", "zhang"])
    result = dingtalk.messaging.get_result(agent_id, task_id)
    assert result.failed == ("li",)
    assert result.unread == ("zhang",)


def test_result_expires_after_24_hours(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(agent_id, TextMessage("过期"), userids=["zhang"])
    dingtalk_fake.clock.advance(24 * 3600 + 1)
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.get_result(agent_id, task_id)
    assert caught.value.code == "40035"
    assert caught.value.message == "不合法的参数 task_id"


def test_result_refused_over_100_recipients(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    for number in range(101):
        add_staff(dingtalk_fake, f"extra{number}", f"员工{number}", [town])
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(agent_id, TextMessage("全体"), dept_ids=[town])
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.get_result(agent_id, task_id)
    assert caught.value.code == "400002"
    assert caught.value.message == "接收人超过100人的任务不支持查询发送结果"
    assert len(notice_record(dingtalk_fake, task_id)["unread_user_id_list"]) == 103


def test_wrong_agent_id_rejected(dingtalk: DingTalk, town: int) -> None:
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.send(1, TextMessage("x"), userids=["zhang"])
    assert caught.value.code == "40056"
    assert caught.value.message == "不合法的agentId"


def test_oversized_message_rejected_before_sending(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    # 700 Chinese characters are 2100 bytes: over the 2048-byte limit although under 2048 chars.
    with pytest.raises(ValidationError) as caught:
        dingtalk.messaging.send(agent_id, TextMessage("普" * 700), userids=["zhang"])
    assert "2048 bytes" in str(caught.value)
    assert dingtalk_fake.calls("/topapi/message/corpconversation/asyncsend_v2") == []


def test_fake_rejects_oversized_msg_on_the_wire(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    from censusdt.api.messaging import NOTICE_SEND

    agent_id = dingtalk_fake.default_app.agent_id
    msg = {"msgtype": "text", "text": {"content": "普" * 700}}
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            NOTICE_SEND, json={"agent_id": agent_id, "userid_list": "zhang", "msg": msg}
        )
    assert caught.value.code == "34016"
    assert caught.value.message == "消息内容超长"


def test_fake_rejects_unknown_msgtype(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    from censusdt.api.messaging import NOTICE_SEND

    agent_id = dingtalk_fake.default_app.agent_id
    body = {"agent_id": str(agent_id), "userid_list": "zhang", "msg": '{"msgtype":"video"}'}
    with pytest.raises(APIError) as caught:
        dingtalk.request(NOTICE_SEND, json=body)
    assert caught.value.code == "34004"
    assert caught.value.message == "无效的msgtype"


def test_recall_and_status_bar(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    oa = OAMessage("https://example.org", "人普办", "审批", status_value="待处理")
    task_id = dingtalk.messaging.send(agent_id, oa, userids=["zhang"])
    dingtalk.messaging.update_status_bar(agent_id, task_id, "已处理", background="0xFF78C06E")
    notice = dingtalk_fake.default_corp.ext(MessagingState).notices[task_id]
    assert notice.status_bar == {"status_value": "已处理", "status_bg": "0xFF78C06E"}
    dingtalk.messaging.recall(agent_id, task_id)
    assert notice.recalled
    dingtalk_fake.clock.advance(24 * 3600 + 1)
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.recall(agent_id, task_id)
    assert caught.value.code == "400002"
    assert caught.value.message == "无效的agentId或taskId"


def test_status_bar_rejects_text_notice(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(agent_id, TextMessage("t"), userids=["zhang"])
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.update_status_bar(agent_id, task_id, "x")
    assert caught.value.code == "40035"
    assert caught.value.message == "不合法的参数 task_id"


def test_async_send_and_progress(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk, town: int
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id

    async def scenario() -> tuple[int, int]:
        task_id = await async_dingtalk.messaging.send(agent_id, TextMessage("异步"), userids=["li"])
        progress = await async_dingtalk.messaging.get_progress(agent_id, task_id)
        result = await async_dingtalk.messaging.get_result(agent_id, task_id)
        assert result.unread == ("li",)
        return progress.percent, progress.status

    assert asyncio.run(scenario()) == (100, 2)
