"""``censusdt notify send|status|remind``: targeted notices with receipts from the command line."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.table import Table

from censusdt._sync.client import DingTalk
from censusdt.api.messaging import (
    ActionCardMessage,
    LinkMessage,
    MarkdownMessage,
    Message,
    OAMessage,
    TextMessage,
)
from censusdt.api.robot import RemindType
from censusdt.census._sync.broadcast import (
    Broadcast,
    NoticeTrapError,
    NoticeTrapWarning,
    load_contacts_snapshot,
    send_notice,
)
from censusdt.census.audience import Audience, AudienceError, ContactsSnapshot, Dept, People, Tag
from censusdt.census.notices import NoticeState, NoticeStatus, state_label
from censusdt.cli._common import (
    connection_options,
    console,
    error_console,
    handle_errors,
    make_client,
)
from censusdt.cli._i18n import current_language, text

__all__ = ["build_audience", "command"]

F = TypeVar("F", bound=Callable[..., Any])

_REMIND_TYPES = {"in-app": RemindType.IN_APP, "sms": RemindType.SMS, "call": RemindType.CALL}


@click.group("notify")
def command() -> None:
    """Send work notifications to an audience, check who read them, remind the unread."""


def build_audience(
    *,
    tags: tuple[str, ...],
    depts: tuple[str, ...],
    dept_only: tuple[str, ...],
    users: tuple[str, ...],
    exclude_tags: tuple[str, ...] = (),
    exclude_depts: tuple[str, ...] = (),
    exclude_users: tuple[str, ...] = (),
) -> Audience:
    """Combine command-line options: any of the tags, and in any of the departments, plus users.

    Several ``--tag`` options (or several departments) widen the audience; a tag together with a
    department narrows it to the people who have both ("supervisors of 圣城街道").
    """
    dept_leaves: list[Audience] = [Dept(_dept_key(d)) for d in depts]
    dept_leaves += [Dept(_dept_key(d), include_sub=False) for d in dept_only]
    groups: list[Audience] = []
    for leaves in ([Tag(t) for t in tags], dept_leaves):
        if leaves:
            combined = leaves[0]
            for leaf in leaves[1:]:
                combined = combined | leaf
            groups.append(combined)
    audience: Audience | None = None
    for group in groups:
        audience = group if audience is None else audience & group
    if users:
        audience = People(*users) if audience is None else audience | People(*users)
    if audience is None:
        raise click.UsageError(
            text(
                "请至少用 --tag、--dept、--dept-only 或 --user 指定一类接收人。",
                "Name recipients with at least one --tag, --dept, --dept-only or --user.",
            )
        )
    for exclusion in [Tag(t) for t in exclude_tags] + [Dept(_dept_key(d)) for d in exclude_depts]:
        audience = audience - exclusion
    if exclude_users:
        audience = audience - People(*exclude_users)
    return audience


def _dept_key(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _build_message(
    *,
    text_body: str | None,
    markdown: str | None,
    title: str | None,
    link: str | None,
    pic_url: str | None,
    button_url: str | None,
    oa_url: str | None,
) -> Message:
    def need_title() -> str:
        if not title:
            raise click.UsageError(
                text("此类消息需要 --title。", "This message type needs --title.")
            )
        return title

    if oa_url:
        return OAMessage(oa_url, head_text=need_title(), title=need_title(), content=text_body)
    if link:
        return LinkMessage(need_title(), text_body or need_title(), link, pic_url or "@lALOAAAAAA")
    if button_url:
        body = markdown or text_body or ""
        return ActionCardMessage(
            need_title(), body, single_title=text("查看详情", "Details"), single_url=button_url
        )
    if markdown:
        return MarkdownMessage(need_title(), markdown)
    if text_body:
        return TextMessage(text_body)
    raise click.UsageError(
        text(
            "请用 --text 或 --markdown 给出通知内容。",
            "Give the notice content with --text or --markdown.",
        )
    )


def _snapshot(client: DingTalk, snapshot_file: Path | None) -> ContactsSnapshot:
    if snapshot_file is not None:
        return ContactsSnapshot.from_json(json.loads(snapshot_file.read_text(encoding="utf-8")))
    with console.status(text("正在读取通讯录……", "Reading contacts...")):
        return load_contacts_snapshot(client)


def _audience_options(function: F) -> F:
    options = [
        click.option(
            "--tag", "tags", multiple=True, help="Tag (role) name; repeatable, any of them."
        ),
        click.option(
            "--dept",
            "depts",
            multiple=True,
            help="Department name, path (镇/村) or id, with sub-departments; repeatable.",
        ),
        click.option(
            "--dept-only", multiple=True, help="Department without its sub-departments; repeatable."
        ),
        click.option("--user", "users", multiple=True, help="A userid to add; repeatable."),
        click.option(
            "--exclude-tag", multiple=True, help="Leave out people with this tag; repeatable."
        ),
        click.option(
            "--exclude-dept", multiple=True, help="Leave out this department and below; repeatable."
        ),
        click.option("--exclude-user", multiple=True, help="Leave out this userid; repeatable."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@command.command("send")
@connection_options
@_audience_options
@click.option(
    "--agent-id",
    type=int,
    envvar="DINGTALK_AGENT_ID",
    required=True,
    help="AgentId of the app (DINGTALK_AGENT_ID).",
)
@click.option("--text", "text_body", help="Plain text, or the body of a link, card or OA message.")
@click.option("--markdown", help="Markdown body (needs --title).")
@click.option("--title", help="Title of a markdown, link, card or OA message.")
@click.option("--link", help="Make a link message to this URL (needs --title).")
@click.option("--pic-url", help="Picture of a link message (URL or media id).")
@click.option("--button-url", help="Make an action card whose button opens this URL.")
@click.option("--oa-url", help="Make an OA message that opens this URL.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Contacts snapshot JSON to resolve the audience (read from DingTalk when omitted).",
)
@click.option(
    "--send-log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".censusdt-sent.json"),
    show_default=True,
    help="Local log of sent notices, to find people DingTalk would filter silently.",
)
@click.option(
    "--on-trap",
    type=click.Choice(["warn", "skip", "error"]),
    default="warn",
    show_default=True,
    help="What to do with people DingTalk would filter: send anyway, leave out, or stop.",
)
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file for the notice handle, used by status and remind (required unless --dry-run).",
)
@click.option("--explain", is_flag=True, help="List every recipient and why they are included.")
@click.option("--dry-run", is_flag=True, help="Resolve and check the audience, send nothing.")
@handle_errors
def send(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    tags: tuple[str, ...],
    depts: tuple[str, ...],
    dept_only: tuple[str, ...],
    users: tuple[str, ...],
    exclude_tag: tuple[str, ...],
    exclude_dept: tuple[str, ...],
    exclude_user: tuple[str, ...],
    agent_id: int,
    text_body: str | None,
    markdown: str | None,
    title: str | None,
    link: str | None,
    pic_url: str | None,
    button_url: str | None,
    oa_url: str | None,
    snapshot_file: Path | None,
    send_log: Path,
    on_trap: str,
    save: Path | None,
    explain: bool,
    dry_run: bool,
) -> None:
    """Send a work notification to an audience and save its handle."""
    audience = build_audience(
        tags=tags,
        depts=depts,
        dept_only=dept_only,
        users=users,
        exclude_tags=exclude_tag,
        exclude_depts=exclude_dept,
        exclude_users=exclude_user,
    )
    message = _build_message(
        text_body=text_body,
        markdown=markdown,
        title=title,
        link=link,
        pic_url=pic_url,
        button_url=button_url,
        oa_url=oa_url,
    )
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        snapshot = _snapshot(client, snapshot_file)
        try:
            reasons = audience.explain(snapshot, lang)
        except AudienceError as error:
            error_console.print(
                f"{text('接收人有误', 'Invalid audience')}: {error.describe(current_language())}",
                markup=False,
            )
            raise SystemExit(1) from None
        console.print(
            text(
                f"接收人：{audience.describe(lang)}，共 {len(reasons)} 人",
                f"Audience: {audience.describe(lang)}, {len(reasons)} people",
            )
        )
        if explain:
            table = Table(text("userid", "userid"), text("姓名", "name"), text("原因", "reason"))
            for userid, reason in reasons.items():
                table.add_row(userid, snapshot.users[userid].name, reason)
            console.print(table)
        if dry_run:
            return
        if save is None:
            raise click.UsageError(
                text(
                    "请用 --save 指定回执句柄文件，之后 status 和 remind 要用它。",
                    "Give --save FILE for the notice handle; status and remind need it.",
                )
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NoticeTrapWarning)
            try:
                broadcast = send_notice(
                    client,
                    audience,
                    message,
                    agent_id=agent_id,
                    snapshot=snapshot,
                    send_log=send_log,
                    on_trap=on_trap,
                    lang=lang,
                )
            except NoticeTrapError as error:
                for trap in error.traps:
                    error_console.print(
                        trap.message(
                            {
                                u: snapshot.users[u].name
                                for u in trap.userids
                                if u in snapshot.users
                            },
                            lang,
                        )
                    )
                error_console.print(
                    text(
                        "未发送。可改用 --on-trap skip 跳过这些人。",
                        "Nothing sent. Use --on-trap skip to leave these people out.",
                    )
                )
                raise SystemExit(1) from None
        for warning in caught:
            error_console.print(f"[yellow]{warning.message}[/yellow]")
        broadcast.save(save)
        console.print(
            text(
                f"已发送：{len(broadcast.task_ids)} 个发送任务；回执句柄已保存到 {save}",
                f"Sent in {len(broadcast.task_ids)} tasks; handle saved to {save}",
            )
        )


def _print_status(status: NoticeStatus, lang: str, show_all: bool, limit: int) -> None:
    counts = status.counts()
    summary = Table(title=text("通知回执", "Notice receipts"))
    summary.add_column(text("状态", "Status"))
    summary.add_column(text("人数", "People"), justify="right")
    for state, count in counts.items():
        if count:
            summary.add_row(state_label(state, lang), str(count))
    console.print(summary)
    if status.expired:
        console.print(f"[yellow]{status.summary(lang)}[/yellow]")
    rows = [p for p in status.people if show_all or p.state not in {NoticeState.READ}]
    if rows:
        detail = Table(
            text("userid", "userid"),
            text("姓名", "name"),
            text("状态", "status"),
            text("原因", "reason"),
        )
        for person in rows[:limit]:
            detail.add_row(
                person.userid, person.name, state_label(person.state, lang), person.reason or ""
            )
        console.print(detail)
    if len(rows) > limit:
        console.print(
            text(
                f"另有 {len(rows) - limit} 人未列出；用 --export 导出全部，或用 --limit 调整。",
                f"{len(rows) - limit} more not listed; use --export for everyone or change --limit.",
            )
        )


@command.command("status")
@connection_options
@click.argument("handle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--export",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write one row per person to this .xlsx file.",
)
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="List readers too, not only people who still need attention.",
)
@click.option(
    "--limit", default=200, show_default=True, help="Most people to list in the detail table."
)
@handle_errors
def status(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    handle: Path,
    export: Path | None,
    show_all: bool,
    limit: int,
) -> None:
    """Show who has read, not read, or could not be reached, and why."""
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        result = Broadcast.load(handle, client).status()
    _print_status(result, lang, show_all, limit)
    if export is not None:
        result.to_xlsx(export, lang)
        console.print(text(f"已导出到 {export}", f"Exported to {export}"))


@command.command("remind")
@connection_options
@click.argument("handle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["ding", "notice"]),
    default="ding",
    show_default=True,
    help="DING the unread, or send them a follow-up notice.",
)
@click.option(
    "--remind-type",
    type=click.Choice(list(_REMIND_TYPES)),
    default="in-app",
    show_default=True,
    help="How a DING reaches people (SMS and calls need purchased quota).",
)
@click.option("--content", help="Reminder text (a default naming the notice is used otherwise).")
@handle_errors
def remind(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    handle: Path,
    by: str,
    remind_type: str,
    content: str | None,
) -> None:
    """Remind exactly the people who have not read the notice."""
    with make_client(app_key, app_secret, base_url) as client:
        broadcast = Broadcast.load(handle, client)
        try:
            reminder = broadcast.remind(
                by=by, remind_type=_REMIND_TYPES[remind_type], content=content
            )
        except ValueError as error:
            error_console.print(
                text(
                    "无法提醒：发送已超过24小时，钉钉不再提供未读名单。请重新发送通知。",
                    f"Cannot remind: {error}",
                )
            )
            raise SystemExit(1) from None
        broadcast.save(handle)
    if not reminder.userids:
        console.print(
            text("所有人都已读，无需提醒。", "Everyone has read the notice; nobody to remind.")
        )
        return
    way = text("DING", "DING") if by == "ding" else text("提醒通知", "follow-up notice")
    console.print(
        text(
            f"已通过{way}提醒 {len(reminder.userids)} 名未读人员。",
            f"Reminded {len(reminder.userids)} unread people by {way}.",
        )
    )
    for reason, userids in reminder.failed.items():
        error_console.print(
            text(
                f"{len(userids)} 人未能送达（{reason}）：",
                f"{len(userids)} not reached ({reason}): ",
            )
            + "、".join(userids)
        )
