"""Tests for censusdt.timeutil: epoch units, Shanghai dates and DingTalk time forms."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt import timeutil
from censusdt.timeutil import (
    SHANGHAI,
    check_epoch_ms,
    check_epoch_seconds,
    date_to_epoch_ms,
    epoch_ms_to_date,
    format_iso8601,
    format_legacy_datetime,
    from_dingtalk_time,
    from_epoch_ms,
    parse_iso8601,
    parse_legacy_datetime,
    shanghai_midnight,
    to_dingtalk_time,
    to_epoch_ms,
)

# 2020-11-01 00:00 in Asia/Shanghai is 2020-10-31 16:00 UTC.
REFERENCE_TIME_MS = 1_604_160_000_000

aware_datetimes = st.datetimes(
    min_value=datetime(1974, 1, 1),
    max_value=datetime(2999, 12, 31),
    timezones=st.sampled_from([SHANGHAI, timezone.utc, ZoneInfo("America/New_York")]),
    # Skip local times that a DST gap skips (Shanghai had DST from 1986 to 1991).
    allow_imaginary=False,
)


def test_reference_time_epoch_ms() -> None:
    reference = datetime(2020, 11, 1, tzinfo=SHANGHAI)
    assert to_epoch_ms(reference) == REFERENCE_TIME_MS
    assert from_epoch_ms(REFERENCE_TIME_MS) == reference
    assert from_epoch_ms(REFERENCE_TIME_MS).utcoffset() == timedelta(hours=8)


@given(aware_datetimes)
def test_epoch_ms_round_trip(value: datetime) -> None:
    value = value.replace(microsecond=value.microsecond // 1000 * 1000)

    result = from_epoch_ms(to_epoch_ms(value))

    # Compare in one zone: Python never treats a datetime in a repeated (DST fold) hour
    # as equal to one in another zone.
    assert result == value.astimezone(SHANGHAI)
    assert result.tzinfo is SHANGHAI


def test_to_epoch_ms_truncates_microseconds() -> None:
    value = datetime(2020, 11, 1, 0, 0, 0, 999_999, tzinfo=SHANGHAI)
    assert to_epoch_ms(value) == REFERENCE_TIME_MS + 999


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="naive datetime 2020-11-01T00:00:00") as info:
        to_epoch_ms(datetime(2020, 11, 1))
    assert "replace(tzinfo=" in str(info.value)


def test_to_epoch_ms_rejects_date() -> None:
    with pytest.raises(TypeError, match="date_to_epoch_ms"):
        to_epoch_ms(date(2020, 11, 1))  # type: ignore[arg-type]


def test_seconds_rejected_where_ms_expected() -> None:
    seconds = REFERENCE_TIME_MS // 1000

    with pytest.raises(ValueError, match="looks like epoch seconds") as info:
        check_epoch_ms(seconds, name="dueTime")

    message = str(info.value)
    assert "dueTime=1604160000" in message
    assert "epoch seconds" in message
    assert "2020-11-01 00:00:00+08:00" in message  # what it means as seconds
    assert "1970-01-19" in message  # what it would mean as milliseconds
    assert str(REFERENCE_TIME_MS) in message  # the fix


def test_ms_rejected_where_seconds_expected() -> None:
    with pytest.raises(ValueError, match="looks like epoch milliseconds") as info:
        check_epoch_seconds(REFERENCE_TIME_MS, name="start")

    message = str(info.value)
    assert f"start={REFERENCE_TIME_MS}" in message
    assert "epoch milliseconds" in message
    assert "2020-11-01 00:00:00+08:00" in message
    assert "Divide by 1000 (1604160000)" in message


def test_microseconds_rejected_where_ms_expected() -> None:
    with pytest.raises(ValueError, match="microseconds") as info:
        check_epoch_ms(REFERENCE_TIME_MS * 1000)
    assert str(REFERENCE_TIME_MS) in str(info.value)


@pytest.mark.parametrize("value", [0, -1, 99_999_999, 10**20])
def test_implausible_ms_rejected(value: int) -> None:
    with pytest.raises(ValueError, match=f"value={value}"):
        check_epoch_ms(value)


@pytest.mark.parametrize("value", [True, 1.6e12, "1604160000000"])
def test_non_int_timestamp_rejected(value: object) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        check_epoch_ms(value)  # type: ignore[arg-type]


@given(st.integers(min_value=timeutil.MIN_EPOCH_MS, max_value=timeutil.MAX_EPOCH_MS - 1))
def test_check_epoch_ms_accepts_plausible(value: int) -> None:
    assert check_epoch_ms(value) == value
    with pytest.raises(ValueError, match="looks like epoch milliseconds"):
        check_epoch_seconds(value)


@given(st.integers(min_value=timeutil.MIN_EPOCH_SECONDS, max_value=timeutil.MIN_EPOCH_MS - 1))
def test_check_epoch_seconds_accepts_plausible(value: int) -> None:
    assert check_epoch_seconds(value) == value
    with pytest.raises(ValueError, match="looks like epoch seconds"):
        check_epoch_ms(value)


def test_date_is_shanghai_midnight_not_utc() -> None:
    census_day = date(2020, 11, 1)

    ms = date_to_epoch_ms(census_day)

    assert ms == REFERENCE_TIME_MS
    assert epoch_ms_to_date(ms) == census_day
    # The same instant read as UTC falls on the previous day.
    as_utc = datetime.fromtimestamp(ms / 1000, tz=timezone.utc).date()
    assert as_utc == date(2020, 10, 31)
    # And UTC midnight of the day is 08:00 in Shanghai, not the start of the day.
    utc_midnight_ms = int(datetime(2020, 11, 1, tzinfo=timezone.utc).timestamp() * 1000)
    assert utc_midnight_ms - ms == 8 * 3600 * 1000


@given(st.dates(min_value=date(1974, 1, 1), max_value=date(2999, 12, 31)))
def test_date_epoch_round_trip(day: date) -> None:
    assert epoch_ms_to_date(date_to_epoch_ms(day)) == day
    assert shanghai_midnight(day).hour == 0


def test_shanghai_midnight_rejects_datetime() -> None:
    with pytest.raises(TypeError, match="without a time"):
        shanghai_midnight(datetime(2020, 11, 1, tzinfo=SHANGHAI))


def test_iso8601_formats() -> None:
    value = datetime(2020, 11, 1, 1, 0, 30, 123_456, tzinfo=timezone.utc)
    assert format_iso8601(value) == "2020-11-01T09:00:30+08:00"
    assert parse_iso8601("2022-08-31T11:52Z") == datetime(2022, 8, 31, 19, 52, tzinfo=SHANGHAI)
    assert parse_iso8601("2021-09-20T10:15:30+08:00") == datetime(
        2021, 9, 20, 10, 15, 30, tzinfo=SHANGHAI
    )


def test_iso8601_without_offset_rejected() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_iso8601("2020-11-01T09:00:00", name="timeMin")


def test_legacy_datetime_round_trip() -> None:
    value = datetime(2020, 11, 2, 8, 30, tzinfo=SHANGHAI)
    text = format_legacy_datetime(value)
    assert text == "2020-11-02 08:30:00"
    assert parse_legacy_datetime(text) == value


@pytest.mark.parametrize("text", ["2020-11-02", "2020-11-02T08:30:00", "2020-13-02 08:30:00"])
def test_legacy_datetime_malformed(text: str) -> None:
    with pytest.raises(ValueError, match="workDateFrom="):
        parse_legacy_datetime(text, name="workDateFrom")


def test_dingtalk_all_day_form() -> None:
    assert to_dingtalk_time(date(2020, 11, 1)) == {"date": "2020-11-01"}
    assert from_dingtalk_time({"date": "2020-11-01"}) == date(2020, 11, 1)


def test_dingtalk_timed_form() -> None:
    value = datetime(2020, 11, 1, 1, 0, tzinfo=timezone.utc)

    form = to_dingtalk_time(value)

    assert form == {"dateTime": "2020-11-01T09:00:00+08:00", "timeZone": "Asia/Shanghai"}
    parsed = from_dingtalk_time(form)
    assert parsed == value
    assert isinstance(parsed, datetime)
    assert parsed.tzinfo is SHANGHAI


def test_dingtalk_timed_form_other_zone() -> None:
    value = datetime(2020, 11, 1, 9, 0, tzinfo=SHANGHAI)
    form = to_dingtalk_time(value, time_zone="UTC")
    assert form == {"dateTime": "2020-11-01T01:00:00+00:00", "timeZone": "UTC"}


def test_dingtalk_response_nulls_ignored() -> None:
    response = {"date": None, "dateTime": "2020-11-01T09:00:00+08:00", "timeZone": ""}
    assert from_dingtalk_time(response) == datetime(2020, 11, 1, 9, tzinfo=SHANGHAI)


def test_dingtalk_local_datetime_uses_time_zone() -> None:
    form = {"dateTime": "2020-11-01T09:00:00", "timeZone": "UTC"}
    assert from_dingtalk_time(form) == datetime(2020, 11, 1, 17, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"date": "2020-11-01", "dateTime": "2020-11-01T09:00:00+08:00"}, "both date="),
        ({"timeZone": "Asia/Shanghai"}, "neither"),
        ({"date": "2020/11/01"}, "yyyy-MM-dd"),
        ({"dateTime": "2020-11-01T09:00:00"}, "no offset"),
        ({"dateTime": "tomorrow", "timeZone": "Asia/Shanghai"}, "not an ISO 8601"),
        ({"dateTime": "2020-11-01T09:00:00", "timeZone": "Mars/Base"}, "IANA"),
    ],
)
def test_dingtalk_form_invalid(form: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        from_dingtalk_time(form, name="start")


@given(aware_datetimes)
def test_dingtalk_timed_round_trip(value: datetime) -> None:
    value = value.replace(microsecond=0)
    assert from_dingtalk_time(to_dingtalk_time(value)) == value.astimezone(SHANGHAI)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_dingtalk_all_day_round_trip(day: date) -> None:
    assert from_dingtalk_time(to_dingtalk_time(day)) == day
