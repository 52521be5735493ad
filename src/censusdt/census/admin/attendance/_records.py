"""Punch results and leave statuses as the legacy attendance endpoints return them."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from censusdt._errors import FieldError, ValidationError
from censusdt.timeutil import epoch_ms_to_date, from_epoch_ms, shanghai_midnight

__all__ = [
    "CheckType",
    "LeaveStatus",
    "PunchResult",
    "TimeResult",
    "parse_leave_statuses",
    "parse_punch_results",
]


class CheckType(str, enum.Enum):
    """Kind of scheduled check point: on duty (上班) or off duty (下班)."""

    ON_DUTY = "OnDuty"
    OFF_DUTY = "OffDuty"


class TimeResult(str, enum.Enum):
    """DingTalk's verdict on the time of one check point (``timeResult``)."""

    NORMAL = "Normal"
    EARLY = "Early"
    LATE = "Late"
    SERIOUS_LATE = "SeriousLate"
    ABSENTEEISM = "Absenteeism"
    NOT_SIGNED = "NotSigned"


@attrs.frozen
class PunchResult:
    """The result of one scheduled check point of one person on one work day.

    DingTalk returns a result for every check point in the schedule, with
    ``NotSigned`` when the person never punched.
    """

    user_id: str
    work_date: date
    check_type: CheckType
    time_result: TimeResult
    base_check_time: datetime | None = None
    user_check_time: datetime | None = None
    record_id: str | None = None
    location_result: str = ""
    source_type: str = ""
    approval_instance_id: str = ""

    @classmethod
    def from_wire(cls, item: Mapping[str, Any], path: str = "record") -> PunchResult:
        """Build a result from one ``recordresult`` item of ``/attendance/list``.

        Raises ValidationError naming every missing or invalid key, prefixed by ``path``.
        """
        reader = _Reader(item, path)
        user_id = reader.text("userId", required=True)
        work_date = reader.day("workDate")
        check_type = reader.choice("checkType", CheckType)
        time_result = reader.choice("timeResult", TimeResult)
        base_check_time = reader.instant("baseCheckTime")
        user_check_time = reader.instant("userCheckTime")
        record_id = reader.text("id") or None
        reader.raise_errors()

        assert work_date is not None
        assert check_type is not None
        assert time_result is not None
        return cls(
            user_id=user_id,
            work_date=work_date,
            check_type=check_type,
            time_result=time_result,
            base_check_time=base_check_time,
            user_check_time=user_check_time,
            record_id=record_id,
            location_result=reader.text("locationResult"),
            source_type=reader.text("sourceType"),
            approval_instance_id=reader.text("procInstId"),
        )


@attrs.frozen
class LeaveStatus:
    """One leave period of one person (``getleavestatus``).

    ``duration_unit`` is ``percent_day`` or ``percent_hour`` and ``duration_percent``
    the duration in that unit times 100.
    """

    user_id: str
    start: datetime
    end: datetime
    duration_unit: str = ""
    duration_percent: int | None = None
    leave_code: str = ""

    @classmethod
    def from_wire(cls, item: Mapping[str, Any], path: str = "leave") -> LeaveStatus:
        """Build a leave from one ``leave_status`` item; raise ValidationError on bad keys."""
        reader = _Reader(item, path)
        user_id = reader.text("userid", required=True)
        start = reader.instant("start_time", required=True)
        end = reader.instant("end_time", required=True)
        duration_percent = reader.integer("duration_percent")
        if start is not None and end is not None and end < start:
            reader.errors.append(
                FieldError(f"{path}.end_time", item.get("end_time"), "is before start_time")
            )
        reader.raise_errors()

        assert start is not None
        assert end is not None
        return cls(
            user_id=user_id,
            start=start,
            end=end,
            duration_unit=reader.text("duration_unit"),
            duration_percent=duration_percent,
            leave_code=reader.text("leave_code"),
        )

    def covers(self, instant: datetime) -> bool:
        """Return whether ``instant`` lies in the leave, both ends included."""
        return self.start <= instant <= self.end

    def overlaps_day(self, day: date) -> bool:
        """Return whether the leave covers any part of ``day`` (Asia/Shanghai)."""
        day_start = shanghai_midnight(day)
        day_end = shanghai_midnight(day + timedelta(days=1))
        return self.start < day_end and self.end >= day_start


class _Reader:
    """Reader of one wire item's keys that collects a FieldError for each bad key."""

    def __init__(self, item: Mapping[str, Any], path: str) -> None:
        self.item = item
        self.path = path
        self.errors: list[FieldError] = []

    def _fail(self, key: str, reason: str) -> None:
        self.errors.append(FieldError(f"{self.path}.{key}", self.item.get(key), reason))

    def _present(self, key: str) -> bool:
        value = self.item.get(key)
        return value is not None and value != ""

    def text(self, key: str, *, required: bool = False) -> str:
        if not self._present(key):
            if required:
                self._fail(key, "is required")
            return ""
        value = self.item[key]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self._fail(key, "expected a string")
            return ""
        return str(value)

    def integer(self, key: str) -> int | None:
        """Return the integer at ``key``, or None when it is absent or invalid.

        An invalid value also records a FieldError.
        """
        if not self._present(key):
            return None
        value = self.item[key]

        # Legacy endpoints send some numbers as strings.
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self._fail(key, "expected an integer")
        return None

    def instant(self, key: str, *, required: bool = False) -> datetime | None:
        if not self._present(key):
            if required:
                self._fail(key, "is required")
            return None
        value = self.integer(key)
        if value is None:
            return None
        try:
            return from_epoch_ms(value, name=key)
        except ValueError as exc:
            self._fail(key, str(exc))
            return None

    def day(self, key: str) -> date | None:
        if not self._present(key):
            self._fail(key, "is required")
            return None
        value = self.integer(key)
        if value is None:
            return None
        try:
            return epoch_ms_to_date(value, name=key)
        except ValueError as exc:
            self._fail(key, str(exc))
            return None

    def choice(self, key: str, kind: type[CheckType] | type[TimeResult]) -> Any:
        value = self.item.get(key)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            self._fail(key, f"is not one of {allowed}")
            return None

    def raise_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def parse_punch_results(items: Iterable[Mapping[str, Any]]) -> list[PunchResult]:
    """Parse ``recordresult`` items; raise one ValidationError for every bad item and key."""
    results: list[PunchResult] = []
    errors: list[FieldError] = []
    for index, item in enumerate(items):
        try:
            results.append(PunchResult.from_wire(item, f"recordresult[{index}]"))
        except ValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationError(errors)
    return results


def parse_leave_statuses(items: Iterable[Mapping[str, Any]]) -> list[LeaveStatus]:
    """Parse ``leave_status`` items; raise one ValidationError for every bad item and key."""
    leaves: list[LeaveStatus] = []
    errors: list[FieldError] = []
    for index, item in enumerate(items):
        try:
            leaves.append(LeaveStatus.from_wire(item, f"leave_status[{index}]"))
        except ValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationError(errors)
    return leaves
