"""Tests for the shipped 7th census milestones and office milestones."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest

from censusdt.census.calendar import (
    CalendarEvent,
    Certainty,
    Milestone,
    load_census7_milestones,
    parse_milestones_csv,
)
from censusdt.timeutil import SHANGHAI

HEADER = "key,title_zh,title_en,start,end,all_day,certainty,source,description_zh,description_en\n"


@pytest.fixture(scope="module")
def milestones() -> dict[str, Milestone]:
    return {milestone.key: milestone for milestone in load_census7_milestones()}


def test_listing_dates(milestones: dict[str, Milestone]) -> None:
    listing = milestones["listing"]

    assert listing.title == "摸底"
    assert listing.start == date(2020, 10, 11)
    assert listing.end == date(2020, 10, 31)
    assert listing.all_day is True
    assert listing.certainty is Certainty.CONFIRMED


def test_enumeration_dates(milestones: dict[str, Milestone]) -> None:
    enumeration = milestones["enumeration"]

    assert enumeration.title == "入户登记"
    assert enumeration.start == date(2020, 11, 1)
    assert enumeration.end == date(2020, 12, 10)
    assert enumeration.certainty is Certainty.CONFIRMED


def test_reference_time_is_shanghai_midnight(milestones: dict[str, Milestone]) -> None:
    reference = milestones["reference_time"]

    assert reference.all_day is False
    assert reference.start == datetime(2020, 11, 1, 0, 0, tzinfo=SHANGHAI)
    assert isinstance(reference.start, datetime)
    assert reference.start.utcoffset() == timedelta(hours=8)
    assert reference.end is None


def test_results_publication_date(milestones: dict[str, Milestone]) -> None:
    assert milestones["communique"].start == date(2021, 5, 11)


def test_every_milestone_has_source(milestones: dict[str, Milestone]) -> None:
    for milestone in milestones.values():
        assert milestone.source, milestone.key
        assert milestone.title_en, milestone.key
        assert milestone.description, milestone.key


def test_estimated_dates_marked_uncertain(milestones: dict[str, Milestone]) -> None:
    assert milestones["post_enumeration_survey"].certainty is Certainty.UNCERTAIN
    assert milestones["review"].certainty is Certainty.UNCERTAIN
    assert milestones["preparation"].certainty is Certainty.APPROXIMATE


def test_phases_in_order(milestones: dict[str, Milestone]) -> None:
    listing = milestones["listing"]
    enumeration = milestones["enumeration"]
    long_form = milestones["long_form"]

    assert isinstance(listing.end, date)
    assert listing.end < enumeration.start
    assert isinstance(enumeration.end, date)
    assert isinstance(long_form.end, date)
    assert enumeration.start <= long_form.start <= long_form.end <= enumeration.end


def test_event_end_becomes_exclusive(milestones: dict[str, Milestone]) -> None:
    event = milestones["enumeration"].to_event()

    assert event.start == date(2020, 11, 1)
    assert event.end == date(2020, 12, 11)
    assert event.occurs_on(date(2020, 12, 10))
    assert not event.occurs_on(date(2020, 12, 11))


def test_event_uid_from_key(milestones: dict[str, Milestone]) -> None:
    chinese = milestones["listing"].to_event("zh")
    english = milestones["listing"].to_event("en")

    assert chinese.uid == "census7-listing@censusdt"
    assert english.uid == chinese.uid
    assert chinese.title == "摸底"
    assert english.title == "Pre-enumeration listing"
    assert english.description != chinese.description


def test_event_lang_rejected(milestones: dict[str, Milestone]) -> None:
    with pytest.raises(ValueError, match="lang='fr'"):
        milestones["listing"].to_event("fr")


def test_office_deadline() -> None:
    deadline = Milestone("摸底表上报截止", date(2020, 10, 31), description="各镇街上报摸底汇总表")

    event = deadline.to_event()

    assert event == CalendarEvent(
        "摸底表上报截止",
        date(2020, 10, 31),
        date(2020, 11, 1),
        description="各镇街上报摸底汇总表",
        uid=event.uid,
    )
    assert deadline.to_event("en").title == "摸底表上报截止"
    assert deadline.to_event("en").uid == event.uid
    assert deadline.certainty is Certainty.CONFIRMED


def test_office_timed_milestone() -> None:
    start = datetime(2020, 10, 20, 9, 0, tzinfo=SHANGHAI)
    meeting = Milestone("摸底工作推进会", start, start + timedelta(hours=2))

    event = meeting.to_event()

    assert event.all_day is False
    assert event.end == start + timedelta(hours=2)


def test_office_milestone_end_before_start() -> None:
    with pytest.raises(ValueError, match="not after start"):
        Milestone("补录", date(2020, 12, 5), date(2020, 12, 1))


def test_csv_all_bad_rows_reported() -> None:
    text = (
        HEADER
        + "a,甲,A,2020-10-11,2020-10-31,true,confirmed,s,,\n"
        + "b,乙,B,2020/10/11,,true,confirmed,s,,\n"
        + "c,丙,C,2020-10-11,,maybe,confirmed,s,,\n"
        + "d,丁,D,2020-10-11,,true,likely,s,,\n"
        + "a,戊,E,2020-10-12,,true,confirmed,s,,\n"
    )

    with pytest.raises(ValueError, match="invalid milestone rows") as info:
        parse_milestones_csv(text)

    message = str(info.value)
    assert "line 3: start='2020/10/11'" in message
    assert "line 4: all_day='maybe'" in message
    assert "line 5: certainty='likely'" in message
    assert "line 6: key='a' appears twice" in message
    assert "line 2" not in message


def test_csv_missing_columns() -> None:
    with pytest.raises(ValueError, match="lacks the columns"):
        parse_milestones_csv("key,title_zh\na,甲\n")


def test_shipped_csv_round_trips_through_parser(milestones: dict[str, Milestone]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER.strip().split(","))
    for milestone in milestones.values():
        end = milestone.end.isoformat() if milestone.end is not None else ""
        writer.writerow(
            [
                milestone.key,
                milestone.title,
                milestone.title_en,
                milestone.start.isoformat(),
                end,
                "true" if milestone.all_day else "false",
                milestone.certainty.value,
                milestone.source,
                milestone.description,
                milestone.description_en,
            ]
        )

    reparsed = parse_milestones_csv(buffer.getvalue())

    assert reparsed == list(milestones.values())
