"""The custom webhook robot: signing accepted and rejected, keywords, rate limit; sync and async."""

from __future__ import annotations

import asyncio

import pytest

from censusdt import APIError
from censusdt.api.messaging import OAMessage, TextMessage
from censusdt.api.webhook import AsyncWebhookRobot, WebhookRobot, sign
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_webhook_robot

SECRET = "SEC0123456789abcdef"


def _robot(fake: FakeDingTalk, token: str, secret: str | None, offset: float = 0.0) -> WebhookRobot:
    return WebhookRobot(
        token, secret=secret, transport=fake.transport(), clock=lambda: fake.clock.time() + offset
    )


def test_sign_matches_documented_recipe() -> None:
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"1600000000000\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert sign(SECRET, 1600000000000) == expected


def test_signed_message_accepted(dingtalk_fake: FakeDingTalk) -> None:
    robot_state = add_webhook_robot(dingtalk_fake, secret=SECRET)
    with _robot(dingtalk_fake, robot_state.access_token, SECRET) as robot:
        robot.send(TextMessage("今日进度已更新"))
    assert robot_state.messages == [{"msgtype": "text", "text": {"content": "今日进度已更新"}}]


@pytest.mark.parametrize(
    ("secret", "offset", "errmsg"),
    [
        ("SECwrong", 0.0, "sign not match"),
        (SECRET, 3601.0, "invalid timestamp"),
        (None, 0.0, "invalid timestamp"),
    ],
)
def test_bad_signature_rejected(
    dingtalk_fake: FakeDingTalk, secret: str | None, offset: float, errmsg: str
) -> None:
    robot_state = add_webhook_robot(dingtalk_fake, secret=SECRET)
    with (
        _robot(dingtalk_fake, robot_state.access_token, secret, offset) as robot,
        pytest.raises(APIError) as caught,
    ):
        robot.send(TextMessage("x"))
    assert caught.value.code == "310000"
    assert caught.value.message == errmsg
    assert robot_state.messages == []


def test_keywords_required(dingtalk_fake: FakeDingTalk) -> None:
    robot_state = add_webhook_robot(dingtalk_fake, keywords=["普查"])
    with _robot(dingtalk_fake, robot_state.access_token, None) as robot:
        robot.send(TextMessage("普查进度"))
        with pytest.raises(APIError) as caught:
            robot.send(TextMessage("午饭"))
    assert caught.value.code == "310000"
    assert caught.value.message == "keywords not in content"


def test_unknown_token(dingtalk_fake: FakeDingTalk) -> None:
    with _robot(dingtalk_fake, "nope", None) as robot, pytest.raises(APIError) as caught:
        robot.send(TextMessage("x"))
    assert caught.value.code == "300001"
    assert caught.value.message == "token is not exist"


def test_21st_message_in_a_minute_throttles_for_10_minutes(dingtalk_fake: FakeDingTalk) -> None:
    robot_state = add_webhook_robot(dingtalk_fake)
    with _robot(dingtalk_fake, robot_state.access_token, None) as robot:
        for number in range(20):
            robot.send(TextMessage(f"{number}"))
        with pytest.raises(APIError) as caught:
            robot.send(TextMessage("21"))
        assert caught.value.code == "130101"
        assert caught.value.message == "send too fast, exceed 20 times per minute"
        dingtalk_fake.clock.advance(5 * 60)
        with pytest.raises(APIError):
            robot.send(TextMessage("still throttled"))
        dingtalk_fake.clock.advance(5 * 60 + 1)
        robot.send(TextMessage("again"))
    assert len(robot_state.messages) == 21


def test_webhook_rejects_oa(dingtalk_fake: FakeDingTalk) -> None:
    from censusdt import ValidationError

    with _robot(dingtalk_fake, "t", None) as robot, pytest.raises(ValidationError):
        robot.send(OAMessage("https://a", "h", "t"))


def test_async_signed_send(dingtalk_fake: FakeDingTalk) -> None:
    robot_state = add_webhook_robot(dingtalk_fake, secret=SECRET)

    async def scenario() -> None:
        async with AsyncWebhookRobot(
            robot_state.access_token,
            secret=SECRET,
            transport=dingtalk_fake.transport(),
            clock=dingtalk_fake.clock.time,
        ) as robot:
            await robot.send(TextMessage("异步"))

    asyncio.run(scenario())
    assert len(robot_state.messages) == 1


def test_mention_and_uuid_on_the_wire(dingtalk_fake: FakeDingTalk) -> None:
    from censusdt.api.messaging import ActionCardButton, ActionCardMessage
    from censusdt.api.webhook import Mention

    robot_state = add_webhook_robot(dingtalk_fake)
    with _robot(dingtalk_fake, robot_state.access_token, None) as robot:
        robot.send(TextMessage("@u1 请查收"), mention=Mention(userids=("u1",)), msg_uuid="m-1")
        card = ActionCardMessage(
            "进度",
            "请选择",
            buttons=(ActionCardButton("查看", "https://a"), ActionCardButton("忽略", "https://b")),
        )
        robot.send(card)
    first, second = robot_state.messages
    assert first["at"] == {"atUserIds": ["u1"], "atMobiles": [], "isAtAll": False}
    assert first["msgUuid"] == "m-1"
    assert second["msgtype"] == "actionCard"
    assert second["actionCard"]["btns"] == [
        {"title": "查看", "actionURL": "https://a"},
        {"title": "忽略", "actionURL": "https://b"},
    ]
