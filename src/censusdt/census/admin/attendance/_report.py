"""Render an attendance summary as rich tables and export it as an .xlsx workbook."""

from __future__ import annotations

import os
from datetime import date
from typing import IO, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rich.console import Group
from rich.table import Table

from censusdt.census.admin.attendance._summary import (
    NO_SECTION,
    AttendanceSummary,
    DayStatus,
    StatusCounts,
)

__all__ = ["STATUS_LABELS", "attendance_tables", "export_attendance_xlsx", "summary_title"]

Language = Literal["zh", "en"]

STATUS_LABELS: dict[str, dict[DayStatus, str]] = {
    "zh": {
        DayStatus.ON_TIME: "正常",
        DayStatus.LATE: "迟到",
        DayStatus.EARLY_LEAVE: "早退",
        DayStatus.ABSENT: "旷工",
        DayStatus.ON_LEAVE: "请假",
        DayStatus.NOT_PUNCHED: "缺卡",
    },
    "en": {
        DayStatus.ON_TIME: "On time",
        DayStatus.LATE: "Late",
        DayStatus.EARLY_LEAVE: "Early leave",
        DayStatus.ABSENT: "Absent",
        DayStatus.ON_LEAVE: "On leave",
        DayStatus.NOT_PUNCHED: "Not punched",
    },
}

_LABELS = {
    "zh": {
        "title": "考勤汇总",
        "section": "科室",
        "name": "姓名",
        "user_id": "用户ID",
        "date": "日期",
        "weekday": "星期",
        "status": "状态",
        "total": "合计",
        "no_section": "未分配科室",
        "by_section": "按科室",
        "by_person": "按人员",
        "by_date": "按日期",
        "details": "每日明细",
        "to": "至",
    },
    "en": {
        "title": "Attendance summary",
        "section": "Section",
        "name": "Name",
        "user_id": "User ID",
        "date": "Date",
        "weekday": "Weekday",
        "status": "Status",
        "total": "Total",
        "no_section": "No section",
        "by_section": "By section",
        "by_person": "By person",
        "by_date": "By date",
        "details": "Daily records",
        "to": "to",
    },
}

_WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _labels(lang: str) -> dict[str, str]:
    if lang not in _LABELS:
        raise ValueError(f"lang={lang!r} is not supported; use 'zh' or 'en'")
    return _LABELS[lang]


def summary_title(summary: AttendanceSummary, lang: Language = "zh") -> str:
    """Return e.g. "考勤汇总（2020-11-02 至 2020-11-08）"."""
    labels = _labels(lang)
    if summary.start == summary.end:
        period = summary.start.isoformat()
    else:
        period = f"{summary.start.isoformat()} {labels['to']} {summary.end.isoformat()}"
    if lang == "zh":
        return f"{labels['title']}（{period}）"
    return f"{labels['title']} ({period})"


def _section_label(section: str, lang: str) -> str:
    return _labels(lang)["no_section"] if section == NO_SECTION else section


def _count_cells(counts: StatusCounts) -> list[int]:
    return [counts[status] for status in DayStatus] + [counts.total]


def _status_headers(lang: str) -> list[str]:
    return [STATUS_LABELS[lang][status] for status in DayStatus] + [_labels(lang)["total"]]


def attendance_tables(summary: AttendanceSummary, lang: Language = "zh") -> Group:
    """Return rich tables of person-day counts per section and per person, with totals."""
    labels = _labels(lang)

    section_table = Table(
        title=f"{summary_title(summary, lang)} · {labels['by_section']}", title_justify="left"
    )
    section_table.add_column(labels["section"])
    for header in _status_headers(lang):
        section_table.add_column(header, justify="right")
    for section, counts in summary.by_section().items():
        section_table.add_row(_section_label(section, lang), *map(str, _count_cells(counts)))
    section_table.add_section()
    section_table.add_row(labels["total"], *map(str, _count_cells(summary.total())), style="bold")

    person_table = Table(
        title=f"{summary_title(summary, lang)} · {labels['by_person']}", title_justify="left"
    )
    person_table.add_column(labels["section"])
    person_table.add_column(labels["name"])
    for header in _status_headers(lang):
        person_table.add_column(header, justify="right")
    for user_id, counts in summary.by_person().items():
        person_table.add_row(
            _section_label(summary.section_of(user_id), lang),
            summary.name_of(user_id),
            *map(str, _count_cells(counts)),
        )

    return Group(section_table, person_table)


def _write_sheet(
    workbook: Workbook, title: str, header: list[str], rows: list[list[object]]
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"

    # Size each column to its longest text. A CJK character is about as wide as two
    # Latin ones.
    for index, column_header in enumerate(header, start=1):
        texts = [str(column_header)] + [str(row[index - 1]) for row in rows]
        width = max(sum(2 if ord(char) > 0x2E7F else 1 for char in text) for text in texts)
        sheet.column_dimensions[get_column_letter(index)].width = width + 2


def export_attendance_xlsx(
    summary: AttendanceSummary,
    destination: str | os.PathLike[str] | IO[bytes],
    lang: Language = "zh",
) -> None:
    """Write the summary as an .xlsx workbook with four sheets.

    The sheets are counts per section (with a total row), counts per person, counts
    per date, and one row per person-day with its status.
    """
    labels = _labels(lang)
    status_headers = _status_headers(lang)
    workbook = Workbook()
    default_sheet = workbook.active
    if default_sheet is not None:
        workbook.remove(default_sheet)

    section_rows: list[list[object]] = [
        [_section_label(section, lang), *_count_cells(counts)]
        for section, counts in summary.by_section().items()
    ]
    section_rows.append([labels["total"], *_count_cells(summary.total())])
    _write_sheet(workbook, labels["by_section"], [labels["section"], *status_headers], section_rows)

    person_rows: list[list[object]] = [
        [
            _section_label(summary.section_of(user_id), lang),
            summary.name_of(user_id),
            user_id,
            *_count_cells(counts),
        ]
        for user_id, counts in summary.by_person().items()
    ]
    _write_sheet(
        workbook,
        labels["by_person"],
        [labels["section"], labels["name"], labels["user_id"], *status_headers],
        person_rows,
    )

    date_rows: list[list[object]] = [
        [day, _WEEKDAYS[lang][day.weekday()], *_count_cells(counts)]
        for day, counts in summary.by_date().items()
    ]
    _write_sheet(
        workbook, labels["by_date"], [labels["date"], labels["weekday"], *status_headers], date_rows
    )

    detail_rows: list[list[object]] = [
        [
            person_day.work_date,
            _WEEKDAYS[lang][person_day.work_date.weekday()],
            _section_label(summary.section_of(person_day.user_id), lang),
            summary.name_of(person_day.user_id),
            person_day.user_id,
            STATUS_LABELS[lang][person_day.status],
        ]
        for person_day in summary.days
    ]
    _write_sheet(
        workbook,
        labels["details"],
        [
            labels["date"],
            labels["weekday"],
            labels["section"],
            labels["name"],
            labels["user_id"],
            labels["status"],
        ],
        detail_rows,
    )

    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"

    workbook.save(destination)
