"""Meeting responses per person, and the saved form of a scheduled meeting."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from censusdt.timeutil import as_shanghai

__all__ = ["RESPONSE_LABELS", "MeetingRecord", "MeetingStatus"]

#: DingTalk's responseStatus values with their Chinese and English labels.
RESPONSE_LABELS = {
    "accepted": ("接受", "accepted"),
    "declined": ("拒绝", "declined"),
    "tentative": ("待定", "tentative"),
    "needsAction": ("未回复", "no answer"),
}


@attrs.frozen
class MeetingStatus:
    """Each invited person's response (``accepted``, ``declined``, ``tentative``, ``needsAction``)."""

    summary: str
    #: userid -> responseStatus, in the order the audience was given.
    people: Mapping[str, str]

    def answered(self, status: str) -> list[str]:
        return [userid for userid, answer in self.people.items() if answer == status]

    def counts(self) -> dict[str, int]:
        tally = dict.fromkeys(RESPONSE_LABELS, 0)
        for answer in self.people.values():
            tally[answer] = tally.get(answer, 0) + 1
        return tally

    def summary_line(self, lang: str = "zh") -> str:
        counts = self.counts()
        index = 1 if lang == "en" else 0
        parts = [f"{RESPONSE_LABELS[key][index]} {counts[key]}" for key in RESPONSE_LABELS]
        separator = ", " if lang == "en" else "，"
        return (
            f"{self.summary}: " + separator.join(parts)
            if lang == "en"
            else (f"{self.summary}：" + separator.join(parts))
        )


def _time_text(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return as_shanghai(value).isoformat()
    return value.isoformat()


def _time_value(text: str) -> date | datetime:
    if "T" in text:
        return as_shanghai(datetime.fromisoformat(text))
    return date.fromisoformat(text)


@attrs.frozen
class MeetingRecord:
    """Everything needed to reschedule, cancel or check a meeting later."""

    event_id: str
    summary: str
    start: date | datetime
    end: date | datetime
    organizer_userid: str
    organizer_union_id: str
    #: userid -> unionId of every invited person except the organizer.
    union_ids: Mapping[str, str]

    @property
    def userids(self) -> list[str]:
        return list(self.union_ids)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "event_id": self.event_id,
            "summary": self.summary,
            "start": _time_text(self.start),
            "end": _time_text(self.end),
            "organizer_userid": self.organizer_userid,
            "organizer_union_id": self.organizer_union_id,
            "union_ids": dict(self.union_ids),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MeetingRecord:
        if data.get("version") != 1:
            raise ValueError(f"unknown meeting record version {data.get('version')!r}; expected 1")
        return cls(
            event_id=str(data["event_id"]),
            summary=str(data["summary"]),
            start=_time_value(str(data["start"])),
            end=_time_value(str(data["end"])),
            organizer_userid=str(data["organizer_userid"]),
            organizer_union_id=str(data["organizer_union_id"]),
            union_ids={str(key): str(value) for key, value in data["union_ids"].items()},
        )

    def save(self, path: str | Path) -> None:
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> MeetingRecord:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
