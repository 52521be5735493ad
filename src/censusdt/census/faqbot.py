"""The FAQ robot: verify a callback, route the question, reply, or hand it over to a person.

Each message the robot receives over HTTP mode is checked first: a callback with a wrong
signature, or a timestamp more than an hour off, gets HTTP 403 and a log line. The question is
then routed by :class:`~censusdt.census.faq.FaqRobot` and answered through the message's
sessionWebhook. When
the sessionWebhook has expired the answer goes as a robot one-to-one message instead. When the
router abstains, the robot says so, forwards the question to the person on duty in the operations
group (业务组) by DING or robot message, and appends it to a JSONL log for the curators.
"""

from __future__ import annotations

import collections
import datetime as dt
import http.server
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import httpx

from censusdt._clock import Clock, SystemClock
from censusdt._errors import DingTalkError
from censusdt.api.messaging import TextMessage
from censusdt.census.faq import CodeLookupResult, FaqAnswer, FaqRobot, format_reply
from censusdt.robot_callback import CallbackRejected, CallbackVerifier, RobotCallback

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = [
    "CALLBACK_PATH",
    "FaqBot",
    "FaqBotServer",
    "HandoverLog",
    "Turn",
]

logger = logging.getLogger("censusdt.faqbot")

#: Path of the robot's HTTP endpoint; the callback URL is ``http://host:port`` followed by it.
CALLBACK_PATH = "/dingtalk/robot"
#: How many recent message ids the robot remembers to drop repeated callbacks.
_SEEN_MESSAGES = 10_000

Outcome = Literal["answered", "codes", "handed_over", "ignored"]
Channel = Literal["session", "robot", "none"]

_TEXT = {
    "zh": {
        "not_text": "目前只能回答文字问题，请把问题用文字发给我。",
        "ding": "【普查问答转人工】{nick}（{userid}）问：{question}\n机器人没有把握回答，请直接回复对方。",
        "ding_codes": "【编码转人工】{nick}（{userid}）问：{question}\n机器人给出的候选代码把握不大，请确认后回复对方。",
    },
    "en": {
        "not_text": "I can only answer text questions for now; please send your question as text.",
        "ding": "[FAQ hand-over] {nick} ({userid}) asked: {question}\nThe robot was not confident; please reply to them directly.",
        "ding_codes": "[Code hand-over] {nick} ({userid}) asked: {question}\nThe robot's code candidates are weak; please confirm and reply to them.",
    },
}


@attrs.frozen
class Turn:
    """One question the robot handled and what it did with it."""

    question: str
    sender_userid: str | None
    sender_nick: str | None
    outcome: Outcome
    reply: str
    channel: Channel
    entry_id: str | None = None
    confidence: float | None = None
    #: Code candidates shown, as ``code name`` strings.
    codes: tuple[str, ...] = ()
    notified: tuple[str, ...] = ()


