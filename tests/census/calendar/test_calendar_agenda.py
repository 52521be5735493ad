"""Tests for agenda views: periods, entries per day, labels and rendering."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from censusdt.census.calendar import CalendarEvent, agenda, load_census7_milestones
from censusdt.timeutil import SHANGHAI

MONDAY = date(2020, 11, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def rich_text(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None, legacy_windows=False)
    console.print(renderable)
    output = console.file
    assert isinstance(output, io.StringIO)
    return output.getvalue()


@pytest.fixture
def events() -> list[CalendarEvent]:
    return [
        CalendarEvent("入户登记", date(2020, 11, 1), date(2020, 12, 11)),
        CalendarEvent("业务培训会", at(MONDAY, 9), at(MONDAY, 11, 30), location="三楼会议室"),
        CalendarEvent("碰头会", at(MONDAY, 8), at(MONDAY, 8, 30)),
        CalendarEvent("夜间值班", at(MONDAY, 20), at(MONDAY + timedelta(days=1), 8)),
    ]


def test_week_is_monday_to_sunday() -> None:
    view = agenda([], "week", date(2020, 11, 4))

    assert view.first == date(2020, 11, 2)
    assert view.last == date(2020, 11, 8)
    assert [day.day.weekday() for day in view.days] == list(range(7))


def test_week_text_lists_every_day() -> None:
    text = agenda([], "week", date(2020, 11, 4)).to_text()

    lines = text.splitlines()
    assert lines[0] == "2020年第45周（11月2日—11月8日）"
    for label in ("周一 11月2日", "周三 11月4日", "周日 11月8日"):
        assert label in lines
    assert lines.count("  无日程") == 7


def test_week_english_labels(events: list[CalendarEvent]) -> None:
    text = agenda(events, "week", MONDAY, "en").to_text()

    assert text.startswith("Week 45 of 2020 (2 Nov – 8 Nov)\n")
    assert "Mon 2 Nov" in text
    assert "Sun 8 Nov" in text
    assert "  All day      入户登记 (day 2 of 40)" in text
    assert "from 20:00" in text
    assert "until 08:00" in text


def test_day_entries_sorted(events: list[CalendarEvent]) -> None:
    view = agenda(events, "day", MONDAY)

    titles = [entry.event.title for entry in view.entries_on(MONDAY)]

    assert titles == ["入户登记", "碰头会", "业务培训会", "夜间值班"]


def test_day_text(events: list[CalendarEvent]) -> None:
    text = agenda(events, "day", MONDAY, title="张三").to_text()

    assert text.splitlines() == [
        "张三 · 2020年11月2日 星期一",
        "  全天         入户登记（第2/40天）",
        "  08:00–08:30  碰头会",
        "  09:00–11:30  业务培训会 · 三楼会议室",
        "  20:00起      夜间值班（第1/2天）",
    ]


def test_event_across_midnight_labels(events: list[CalendarEvent]) -> None:
    tuesday = MONDAY + timedelta(days=1)

    text = agenda(events, "day", tuesday).to_text()

    assert "  至08:00  夜间值班（第2/2天）" in text.splitlines()
    assert "碰头会" not in text


def test_month_grid_headers_and_titles() -> None:
    events = [milestone.to_event() for milestone in load_census7_milestones()]

    text = agenda(events, "month", date(2020, 10, 15)).to_text(width=100)

    lines = text.splitlines()
    assert lines[0] == "2020年10月"
    header = next(line for line in lines if "一" in line and "日" in line)
    positions = [header.index(name) for name in "一二三四五六日"]
    assert positions == sorted(positions)
    assert "摸底" in text
    assert "31" in text


def test_month_grid_padding_days() -> None:
    view = agenda([], "month", date(2020, 11, 20))

    assert view.first == date(2020, 11, 1)
    assert view.last == date(2020, 11, 30)
    assert len(view.days) % 7 == 0
    assert view.days[0].day == date(2020, 10, 26)
    assert view.days[0].in_period is False
    assert view.days[-1].day == date(2020, 12, 6)
    in_period = [day.day for day in view.days if day.in_period]
    assert in_period[0] == date(2020, 11, 1)
    assert in_period[-1] == date(2020, 11, 30)


def test_month_grid_hides_extra_titles() -> None:
    events = [CalendarEvent(f"会议{number}", date(2020, 11, 2)) for number in range(5)]

    text = agenda(events, "month", MONDAY).to_text(width=140)

    assert "会议0" in text
    assert "会议2" in text
    assert "会议3" not in text
    assert "另有2项" in text


def test_month_english_headers() -> None:
    text = agenda([], "month", MONDAY, "en").to_text()

    assert text.startswith("November 2020\n")
    header = next(line for line in text.splitlines() if "Mon" in line)
    assert [header.index(name) for name in ("Mon", "Tue", "Sun")] == sorted(
        header.index(name) for name in ("Mon", "Tue", "Sun")
    )


def test_audience_duplicates_shown_once() -> None:
    meeting = CalendarEvent("全体普查员会议", at(MONDAY, 14), at(MONDAY, 15), uid="evt-7")
    # The same event fetched from two attendees' calendars.
    view = agenda([meeting, meeting, meeting], "day", MONDAY)

    assert len(view.entries_on(MONDAY)) == 1


def test_rich_week_table(events: list[CalendarEvent]) -> None:
    output = rich_text(agenda(events, "week", MONDAY))

    assert "2020年第45周" in output
    for header in ("日期", "时间", "日程", "地点"):
        assert header in output
    assert "三楼会议室" in output
    assert "无日程" not in output  # every day of the week has 入户登记


def test_rich_day_table_empty() -> None:
    output = rich_text(agenda([], "day", MONDAY, "en"))

    assert "Monday, 2 November 2020" in output
    assert "No events" in output


def test_rich_month_grid(events: list[CalendarEvent]) -> None:
    output = rich_text(agenda(events, "month", MONDAY))
    assert "2020年11月" in output
    assert "业务培训会" in output


@pytest.mark.parametrize(("view", "lang"), [("year", "zh"), ("week", "fr")])
def test_invalid_view_or_lang(view: str, lang: str) -> None:
    with pytest.raises(ValueError, match="is not supported"):
        agenda([], view, MONDAY, lang)  # type: ignore[arg-type]


def test_anchor_datetime_rejected() -> None:
    with pytest.raises(TypeError, match="anchor"):
        agenda([], "day", at(MONDAY, 9))


def test_anchor_defaults_to_today() -> None:
    before = datetime.now(SHANGHAI).date()
    view = agenda([], "day")
    after = datetime.now(SHANGHAI).date()

    assert before <= view.first <= after


days = st.dates(min_value=date(2020, 9, 1), max_value=date(2021, 2, 28))


@st.composite
def events_strategy(draw: st.DrawFn) -> CalendarEvent:
    title = draw(st.text(alphabet="普查会议abc ", min_size=1, max_size=6).filter(str.strip))
    start_day = draw(days)
    if draw(st.booleans()):
        length = draw(st.integers(min_value=1, max_value=45))
        return CalendarEvent(title, start_day, start_day + timedelta(days=length))
    start = at(start_day, draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    minutes = draw(st.integers(min_value=0, max_value=3 * 24 * 60))
    return CalendarEvent(title, start, start + timedelta(minutes=minutes))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(events_strategy(), max_size=12, unique_by=lambda event: event.uid),
    st.sampled_from(["day", "week", "month"]),
    days,
)
def test_entries_match_covered_days(events: list[CalendarEvent], view: str, anchor: date) -> None:
    result = agenda(events, view, anchor)  # type: ignore[arg-type]

    for agenda_day in result.days:
        shown = sorted(entry.event.uid for entry in agenda_day.entries)
        expected = sorted(event.uid for event in events if agenda_day.day in set(event.days()))
        assert shown == expected, agenda_day.day
        for entry in agenda_day.entries:
            number, total = entry.day_number
            assert 1 <= number <= total == len(list(entry.event.days()))
