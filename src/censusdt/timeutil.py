"""Convert between Asia/Shanghai datetimes and DingTalk's time formats.

DingTalk uses several time formats, depending on the product:

- to-dos, live sessions, attendance responses and approval queries take epoch
  milliseconds (``dueTime``, ``workDate``, ``startTime``);
- calendar events take ``{"date": "yyyy-MM-dd"}`` for all-day events and
  ``{"dateTime": "<ISO 8601 with offset>", "timeZone": "<IANA name>"}`` for timed ones;
- the legacy attendance endpoints take ``"yyyy-MM-dd HH:mm:ss"`` strings.

Every aware datetime returned here is in Asia/Shanghai. A date without a time means
Asia/Shanghai midnight: reading ``2020-11-01`` as UTC midnight would put it at
08:00 local time, and converting that instant back in UTC would give 2020-10-31.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MAX_EPOCH_MS",
    "MIN_EPOCH_MS",
    "SHANGHAI",
    "SHANGHAI_NAME",
    "as_shanghai",
    "check_epoch_ms",
    "check_epoch_seconds",
    "date_to_epoch_ms",
    "epoch_ms_to_date",
    "format_iso8601",
    "format_legacy_datetime",
    "from_dingtalk_time",
    "from_epoch_ms",
    "parse_iso8601",
    "parse_legacy_datetime",
    "shanghai_midnight",
    "to_dingtalk_time",
    "to_epoch_ms",
]

SHANGHAI_NAME = "Asia/Shanghai"
SHANGHAI = ZoneInfo(SHANGHAI_NAME)

# Plausible epoch values, in either unit, lie between 1973-03-03 and the year 5138.
# Epoch seconds in that span are 10**8 .. 10**11 and epoch milliseconds are
# 10**11 .. 10**14, so the two ranges do not overlap and the size of a value
# determines its unit.
MIN_EPOCH_SECONDS = 10**8
MIN_EPOCH_MS = 10**11
MAX_EPOCH_MS = 10**14

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_LEGACY_FORMAT = "%Y-%m-%d %H:%M:%S"
_LEGACY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


def as_shanghai(value: datetime) -> datetime:
    """Return the same instant in Asia/Shanghai.

    Raises ValueError for a naive datetime, because its instant is unknown.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"naive datetime {value.isoformat()} has no time zone, so its instant is "
            f"unknown; attach one, e.g. value.replace(tzinfo=ZoneInfo('{SHANGHAI_NAME}'))"
        )
    return value.astimezone(SHANGHAI)


def shanghai_midnight(day: date) -> datetime:
    """Return Asia/Shanghai midnight at the start of ``day``."""
    if isinstance(day, datetime):
        raise TypeError(f"expected a date without a time, got datetime {day.isoformat()}")
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def _describe_instant(seconds: float) -> str:
    """Format epoch seconds as Asia/Shanghai local time, or as a note that it is out of range."""
    try:
        instant = (_EPOCH + timedelta(seconds=seconds)).astimezone(SHANGHAI)
    except OverflowError:
        return "outside the datetime range"
    return instant.isoformat(sep=" ", timespec="seconds")


def _require_int(value: object, name: str) -> int:
    # bool is a subclass of int, but True is never meant as a timestamp.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{name} must be an int epoch timestamp, got {type(value).__name__} {value!r}"
        )
    return value


def check_epoch_ms(value: int, *, name: str = "value") -> int:
    """Return ``value`` unchanged if it is a plausible epoch-millisecond timestamp.

    Raises ValueError when the value is plainly in epoch seconds (it lies between
    10**8 and 10**11, so as milliseconds it would fall in January 1970 to March 1973)
    or is outside 10**11 .. 10**14 for another reason. The message names the value,
    what it means in both units and how to fix it.
    """
    value = _require_int(value, name)
    if MIN_EPOCH_MS <= value < MAX_EPOCH_MS:
        return value

    as_ms = _describe_instant(value / 1000)
    if MIN_EPOCH_SECONDS <= value < MIN_EPOCH_MS:
        raise ValueError(
            f"{name}={value} looks like epoch seconds, not milliseconds: as seconds it is "
            f"{_describe_instant(value)} ({SHANGHAI_NAME}), but as milliseconds it would be "
            f"{as_ms}. Multiply by 1000 ({value * 1000}) or pass an aware datetime "
            f"to to_epoch_ms()."
        )
    if MAX_EPOCH_MS <= value < MAX_EPOCH_MS * 1000:
        raise ValueError(
            f"{name}={value} is too large for epoch milliseconds ({as_ms}); it looks like "
            f"epoch microseconds ({_describe_instant(value / 1_000_000)}). Divide by 1000 "
            f"({value // 1000})."
        )
    raise ValueError(
        f"{name}={value} is not a plausible epoch-millisecond timestamp ({as_ms}); expected "
        f"a value between {MIN_EPOCH_MS} (1973) and {MAX_EPOCH_MS} (year 5138)."
    )