class HandoverLog:
    """Questions the robot could not answer, one JSON object a line, for the curators."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: Mapping[str, Any]) -> None:
        line = json.dumps(dict(record), ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


class FaqBot:
    """The FAQ robot of one app, handling its callbacks.

    ``duty_userids`` are the operations group's people on duty, one per day in turn; hand-overs go
    to today's person by DING (``handover_by="ding"``) or robot message (``"robot"``). ``http``
    posts to sessionWebhooks; ``clock`` checks timestamps and session expiry.
    """

    def __init__(
        self,
        client: DingTalk,
        *,
        app_secret: str,
        duty_userids: Sequence[str],
        robot: FaqRobot | None = None,
        handover_log: Path | None = None,
        handover_by: Literal["ding", "robot"] = "ding",
        lang: Literal["zh", "en"] = "zh",
        clock: Clock | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        if not duty_userids:
            raise ValueError("duty_userids is empty; name at least one person of the 业务组")
        self.client = client
        self.robot = robot or FaqRobot()
        self.duty_userids = tuple(duty_userids)
        self.handover_log = HandoverLog(handover_log) if handover_log is not None else None
        self.handover_by = handover_by
        self.lang = lang
        self._clock: Clock = clock or SystemClock()
        self._verifier = CallbackVerifier(app_secret, clock=self._clock)
        self._http = http or httpx.Client(timeout=10.0)
        self._lock = threading.Lock()
        self.turns: list[Turn] = []
        self.rejected = 0
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()

    # HTTP.

    def handle(self, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes]:
        """Handle one POST to the callback URL; return the HTTP status and body."""
        try:
            self._verifier.verify(headers)
        except CallbackRejected as rejected:
            with self._lock:
                self.rejected += 1
            logger.warning("rejected robot callback: %s", rejected)
            return 403, b'{"error":"forbidden"}'
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise ValueError("the callback body is not a JSON object")
            callback = RobotCallback.from_json(payload)
        except (ValueError, TypeError) as error:
            logger.warning("invalid robot callback body: %s", error)
            return 400, b'{"error":"invalid body"}'
        if not self._first_delivery(callback.msg_id):
            # The signature does not cover the body, so a copy of a message seen before is
            # dropped rather than answered twice.
            logger.info("ignored a repeated robot callback for message %s", callback.msg_id)
            return 200, b""
        self.answer(callback)
        # The reply goes through the sessionWebhook, so the HTTP response carries no message.
        return 200, b""

    def _first_delivery(self, msg_id: str | None) -> bool:
        """Remember ``msg_id``; return False when it was seen among the recent messages."""
        if msg_id is None:
            return True
        with self._lock:
            if msg_id in self._seen:
                return False
            self._seen[msg_id] = None
            while len(self._seen) > _SEEN_MESSAGES:
                self._seen.popitem(last=False)
        return True

    # Routing.

    def answer(self, callback: RobotCallback) -> Turn:
        """Route one message and reply; hand it over when the robot is unsure."""
        if callback.msgtype != "text" or not callback.content:
            reply = _TEXT[self.lang]["not_text"]
            channel = self._reply(callback, reply)
            return self._record(
                Turn(
                    callback.content,
                    callback.sender_staff_id,
                    callback.sender_nick,
                    "ignored",
                    reply,
                    channel,
                )
            )

        result = self.robot.route(callback.content)
        reply = format_reply(result, self.lang)
        channel = self._reply(callback, reply)
        if isinstance(result, CodeLookupResult):
            codes = tuple(
                f"{candidate.code} {candidate.name}"
                for candidate in (*result.industry[:3], *result.occupation[:3])
            )
            if result.abstained:
                notified = self._hand_over(callback, result, kind="ding_codes")
                return self._record(
                    Turn(
                        callback.content,
                        callback.sender_staff_id,
                        callback.sender_nick,
                        "handed_over",
                        reply,
                        channel,
                        codes=codes,
                        notified=notified,
                    )
                )
            return self._record(
                Turn(
                    callback.content,
                    callback.sender_staff_id,
                    callback.sender_nick,
                    "codes",
                    reply,
                    channel,
                    codes=codes,
                )
            )
        if result.abstained or result.entry is None:
            notified = self._hand_over(callback, result, kind="ding")
            return self._record(
                Turn(
                    callback.content,
                    callback.sender_staff_id,
                    callback.sender_nick,
                    "handed_over",
                    reply,
                    channel,
                    entry_id=result.entry.id if result.entry else None,
                    confidence=result.confidence,
                    notified=notified,
                )
            )
        return self._record(
            Turn(
                callback.content,
                callback.sender_staff_id,
                callback.sender_nick,
                "answered",
                reply,
                channel,
                entry_id=result.entry.id,
                confidence=result.confidence,
            )
        )

    def _record(self, turn: Turn) -> Turn:
        with self._lock:
            self.turns.append(turn)
        return turn

    def on_duty(self) -> str:
        """Today's person on duty (China Standard Time), in turn through ``duty_userids``."""
        today = dt.datetime.fromtimestamp(self._clock.time(), tz=dt.timezone(dt.timedelta(hours=8)))
        return self.duty_userids[today.date().toordinal() % len(self.duty_userids)]

    # Replies.

    def _reply(self, callback: RobotCallback, text: str) -> Channel:
        """Reply through the sessionWebhook while it is valid, else by robot one-to-one message."""
        now_ms = int(self._clock.time() * 1000)
        session_valid = (
            callback.session_webhook is not None
            and callback.session_webhook_expired_time is not None
            and now_ms < callback.session_webhook_expired_time
        )
        if session_valid and self._post_session(callback, text):
            return "session"
        if callback.sender_staff_id is None:
            logger.warning(
                "cannot reply to %s: the sessionWebhook expired and the sender has no userid",
                callback.sender_nick,
            )
            return "none"
        try:
            self.client.robot.send_to_users(
                [callback.sender_staff_id], TextMessage(text), robot_code=callback.robot_code
            )
        except DingTalkError as error:
            logger.error("robot message to %s failed: %s", callback.sender_staff_id, error)
            return "none"
        logger.info(
            "sessionWebhook expired; replied to %s by robot message", callback.sender_staff_id
        )
        return "robot"

    def _post_session(self, callback: RobotCallback, text: str) -> bool:
        assert callback.session_webhook is not None
        message: dict[str, Any] = {"msgtype": "text", "text": {"content": text}}
        if callback.is_group and callback.sender_staff_id:
            message["at"] = {"atUserIds": [callback.sender_staff_id], "isAtAll": False}
        try:
            response = self._http.post(callback.session_webhook, json=message)
            reply = response.json()
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("sessionWebhook reply failed: %s", error)
            return False
        errcode = reply.get("errcode") if isinstance(reply, dict) else None
        if errcode != 0:
            # errcode 300001 means DingTalk considers the session expired, even if our clock does not.
            logger.warning("sessionWebhook returned errcode %s: %s", errcode, reply.get("errmsg"))
            return False
        return True

    # Hand-over.

    def _hand_over(
        self, callback: RobotCallback, result: FaqAnswer | CodeLookupResult, *, kind: str
    ) -> tuple[str, ...]:
        person = self.on_duty()
        message = _TEXT[self.lang][kind].format(
            nick=callback.sender_nick or "",
            userid=callback.sender_staff_id or "",
            question=callback.content,
        )
        notified: tuple[str, ...] = ()
        try:
            if self.handover_by == "ding":
                ding = self.client.robot.send_ding(
                    [person], message, robot_code=callback.robot_code
                )
                failed = {user for users in ding.failed.values() for user in users}
            else:
                sent = self.client.robot.send_to_users(
                    [person], TextMessage(message), robot_code=callback.robot_code
                )
                failed = set(sent.invalid_userids)
            if person not in failed:
                notified = (person,)
        except DingTalkError as error:
            logger.error("hand-over to %s failed: %s", person, error)
        if not notified:
            logger.error(
                "hand-over failed: %s on duty was not reached for the question from %s",
                person,
                callback.sender_staff_id,
            )
        if self.handover_log is not None:
            best = result.related if isinstance(result, CodeLookupResult) else result
            self.handover_log.append(
                {
                    "time": dt.datetime.fromtimestamp(
                        self._clock.time(), tz=dt.timezone.utc
                    ).isoformat(),
                    "question": callback.content,
                    "senderUserid": callback.sender_staff_id,
                    "senderNick": callback.sender_nick,
                    "conversationId": callback.conversation_id,
                    "kind": "code" if isinstance(result, CodeLookupResult) else "faq",
                    "bestEntryId": best.entry.id if best is not None and best.entry else None,
                    "confidence": round(best.confidence, 3) if best is not None else None,
                    "onDuty": person,
                    "notified": list(notified),
                    "by": self.handover_by,
                }
            )
        logger.info("handed over a question from %s to %s", callback.sender_staff_id, person)
        return notified

    def close(self) -> None:
        self._http.close()


