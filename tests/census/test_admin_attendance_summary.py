"""The attendance summary read through the API equals a direct count over the fake's records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from censusdt import AsyncDingTalk, DingTalk
from censusdt.census._async.attendancereport import (
    fetch_attendance_summary as async_fetch_attendance_summary,
)
from censusdt.census._sync.attendancereport import fetch_attendance_summary
from censusdt.census.admin.attendance import DayStatus, export_attendance_xlsx
from censusdt_fake import FakeDingTalk
from censusdt_fake.admin import attendance_outcomes, generate_attendance

MONDAY = dt.date(2026, 11, 2)
#: The fake's outcome names and the summary's statuses.
STATUS_OF = {
    "on_time": DayStatus.ON_TIME,
    "late": DayStatus.LATE,
    "absent": DayStatus.ABSENT,
    "leave": DayStatus.ON_LEAVE,
    "not_punched": DayStatus.NOT_PUNCHED,
}
SECTION_NAMES = ("综合组", "业务组", "数据处理组")
SECTIONS = {f"s{i:02d}": SECTION_NAMES[i % 3] for i in range(75)}


def _direct_count(
    fake: FakeDingTalk, first: dt.date, last: dt.date
) -> dict[str, Counter[DayStatus]]:
    counts: dict[str, Counter[DayStatus]] = {}
    for (userid, day), outcome in attendance_outcomes(fake).items():
        if first <= day <= last:
            counts.setdefault(SECTIONS[userid], Counter())[STATUS_OF[outcome]] += 1
    return counts


def _as_counter(counts: object) -> Counter[DayStatus]:
    return Counter({status: counts[status] for status in DayStatus if counts[status]})  # type: ignore[index]


@pytest.mark.parametrize("weekly", [False, True])
def test_summary_equals_direct_count(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk, weekly: bool, tmp_path: Path
) -> None:
    generate_attendance(
        dingtalk_fake,
        list(SECTIONS),
        MONDAY,
        MONDAY + dt.timedelta(days=13),
        seed=11,
        late_share=0.2,
    )
    day = MONDAY + dt.timedelta(days=9)  # Wednesday of the second week

    summary = fetch_attendance_summary(
        dingtalk, list(SECTIONS), day, weekly=weekly, sections=SECTIONS
    )

    first = day - dt.timedelta(days=day.weekday()) if weekly else day
    last = first + dt.timedelta(days=6) if weekly else day
    expected = _direct_count(dingtalk_fake, first, last)
    assert {section: _as_counter(c) for section, c in summary.by_section().items()} == expected
    assert summary.total().total == sum(sum(c.values()) for c in expected.values())
    assert summary.total().late > 0

    path = tmp_path / "考勤.xlsx"
    export_attendance_xlsx(summary, path)
    assert len(load_workbook(path).sheetnames) == 4


@pytest.mark.anyio
async def test_async_daily_summary(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    generate_attendance(
        dingtalk_fake, list(SECTIONS)[:10], MONDAY, MONDAY, seed=3, absent_share=0.5
    )

    summary = await async_fetch_attendance_summary(
        async_dingtalk, list(SECTIONS)[:10], MONDAY, sections=SECTIONS
    )

    expected = Counter(
        STATUS_OF[o] for (_, day), o in attendance_outcomes(dingtalk_fake).items() if day == MONDAY
    )
    assert _as_counter(summary.total()) == expected
