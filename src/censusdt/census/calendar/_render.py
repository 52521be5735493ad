"""Render an Agenda as plain text or as rich tables, in Chinese or English."""

from __future__ import annotations

import io
from datetime import date, datetime

from rich import box
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from censusdt.census.calendar._agenda import Agenda, AgendaDay, AgendaEntry

__all__ = ["render_rich", "render_text"]

# Titles shown per month-grid cell before the rest are summarised as "+N".
MAX_TITLES_PER_CELL = 3

_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "all_day": "全天",
        "no_events": "无日程",
        "more": "另有{count}项",
        "time": "时间",
        "event": "日程",
        "location": "地点",
        "date": "日期",
        "day_of": "（第{number}/{total}天）",
        "from": "{time}起",
        "until": "至{time}",
    },
    "en": {
        "all_day": "All day",
        "no_events": "No events",
        "more": "+{count} more",
        "time": "Time",
        "event": "Event",
        "location": "Location",
        "date": "Date",
        "day_of": " (day {number} of {total})",
        "from": "from {time}",
        "until": "until {time}",
    },
}

_WEEKDAYS_GRID = {
    "zh": ("一", "二", "三", "四", "五", "六", "日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_WEEKDAYS_SHORT = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_WEEKDAYS_LONG = {
    "zh": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _short_date(day: date, lang: str) -> str:
    if lang == "zh":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1][:3]}"


def heading(agenda: Agenda) -> str:
    """Return the heading line: the period shown, after the agenda's title if it has one."""
    lang = agenda.lang
    if agenda.view == "day":
        day = agenda.first
        weekday = _WEEKDAYS_LONG[lang][day.weekday()]
        if lang == "zh":
            period = f"{day.year}年{day.month}月{day.day}日 {weekday}"
        else:
            period = f"{weekday}, {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    elif agenda.view == "week":
        year, week, _ = agenda.first.isocalendar()
        first = _short_date(agenda.first, lang)
        last = _short_date(agenda.last, lang)
        if lang == "zh":
            period = f"{year}年第{week}周（{first}—{last}）"
        else:
            period = f"Week {week} of {year} ({first} – {last})"
    else:
        month = agenda.first
        if lang == "zh":
            period = f"{month.year}年{month.month}月"
        else:
            period = f"{_MONTHS_EN[month.month - 1]} {month.year}"

    if agenda.title:
        return f"{agenda.title} · {period}"
    return period


def time_label(entry: AgendaEntry, lang: str) -> str:
    """Return "全天", "09:00–10:30", "09:00起" or "至10:30" (or the English forms)."""
    labels = _LABELS[lang]
    if entry.fills_day:
        return labels["all_day"]

    start, end = entry.event.start, entry.event.end
    assert isinstance(start, datetime)
    assert isinstance(end, datetime)
    if not entry.starts_today:
        return labels["until"].format(time=f"{end:%H:%M}")
    if not entry.ends_today:
        return labels["from"].format(time=f"{start:%H:%M}")
    if start == end:
        return f"{start:%H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"


def entry_title(entry: AgendaEntry, lang: str) -> str:
    """Return the event title, with "day 3 of 40" for an event covering several days."""
    number, total = entry.day_number
    if total == 1:
        return entry.event.title
    return entry.event.title + _LABELS[lang]["day_of"].format(number=number, total=total)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _entry_line(entry: AgendaEntry, lang: str, time_width: int) -> str:
    label = time_label(entry, lang)
    padding = " " * (time_width - cell_len(label))
    line = f"  {label}{padding}  {_one_line(entry_title(entry, lang))}"
    if entry.event.location:
        line += f" · {_one_line(entry.event.location)}"
    return line


def _day_lines(agenda_day: AgendaDay, lang: str, time_width: int) -> list[str]:
    if not agenda_day.entries:
        return [f"  {_LABELS[lang]['no_events']}"]
    return [_entry_line(entry, lang, time_width) for entry in agenda_day.entries]


def _time_width(agenda: Agenda) -> int:
    widths = [
        cell_len(time_label(entry, agenda.lang))
        for agenda_day in agenda.days
        for entry in agenda_day.entries
    ]
    return max(widths, default=0)


def render_text(agenda: Agenda, *, width: int = 100) -> str:
    """Render the agenda as plain text, one event per line (a grid for the month view)."""
    if agenda.view == "month":
        console = Console(
            file=io.StringIO(),
            width=width,
            color_system=None,
            force_terminal=False,
            legacy_windows=False,
            highlight=False,
            emoji=False,
        )
        console.print(heading(agenda))
        console.print(_month_grid(agenda, with_title=False))
        output = console.file
        assert isinstance(output, io.StringIO)
        return output.getvalue()

    lang = agenda.lang
    time_width = _time_width(agenda)
    lines = [heading(agenda)]
    for agenda_day in agenda.days:
        if agenda.view == "week":
            weekday = _WEEKDAYS_SHORT[lang][agenda_day.day.weekday()]
            lines.append(f"{weekday} {_short_date(agenda_day.day, lang)}")
        lines.extend(_day_lines(agenda_day, lang, time_width))
    return "\n".join(lines) + "\n"


def render_rich(agenda: Agenda) -> RenderableType:
    """Return a rich table: a list for the day and week views, a grid for the month view."""
    if agenda.view == "month":
        return _month_grid(agenda, with_title=True)

    lang = agenda.lang
    labels = _LABELS[lang]
    table = Table(title=heading(agenda), box=box.SIMPLE_HEAVY, title_justify="left")
    if agenda.view == "week":
        table.add_column(labels["date"], no_wrap=True)
    table.add_column(labels["time"], no_wrap=True)
    table.add_column(labels["event"])
    table.add_column(labels["location"])

    for agenda_day in agenda.days:
        date_cell = f"{_WEEKDAYS_SHORT[lang][agenda_day.day.weekday()]} "
        date_cell += _short_date(agenda_day.day, lang)
        rows: list[list[str]] = [
            [time_label(entry, lang), entry_title(entry, lang), entry.event.location]
            for entry in agenda_day.entries
        ]
        if not rows:
            rows = [["", labels["no_events"], ""]]
        for index, row in enumerate(rows):
            cells = [date_cell if index == 0 else "", *row] if agenda.view == "week" else row
            table.add_row(*cells, end_section=index == len(rows) - 1)
    return table


def _month_cell(agenda_day: AgendaDay, lang: str) -> Text:
    if not agenda_day.in_period:
        return Text("")

    cell = Text(str(agenda_day.day.day), style="bold")
    shown = agenda_day.entries[:MAX_TITLES_PER_CELL]
    for entry in shown:
        cell.append("\n" + _one_line(entry.event.title))
    hidden = len(agenda_day.entries) - len(shown)
    if hidden:
        cell.append("\n" + _LABELS[lang]["more"].format(count=hidden), style="dim")
    return cell


def _month_grid(agenda: Agenda, *, with_title: bool) -> Table:
    lang = agenda.lang
    table = Table(
        title=heading(agenda) if with_title else None,
        show_lines=True,
        expand=True,
        box=box.SQUARE,
    )
    for name in _WEEKDAYS_GRID[lang]:
        table.add_column(name, ratio=1, no_wrap=True, overflow="ellipsis")

    for week_start in range(0, len(agenda.days), 7):
        week = agenda.days[week_start : week_start + 7]
        table.add_row(*(_month_cell(agenda_day, lang) for agenda_day in week))
    return table
