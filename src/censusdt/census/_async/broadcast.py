"""Broadcast a work notification to an audience, track each person's receipt, remind the unread.

The handle (:class:`AsyncBroadcast`) is saved to JSON and loaded later to query again. Parts
of at most 100 recipients keep every part's result queryable (``getsendresult`` refuses larger
tasks), and sends are paced to 5000 recipients a minute so none are filtered for the rate.
"""

from __future__ import annotations

import json
import logging
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from censusdt._concurrency import async_map
from censusdt._errors import APIError, FieldError, TransportError, ValidationError
from censusdt.api.messaging import (
    MAX_RESULT_RECIPIENTS,
    PER_MINUTE_RECIPIENTS,
    RESULT_WINDOW_SECONDS,
    ActionCardMessage,
    LinkMessage,
    MarkdownMessage,
    Message,
    OAMessage,
    SendResult,
    TextMessage,
    message_errors,
)
from censusdt.api.robot import MAX_DING_RECEIVERS, RemindType
from censusdt.census.audience import Audience, ContactsSnapshot
from censusdt.census.notices import (
    NoticeState,
    NoticeStatus,
    PersonStatus,
    SendLog,
    TrapWarning,
    content_digest,
    forbidden_reason,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = [
    "AsyncBroadcast",
    "NoticePart",
    "NoticeTrapError",
    "NoticeTrapWarning",
    "Reminder",
    "load_contacts_snapshot",
    "send_notice",
]

logger = logging.getLogger("censusdt")

#: Result queries in flight at once; the client's pacing keeps them within 20 calls a second.
RESULT_CONCURRENCY = 10
_FORMAT_VERSION = 1


class NoticeTrapWarning(UserWarning):
    """Some recipients would be filtered silently by DingTalk (duplicate content, daily cap)."""


class NoticeTrapError(ValueError):
    """Raised instead of sending when ``on_trap="error"`` and some recipients would be filtered."""

    def __init__(self, traps: Sequence[TrapWarning], names: Mapping[str, str]) -> None:
        super().__init__("; ".join(trap.message(names, "en") for trap in traps))
        self.traps = list(traps)


def _as_tuple(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen
class NoticePart:
    """One ``asyncsend_v2`` call: its task id (None when the call failed) and recipients."""

    task_id: int | None
    userids: tuple[str, ...] = attrs.field(converter=_as_tuple)
    sent_at: float = 0.0
    error_code: str | None = None
    error_message: str | None = None


@attrs.frozen
class Reminder:
    """A reminder to the unread: DING ids or the follow-up notice's task ids, and who got it."""

    kind: str
    userids: tuple[str, ...]
    sent_at: float
    ids: tuple[str, ...]
    #: DingTalk's reason -> userids it could not reach.
    failed: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


def message_title(message: Message) -> str:
    """A short title for reports and reminders."""
    if isinstance(message, TextMessage):
        first_line = message.content.strip().splitlines()[0] if message.content.strip() else ""
        return first_line[:30]
    if isinstance(message, (MarkdownMessage, LinkMessage, ActionCardMessage, OAMessage)):
        return message.title
    return type(message).__name__


async def load_contacts_snapshot(client: AsyncDingTalk) -> ContactsSnapshot:
    """Read departments, users and tags through the contacts API into a snapshot."""
    from censusdt.census._async.livesnapshot import read_live_org

    org = await read_live_org(client)
    return ContactsSnapshot.from_live_org(org)


class _RecipientPacer:
    """Keeps an app's sends within 5000 recipients in any minute, as DingTalk counts them.

    A part is counted from when its send returned, which is no earlier than when DingTalk
    counted it. The window is one second longer than a minute as a margin for clock
    differences. Both choices wait a little longer rather than have recipients filtered.
    """

    window = 61.0

    def __init__(self, client: AsyncDingTalk, per_minute: int) -> None:
        self._client = client
        self._per_minute = per_minute
        self._sent: list[tuple[float, int]] = []

    async def wait_for(self, count: int) -> None:
        """Wait until ``count`` more recipients fit in the window."""
        while True:
            now = self._client.clock.monotonic()
            self._sent = [(at, n) for at, n in self._sent if at > now - self.window]
            used = sum(n for _, n in self._sent)
            if used + count <= self._per_minute or not self._sent:
                return
            wait = self._sent[0][0] + self.window - now
            logger.info(
                "pacing work notifications: %d recipients this minute; waiting %.1f s", used, wait
            )
            # NOTE: uses the client's injectable sleep so tests on the fake's clock do not wait.
            await self._client._sleep(max(wait, 0.01))

    def record(self, count: int) -> None:
        """Count ``count`` recipients as sent now."""
        self._sent.append((self._client.clock.monotonic(), count))


class AsyncBroadcast:
    """A sent notice: who it went to, in which parts, and what reminders followed.

    ``status()`` queries DingTalk for each part's result; ``remind()`` reaches exactly the unread.
    """

    def __init__(
        self,
        client: AsyncDingTalk,
        *,
        agent_id: int,
        msg: dict[str, Any],
        title: str,
        parts: Sequence[NoticePart],
        names: Mapping[str, str],
        traps: Sequence[TrapWarning] = (),
        reminders: Sequence[Reminder] = (),
        lang: str = "zh",
        send_log_path: str | None = None,
    ) -> None:
        self._client = client
        self.agent_id = agent_id
        self.msg = dict(msg)
        self.title = title
        self.parts = list(parts)
        self.names = dict(names)
        self.traps = list(traps)
        self.reminders = list(reminders)
        self.lang = lang
        self.send_log_path = send_log_path

    def __repr__(self) -> str:
        return f"{type(self).__name__}(title={self.title!r}, people={len(self.userids)}, parts={len(self.parts)})"

    @property
    def userids(self) -> list[str]:
        return [userid for part in self.parts for userid in part.userids]

    @property
    def task_ids(self) -> list[int]:
        return [part.task_id for part in self.parts if part.task_id is not None]

    @property
    def sent_at(self) -> float:
        return min((part.sent_at for part in self.parts), default=0.0)

    # Status.

    async def status(self) -> NoticeStatus:
        """Each person's outcome: read, unread, forbidden (with the reason), failed, invalid.

        Parts older than 24 hours are reported as expired, because DingTalk keeps results for
        24 hours only; ``NoticeStatus.expired`` is then true.
        """
        now = self._client.clock.time()

        async def one(part: NoticePart) -> list[PersonStatus]:
            return await self._part_status(part, now)

        results = await async_map(one, self.parts, concurrency=RESULT_CONCURRENCY)
        people = tuple(person for result in results for person in result)
        expired = any(person.state is NoticeState.EXPIRED for person in people)
        return NoticeStatus(people, now, expired)

    async def _part_status(self, part: NoticePart, now: float) -> list[PersonStatus]:
        if part.task_id is None:
            return [
                PersonStatus(
                    u,
                    self.names.get(u, u),
                    NoticeState.NOT_SENT,
                    part.error_code,
                    part.error_message,
                )
                for u in part.userids
            ]
        if now - part.sent_at > RESULT_WINDOW_SECONDS:
            return self._expired(part)
        try:
            result = await self._client.messaging.get_result(self.agent_id, part.task_id)
        except APIError as error:
            # DingTalk returns 40035 "invalid task_id" for a task it issued once the 24-hour
            # window has passed. The reply decides, because the local clock may differ.
            if error.code == "40035":
                return self._expired(part)
            raise
        return self._people(part, result)

    def _expired(self, part: NoticePart) -> list[PersonStatus]:
        reason = (
            "发送已超过24小时，钉钉不再提供结果"
            if self.lang != "en"
            else "sent over 24 hours ago; DingTalk no longer keeps the result"
        )
        return [
            PersonStatus(u, self.names.get(u, u), NoticeState.EXPIRED, None, reason, part.task_id)
            for u in part.userids
        ]

    def _people(self, part: NoticePart, result: SendResult) -> list[PersonStatus]:
        state: dict[str, tuple[NoticeState, str | None, str | None]] = {}
        for userid in result.read:
            state[userid] = (NoticeState.READ, None, None)
        for userid in result.unread:
            state[userid] = (NoticeState.UNREAD, None, None)
        for userid in result.failed:
            state[userid] = (NoticeState.FAILED, None, None)
        invalid_reason = (
            "钉钉中没有此用户或此人尚未激活钉钉"
            if self.lang != "en"
            else "unknown to DingTalk or not activated"
        )
        for userid in result.invalid_users:
            state[userid] = (NoticeState.INVALID, None, invalid_reason)
        for entry in result.forbidden:
            state[entry.userid] = (
                NoticeState.FORBIDDEN,
                entry.code,
                forbidden_reason(entry.code, self.lang),
            )
        missing = (
            "钉钉的发送结果中没有此人"
            if self.lang != "en"
            else "missing from DingTalk's send result"
        )
        people = []
        for userid in part.userids:
            found, code, reason = state.get(userid, (NoticeState.FAILED, None, missing))
            people.append(
                PersonStatus(
                    userid, self.names.get(userid, userid), found, code, reason, part.task_id
                )
            )
        return people

    # Reminders.

    async def remind(
        self,
        *,
        by: str = "ding",
        remind_type: RemindType = RemindType.IN_APP,
        content: str | None = None,
        robot_code: str | None = None,
    ) -> Reminder:
        """Remind exactly the people who have not read, by DING or by a follow-up notice.

        ``by="ding"`` sends DINGs (in-app, SMS or phone call per ``remind_type``) in chunks of
        DingTalk's receiver limit. ``by="notice"`` sends a new work notification whose text
        differs from every earlier one today, so the duplicate rule does not drop it.
        Raises ``ValueError`` when the results have expired and the unread are unknown.
        """
        status = await self.status()
        if status.expired:
            raise ValueError(
                "results of this notice have expired (DingTalk keeps them 24 hours), so the "
                "unread are unknown; send a new notice instead"
            )
        unread = status.userids(NoticeState.UNREAD)
        now = self._client.clock.time()
        if not unread:
            reminder = Reminder(by, (), now, ())
        elif by == "ding":
            reminder = await self._remind_by_ding(unread, remind_type, content, robot_code, now)
        elif by == "notice":
            reminder = await self._remind_by_notice(unread, content, now)
        else:
            raise ValueError(f"by must be 'ding' or 'notice', got {by!r}")
        self.reminders.append(reminder)
        return reminder

    def _reminder_text(self) -> str:
        number = len(self.reminders) + 1
        if self.lang == "en":
            return f"Reminder {number}: please read the work notification “{self.title}”."
        return f"【第{number}次提醒】请尽快阅读工作通知《{self.title}》。"

    async def _remind_by_ding(
        self,
        unread: list[str],
        remind_type: RemindType,
        content: str | None,
        robot_code: str | None,
        now: float,
    ) -> Reminder:
        limit = MAX_DING_RECEIVERS[remind_type]
        text = content or self._reminder_text()
        ids: list[str] = []
        failed: dict[str, list[str]] = {}
        for start in range(0, len(unread), limit):
            chunk = unread[start : start + limit]
            result = await self._client.robot.send_ding(
                chunk, text, remind_type=remind_type, robot_code=robot_code
            )
            ids.append(result.open_ding_id)
            for reason, users in result.failed.items():
                failed.setdefault(reason, []).extend(users)
        return Reminder(
            "ding",
            tuple(unread),
            now,
            tuple(ids),
            {reason: tuple(users) for reason, users in failed.items()},
        )

    async def _remind_by_notice(
        self, unread: list[str], content: str | None, now: float
    ) -> Reminder:
        # The reminder text carries its number and time, so it never repeats an earlier one.
        stamp = time.strftime("%H:%M", time.gmtime(now + 8 * 3600))
        text = (content or self._reminder_text()) + f" ({stamp})"
        follow_up = await _send_parts(
            self._client,
            unread,
            TextMessage(text),
            agent_id=self.agent_id,
            names=self.names,
            send_log=SendLog.open(self.send_log_path),
            on_trap="warn",
            lang=self.lang,
        )
        return Reminder("notice", tuple(unread), now, tuple(str(t) for t in follow_up.task_ids))

    # Saving.

    def to_json(self) -> dict[str, Any]:
        return {
            "version": _FORMAT_VERSION,
            "agent_id": self.agent_id,
            "app_key": self._client.app_key,
            "title": self.title,
            "msg": self.msg,
            "lang": self.lang,
            "send_log": self.send_log_path,
            "names": self.names,
            "parts": [attrs.asdict(part) for part in self.parts],
            "traps": [{"code": t.code, "userids": list(t.userids)} for t in self.traps],
            "reminders": [
                {**attrs.asdict(r), "failed": {k: list(v) for k, v in r.failed.items()}}
                for r in self.reminders
            ],
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the handle to a JSON file; :meth:`load` reads it back."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], client: AsyncDingTalk) -> AsyncBroadcast:
        """Read a handle written by :meth:`save`, to query or remind with ``client``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("version") != _FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported broadcast file version {data.get('version')!r}")
        if data.get("app_key") not in (None, client.app_key):
            raise ValueError(
                f"{path} was sent by app {data['app_key']}, but the client is for app "
                f"{client.app_key}; results are only visible to the sending app"
            )
        return cls(
            client,
            agent_id=int(data["agent_id"]),
            msg=data["msg"],
            title=data["title"],
            parts=[NoticePart(**item) for item in data["parts"]],
            names=data["names"],
            traps=[TrapWarning(t["code"], tuple(t["userids"])) for t in data["traps"]],
            reminders=[
                Reminder(
                    r["kind"],
                    tuple(r["userids"]),
                    r["sent_at"],
                    tuple(r["ids"]),
                    {k: tuple(v) for k, v in r["failed"].items()},
                )
                for r in data["reminders"]
            ],
            lang=data.get("lang", "zh"),
            send_log_path=data.get("send_log"),
        )


async def send_notice(
    client: AsyncDingTalk,
    audience: Audience | Sequence[str],
    message: Message,
    *,
    agent_id: int,
    snapshot: ContactsSnapshot | None = None,
    send_log: str | os.PathLike[str] | None = None,
    on_trap: str = "warn",
    lang: str = "zh",
) -> AsyncBroadcast:
    """Send ``message`` as a work notification to everyone in ``audience``.

    ``snapshot`` is the contacts to resolve the audience against (read through the API when
    omitted). ``send_log`` is a JSON file remembering what this machine sent, so people whom
    DingTalk would filter silently (same content today, daily cap) are found before sending;
    ``on_trap`` decides what happens to them: ``"warn"`` sends anyway and issues a
    :class:`NoticeTrapWarning` naming them, ``"skip"`` leaves them out (reported as not sent),
    ``"error"`` raises :class:`NoticeTrapError` and sends nothing.
    """
    if on_trap not in {"warn", "skip", "error"}:
        raise ValidationError([FieldError("on_trap", on_trap, "use 'warn', 'skip' or 'error'")])
    errors = message_errors(message)
    if errors:
        raise ValidationError(errors)

    if isinstance(audience, Audience):
        snapshot = snapshot or await load_contacts_snapshot(client)
        userids = audience.userids(snapshot)
    else:
        userids = list(dict.fromkeys(audience))
    if not userids:
        raise ValidationError(
            [
                FieldError(
                    "audience",
                    str(audience),
                    "matches no one in the contacts snapshot; check the tags and departments",
                )
            ]
        )
    names = {u: snapshot.users[u].name for u in userids if snapshot and u in snapshot.users}

    return await _send_parts(
        client,
        userids,
        message,
        agent_id=agent_id,
        names=names,
        send_log=SendLog.open(send_log),
        on_trap=on_trap,
        lang=lang,
    )


async def _send_parts(
    client: AsyncDingTalk,
    userids: Sequence[str],
    message: Message,
    *,
    agent_id: int,
    names: Mapping[str, str],
    send_log: SendLog,
    on_trap: str,
    lang: str,
) -> AsyncBroadcast:
    msg = message.to_msg()
    digest = content_digest(msg)
    now = client.clock.time()
    traps = send_log.traps(client.app_key, userids, digest, now)
    skipped: list[NoticePart] = []
    if traps:
        if on_trap == "error":
            raise NoticeTrapError(traps, names)
        for trap in traps:
            text = trap.message(names, lang)
            logger.warning("%s", trap.message(names, "en"))
            if on_trap == "warn":
                warnings.warn(text, NoticeTrapWarning, stacklevel=3)
        if on_trap == "skip":
            trapped = {u for trap in traps for u in trap.userids}
            userids = [u for u in userids if u not in trapped]
            for trap in traps:
                skipped.append(
                    NoticePart(
                        None,
                        trap.userids,
                        now,
                        trap.code,
                        "skipped: " + forbidden_reason(trap.code, lang),
                    )
                )

    pacer = _RecipientPacer(client, PER_MINUTE_RECIPIENTS)
    parts: list[NoticePart] = []
    for start in range(0, len(userids), MAX_RESULT_RECIPIENTS):
        batch = tuple(userids[start : start + MAX_RESULT_RECIPIENTS])
        await pacer.wait_for(len(batch))
        sent_at = client.clock.time()
        try:
            task_id = await client.messaging.send(agent_id, message, userids=batch)
        except APIError as error:
            # Keep going: the failed part is reported per person as not sent, with the reason.
            logger.warning(
                "work notification part of %d failed: %s %s", len(batch), error.code, error.message
            )
            parts.append(NoticePart(None, batch, sent_at, error.code, error.message))
            continue
        except TransportError as error:
            # The reply was lost, so DingTalk may or may not have sent this part, and without a
            # task_id its result cannot be queried. Report it and keep the parts already sent.
            logger.warning("work notification part of %d: %s", len(batch), error)
            reason = (
                "发送结果未知：请求可能已到达钉钉"
                if lang != "en"
                else "outcome unknown: the request may have reached DingTalk"
            )
            if error.may_have_reached_server:
                # Counted as sent, so a resend today is warned about as a possible duplicate.
                send_log.record(client.app_key, batch, digest, sent_at)
                pacer.record(len(batch))
            else:
                reason = "网络错误，未发出" if lang != "en" else "network error; not sent"
            parts.append(NoticePart(None, batch, sent_at, "transport", reason))
            continue
        pacer.record(len(batch))
        parts.append(NoticePart(task_id, batch, sent_at))
        send_log.record(client.app_key, batch, digest, sent_at)
    send_log.save()

    return AsyncBroadcast(
        client,
        agent_id=agent_id,
        msg=msg,
        title=message_title(message),
        parts=[*parts, *skipped],
        names=names,
        traps=traps,
        lang=lang,
        send_log_path=str(send_log.path) if send_log.path else None,
    )
