"""Attendance (考勤) legacy endpoints, limits and the punch-detail model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt.timeutil import from_epoch_ms

__all__ = [
    "LEAVE_STATUS",
    "LIST_PUNCH_DETAILS",
    "LIST_PUNCH_RESULTS",
    "MAX_DAYS_PER_QUERY",
    "MAX_DETAIL_USERS",
    "MAX_LEAVE_PAGE",
    "MAX_LEAVE_SPAN_DAYS",
    "MAX_LEAVE_USERS",
    "MAX_RESULT_LIMIT",
    "MAX_RESULT_USERS",
    "PunchDetail",
]

# Note the paths: the punch endpoints have no topapi/ prefix and use camelCase keys.
LIST_PUNCH_RESULTS = Endpoint.legacy("POST", "/attendance/list", idempotent=True)
LIST_PUNCH_DETAILS = Endpoint.legacy("POST", "/attendance/listRecord", idempotent=True)
LEAVE_STATUS = Endpoint.legacy("POST", "/topapi/attendance/getleavestatus", idempotent=True)

#: Punch results: at most 50 users, 7 days (inclusive) and 50 records per page.
MAX_RESULT_USERS = 50
MAX_DAYS_PER_QUERY = 7
MAX_RESULT_LIMIT = 50
#: Punch details: at most 50 users over at most 7 days.
MAX_DETAIL_USERS = 50
#: Leave status: at most 100 users, a window of 180 days, 20 per page.
MAX_LEAVE_USERS = 100
MAX_LEAVE_SPAN_DAYS = 180
MAX_LEAVE_PAGE = 20


def _instant(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    return from_epoch_ms(int(value))


@attrs.frozen
class PunchDetail:
    """One actual punch from ``attendance/listRecord`` (no record for a missed punch)."""

    user_id: str
    check_type: str
    time_result: str
    location_result: str
    source_type: str
    user_check_time: dt.datetime | None
    base_check_time: dt.datetime | None
    is_legal: bool
    user_address: str = ""
    record_id: str = ""

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> PunchDetail:
        return cls(
            user_id=str(item.get("userId") or ""),
            check_type=str(item.get("checkType") or ""),
            time_result=str(item.get("timeResult") or ""),
            location_result=str(item.get("locationResult") or ""),
            source_type=str(item.get("sourceType") or ""),
            user_check_time=_instant(item.get("userCheckTime")),
            base_check_time=_instant(item.get("baseCheckTime")),
            is_legal=str(item.get("isLegal") or "Y") == "Y",
            user_address=str(item.get("userAddress") or ""),
            record_id=str(item.get("id") or ""),
        )
