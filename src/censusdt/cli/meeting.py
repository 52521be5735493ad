"""``censusdt meeting schedule|status``: meetings in an audience's calendars, and their responses."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import click
from rich.table import Table

from censusdt.census._sync.meetings import Meeting, schedule
from censusdt.census.meetingreport import RESPONSE_LABELS
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import current_language, text
from censusdt.cli._people import audience_options, parse_day, parse_time, resolve_audience

__all__ = ["command"]


@click.group("meeting")
def command() -> None:
    """Schedule meetings for an audience and see who accepted."""


@command.command("schedule")
@connection_options
@audience_options
@click.option("--summary", required=True, help="Title of the meeting.")
@click.option("--start", required=True, help="Start, e.g. '2020-11-02 09:00' (Asia/Shanghai).")
@click.option("--end", help="End, e.g. '2020-11-02 12:00'; one hour after the start by default.")
@click.option(
    "--all-day",
    is_flag=True,
    help="Treat --start and --end as dates (2020-11-02); --end is the last day.",
)
@click.option("--organizer", required=True, help="Userid of the organizer.")
@click.option("--location", help="Where the meeting takes place.")
@click.option("--online", is_flag=True, help="Attach a DingTalk video meeting.")
@click.option("--description", help="Details shown in the event.")
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="JSON file for the meeting handle, used by status.",
)
@handle_errors
def schedule_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    tags: tuple[str, ...],
    depts: tuple[str, ...],
    users: tuple[str, ...],
    snapshot_file: Path | None,
    summary: str,
    start: str,
    end: str | None,
    all_day: bool,
    organizer: str,
    location: str | None,
    online: bool,
    description: str | None,
    save: Path,
) -> None:
    """Put a meeting in the calendars of everyone in the audience and save the handle."""
    begin: date | datetime
    finish: date | datetime
    if all_day:
        begin = parse_day(start, "--start")
        # DingTalk's all-day end is exclusive; the command takes the last day.
        finish = parse_day(end, "--end") + timedelta(days=1) if end else begin + timedelta(days=1)
    else:
        begin = parse_time(start, "--start")
        finish = parse_time(end, "--end") if end else begin + timedelta(hours=1)

    with make_client(app_key, app_secret, base_url) as client:
        audience = resolve_audience(
            client, tags=tags, depts=depts, users=users, snapshot_file=snapshot_file
        )
        meeting = schedule(
            client,
            organizer,
            audience,
            summary,
            start=begin,
            end=finish,
            location=location,
            online_meeting=online,
            description=description,
        )
    meeting.save(save)
    people = len(meeting.record.union_ids)
    console.print(
        text(
            f"会议《{summary}》已进入 {people} 人的日程（每次调用至多500人）；句柄已保存到 {save}。",
            f"Meeting “{summary}” is in {people} people's calendars (at most 500 per call); "
            f"handle saved to {save}.",
        )
    )


@command.command("status")
@connection_options
@click.argument("handle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--all", "everyone", is_flag=True, help="List everyone, not only those not accepted.")
@handle_errors
def status_command(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    handle_file: Path,
    everyone: bool,
) -> None:
    """Show each invited person's response."""
    lang = current_language()
    index = 1 if lang == "en" else 0
    with make_client(app_key, app_secret, base_url) as client:
        status = Meeting.load(client, handle_file).status()
    console.print(status.summary_line(lang))

    shown = [
        (userid, answer)
        for userid, answer in status.people.items()
        if everyone or answer != "accepted"
    ]
    if not shown:
        return
    table = Table()
    table.add_column("userid")
    table.add_column(text("回复", "Answer"))
    for userid, answer in shown:
        table.add_row(userid, RESPONSE_LABELS.get(answer, (answer, answer))[index])
    console.print(table)
