"""Tests for scheduling meetings for an audience and reading each person's response."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from censusdt import AsyncDingTalk, DingTalk
from censusdt.api.calendar import MAX_ATTENDEES_PER_CALL
from censusdt.census._async.meetings import schedule as async_schedule
from censusdt.census._sync.meetings import Meeting, schedule
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.calendar import CalendarState
from censusdt_fake.models.contacts import ContactsState, User

ADD_PATH = "/v1.0/calendar/users/{userId}/calendars/{calendarId}/events/{eventId}/attendees"


def _users(fake: FakeDingTalk, count: int) -> list[User]:
    state = fake.default_corp.ext(ContactsState)
    return [
        state.create_user(name=f"人员{index}", mobile=f"1360000{index:04d}", dept_id_list=[1])
        for index in range(count)
    ]


def _start(fake: FakeDingTalk) -> datetime:
    return datetime.fromtimestamp(int(fake.clock.time()), SHANGHAI) + timedelta(days=1)


@pytest.mark.parametrize(
    ("audience_size", "add_calls"),
    [
        (MAX_ATTENDEES_PER_CALL, 0),
        (MAX_ATTENDEES_PER_CALL + 1, 1),
        (2 * MAX_ATTENDEES_PER_CALL + 1, 2),
    ],
)
def test_attendees_split_at_the_limit(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, audience_size: int, add_calls: int
) -> None:
    organizer, *staff = _users(dingtalk_fake, audience_size + 1)
    start = _start(dingtalk_fake)

    meeting = schedule(
        dingtalk,
        organizer.userid,
        [user.userid for user in staff],
        "培训会",
        start=start,
        end=start + timedelta(hours=2),
    )

    event = dingtalk_fake.default_corp.ext(CalendarState).events[meeting.event_id]
    assert set(event.attendees) == {user.unionid for user in staff}
    assert len(dingtalk_fake.calls(ADD_PATH)) == add_calls


def test_responses_per_person(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    organizer, *staff = _users(dingtalk_fake, 5)
    audience = [user.userid for user in staff]
    start = _start(dingtalk_fake)
    meeting = schedule(dingtalk, organizer.userid, audience, "例会", start=start, end=start)
    dingtalk.calendar.respond(staff[0].unionid, meeting.event_id, "accepted")

    with httpx.Client(transport=dingtalk_fake.transport(), base_url="http://fake") as http:
        http.post(
            "/__fake__/calendar/respond",
            json={
                "eventId": meeting.event_id,
                "unionId": staff[1].unionid,
                "responseStatus": "declined",
            },
        ).raise_for_status()

    status = meeting.status()

    assert status.people == {
        audience[0]: "accepted",
        audience[1]: "declined",
        audience[2]: "needsAction",
        audience[3]: "needsAction",
    }
    assert status.counts()["needsAction"] == 2


def test_seeded_responses_are_reported_exactly(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    organizer, *staff = _users(dingtalk_fake, 40)
    start = _start(dingtalk_fake)
    meeting = schedule(
        dingtalk, organizer.userid, [user.userid for user in staff], "会", start=start, end=start
    )

    answered = dingtalk_fake.default_corp.ext(CalendarState).simulate_responses(
        meeting.event_id,
        accept=0.5,
        decline=0.2,
        tentative=0.1,
        seed=7,
        now_ms=dingtalk_fake.clock.now_ms(),
    )
    status = meeting.status()

    expected = {user.userid: answered.get(user.unionid, "needsAction") for user in staff}
    assert status.people == expected


def test_reschedule_and_cancel(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, tmp_path: Path
) -> None:
    organizer, guest = _users(dingtalk_fake, 2)
    meeting = schedule(
        dingtalk,
        organizer.userid,
        [guest.userid],
        "汇报",
        start=date(2020, 11, 2),
        end=date(2020, 11, 3),
    )
    meeting.save(tmp_path / "meeting.json")
    reloaded = Meeting.load(dingtalk, tmp_path / "meeting.json")

    reloaded.reschedule(date(2020, 11, 5), date(2020, 11, 6))
    seen = dingtalk.calendar.get_event(guest.unionid, meeting.event_id)
    assert seen.start == date(2020, 11, 5)

    reloaded.cancel()
    assert list(dingtalk.calendar.list_events(guest.unionid)) == []


@pytest.mark.anyio
async def test_async_schedule_and_invite(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    organizer, first, second = _users(dingtalk_fake, 3)
    start = _start(dingtalk_fake)
    meeting = await async_schedule(
        async_dingtalk, organizer.userid, [first.userid], "异步会", start=start, end=start
    )
    await meeting.invite([second.userid])

    status = await meeting.status()

    assert status.people == {first.userid: "needsAction", second.userid: "needsAction"}
