"""``censusdt org plan`` and ``censusdt org apply``: the census organisation as code."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from censusdt._async.client import AsyncDingTalk
from censusdt.census._async.apply import ApplyResult, apply_diff
from censusdt.census._async.livesnapshot import read_live_org
from censusdt.census.applyjournal import ApplyJournal
from censusdt.census.divisions import DivisionTable, DivisionTableError
from censusdt.census.orgdiff import OrgDiff
from censusdt.census.orgseed import divisions_for_county
from censusdt.census.plan import OrgPlan, PlanError
from censusdt.census.roster import read_roster
from censusdt.census.rosterissues import RosterError
from censusdt.cli._common import connection_options, console, error_console, handle_errors
from censusdt.cli._i18n import current_language, text

__all__ = ["command"]


def _load_plan(
    roster_file: Path,
    county: str | None,
    divisions_file: Path | None,
    project_groups: tuple[str, ...] = (),
) -> OrgPlan:
    try:
        if divisions_file is not None:
            divisions = DivisionTable.load(divisions_file)
        elif county is not None:
            divisions = divisions_for_county(county)
        else:
            raise click.UsageError(
                text(
                    "请用 --county 指定区县代码（如 370783），或用 --divisions 指定区划代码表文件。",
                    "Name the county with --county (e.g. 370783) or a division table with --divisions.",
                )
            )
        roster = read_roster(roster_file, divisions, project_groups=project_groups)
        return OrgPlan.build(divisions, roster, county_code=county, project_groups=project_groups)
    except RosterError as error:
        error_console.print(error.describe(current_language()))
        raise SystemExit(1) from None
    except PlanError as error:
        _print_plan_error(error, county)
        raise SystemExit(1) from None
    except (DivisionTableError, ValueError) as error:
        error_console.print(escape(f"{text('错误', 'Error')}: {error}"))
        raise SystemExit(1) from None


def _print_plan_error(error: PlanError, county: str | None) -> None:
    """Show a plan error briefly: its count, a few problems, and the usual cause."""
    shown = 5
    error_console.print(
        text(
            f"无法生成组织架构计划：共 {len(error.problems)} 处问题，前 {min(shown, len(error.problems))} 处如下：",
            f"Cannot build the org plan: {len(error.problems)} problem(s); the first "
            f"{min(shown, len(error.problems))}:",
        )
    )
    for problem in error.problems[:shown]:
        error_console.print(escape(f"  - {problem}"))
    if county is not None and error.outside_county:
        error_console.print(
            text(
                f"花名册中的区划代码不属于 --county {county}；请检查 --county 是否填错。",
                f"The roster's division codes are outside --county {county}; check --county.",
            )
        )


def _print_plan(plan: OrgPlan) -> None:
    table = Table(
        title=text(
            f"组织架构计划 · 区划 {plan.county_code}", f"Org plan · county {plan.county_code}"
        )
    )
    table.add_column(text("项目", "Item"))
    table.add_column(text("数量", "Count"), justify="right")
    table.add_row(text("部门", "Departments"), str(len(plan.departments)))
    table.add_row(text("人员", "Users"), str(len(plan.users)))
    table.add_row(text("标签（角色）", "Tags (roles)"), str(len(plan.roles)))
    assignments = sum(len(role.member_mobiles) for role in plan.roles)
    table.add_row(text("标签分配（人次）", "Tag assignments"), str(assignments))
    console.print(table)


def _client(app_key: str | None, app_secret: str | None, base_url: str | None) -> AsyncDingTalk:
    if not app_key or not app_secret:
        raise click.UsageError(
            text(
                "缺少应用凭证：请用 --app-key/--app-secret 或环境变量 DINGTALK_APP_KEY/DINGTALK_APP_SECRET 提供。",
                "Missing app credentials: pass --app-key/--app-secret or set DINGTALK_APP_KEY/DINGTALK_APP_SECRET.",
            )
        )
    return AsyncDingTalk(app_key, app_secret, legacy_base_url=base_url, new_base_url=base_url)


def _print_diff(diff: OrgDiff) -> None:
    extras = len(diff.extra_departments) + len(diff.extra_users) + len(diff.extra_roles)
    if diff.is_empty and not extras:
        console.print(
            text(
                "钉钉通讯录已与花名册一致，无需任何更改。",
                "DingTalk already matches the roster; nothing to change.",
            )
        )
        return
    if diff.is_empty:
        console.print(
            text(
                "花名册中的内容在钉钉上均已存在，无需写入。",
                "Everything in the roster already exists on DingTalk; nothing to write.",
            )
        )
    console.print(diff.describe(current_language()))
    if extras and not diff.remove_extra:
        console.print(
            text(
                f"钉钉上另有花名册之外的 {len(diff.extra_departments)} 个部门、{len(diff.extra_users)} 名人员、"
                f"{len(diff.extra_roles)} 个标签；如需删除，请加 --remove-extra。",
                f"DingTalk also holds {len(diff.extra_departments)} departments, {len(diff.extra_users)} people "
                f"and {len(diff.extra_roles)} tags that are not in the roster; add --remove-extra to delete them.",
            )
        )


def _print_result(result: ApplyResult) -> None:
    table = Table(title=text("应用结果", "Apply result"))
    table.add_column(text("写入类型", "Write"))
    table.add_column(text("调用次数", "Calls"), justify="right")
    labels = {
        "role_group": text("新建角色组", "role group created"),
        "role": text("新建标签", "tags created"),
        "department": text("新建部门", "departments created"),
        "department_update": text("修改部门", "departments updated"),
        "user": text("新建人员", "users created"),
        "user_update": text("修改人员", "users updated"),
        "role_assign": text("分配标签", "tag assignment calls"),
        "role_unassign": text("移除标签", "tag removal calls"),
        "role_delete": text("删除标签", "tags deleted"),
        "user_delete": text("删除人员", "users deleted"),
        "department_delete": text("删除部门", "departments deleted"),
    }
    for kind, count in sorted(result.writes.items()):
        table.add_row(labels.get(kind, kind), str(count))
    console.print(table)
    console.print(
        text(
            f"共 {result.calls} 次 API 调用（写入 {result.write_calls} 次），"
            f"限流 {result.throttled} 次，用时 {result.elapsed:.1f} 秒。"
            f"已有对象沿用 {result.adopted} 个，日志中已完成而跳过 {result.skipped} 个。",
            f"{result.calls} API calls ({result.write_calls} writes), {result.throttled} throttled, "
            f"{result.elapsed:.1f} s. {result.adopted} existing objects adopted, "
            f"{result.skipped} writes skipped as done in the journal.",
        )
    )


@click.group("org")
def command() -> None:
    """Build the census organisation (departments, staff, tags) on DingTalk from a roster."""


_ROSTER = click.argument(
    "roster_file", metavar="ROSTER", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_COUNTY = click.option(
    "--county",
    default=None,
    help="Six-digit county code; the built-in tables hold 370783 (寿光市) and 潍坊市's counties.",
)
_DIVISIONS = click.option(
    "--divisions",
    "divisions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Division table CSV (code, level, name, parent_code) instead of a built-in one.",
)
_PROJECT_GROUPS = click.option(
    "--project-group",
    "project_groups",
    multiple=True,
    help="Name of a project group (项目组) that the roster's 科室 column may use; repeatable.",
)


@command.command("plan")
@_ROSTER
@_COUNTY
@_DIVISIONS
@_PROJECT_GROUPS
@connection_options
@handle_errors
def plan_command(
    *,
    roster_file: Path,
    county: str | None,
    divisions_file: Path | None,
    project_groups: tuple[str, ...],
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Check a roster and show the org plan; with app credentials, also the changes to DingTalk."""
    plan = _load_plan(roster_file, county, divisions_file, project_groups)
    _print_plan(plan)
    if not (app_key and app_secret):
        return

    async def run() -> OrgDiff:
        async with _client(app_key, app_secret, base_url) as client:
            live = await read_live_org(client, role_group=plan.role_group)
        return plan.diff(live)

    _print_diff(asyncio.run(run()))