class FaqBotServer:
    """The robot's HTTP endpoint on 127.0.0.1, in a background thread.

    DingTalk's callback URL is :attr:`callback_url` (behind a tunnel or reverse proxy in
    production, since DingTalk must reach it).
    """

    def __init__(self, bot: FaqBot, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.bot = bot
        self._httpd = http.server.ThreadingHTTPServer((host, port), _make_handler(bot))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def callback_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{CALLBACK_PATH}"

    def start(self) -> FaqBotServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        logger.info("FAQ robot listening on %s", self.callback_url)
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        logger.info("FAQ robot listening on %s", self.callback_url)
        self._httpd.serve_forever()

    def close(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()
        logger.info("FAQ robot on %s stopped", self.callback_url)

    def __enter__(self) -> FaqBotServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _make_handler(bot: FaqBot) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            if self.path.split("?")[0] != CALLBACK_PATH:
                self._send(404, b'{"error":"not found"}')
                return
            length = int(self.headers.get("content-length") or 0)
            content = self.rfile.read(length) if length else b""
            headers = dict(self.headers.items())
            try:
                status, body = bot.handle(headers, content)
            except Exception:
                logger.exception("the FAQ robot failed on a callback")
                status, body = 500, b'{"error":"internal error"}'
            self._send(status, body)

        def do_GET(self) -> None:
            self._send(405, b'{"error":"use POST"}')

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("%s %s", self.address_string(), format % args)

    return Handler
