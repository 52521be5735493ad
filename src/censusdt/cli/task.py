"""``censusdt task assign|status|remind``: to-dos for an audience, tracked per person."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from censusdt.api.robot import RemindType
from censusdt.census._sync.tasks import TaskHandle, assign
from censusdt.census.taskreport import Progress, TaskStatus
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import current_language, text
from censusdt.cli._people import audience_options, parse_time, resolve_audience

__all__ = ["command"]

_REMIND_TYPES = {"in-app": RemindType.IN_APP, "sms": RemindType.SMS, "call": RemindType.CALL}


@click.group("task")
def command() -> None:
    """Assign to-dos to an audience, see who has finished, remind the unfinished."""


def _print_status(status: TaskStatus, *, everyone: bool) -> None:
    console.print(status.summary(current_language()))
    shown = list(status.people.items())
    if not everyone:
        shown = [(userid, progress) for userid, progress in shown if progress is not Progress.DONE]
    if not shown:
        return
    table = Table(title=text("未完成人员", "Not finished") if not everyone else None)
    table.add_column("userid")
    table.add_column(text("状态", "Status"))
    for userid, progress in shown:
        table.add_row(userid, progress.label(current_language()))
    console.print(table)


@command.command("assign")
@connection_options
@audience_options
@click.option("--subject", required=True, help="Title of the to-do (at most 1024 characters).")
@click.option(
    "--due",
    required=True,
    help="Deadline in Asia/Shanghai time, e.g. '2020-11-05 18:00', or epoch milliseconds.",
)
@click.option("--owner", required=True, help="Userid of the creator, e.g. the office operator.")
@click.option("--description", help="Details shown in the to-do.")
@click.option("--source-id", help="Your id for this assignment; creating it twice fails.")
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="JSON file for the task handle, used by status and remind.",
)
@handle_errors
def assign_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    tags: tuple[str, ...],
    depts: tuple[str, ...],
    users: tuple[str, ...],
    snapshot_file: Path | None,
    subject: str,
    due: str,
    owner: str,
    description: str | None,
    source_id: str | None,
    save: Path,
) -> None:
    """Create to-dos for everyone in the audience and save the handle."""
    if save.exists():
        # The handle is the only record of the to-dos' ids; overwriting it loses the earlier ones.
        raise click.BadParameter(
            text(
                f"{save} 已存在；请换一个文件名，以免覆盖之前的待办记录。",
                f"{save} exists; choose another file so the earlier to-dos stay trackable.",
            ),
            param_hint="--save",
        )
    deadline = parse_time(due, "--due")
    if deadline.timestamp() < time.time():
        console.print(
            text(
                f"注意：截止时间 {deadline:%Y-%m-%d %H:%M} 已经过去，待办一创建即逾期。",
                f"Note: the deadline {deadline:%Y-%m-%d %H:%M} has passed; the to-dos are overdue at once.",
            )
        )
    with make_client(app_key, app_secret, base_url) as client:
        audience = resolve_audience(
            client, tags=tags, depts=depts, users=users, snapshot_file=snapshot_file
        )
        handle = assign(
            client,
            audience,
            subject,
            deadline,
            owner_userid=owner,
            description=description,
            source_id=source_id,
        )
    handle.save(save)
    console.print(
        text(
            f"已为 {len(audience)} 人创建待办《{subject}》（{len(handle.task_ids)} 个待办，"
            f"每个至多100人），截止 {deadline:%Y-%m-%d %H:%M}；句柄已保存到 {save}。",
            f"Created the to-do “{subject}” for {len(audience)} people "
            f"({len(handle.task_ids)} to-dos of at most 100), due {deadline:%Y-%m-%d %H:%M}; "
            f"handle saved to {save}.",
        )
    )


@command.command("status")
@connection_options
@click.argument("handle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--all", "everyone", is_flag=True, help="List everyone, not only the unfinished.")
@handle_errors
def status_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    handle_file: Path,
    everyone: bool,
) -> None:
    """Show who has finished, who has not, and who is overdue."""
    with make_client(app_key, app_secret, base_url) as client:
        status = TaskHandle.load(client, handle_file).status()
    _print_status(status, everyone=everyone)


@command.command("remind")
@connection_options
@click.argument("handle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--remind-type",
    type=click.Choice(sorted(_REMIND_TYPES)),
    default="in-app",
    show_default=True,
    help="How the DING reaches people; sms and call need purchased quota.",
)
@click.option("--message", help="DING text (a Chinese reminder with the deadline by default).")
@handle_errors
def remind_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    handle_file: Path,
    remind_type: str,
    message: str | None,
) -> None:
    """DING exactly the people who have not finished."""
    with make_client(app_key, app_secret, base_url) as client:
        handle = TaskHandle.load(client, handle_file)
        reminder = handle.remind(
            text=message, lang=current_language(), remind_type=_REMIND_TYPES[remind_type]
        )
    if not reminder.userids:
        console.print(
            text("所有人都已完成，无需提醒。", "Everyone has finished; nobody to remind.")
        )
        return
    failed = sum(len(users) for users in reminder.failed.values())
    console.print(
        text(
            f"已向 {len(reminder.userids)} 名未完成人员发送 DING；其中 {failed} 人未能送达。",
            f"DINGed {len(reminder.userids)} people who have not finished; {failed} could not "
            f"be reached.",
        )
    )
