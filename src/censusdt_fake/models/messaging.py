"""Work notifications of one corp: delivery rules, per-recipient outcome and read state (no HTTP).

DingTalk accepts a work notification and then filters recipients silently: the same content to
the same user is delivered once per day, an internal app may send a user at most 500 messages a
day, and at most 5000 recipients a minute receive messages. Filtered users appear only in
``getsendresult``'s ``forbidden_list`` with a flow-control code; the send itself succeeds.

Read state changes only when a simulated person reads: one by one through :meth:`Delivery.read`
(the control plane) or at a time drawn by the seeded :class:`ReadingModel` when the message is
delivered. The message counts as read once the virtual clock passes that time.
"""

from __future__ import annotations

import collections
import hashlib
import json
import random
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from censusdt_fake._errors import LegacyError
from censusdt_fake.models.contacts import ContactsState

__all__ = [
    "DAILY_CAP",
    "DAY_MS",
    "MAX_MSG_BYTES",
    "MAX_RECIPIENTS",
    "MAX_RESULT_RECIPIENTS",
    "PER_MINUTE_RECIPIENTS",
    "Delivery",
    "MessagingState",
    "ReadingModel",
    "WorkNotice",
    "content_digest",
    "shanghai_day",
]

#: Milliseconds in the 24 hours during which results can be queried and notices recalled.
DAY_MS = 24 * 3600 * 1000
#: ``msg`` may take at most 2048 bytes (UTF-8, as sent).
MAX_MSG_BYTES = 2048
#: An internal app reaches at most 5000 recipients per call (errcode 41029 beyond).
MAX_RECIPIENTS = 5000
#: ``getsendresult`` is not supported for tasks with more than 100 recipients.
MAX_RESULT_RECIPIENTS = 100
#: An internal app may send one user at most 500 work notifications a day (code 143105).
DAILY_CAP = 500
#: At most 5000 recipients a minute receive an app's messages (code 143103 beyond).
PER_MINUTE_RECIPIENTS = 5000
#: The OA status bar may only be set on notices to at most 5 users, within 7 days.
STATUS_BAR_MAX_USERS = 5
STATUS_BAR_WINDOW_MS = 7 * DAY_MS

FORBIDDEN_QPM = "143103"
FORBIDDEN_DAILY_CAP = "143105"
FORBIDDEN_DUPLICATE = "143106"

# Each msgtype and the keys its object must have.
_REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "text": ("content",),
    "image": ("media_id",),
    "voice": ("media_id", "duration"),
    "file": ("media_id",),
    "link": ("messageUrl", "picUrl", "title", "text"),
    "oa": ("message_url", "head", "body"),
    "markdown": ("title", "text"),
    "action_card": ("title", "markdown"),
}

_SHANGHAI_OFFSET_MS = 8 * 3600 * 1000


def shanghai_day(now_ms: int) -> int:
    """The Asia/Shanghai calendar day of an epoch-millisecond time, as a day number."""
    return (now_ms + _SHANGHAI_OFFSET_MS) // DAY_MS


