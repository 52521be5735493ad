"""Typed calls for attendance: punch results, punch details and leave statuses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._async.pagination import AsyncPaginator
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api.attendance import (
    LEAVE_STATUS,
    LIST_PUNCH_DETAILS,
    LIST_PUNCH_RESULTS,
    MAX_DAYS_PER_QUERY,
    MAX_DETAIL_USERS,
    MAX_LEAVE_PAGE,
    MAX_LEAVE_SPAN_DAYS,
    MAX_LEAVE_USERS,
    MAX_RESULT_LIMIT,
    MAX_RESULT_USERS,
    PunchDetail,
)
from censusdt.census.admin.attendance import (
    LeaveStatus,
    PunchResult,
    parse_leave_statuses,
    parse_punch_results,
)
from censusdt.timeutil import format_legacy_datetime, shanghai_midnight, to_epoch_ms

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncAttendance"]


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


def _users_errors(field: str, user_ids: Sequence[str], limit: int) -> list[FieldError]:
    if not user_ids:
        return [FieldError(field, [], "needs at least one userid")]
    if len(user_ids) > limit:
        return [
            FieldError(field, f"{len(user_ids)} users", f"at most {limit} per call; split the list")
        ]
    return []


def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _day_windows(start: dt.date, end: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    windows = []
    current = start
    while current <= end:
        last = min(end, current + dt.timedelta(days=days - 1))
        windows.append((current, last))
        current = last + dt.timedelta(days=1)
    return windows


class AsyncAttendance:
    """Attendance of the app's corp (``client.attendance``); people are userids."""

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client

    def list_punch_results(
        self,
        user_ids: Sequence[str],
        start: dt.date,
        end: dt.date,
        *,
        limit: int = MAX_RESULT_LIMIT,
    ) -> AsyncPaginator[PunchResult]:
        """Page through the punch results of ≤50 users for the work days start..end (≤7 days).

        Every scheduled check point has a result, ``NotSigned`` when nobody punched.
        """
        errors = _users_errors("user_ids", user_ids, MAX_RESULT_USERS)
        if end < start:
            errors.append(FieldError("end", end, "is before start"))
        elif (end - start).days + 1 > MAX_DAYS_PER_QUERY:
            errors.append(
                FieldError("end", end, f"at most {MAX_DAYS_PER_QUERY} days from start per call")
            )
        if not 1 <= limit <= MAX_RESULT_LIMIT:
            errors.append(FieldError("limit", limit, f"must be 1..{MAX_RESULT_LIMIT}"))
        _raise_if(errors)

        async def fetch(cursor: Any) -> Page[PunchResult]:
            offset = int(cursor or 0)
            body = {
                "workDateFrom": format_legacy_datetime(shanghai_midnight(start)),
                "workDateTo": format_legacy_datetime(shanghai_midnight(end)),
                "userIdList": list(user_ids),
                "offset": offset,
                "limit": limit,
            }
            reply = await self._client.request(LIST_PUNCH_RESULTS, json=body)
            items = parse_punch_results(reply.get("recordresult") or [])
            more = reply.get("hasMore") in (True, "true")
            return Page(items, offset + limit if more else None)

        return AsyncPaginator(fetch)

    async def punch_results(
        self, user_ids: Sequence[str], start: dt.date, end: dt.date
    ) -> list[PunchResult]:
        """Fetch the punch results of any number of users over any period, in ≤50-user, 7-day calls."""
        unique = list(dict.fromkeys(user_ids))
        results: list[PunchResult] = []
        for chunk in _chunks(unique, MAX_RESULT_USERS):
            for first, last in _day_windows(start, end, MAX_DAYS_PER_QUERY):
                results.extend(await self.list_punch_results(chunk, first, last).collect())
        return results

    async def list_punch_details(
        self, user_ids: Sequence[str], start: dt.datetime, end: dt.datetime
    ) -> list[PunchDetail]:
        """Every actual punch of ≤50 users between two instants at most 7 days apart."""
        errors = _users_errors("user_ids", user_ids, MAX_DETAIL_USERS)
        if end < start:
            errors.append(FieldError("end", end, "is before start"))
        elif end - start > dt.timedelta(days=MAX_DAYS_PER_QUERY):
            errors.append(FieldError("end", end, f"at most {MAX_DAYS_PER_QUERY} days after start"))
        _raise_if(errors)
        body = {
            "userIds": list(user_ids),
            "checkDateFrom": format_legacy_datetime(start),
            "checkDateTo": format_legacy_datetime(end),
        }
        reply = await self._client.request(LIST_PUNCH_DETAILS, json=body)
        return [PunchDetail.from_wire(item) for item in reply.get("recordresult") or []]

    def list_leave_statuses(
        self,
        user_ids: Sequence[str],
        start: dt.datetime,
        end: dt.datetime,
        *,
        size: int = MAX_LEAVE_PAGE,
    ) -> AsyncPaginator[LeaveStatus]:
        """Page through the leaves of ≤100 users overlapping start..end (≤180 days)."""
        errors = _users_errors("user_ids", user_ids, MAX_LEAVE_USERS)
        if end < start:
            errors.append(FieldError("end", end, "is before start"))
        elif end - start > dt.timedelta(days=MAX_LEAVE_SPAN_DAYS):
            errors.append(FieldError("end", end, f"at most {MAX_LEAVE_SPAN_DAYS} days after start"))
        if not 1 <= size <= MAX_LEAVE_PAGE:
            errors.append(FieldError("size", size, f"must be 1..{MAX_LEAVE_PAGE}"))
        _raise_if(errors)

        async def fetch(cursor: Any) -> Page[LeaveStatus]:
            offset = int(cursor or 0)
            body = {
                "userid_list": ",".join(user_ids),
                "start_time": to_epoch_ms(start),
                "end_time": to_epoch_ms(end),
                "offset": offset,
                "size": size,
            }
            reply = await self._client.request(LEAVE_STATUS, json=body)
            result = reply.get("result") or {}
            items = parse_leave_statuses(result.get("leave_status") or [])
            more = result.get("has_more") in (True, "true")
            return Page(items, offset + size if more else None)

        return AsyncPaginator(fetch)

    async def leave_statuses(
        self, user_ids: Sequence[str], start: dt.date, end: dt.date
    ) -> list[LeaveStatus]:
        """Fetch the leaves of any number of users that overlap the days start..end."""
        unique = list(dict.fromkeys(user_ids))
        begin = shanghai_midnight(start)
        finish = shanghai_midnight(end + dt.timedelta(days=1)) - dt.timedelta(milliseconds=1)
        leaves: list[LeaveStatus] = []
        for chunk in _chunks(unique, MAX_LEAVE_USERS):
            current = begin
            while current <= finish:
                last = min(finish, current + dt.timedelta(days=MAX_LEAVE_SPAN_DAYS))
                leaves.extend(await self.list_leave_statuses(chunk, current, last).collect())
                current = last + dt.timedelta(milliseconds=1)
        # A leave spanning two windows comes back twice.
        return list(dict.fromkeys(leaves))
