"""Notice bookkeeping without I/O: the local send log, per-person status, and exports.

DingTalk filters work notifications silently: the same content reaches a person once a day,
and a person gets at most 500 messages a day, while the send still succeeds. :class:`SendLog`
remembers what this machine sent, so a broadcast can warn before sending who would be filtered.
:class:`NoticeStatus` reports each person's outcome with DingTalk's reason in words.
"""

from __future__ import annotations

import enum
import hashlib
import importlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from censusdt.api.messaging import (
    FORBIDDEN_DAILY_CAP,
    FORBIDDEN_DUPLICATE,
    FORBIDDEN_PER_MINUTE,
)

__all__ = [
    "DAILY_CAP",
    "NoticeState",
    "NoticeStatus",
    "PersonStatus",
    "SendLog",
    "TrapWarning",
    "content_digest",
    "forbidden_reason",
    "shanghai_day",
]

#: An internal app may send one person at most 500 work notifications a day.
DAILY_CAP = 500
_SHANGHAI_OFFSET = 8 * 3600


def shanghai_day(epoch_seconds: float) -> str:
    """The Asia/Shanghai calendar date of an epoch time, as ``YYYY-MM-DD``."""
    import datetime as dt

    moment = dt.datetime.fromtimestamp(epoch_seconds, tz=dt.timezone(dt.timedelta(hours=8)))
    return moment.date().isoformat()


