"""Tests for the calendar calls against the fake, sync and async."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.calendar import CREATE_EVENT, PRIMARY
from censusdt.timeutil import SHANGHAI
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.calendar import MAX_EVENTS_PER_DAY
from censusdt_fake.models.contacts import ContactsState, User


def _users(fake: FakeDingTalk, count: int) -> list[User]:
    state = fake.default_corp.ext(ContactsState)
    return [
        state.create_user(name=f"指导员{index}", mobile=f"1370000{index:04d}", dept_id_list=[1])
        for index in range(count)
    ]


def _now(fake: FakeDingTalk) -> datetime:
    return datetime.fromtimestamp(int(fake.clock.time()), SHANGHAI)


def test_create_get_timed_event(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    organizer, guest = _users(dingtalk_fake, 2)
    start = _now(dingtalk_fake) + timedelta(days=1)

    created = dingtalk.calendar.create_event(
        organizer.unionid,
        "普查员培训",
        start,
        start + timedelta(hours=2),
        attendees=[guest.unionid],
        location="会议室",
    )
    seen_by_guest = dingtalk.calendar.get_event(guest.unionid, created.id)

    assert seen_by_guest.summary == "普查员培训"
    assert seen_by_guest.start == start
    assert seen_by_guest.end == start + timedelta(hours=2)
    assert seen_by_guest.location == "会议室"
    assert [(item.id, item.is_self) for item in seen_by_guest.attendees] == [(guest.unionid, True)]
    assert seen_by_guest.organizer is not None
    assert seen_by_guest.organizer.id == organizer.unionid


def test_all_day_event_keeps_shanghai_dates(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    (organizer,) = _users(dingtalk_fake, 1)

    created = dingtalk.calendar.create_event(
        organizer.unionid, "标准时点", date(2020, 11, 1), date(2020, 11, 2)
    )

    assert created.is_all_day
    assert created.start == date(2020, 11, 1)
    assert created.end == date(2020, 11, 2)
    assert created.raw["start"] == {"date": "2020-11-01"}


def test_epoch_seconds_start_is_rejected(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    seconds = int(dingtalk_fake.clock.time())

    with pytest.raises(ValidationError) as caught:
        dingtalk.calendar.create_event(
            organizer.unionid,
            "会议",
            seconds,
            seconds + 3600,  # type: ignore[arg-type]
        )

    fields = [error.field for error in caught.value.errors]
    assert fields == ["start", "end"]
    assert "looks like epoch seconds" in caught.value.errors[0].reason


def test_more_than_500_attendees_rejected(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    start = _now(dingtalk_fake)

    with pytest.raises(ValidationError):
        dingtalk.calendar.create_event(
            organizer.unionid,
            "大会",
            start,
            start + timedelta(hours=1),
            attendees=[f"union{index}" for index in range(501)],
        )


def test_fake_rejects_501_attendees_on_the_wire(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    body = {
        "summary": "大会",
        "start": {"date": "2020-11-01"},
        "end": {"date": "2020-11-02"},
        "attendees": [{"id": f"union{index}"} for index in range(501)],
    }

    with pytest.raises(APIError) as caught:
        dingtalk.request(
            CREATE_EVENT,
            json=body,
            path_params={"userId": organizer.unionid, "calendarId": PRIMARY},
        )

    assert caught.value.status == 400
    assert caught.value.code == "invalidParameter"
    assert caught.value.message == "attendees size must be less than 500"


def test_blank_summary_message(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    body = {"summary": " ", "start": {"date": "2020-11-01"}, "end": {"date": "2020-11-02"}}

    with pytest.raises(APIError) as caught:
        dingtalk.request(
            CREATE_EVENT,
            json=body,
            path_params={"userId": organizer.unionid, "calendarId": PRIMARY},
        )

    assert caught.value.code == "invalidParameter"
    assert caught.value.message == "Event summary cannot be blank"


def test_missing_end_message(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    body = {"summary": "会", "start": {"date": "2020-11-01"}}

    with pytest.raises(APIError) as caught:
        dingtalk.request(
            CREATE_EVENT,
            json=body,
            path_params={"userId": organizer.unionid, "calendarId": PRIMARY},
        )

    assert caught.value.message == "Event end time not set."


def test_101st_event_of_a_day_is_flow_limited(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    day = date(2020, 11, 1)
    for index in range(MAX_EVENTS_PER_DAY):
        dingtalk.calendar.create_event(organizer.unionid, f"事项{index}", day, day + timedelta(1))

    with pytest.raises(APIError) as caught:
        dingtalk.calendar.create_event(organizer.unionid, "超限", day, day + timedelta(1))

    assert caught.value.code == "flowLimit"
    assert caught.value.message == "current user can not create events exceed 100 per day"

    dingtalk_fake.clock.advance(86_400)
    assert dingtalk.calendar.create_event(organizer.unionid, "次日", day, day + timedelta(1)).id


def test_only_organizer_patches(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    organizer, guest = _users(dingtalk_fake, 2)
    start = _now(dingtalk_fake)
    event = dingtalk.calendar.create_event(
        organizer.unionid, "例会", start, start + timedelta(hours=1), attendees=[guest.unionid]
    )

    with pytest.raises(APIError) as caught:
        dingtalk.calendar.patch_event(guest.unionid, event.id, summary="改")
    assert caught.value.code == "permissionDeny"
    assert caught.value.message == "only the organizer can modify the event"

    later = start + timedelta(days=1)
    moved = dingtalk.calendar.patch_event(
        organizer.unionid, event.id, start=later, end=later + timedelta(hours=1)
    )
    assert moved.start == later
    assert dingtalk.calendar.get_event(guest.unionid, event.id).start == later


def test_attendees_add_remove_respond(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    organizer, first, second = _users(dingtalk_fake, 3)
    start = _now(dingtalk_fake)
    event = dingtalk.calendar.create_event(organizer.unionid, "会", start, start)

    dingtalk.calendar.add_attendees(organizer.unionid, event.id, [first.unionid, second.unionid])
    dingtalk.calendar.respond(first.unionid, event.id, "accepted")
    dingtalk.calendar.remove_attendees(organizer.unionid, event.id, [second.unionid])

    seen = dingtalk.calendar.get_event(organizer.unionid, event.id)
    assert [(item.id, item.response_status) for item in seen.attendees] == [
        (first.unionid, "accepted")
    ]
    with pytest.raises(APIError) as caught:
        dingtalk.calendar.get_event(second.unionid, event.id)
    assert caught.value.status == 404
    assert caught.value.code == "itemNotFound"


def test_organizer_delete_cancels_for_all(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    organizer, guest = _users(dingtalk_fake, 2)
    start = _now(dingtalk_fake)
    event = dingtalk.calendar.create_event(
        organizer.unionid, "取消的会", start, start + timedelta(hours=1), attendees=[guest.unionid]
    )

    dingtalk.calendar.delete_event(organizer.unionid, event.id)

    window = {"time_min": start - timedelta(days=1), "time_max": start + timedelta(days=1)}
    assert list(dingtalk.calendar.list_events(guest.unionid, **window)) == []
    deleted = list(dingtalk.calendar.list_events(guest.unionid, show_deleted=True, **window))
    assert [(item.id, item.status) for item in deleted] == [(event.id, "cancelled")]


def test_list_events_pages_and_window(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    (organizer,) = _users(dingtalk_fake, 1)
    first_day = date(2020, 11, 1)
    for index in range(30):
        day = first_day + timedelta(days=index)
        dingtalk.calendar.create_event(organizer.unionid, f"日{index}", day, day + timedelta(1))
        dingtalk_fake.clock.advance(86_400 / 3)

    listed = list(
        dingtalk.calendar.list_events(
            organizer.unionid,
            time_min=datetime(2020, 11, 5, tzinfo=SHANGHAI),
            time_max=datetime(2020, 11, 15, tzinfo=SHANGHAI),
            page_size=4,
        )
    )

    # An all-day event ends at the next midnight, so 4 November (ending 5 November 00:00) counts.
    assert [event.start for event in listed] == [date(2020, 11, day) for day in range(4, 15)]


def test_list_window_over_one_year_rejected_by_fake(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    from censusdt.api.calendar import LIST_EVENTS

    (organizer,) = _users(dingtalk_fake, 1)
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            LIST_EVENTS,
            params={"timeMin": "2020-01-01T00:00:00+08:00", "timeMax": "2021-06-01T00:00:00+08:00"},
            path_params={"userId": organizer.unionid, "calendarId": PRIMARY},
        )
    assert caught.value.code == "invalidParameter"
    assert caught.value.message == (
        "the time range between timeMin and timeMax must be within one year"
    )


def test_list_max_results_over_100_rejected_by_fake(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    from censusdt.api.calendar import LIST_EVENTS

    (organizer,) = _users(dingtalk_fake, 1)
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            LIST_EVENTS,
            params={"maxResults": 101},
            path_params={"userId": organizer.unionid, "calendarId": PRIMARY},
        )
    assert caught.value.code == "invalidParameter.maxResults"
    assert caught.value.message == "maxResults size must within range [0,100]"


def test_free_busy(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    organizer, guest, idle = _users(dingtalk_fake, 3)
    start = _now(dingtalk_fake) + timedelta(hours=1)
    event = dingtalk.calendar.create_event(
        organizer.unionid, "会", start, start + timedelta(hours=1), attendees=[guest.unionid]
    )
    dingtalk.calendar.respond(guest.unionid, event.id, "tentative")

    busy = dingtalk.calendar.free_busy(
        organizer.unionid,
        [organizer.unionid, guest.unionid, idle.unionid],
        start - timedelta(hours=1),
        start + timedelta(hours=3),
    )

    assert [item.status for item in busy[organizer.unionid]] == ["BUSY"]
    assert [item.status for item in busy[guest.unionid]] == ["TENTATIVE"]
    assert busy[idle.unionid] == []


def test_free_busy_over_20_people_is_param_illegal(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    from censusdt.api.calendar import QUERY_SCHEDULE

    (organizer,) = _users(dingtalk_fake, 1)
    with pytest.raises(APIError) as caught:
        dingtalk.request(
            QUERY_SCHEDULE,
            json={
                "userIds": [f"u{index}" for index in range(21)],
                "startTime": "2020-11-01T00:00:00+08:00",
                "endTime": "2020-11-02T00:00:00+08:00",
            },
            path_params={"userId": organizer.unionid},
        )
    assert caught.value.code == "paramIllegal"
    assert caught.value.message == "userIds size must be at most 20"


def test_subscribed_calendar_lifecycle(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    author, staff, outsider = _users(dingtalk_fake, 3)
    calendar_id = dingtalk.calendar.create_subscribed_calendar(
        author.unionid,
        "人口普查日历",
        description="七人普关键时点",
        union_ids=[author.unionid, staff.unionid],
    )

    dingtalk.calendar.subscribe(staff.unionid, calendar_id)
    dingtalk.calendar.create_event(
        author.unionid, "入户登记", date(2020, 11, 1), date(2020, 12, 11), calendar_id=calendar_id
    )

    kinds = {(item.id, item.type) for item in dingtalk.calendar.calendars(staff.unionid)}
    assert kinds == {(PRIMARY, "primary"), (calendar_id, "subscribed")}
    events = list(dingtalk.calendar.list_events(staff.unionid, calendar_id=calendar_id))
    assert [event.summary for event in events] == ["入户登记"]

    with pytest.raises(APIError) as caught:
        dingtalk.calendar.subscribe(outsider.unionid, calendar_id)
    assert caught.value.code == "permissionDenied"
    assert caught.value.message == "current user is not in subscribe range"

    assert dingtalk.calendar.update_subscribed_calendar(
        author.unionid, calendar_id, name="普查日历"
    )
    assert dingtalk.calendar.get_subscribed_calendar(author.unionid, calendar_id).name == "普查日历"
    assert dingtalk.calendar.unsubscribe(staff.unionid, calendar_id)
    assert dingtalk.calendar.delete_subscribed_calendar(author.unionid, calendar_id)
    with pytest.raises(APIError) as missing:
        dingtalk.calendar.get_subscribed_calendar(author.unionid, calendar_id)
    assert missing.value.code == "itemNotFound"


def test_subscribed_calendar_creator_must_be_in_range(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    author, other = _users(dingtalk_fake, 2)

    with pytest.raises(APIError) as caught:
        dingtalk.calendar.create_subscribed_calendar(
            author.unionid, "日历", union_ids=[other.unionid]
        )

    assert caught.value.code == "invalidParameter"
    assert caught.value.message == "current user must in range"


def test_subscribing_primary_is_calendar_type_invalid(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    (user,) = _users(dingtalk_fake, 1)

    with pytest.raises(APIError) as caught:
        dingtalk.calendar.subscribe(user.unionid, PRIMARY)

    assert caught.value.message == "calendar type invalid"


@pytest.mark.anyio
async def test_async_event_roundtrip(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    organizer, guest = _users(dingtalk_fake, 2)
    start = _now(dingtalk_fake)
    event = await async_dingtalk.calendar.create_event(
        organizer.unionid, "异步会", start, start + timedelta(hours=1), attendees=[guest.unionid]
    )
    await async_dingtalk.calendar.respond(guest.unionid, event.id, "declined")

    events = await async_dingtalk.calendar.list_events(guest.unionid).collect()

    assert [item.id for item in events] == [event.id]
    assert events[0].attendees[0].response_status == "declined"
