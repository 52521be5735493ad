"""Audience options and time parsing shared by ``censusdt task``, ``meeting`` and ``calendar``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from censusdt._sync.client import DingTalk
from censusdt.census._sync.broadcast import load_contacts_snapshot
from censusdt.census.audience import AudienceError, ContactsSnapshot
from censusdt.cli._common import console
from censusdt.cli._i18n import text
from censusdt.timeutil import SHANGHAI, from_epoch_ms, parse_iso8601

__all__ = ["audience_options", "parse_day", "parse_time", "resolve_audience"]

F = TypeVar("F", bound=Callable[..., Any])


def audience_options(function: F) -> F:
    """Add ``--tag``, ``--dept``, ``--user`` and ``--snapshot`` to a command."""
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
        click.option("--user", "users", multiple=True, help="A userid to add; repeatable."),
        click.option(
            "--snapshot",
            "snapshot_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Contacts snapshot JSON to resolve tags and departments (read live when omitted).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def resolve_audience(
    client: DingTalk,
    *,
    tags: tuple[str, ...],
    depts: tuple[str, ...],
    users: tuple[str, ...],
    snapshot_file: Path | None,
) -> list[str]:
    """Turn the audience options into userids; plain ``--user`` lists need no contacts read."""
    from censusdt.cli.notify import build_audience

    if not tags and not depts:
        if not users:
            raise click.UsageError(
                text(
                    "请至少用 --tag、--dept 或 --user 指定人员。",
                    "Name people with at least one --tag, --dept or --user.",
                )
            )
        return list(dict.fromkeys(users))

    audience = build_audience(tags=tags, depts=depts, dept_only=(), users=users)
    if snapshot_file is not None:
        data = json.loads(snapshot_file.read_text(encoding="utf-8"))
        snapshot = ContactsSnapshot.from_json(data)
    else:
        with console.status(text("正在读取通讯录……", "Reading contacts...")):
            snapshot = load_contacts_snapshot(client)
    try:
        return sorted(audience.userids(snapshot))
    except AudienceError as error:
        raise click.UsageError(str(error)) from None


def parse_time(value: str, option: str) -> datetime:
    """Read ``2020-11-05 18:00``, ISO 8601 or epoch milliseconds as an Asia/Shanghai time."""
    cleaned = value.strip()
    if cleaned.isdigit():
        try:
            return from_epoch_ms(int(cleaned), name=option)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=option) from None
    try:
        if "+" in cleaned[10:] or cleaned.endswith("Z"):
            return parse_iso8601(cleaned, name=option)
        return datetime.fromisoformat(cleaned).replace(tzinfo=SHANGHAI)
    except ValueError:
        raise click.BadParameter(
            text(
                f"无法识别的时间 {value!r}；请写成 2020-11-05 18:00（北京时间）。",
                f"unrecognised time {value!r}; write e.g. 2020-11-05 18:00 (Asia/Shanghai).",
            ),
            param_hint=option,
        ) from None


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            text(
                f"无法识别的日期 {value!r}；请写成 2020-11-01。",
                f"unrecognised date {value!r}; write e.g. 2020-11-01.",
            ),
            param_hint=option,
        ) from None