def check_epoch_seconds(value: int, *, name: str = "value") -> int:
    """Return ``value`` unchanged if it is a plausible epoch-second timestamp.

    Raises ValueError when the value is plainly in epoch milliseconds (10**11 or more,
    which as seconds would be after the year 5138) or is below 10**8 (before 1973).
    The message names the value, what it means in both units and how to fix it.
    """
    value = _require_int(value, name)
    if MIN_EPOCH_SECONDS <= value < MIN_EPOCH_MS:
        return value

    if MIN_EPOCH_MS <= value < MAX_EPOCH_MS:
        raise ValueError(
            f"{name}={value} looks like epoch milliseconds, not seconds: as milliseconds it "
            f"is {_describe_instant(value / 1000)} ({SHANGHAI_NAME}), but as seconds it "
            f"would be {_describe_instant(value)}. Divide by 1000 ({value // 1000})."
        )
    raise ValueError(
        f"{name}={value} is not a plausible epoch-second timestamp "
        f"({_describe_instant(value)}); expected a value between {MIN_EPOCH_SECONDS} (1973) "
        f"and {MIN_EPOCH_MS} (year 5138)."
    )


def to_epoch_ms(value: datetime) -> int:
    """Convert an aware datetime to epoch milliseconds, truncating sub-millisecond parts.

    Raises ValueError for a naive datetime. Use date_to_epoch_ms() for a date.
    """
    if not isinstance(value, datetime):
        raise TypeError(
            f"to_epoch_ms() takes a datetime, got {type(value).__name__} {value!r}; "
            f"use date_to_epoch_ms() for a date"
        )
    delta = as_shanghai(value) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_epoch_ms(value: int, *, name: str = "value") -> datetime:
    """Convert epoch milliseconds to an aware Asia/Shanghai datetime.

    Raises ValueError, via check_epoch_ms(), for a value that is plainly in seconds.
    """
    value = check_epoch_ms(value, name=name)
    return (_EPOCH + timedelta(milliseconds=value)).astimezone(SHANGHAI)


def date_to_epoch_ms(day: date) -> int:
    """Convert a date to the epoch milliseconds of its Asia/Shanghai midnight."""
    return to_epoch_ms(shanghai_midnight(day))


def epoch_ms_to_date(value: int, *, name: str = "value") -> date:
    """Return the Asia/Shanghai calendar date that contains the epoch-millisecond instant."""
    return from_epoch_ms(value, name=name).date()


