"""Tests for the milestone calendar on DingTalk: publish, subscribe, agenda, iCalendar export."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt import AsyncDingTalk, DingTalk, ValidationError
from censusdt.census._async.milestones import publish_milestones as async_publish
from censusdt.census._sync.milestones import (
    calendar_events,
    export_ics,
    publish_milestones,
)
from censusdt.census.calendar import Milestone, agenda, from_ics, load_census7_milestones
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.models.calendar import CalendarState
from censusdt_fake.models.contacts import ContactsState, User


def _users(fake: FakeDingTalk, count: int) -> list[User]:
    state = fake.default_corp.ext(ContactsState)
    return [
        state.create_user(name=f"职员{index}", mobile=f"1350000{index:04d}", dept_id_list=[1])
        for index in range(count)
    ]


def test_publish_subscribes_staff_and_holds_every_milestone(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    author, *staff = _users(dingtalk_fake, 4)
    deadline = Milestone("寿光市摸底表上报截止", date(2020, 10, 28), key="shouguang-listing")

    published = publish_milestones(
        dingtalk, author.userid, [user.userid for user in staff], office_deadlines=[deadline]
    )

    expected = [*load_census7_milestones(), deadline]
    assert len(published.event_ids) == len(expected)
    calendar = dingtalk_fake.default_corp.ext(CalendarState).calendars[published.calendar_id]
    assert calendar.subscribers == {user.unionid for user in staff}
    seen = calendar_events(dingtalk, staff[0].userid, calendar_id=published.calendar_id)
    assert sorted(event.title for event in seen) == sorted(item.title for item in expected)


def test_month_view_shows_enumeration(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    author, worker = _users(dingtalk_fake, 2)
    published = publish_milestones(dingtalk, author.userid, [worker.userid])

    events = calendar_events(dingtalk, worker.userid, calendar_id=published.calendar_id)
    month = agenda(events, "month", date(2020, 11, 1))

    titles = {entry.event.title for entry in month.entries_on(date(2020, 11, 15))}
    assert "入户登记" in titles
    assert "2020年11月" in month.to_text()


def test_over_100_milestones_rejected(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (author,) = _users(dingtalk_fake, 1)
    many = [
        Milestone(f"节点{index}", date(2020, 1, 1) + timedelta(days=index)) for index in range(101)
    ]

    with pytest.raises(ValidationError):
        publish_milestones(dingtalk, author.userid, [], milestones=many)


_day = st.dates(min_value=date(2019, 1, 1), max_value=date(2021, 12, 31))


@st.composite
def _milestones(draw: st.DrawFn) -> list[Milestone]:
    count = draw(st.integers(min_value=1, max_value=8))
    found = []
    for index in range(count):
        start = draw(_day)
        title = draw(st.text(alphabet="普查员登记摸底截止会议表", min_size=1, max_size=12))
        if draw(st.booleans()):
            end = start + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
            found.append(Milestone(title, start, end, key=f"m{index}"))
        else:
            moment = datetime.combine(start, datetime.min.time(), SHANGHAI) + timedelta(
                minutes=draw(st.integers(min_value=0, max_value=24 * 60 - 1))
            )
            found.append(Milestone(title, moment, key=f"m{index}"))
    return found


@given(milestones=_milestones())
def test_ics_export_parses_back_to_the_same_events(milestones: list[Milestone]) -> None:
    fake = FakeDingTalk(clock=VirtualClock(start=time.time(), frozen=True))
    app = fake.default_app
    author, worker = _users(fake, 2)

    with DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    ) as client:
        published = publish_milestones(
            client, author.userid, [worker.userid], milestones=milestones
        )
        events = calendar_events(client, worker.userid, calendar_id=published.calendar_id)
        data = export_ics(client, worker.userid, calendar_id=published.calendar_id, name="测试")

    parsed = from_ics(data)

    assert sorted(parsed, key=lambda event: event.uid) == sorted(
        events, key=lambda event: event.uid
    )
    assert sorted((event.title, event.start.isoformat()) for event in parsed) == sorted(
        (item.title, item.to_event().start.isoformat()) for item in milestones
    )


@pytest.mark.anyio
async def test_async_publish(async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk) -> None:
    author, worker = _users(dingtalk_fake, 2)

    published = await async_publish(
        async_dingtalk, author.userid, [worker.userid], corp_id=dingtalk_fake.default_corp.corp_id
    )

    calendars = await async_dingtalk.calendar.calendars(worker.unionid)
    assert published.calendar_id in {item.id for item in calendars}