def content_digest(msg: Mapping[str, Any]) -> str:
    """A key identifying the content of a message, independent of key order."""
    text = json.dumps(msg, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@attrs.define
class ReadingModel:
    """Simulated staff: a ``share`` of recipients read each message after a random delay.

    Delays follow an exponential distribution with mean ``mean_delay_seconds``; ``seed`` makes
    who reads and when repeatable.
    """

    share: float
    mean_delay_seconds: float
    seed: int = 0
    rng: random.Random = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not 0.0 <= self.share <= 1.0:
            raise ValueError(f"share must be between 0 and 1, got {self.share}")
        if self.mean_delay_seconds < 0:
            raise ValueError(f"mean_delay_seconds must be >= 0, got {self.mean_delay_seconds}")
        self.rng = random.Random(self.seed)

    def read_time(self, delivered_ms: int) -> int | None:
        """When a person who just received a message will read it, or ``None`` if never."""
        if self.rng.random() >= self.share:
            return None
        if self.mean_delay_seconds == 0:
            return delivered_ms
        delay = self.rng.expovariate(1.0 / self.mean_delay_seconds)
        return delivered_ms + int(delay * 1000)


@attrs.define
class Delivery:
    """One recipient of one message: whether it arrived, and when the person reads it."""

    userid: str
    #: ``"delivered"``, ``"forbidden"`` (filtered by flow control) or ``"failed"``.
    outcome: str = "delivered"
    forbidden_code: str | None = None
    forbidden_count: int = 0
    #: Virtual-clock milliseconds at which the person reads (or read) the message.
    read_at_ms: int | None = None

    def is_read(self, now_ms: int) -> bool:
        return self.read_at_ms is not None and self.read_at_ms <= now_ms

    def read(self, now_ms: int) -> bool:
        """Record that the person reads the message now; return whether anything changed."""
        if self.outcome != "delivered" or self.is_read(now_ms):
            return False
        self.read_at_ms = now_ms
        return True


@attrs.define
class WorkNotice:
    """One ``asyncsend_v2`` task and its recipients."""

    task_id: int
    agent_id: int
    app_key: str
    sent_ms: int
    msg: dict[str, Any]
    recipient_count: int
    invalid_user_ids: list[str] = attrs.field(factory=list)
    invalid_dept_ids: list[int] = attrs.field(factory=list)
    deliveries: dict[str, Delivery] = attrs.field(factory=dict)
    recalled: bool = False
    status_bar: dict[str, str] | None = None

    def result(self, now_ms: int) -> dict[str, Any]:
        """The ``send_result`` object of ``getsendresult``."""
        read: list[str] = []
        unread: list[str] = []
        failed: list[str] = []
        forbidden: list[dict[str, Any]] = []
        for delivery in self.deliveries.values():
            if delivery.outcome == "forbidden":
                forbidden.append(
                    {
                        "code": delivery.forbidden_code,
                        "count": delivery.forbidden_count,
                        "userid": delivery.userid,
                    }
                )
            elif delivery.outcome == "failed":
                failed.append(delivery.userid)
            elif delivery.is_read(now_ms):
                read.append(delivery.userid)
            else:
                unread.append(delivery.userid)
        return {
            "invalid_user_id_list": list(self.invalid_user_ids),
            "invalid_dept_id_list": list(self.invalid_dept_ids),
            "forbidden_user_id_list": [item["userid"] for item in forbidden],
            "forbidden_list": forbidden,
            "failed_user_id_list": failed,
            "read_user_id_list": read,
            "unread_user_id_list": unread,
        }


def check_msg(msg: Any) -> dict[str, Any]:
    """Check a work-notification ``msg`` object; raise DingTalk's error for a bad one."""
    if not isinstance(msg, dict):
        raise LegacyError(34014, "消息内容格式错误，需为JSON格式")
    msgtype = msg.get("msgtype")
    if msgtype not in _REQUIRED_KEYS:
        raise LegacyError(34004, "无效的msgtype")
    body = msg.get(str(msgtype))
    if not isinstance(body, dict):
        raise LegacyError(34014, "消息内容格式错误，需为JSON格式")
    missing = [key for key in _REQUIRED_KEYS[str(msgtype)] if body.get(key) in (None, "")]
    if msgtype == "action_card":
        single = body.get("single_title") and body.get("single_url")
        buttons = body.get("btn_json_list")
        if not single and not buttons:
            missing.append("single_title")
    if missing:
        raise LegacyError(40035, f"缺少参数 msg.{msgtype}.{missing[0]}")
    size = len(json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_MSG_BYTES:
        raise LegacyError(34016, "消息内容超长")
    return msg


@attrs.define
class MessagingState:
    """Every work notification of one corp and the counters behind the delivery rules."""

    notices: dict[int, WorkNotice] = attrs.field(factory=dict)
    next_task_id: int = 300_000_000_001
    #: Deliveries per (app key, userid, Shanghai day), for the daily cap.
    daily_counts: dict[tuple[str, str, int], int] = attrs.field(factory=dict)
    #: (app key, userid, Shanghai day, content digest) already delivered, for the duplicate rule.
    delivered_content: set[tuple[str, str, int, str]] = attrs.field(factory=set)
    #: Per app key: (time ms, recipients) of recent deliveries, for the per-minute limit.
    minute_window: dict[str, collections.deque[tuple[int, int]]] = attrs.field(factory=dict)
    minute_totals: dict[str, int] = attrs.field(factory=dict)
    #: Users whose devices never receive anything: their deliveries fail.
    unreachable: set[str] = attrs.field(factory=set)
    #: Sends to all staff per (app key, Shanghai day): at most 3 a day (errcode 41045 beyond).
    all_staff_sends: dict[tuple[str, int], int] = attrs.field(factory=dict)
    reading_model: ReadingModel | None = None

    # Sending.

    def send(
        self,
        contacts: ContactsState,
        *,
        app_key: str,
        agent_id: int,
        msg: dict[str, Any],
        userids: Iterable[str],
        dept_ids: Iterable[int],
        to_all: bool,
        now_ms: int,
    ) -> WorkNotice:
        """Accept a notice and decide each recipient's outcome under DingTalk's rules."""
        requested_users = list(dict.fromkeys(str(userid) for userid in userids))
        requested_depts = list(dict.fromkeys(int(dept_id) for dept_id in dept_ids))
        if not to_all and not requested_users and not requested_depts:
            raise LegacyError(40035, "缺少参数 userid_list")

        valid: list[str] = []
        invalid_users: list[str] = []
        for userid in requested_users:
            user = contacts.users.get(userid)
            # NOTE: not-activated users are listed as invalid here; whether DingTalk lists them as
            # invalid or holds the message until activation is not documented.
            if user is None or not user.active:
                invalid_users.append(userid)
            else:
                valid.append(userid)
        invalid_depts: list[int] = []
        for dept_id in requested_depts:
            if dept_id not in contacts.departments:
                invalid_depts.append(dept_id)
                continue
            valid.extend(_members_below(contacts, dept_id))
        if to_all:
            day_key = (app_key, shanghai_day(now_ms))
            if self.all_staff_sends.get(day_key, 0) >= 3:
                raise LegacyError(41045, "发送全员消息超过每天3次的限制")
            self.all_staff_sends[day_key] = self.all_staff_sends.get(day_key, 0) + 1
            valid.extend(user.userid for user in contacts.users.values() if user.active)
        recipients = list(dict.fromkeys(valid))
        if len(recipients) > MAX_RECIPIENTS:
            raise LegacyError(41029, "发送消息的接收人数超过限制")

        notice = WorkNotice(
            task_id=self.next_task_id,
            agent_id=agent_id,
            app_key=app_key,
            sent_ms=now_ms,
            msg=msg,
            recipient_count=len(recipients) + len(invalid_users),
            invalid_user_ids=invalid_users,
            invalid_dept_ids=invalid_depts,
        )
        self.next_task_id += 1
        digest = content_digest(msg)
        for userid in recipients:
            notice.deliveries[userid] = self._deliver(app_key, userid, digest, now_ms)
        self.notices[notice.task_id] = notice
        return notice

    def _deliver(self, app_key: str, userid: str, digest: str, now_ms: int) -> Delivery:
        day = shanghai_day(now_ms)
        content_key = (app_key, userid, day, digest)
        count_key = (app_key, userid, day)
        sent_today = self.daily_counts.get(count_key, 0)
        if content_key in self.delivered_content:
            return Delivery(userid, "forbidden", FORBIDDEN_DUPLICATE, 1)
        if sent_today >= DAILY_CAP:
            return Delivery(userid, "forbidden", FORBIDDEN_DAILY_CAP, sent_today)
        if not self._admit_per_minute(app_key, now_ms):
            return Delivery(userid, "forbidden", FORBIDDEN_QPM, 1)

        self.delivered_content.add(content_key)
        self.daily_counts[count_key] = sent_today + 1
        if userid in self.unreachable:
            return Delivery(userid, "failed")
        read_at = self.reading_model.read_time(now_ms) if self.reading_model else None
        return Delivery(userid, read_at_ms=read_at)

    def _admit_per_minute(self, app_key: str, now_ms: int) -> bool:
        window = self.minute_window.setdefault(app_key, collections.deque())
        used = self.minute_totals.get(app_key, 0)
        while window and window[0][0] <= now_ms - 60_000:
            used -= window.popleft()[1]
        self.minute_totals[app_key] = used
        if used >= PER_MINUTE_RECIPIENTS:
            return False
        self.minute_totals[app_key] = used + 1
        if window and window[-1][0] == now_ms:
            window[-1] = (now_ms, window[-1][1] + 1)
        else:
            window.append((now_ms, 1))
        return True

    # Queries.

    def notice(self, task_id: int, agent_id: int, *, now_ms: int, window_ms: int) -> WorkNotice:
        """The notice ``task_id`` of ``agent_id`` if it is younger than ``window_ms``."""
        notice = self.notices.get(task_id)
        if notice is None or notice.agent_id != agent_id or now_ms - notice.sent_ms > window_ms:
            raise LegacyError(40035, "不合法的参数 task_id")
        return notice

    def result(self, task_id: int, agent_id: int, now_ms: int) -> dict[str, Any]:
        notice = self.notice(task_id, agent_id, now_ms=now_ms, window_ms=DAY_MS)
        if notice.recipient_count > MAX_RESULT_RECIPIENTS:
            # NOTE: DingTalk documents that results of tasks with more than 100 recipients are not
            # supported (the call times out); the errcode used for the refusal here is a guess.
            raise LegacyError(400002, "接收人超过100人的任务不支持查询发送结果")
        return notice.result(now_ms)

    def recall(self, task_id: int, agent_id: int, now_ms: int) -> None:
        notice = self.notices.get(task_id)
        if notice is None or notice.agent_id != agent_id or now_ms - notice.sent_ms > DAY_MS:
            raise LegacyError(400002, "无效的agentId或taskId")
        notice.recalled = True

    def update_status_bar(
        self, task_id: int, agent_id: int, value: str, background: str | None, now_ms: int
    ) -> None:
        notice = self.notice(task_id, agent_id, now_ms=now_ms, window_ms=STATUS_BAR_WINDOW_MS)
        if notice.msg.get("msgtype") != "oa":
            raise LegacyError(40035, "不合法的参数 task_id")
        if notice.recipient_count > STATUS_BAR_MAX_USERS:
            raise LegacyError(41052, "接收人数过多或消息未发送完成，不能更新状态栏")
        notice.status_bar = {"status_value": value}
        if background:
            notice.status_bar["status_bg"] = background

    # Control plane: simulated people.

    def read(self, userid: str, task_id: int | None, now_ms: int) -> list[int]:
        """Let ``userid`` read notice ``task_id`` (every unread notice when None); return ids."""
        changed: list[int] = []
        for notice in self.notices.values():
            if task_id is not None and notice.task_id != task_id:
                continue
            delivery = notice.deliveries.get(userid)
            if delivery is not None and not notice.recalled and delivery.read(now_ms):
                changed.append(notice.task_id)
        if task_id is not None and task_id not in self.notices:
            raise KeyError(f"no work notification with task_id {task_id}")
        return changed


def _members_below(contacts: ContactsState, dept_id: int) -> list[str]:
    """Active users of a department and all its sub-departments."""
    below = {dept_id}
    frontier = [dept_id]
    while frontier:
        parent = frontier.pop()
        for child in contacts.children(parent):
            if child.dept_id not in below:
                below.add(child.dept_id)
                frontier.append(child.dept_id)
    return [
        user.userid
        for user in contacts.users.values()
        if user.active and any(dept in below for dept in user.dept_id_list)
    ]
