"""Tests for attendance summaries: parsing, day classification, counts and reports."""

from __future__ import annotations

import io
import random
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from censusdt import ValidationError
from censusdt.census.admin.attendance import (
    NO_SECTION,
    STATUS_LABELS,
    AttendanceSummary,
    CheckType,
    DayStatus,
    LeaveStatus,
    PunchResult,
    StatusCounts,
    TimeResult,
    attendance_tables,
    classify_day,
    daily_summary,
    export_attendance_xlsx,
    parse_leave_statuses,
    parse_punch_results,
    summarize_attendance,
    weekly_summary,
)
from censusdt.timeutil import SHANGHAI, date_to_epoch_ms, to_epoch_ms

MONDAY = date(2020, 11, 2)
WEEK = [MONDAY + timedelta(days=offset) for offset in range(7)]
SECTIONS = {"u1": "办公室", "u2": "办公室", "u3": "业务组", "u4": "数据处理组"}
NAMES = {"u1": "张三", "u2": "李四", "u3": "王五", "u4": "赵六", "u5": "孙七"}
USERS = ["u1", "u2", "u3", "u4", "u5"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def punch(
    user_id: str,
    day: date,
    check_type: CheckType,
    result: TimeResult,
    base: datetime | None,
    *,
    record_id: str | None = None,
) -> PunchResult:
    return PunchResult(
        user_id=user_id,
        work_date=day,
        check_type=check_type,
        time_result=result,
        base_check_time=base,
        record_id=record_id,
    )


def on_duty(result: TimeResult, day: date = MONDAY, user_id: str = "u1") -> PunchResult:
    return punch(user_id, day, CheckType.ON_DUTY, result, at(day, 8, 30))


def off_duty(result: TimeResult, day: date = MONDAY, user_id: str = "u1") -> PunchResult:
    return punch(user_id, day, CheckType.OFF_DUTY, result, at(day, 17, 30))


def leave(start: datetime, end: datetime, user_id: str = "u1") -> LeaveStatus:
    return LeaveStatus(user_id=user_id, start=start, end=end)


N = TimeResult.NORMAL


# --- classify_day -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "off", "expected"),
    [
        (N, N, DayStatus.ON_TIME),
        (TimeResult.LATE, N, DayStatus.LATE),
        (TimeResult.SERIOUS_LATE, N, DayStatus.LATE),
        (N, TimeResult.EARLY, DayStatus.EARLY_LEAVE),
        (TimeResult.LATE, TimeResult.EARLY, DayStatus.LATE),
        (TimeResult.LATE, TimeResult.NOT_SIGNED, DayStatus.NOT_PUNCHED),
        (TimeResult.NOT_SIGNED, TimeResult.NOT_SIGNED, DayStatus.NOT_PUNCHED),
        (TimeResult.ABSENTEEISM, TimeResult.NOT_SIGNED, DayStatus.ABSENT),
        (N, TimeResult.ABSENTEEISM, DayStatus.ABSENT),
    ],
)
def test_classify_without_leave(on: TimeResult, off: TimeResult, expected: DayStatus) -> None:
    assert classify_day([on_duty(on), off_duty(off)], []) is expected


def test_full_day_leave() -> None:
    punches = [on_duty(TimeResult.NOT_SIGNED), off_duty(TimeResult.NOT_SIGNED)]
    leaves = [leave(at(MONDAY, 8, 30), at(MONDAY, 17, 30))]

    assert classify_day(punches, leaves) is DayStatus.ON_LEAVE


def test_half_day_leave_then_normal() -> None:
    punches = [on_duty(TimeResult.NOT_SIGNED), off_duty(N)]
    leaves = [leave(at(MONDAY, 8, 0), at(MONDAY, 12, 0))]

    assert classify_day(punches, leaves) is DayStatus.ON_LEAVE