@command.command("apply")
@_ROSTER
@_COUNTY
@_DIVISIONS
@_PROJECT_GROUPS
@click.option("--dry-run", is_flag=True, help="Show the changes without sending any write.")
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="JSON-lines file recording each write; an interrupted run resumes from it.",
)
@click.option(
    "--remove-extra",
    is_flag=True,
    help="Also delete departments, users and tags under the plan that the roster does not name.",
)
@connection_options
@handle_errors
def apply_command(
    *,
    roster_file: Path,
    county: str | None,
    divisions_file: Path | None,
    project_groups: tuple[str, ...],
    dry_run: bool,
    journal: Path | None,
    remove_extra: bool,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Make DingTalk's contacts match the roster; only the differences are sent."""
    plan = _load_plan(roster_file, county, divisions_file, project_groups)
    client = _client(app_key, app_secret, base_url)
    journal_file = ApplyJournal(journal)
    if journal_file.resumed:
        console.print(
            text(
                f"从日志 {journal} 继续上次中断的应用（已完成 {len(journal_file.done)} 项）。",
                f"Resuming the interrupted apply from {journal} ({len(journal_file.done)} writes done).",
            )
        )

    async def run() -> tuple[OrgDiff, ApplyResult | None]:
        async with client:
            live = await read_live_org(client, role_group=plan.role_group)
            diff = plan.diff(live, remove_extra=remove_extra)
            if dry_run or diff.is_empty:
                return diff, None
            columns = (
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            with Progress(*columns, console=console) as progress:
                task = progress.add_task(text("应用中", "Applying"), total=None)

                def advance(done: int, total: int) -> None:
                    progress.update(task, completed=done, total=total)

                result = await apply_diff(
                    client,
                    diff,
                    live=live,
                    role_group=plan.role_group,
                    journal=journal_file,
                    progress=advance,
                )
            return diff, result

    try:
        diff, result = asyncio.run(run())
    except KeyboardInterrupt:
        hint = f" --journal {journal}" if journal else " --journal FILE"
        error_console.print(
            text(
                f"已中断。已发送的写入不会重复：用同样的命令（含{hint}）重新运行即可从中断处继续。",
                f"Interrupted. Writes already sent are not repeated: run the same command (with{hint}) to resume.",
            )
        )
        raise SystemExit(130) from None
    if result is None:
        if dry_run:
            console.print(
                text("试运行：以下更改不会发送。", "Dry run: these changes are not sent.")
            )
        _print_diff(diff)
        return
    _print_result(result)