def format_iso8601(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 in Asia/Shanghai, e.g. ``2020-11-01T09:00:00+08:00``.

    Fractions of a second are dropped, because DingTalk's calendar works in whole seconds.
    """
    return as_shanghai(value).isoformat(timespec="seconds")


def _parse_iso_datetime(text: str, name: str) -> datetime:
    """Parse ISO 8601 text. Text without an offset gives a naive datetime."""
    cleaned = text.strip()

    # datetime.fromisoformat() in Python 3.10 does not accept the "Z" suffix.
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"

    try:
        return datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"{name}={text!r} is not an ISO 8601 date-time; expected e.g. "
            f"'2020-11-01T09:00:00+08:00'"
        ) from None


def parse_iso8601(text: str, *, name: str = "value") -> datetime:
    """Parse an ISO 8601 string with an offset into an aware Asia/Shanghai datetime.

    Accepts the forms DingTalk returns: ``2021-09-20T10:15:30+08:00``,
    ``2022-08-31T11:52Z`` (no seconds, UTC) and fractions of a second.
    Raises ValueError for text without an offset.
    """
    parsed = _parse_iso_datetime(text, name)
    if parsed.tzinfo is None:
        raise ValueError(
            f"{name}={text!r} has no UTC offset, so its instant is unknown; "
            f"add one, e.g. '{text.strip()}+08:00'"
        )
    return parsed.astimezone(SHANGHAI)


def format_legacy_datetime(value: datetime) -> str:
    """Format an aware datetime as Asia/Shanghai ``yyyy-MM-dd HH:mm:ss`` for legacy endpoints."""
    return as_shanghai(value).strftime(_LEGACY_FORMAT)


def parse_legacy_datetime(text: str, *, name: str = "value") -> datetime:
    """Parse a legacy ``yyyy-MM-dd HH:mm:ss`` string as Asia/Shanghai local time."""
    if not _LEGACY_PATTERN.fullmatch(text):
        raise ValueError(f"{name}={text!r} is not in the form 'yyyy-MM-dd HH:mm:ss'")
    try:
        parsed = datetime.strptime(text, _LEGACY_FORMAT)
    except ValueError as exc:
        raise ValueError(f"{name}={text!r} is not a valid date-time: {exc}") from None
    return parsed.replace(tzinfo=SHANGHAI)


def _parse_date(text: str, name: str) -> date:
    if not _DATE_PATTERN.fullmatch(text):
        raise ValueError(f"{name}={text!r} is not in the form 'yyyy-MM-dd'")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{name}={text!r} is not a valid date: {exc}") from None


def _zone(zone_name: str, name: str) -> tzinfo:
    try:
        return ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{name}={zone_name!r} is not an IANA time zone name; use e.g. '{SHANGHAI_NAME}'"
        ) from None


def to_dingtalk_time(value: date | datetime, *, time_zone: str = SHANGHAI_NAME) -> dict[str, str]:
    """Build a calendar event's ``start``/``end`` object from a date or an aware datetime.

    A date gives the all-day form ``{"date": "2020-11-01"}``. An aware datetime gives
    ``{"dateTime": "2020-11-01T09:00:00+08:00", "timeZone": "Asia/Shanghai"}``, with the
    offset of ``time_zone`` at that instant. DingTalk requires an event's end to use the
    same time zone as its start.
    """
    if isinstance(value, datetime):
        local = as_shanghai(value).astimezone(_zone(time_zone, "time_zone"))
        return {"dateTime": local.isoformat(timespec="seconds"), "timeZone": time_zone}
    return {"date": value.isoformat()}


def from_dingtalk_time(value: Mapping[str, object], *, name: str = "time") -> date | datetime:
    """Parse a calendar ``start``/``end`` object into a date or an Asia/Shanghai datetime.

    ``{"date": "yyyy-MM-dd"}`` gives a date. ``{"dateTime": ..., "timeZone": ...}`` gives
    an aware datetime. A ``dateTime`` without an offset is read in ``timeZone``, and one
    with an offset keeps its instant. Empty strings and nulls count as absent, as in
    DingTalk's responses. Raises ValueError when both forms or neither is present, or
    when a value is malformed.
    """
    date_text = value.get("date") or None
    date_time_text = value.get("dateTime") or None
    zone_name = value.get("timeZone") or None

    if date_text is not None and date_time_text is not None:
        raise ValueError(
            f"{name} has both date={date_text!r} and dateTime={date_time_text!r}; "
            f"an all-day time has only 'date', a timed one only 'dateTime' and 'timeZone'"
        )
    if date_text is None and date_time_text is None:
        raise ValueError(f"{name} has neither 'date' nor 'dateTime': {dict(value)!r}")

    if date_text is not None:
        if not isinstance(date_text, str):
            raise ValueError(f"{name}.date must be a string, got {date_text!r}")
        return _parse_date(date_text, f"{name}.date")

    if not isinstance(date_time_text, str):
        raise ValueError(f"{name}.dateTime must be a string, got {date_time_text!r}")
    if zone_name is not None and not isinstance(zone_name, str):
        raise ValueError(f"{name}.timeZone must be a string, got {zone_name!r}")

    zone = _zone(zone_name, f"{name}.timeZone") if zone_name is not None else None
    parsed = _parse_iso_datetime(date_time_text, f"{name}.dateTime")
    if parsed.tzinfo is None:
        if zone is None:
            raise ValueError(
                f"{name}.dateTime={date_time_text!r} has no offset and {name} has no "
                f"timeZone, so its instant is unknown"
            )
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(SHANGHAI)
