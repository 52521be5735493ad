"""Attendance state: generated punch results, punches and leaves of simulated staff."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from typing import Any

import attrs

__all__ = ["OUTCOMES", "AttendanceState", "Leave", "PunchRecord"]

_SHANGHAI = dt.timezone(dt.timedelta(hours=8))
#: The office's schedule: on duty at 09:00, off duty at 17:30, Monday to Friday.
ON_DUTY = dt.time(9, 0)
OFF_DUTY = dt.time(17, 30)
#: Outcomes a generated person-day can have.
OUTCOMES = ("on_time", "late", "absent", "leave", "not_punched")


def _ms(day: dt.date, at: dt.time, minutes: int = 0) -> int:
    moment = dt.datetime.combine(day, at, tzinfo=_SHANGHAI) + dt.timedelta(minutes=minutes)
    return int(moment.timestamp() * 1000)


def day_ms(day: dt.date) -> int:
    return _ms(day, dt.time(0, 0))


@attrs.define
class PunchRecord:
    """One scheduled check point's result; ``user_check_ms`` is None when nobody punched."""

    record_id: int
    userid: str
    work_date: dt.date
    check_type: str
    time_result: str
    base_check_ms: int
    user_check_ms: int | None
    source_type: str
    location_result: str
    proc_inst_id: str = ""

    def result_wire(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": self.record_id,
            "groupId": 1001,
            "planId": self.record_id * 10,
            "recordId": self.record_id,
            "workDate": day_ms(self.work_date),
            "userId": self.userid,
            "checkType": self.check_type,
            "sourceType": self.source_type,
            "timeResult": self.time_result,
            "locationResult": self.location_result,
            "baseCheckTime": self.base_check_ms,
        }
        if self.user_check_ms is not None:
            item["userCheckTime"] = self.user_check_ms
        if self.proc_inst_id:
            item["procInstId"] = self.proc_inst_id
        return item

    def detail_wire(self, corp_id: str) -> dict[str, Any]:
        return {
            **self.result_wire(),
            "corpId": corp_id,
            "classId": 2001,
            "isLegal": "Y",
            "planCheckTime": self.base_check_ms,
            "userAddress": "县人普办",
            "baseAddress": "县人普办",
            "locationMethod": "MAP",
            "gmtCreate": self.user_check_ms,
            "gmtModified": self.user_check_ms,
        }


@attrs.define
class Leave:
    userid: str
    start_ms: int
    end_ms: int
    leave_code: str = "fake-personal-leave"

    def to_wire(self) -> dict[str, Any]:
        return {
            "userid": self.userid,
            "start_time": self.start_ms,
            "end_time": self.end_ms,
            "duration_unit": "percent_day",
            "duration_percent": 100,
            "leave_code": self.leave_code,
        }


@attrs.define
class AttendanceState:
    """Punch results by (user, day), leaves, and the outcome each generated day was given."""

    records: list[PunchRecord] = attrs.field(factory=list)
    leaves: list[Leave] = attrs.field(factory=list)
    #: (userid, work date) -> one of OUTCOMES, as generated.
    outcomes: dict[tuple[str, dt.date], str] = attrs.field(factory=dict)
    next_record_id: int = 70_000_001

    def generate(
        self,
        userids: list[str],
        start: dt.date,
        end: dt.date,
        *,
        seed: int = 0,
        late_share: float = 0.1,
        absent_share: float = 0.03,
        leave_share: float = 0.05,
        not_punched_share: float = 0.04,
    ) -> int:
        """Generate each user's working days (Mon–Fri) from start to end; return days made."""
        made = 0
        day = start
        while day <= end:
            if day.weekday() < 5:
                for userid in userids:
                    if (userid, day) in self.outcomes:
                        continue
                    rng = random.Random(zlib.crc32(f"{seed}:{userid}:{day}".encode()))
                    draw = rng.random()
                    bounds = [
                        ("late", late_share),
                        ("absent", absent_share),
                        ("leave", leave_share),
                        ("not_punched", not_punched_share),
                    ]
                    outcome = "on_time"
                    for name, share in bounds:
                        if draw < share:
                            outcome = name
                            break
                        draw -= share
                    self.add_day(userid, day, outcome, rng)
                    made += 1
            day += dt.timedelta(days=1)
        return made

    def add_day(self, userid: str, day: dt.date, outcome: str, rng: random.Random) -> None:
        """Add one person-day with a given outcome: its two check points (and a leave)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {outcome!r}")
        on_base, off_base = _ms(day, ON_DUTY), _ms(day, OFF_DUTY)
        on_early = on_base - rng.randint(1, 25) * 60_000
        off_late = off_base + rng.randint(0, 40) * 60_000
        points: list[tuple[str, int | None]]
        if outcome == "on_time":
            points = [("Normal", on_early), ("Normal", off_late)]
        elif outcome == "late":
            minutes = rng.choice([3, 8, 15, 25, 45])
            result = "SeriousLate" if minutes > 30 else "Late"
            points = [(result, on_base + minutes * 60_000), ("Normal", off_late)]
        elif outcome == "absent":
            points = [("Absenteeism", None), ("NotSigned", None)]
        elif outcome == "not_punched":
            points = [("Normal", on_early), ("NotSigned", None)]
        else:
            points = [("NotSigned", None), ("NotSigned", None)]
            self.leaves.append(Leave(userid, _ms(day, dt.time(8, 30)), _ms(day, dt.time(18, 0))))
        for check_type, base, (result, punched) in zip(
            ("OnDuty", "OffDuty"), (on_base, off_base), points, strict=True
        ):
            self.records.append(
                PunchRecord(
                    self.next_record_id,
                    userid,
                    day,
                    check_type,
                    result,
                    base,
                    punched,
                    "ATM" if punched is not None else "SYSTEM",
                    "Normal" if punched is not None else "NotSigned",
                )
            )
            self.next_record_id += 1
        self.outcomes[(userid, day)] = outcome

    def results(self, userids: list[str], first: dt.date, last: dt.date) -> list[PunchRecord]:
        wanted = set(userids)
        found = [
            record
            for record in self.records
            if record.userid in wanted and first <= record.work_date <= last
        ]
        return sorted(found, key=lambda r: (r.work_date, r.userid, r.check_type != "OnDuty"))

    def punches(self, userids: list[str], start_ms: int, end_ms: int) -> list[PunchRecord]:
        wanted = set(userids)
        return [
            record
            for record in self.records
            if record.userid in wanted
            and record.user_check_ms is not None
            and start_ms <= record.user_check_ms <= end_ms
        ]

    def leaves_of(self, userids: list[str], start_ms: int, end_ms: int) -> list[Leave]:
        wanted = set(userids)
        return [
            leave
            for leave in self.leaves
            if leave.userid in wanted and leave.start_ms <= end_ms and leave.end_ms >= start_ms
        ]