def test_problem_outside_leave_wins() -> None:
    punches = [on_duty(TimeResult.NOT_SIGNED), off_duty(TimeResult.EARLY)]
    leaves = [leave(at(MONDAY, 8, 0), at(MONDAY, 12, 0))]

    assert classify_day(punches, leaves) is DayStatus.EARLY_LEAVE


def test_leave_ends_inclusive() -> None:
    punches = [on_duty(N), off_duty(TimeResult.NOT_SIGNED)]
    leaves = [leave(at(MONDAY, 13, 30), at(MONDAY, 17, 30))]

    assert classify_day(punches, leaves) is DayStatus.ON_LEAVE


def test_leave_of_other_day_ignored() -> None:
    punches = [on_duty(TimeResult.LATE), off_duty(N)]
    tuesday = MONDAY + timedelta(days=1)
    leaves = [leave(at(tuesday, 8, 30), at(tuesday, 17, 30))]

    assert classify_day(punches, leaves) is DayStatus.LATE


def test_missing_base_time_uses_work_date() -> None:
    punches = [punch("u1", MONDAY, CheckType.ON_DUTY, TimeResult.NOT_SIGNED, None)]

    assert classify_day(punches, [leave(at(MONDAY, 14), at(MONDAY, 15))]) is DayStatus.ON_LEAVE
    assert classify_day(punches, []) is DayStatus.NOT_PUNCHED


def test_classify_needs_punches() -> None:
    with pytest.raises(ValueError, match="at least one punch result"):
        classify_day([], [])


# --- wire parsing -------------------------------------------------------------------


def wire_record(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": 1001,
        "groupId": 1,
        "planId": 2,
        "recordId": 3,
        "workDate": date_to_epoch_ms(MONDAY),
        "userId": "manager4220",
        "checkType": "OnDuty",
        "sourceType": "ATM",
        "timeResult": "Late",
        "locationResult": "Normal",
        "baseCheckTime": to_epoch_ms(at(MONDAY, 8, 30)),
        "userCheckTime": to_epoch_ms(at(MONDAY, 8, 41)),
        "procInstId": "",
    }
    record.update(overrides)
    return record


def test_parse_punch_result() -> None:
    (result,) = parse_punch_results([wire_record()])

    assert result.user_id == "manager4220"
    assert result.work_date == MONDAY
    assert result.check_type is CheckType.ON_DUTY
    assert result.time_result is TimeResult.LATE
    assert result.base_check_time == at(MONDAY, 8, 30)
    assert result.user_check_time == at(MONDAY, 8, 41)
    assert result.record_id == "1001"
    assert result.source_type == "ATM"


def test_parse_numbers_sent_as_strings() -> None:
    record = wire_record(workDate=str(date_to_epoch_ms(MONDAY)), userCheckTime=None)

    (result,) = parse_punch_results([record])

    assert result.work_date == MONDAY
    assert result.user_check_time is None


