"""A staff member chatting with a robot: signed HTTP-mode callbacks and sessionWebhook replies.

:class:`Conversation` builds the callback body as DingTalk does, signs it with the app secret
and POSTs it to the robot's message URL. Each message gets its own sessionWebhook on the fake
(``/robot/sendBySession?session=...``), which records the robot's replies and expires 90 minutes
after the message on the fake's virtual clock; after that it answers errcode 300001.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from censusdt_fake._errors import LegacyError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import ContactsState, User

if TYPE_CHECKING:
    from censusdt_fake._core import FakeDingTalk
    from censusdt_fake._state import App, Corp

__all__ = [
    "SESSION_LIFETIME_MS",
    "SESSION_PATH",
    "CallbackOutcome",
    "Conversation",
    "SessionReply",
    "SessionState",
    "WebhookSession",
    "sign",
]

#: A sessionWebhook stays valid about 90 minutes after the message it came with.
SESSION_LIFETIME_MS = 90 * 60 * 1000
SESSION_PATH = "/robot/sendBySession"
#: Message types a sessionWebhook accepts (webhook style: no image, voice, file or video).
_SESSION_TYPES = ("text", "markdown", "actionCard", "feedCard", "link")
_LEGACY_URL = "https://oapi.dingtalk.com"


@attrs.define
class SessionReply:
    """One message the robot sent through a sessionWebhook."""

    msgtype: str
    body: dict[str, Any]
    sent_ms: int

    @property
    def text(self) -> str:
        """The visible text: a text message's content or a markdown message's text."""
        part = self.body.get(self.msgtype)
        if isinstance(part, dict):
            return str(part.get("content") or part.get("text") or "")
        return ""


@attrs.define
class WebhookSession:
    """The reply channel of one callback."""

    session: str
    conversation_id: str
    sender_userid: str
    question: str
    created_ms: int
    expires_ms: int
    replies: list[SessionReply] = attrs.field(factory=list)
    #: Replies rejected because the session had expired.
    rejected: int = 0


@attrs.define
class SessionState:
    """The corp's sessionWebhooks by session id."""

    sessions: dict[str, WebhookSession] = attrs.field(factory=dict)


