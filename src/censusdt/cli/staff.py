"""``censusdt staff inactive``: who has not activated DingTalk, per town, and an SMS reminder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from censusdt.census._sync.broadcast import load_contacts_snapshot
from censusdt.census._sync.inactivestaff import inactive_staff, inactive_table, remind_inactive
from censusdt.census.audience import ContactsSnapshot
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import current_language, text

__all__ = ["command"]


@click.group("staff")
def command() -> None:
    """Staff lists for the office."""


@command.command("inactive")
@connection_options
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Day to check (default today)."
)
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Contacts snapshot (JSON) instead of reading contacts.",
)
@click.option("--remind", is_flag=True, help="DING them by SMS, 20 per call (needs SMS quota).")
@handle_errors
def inactive(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    day: dt.datetime | None,
    snapshot_file: Path | None,
    remind: bool,
) -> None:
    """List staff who have not activated DingTalk, by town, with their supervisor."""
    lang = current_language()
    with make_client(app_key, app_secret, base_url) as client:
        if snapshot_file is not None:
            snapshot = ContactsSnapshot.from_json(json.loads(snapshot_file.read_text("utf-8")))
        else:
            snapshot = load_contacts_snapshot(client)
        people = inactive_staff(client, snapshot, query_date=day.date() if day else None)
        if not people:
            console.print(text("所有人都已激活钉钉。", "Everyone has activated DingTalk."))
            return
        console.print(inactive_table(people, lang))
        console.print(text(f"共 {len(people)} 人未激活。", f"{len(people)} people in all."))
        if remind:
            results = remind_inactive(client, [p.userid for p in people], lang=lang)
            console.print(
                text(
                    f"已发送短信 DING {len(results)} 次（每次至多20人）。",
                    f"Sent {len(results)} SMS DINGs (at most 20 people each).",
                )
            )
