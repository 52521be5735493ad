"""Classify each person's work day and count the days per person, section and date."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import attrs

from censusdt.census.admin.attendance._records import LeaveStatus, PunchResult, TimeResult

__all__ = [
    "NO_SECTION",
    "AttendanceSummary",
    "DayStatus",
    "PersonDay",
    "StatusCounts",
    "classify_day",
    "daily_summary",
    "summarize_attendance",
    "weekly_summary",
]

#: Section key of people missing from the ``sections`` mapping.
NO_SECTION = ""


class DayStatus(enum.Enum):
    """The single status a person's work day is counted under."""

    ON_TIME = "on_time"
    LATE = "late"
    EARLY_LEAVE = "early_leave"
    ABSENT = "absent"
    ON_LEAVE = "on_leave"
    NOT_PUNCHED = "not_punched"


def _is_excused(punch: PunchResult, leaves: Sequence[LeaveStatus]) -> bool:
    if punch.base_check_time is not None:
        return any(leave.covers(punch.base_check_time) for leave in leaves)
    return any(leave.overlaps_day(punch.work_date) for leave in leaves)


def classify_day(punches: Sequence[PunchResult], leaves: Sequence[LeaveStatus]) -> DayStatus:
    """Classify one person's work day from its punch results and the person's leaves.

    A check point is *excused* when a leave covers its scheduled time
    (``baseCheckTime``, both ends of the leave included), or, for a result without a
    scheduled time, when a leave covers any part of the work date. Then:

    1. If every check point is excused, the day is ON_LEAVE.
    2. Otherwise the most serious ``timeResult`` among the check points that are not
       excused decides, in this order: ``Absenteeism`` gives ABSENT, ``NotSigned``
       gives NOT_PUNCHED, ``Late`` or ``SeriousLate`` gives LATE, and ``Early`` gives
       EARLY_LEAVE. So a day with a late arrival and a missing off-duty punch counts
       as NOT_PUNCHED, and one that is late and leaves early counts as LATE.
    3. If every check point that is not excused is ``Normal``, the day is ON_LEAVE when
       some check point was excused (a half-day leave) and ON_TIME otherwise.

    Raises ValueError for an empty list, because a day without check points is a rest
    day and is not counted.
    """
    if not punches:
        raise ValueError("classify_day() needs at least one punch result for the day")

    remaining = [punch for punch in punches if not _is_excused(punch, leaves)]
    if not remaining:
        return DayStatus.ON_LEAVE

    results = {punch.time_result for punch in remaining}
    if TimeResult.ABSENTEEISM in results:
        return DayStatus.ABSENT
    if TimeResult.NOT_SIGNED in results:
        return DayStatus.NOT_PUNCHED
    if TimeResult.LATE in results or TimeResult.SERIOUS_LATE in results:
        return DayStatus.LATE
    if TimeResult.EARLY in results:
        return DayStatus.EARLY_LEAVE
    if len(remaining) < len(punches):
        return DayStatus.ON_LEAVE
    return DayStatus.ON_TIME


@attrs.frozen
class StatusCounts:
    """Numbers of person-days per status."""

    on_time: int = 0
    late: int = 0
    early_leave: int = 0
    absent: int = 0
    on_leave: int = 0
    not_punched: int = 0

    @classmethod
    def from_statuses(cls, statuses: Iterable[DayStatus]) -> StatusCounts:
        """Count each status in ``statuses``."""
        counts = dict.fromkeys((status.value for status in DayStatus), 0)
        for status in statuses:
            counts[status.value] += 1
        return cls(**counts)

    def __getitem__(self, status: DayStatus) -> int:
        count: int = getattr(self, status.value)
        return count

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(**{status.value: self[status] + other[status] for status in DayStatus})

    @property
    def total(self) -> int:
        """Number of person-days counted."""
        return sum(self[status] for status in DayStatus)


@attrs.frozen
class PersonDay:
    """One person's classified work day and the punch results it was classified from."""

    user_id: str
    work_date: date
    status: DayStatus
    punches: tuple[PunchResult, ...]


def _unique_punches(punches: Iterable[PunchResult]) -> list[PunchResult]:
    # Overlapping pages or retried requests can return a record twice.
    by_id: dict[str, PunchResult] = {}
    unique: list[PunchResult] = []
    for punch in punches:
        if punch.record_id is None:
            unique.append(punch)
            continue
        earlier = by_id.get(punch.record_id)
        if earlier is None:
            by_id[punch.record_id] = punch
            unique.append(punch)
        elif earlier != punch:
            raise ValueError(
                f"punch result id={punch.record_id!r} appears twice with different content: "
                f"{earlier!r} and {punch!r}"
            )
    return unique


