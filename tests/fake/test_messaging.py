"""The fake's work-notification rules and control plane, against a plain model and over HTTP."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from censusdt import APIError, DingTalk
from censusdt.api.messaging import OAMessage, TextMessage
from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff, add_webhook_robot, read_notice
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.messaging import (
    DAILY_CAP,
    MessagingState,
    ReadingModel,
    shanghai_day,
)

USERS = ["a", "b", "c"]
CONTENTS = ["通知一", "通知二", "通知三"]
# 2020-11-01 00:00 Asia/Shanghai is 2020-10-31 16:00 UTC.
CENSUS_DAY_MS = 1_604_160_000_000


def _contacts() -> ContactsState:
    contacts = ContactsState()
    for userid in USERS:
        contacts.create_user(
            name=userid, mobile=f"1380000000{USERS.index(userid)}", dept_id_list=[1], userid=userid
        )
    return contacts


class DeliveryMachine(RuleBasedStateMachine):
    """Random sends, reads and clock moves; outcomes follow the once-a-day and cap rules."""

    def __init__(self) -> None:
        super().__init__()
        self.contacts = _contacts()
        self.state = MessagingState()
        self.now = CENSUS_DAY_MS
        self.delivered: set[tuple[str, int, str]] = set()
        self.counts: dict[tuple[str, int], int] = {}

    @rule(
        content=st.sampled_from(CONTENTS),
        users=st.lists(st.sampled_from(USERS), min_size=1, unique=True),
    )
    def send(self, content: str, users: list[str]) -> None:
        msg = {"msgtype": "text", "text": {"content": content}}
        notice = self.state.send(
            self.contacts,
            app_key="app",
            agent_id=1,
            msg=msg,
            userids=users,
            dept_ids=[],
            to_all=False,
            now_ms=self.now,
        )
        day = shanghai_day(self.now)
        for userid in users:
            delivery = notice.deliveries[userid]
            if (userid, day, content) in self.delivered:
                assert (delivery.outcome, delivery.forbidden_code) == ("forbidden", "143106")
            elif self.counts.get((userid, day), 0) >= DAILY_CAP:
                assert (delivery.outcome, delivery.forbidden_code) == ("forbidden", "143105")
            else:
                assert delivery.outcome == "delivered"
                self.delivered.add((userid, day, content))
                self.counts[(userid, day)] = self.counts.get((userid, day), 0) + 1

    @rule(hours=st.integers(min_value=1, max_value=30))
    def advance(self, hours: int) -> None:
        self.now += hours * 3600 * 1000

    @rule(userid=st.sampled_from(USERS))
    def read_everything(self, userid: str) -> None:
        self.state.read(userid, None, self.now)

    @invariant()
    def read_only_what_was_delivered(self) -> None:
        for notice in self.state.notices.values():
            result = notice.result(self.now)
            read = set(result["read_user_id_list"])
            assert not read & set(result["forbidden_user_id_list"])
            assert read | set(result["unread_user_id_list"]) == {
                userid
                for userid, delivery in notice.deliveries.items()
                if delivery.outcome == "delivered"
            }


TestDeliveryMachine = DeliveryMachine.TestCase
TestDeliveryMachine.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


def test_duplicate_rule_resets_at_shanghai_midnight() -> None:
    contacts = _contacts()
    state = MessagingState()
    msg = {"msgtype": "text", "text": {"content": "同一条"}}
    before_midnight = CENSUS_DAY_MS - 1
    first = state.send(
        contacts,
        app_key="k",
        agent_id=1,
        msg=msg,
        userids=["a"],
        dept_ids=[],
        to_all=False,
        now_ms=before_midnight,
    )
    second = state.send(
        contacts,
        app_key="k",
        agent_id=1,
        msg=msg,
        userids=["a"],
        dept_ids=[],
        to_all=False,
        now_ms=CENSUS_DAY_MS,
    )
    assert first.deliveries["a"].outcome == "delivered"
    assert second.deliveries["a"].outcome == "delivered"


def test_reading_model_is_repeatable() -> None:
    model_a, model_b = ReadingModel(0.5, 600, seed=9), ReadingModel(0.5, 600, seed=9)
    assert [model_a.read_time(0) for _ in range(50)] == [model_b.read_time(0) for _ in range(50)]
    assert [ReadingModel(1.0, 0).read_time(7) for _ in range(3)] == [7, 7, 7]
    assert ReadingModel(0.0, 600).read_time(7) is None
    with pytest.raises(ValueError, match="share"):
        ReadingModel(1.5, 600)


@pytest.fixture
def staff(dingtalk_fake: FakeDingTalk) -> list[str]:
    town = dingtalk_fake.default_corp.ext(ContactsState).create_department("洛城街道", 1)
    userids = [f"w{number}" for number in range(5100)]
    for userid in userids:
        add_staff(dingtalk_fake, userid, userid, [town.dept_id])
    return userids


def test_per_minute_recipients_filtered(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    task_ids = [
        dingtalk.messaging.send(agent_id, TextMessage("全员"), userids=staff[start : start + 100])
        for start in range(0, 5100, 100)
    ]
    last = dingtalk.messaging.get_result(agent_id, task_ids[-1])
    assert {entry.code for entry in last.forbidden} == {"143103"}
    assert len(last.forbidden) == 100
    assert dingtalk.messaging.get_result(agent_id, task_ids[-2]).unread == tuple(staff[4900:5000])


def test_status_bar_over_5_recipients(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, staff: list[str]
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    task_id = dingtalk.messaging.send(
        agent_id, OAMessage("https://a", "人普办", "审批"), userids=staff[:6]
    )
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.update_status_bar(agent_id, task_id, "已办")
    assert caught.value.code == "41052"
    assert caught.value.message == "接收人数过多或消息未发送完成，不能更新状态栏"


def test_ding_rate_limit(dingtalk: DingTalk, staff: list[str]) -> None:
    for start in range(0, 5800, 200):
        dingtalk.robot.send_ding(staff[start % 5000 : start % 5000 + 200], "DING")
    with pytest.raises(APIError) as caught:
        dingtalk.robot.send_ding(staff[:200], "DING")
    assert caught.value.code == "toomuch.msg"
    assert caught.value.message == "发送DING消息过于频繁"


def test_control_routes_over_http(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    town = dingtalk_fake.default_corp.ext(ContactsState).create_department("侯镇", 1)
    add_staff(dingtalk_fake, "h1", "侯一", [town.dept_id])
    add_staff(dingtalk_fake, "h2", "侯二", [town.dept_id])
    agent_id = dingtalk_fake.default_app.agent_id
    with dingtalk_fake.serve() as server, httpx.Client(base_url=server.url) as http:
        reply = http.post(
            "/__fake__/messaging/reading-model", json={"share": 0.0, "mean_delay_seconds": 0}
        )
        assert reply.json() == {"reading_model": {"share": 0.0}}
        task_id = dingtalk.messaging.send(agent_id, TextMessage("控制面"), userids=["h1", "h2"])
        assert http.post(
            "/__fake__/messaging/read", json={"userid": "h2", "task_id": task_id}
        ).json() == {"read_task_ids": [task_id]}
        record = http.get(f"/__fake__/messaging/notices/{task_id}").json()
        assert record["read_user_id_list"] == ["h2"]
        assert record["unread_user_id_list"] == ["h1"]
        assert http.post("/__fake__/messaging/unreachable", json={"userids": ["h1"]}).json() == {
            "unreachable": ["h1"]
        }
        token = http.post("/__fake__/webhook/robots", json={"keywords": ["普查"]}).json()[
            "access_token"
        ]
        sent = http.post(
            f"/robot/send?access_token={token}",
            json={"msgtype": "text", "text": {"content": "普查"}},
        )
        assert sent.json()["errcode"] == 0
        assert http.get(f"/__fake__/webhook/robots/{token}/messages").json()["messages"] == [
            {"msgtype": "text", "text": {"content": "普查"}}
        ]
    assert read_notice(dingtalk_fake, "h2", task_id) == []
    assert add_webhook_robot(dingtalk_fake).access_token != token


def test_all_staff_sends_limited_to_3_a_day(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    town = dingtalk_fake.default_corp.ext(ContactsState).create_department("羊口镇", 1)
    add_staff(dingtalk_fake, "y1", "羊一", [town.dept_id])
    agent_id = dingtalk_fake.default_app.agent_id
    for number in range(3):
        task_id = dingtalk.messaging.send(agent_id, TextMessage(f"全员{number}"), to_all=True)
        assert dingtalk.messaging.get_result(agent_id, task_id).unread == ("y1",)
    with pytest.raises(APIError) as caught:
        dingtalk.messaging.send(agent_id, TextMessage("第四次"), to_all=True)
    assert caught.value.code == "41045"
    assert caught.value.message == "发送全员消息超过每天3次的限制"
