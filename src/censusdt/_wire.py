"""Sans-IO wire handling: build an httpx request for an endpoint, decode its response.

Both clients (async and the generated sync one) call these functions, so the two dialects' rules
live in one place: where the token goes, what an error envelope looks like, how to classify it.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import httpx

from censusdt._classify import ErrorKind, classify_legacy, classify_new
from censusdt._endpoint import Dialect, Endpoint
from censusdt._errors import APIError, PermissionDeniedError, RateLimitError, ServerError

__all__ = ["TOKEN_HEADER", "DecodedError", "build_request", "decode_error", "response_json"]

TOKEN_HEADER = "x-acs-dingtalk-access-token"
_JSON_HEADERS = {"content-type": "application/json; charset=utf-8", "accept": "application/json"}


@attrs.frozen
class DecodedError:
    """An error response turned into the exception to raise and what may be done about it."""

    error: APIError
    kind: ErrorKind


def build_request(
    endpoint: Endpoint,
    *,
    base_url: str,
    token: str | None,
    params: dict[str, Any] | None = None,
    json_body: Any = None,
    path_params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Request:
    """Build the request, putting the token where the endpoint's dialect expects it."""
    url = base_url.rstrip("/") + endpoint.format_path(path_params)
    query: dict[str, Any] = {key: _query_value(value) for key, value in (params or {}).items()}
    headers = {**_JSON_HEADERS, **(headers or {})}

    if token is not None:
        if endpoint.dialect is Dialect.LEGACY:
            query["access_token"] = token
        else:
            headers[TOKEN_HEADER] = token

    content: bytes | None = None
    if json_body is not None:
        content = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
    return httpx.Request(endpoint.method, url, params=query, headers=headers, content=content)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def decode_error(endpoint: Endpoint, response: httpx.Response) -> DecodedError | None:
    """Return the error a response carries, or ``None`` when it is a success."""
    body = response_json(response)
    if endpoint.dialect is Dialect.LEGACY:
        if response.status_code == 200:
            return _legacy_error(endpoint, body, 200)
        if isinstance(body, dict) and "errcode" in body:
            return _legacy_error(endpoint, body, response.status_code)
    if response.status_code < 400:
        return None
    return _new_error(endpoint, response, body)


def _legacy_error(endpoint: Endpoint, body: Any, status: int) -> DecodedError | None:
    if not isinstance(body, dict):
        # A legacy success is always a JSON object; anything else is a broken reply.
        return DecodedError(
            ServerError("non-JSON reply", code="-1", status=status, endpoint=str(endpoint)),
            ErrorKind.FAILED_MAYBE_APPLIED,
        )
    errcode = _as_int(body.get("errcode", 0))
    if errcode == 0:
        return None

    errmsg = str(body.get("errmsg", ""))
    error_class, kind = classify_legacy(errcode, errmsg)
    request_id = body.get("request_id")
    kwargs: dict[str, Any] = {
        "code": str(errcode),
        "status": status,
        "endpoint": str(endpoint),
        "request_id": str(request_id) if request_id is not None else None,
    }
    if error_class is RateLimitError:
        # The platform's advice for QPS errors: the window is one second.
        kwargs["retry_after"] = 1.0
    return DecodedError(error_class(errmsg, **kwargs), kind)


def _new_error(endpoint: Endpoint, response: httpx.Response, body: Any) -> DecodedError:
    status = response.status_code
    fields = body if isinstance(body, dict) else {}
    code = str(fields.get("code") or fields.get("Code") or f"HTTP{status}")
    message = str(fields.get("message") or fields.get("Message") or response.reason_phrase)
    request_id = (
        fields.get("requestid")
        or fields.get("RequestId")
        or response.headers.get("x-acs-request-id")
    )
    error_class, kind = classify_new(status, code)
    kwargs: dict[str, Any] = {
        "code": code,
        "status": status,
        "endpoint": str(endpoint),
        "request_id": str(request_id) if request_id else None,
    }
    if error_class is RateLimitError:
        kwargs["retry_after"] = 1.0
    if error_class is PermissionDeniedError:
        detail = fields.get("accessdenieddetail")
        if isinstance(detail, dict) and detail.get("requiredPermissions"):
            kwargs["missing_scopes"] = list(detail["requiredPermissions"])
    return DecodedError(error_class(message, **kwargs), kind)


def response_json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _as_int(value: Any) -> int:
    # Doc samples show errcode as a string ("0"); accept both.
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
