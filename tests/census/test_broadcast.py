"""Broadcasts against the fake: per-person receipts, silent-filter traps, saving, expiry, reminders."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from censusdt import AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.messaging import MarkdownMessage, TextMessage
from censusdt.api.robot import RemindType
from censusdt.census.audience import ContactsSnapshot, Dept, People, Tag
from censusdt.census.broadcast import (
    AsyncBroadcast,
    Broadcast,
    NoticeTrapError,
    NoticeTrapWarning,
    async_send_notice,
    send_notice,
)
from censusdt.census.notices import NoticeState, SendLog, content_digest
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.messaging import (
    add_staff,
    notice_record,
    read_notice,
    set_reading_model,
    set_unreachable,
)
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.robot import RobotState

TOWNS = ["圣城街道", "古城街道", "文家街道"]
TAGS = ["普查员", "普查指导员"]

_STATE_KEYS = {
    NoticeState.READ: "read_user_id_list",
    NoticeState.UNREAD: "unread_user_id_list",
    NoticeState.FAILED: "failed_user_id_list",
    NoticeState.INVALID: "invalid_user_id_list",
    NoticeState.FORBIDDEN: "forbidden_user_id_list",
}


def seed_county(fake: FakeDingTalk, per_village: int = 6, inactive: int = 2) -> None:
    """Three towns with two villages each; each village has one supervisor and enumerators."""
    contacts = fake.default_corp.ext(ContactsState)
    number = 0
    for town_name in TOWNS:
        town = contacts.create_department(town_name, 1)
        for village_number in range(2):
            village = contacts.create_department(f"{town_name[:2]}{village_number}村", town.dept_id)
            for position in range(per_village):
                tag = "普查指导员" if position == 0 else "普查员"
                add_staff(
                    fake,
                    f"p{number}",
                    f"员工{number}",
                    [village.dept_id],
                    roles=[tag],
                    active=number >= inactive,
                )
                number += 1


def _client(fake: FakeDingTalk) -> DingTalk:
    app = fake.default_app
    return DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    )


@pytest.fixture
def county(dingtalk_fake: FakeDingTalk) -> ContactsSnapshot:
    seed_county(dingtalk_fake)
    return ContactsSnapshot.from_fake(dingtalk_fake)


def _assert_matches_fake(
    fake: FakeDingTalk, broadcast: Broadcast | AsyncBroadcast, status: Any
) -> None:
    """Every person's reported state equals the fake's own record of their task."""
    by_user = {person.userid: person for person in status.people}
    assert sorted(by_user) == sorted(broadcast.userids)
    for task_id in broadcast.task_ids:
        record = notice_record(fake, task_id)
        for state, key in _STATE_KEYS.items():
            for userid in record[key]:
                assert by_user[userid].state is state, (userid, state)
        for entry in record["forbidden_list"]:
            assert by_user[entry["userid"]].code == entry["code"]


@st.composite
def audiences(draw: st.DrawFn) -> Any:
    leaves = [Tag(tag) for tag in TAGS] + [Dept(town) for town in TOWNS]
    leaves += [Dept(f"{town[:2]}{n}村", include_sub=False) for town in TOWNS for n in range(2)]
    audience = draw(st.sampled_from(leaves))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        other = draw(st.sampled_from(leaves))
        operator = draw(st.sampled_from(["|", "&", "-"]))
        audience = (
            audience | other
            if operator == "|"
            else audience & other
            if operator == "&"
            else audience - other
        )
    return audience


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    audience=audiences(),
    share=st.floats(0.0, 1.0),
    seed=st.integers(0, 1000),
    pre_sent=st.sets(st.integers(0, 119), max_size=15),
    unreachable=st.sets(st.integers(0, 119), max_size=15),
)
def test_status_exact_against_fake_record(
    audience: Any, share: float, seed: int, pre_sent: set[int], unreachable: set[int]
) -> None:
    fake = FakeDingTalk(clock=VirtualClock(start=1_600_000_000, frozen=True))
    seed_county(fake, per_village=20)
    set_reading_model(fake, share, mean_delay_seconds=1800, seed=seed)
    set_unreachable(fake, [f"p{n}" for n in unreachable])
    snapshot = ContactsSnapshot.from_fake(fake)
    expected = audience.userids(snapshot)
    agent_id = fake.default_app.agent_id
    with _client(fake) as client:
        if not expected:
            with pytest.raises(ValidationError):
                send_notice(
                    client, audience, TextMessage("t"), agent_id=agent_id, snapshot=snapshot
                )
            return
        # Someone else already sent the same text to some people today: DingTalk filters them.
        earlier = [f"p{n}" for n in sorted(pre_sent)]
        if earlier:
            client.messaging.send(agent_id, TextMessage("请完成摸底"), userids=earlier)
        broadcast = send_notice(
            client, audience, TextMessage("请完成摸底"), agent_id=agent_id, snapshot=snapshot
        )
        fake.clock.advance(3600)
        status = broadcast.status()
    assert broadcast.userids == expected
    assert all(len(part.userids) <= 100 for part in broadcast.parts)
    _assert_matches_fake(fake, broadcast, status)
    delivered = set(status.userids(NoticeState.READ) + status.userids(NoticeState.UNREAD))
    active_pre_sent = {
        u for u in earlier if snapshot.users[u].active and u not in {f"p{n}" for n in unreachable}
    }
    assert not delivered & active_pre_sent


def test_duplicate_trap_warned_and_reported(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot, tmp_path: Path
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    log = tmp_path / "sent.json"
    send_notice(
        dingtalk,
        Dept("圣城街道"),
        TextMessage("入户登记开始"),
        agent_id=agent_id,
        snapshot=county,
        send_log=log,
    )

    with pytest.warns(NoticeTrapWarning) as caught:
        second = send_notice(
            dingtalk,
            Tag("普查指导员"),
            TextMessage("入户登记开始"),
            agent_id=agent_id,
            snapshot=county,
            send_log=log,
        )
    town_supervisors = (Tag("普查指导员") & Dept("圣城街道")).userids(county)
    active = [u for u in town_supervisors if county.users[u].active is not False]
    names = [county.users[u].name for u in active]
    assert all(name in str(caught[0].message) for name in names)

    status = second.status()
    forbidden = status.by_state(NoticeState.FORBIDDEN)
    assert sorted(p.userid for p in forbidden) == sorted(active)
    assert {p.code for p in forbidden} == {"143106"}
    assert all("重复" in (p.reason or "") for p in forbidden)
    # Filtered people are never shown as delivered.
    delivered = set(status.userids(NoticeState.READ) + status.userids(NoticeState.UNREAD))
    assert not delivered & set(active)


def test_duplicate_trap_skip_and_error(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot, tmp_path: Path
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    log = tmp_path / "sent.json"
    first = send_notice(
        dingtalk,
        People("p3"),
        TextMessage("同一通知"),
        agent_id=agent_id,
        snapshot=county,
        send_log=log,
    )
    calls_before = len(dingtalk_fake.calls("/topapi/message/corpconversation/asyncsend_v2"))
    with pytest.raises(NoticeTrapError, match="员工3"):
        send_notice(
            dingtalk,
            People("p3", "p4"),
            TextMessage("同一通知"),
            agent_id=agent_id,
            snapshot=county,
            send_log=log,
            on_trap="error",
        )
    assert len(dingtalk_fake.calls("/topapi/message/corpconversation/asyncsend_v2")) == calls_before

    skipped = send_notice(
        dingtalk,
        People("p3", "p4"),
        TextMessage("同一通知"),
        agent_id=agent_id,
        snapshot=county,
        send_log=log,
        on_trap="skip",
    )
    status = skipped.status()
    assert status.userids(NoticeState.NOT_SENT) == ["p3"]
    assert status.userids(NoticeState.UNREAD) == ["p4"]
    assert first.status().userids(NoticeState.UNREAD) == ["p3"]


def test_duplicate_from_elsewhere_reported_without_log(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    # Another program sent the same content earlier, so no local log has it, yet DingTalk still filters.
    dingtalk.messaging.send(agent_id, TextMessage("统一口径"), userids=["p5"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        broadcast = send_notice(
            dingtalk,
            People("p5", "p6"),
            TextMessage("统一口径"),
            agent_id=agent_id,
            snapshot=county,
        )
    status = broadcast.status()
    assert [(p.userid, p.code) for p in status.by_state(NoticeState.FORBIDDEN)] == [
        ("p5", "143106")
    ]
    assert status.userids(NoticeState.UNREAD) == ["p6"]


def test_daily_cap_trap(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot, tmp_path: Path
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    for number in range(500):
        dingtalk.messaging.send(agent_id, TextMessage(f"第{number}条"), userids=["p7"])
    broadcast = send_notice(
        dingtalk,
        People("p7", "p8"),
        MarkdownMessage("新通知", "内容"),
        agent_id=agent_id,
        snapshot=county,
    )
    status = broadcast.status()
    [capped] = status.by_state(NoticeState.FORBIDDEN)
    assert (capped.userid, capped.code) == ("p7", "143105")
    assert "500" in (capped.reason or "")

    # A local log that saw 500 sends today predicts the cap before sending.
    log = SendLog.open(tmp_path / "log.json")
    now = dingtalk_fake.clock.time()
    for number in range(500):
        log.record(dingtalk.app_key, ["p9"], content_digest({"n": number}), now)
    traps = log.traps(dingtalk.app_key, ["p9", "p10"], content_digest({"n": "new"}), now)
    assert [(trap.code, trap.userids) for trap in traps] == [("143105", ("p9",))]


def test_inactive_reported_invalid(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk,
        People("p0", "p1", "p2"),
        TextMessage("激活提醒"),
        agent_id=agent_id,
        snapshot=county,
    )
    status = broadcast.status()
    assert status.userids(NoticeState.INVALID) == ["p0", "p1"]
    assert status.userids(NoticeState.UNREAD) == ["p2"]


def test_saved_handle_reloads_same_status(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot, tmp_path: Path
) -> None:
    set_reading_model(dingtalk_fake, 0.5, mean_delay_seconds=600, seed=7)
    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk, Tag("普查员"), TextMessage("保存测试"), agent_id=agent_id, snapshot=county
    )
    dingtalk_fake.clock.advance(1800)
    path = broadcast.save(tmp_path / "notice.json")
    before = broadcast.status()

    with _client(dingtalk_fake) as other:
        reloaded = Broadcast.load(path, other)
        after = reloaded.status()
    assert after.people == before.people
    assert reloaded.parts == broadcast.parts


def test_status_after_24_hours_says_expired(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot, tmp_path: Path
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk, Dept("古城街道"), TextMessage("过期测试"), agent_id=agent_id, snapshot=county
    )
    broadcast.save(tmp_path / "n.json")
    dingtalk_fake.clock.advance(24 * 3600 + 60)
    status = Broadcast.load(tmp_path / "n.json", dingtalk).status()
    assert status.expired
    assert {p.state for p in status.people} == {NoticeState.EXPIRED}
    assert "超过24小时" in status.summary()
    assert "24 hours" in status.summary("en")
    with pytest.raises(ValueError, match="expired"):
        broadcast.remind()


def test_remind_by_ding_reaches_exactly_unread(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk, Tag("普查员"), TextMessage("请阅读"), agent_id=agent_id, snapshot=county
    )
    readers = broadcast.userids[2:10]
    for userid in readers:
        read_notice(dingtalk_fake, userid)
    unread = broadcast.status().userids(NoticeState.UNREAD)

    reminder = broadcast.remind(by="ding", remind_type=RemindType.SMS)
    assert list(reminder.userids) == unread
    dings = dingtalk_fake.default_corp.ext(RobotState).dings
    reached = [userid for ding_id in reminder.ids for userid in dings[ding_id].deliveries]
    assert sorted(reached) == sorted(unread)
    # SMS DINGs take at most 20 receivers each.
    assert all(len(dings[ding_id].deliveries) <= 20 for ding_id in reminder.ids)
    assert all(dings[ding_id].remind_type == 2 for ding_id in reminder.ids)


def test_remind_by_notice_avoids_duplicate_rule(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk, Dept("文家街道"), TextMessage("请阅读"), agent_id=agent_id, snapshot=county
    )
    read_notice(dingtalk_fake, broadcast.userids[0])
    unread = broadcast.status().userids(NoticeState.UNREAD)
    first = broadcast.remind(by="notice")
    second = broadcast.remind(by="notice")
    for reminder in (first, second):
        records = [notice_record(dingtalk_fake, int(task_id)) for task_id in reminder.ids]
        assert sorted(u for r in records for u in r["unread_user_id_list"]) == sorted(unread)
        assert all(r["forbidden_list"] == [] for r in records)


def test_pacing_keeps_5000_recipients_a_minute(dingtalk_fake: FakeDingTalk) -> None:
    contacts = dingtalk_fake.default_corp.ext(ContactsState)
    town = contacts.create_department("洛城街道", 1)
    for number in range(5150):
        add_staff(dingtalk_fake, f"m{number}", f"员工{number}", [town.dept_id], roles=["普查员"])
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    started = dingtalk_fake.clock.time()
    with _client(dingtalk_fake) as client:
        broadcast = send_notice(
            client,
            Tag("普查员"),
            TextMessage("全员"),
            agent_id=dingtalk_fake.default_app.agent_id,
            snapshot=snapshot,
        )
        status = broadcast.status()
    assert len(broadcast.parts) == 52
    assert dingtalk_fake.clock.time() - started >= 60
    assert status.counts()[NoticeState.UNREAD] == 5150


def test_status_exports(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk, People("p1", "p2"), TextMessage("导出"), agent_id=agent_id, snapshot=county
    )
    status = broadcast.status()
    path = status.to_xlsx(tmp_path / "status.xlsx")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("userid", "姓名", "状态", "代码", "原因")
    assert [row[:3] for row in rows[1:]] == [("p1", "员工1", "无效用户"), ("p2", "员工2", "未读")]


def test_status_dataframe(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    pytest.importorskip("pandas", reason="pandas is optional (the bench extra installs it)")
    agent_id = dingtalk_fake.default_app.agent_id
    broadcast = send_notice(
        dingtalk, People("p1", "p2"), TextMessage("导出"), agent_id=agent_id, snapshot=county
    )

    frame = broadcast.status().to_dataframe(lang="en")

    assert list(frame["status"]) == ["invalid user", "unread"]


def test_async_broadcast_flow(
    async_dingtalk: AsyncDingTalk,
    dingtalk_fake: FakeDingTalk,
    county: ContactsSnapshot,
    tmp_path: Path,
) -> None:
    set_reading_model(dingtalk_fake, 0.7, mean_delay_seconds=300, seed=2)
    agent_id = dingtalk_fake.default_app.agent_id

    async def scenario() -> None:
        broadcast = await async_send_notice(
            async_dingtalk,
            Tag("普查指导员") | Dept("圣城街道"),
            TextMessage("异步通知"),
            agent_id=agent_id,
            snapshot=county,
        )
        dingtalk_fake.clock.advance(3600)
        status = await broadcast.status()
        _assert_matches_fake(dingtalk_fake, broadcast, status)
        broadcast.save(tmp_path / "a.json")
        again = await AsyncBroadcast.load(tmp_path / "a.json", async_dingtalk).status()
        assert again.people == status.people
        reminder = await broadcast.remind()
        assert list(reminder.userids) == status.userids(NoticeState.UNREAD)

    asyncio.run(scenario())


def test_town_groups_and_group_read_status(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    from censusdt.census.broadcast import create_town_groups, send_group_notice
    from censusdt_fake.messaging import read_robot_message
    from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID

    groups = create_town_groups(dingtalk, county, TOWNS[:2], template_id=DEFAULT_TEMPLATE_ID)
    assert [group.town for group in groups] == TOWNS[:2]
    for group in groups:
        expected = ((Tag("普查员") | Tag("普查指导员")) & Dept(group.town)).userids(county)
        assert sorted(group.members) == sorted(expected)
    again = create_town_groups(dingtalk, county, TOWNS[:2], template_id=DEFAULT_TEMPLATE_ID)
    assert again == groups

    notice = send_group_notice(dingtalk, groups, MarkdownMessage("例会", "今晚八点"))
    first_key = notice.sent[0][1]
    # p0 and p1 have not activated DingTalk, so they cannot read; p2 can.
    assert read_robot_message(dingtalk_fake, "p1", first_key) == []
    read_robot_message(dingtalk_fake, "p2", first_key)
    receipts = notice.status()
    assert receipts[0].read == ("p2",)
    assert "p1" in receipts[0].unread
    assert len(receipts[0].unread) == len(groups[0].members) - 1
    assert receipts[1].read == ()


def test_town_groups_reject_unknown_town_before_creating(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    from censusdt.census.broadcast import create_town_groups
    from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID

    with pytest.raises(ValidationError, match="不存在街道"):
        create_town_groups(
            dingtalk, county, [TOWNS[0], "不存在街道"], template_id=DEFAULT_TEMPLATE_ID
        )
    assert dingtalk_fake.calls("/v1.0/im/sceneGroup/create") == []


def test_rehearsal_notices_stage(tmp_path: Path) -> None:
    from rich.console import Console

    from censusdt.census.rehearsal import Rehearsal
    from censusdt.census.stages.notices import run_notices_stage

    fake = FakeDingTalk(clock=VirtualClock(start=1_600_000_000, frozen=True))
    contacts = fake.default_corp.ext(ContactsState)
    county_dept = contacts.create_department("寿光市", 1)
    number = 0
    for town_name in TOWNS:
        town = contacts.create_department(town_name, county_dept.dept_id)
        village = contacts.create_department(f"{town_name[:2]}村", town.dept_id)
        for position in range(8):
            tag = "普查指导员" if position < 2 else "普查员"
            add_staff(fake, f"r{number}", f"员工{number}", [village.dept_id], roles=[tag])
            number += 1
    console = Console(record=True, width=120)
    app = fake.default_app
    with _client(fake) as client:
        rehearsal = Rehearsal(
            fake=fake,
            client=client,
            async_client=lambda: AsyncDingTalk(
                app.app_key, app.app_secret, transport=fake.transport()
            ),
            county_code="370783",
            seed=5,
            workdir=tmp_path,
            console=console,
            real_limits=False,
        )
        run_notices_stage(rehearsal)
    output = console.export_text()
    assert "各镇街已读情况" in output
    result = rehearsal.results["notices"]
    unread = result["status"].userids(NoticeState.UNREAD)
    assert list(result["reminder"].userids) == unread
    # Supervisors of the three towns and every enumerator: everyone seeded here.
    assert sorted(result["broadcast"].userids) == sorted(f"r{n}" for n in range(number))
    assert (tmp_path / "notice.json").exists()


@pytest.mark.dingtalk_faults(
    {
        "kind": "timeout",
        "path": "/topapi/message/corpconversation/asyncsend_v2",
        "once": True,
        "after": True,
    }
)
def test_lost_reply_keeps_other_parts(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    town = dingtalk_fake.default_corp.ext(ContactsState).create_department("台头镇", 1)
    for number in range(150):
        add_staff(dingtalk_fake, f"q{number}", f"员工{number}", [town.dept_id], roles=["普查员"])
    snapshot = ContactsSnapshot.from_fake(dingtalk_fake)
    broadcast = send_notice(
        dingtalk,
        Tag("普查员"),
        TextMessage("超时"),
        agent_id=dingtalk_fake.default_app.agent_id,
        snapshot=snapshot,
    )
    status = broadcast.status()
    unknown = status.by_state(NoticeState.NOT_SENT)
    assert [p.userid for p in unknown] == [f"q{n}" for n in range(100)]
    assert {p.code for p in unknown} == {"transport"}
    assert all("可能已到达钉钉" in (p.reason or "") for p in unknown)
    assert status.userids(NoticeState.UNREAD) == [f"q{n}" for n in range(100, 150)]


def test_async_status_after_24_hours_expired(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk, county: ContactsSnapshot
) -> None:
    agent_id = dingtalk_fake.default_app.agent_id

    async def scenario() -> Any:
        broadcast = await async_send_notice(
            async_dingtalk,
            Dept("文家街道"),
            TextMessage("异步过期"),
            agent_id=agent_id,
            snapshot=county,
        )
        dingtalk_fake.clock.advance(24 * 3600 + 60)
        return await broadcast.status()

    status = asyncio.run(scenario())
    assert status.expired
    assert {person.state for person in status.people} == {NoticeState.EXPIRED}
