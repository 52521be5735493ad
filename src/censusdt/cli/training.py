"""``censusdt training schedule|report|remind``: one live training shared to every town group."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from censusdt.census._sync.broadcast import load_contacts_snapshot
from censusdt.census._sync.towngroups import create_town_groups
from censusdt.census._sync.training import (
    Training,
    remind_unwatched,
    schedule_training,
    training_report,
    training_table,
)
from censusdt.census.audience import ContactsSnapshot
from censusdt.cli._common import connection_options, console, handle_errors, make_client
from censusdt.cli._i18n import current_language, text
from censusdt.timeutil import SHANGHAI

__all__ = ["command"]

_HANDLE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _moment(value: str, option: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    except ValueError:
        raise click.BadParameter(
            text(
                f"{value!r} 应写成 2026-12-08 14:00", f"{value!r}: expected e.g. 2026-12-08 14:00"
            ),
            param_hint=option,
        ) from None


@click.group("training")
def command() -> None:
    """Schedule a live training for the town groups, see who watched, remind the rest."""


@command.command("schedule")
@connection_options
@click.option("--title", required=True, help="Title of the session.")
@click.option("--anchor", required=True, help="Userid of the trainer.")
@click.option("--start", required=True, help="Start, Beijing time: 2026-12-08 14:00.")
@click.option(
    "--hours",
    type=click.FloatRange(min=0, min_open=True, max=24),
    default=2.0,
    show_default=True,
    help="Planned length in hours (more than 0, at most 24).",
)
@click.option(
    "--town", "towns", multiple=True, required=True, help="Town to share to (repeatable)."
)
@click.option("--template-id", required=True, help="Scene-group template of the town groups.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Contacts snapshot (JSON) instead of reading contacts.",
)
@click.option(
    "--handle",
    type=click.Path(dir_okay=False, path_type=Path),
    default="training.json",
    show_default=True,
    help="Where to save the session for report and remind.",
)
@handle_errors
def schedule(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    title: str,
    anchor: str,
    start: str,
    hours: float,
    towns: tuple[str, ...],
    template_id: str,
    snapshot_file: Path | None,
    handle: Path,
) -> None:
    """Announce the live session and post it into each town's group."""
    begins = _moment(start, "--start")
    with make_client(app_key, app_secret, base_url) as client:
        if snapshot_file is not None:
            snapshot = ContactsSnapshot.from_json(json.loads(snapshot_file.read_text("utf-8")))
        else:
            snapshot = load_contacts_snapshot(client)
        groups = create_town_groups(client, snapshot, towns, template_id=template_id)
        training = schedule_training(
            client,
            anchor,
            title,
            begins,
            begins + dt.timedelta(hours=hours),
            groups=groups,
            lang=current_language(),
        )
    training.save(handle)
    people = sum(len(group.members) for group in groups)
    console.print(
        text(
            f"已创建直播“{title}”并分享到 {len(groups)} 个镇街群（{people} 人）；句柄：{handle}",
            f"Live “{title}” created and shared to {len(groups)} town groups ({people} people); "
            f"handle: {handle}",
        )
    )


@command.command("report")
@connection_options
@click.argument("handle", type=_HANDLE)
@handle_errors
def report(
    *, app_key: str | None, app_secret: str | None, base_url: str | None, handle: Path
) -> None:
    """Who watched, live or replay, per town."""
    with make_client(app_key, app_secret, base_url) as client:
        result = training_report(client, Training.load(handle))
    console.print(training_table(result, current_language()))
    missing = result.not_watched()
    console.print(text(f"尚未观看：{len(missing)} 人", f"Not watched yet: {len(missing)} people"))


@command.command("remind")
@connection_options
@click.argument("handle", type=_HANDLE)
@click.option(
    "--deadline", required=True, help="Watch the replay by, Beijing time: 2026-12-10 18:00."
)
@handle_errors
def remind(
    *,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
    handle: Path,
    deadline: str,
) -> None:
    """DING everyone who has watched neither the live nor the replay."""
    by = _moment(deadline, "--deadline")
    with make_client(app_key, app_secret, base_url) as client:
        result = training_report(client, Training.load(handle))
        ids = remind_unwatched(client, result, deadline=by, lang=current_language())
    count = len(result.not_watched())
    if not count:
        console.print(text("所有人都已观看，无需提醒。", "Everyone has watched; nobody to remind."))
        return
    console.print(
        text(
            f"已 DING {count} 名未观看人员（{len(ids)} 次调用）。",
            f"DINGed {count} people who have not watched ({len(ids)} calls).",
        )
    )
