"""The custom robot endpoint ``/robot/send`` (webhook token, not an app token) and its control plane."""

from __future__ import annotations

import json
from typing import Any

import httpx

from censusdt_fake._errors import LegacyError
from censusdt_fake._routing import Call, Router
from censusdt_fake.messaging import add_webhook_robot
from censusdt_fake.models.webhook import WebhookRobot, WebhookState

router = Router()

_TYPES = {"text", "link", "markdown", "actionCard", "feedCard"}


def _find(call: Call, token: str | None) -> WebhookRobot:
    for corp in call.fake.corps.values():
        robot = corp.ext(WebhookState).robots.get(token or "")
        if robot is not None:
            return robot
    # Observed live for an unknown token; the doc lists 400101 instead.
    raise LegacyError(300001, "token is not exist")


def _text_of(body: dict[str, Any]) -> str:
    # Keyword checks look at every text the message shows.
    return json.dumps(body.get(str(body.get("msgtype"))), ensure_ascii=False)


@router.post("/robot/send", authenticated=False)
def send(call: Call) -> Any:
    if "json" not in call.request.headers.get("content-type", ""):
        raise LegacyError(43004, "invalid HTTP HEADER Content-Type")
    robot = _find(call, call.query.get("access_token"))
    robot.check_signature(call.query.get("timestamp"), call.query.get("sign"), call.now_ms)
    body = call.body
    if not isinstance(body, dict):
        raise LegacyError(40035, "缺少参数 json")
    msgtype = body.get("msgtype")
    if msgtype not in _TYPES:
        raise LegacyError(400105, "不支持的消息类型")
    if not isinstance(body.get(str(msgtype)), dict):
        raise LegacyError(400402, f"缺少参数 {msgtype}")
    robot.check_keywords(_text_of(body))
    robot.admit(call.now_ms)
    robot.messages.append(body)
    return {}


@router.post("/__fake__/webhook/robots", control=True)
def control_add(call: Call) -> dict[str, Any]:
    """Body ``{"secret": "SEC..." (optional), "keywords": [...]}``; returns the webhook token."""
    corp_id = call.raw("corp_id")
    corp = call.fake.corps[str(corp_id)] if corp_id else call.fake.default_corp
    robot = add_webhook_robot(
        call.fake, secret=call.raw("secret"), keywords=list(call.raw("keywords", [])), corp=corp
    )
    return {"access_token": robot.access_token}


@router.get("/__fake__/webhook/robots/{token}/messages", control=True)
def control_messages(call: Call) -> httpx.Response | dict[str, Any]:
    robot = _find(call, call.path_params["token"])
    return {"messages": robot.messages}
