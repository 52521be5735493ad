"""The FAQ robot: callback checks, replies through sessionWebhooks, fallback and hand-over."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt import DingTalk
from censusdt.census.faq import CodeLookupResult, FaqRobot, format_reply
from censusdt.census.faqbot import FaqBot, FaqBotServer
from censusdt.robot_callback import (
    SIGNATURE_WINDOW_MS,
    CallbackRejected,
    CallbackVerifier,
    RobotCallback,
    sign_callback,
)
from censusdt_fake import FakeDingTalk, FakeServer, VirtualClock
from censusdt_fake.conversation import Conversation, sign
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.robot import RobotState

ROBOT = FaqRobot()
KNOWN_QUESTION = "长表啥时候登记"
UNKNOWN_QUESTION = "今天中午食堂吃什么"
CODE_QUESTION = "卖菜的行业代码是多少"


# Signature and timestamp window.


def _verifier(clock: VirtualClock, secret: str = "app-secret") -> CallbackVerifier:
    return CallbackVerifier(secret, clock=clock)


def test_genuine_headers_accepted() -> None:
    clock = VirtualClock(start=1_700_000_000.0, frozen=True)
    stamp = clock.now_ms()
    headers = {"Timestamp": str(stamp), "Sign": sign_callback(stamp, "app-secret")}
    assert _verifier(clock).verify(headers) == stamp


def test_forged_signature_rejected() -> None:
    clock = VirtualClock(start=1_700_000_000.0, frozen=True)
    stamp = clock.now_ms()
    headers = {"timestamp": str(stamp), "sign": sign_callback(stamp, "guessed-secret")}
    with pytest.raises(CallbackRejected) as caught:
        _verifier(clock).verify(headers)
    assert caught.value.reason == "signature"


@pytest.mark.parametrize("offset_ms", [-SIGNATURE_WINDOW_MS - 1, SIGNATURE_WINDOW_MS + 1])
def test_stale_or_future_timestamp_rejected(offset_ms: int) -> None:
    clock = VirtualClock(start=1_700_000_000.0, frozen=True)
    stamp = clock.now_ms() + offset_ms
    headers = {"timestamp": str(stamp), "sign": sign_callback(stamp, "app-secret")}
    with pytest.raises(CallbackRejected) as caught:
        _verifier(clock).verify(headers)
    assert caught.value.reason == "stale"


def test_missing_headers_rejected() -> None:
    clock = VirtualClock(start=1_700_000_000.0, frozen=True)
    with pytest.raises(CallbackRejected) as caught:
        _verifier(clock).verify({"timestamp": str(clock.now_ms())})
    assert caught.value.reason == "missing"


@given(
    secret=st.text(min_size=1, max_size=40),
    offset_ms=st.integers(-SIGNATURE_WINDOW_MS, SIGNATURE_WINDOW_MS),
)
def test_fake_signature_accepted_in_window(secret: str, offset_ms: int) -> None:
    clock = VirtualClock(start=1_700_000_000.0, frozen=True)
    stamp = clock.now_ms() + offset_ms
    headers = {"timestamp": str(stamp), "sign": sign(stamp, secret)}
    assert _verifier(clock, secret).verify(headers) == stamp


@given(secret=st.text(min_size=1, max_size=40), other=st.text(min_size=1, max_size=40))
def test_other_secret_never_accepted(secret: str, other: str) -> None:
    clock = VirtualClock(start=1_700_000_000.0, frozen=True)
    stamp = clock.now_ms()
    headers = {"timestamp": str(stamp), "sign": sign(stamp, other)}
    if other == secret:
        assert _verifier(clock, secret).verify(headers) == stamp
    else:
        with pytest.raises(CallbackRejected):
            _verifier(clock, secret).verify(headers)


def test_callback_body_parsed() -> None:
    body = {
        "msgtype": "text",
        "text": {"content": " 长表啥时候登记 "},
        "conversationType": "2",
        "senderStaffId": "u1",
        "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=s",
        "sessionWebhookExpiredTime": 5,
        "createAt": 1,
    }
    callback = RobotCallback.from_json(body)
    assert callback.content == "长表啥时候登记"
    assert callback.is_group is True
    with pytest.raises(ValueError, match=r"text\.content"):
        RobotCallback.from_json({"msgtype": "text"})


# The robot against the fake.


def _user(fake: FakeDingTalk, name: str, mobile: str) -> User:
    return fake.default_corp.ext(ContactsState).create_user(
        name=name, mobile=mobile, dept_id_list=[1]
    )


@pytest.fixture
def people(dingtalk_fake: FakeDingTalk) -> tuple[User, User]:
    return _user(dingtalk_fake, "普查员甲", "13800000001"), _user(
        dingtalk_fake, "业务组李", "13800000002"
    )


def _bot(client: DingTalk, fake: FakeDingTalk, duty: User, log: Path, **options: object) -> FaqBot:
    return FaqBot(
        client,
        app_secret=fake.default_app.app_secret,
        duty_userids=[duty.userid],
        robot=ROBOT,
        handover_log=log,
        clock=fake.clock,
        http=httpx.Client(transport=fake.transport()),
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def served(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: tuple[User, User], tmp_path: Path
) -> Iterator[tuple[FaqBot, Conversation]]:
    bot = _bot(dingtalk, dingtalk_fake, people[1], tmp_path / "handover.jsonl")
    with FaqBotServer(bot) as server, Conversation(dingtalk_fake, server.callback_url) as chat:
        yield bot, chat
    bot.close()


def test_question_answered_through_session(
    served: tuple[FaqBot, Conversation], people: tuple[User, User]
) -> None:
    bot, chat = served
    outcome = chat.ask(people[0].userid, KNOWN_QUESTION)
    expected = ROBOT.route(KNOWN_QUESTION)
    assert outcome.status == 200
    assert [reply.text for reply in outcome.session.replies] == [format_reply(expected)]
    assert bot.turns[0].outcome == "answered"
    assert bot.turns[0].channel == "session"


def test_forged_callback_gets_403(
    served: tuple[FaqBot, Conversation], people: tuple[User, User], caplog: pytest.LogCaptureFixture
) -> None:
    bot, chat = served
    with caplog.at_level(logging.WARNING, logger="censusdt.faqbot"):
        outcome = chat.ask(people[0].userid, KNOWN_QUESTION, secret="forged")
    assert outcome.status == 403
    assert outcome.session.replies == []
    assert bot.turns == []
    assert "rejected robot callback" in caplog.text


def test_stale_callback_gets_403(
    served: tuple[FaqBot, Conversation], people: tuple[User, User], dingtalk_fake: FakeDingTalk
) -> None:
    bot, chat = served
    stale = dingtalk_fake.clock.now_ms() - SIGNATURE_WINDOW_MS - 1000
    outcome = chat.ask(people[0].userid, KNOWN_QUESTION, timestamp_ms=stale)
    assert outcome.status == 403
    assert bot.rejected == 1


def test_group_reply_mentions_sender(
    served: tuple[FaqBot, Conversation], people: tuple[User, User]
) -> None:
    _, chat = served
    outcome = chat.ask(people[0].userid, KNOWN_QUESTION, group_title="东城村普查群")
    (reply,) = outcome.session.replies
    assert reply.body["at"]["atUserIds"] == [people[0].userid]


def test_code_lookup_lists_candidates(
    served: tuple[FaqBot, Conversation], people: tuple[User, User]
) -> None:
    bot, chat = served
    outcome = chat.ask(people[0].userid, CODE_QUESTION)
    expected = ROBOT.route(CODE_QUESTION)
    assert isinstance(expected, CodeLookupResult)
    (reply,) = outcome.session.replies
    assert expected.industry[0].code in reply.text
    assert bot.turns[0].outcome == "codes"
    assert bot.turns[0].codes[0].startswith(expected.industry[0].code)


def test_handover_dings_duty_and_logs(
    served: tuple[FaqBot, Conversation],
    people: tuple[User, User],
    dingtalk_fake: FakeDingTalk,
    tmp_path: Path,
) -> None:
    bot, chat = served
    asker, duty = people
    outcome = chat.ask(asker.userid, UNKNOWN_QUESTION)

    (reply,) = outcome.session.replies
    assert reply.text == format_reply(ROBOT.route(UNKNOWN_QUESTION))
    (ding,) = dingtalk_fake.default_corp.ext(RobotState).dings.values()
    assert list(ding.deliveries) == [duty.userid]
    assert UNKNOWN_QUESTION in ding.content
    (record,) = [
        json.loads(line) for line in (tmp_path / "handover.jsonl").read_text("utf-8").splitlines()
    ]
    assert record["question"] == UNKNOWN_QUESTION
    assert record["senderUserid"] == asker.userid
    assert record["notified"] == [duty.userid]
    assert bot.turns[0].outcome == "handed_over"


def test_handover_by_robot_message(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: tuple[User, User], tmp_path: Path
) -> None:
    asker, duty = people
    bot = _bot(dingtalk, dingtalk_fake, duty, tmp_path / "h.jsonl", handover_by="robot")
    with FaqBotServer(bot) as server, Conversation(dingtalk_fake, server.callback_url) as chat:
        chat.ask(asker.userid, UNKNOWN_QUESTION)
    bot.close()
    messages = list(dingtalk_fake.default_corp.ext(RobotState).messages.values())
    assert [list(message.deliveries) for message in messages] == [[duty.userid]]
    assert UNKNOWN_QUESTION in json.loads(messages[0].msg_param)["content"]
    assert dingtalk_fake.default_corp.ext(RobotState).dings == {}


def test_expired_session_falls_back_to_robot(
    served: tuple[FaqBot, Conversation],
    people: tuple[User, User],
    dingtalk_fake: FakeDingTalk,
) -> None:
    bot, chat = served
    asker = people[0]
    body, session = chat.callback_body(asker, KNOWN_QUESTION)
    dingtalk_fake.clock.advance(91 * 60)
    stamp = dingtalk_fake.clock.now_ms()
    headers = {"timestamp": str(stamp), "sign": sign(stamp, dingtalk_fake.default_app.app_secret)}

    response = httpx.post(chat.robot_url, json=body, headers=headers)

    assert response.status_code == 200
    assert session.replies == []
    assert session.rejected == 0
    (message,) = dingtalk_fake.default_corp.ext(RobotState).messages.values()
    assert list(message.deliveries) == [asker.userid]
    assert json.loads(message.msg_param)["content"] == format_reply(ROBOT.route(KNOWN_QUESTION))
    assert bot.turns[0].channel == "robot"


def test_end_to_end_over_real_http(
    dingtalk_server: FakeServer,
    dingtalk_fake: FakeDingTalk,
    people: tuple[User, User],
    tmp_path: Path,
) -> None:
    """Fake server, robot endpoint and client all on 127.0.0.1 sockets, signatures checked."""
    url = dingtalk_server.url
    app = dingtalk_fake.default_app
    client = DingTalk(
        app.app_key,
        app.app_secret,
        legacy_base_url=url,
        new_base_url=url,
        clock=dingtalk_fake.clock,
    )
    bot = FaqBot(
        client,
        app_secret=app.app_secret,
        duty_userids=[people[1].userid],
        robot=ROBOT,
        handover_log=tmp_path / "h.jsonl",
        clock=dingtalk_fake.clock,
    )
    with (
        client,
        FaqBotServer(bot) as server,
        Conversation(dingtalk_fake, server.callback_url, webhook_base=url) as chat,
    ):
        answered = chat.ask(people[0].userid, KNOWN_QUESTION)
        handed = chat.ask(people[0].userid, UNKNOWN_QUESTION)
    bot.close()

    assert answered.status == 200
    assert answered.session.replies[0].text == format_reply(ROBOT.route(KNOWN_QUESTION))
    assert handed.status == 200
    assert [turn.outcome for turn in bot.turns] == ["answered", "handed_over"]
    assert bot.rejected == 0
    assert len(dingtalk_fake.calls("/v1.0/robot/ding/send")) == 1


def test_session_expired_at_dingtalk_falls_back(
    served: tuple[FaqBot, Conversation],
    people: tuple[User, User],
    dingtalk_fake: FakeDingTalk,
) -> None:
    """DingTalk's errcode 300001 wins over the expiry time the callback stated."""
    bot, chat = served
    asker = people[0]
    body, session = chat.callback_body(asker, KNOWN_QUESTION)
    dingtalk_fake.clock.advance(91 * 60)
    body["sessionWebhookExpiredTime"] = dingtalk_fake.clock.now_ms() + 60_000
    stamp = dingtalk_fake.clock.now_ms()
    headers = {"timestamp": str(stamp), "sign": sign(stamp, dingtalk_fake.default_app.app_secret)}

    response = httpx.post(chat.robot_url, json=body, headers=headers)

    assert response.status_code == 200
    assert session.replies == []
    assert session.rejected == 1
    assert bot.turns[0].channel == "robot"
    assert len(dingtalk_fake.default_corp.ext(RobotState).messages) == 1