@attrs.frozen
class AttendanceSummary:
    """Classified work days of a period, with counts per person, section and date.

    ``sections`` maps a userId to its section (科室). People missing from it are
    counted under NO_SECTION. ``names`` maps a userId to a display name. Sections are
    listed in ``section_order`` first, then the others by name, then NO_SECTION.
    """

    start: date
    end: date
    days: tuple[PersonDay, ...]
    sections: Mapping[str, str] = attrs.field(factory=dict)
    names: Mapping[str, str] = attrs.field(factory=dict)
    section_order: tuple[str, ...] = ()

    def section_key(self, section: str) -> tuple[int, int, str]:
        """Sort key that lists sections in ``section_order``, then by name, then NO_SECTION."""
        if section == NO_SECTION:
            return (2, 0, section)
        if section in self.section_order:
            return (0, self.section_order.index(section), section)
        return (1, 0, section)

    def section_of(self, user_id: str) -> str:
        """Return the person's section, or NO_SECTION."""
        return self.sections.get(user_id, NO_SECTION)

    def name_of(self, user_id: str) -> str:
        """Return the person's display name, or the userId when no name is known."""
        return self.names.get(user_id, user_id)

    def person_key(self, user_id: str) -> tuple[tuple[int, int, str], str, str]:
        """Sort key that lists people by section, then name, then userId."""
        return (self.section_key(self.section_of(user_id)), self.name_of(user_id), user_id)

    def by_person(self) -> dict[str, StatusCounts]:
        """Return the counts of each person, ordered by section and then name."""
        statuses: dict[str, list[DayStatus]] = defaultdict(list)
        for person_day in self.days:
            statuses[person_day.user_id].append(person_day.status)
        ordered = sorted(statuses, key=self.person_key)
        return {user_id: StatusCounts.from_statuses(statuses[user_id]) for user_id in ordered}

    def by_section(self) -> dict[str, StatusCounts]:
        """Return the counts of each section, in section_key() order."""
        statuses: dict[str, list[DayStatus]] = defaultdict(list)
        for person_day in self.days:
            statuses[self.section_of(person_day.user_id)].append(person_day.status)
        ordered = sorted(statuses, key=self.section_key)
        return {section: StatusCounts.from_statuses(statuses[section]) for section in ordered}

    def by_date(self) -> dict[date, StatusCounts]:
        """Return the counts of each work date, in date order."""
        statuses: dict[date, list[DayStatus]] = defaultdict(list)
        for person_day in self.days:
            statuses[person_day.work_date].append(person_day.status)
        return {day: StatusCounts.from_statuses(statuses[day]) for day in sorted(statuses)}

    def total(self) -> StatusCounts:
        """Return the counts of all person-days."""
        return StatusCounts.from_statuses(person_day.status for person_day in self.days)

    def people_with(self, status: DayStatus) -> list[PersonDay]:
        """Return the person-days with ``status``, e.g. everyone absent, in summary order."""
        return [person_day for person_day in self.days if person_day.status is status]


def summarize_attendance(
    punches: Iterable[PunchResult],
    leaves: Iterable[LeaveStatus],
    *,
    start: date,
    end: date,
    sections: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    section_order: Sequence[str] = (),
) -> AttendanceSummary:
    """Classify every person's work days from ``start`` to ``end`` inclusive.

    A work day is a (person, workDate) pair with at least one punch result. Punch
    results outside the period are ignored. See classify_day() for how a day whose
    check points disagree is classified. A record id that appears twice is counted
    once, and ValueError is raised if its two copies differ. ``section_order`` lists
    sections in the order the office uses (e.g. 办公室, 业务组, 数据处理组).
    """
    if end < start:
        raise ValueError(f"end={end.isoformat()} is before start={start.isoformat()}")

    leaves_by_user: dict[str, list[LeaveStatus]] = defaultdict(list)
    for leave in leaves:
        leaves_by_user[leave.user_id].append(leave)

    grouped: dict[tuple[str, date], list[PunchResult]] = defaultdict(list)
    for punch in _unique_punches(punches):
        if start <= punch.work_date <= end:
            grouped[(punch.user_id, punch.work_date)].append(punch)

    empty = AttendanceSummary(
        start, end, (), dict(sections or {}), dict(names or {}), tuple(section_order)
    )

    def order(key: tuple[str, date]) -> tuple[date, tuple[tuple[int, int, str], str, str]]:
        user_id, work_date = key
        return (work_date, empty.person_key(user_id))

    days = tuple(
        PersonDay(
            user_id,
            work_date,
            classify_day(grouped[(user_id, work_date)], leaves_by_user[user_id]),
            tuple(grouped[(user_id, work_date)]),
        )
        for user_id, work_date in sorted(grouped, key=order)
    )
    return attrs.evolve(empty, days=days)


def daily_summary(
    punches: Iterable[PunchResult],
    leaves: Iterable[LeaveStatus],
    day: date,
    *,
    sections: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    section_order: Sequence[str] = (),
) -> AttendanceSummary:
    """Summarise one work day."""
    return summarize_attendance(
        punches,
        leaves,
        start=day,
        end=day,
        sections=sections,
        names=names,
        section_order=section_order,
    )


def weekly_summary(
    punches: Iterable[PunchResult],
    leaves: Iterable[LeaveStatus],
    week_of: date,
    *,
    sections: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    section_order: Sequence[str] = (),
) -> AttendanceSummary:
    """Summarise the week (Monday to Sunday) that contains ``week_of``."""
    monday = week_of - timedelta(days=week_of.weekday())
    return summarize_attendance(
        punches,
        leaves,
        start=monday,
        end=monday + timedelta(days=6),
        sections=sections,
        names=names,
        section_order=section_order,
    )