def test_parse_reports_every_bad_key() -> None:
    records = [
        wire_record(),
        wire_record(workDate=date_to_epoch_ms(MONDAY) // 1000, timeResult="Overtime"),
        {"checkType": "OnDuty"},
    ]

    with pytest.raises(ValidationError) as info:
        parse_punch_results(records)

    fields = [error.field for error in info.value.errors]
    assert fields == [
        "recordresult[1].workDate",
        "recordresult[1].timeResult",
        "recordresult[2].userId",
        "recordresult[2].workDate",
        "recordresult[2].timeResult",
    ]
    assert "looks like epoch seconds" in info.value.errors[0].reason


def test_parse_leave_status() -> None:
    item = {
        "userid": "manager4220",
        "start_time": to_epoch_ms(at(MONDAY, 8, 30)),
        "end_time": to_epoch_ms(at(MONDAY, 12, 0)),
        "duration_unit": "percent_day",
        "duration_percent": 50,
        "leave_code": "18ff2d2c-3fb8-4bd0-a90c-1e05ee2ebc36",
    }

    (status,) = parse_leave_statuses([item])

    assert status.start == at(MONDAY, 8, 30)
    assert status.end == at(MONDAY, 12, 0)
    assert status.duration_percent == 50
    assert status.duration_unit == "percent_day"


def test_parse_leave_end_before_start() -> None:
    item = {
        "userid": "u1",
        "start_time": to_epoch_ms(at(MONDAY, 12)),
        "end_time": to_epoch_ms(at(MONDAY, 8)),
    }

    with pytest.raises(ValidationError, match=r"leave_status\[0\].end_time"):
        parse_leave_statuses([item])


# --- summaries ----------------------------------------------------------------------


def test_weekly_summary_period_and_filter() -> None:
    punches = [
        on_duty(N, MONDAY - timedelta(days=1)),
        on_duty(N, MONDAY),
        on_duty(TimeResult.LATE, MONDAY + timedelta(days=6)),
        on_duty(N, MONDAY + timedelta(days=7)),
    ]

    summary = weekly_summary(punches, [], MONDAY + timedelta(days=3), sections=SECTIONS)

    assert (summary.start, summary.end) == (MONDAY, MONDAY + timedelta(days=6))
    assert [person_day.work_date for person_day in summary.days] == [
        MONDAY,
        MONDAY + timedelta(days=6),
    ]
    assert summary.total() == StatusCounts(on_time=1, late=1)


def test_daily_summary_per_section() -> None:
    punches = [
        on_duty(N, user_id="u1"),
        off_duty(N, user_id="u1"),
        on_duty(TimeResult.LATE, user_id="u2"),
        off_duty(N, user_id="u2"),
        on_duty(N, user_id="u3"),
        off_duty(TimeResult.NOT_SIGNED, user_id="u3"),
        on_duty(N, user_id="u5"),
    ]

    summary = daily_summary(punches, [], MONDAY, sections=SECTIONS, names=NAMES)

    by_section = summary.by_section()
    assert by_section["办公室"] == StatusCounts(on_time=1, late=1)
    assert by_section["业务组"] == StatusCounts(not_punched=1)
    assert by_section[NO_SECTION] == StatusCounts(on_time=1)
    assert list(by_section)[-1] == NO_SECTION
    assert [day.user_id for day in summary.people_with(DayStatus.LATE)] == ["u2"]


def test_section_order() -> None:
    punches = [on_duty(N, user_id=user_id) for user_id in USERS]

    summary = daily_summary(
        punches, [], MONDAY, sections=SECTIONS, section_order=["办公室", "业务组", "数据处理组"]
    )

    assert list(summary.by_section()) == ["办公室", "业务组", "数据处理组", NO_SECTION]
    assert list(summary.by_person()) == ["u1", "u2", "u3", "u4", "u5"]


def test_duplicate_record_counted_once() -> None:
    record = punch(
        "u1", MONDAY, CheckType.ON_DUTY, TimeResult.LATE, at(MONDAY, 8, 30), record_id="r1"
    )

    summary = daily_summary([record, record], [], MONDAY)

    assert summary.total().total == 1
    assert len(summary.days[0].punches) == 1


def test_conflicting_duplicate_rejected() -> None:
    first = punch(
        "u1", MONDAY, CheckType.ON_DUTY, TimeResult.LATE, at(MONDAY, 8, 30), record_id="r1"
    )
    second = punch("u1", MONDAY, CheckType.ON_DUTY, N, at(MONDAY, 8, 30), record_id="r1")

    with pytest.raises(ValueError, match="id='r1' appears twice"):
        daily_summary([first, second], [], MONDAY)


def test_end_before_start_rejected() -> None:
    with pytest.raises(ValueError, match="is before start"):
        summarize_attendance([], [], start=MONDAY, end=MONDAY - timedelta(days=1))


def test_status_counts_arithmetic() -> None:
    first = StatusCounts.from_statuses([DayStatus.LATE, DayStatus.LATE, DayStatus.ON_LEAVE])
    second = StatusCounts(late=1, absent=2)

    combined = first + second

    assert combined == StatusCounts(late=3, on_leave=1, absent=2)
    assert combined.total == 6
    assert combined[DayStatus.ABSENT] == 2


# --- reports ------------------------------------------------------------------------


def sample_summary() -> AttendanceSummary:
    punches = [
        on_duty(N, MONDAY, "u1"),
        off_duty(N, MONDAY, "u1"),
        on_duty(TimeResult.LATE, MONDAY, "u3"),
        off_duty(TimeResult.EARLY, MONDAY, "u3"),
        on_duty(TimeResult.NOT_SIGNED, MONDAY, "u4"),
        on_duty(N, MONDAY + timedelta(days=1), "u4"),
        on_duty(TimeResult.ABSENTEEISM, MONDAY + timedelta(days=1), "u5"),
    ]
    leaves = [leave(at(MONDAY, 8), at(MONDAY, 18), "u4")]
    return weekly_summary(punches, leaves, MONDAY, sections=SECTIONS, names=NAMES)


def render(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=140, color_system=None, legacy_windows=False)
    console.print(renderable)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


def row_cells(text: str, first_cell: str) -> list[str]:
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row starting with {first_cell!r}")


def test_rich_tables_chinese() -> None:
    summary = sample_summary()

    text = render(attendance_tables(summary))

    assert "考勤汇总（2020-11-02 至 2020-11-08） · 按科室" in text
    for label in ("科室", "正常", "迟到", "早退", "旷工", "请假", "缺卡", "合计", "未分配科室"):
        assert label in text
    counts = summary.by_section()["业务组"]
    assert row_cells(text, "业务组") == ["业务组", *[str(counts[s]) for s in DayStatus], "1"]
    total = summary.total()
    assert row_cells(text, "合计")[-1] == str(total.total)


def test_rich_tables_english() -> None:
    text = render(attendance_tables(sample_summary(), "en"))

    assert "Attendance summary (2020-11-02 to 2020-11-08)" in text
    for label in ("Section", "On time", "Not punched", "No section", "By person"):
        assert label in text


def test_xlsx_export_matches_summary() -> None:
    summary = sample_summary()
    buffer = io.BytesIO()

    export_attendance_xlsx(summary, buffer)

    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["按科室", "按人员", "按日期", "每日明细"]

    section_rows = list(workbook["按科室"].iter_rows(values_only=True))
    assert section_rows[0] == ("科室", "正常", "迟到", "早退", "旷工", "请假", "缺卡", "合计")
    expected_sections = [
        (section or "未分配科室", *[counts[s] for s in DayStatus], counts.total)
        for section, counts in summary.by_section().items()
    ]
    assert section_rows[1:-1] == expected_sections
    assert section_rows[-1][0] == "合计"
    assert section_rows[-1][-1] == summary.total().total

    person_rows = list(workbook["按人员"].iter_rows(values_only=True))[1:]
    assert [row[2] for row in person_rows] == list(summary.by_person())
    assert [row[1] for row in person_rows] == [NAMES[user] for user in summary.by_person()]

    detail_rows = list(workbook["每日明细"].iter_rows(values_only=True))[1:]
    assert len(detail_rows) == len(summary.days)
    for row, person_day in zip(detail_rows, summary.days, strict=True):
        assert row[0].date() == person_day.work_date
        assert row[4] == person_day.user_id
        assert row[5] == STATUS_LABELS["zh"][person_day.status]


def test_xlsx_export_english(tmp_path: Any) -> None:
    path = tmp_path / "attendance.xlsx"

    export_attendance_xlsx(sample_summary(), path, lang="en")

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["By section", "By person", "By date", "Daily records"]
    assert workbook["By date"]["B2"].value == "Mon"


def test_report_lang_rejected() -> None:
    with pytest.raises(ValueError, match="lang='fr'"):
        export_attendance_xlsx(sample_summary(), io.BytesIO(), lang="fr")  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------

# Check points of a one-shift and a two-shift schedule, as (check type, hour, minute).
SCHEDULES = {
    1: [(CheckType.ON_DUTY, 8, 30), (CheckType.OFF_DUTY, 17, 30)],
    2: [
        (CheckType.ON_DUTY, 8, 30),
        (CheckType.OFF_DUTY, 12, 0),
        (CheckType.ON_DUTY, 13, 30),
        (CheckType.OFF_DUTY, 17, 30),
    ],
}
ANY_RESULT = list(TimeResult)
NOT_ABSENT = [result for result in TimeResult if result is not TimeResult.ABSENTEEISM]
PROBLEM_FREE = [TimeResult.NORMAL]


@st.composite
def planned_day(
    draw: st.DrawFn, user_id: str, day: date
) -> tuple[DayStatus, list[PunchResult], list[LeaveStatus]]:
    """Draw a status, then punch results and leaves that must classify as that status."""
    status = draw(st.sampled_from(list(DayStatus)))
    points = SCHEDULES[draw(st.sampled_from([1, 2]))]
    bases = [at(day, hour, minute) for _, hour, minute in points]
    count = len(points)
    results: list[TimeResult] = [TimeResult.NORMAL] * count
    excused: set[int] = set()

    if status is DayStatus.ON_LEAVE:
        # A leave over a non-empty prefix of the check points; those may show anything.
        covered = draw(st.integers(min_value=1, max_value=count))
        excused = set(range(covered))
        for index in excused:
            results[index] = draw(st.sampled_from(ANY_RESULT))
    else:
        on_duty_points = [i for i, (kind, _, _) in enumerate(points) if kind is CheckType.ON_DUTY]
        off_duty_points = [i for i, (kind, _, _) in enumerate(points) if kind is CheckType.OFF_DUTY]
        decisive_choices = {
            DayStatus.ON_TIME: [],
            DayStatus.LATE: on_duty_points,
            DayStatus.EARLY_LEAVE: off_duty_points,
            DayStatus.ABSENT: list(range(count)),
            DayStatus.NOT_PUNCHED: list(range(count)),
        }[status]
        others = {
            DayStatus.ON_TIME: PROBLEM_FREE,
            DayStatus.LATE: [TimeResult.NORMAL, TimeResult.EARLY],
            DayStatus.EARLY_LEAVE: PROBLEM_FREE,
            DayStatus.ABSENT: ANY_RESULT,
            DayStatus.NOT_PUNCHED: NOT_ABSENT,
        }[status]
        decisive = draw(st.sampled_from(decisive_choices)) if decisive_choices else None
        for index in range(count):
            results[index] = draw(st.sampled_from(others))
        if decisive is not None:
            results[decisive] = {
                DayStatus.LATE: draw(st.sampled_from([TimeResult.LATE, TimeResult.SERIOUS_LATE])),
                DayStatus.EARLY_LEAVE: TimeResult.EARLY,
                DayStatus.ABSENT: TimeResult.ABSENTEEISM,
                DayStatus.NOT_PUNCHED: TimeResult.NOT_SIGNED,
            }[status]
        # Sometimes excuse one problem-free point with a leave; it must not change the day.
        if status is not DayStatus.ON_TIME and draw(st.booleans()):
            candidates = [i for i in range(count) if i != decisive and results[i] is N]
            if candidates:
                excused = {draw(st.sampled_from(candidates))}

    punches = [
        punch(user_id, day, kind, result, base)
        for (kind, _, _), result, base in zip(points, results, bases, strict=True)
    ]
    leaves = []
    if excused:
        first, last = min(excused), max(excused)
        leaves = [leave(bases[first], bases[last], user_id)]
    return status, punches, leaves


@st.composite
def planned_week(
    draw: st.DrawFn,
) -> tuple[dict[tuple[str, date], DayStatus], list[PunchResult], list[LeaveStatus]]:
    plan: dict[tuple[str, date], DayStatus] = {}
    punches: list[PunchResult] = []
    leaves: list[LeaveStatus] = []
    for user_id in USERS:
        work_days = draw(st.lists(st.sampled_from(WEEK), unique=True, max_size=7))
        for day in work_days:
            status, day_punches, day_leaves = draw(planned_day(user_id, day))
            plan[(user_id, day)] = status
            punches.extend(day_punches)
            leaves.extend(day_leaves)
    return plan, punches, leaves


@settings(max_examples=150, deadline=None)
@given(planned_week(), st.randoms(use_true_random=False))
def test_summary_matches_planned_statuses(
    week: tuple[dict[tuple[str, date], DayStatus], list[PunchResult], list[LeaveStatus]],
    shuffler: random.Random,
) -> None:
    plan, punches, leaves = week
    shuffler.shuffle(punches)
    shuffler.shuffle(leaves)

    summary = weekly_summary(punches, leaves, MONDAY, sections=SECTIONS, names=NAMES)

    per_person: dict[str, Counter[DayStatus]] = defaultdict(Counter)
    per_section: dict[str, Counter[DayStatus]] = defaultdict(Counter)
    per_date: dict[date, Counter[DayStatus]] = defaultdict(Counter)
    for (user_id, day), status in plan.items():
        per_person[user_id][status] += 1
        per_section[SECTIONS.get(user_id, NO_SECTION)][status] += 1
        per_date[day][status] += 1

    def as_counts(counter: Counter[DayStatus]) -> StatusCounts:
        return StatusCounts(**{status.value: counter[status] for status in DayStatus})

    assert summary.by_person() == {user: as_counts(c) for user, c in per_person.items()}
    assert summary.by_section() == {section: as_counts(c) for section, c in per_section.items()}
    assert summary.by_date() == {day: as_counts(c) for day, c in per_date.items()}
    assert summary.total().total == len(plan)
    assert {(day.user_id, day.work_date): day.status for day in summary.days} == plan


random_punches = st.lists(
    st.builds(
        punch,
        st.sampled_from(USERS),
        st.sampled_from(WEEK),
        st.sampled_from(list(CheckType)),
        st.sampled_from(ANY_RESULT),
        st.sampled_from(WEEK).flatmap(
            lambda day: st.none() | st.integers(6, 20).map(lambda hour: at(day, hour))
        ),
    ),
    max_size=60,
)
random_leaves = st.lists(
    st.builds(
        lambda user_id, day, hour, hours: leave(
            at(day, hour), at(day, hour) + timedelta(hours=hours), user_id
        ),
        st.sampled_from(USERS),
        st.sampled_from(WEEK),
        st.integers(0, 20),
        st.integers(0, 30),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(random_punches, random_leaves)
def test_summary_equals_direct_count(punches: list[PunchResult], leaves: list[LeaveStatus]) -> None:
    summary = weekly_summary(punches, leaves, MONDAY, sections=SECTIONS)

    groups: dict[tuple[str, date], list[PunchResult]] = defaultdict(list)
    for item in punches:
        groups[(item.user_id, item.work_date)].append(item)
    expected: dict[str, Counter[DayStatus]] = defaultdict(Counter)
    for (user_id, _), group in groups.items():
        user_leaves = [item for item in leaves if item.user_id == user_id]
        expected[SECTIONS.get(user_id, NO_SECTION)][classify_day(group, user_leaves)] += 1

    by_section = summary.by_section()
    assert set(by_section) == set(expected)
    for section, counter in expected.items():
        for status in DayStatus:
            assert by_section[section][status] == counter[status], (section, status)
    assert summary.total().total == len(groups)
    person_total = sum((counts for counts in summary.by_person().values()), StatusCounts())
    assert person_total == summary.total()
