# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Live training given once to many town groups: schedule, share, who watched, remind the rest."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from rich.table import Table

from censusdt.api.messaging import MarkdownMessage
from censusdt.api.robot import MAX_DING_RECEIVERS, RemindType
from censusdt.census._sync.towngroups import TownGroup, send_group_notice
from censusdt.timeutil import SHANGHAI, from_epoch_ms, to_epoch_ms

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = [
    "Trainee",
    "Training",
    "TrainingReport",
    "remind_unwatched",
    "schedule_training",
    "training_report",
    "training_table",
]


@attrs.frozen
class Training:
    """A scheduled live session and the town groups it was shared to."""

    live_id: str
    anchor_union_id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    play_url: str
    groups: tuple[TownGroup, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "live_id": self.live_id,
            "anchor_union_id": self.anchor_union_id,
            "title": self.title,
            "start": to_epoch_ms(self.start),
            "end": to_epoch_ms(self.end),
            "play_url": self.play_url,
            "groups": [attrs.asdict(group) for group in self.groups],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Training:
        return cls(
            str(data["live_id"]),
            str(data["anchor_union_id"]),
            str(data["title"]),
            from_epoch_ms(int(data["start"])),
            from_epoch_ms(int(data["end"])),
            str(data["play_url"]),
            tuple(
                TownGroup(
                    g["town"],
                    int(g["dept_id"]),
                    g["open_conversation_id"],
                    g["owner"],
                    tuple(g["members"]),
                )
                for g in data["groups"]
            ),
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        target = Path(path)
        target.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2), "utf-8")
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Training:
        return cls.from_json(json.loads(Path(path).read_text("utf-8")))


@attrs.frozen
class Trainee:
    """One expected viewer and how long they watched, live and replay (milliseconds)."""

    userid: str
    name: str
    town: str
    live_ms: int = 0
    replay_ms: int = 0

    @property
    def watched(self) -> bool:
        return self.live_ms > 0 or self.replay_ms > 0


@attrs.frozen
class TrainingReport:
    training: Training
    people: tuple[Trainee, ...]
    taken_at: dt.datetime

    def not_watched(self) -> list[Trainee]:
        return [person for person in self.people if not person.watched]

    def by_town(self) -> dict[str, tuple[int, int, int, int]]:
        """Town -> (expected, watched live, watched only the replay, not watched)."""
        towns: dict[str, list[int]] = {}
        for person in self.people:
            counts = towns.setdefault(person.town, [0, 0, 0, 0])
            counts[0] += 1
            if person.live_ms:
                counts[1] += 1
            elif person.replay_ms:
                counts[2] += 1
            else:
                counts[3] += 1
        return {town: (c[0], c[1], c[2], c[3]) for town, c in towns.items()}


def _announcement(title: str, start: dt.datetime, url: str, lang: str) -> MarkdownMessage:
    when = start.astimezone(SHANGHAI).strftime("%m月%d日 %H:%M")
    if lang == "en":
        when = start.astimezone(SHANGHAI).strftime("%d %b %H:%M")
        return MarkdownMessage(
            f"Training: {title}",
            f"### Training: {title}\nLive at {when} (Beijing time). Watch in DingTalk: {url}\n"
            "If you miss it, watch the replay in the same place.",
        )
    return MarkdownMessage(
        f"培训直播：{title}",
        f"### 培训直播：{title}\n直播时间：{when}。请在钉钉观看：{url}\n"
        "未能观看直播的，请在同一入口观看回放。",
    )


def schedule_training(
    client: DingTalk,
    anchor_userid: str,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    groups: Sequence[TownGroup],
    introduction: str = "",
    lang: str = "zh",
) -> Training:
    """Announce a live session with ``anchor_userid`` and share it to every town group.

    DingTalk's live API has no call that posts a live into several groups, so the app's robot
    posts the session's link into each town group.
    """
    anchor = client.contacts.union_id(anchor_userid)
    live_id = client.live.create(anchor, title, start, end, introduction=introduction)
    info = client.live.get(live_id, anchor)
    training = Training(live_id, anchor, title, start, end, info.play_url, tuple(groups))
    if groups:
        send_group_notice(client, groups, _announcement(title, start, info.play_url, lang))
    return training


def training_report(
    client: DingTalk,
    training: Training,
    *,
    names: Mapping[str, str] | None = None,
) -> TrainingReport:
    """Who of the groups' members watched, live or replay, as DingTalk counts it now."""
    watched: dict[str, tuple[int, int]] = {}
    viewer_names: dict[str, str] = {}
    for viewer in client.live.viewers(training.live_id, training.anchor_union_id):
        if viewer.user_id:
            watched[viewer.user_id] = (viewer.watch_live_ms, viewer.watch_playback_ms)
            viewer_names[viewer.user_id] = viewer.name
    people: list[Trainee] = []
    seen: set[str] = set()
    for group in training.groups:
        for userid in group.members:
            if userid in seen:
                continue
            seen.add(userid)
            live_ms, replay_ms = watched.get(userid, (0, 0))
            name = (names or {}).get(userid) or viewer_names.get(userid) or userid
            people.append(Trainee(userid, name, group.town, live_ms, replay_ms))
    taken = dt.datetime.fromtimestamp(client.clock.time(), tz=SHANGHAI)
    return TrainingReport(training, tuple(people), taken)


def remind_unwatched(
    client: DingTalk, report: TrainingReport, *, deadline: dt.datetime, lang: str = "zh"
) -> list[str]:
    """DING everyone who has watched neither live nor replay; return the DING ids.

    Receivers go in batches of at most 200, DingTalk's in-app DING limit.
    """
    userids = [person.userid for person in report.not_watched()]
    when = deadline.astimezone(SHANGHAI).strftime("%m月%d日 %H:%M")
    content = (
        f"您尚未观看培训“{report.training.title}”，请于{when}前在钉钉观看回放。"
        if lang != "en"
        else f"You have not watched the training “{report.training.title}”; please watch the "
        f"replay in DingTalk by {deadline.astimezone(SHANGHAI):%d %b %H:%M}."
    )
    batch = MAX_DING_RECEIVERS[RemindType.IN_APP]
    ids = []
    for index in range(0, len(userids), batch):
        result = client.robot.send_ding(userids[index : index + batch], content)
        ids.append(result.open_ding_id)
    return ids


def training_table(report: TrainingReport, lang: str = "zh") -> Table:
    """Per town: expected viewers, live, replay only, not watched, and the share watched."""
    zh = lang != "en"
    table = Table(
        title=f"培训观看情况：{report.training.title}"
        if zh
        else f"Viewing: {report.training.title}"
    )
    headers = (
        ("镇街", "Town"),
        ("应看", "Expected"),
        ("看直播", "Live"),
        ("仅看回放", "Replay only"),
        ("未观看", "Not watched"),
        ("观看率", "Watched"),
    )
    for index, header in enumerate(headers):
        table.add_column(header[0] if zh else header[1], justify="left" if index == 0 else "right")
    for town, (total, live, replay, none) in report.by_town().items():
        table.add_row(
            town, str(total), str(live), str(replay), str(none), f"{(live + replay) / total:.0%}"
        )
    return table