def sign(timestamp_ms: int | str, app_secret: str) -> str:
    """DingTalk's ``sign`` header: base64 HMAC-SHA256 of ``timestamp + "\\n" + secret``."""
    message = f"{timestamp_ms}\n{app_secret}".encode()
    digest = hmac.new(app_secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _find_session(call: Call, session: str) -> WebhookSession | None:
    for corp in call.fake.corps.values():
        found = corp.ext(SessionState).sessions.get(session)
        if found is not None:
            return found
    return None


router = Router()


@router.post(SESSION_PATH, authenticated=False)
def send_by_session(call: Call) -> dict[str, Any]:
    """Accept a webhook-style message for an unexpired session (no access token needed)."""
    session_id = call.query.get("session", "")
    session = _find_session(call, session_id)
    if session is None:
        raise LegacyError(300001, "session 不存在")
    if call.now_ms > session.expires_ms:
        session.rejected += 1
        raise LegacyError(300001, "session 不存在")
    if not isinstance(call.body, dict):
        raise LegacyError(40035, "缺少参数 json")
    msgtype = call.body.get("msgtype")
    if msgtype not in _SESSION_TYPES:
        raise LegacyError(400105, "不支持的消息类型")
    part = call.body.get(msgtype)
    if not isinstance(part, dict):
        raise LegacyError(400402, f"缺少参数 {msgtype}")
    if msgtype == "text" and not part.get("content"):
        raise LegacyError(400402, "缺少参数 text.content")
    if msgtype == "markdown" and (not part.get("title") or not part.get("text")):
        raise LegacyError(400402, "缺少参数 markdown.title 或 markdown.text")
    session.replies.append(SessionReply(str(msgtype), dict(call.body), call.now_ms))
    return {}


@attrs.frozen
class CallbackOutcome:
    """What the robot's endpoint returned for one callback, and the session it came with."""

    status: int
    body: Any
    session: WebhookSession


class Conversation:
    """The fake playing staff members who write to a robot served at ``robot_url``.

    ``webhook_base`` is the URL the sessionWebhooks point at: the legacy DingTalk host for an
    in-process fake, or a :class:`FakeServer`'s ``url``. ``http`` sends the callbacks (a plain
    ``httpx.Client`` by default, since the robot listens on a real socket).
    """

    def __init__(
        self,
        fake: FakeDingTalk,
        robot_url: str,
        *,
        app: App | None = None,
        corp: Corp | None = None,
        webhook_base: str = _LEGACY_URL,
        http: httpx.Client | None = None,
    ) -> None:
        self.fake = fake
        self.robot_url = robot_url
        self.corp = corp or fake.default_corp
        self.app = app or next(iter(self.corp.apps.values()))
        self.webhook_base = webhook_base.rstrip("/")
        self._http = http or httpx.Client(timeout=30.0)
        self._owns_http = http is None
        self._number = 0
        _install_route(fake)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Conversation:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def sessions(self) -> dict[str, WebhookSession]:
        return self.corp.ext(SessionState).sessions

    def callback_body(
        self,
        user: User,
        text: str,
        *,
        group_title: str | None = None,
        conversation_id: str | None = None,
    ) -> tuple[dict[str, Any], WebhookSession]:
        """Build the JSON DingTalk would POST for ``user`` writing ``text``, and its session."""
        self._number += 1
        now_ms = self.fake.clock.now_ms()
        session_id = secrets.token_hex(16)
        conversation = conversation_id or f"cid{self._number:08d}{user.userid}=="
        session = WebhookSession(
            session=session_id,
            conversation_id=conversation,
            sender_userid=user.userid,
            question=text,
            created_ms=now_ms,
            expires_ms=now_ms + SESSION_LIFETIME_MS,
        )
        self.sessions[session_id] = session
        body: dict[str, Any] = {
            "msgtype": "text",
            # In a group the @-mention is cut from the text, which leaves a leading space.
            "text": {"content": (" " + text) if group_title else text},
            "msgId": f"msg{secrets.token_hex(12)}",
            "createAt": now_ms,
            "conversationType": "2" if group_title else "1",
            "conversationId": conversation,
            "senderId": f"$:LWCP_v1:${secrets.token_hex(12)}",
            "senderNick": user.name,
            "senderStaffId": user.userid,
            "senderUnionId": user.unionid,
            "senderCorpId": self.corp.corp_id,
            "chatbotCorpId": self.corp.corp_id,
            "chatbotUserId": f"$:LWCP_v1:${self.app.robot_code}",
            "robotCode": self.app.robot_code,
            "isAdmin": user.admin,
            "isInAtList": True,
            "atUsers": [],
            "sessionWebhook": f"{self.webhook_base}{SESSION_PATH}?session={session_id}",
            "sessionWebhookExpiredTime": session.expires_ms,
        }
        if group_title:
            body["conversationTitle"] = group_title
        return body, session

    def ask(
        self,
        userid: str,
        text: str,
        *,
        group_title: str | None = None,
        secret: str | None = None,
        timestamp_ms: int | None = None,
    ) -> CallbackOutcome:
        """Send ``text`` from ``userid`` to the robot; return its HTTP answer and the session.

        ``secret`` signs with another secret and ``timestamp_ms`` dates the headers, to forge
        or replay a callback in tests.
        """
        user = self.corp.ext(ContactsState).user(userid)
        body, session = self.callback_body(user, text, group_title=group_title)
        stamp = timestamp_ms if timestamp_ms is not None else self.fake.clock.now_ms()
        headers = {
            "timestamp": str(stamp),
            "sign": sign(stamp, secret if secret is not None else self.app.app_secret),
        }
        response = self._http.post(self.robot_url, json=body, headers=headers)
        try:
            payload: Any = response.json() if response.content else None
        except ValueError:
            payload = response.text
        return CallbackOutcome(response.status_code, payload, session)


def _install_route(fake: FakeDingTalk) -> None:
    """Serve the sessionWebhook route on ``fake`` once."""
    if any(route.template == SESSION_PATH for route in fake.routes()):
        return
    fake.add_routes(router)
