"""Attendance (legacy oapi) handlers: punch results, punch details, leave status; control plane."""

from __future__ import annotations

import datetime as dt
from typing import Any

from censusdt_fake._errors import LegacyError
from censusdt_fake._routing import Call, Router
from censusdt_fake._state import Corp
from censusdt_fake.models.attendance import AttendanceState

router = Router()

_SHANGHAI = dt.timezone(dt.timedelta(hours=8))
_DAY_MS = 86_400_000
MAX_USERS = 50
MAX_DAYS = 7
MAX_LIMIT = 50
MAX_LEAVE_USERS = 100
MAX_LEAVE_SPAN_MS = 180 * _DAY_MS
MAX_LEAVE_SIZE = 20


def _limit_error(message: str) -> LegacyError:
    # NOTE: the attendance pages document their limits but not the errcode for breaking one;
    # 400002 is the platform's "invalid parameter" code.
    return LegacyError(400002, message)


def _datetime(call: Call, name: str) -> dt.datetime:
    text = call.string(name, required=True)
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=_SHANGHAI)
    except ValueError:
        raise call.invalid(name, text) from None


def _users(call: Call, name: str, limit: int) -> list[str]:
    users = [str(user) for user in call.array(name, required=True)]
    if len(users) > limit:
        raise _limit_error(f"{name}最多{limit}个")
    return users


@router.post("/attendance/list")
def punch_results(call: Call) -> dict[str, Any]:
    first = _datetime(call, "workDateFrom").date()
    last = _datetime(call, "workDateTo").date()
    if last < first or (last - first).days + 1 > MAX_DAYS:
        raise _limit_error("workDateFrom和workDateTo的间隔不能超过7天")
    users = _users(call, "userIdList", MAX_USERS)
    offset = call.integer("offset", required=True)
    limit = call.integer("limit", required=True)
    if offset < 0:
        raise call.invalid("offset", offset)
    if not 1 <= limit <= MAX_LIMIT:
        raise _limit_error(f"limit最大为{MAX_LIMIT}")
    found = call.tenant.ext(AttendanceState).results(users, first, last)
    page = found[offset : offset + limit]
    return {
        "hasMore": offset + limit < len(found),
        "recordresult": [record.result_wire() for record in page],
    }


@router.post("/attendance/listRecord")
def punch_details(call: Call) -> dict[str, Any]:
    users = _users(call, "userIds", MAX_USERS)
    start = _datetime(call, "checkDateFrom")
    end = _datetime(call, "checkDateTo")
    if end < start or end - start > dt.timedelta(days=MAX_DAYS):
        raise _limit_error("checkDateFrom和checkDateTo的间隔不能超过7天")
    found = call.tenant.ext(AttendanceState).punches(
        users, int(start.timestamp() * 1000), int(end.timestamp() * 1000)
    )
    return {"recordresult": [record.detail_wire(call.tenant.corp_id) for record in found]}


@router.post("/topapi/attendance/getleavestatus")
def leave_status(call: Call) -> dict[str, Any]:
    users = [u for u in (call.string("userid_list", required=True) or "").split(",") if u]
    if len(users) > MAX_LEAVE_USERS:
        raise _limit_error(f"userid_list最多{MAX_LEAVE_USERS}个")
    start = call.integer("start_time", required=True)
    end = call.integer("end_time", required=True)
    if end < start or end - start > MAX_LEAVE_SPAN_MS:
        raise _limit_error("start_time和end_time的间隔不能超过180天")
    offset = call.integer("offset", required=True)
    size = call.integer("size", required=True)
    if offset < 0:
        raise call.invalid("offset", offset)
    if not 1 <= size <= MAX_LEAVE_SIZE:
        raise _limit_error(f"size最大为{MAX_LEAVE_SIZE}")
    found = call.tenant.ext(AttendanceState).leaves_of(users, start, end)
    page = found[offset : offset + size]
    return {
        "success": True,
        "result": {
            "has_more": offset + size < len(found),
            "leave_status": [leave.to_wire() for leave in page],
        },
    }


def _corp(call: Call) -> Corp:
    corp_id = call.raw("corp_id")
    return call.fake.corps[str(corp_id)] if corp_id else call.fake.default_corp


@router.post("/__fake__/attendance/generate", control=True)
def control_generate(call: Call) -> dict[str, Any]:
    """Body ``{"userids", "start": "2026-11-02", "end", "seed"?, "late_share"?, ...}``."""
    shares = {
        key: float(call.raw(key))
        for key in ("late_share", "absent_share", "leave_share", "not_punched_share")
        if call.raw(key) is not None
    }
    made = (
        _corp(call)
        .ext(AttendanceState)
        .generate(
            [str(u) for u in call.raw("userids") or []],
            dt.date.fromisoformat(str(call.raw("start"))),
            dt.date.fromisoformat(str(call.raw("end"))),
            seed=int(call.raw("seed", 0)),
            **shares,
        )
    )
    return {"days": made}


@router.get("/__fake__/attendance/outcomes", control=True)
def control_outcomes(call: Call) -> dict[str, Any]:
    """Every generated person-day and its outcome."""
    state = _corp(call).ext(AttendanceState)
    return {
        "outcomes": [
            {"userid": userid, "date": day.isoformat(), "outcome": outcome}
            for (userid, day), outcome in sorted(state.outcomes.items())
        ]
    }
