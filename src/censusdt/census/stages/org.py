"""Rehearsal stage "org": build the county's census organisation from a generated roster."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from censusdt.census._async.apply import ApplyResult, apply_plan
from censusdt.census.orgseed import divisions_for_county
from censusdt.census.plan import OrgPlan
from censusdt.census.rehearsal import Rehearsal, stage
from censusdt.census.roster import read_roster, write_roster
from censusdt.census.rostergen import generate_roster
from censusdt.cli._i18n import text

if TYPE_CHECKING:
    from censusdt.census.orgdiff import OrgDiff

__all__ = ["INACTIVE_SHARE", "run_org_stage"]

#: Share of the staff the rehearsal marks as not having activated DingTalk yet, for later stages.
INACTIVE_SHARE = 0.1


@stage(
    "org",
    title_zh="组织架构：花名册 → 钉钉通讯录",
    title_en="Organisation: roster → DingTalk contacts",
    order=10,
)
def run_org_stage(rehearsal: Rehearsal) -> None:
    """Generate, write and read back the roster, plan, apply twice, and report."""
    console = rehearsal.console
    started = time.monotonic()

    divisions = divisions_for_county(rehearsal.county_code)
    county = divisions.get(rehearsal.county_code.ljust(12, "0"))
    generated = generate_roster(divisions, county.code, seed=rehearsal.seed)
    roster_path = rehearsal.workdir / f"花名册-{county.name}.xlsx"
    write_roster(generated, roster_path)
    roster = read_roster(
        roster_path,
        divisions,
        sections=generated.sections,
        project_groups=generated.project_groups,
    )
    plan = OrgPlan.build(divisions, roster, county_code=county.code)
    console.print(
        text(
            f"花名册已生成并读回：{roster_path.name}，{len(roster)} 人；"
            f"计划 {len(plan.departments)} 个部门、{len(plan.roles)} 个标签。",
            f"Roster generated and read back: {roster_path.name}, {len(roster)} people; "
            f"plan has {len(plan.departments)} departments and {len(plan.roles)} tags.",
        )
    )

    first_diff, first = _apply_with_progress(rehearsal, plan, text("应用组织架构", "Applying"))
    second_diff, second = _apply_with_progress(
        rehearsal, plan, text("再次应用（应无写入）", "Applying again (expect no writes)")
    )
    if second.write_calls or not second_diff.is_empty:
        raise AssertionError(
            f"the second apply of an unchanged roster sent {second.write_calls} write calls "
            f"({dict(second.writes)}); it must send none"
        )

    inactive = _mark_inactive(rehearsal, first.userids)
    _report(
        rehearsal,
        diff=first_diff,
        first=first,
        second=second,
        inactive=len(inactive),
        elapsed=time.monotonic() - started,
    )
    rehearsal.results["org"] = {
        "divisions": divisions,
        "roster": roster,
        "roster_path": roster_path,
        "plan": plan,
        "userids": dict(first.userids),
        "department_ids": dict(first.department_ids),
        "role_ids": dict(first.role_ids),
        "role_group_id": first.role_group_id,
        "inactive_userids": inactive,
    }


def _apply_with_progress(
    rehearsal: Rehearsal, plan: OrgPlan, title: str
) -> tuple[OrgDiff, ApplyResult]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=rehearsal.console, transient=False) as progress:
        task = progress.add_task(title, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        async def run() -> tuple[OrgDiff, ApplyResult]:
            async with rehearsal.async_client() as client:
                return await apply_plan(client, plan, progress=advance)

        diff, result = asyncio.run(run())
        progress.update(task, completed=result.write_calls, total=result.write_calls)
    return diff, result


def _mark_inactive(rehearsal: Rehearsal, userids: dict[str, str]) -> list[str]:
    """Mark a seeded share of the staff as not activated, as in a real office on day one."""
    from censusdt_fake.handlers.contacts import deactivate_random_share
    from censusdt_fake.models.contacts import ContactsState

    state = rehearsal.fake.default_corp.ext(ContactsState)
    return deactivate_random_share(state, INACTIVE_SHARE, rehearsal.seed)


def _report(
    rehearsal: Rehearsal,
    *,
    diff: OrgDiff,
    first: ApplyResult,
    second: ApplyResult,
    inactive: int,
    elapsed: float,
) -> None:
    summary = diff.summary()
    table = Table(title=text("组织架构演练结果", "Organisation results"), show_lines=False)
    table.add_column(text("项目", "Item"))
    table.add_column(text("数量", "Count"), justify="right")
    rows = [
        (text("新建部门", "Departments created"), summary.departments_to_create),
        (text("新建人员", "Users created"), summary.users_to_create),
        (text("新建标签（角色）", "Tags (roles) created"), summary.roles_to_create),
        (text("标签分配（人次）", "Tag assignments"), summary.role_members_to_add),
        (text("首次应用写入调用", "Write calls, first apply"), first.write_calls),
        (text("首次应用 API 调用（含读取）", "API calls, first apply (with reads)"), first.calls),
        (text("再次应用写入调用", "Write calls, second apply"), second.write_calls),
        (text("再次应用 API 调用（只读）", "API calls, second apply (reads)"), second.calls),
        (text("遇到限流次数", "Throttling replies"), first.throttled + second.throttled),
        (text("标记为未激活的人员", "Users marked not activated"), inactive),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    rehearsal.console.print(table)
    limits = text("钉钉真实限流（每接口 20 次/秒）", "DingTalk's real limit (20 calls/s per API)")
    if not rehearsal.real_limits:
        limits = text("不限流（--fast）", "no limit (--fast)")
    rehearsal.console.print(
        text(
            f"用时：首次应用 {first.elapsed:.1f} 秒，再次应用 {second.elapsed:.1f} 秒，"
            f"本阶段共 {elapsed:.1f} 秒；{limits}。",
            f"Time: first apply {first.elapsed:.1f} s, second apply {second.elapsed:.1f} s, "
            f"stage total {elapsed:.1f} s; {limits}.",
        )
    )
