"""``censusdt calendar publish|agenda|export``: the census milestone calendar and agenda views."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

import click

from censusdt.api.calendar import PRIMARY
from censusdt.census._sync.milestones import (
    calendar_events,
    export_ics,
    publish_milestones,
)
from censusdt.census.calendar import Milestone, View, agenda
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import Language, current_language, text
from censusdt.cli._people import audience_options, parse_day, resolve_audience

__all__ = ["command"]


@click.group("calendar")
def command() -> None:
    """Publish the census milestone calendar, show agendas, export .ics files."""


def _deadline(value: str) -> Milestone:
    """Read ``2020-10-28=摸底表上报截止`` as an all-day office deadline."""
    day, separator, title = value.partition("=")
    if not separator or not title.strip():
        raise click.BadParameter(
            text(
                f"无法识别 {value!r}；请写成 2020-10-28=摸底表上报截止。",
                f"cannot read {value!r}; write e.g. 2020-10-28=Listing sheet due.",
            ),
            param_hint="--deadline",
        )
    return Milestone(title.strip(), parse_day(day, "--deadline"))


@command.command("publish")
@connection_options
@audience_options
@click.option("--author", required=True, help="Userid of the calendar's author.")
@click.option("--name", help="Calendar name (第七次全国人口普查日历 by default).")
@click.option("--description", help="Calendar description.")
@click.option(
    "--deadline",
    "deadlines",
    multiple=True,
    help="An office deadline as DATE=TITLE, e.g. 2020-10-28=摸底表上报截止; repeatable.",
)
@click.option(
    "--corp-id",
    help="Let the whole corp subscribe (scope by corp) instead of only the people named.",
)
@handle_errors
def publish_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    tags: tuple[str, ...],
    depts: tuple[str, ...],
    users: tuple[str, ...],
    snapshot_file: Path | None,
    author: str,
    name: str | None,
    description: str | None,
    deadlines: tuple[str, ...],
    corp_id: str | None,
) -> None:
    """Create the public milestone calendar and subscribe the audience to it."""
    office = [_deadline(value) for value in deadlines]
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        staff = resolve_audience(
            client, tags=tags, depts=depts, users=users, snapshot_file=snapshot_file
        )
        published = publish_milestones(
            client,
            author,
            staff,
            name=name,
            description=description,
            office_deadlines=office,
            corp_id=corp_id,
            lang=lang,
        )
    console.print(
        text(
            f"公共日历《{published.name}》已发布（ID {published.calendar_id}）："
            f"{len(published.event_ids)} 个节点，{len(published.subscribers)} 人已订阅。",
            f"Public calendar “{published.name}” published (id {published.calendar_id}): "
            f"{len(published.event_ids)} milestones, {len(published.subscribers)} subscribers.",
        )
    )


@command.command("agenda")
@connection_options
@click.option("--user", "userid", required=True, help="Whose calendar to show (userid).")
@click.option(
    "--calendar-id",
    default=PRIMARY,
    show_default=True,
    help="The user's own calendar (primary) or a public calendar's id.",
)
@click.option(
    "--view",
    type=click.Choice(["day", "week", "month"]),
    default="week",
    show_default=True,
    help="How much to show around --date.",
)
@click.option(
    "--date", "day", help="A day in the period to show, e.g. 2020-11-01 (today by default)."
)
@handle_errors
def agenda_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    userid: str,
    calendar_id: str,
    view: str,
    day: str | None,
) -> None:
    """Show a day, week or month of a calendar."""
    anchor: date | None = parse_day(day, "--date") if day else None
    lang: Language = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        events = calendar_events(client, userid, calendar_id=calendar_id)
    console.print(agenda(events, cast(View, view), anchor, lang))


@command.command("export")
@connection_options
@click.option("--user", "userid", required=True, help="Whose calendar to export (userid).")
@click.option(
    "--calendar-id",
    default=PRIMARY,
    show_default=True,
    help="The user's own calendar (primary) or a public calendar's id.",
)
@click.option("--name", help="Calendar name inside the file (the calendar id by default).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The .ics file to write.",
)
@handle_errors
def export_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    userid: str,
    calendar_id: str,
    name: str | None,
    output: Path,
) -> None:
    """Write a calendar as an iCalendar (.ics) file that calendar apps import."""
    with make_client(app_key, app_secret, base_url) as client:
        data = export_ics(client, userid, calendar_id=calendar_id, name=name)
    output.write_bytes(data)
    console.print(
        text(
            f"已导出到 {output}（{len(data)} 字节）。", f"Exported to {output} ({len(data)} bytes)."
        )
    )
