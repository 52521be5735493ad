"""The rehearsal's "admin" stage on a small county in the fake."""

from __future__ import annotations

import io
import time
from pathlib import Path

from rich.console import Console

from censusdt import AsyncDingTalk, DingTalk
from censusdt.census.rehearsal import Rehearsal
from censusdt.census.stages.admin import run_admin_stage
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.workflow import WorkflowState
from tests.census.admin_seed import TOWNS, seed_admin_county


def test_stage_trains_approves_and_lists_inactive(tmp_path: Path) -> None:
    fake = FakeDingTalk(clock=VirtualClock(start=time.time()))
    seed_admin_county(fake, per_village=6)
    app = fake.default_app
    output = io.StringIO()

    def async_client() -> AsyncDingTalk:
        return AsyncDingTalk(app.app_key, app.app_secret, transport=fake.transport())

    with DingTalk(app.app_key, app.app_secret, transport=fake.transport()) as client:
        rehearsal = Rehearsal(
            fake=fake,
            client=client,
            async_client=async_client,
            county_code="370783",
            seed=7,
            workdir=tmp_path,
            console=Console(file=output, width=120),
            real_limits=False,
        )
        run_admin_stage(rehearsal)

    results = rehearsal.results["admin"]
    instances = fake.default_corp.ext(WorkflowState).instances
    assert [instances[i].status for i in results["approvals"]["ids"]] == ["COMPLETED", "COMPLETED"]
    assert results["approvals"]["reminded"]
    inactive = {
        u.userid for u in fake.default_corp.ext(ContactsState).users.values() if not u.active
    }
    assert {p.userid for p in results["inactive"]["people"]} == inactive
    assert sum(results["inactive"]["sms_batches"]) == len(inactive)
    report = results["training"]["report"]
    assert {p.userid for p in report.not_watched() if p.userid not in inactive} == results[
        "training"
    ]["dinged"]
    printed = output.getvalue()
    assert "培训观看情况" in printed
    assert all(town in printed for town in TOWNS)
    assert "审批进度" in printed
