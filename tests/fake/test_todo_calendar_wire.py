"""The fake's to-do and calendar endpoints on the wire: raw requests, DingTalk's codes and messages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from censusdt_fake import FakeDingTalk
from censusdt_fake.models.calendar import CalendarState
from censusdt_fake.models.todo import TodoState


def _token(http: httpx.Client, fake: FakeDingTalk) -> dict[str, str]:
    app = fake.default_app
    reply = http.post(
        "https://api.dingtalk.com/v1.0/oauth2/accessToken",
        json={"appKey": app.app_key, "appSecret": app.app_secret},
    )
    return {"x-acs-dingtalk-access-token": reply.json()["accessToken"]}


@pytest.fixture
def http(dingtalk_fake: FakeDingTalk) -> Any:
    with httpx.Client(transport=dingtalk_fake.transport()) as client:
        client.headers.update(_token(client, dingtalk_fake))
        yield client


TASKS = "https://api.dingtalk.com/v1.0/todo/users/unionA/tasks"
EVENTS = "https://api.dingtalk.com/v1.0/calendar/users/unionA/calendars/primary/events"


def test_todo_missing_subject(http: httpx.Client) -> None:
    reply = http.post(TASKS, json={"executorIds": ["unionB"]})

    assert reply.status_code == 400
    assert reply.json()["code"] == "MissingParameter"
    assert reply.json()["message"] == "subject is mandatory for this action."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"subject": "x" * 1025}, "subject is oversize"),
        ({"subject": "s", "description": "d" * 4097}, "description is oversize"),
        ({"subject": "s", "executorIds": [f"u{i}" for i in range(101)]}, "executors is oversize"),
        (
            {"subject": "s", "participantIds": [f"u{i}" for i in range(101)]},
            "participants is oversize",
        ),
        ({"subject": "s", "dueTime": 1604224800}, "dueTime is invalid"),
    ],
)
def test_todo_create_param_errors(http: httpx.Client, body: dict[str, Any], message: str) -> None:
    reply = http.post(TASKS, json=body)

    assert reply.status_code == 400
    assert reply.json()["code"] == "todo.taskCreate.paramError"
    assert reply.json()["message"] == message


def test_todo_delete_missing_task(http: httpx.Client) -> None:
    reply = http.delete(TASKS + "/nope")

    assert reply.status_code == 400
    assert reply.json()["code"] == "todo.taskDelete.paramError"
    assert reply.json()["message"] == "task not exist"


def test_todo_executor_status_oversize(http: httpx.Client) -> None:
    task_id = http.post(TASKS, json={"subject": "s", "executorIds": ["unionB"]}).json()["id"]
    statuses = [{"id": f"u{index}", "isDone": True} for index in range(1001)]

    reply = http.put(f"{TASKS}/{task_id}/executorStatus", json={"executorStatusList": statuses})

    assert reply.json()["code"] == "todo.taskExecutorStatusUpdate.paramError"
    assert reply.json()["message"] == "executors is oversize"


def test_todo_role_filter_or_of_ands(http: httpx.Client) -> None:
    detail = {"appUrl": "https://a", "pcUrl": "https://p"}
    mine = http.post(TASKS, json={"subject": "我创建", "detailUrl": detail}).json()["id"]
    both = http.post(
        TASKS, json={"subject": "我执行", "detailUrl": detail, "executorIds": ["unionA"]}
    ).json()["id"]
    query = "https://api.dingtalk.com/v1.0/todo/users/unionA/org/tasks/query"

    creator_and_executor = http.post(query, json={"roleTypes": [["creator", "executor"]]}).json()
    creator_or_executor = http.post(query, json={"roleTypes": [["creator"], ["executor"]]}).json()

    assert [card["taskId"] for card in creator_and_executor["todoCards"]] == [both]
    assert sorted(card["taskId"] for card in creator_or_executor["todoCards"]) == sorted(
        [mine, both]
    )


def test_calendar_client_token_is_idempotent(
    http: httpx.Client, dingtalk_fake: FakeDingTalk
) -> None:
    body = {"summary": "会", "start": {"date": "2020-11-01"}, "end": {"date": "2020-11-02"}}
    headers = {"x-client-token": "retry-1"}

    first = http.post(EVENTS, json=body, headers=headers).json()
    second = http.post(EVENTS, json=body, headers=headers).json()

    assert first["id"] == second["id"]
    assert len(dingtalk_fake.default_corp.ext(CalendarState).events) == 1


@pytest.mark.parametrize(
    ("recurrence", "message"),
    [
        (
            {"pattern": {"type": "daily", "interval": 0}},
            "Recurrence interval must between [1, 365]",
        ),
        (
            {"pattern": {"type": "daily", "interval": 1}, "range": {"numberOfOccurrences": 100}},
            "Recurrence range numberOfOccurrences must between [1, 99]",
        ),
    ],
)
def test_calendar_recurrence_bounds(
    http: httpx.Client, recurrence: dict[str, Any], message: str
) -> None:
    body = {
        "summary": "例会",
        "start": {"date": "2020-11-01"},
        "end": {"date": "2020-11-02"},
        "recurrence": recurrence,
    }

    reply = http.post(EVENTS, json=body)

    assert reply.status_code == 400
    assert reply.json()["code"] == "invalidParameter"
    assert reply.json()["message"] == message


def test_calendar_missing_start(http: httpx.Client) -> None:
    reply = http.post(EVENTS, json={"summary": "会", "end": {"date": "2020-11-02"}})

    assert reply.json()["message"] == "Event start time not set."


def test_calendar_name_too_long(http: httpx.Client) -> None:
    url = "https://api.dingtalk.com/v1.0/calendar/users/unionA/subscribedCalendars"
    reply = http.post(url, json={"name": "名" * 128, "subscribeScope": {"unionIds": ["unionA"]}})

    assert reply.json()["code"] == "invalidParameter"
    assert reply.json()["message"] == "calendar name length must less than 128"


def test_calendar_scope_missing(http: httpx.Client) -> None:
    url = "https://api.dingtalk.com/v1.0/calendar/users/unionA/subscribedCalendars"
    reply = http.post(url, json={"name": "日历"})

    assert reply.json()["message"] == "subscribe range cannot be null"


def test_sync_token_on_last_page(http: httpx.Client) -> None:
    for day in range(1, 4):
        body = {
            "summary": f"事{day}",
            "start": {"date": f"2020-11-0{day}"},
            "end": {"date": f"2020-11-0{day + 1}"},
        }
        http.post(EVENTS, json=body).raise_for_status()

    first = http.get(EVENTS, params={"maxResults": 2}).json()
    last = http.get(EVENTS, params={"maxResults": 2, "nextToken": first["nextToken"]}).json()
    bounded = http.get(EVENTS, params={"timeMax": "2021-01-01T00:00:00+08:00"}).json()

    assert "syncToken" not in first
    assert "syncToken" in last
    assert "syncToken" not in bounded


def test_control_plane_errors_are_plain_json(http: httpx.Client) -> None:
    reply = http.post("http://fake/__fake__/todo/complete", json={"taskId": "nope", "unionId": "x"})

    assert reply.status_code == 400
    assert "nope" in reply.json()["error"]


@given(probability=st.floats(min_value=0, max_value=1), seed=st.integers(0, 1000))
@settings(max_examples=30)
def test_simulate_is_seeded_and_only_finishes(probability: float, seed: int) -> None:
    state = TodoState()
    executors = [f"u{index}" for index in range(30)]
    task = state.create(
        owner="o", biz_tag="app", now_ms=10**12, body={"subject": "s", "executorIds": executors}
    )
    first = state.simulate(task.id, probability=probability, seed=seed, now_ms=10**12)
    copy = TodoState()
    copy_task = copy.create(
        owner="o", biz_tag="app", now_ms=10**12, body={"subject": "s", "executorIds": executors}
    )

    again = copy.simulate(copy_task.id, probability=probability, seed=seed, now_ms=10**12)

    assert first == again
    assert {user for user, done in task.executor_done.items() if done} == set(first)


class TodoMachine(RuleBasedStateMachine):
    """Per-executor status through the state's API matches a plain model of who finished."""

    tasks = Bundle("tasks")

    def __init__(self) -> None:
        super().__init__()
        self.state = TodoState()
        self.model: dict[str, dict[str, bool]] = {}

    @rule(target=tasks, executors=st.sets(st.sampled_from([f"u{i}" for i in range(6)]), min_size=1))
    def create(self, executors: set[str]) -> str:
        body = {"subject": "s", "executorIds": sorted(executors), "detailUrl": {"appUrl": "a"}}
        task = self.state.create(owner="o", biz_tag="app", now_ms=10**12, body=body)
        self.model[task.id] = dict.fromkeys(executors, False)
        return task.id

    @rule(task_id=tasks, data=st.data())
    def set_status(self, task_id: str, data: st.DataObject) -> None:
        executor = data.draw(st.sampled_from(sorted(self.model[task_id])))
        done = data.draw(st.booleans())
        self.state.set_executor_status(
            task_id, biz_tag="app", now_ms=10**12, statuses=[{"id": executor, "isDone": done}]
        )
        self.model[task_id][executor] = done

    @invariant()
    def lists_match_model(self) -> None:
        for user in [f"u{i}" for i in range(6)]:
            done = self.state.org_tasks(
                user, now_ms=10**12, is_done=True, role_types=[["executor"]], todo_type=None
            )
            expected = {task_id for task_id, people in self.model.items() if people.get(user)}
            assert {task.id for task in done} == expected


TestTodoMachine = TodoMachine.TestCase
TestTodoMachine.settings = settings(max_examples=25, stateful_step_count=15)
