"""``censusdt forms``: create the villages' collection sheet, collect it, total forms, remind."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from censusdt._sync.client import DingTalk
from censusdt.census._sync.collection import (
    CollectionResult,
    CollectionTable,
    TableSheet,
    collect_form,
    collect_table,
    create_table,
    export_result,
    remind,
)
from censusdt.census.collect.records import Village, records_from_xlsx, villages_from_divisions
from censusdt.census.collect.template import CODE_COLUMN, Layout, TableTemplate
from censusdt.census.collect.template_file import read_template
from censusdt.census.divisions import DivisionTable
from censusdt.census.orgseed import divisions_for_county
from censusdt.cli._common import (
    connection_options,
    console,
    error_console,
    handle_errors,
    make_client,
)
from censusdt.cli._i18n import current_language, text

__all__ = ["command"]

#: Violations printed before the rest is left to the exported workbook.
_LISTED = 20
_LISTING = "listing"


@click.group("forms")
def command() -> None:
    """Collaborative tables: villages fill an online sheet or smart form; the office totals it."""


def _template_option(function: Any) -> Any:
    return click.option(
        "--template",
        "template_source",
        default=_LISTING,
        show_default=True,
        help="Template .xlsx (header row, optional type row and rule sheet), or 'listing' for "
        "the built-in daily listing-progress table.",
    )(function)


def _division_options(function: Any) -> Any:
    function = click.option(
        "--divisions",
        "divisions_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Division table CSV (code, level, name, parent_code) instead of a built-in one.",
    )(function)
    return click.option("--county", help="Six- or twelve-digit county code, e.g. 370783 (寿光市).")(
        function
    )


def _load_template(source: str, layout: str | None = None) -> TableTemplate:
    # The stage module imports censusdt.cli, which imports this module: import it late.
    from censusdt.census.stages.forms import listing_progress_template

    chosen = Layout(layout) if layout else None
    try:
        if source == _LISTING:
            template = listing_progress_template()
            if chosen is not None and chosen is not template.layout:
                template = TableTemplate.build(
                    template.name, template.columns, template.rules, layout=chosen
                )
            return template
        return read_template(source, layout=chosen)
    except (OSError, ValueError) as error:
        raise click.BadParameter(str(error), param_hint="--template") from None


def _load_villages(county: str | None, divisions_file: Path | None) -> tuple[list[Village], str]:
    if county is None:
        raise click.UsageError(
            text(
                "请用 --county 指定区县代码（如 370783）。",
                "Name the county with --county (e.g. 370783).",
            )
        )
    code = county.strip()[:6] + "000000"
    try:
        table = (
            DivisionTable.load(divisions_file)
            if divisions_file is not None
            else divisions_for_county(county)
        )
        villages = villages_from_divisions(table, code)
        return villages, table.get(code).name
    except (KeyError, ValueError) as error:
        raise click.BadParameter(str(error), param_hint="--county") from None


def _save_state(
    path: Path, table: CollectionTable, source: str, county: str, divisions: Path | None
) -> None:
    state = {
        "workspace_id": table.workspace_id,
        "workbook_id": table.workbook_id,
        "url": table.url,
        "operator_id": table.operator_id,
        "template": source if source == _LISTING else str(Path(source).resolve()),
        "layout": table.template.layout.value,
        "county": county,
        "divisions": str(divisions.resolve()) if divisions else None,
        "sheets": [
            {
                "name": sheet.name,
                "row_count": sheet.row_count,
                "village_codes": list(sheet.village_codes),
            }
            for sheet in table.sheets
        ],
    }
    path.write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")


def _load_state(path: Path) -> tuple[CollectionTable, str]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        template = _load_template(state["template"], state.get("layout"))
        divisions = Path(state["divisions"]) if state.get("divisions") else None
        villages, county_name = _load_villages(state["county"], divisions)
        table = CollectionTable(
            workspace_id=state["workspace_id"],
            workbook_id=state["workbook_id"],
            url=state.get("url"),
            operator_id=state["operator_id"],
            template=template,
            villages=tuple(villages),
            sheets=tuple(
                TableSheet(item["name"], int(item["row_count"]), tuple(item["village_codes"]))
                for item in state["sheets"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise click.BadParameter(
            text(f"无法读取收集表状态文件：{error}", f"cannot read the table state file: {error}"),
            param_hint="--state",
        ) from None
    return table, county_name


def _report(result: CollectionResult, title: str) -> None:
    from censusdt.census.stages.forms import format_summary

    lang = current_language()
    console.print(format_summary(result, title))
    console.print(
        text(f"校验问题 {len(result.violations)} 处", f"{len(result.violations)} violations")
    )
    for violation in result.violations[:_LISTED]:
        console.print(f"  · {violation.message(lang)}")
    if len(result.violations) > _LISTED:
        more = len(result.violations) - _LISTED
        console.print(text(f"  …… 另有 {more} 处，见导出文件。", f"  … {more} more in the export."))

    behind = result.behind
    console.print(
        text(
            f"未报 {len(result.summary.not_submitted)} 个村，未完成 {len(result.summary.unfinished)} 个村。",
            f"{len(result.summary.not_submitted)} villages not submitted, "
            f"{len(result.summary.unfinished)} unfinished.",
        )
    )
    if behind:
        listing = Table(title=text("未报或未完成的村", "Villages behind"))
        listing.add_column(text("区划代码", "Code"))
        listing.add_column(text("乡镇", "Town"))
        listing.add_column(text("村", "Village"))
        for village in behind[:_LISTED]:
            listing.add_row(village.code, village.town, village.name)
        console.print(listing)


def _export(
    path: Path | None, template: TableTemplate, result: CollectionResult, villages: Any
) -> None:
    if path is None:
        return
    written = export_result(path, template, result, villages, lang=current_language())
    console.print(text(f"已导出：{written}", f"Exported: {written}"))


def _client(app_key: str | None, app_secret: str | None, base_url: str | None) -> DingTalk:
    return make_client(app_key, app_secret, base_url)


@command.command("create")
@_template_option
@_division_options
@click.option("--operator", required=True, help="unionId of the office member who owns the sheet.")
@click.option("--workspace", help="Workspace id to create the workbook in (default: a new one).")
@click.option(
    "--editor",
    "editors",
    multiple=True,
    help="unionId of a person who fills the sheet (repeatable).",
)
@click.option(
    "--layout",
    type=click.Choice([layout.value for layout in Layout]),
    help="One sheet with rows grouped by town, or one sheet per town.",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("收集表.json"),
    show_default=True,
    help="File to record the created table in, for collect and remind.",
)
@connection_options
@handle_errors
def create_command(
    *,
    template_source: str,
    county: str | None,
    divisions_file: Path | None,
    operator: str,
    workspace: str | None,
    editors: tuple[str, ...],
    layout: str | None,
    state_file: Path,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Create the online sheet with one pre-filled row per village."""
    template = _load_template(template_source, layout)
    villages, _ = _load_villages(county, divisions_file)
    assert county is not None
    with _client(app_key, app_secret, base_url) as client:
        table = create_table(
            client,
            template,
            villages,
            operator_id=operator,
            workspace_id=workspace,
            editors=editors,
        )
    _save_state(state_file, table, template_source, county, divisions_file)
    console.print(
        text(
            f"已创建在线表格“{template.name}”：{len(villages)} 个村，{len(table.sheets)} 个工作表。",
            f"Created the online sheet “{template.name}”: {len(villages)} villages in "
            f"{len(table.sheets)} sheet(s).",
        )
    )
    console.print(text(f"表格 ID：{table.workbook_id}", f"Workbook id: {table.workbook_id}"))
    if table.url:
        console.print(text(f"链接：{table.url}", f"Link: {table.url}"))
    console.print(text(f"状态已保存到 {state_file}", f"State saved to {state_file}"))


