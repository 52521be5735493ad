"""Approval instances under random approver behaviour: legal states, and the outcome foreseen."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from censusdt import DingTalk
from censusdt.api.workflow import ApproverNode, InstanceStatus
from censusdt_fake import FakeDingTalk
from censusdt_fake._clock import VirtualClock
from censusdt_fake.admin import add_process, set_approver
from censusdt_fake.messaging import add_staff

USERS = [f"a{index}" for index in range(6)]

behaviours = st.fixed_dictionaries(
    {
        user: st.tuples(st.sampled_from(["agree", "refuse", "never"]), st.integers(1, 20_000))
        for user in USERS
    }
)
nodes = st.lists(
    st.one_of(
        st.sampled_from(USERS).map(lambda user: ("NONE", [user])),
        st.tuples(
            st.sampled_from(["AND", "OR"]),
            st.lists(st.sampled_from(USERS), min_size=1, max_size=3, unique=True),
        ),
    ),
    min_size=1,
    max_size=4,
)
advances = st.lists(st.integers(0, 30_000), max_size=6)


def foreseen(
    flow: list[tuple[str, list[str]]], behave: dict[str, tuple[str, int]]
) -> tuple[str, str]:
    """(status, result) the instance must reach once every approver who acts has acted."""
    for action, ids in flow:
        acts = sorted(
            (behave[user][1], position, behave[user][0])
            for position, user in enumerate(ids)
            if behave[user][0] != "never"
        )
        if action == "OR":
            if not acts:
                return "RUNNING", ""
            if acts[0][2] == "refuse":
                return "COMPLETED", "refuse"
            continue
        if any(decision == "refuse" for _, _, decision in acts):
            return "COMPLETED", "refuse"
        if len(acts) < len(ids):
            return "RUNNING", ""
    return "COMPLETED", "agree"


@given(flow=nodes, behave=behaviours, steps=advances)
def test_instances_move_only_through_legal_states(
    flow: list[tuple[str, list[str]]], behave: dict[str, tuple[str, int]], steps: list[int]
) -> None:
    fake = FakeDingTalk(clock=VirtualClock(start=time.time(), frozen=True))
    for user in [*USERS, "origin"]:
        add_staff(fake, user, f"人员{user}", [1])
    for user, (decision, delay) in behave.items():
        set_approver(fake, user, decision, delay)
    code = add_process(fake, "请假")
    app = fake.default_app
    with DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
    ) as client:
        instance_id = client.workflow.start_instance(
            code,
            "origin",
            [{"name": "请假事由", "value": "家中有事"}],
            approvers=[ApproverNode(tuple(ids), action) for action, ids in flow],
        )
        finished_as: tuple[str, str] | None = None
        for seconds in [*steps, 10**7]:
            fake.clock.advance(seconds)
            instance = client.workflow.get_instance(instance_id)
            state = (instance.status.value, instance.result.value)
            statuses = {task.status for task in instance.tasks}

            assert statuses <= {"NEW", "RUNNING", "COMPLETED", "CANCELED"}
            running_nodes = {t.activity_id for t in instance.tasks if t.status == "RUNNING"}
            if instance.status is InstanceStatus.RUNNING:
                assert len(running_nodes) == 1
                assert instance.result.value == ""
            else:
                assert instance.status is InstanceStatus.COMPLETED
                assert running_nodes == set()
                assert not statuses & {"NEW", "RUNNING"}
                refused = any(t.result == "REFUSE" for t in instance.tasks)
                assert instance.result.value == ("refuse" if refused else "agree")
            if finished_as is not None:
                assert state == finished_as
            elif instance.finished:
                finished_as = state

        assert state == foreseen(flow, behave)