def content_digest(msg: Mapping[str, Any]) -> str:
    """A key for a message's content, the same whatever the key order."""
    text = json.dumps(msg, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class NoticeState(str, enum.Enum):
    """One person's outcome for a notice."""

    READ = "read"
    UNREAD = "unread"
    #: Filtered by DingTalk's flow control (duplicate content, daily cap); never delivered.
    FORBIDDEN = "forbidden"
    #: Delivery failed.
    FAILED = "failed"
    #: DingTalk does not know the userid, or the person has not activated DingTalk.
    INVALID = "invalid"
    #: The send call for this person's part failed, so DingTalk never took it.
    NOT_SENT = "not_sent"
    #: Results are only kept for 24 hours; this part's are gone.
    EXPIRED = "expired"


_STATE_LABELS = {
    NoticeState.READ: ("已读", "read"),
    NoticeState.UNREAD: ("未读", "unread"),
    NoticeState.FORBIDDEN: ("被钉钉拦截", "filtered by DingTalk"),
    NoticeState.FAILED: ("发送失败", "delivery failed"),
    NoticeState.INVALID: ("无效用户", "invalid user"),
    NoticeState.NOT_SENT: ("未发出", "not sent"),
    NoticeState.EXPIRED: ("结果已过期", "result expired"),
}

_FORBIDDEN_REASONS = {
    FORBIDDEN_DUPLICATE: (
        "同一内容当天已发给此人，钉钉过滤了重复消息",
        "the same content already reached this person today; DingTalk dropped the duplicate",
    ),
    FORBIDDEN_DAILY_CAP: (
        "此人今天已收到本应用500条消息，达到每日上限",
        "this person already received 500 messages from the app today (daily cap)",
    ),
    FORBIDDEN_PER_MINUTE: (
        "超过每分钟5000人的接收上限",
        "over the limit of 5000 recipients per minute",
    ),
}


def state_label(state: NoticeState, lang: str = "zh") -> str:
    zh, en = _STATE_LABELS[state]
    return en if lang == "en" else zh


def forbidden_reason(code: str, lang: str = "zh") -> str:
    """DingTalk's flow-control code in words."""
    zh, en = _FORBIDDEN_REASONS.get(
        code, (f"钉钉流控（代码 {code}）", f"DingTalk flow control (code {code})")
    )
    return en if lang == "en" else zh


@attrs.frozen
class PersonStatus:
    userid: str
    name: str
    state: NoticeState
    #: DingTalk's code behind a forbidden, invalid or not-sent state.
    code: str | None = None
    reason: str | None = None
    task_id: int | None = None


@attrs.frozen
class NoticeStatus:
    """Every person's outcome for one broadcast, as queried at ``queried_at``."""

    people: tuple[PersonStatus, ...]
    queried_at: float
    #: True when at least one part's results had passed DingTalk's 24-hour window.
    expired: bool = False

    def by_state(self, state: NoticeState) -> list[PersonStatus]:
        return [person for person in self.people if person.state is state]

    def userids(self, state: NoticeState) -> list[str]:
        return [person.userid for person in self.by_state(state)]

    def counts(self) -> dict[NoticeState, int]:
        counts = dict.fromkeys(NoticeState, 0)
        for person in self.people:
            counts[person.state] += 1
        return counts

    def summary(self, lang: str = "zh") -> str:
        """One line: counts per state, and a warning when results expired."""
        parts = [
            f"{state_label(state, lang)} {count}" for state, count in self.counts().items() if count
        ]
        text = ("，" if lang != "en" else ", ").join(parts)
        if self.expired:
            text += (
                "。发送已超过24小时，钉钉不再提供已读结果。"
                if lang != "en"
                else ". Sent over 24 hours ago: DingTalk no longer keeps read results."
            )
        return text

    def rows(self, lang: str = "zh") -> list[dict[str, Any]]:
        headers = _headers(lang)
        return [
            {
                headers[0]: person.userid,
                headers[1]: person.name,
                headers[2]: state_label(person.state, lang),
                headers[3]: person.code or "",
                headers[4]: person.reason or "",
            }
            for person in self.people
        ]

    def to_xlsx(self, path: str | os.PathLike[str], lang: str = "zh") -> Path:
        """Write one row per person to an .xlsx workbook."""
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "通知状态" if lang != "en" else "Notice status"
        headers = _headers(lang)
        sheet.append(headers)
        for row in self.rows(lang):
            sheet.append([row[header] for header in headers])
        target = Path(path)
        workbook.save(target)
        return target

    def to_dataframe(self, lang: str = "zh") -> Any:
        """A ``pandas.DataFrame`` with one row per person; needs pandas (``pip install pandas``)."""
        try:
            # Imported by name: pandas is optional and ships no type stubs.
            pandas = importlib.import_module("pandas")
        except ImportError as error:
            raise ImportError("to_dataframe needs pandas: pip install pandas") from error
        return pandas.DataFrame(self.rows(lang), columns=_headers(lang))


def _headers(lang: str) -> list[str]:
    if lang == "en":
        return ["userid", "name", "status", "code", "reason"]
    return ["userid", "姓名", "状态", "代码", "原因"]


@attrs.frozen
class TrapWarning:
    """People DingTalk would filter silently if the notice went out now."""

    code: str
    userids: tuple[str, ...]

    def message(self, names: Mapping[str, str], lang: str = "zh") -> str:
        shown = "、".join(names.get(userid, userid) for userid in self.userids[:20])
        more = len(self.userids) - 20
        if more > 0:
            shown += f" 等{len(self.userids)}人" if lang != "en" else f" and {more} more"
        reason = forbidden_reason(self.code, lang)
        if lang == "en":
            return f"{len(self.userids)} people would be filtered silently ({reason}): {shown}"
        return f"{len(self.userids)} 人将被钉钉静默拦截（{reason}）：{shown}"


@attrs.define
class SendLog:
    """Local record of the notices this machine sent, per app, person and day (content digests).

    Saved as JSON at ``path`` when given. Days are Asia/Shanghai dates, as DingTalk counts them;
    entries older than two days are dropped on save.
    """

    path: Path | None = None
    #: app key -> day -> userid -> content digests sent that day.
    sent: dict[str, dict[str, dict[str, list[str]]]] = attrs.field(factory=dict)

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None) -> SendLog:
        if path is None:
            return cls()
        target = Path(path)
        if not target.exists():
            return cls(target)
        data = json.loads(target.read_text(encoding="utf-8"))
        return cls(target, data.get("sent", {}))

    def save(self) -> None:
        if self.path is None:
            return
        for days in self.sent.values():
            for day in sorted(days)[:-2]:
                del days[day]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(
            json.dumps({"version": 1, "sent": self.sent}, ensure_ascii=False), encoding="utf-8"
        )

    def record(self, app_key: str, userids: Iterable[str], digest: str, when: float) -> None:
        day = self.sent.setdefault(app_key, {}).setdefault(shanghai_day(when), {})
        for userid in userids:
            day.setdefault(userid, []).append(digest)

    def traps(
        self, app_key: str, userids: Sequence[str], digest: str, when: float
    ) -> list[TrapWarning]:
        """Who would be filtered for duplicate content or the daily cap if sent at ``when``."""
        day = self.sent.get(app_key, {}).get(shanghai_day(when), {})
        duplicates = [u for u in userids if digest in day.get(u, ())]
        capped = [u for u in userids if u not in duplicates and len(day.get(u, ())) >= DAILY_CAP]
        warnings = []
        if duplicates:
            warnings.append(TrapWarning(FORBIDDEN_DUPLICATE, tuple(duplicates)))
        if capped:
            warnings.append(TrapWarning(FORBIDDEN_DAILY_CAP, tuple(capped)))
        return warnings
