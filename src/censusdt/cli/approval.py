"""``censusdt approval submit|status|remind``: paperless approvals from the built-in templates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from censusdt.census._sync.approvaltrack import (
    approval_statuses,
    approval_table,
    remind_late_approvers,
    submit_approval,
    waiting_by_approver,
)
from censusdt.census.admin.approvals import (
    ApprovalTemplate,
    ComponentType,
    FormComponent,
    get_template,
)
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import current_language, text
from censusdt.timeutil import SHANGHAI

__all__ = ["command", "read_values"]

DEFAULT_TRACK_FILE = "approvals.json"


@click.group("approval")
def command() -> None:
    """Submit approvals on someone's behalf, track them, remind late approvers."""


def _date(component: FormComponent, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if component.date_unit == "hour":
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    return dt.date.fromisoformat(value)


def _coerce(component: FormComponent, value: Any) -> Any:
    """Turn JSON text into the Python values the template encodes (dates, rows)."""
    kind = component.component_type
    if kind is ComponentType.DATE:
        return _date(component, value)
    if kind is ComponentType.DATE_RANGE and isinstance(value, list):
        return tuple(_date(component, part) for part in value)
    if kind is ComponentType.TABLE and isinstance(value, list):
        columns = {column.name: column for column in component.columns}
        return [
            {
                name: _coerce(columns[name], cell) if name in columns else cell
                for name, cell in row.items()
            }
            for row in value
        ]
    return value


def read_values(
    template: ApprovalTemplate, values_file: Path | None, fields: tuple[str, ...]
) -> dict[str, Any]:
    """Values from a JSON file and ``名称=值`` options; dates as ``2026-12-08`` (or with HH:MM)."""
    raw: dict[str, Any] = {}
    if values_file is not None:
        raw.update(json.loads(values_file.read_text(encoding="utf-8")))
    for field in fields:
        name, separator, value = field.partition("=")
        if not separator:
            raise click.BadParameter(
                text(f"{field!r} 应写成 名称=值", f"{field!r} must be name=value"),
                param_hint="--field",
            )
        try:
            raw[name] = json.loads(value)
        except json.JSONDecodeError:
            raw[name] = value
    known = {component.name: component for component in template.components}
    try:
        return {
            name: _coerce(known[name], value) if name in known else value
            for name, value in raw.items()
        }
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--field") from None


def _track(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [str(item) for item in json.loads(path.read_text(encoding="utf-8"))]


@command.command("submit")
@connection_options
@click.option(
    "--template", "template_name", required=True, help="请假, 出差, 用印申请 or 物资申领."
)
@click.option(
    "--process-code", required=True, help="The form's process code in your corp (PROC-...)."
)
@click.option("--originator", required=True, help="Userid of the person the approval is for.")
@click.option(
    "--values",
    "values_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON file of field values (detail tables as lists of rows).",
)
@click.option("--field", "fields", multiple=True, help="One field as 名称=值 (repeatable).")
@click.option(
    "--approver", "approvers", multiple=True, help="Approver userid, in order (repeatable)."
)
@click.option(
    "--dept-id", type=int, help="Originator's department; needed without --approver (-1: root)."
)
@click.option(
    "--track",
    "track_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_TRACK_FILE,
    show_default=True,
    help="File listing tracked instance ids.",
)
@handle_errors
def submit(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    template_name: str,
    process_code: str,
    originator: str,
    values_file: Path | None,
    fields: tuple[str, ...],
    approvers: tuple[str, ...],
    dept_id: int | None,
    track_file: Path,
) -> None:
    """Submit an approval on someone's behalf and add it to the tracking file."""
    try:
        template = get_template(template_name)
    except KeyError as error:
        raise click.BadParameter(str(error), param_hint="--template") from None
    values = read_values(template, values_file, fields)
    with make_client(app_key, app_secret, base_url) as client:
        instance_id = submit_approval(
            client, template, process_code, originator, values, approvers=approvers, dept_id=dept_id
        )
    tracked = _track(track_file)
    tracked.append(instance_id)
    track_file.write_text(json.dumps(tracked, ensure_ascii=False, indent=2), encoding="utf-8")
    console.print(
        text(
            f"已提交{template.name}审批：{instance_id}（已记入 {track_file}）",
            f"Submitted {template.name_en or template.name}: {instance_id} (tracked in {track_file})",
        )
    )


@command.command("status")
@connection_options
@click.argument("instance_ids", nargs=-1)
@click.option(
    "--track",
    "track_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_TRACK_FILE,
    show_default=True,
)
@handle_errors
def status(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    instance_ids: tuple[str, ...],
    track_file: Path,
) -> None:
    """Show each approval's status and result, and what is waiting on whom."""
    ids = list(instance_ids) or _track(track_file)
    if not ids:
        console.print(text("没有要查询的审批。", "No approvals to show."))
        return
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        statuses = approval_statuses(client, ids)
    console.print(approval_table(statuses, {}, lang))
    for userid, items in waiting_by_approver(statuses).items():
        console.print(
            text(f"{userid} 待审批 {len(items)} 条", f"{userid} has {len(items)} waiting")
        )


@command.command("remind")
@connection_options
@click.option(
    "--track",
    "track_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_TRACK_FILE,
    show_default=True,
)
@click.option(
    "--older-than-hours",
    type=float,
    default=24.0,
    show_default=True,
    help="Remind approvers who have held an approval longer than this.",
)
@handle_errors
def remind(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    track_file: Path,
    older_than_hours: float,
) -> None:
    """DING the approvers who have held a tracked approval for too long."""
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        statuses = approval_statuses(client, _track(track_file))
        sent = remind_late_approvers(
            client, statuses, older_than=dt.timedelta(hours=older_than_hours), lang=lang
        )
    if not sent:
        console.print(text("没有超时未审批的人。", "No approver is late."))
        return
    console.print(
        text(
            f"已 DING {len(sent)} 名审批人：{'、'.join(sent)}",
            f"DINGed {len(sent)} approver(s): {', '.join(sent)}",
        )
    )
