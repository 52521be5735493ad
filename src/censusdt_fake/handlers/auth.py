"""Token endpoints of both dialects."""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import LegacyError, NewApiError
from censusdt_fake._routing import Call, Router

router = Router()


@router.post("/v1.0/oauth2/accessToken", authenticated=False)
def get_access_token(call: Call) -> dict[str, Any]:
    """``POST /v1.0/oauth2/accessToken``: ``{appKey, appSecret}`` → ``{accessToken, expireIn}``."""
    if not isinstance(call.body, dict):
        raise NewApiError(400, "MissingBody", "body is mandatory for this action")
    app_key = call.string("appKey", required=True)
    app_secret = call.string("appSecret", default="")
    found = call.fake.find_app(app_key)
    if found is None or found[1].app_secret != app_secret:
        raise NewApiError(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret")
    corp, app = found
    token = call.fake.issue_token(corp, app)
    return {"accessToken": token.value, "expireIn": _remaining(call, token.expires_at)}


@router.get("/gettoken", authenticated=False)
def gettoken(call: Call) -> dict[str, Any]:
    """``GET /gettoken?appkey=&appsecret=`` → ``{access_token, expires_in}``."""
    app_key = call.query.get("appkey")
    app_secret = call.query.get("appsecret")
    if not app_key or not app_secret:
        raise LegacyError(40089, "不合法的corpId或corpSecret")
    found = call.fake.find_app(app_key)
    if found is None or found[1].app_secret != app_secret:
        raise LegacyError(40089, "不合法的corpId或corpSecret")
    corp, app = found
    token = call.fake.issue_token(corp, app)
    return {"access_token": token.value, "expires_in": _remaining(call, token.expires_at)}


def _remaining(call: Call, expires_at: float) -> int:
    return max(0, round(expires_at - call.fake.clock.time()))