@command.command("collect")
@click.option(
    "--state",
    "state_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("收集表.json"),
    show_default=True,
    help="The file that 'forms create' wrote.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an .xlsx with the raw data, violations and summary sheets.",
)
@connection_options
@handle_errors
def collect_command(
    state_file: Path,
    output: Path | None,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Read the sheet back, check every cell, and total it by town and county."""
    table, county_name = _load_state(state_file)
    with _client(app_key, app_secret, base_url) as client:
        result = collect_table(client, table, county_name=county_name)
    console.print(
        text(
            f"读取用了 {result.calls} 次区域读取（最少 {result.minimum_calls} 次）。",
            f"Read with {result.calls} range calls (minimum {result.minimum_calls}).",
        )
    )
    _report(result, text(f"{table.template.name} · 按乡镇汇总", f"{table.template.name} by town"))
    _export(output, table.template, result, table.villages)


@command.command("aggregate")
@_template_option
@_division_options
@click.option("--form", "form_code", help="Smart-form code (formCode) to read the instances of.")
@click.option(
    "--xlsx",
    "xlsx_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Total a downloaded .xlsx instead of reading DingTalk.",
)
@click.option("--action-date", help="Day of a periodic form, yyyy-MM-dd.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an .xlsx with the raw data, violations and summary sheets.",
)
@connection_options
@handle_errors
def aggregate_command(
    *,
    template_source: str,
    county: str | None,
    divisions_file: Path | None,
    form_code: str | None,
    xlsx_file: Path | None,
    action_date: str | None,
    output: Path | None,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Total a smart form's instances (or a downloaded .xlsx) by town and county."""
    if (form_code is None) == (xlsx_file is None):
        raise click.UsageError(
            text("请二选一：--form 或 --xlsx。", "Give exactly one of --form and --xlsx.")
        )
    template = _load_template(template_source)
    villages, county_name = _load_villages(county, divisions_file)

    if form_code is not None:
        with _client(app_key, app_secret, base_url) as client:
            result = collect_form(
                client,
                form_code,
                template,
                villages,
                action_date=action_date,
                county_name=county_name,
            )
    else:
        from censusdt.census._sync.collection import analyse

        assert xlsx_file is not None
        records = records_from_xlsx(template, xlsx_file, villages=villages)
        result = analyse(template, records, villages, county_name=county_name)
    _report(result, text(f"{template.name} · 按乡镇汇总", f"{template.name} by town"))
    _export(output, template, result, villages)


def _read_people(path: Path) -> dict[str, list[str]]:
    """Read a CSV of 区划代码 and userid columns (UTF-8, UTF-8 with BOM or GB18030)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise click.BadParameter("not UTF-8 or GB18030 text", param_hint="--people")

    rows = list(csv.DictReader(content.splitlines()))
    people: dict[str, list[str]] = {}
    for row in rows:
        code = (row.get(CODE_COLUMN) or row.get("code") or "").strip()
        userid = (row.get("userid") or row.get("用户ID") or "").strip()
        if code and userid:
            people.setdefault(code, []).append(userid)
    if not people:
        raise click.BadParameter(
            text(
                "名单里没有“区划代码,userid”两列的数据。",
                "the file has no rows with the columns 区划代码 and userid",
            ),
            param_hint="--people",
        )
    return people


@command.command("remind")
@click.option(
    "--state",
    "state_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("收集表.json"),
    show_default=True,
    help="The file that 'forms create' wrote.",
)
@click.option(
    "--people",
    "people_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with the columns 区划代码 and userid: the people responsible for each village.",
)
@click.option(
    "--agent-id", required=True, type=int, help="AgentId of the app that sends the notice."
)
@connection_options
@handle_errors
def remind_command(
    *,
    state_file: Path,
    people_file: Path,
    agent_id: int,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Send a work notification to the people of villages not submitted or unfinished."""
    table, county_name = _load_state(state_file)
    people = _read_people(people_file)
    with _client(app_key, app_secret, base_url) as client:
        result = collect_table(client, table, county_name=county_name)
        behind = result.behind
        reminder = remind(
            client, table.template.name, behind, people, agent_id=agent_id, lang=current_language()
        )
    unreached = len(behind) - len(reminder.village_codes)
    console.print(
        text(
            f"落后的村 {len(behind)} 个；已提醒 {len(reminder.userids)} 人（{len(reminder.village_codes)} 个村）。",
            f"{len(behind)} villages behind; reminded {len(reminder.userids)} people "
            f"({len(reminder.village_codes)} villages).",
        )
    )
    if unreached:
        error_console.print(
            text(
                f"有 {unreached} 个村在名单里没有负责人，未能提醒。",
                f"{unreached} villages have nobody in the people file and were not reminded.",
            )
        )
