"""Census milestones: the 7th census key dates shipped as data, plus an office's own deadlines."""

from __future__ import annotations

import csv
import enum
import io
from datetime import date, datetime, timedelta
from importlib import resources

import attrs

from censusdt.census.calendar._event import UID_DOMAIN, CalendarEvent
from censusdt.timeutil import as_shanghai, parse_iso8601

__all__ = ["Certainty", "Milestone", "load_census7_milestones"]

_DATA_PACKAGE = "censusdt"
_MILESTONE_DIRECTORY = ("data", "calendar")
_MILESTONE_FILE = "census7-milestones.csv"


class Certainty(enum.Enum):
    """Confidence in a milestone's dates, by the kind of source that gives them."""

    #: An official announcement or state media gives the date.
    CONFIRMED = "confirmed"
    #: Only local notices or reprints give the date.
    SECONDARY = "secondary"
    #: The official plan gives months only, so the days are the month bounds.
    APPROXIMATE = "approximate"
    #: One unofficial source or an estimate.
    UNCERTAIN = "uncertain"


@attrs.frozen(init=False)
class Milestone:
    """A census date or phase: the national schedule or an office's own deadline.

    Unlike CalendarEvent, ``end`` is the *last* day of an all-day milestone (inclusive),
    because that is how schedules are written: 入户登记 runs from 2020-11-01 to
    2020-12-10. ``end`` is None for a single day or an instant. ``key`` makes the UID
    of the exported event stable; without one the UID is derived from title and dates.
    """

    title: str
    start: date | datetime
    end: date | datetime | None
    all_day: bool
    description: str
    title_en: str
    description_en: str
    certainty: Certainty
    source: str
    key: str

    def __init__(
        self,
        title: str,
        start: date | datetime,
        end: date | datetime | None = None,
        *,
        all_day: bool | None = None,
        description: str = "",
        title_en: str = "",
        description_en: str = "",
        certainty: Certainty = Certainty.CONFIRMED,
        source: str = "",
        key: str = "",
    ) -> None:
        """Validate a milestone by building its event, so bad dates fail here, not on export."""
        if all_day is None:
            all_day = not isinstance(start, datetime)
        if isinstance(start, datetime):
            start = as_shanghai(start)
        if isinstance(end, datetime):
            end = as_shanghai(end)

        self.__attrs_init__(
            title,
            start,
            end,
            all_day,
            description,
            title_en,
            description_en,
            Certainty(certainty),
            source,
            key,
        )
        self.to_event()

    def to_event(self, lang: str = "zh") -> CalendarEvent:
        """Return the milestone as a CalendarEvent, titled in ``lang`` ("zh" or "en").

        English falls back to the Chinese text when no translation is given. The UID does
        not depend on ``lang``, so the Chinese and English exports describe the same event.
        """
        if lang not in ("zh", "en"):
            raise ValueError(f"lang={lang!r} is not supported; use 'zh' or 'en'")

        title = self.title
        description = self.description
        if lang == "en":
            title = self.title_en or self.title
            description = self.description_en or self.description

        end: date | datetime | None = self.end
        if self.all_day and isinstance(end, date) and not isinstance(end, datetime):
            end = end + timedelta(days=1)

        uid = f"census7-{self.key}@{UID_DOMAIN}" if self.key else None
        if uid is None:
            # Derive the UID from the Chinese title so both languages share it.
            uid = CalendarEvent(self.title, self.start, end, all_day=self.all_day).uid

        return CalendarEvent(
            title,
            self.start,
            end,
            all_day=self.all_day,
            description=description,
            uid=uid,
        )


def _parse_point(text: str, all_day: bool, column: str) -> date | datetime:
    if all_day:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{column}={text!r} is not a yyyy-MM-dd date") from None
    return parse_iso8601(text, name=column)


def _parse_row(row: dict[str, str]) -> Milestone:
    all_day_text = row["all_day"].strip().lower()
    if all_day_text not in ("true", "false"):
        raise ValueError(f"all_day={row['all_day']!r} must be 'true' or 'false'")
    all_day = all_day_text == "true"

    start = _parse_point(row["start"].strip(), all_day, "start")
    end_text = row["end"].strip()
    end = _parse_point(end_text, all_day, "end") if end_text else None

    try:
        certainty = Certainty(row["certainty"].strip())
    except ValueError:
        choices = ", ".join(item.value for item in Certainty)
        raise ValueError(f"certainty={row['certainty']!r} must be one of {choices}") from None

    return Milestone(
        row["title_zh"],
        start,
        end,
        all_day=all_day,
        description=row["description_zh"],
        title_en=row["title_en"],
        description_en=row["description_en"],
        certainty=certainty,
        source=row["source"],
        key=row["key"],
    )


def parse_milestones_csv(text: str) -> list[Milestone]:
    """Parse milestone CSV text, raising one ValueError that lists every bad row by line."""
    reader = csv.DictReader(io.StringIO(text))
    required = {"key", "title_zh", "title_en", "start", "end", "all_day", "certainty"}
    missing = required - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"milestone CSV lacks the columns {sorted(missing)}")

    milestones: list[Milestone] = []
    problems: list[str] = []
    seen_keys: set[str] = set()
    for raw_row in reader:
        line = reader.line_num
        row = {name: value or "" for name, value in raw_row.items()}
        try:
            milestone = _parse_row(row)
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if milestone.key in seen_keys:
            problems.append(f"line {line}: key={milestone.key!r} appears twice")
            continue
        seen_keys.add(milestone.key)
        milestones.append(milestone)

    if problems:
        raise ValueError("invalid milestone rows:\n" + "\n".join(problems))
    return milestones


def load_census7_milestones() -> list[Milestone]:
    """Load the key dates of the 7th national population census shipped with censusdt.

    Each milestone carries its ``certainty`` and ``source``; check the ``uncertain``
    ones against your province's schedule before publishing them.
    """
    # Traversable.joinpath() takes a single name on Python 3.10.
    resource = resources.files(_DATA_PACKAGE)
    for name in (*_MILESTONE_DIRECTORY, _MILESTONE_FILE):
        resource = resource.joinpath(name)
    return parse_milestones_csv(resource.read_text(encoding="utf-8"))