def test_picture_gets_text_only_note(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, people: tuple[User, User], tmp_path: Path
) -> None:
    bot = _bot(dingtalk, dingtalk_fake, people[1], tmp_path / "h.jsonl")
    chat = Conversation(dingtalk_fake, "http://127.0.0.1:9/unused")
    body, session = chat.callback_body(people[0], "")
    body["msgtype"] = "picture"
    body["content"] = {"downloadCode": "code"}
    del body["text"]

    turn = bot.answer(RobotCallback.from_json(body))
    chat.close()
    bot.close()

    assert turn.outcome == "ignored"
    assert [reply.text for reply in session.replies] == [turn.reply]
    assert "文字" in turn.reply
    assert not (tmp_path / "h.jsonl").exists()


def test_repeated_callback_answered_once(
    served: tuple[FaqBot, Conversation], people: tuple[User, User], dingtalk_fake: FakeDingTalk
) -> None:
    bot, chat = served
    body, session = chat.callback_body(people[0], KNOWN_QUESTION)
    stamp = dingtalk_fake.clock.now_ms()
    headers = {"timestamp": str(stamp), "sign": sign(stamp, dingtalk_fake.default_app.app_secret)}

    statuses = [
        httpx.post(chat.robot_url, json=body, headers=headers).status_code for _ in range(2)
    ]

    assert statuses == [200, 200]
    assert len(session.replies) == 1
    assert len(bot.turns) == 1


def test_non_object_body_gets_400(
    served: tuple[FaqBot, Conversation], dingtalk_fake: FakeDingTalk
) -> None:
    bot, chat = served
    stamp = dingtalk_fake.clock.now_ms()
    headers = {"timestamp": str(stamp), "sign": sign(stamp, dingtalk_fake.default_app.app_secret)}
    response = httpx.post(chat.robot_url, json=["not", "an", "object"], headers=headers)
    assert response.status_code == 400
    assert bot.turns == []


def test_other_paths_and_methods_refused(served: tuple[FaqBot, Conversation]) -> None:
    _, chat = served
    base = chat.robot_url.rsplit("/dingtalk/robot", 1)[0]
    assert httpx.post(base + "/other", json={}).status_code == 404
    assert httpx.get(chat.robot_url).status_code == 405
