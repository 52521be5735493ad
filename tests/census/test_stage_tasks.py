"""Tests for the rehearsal's "tasks" stage on a small organisation in the fake."""

from __future__ import annotations

import io
import time
from pathlib import Path

from rich.console import Console

from censusdt import AsyncDingTalk, DingTalk
from censusdt.census.rehearsal import Rehearsal
from censusdt.census.stages.tasks import run_tasks_stage
from censusdt.census.taskreport import TaskRecord
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.robot import RobotState
from censusdt_fake.models.todo import TodoState


def _small_org(fake: FakeDingTalk) -> dict[str, list[str]]:
    """One county with two towns: 6 enumerators and 2 supervisors per town, 2 office staff."""
    state = fake.default_corp.ext(ContactsState)
    group = state.add_role_group("岗位")
    enumerator = state.add_role("普查员", group.group_id)
    supervisor = state.add_role("普查指导员", group.group_id)
    county = state.create_department("寿光市", 1)
    people: dict[str, list[str]] = {"enumerators": [], "supervisors": [], "office": []}
    mobile = 13300000000
    for town_name in ("圣城街道", "古城街道"):
        town = state.create_department(town_name, county.dept_id)
        village = state.create_department(f"{town_name}一村", town.dept_id)
        for index in range(8):
            mobile += 1
            user = state.create_user(
                name=f"{town_name}{index}", mobile=str(mobile), dept_id_list=[village.dept_id]
            )
            role = supervisor if index < 2 else enumerator
            user.role_ids.append(role.role_id)
            people["supervisors" if index < 2 else "enumerators"].append(user.userid)
    for index in range(2):
        mobile += 1
        user = state.create_user(
            name=f"办公室{index}", mobile=str(mobile), dept_id_list=[county.dept_id]
        )
        people["office"].append(user.userid)
    return people


def test_stage_reports_and_reminds_exactly_the_unfinished(tmp_path: Path) -> None:
    fake = FakeDingTalk(clock=VirtualClock(start=time.time()))
    people = _small_org(fake)
    app = fake.default_app
    output = io.StringIO()

    def async_client() -> AsyncDingTalk:
        # As in ``censusdt rehearse``: the client keeps the system clock.
        return AsyncDingTalk(app.app_key, app.app_secret, transport=fake.transport())

    with DingTalk(app.app_key, app.app_secret, transport=fake.transport()) as client:
        rehearsal = Rehearsal(
            fake=fake,
            client=client,
            async_client=async_client,
            county_code="370783",
            seed=2020,
            workdir=tmp_path,
            console=Console(file=output, width=120),
            real_limits=False,
        )
        run_tasks_stage(rehearsal)

    record = TaskRecord.load(tmp_path / "task.json")
    assert sorted(record.userids) == sorted(people["enumerators"])
    todo = fake.default_corp.ext(TodoState)
    unfinished = {
        userid
        for batch in record.batches
        for userid in batch.userids
        if not todo.tasks[batch.task_id].executor_done[record.union_ids[userid]]
    }
    dinged = {
        userid
        for ding in fake.default_corp.ext(RobotState).dings.values()
        for userid in ding.deliveries
    }
    assert dinged == unfinished
    after = rehearsal.results["tasks"]["after"]
    assert set(after.overdue) == unfinished
    printed = output.getvalue()
    assert "各镇街待办完成情况" in printed
    assert "圣城街道" in printed
    assert "2020年11月" in printed
    assert rehearsal.results["tasks"]["answers"].people.keys() == set(
        people["enumerators"] + people["supervisors"]
    )
