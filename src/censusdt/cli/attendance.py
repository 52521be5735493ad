"""``censusdt attendance summary``: a day's or week's attendance per section, as tables or .xlsx."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from censusdt.census._sync.attendancereport import fetch_attendance_summary
from censusdt.census._sync.broadcast import load_contacts_snapshot
from censusdt.census.admin.attendance import (
    attendance_tables,
    export_attendance_xlsx,
    summary_title,
)
from censusdt.census.audience import ContactsSnapshot
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import current_language, text

__all__ = ["command"]


@click.group("attendance")
def command() -> None:
    """Attendance summaries from DingTalk's punch results."""


@command.command("summary")
@connection_options
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Work day (default today).")
@click.option("--week", is_flag=True, help="Summarise the Monday-to-Sunday week of --date.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Contacts snapshot (JSON) instead of reading contacts.",
)
@click.option(
    "--export",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an .xlsx workbook.",
)
@handle_errors
def summary(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    day: dt.datetime | None,
    week: bool,
    snapshot_file: Path | None,
    export: Path | None,
) -> None:
    """Count on time, late, early, absent, on leave and not punched per section."""
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        when = day.date() if day else dt.datetime.fromtimestamp(client.clock.time()).date()
        if snapshot_file is not None:
            snapshot = ContactsSnapshot.from_json(json.loads(snapshot_file.read_text("utf-8")))
        else:
            with console.status(text("正在读取通讯录……", "Reading contacts...")):
                snapshot = load_contacts_snapshot(client)
        sections = {
            user.userid: snapshot.departments[user.dept_ids[0]].name
            for user in snapshot.users.values()
            if user.dept_ids and user.dept_ids[0] in snapshot.departments
        }
        names = {user.userid: user.name for user in snapshot.users.values()}
        result = fetch_attendance_summary(
            client, sorted(snapshot.users), when, weekly=week, sections=sections, names=names
        )
    console.print(summary_title(result, lang))
    console.print(attendance_tables(result, lang))
    if export is not None:
        export_attendance_xlsx(result, export, lang)
        console.print(text(f"已导出到 {export}", f"Exported to {export}"))
