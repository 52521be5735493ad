"""Mapping of DingTalk error codes to censusdt's exception classes and retry kinds."""

from __future__ import annotations

import enum

from censusdt._errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)

__all__ = ["ErrorKind", "classify_legacy", "classify_new"]


class ErrorKind(enum.Enum):
    """Retry category of an error, independent of its exception class."""

    #: The token is invalid or expired: refresh it and retry once.
    TOKEN_INVALID = "token_invalid"
    #: The server refused without acting (throttling, "system busy"): safe to retry any call.
    REJECTED_RETRYABLE = "rejected_retryable"
    #: The server may have acted before failing (HTTP 5xx): retry only idempotent calls.
    FAILED_MAYBE_APPLIED = "failed_maybe_applied"
    #: Retrying would get the same error.
    FINAL = "final"


# Legacy errcodes meaning the token is bad: 40014 invalid, 42001 timed out, 40001 invalid (also
# "wrong secret" on /gettoken, handled there), 88 "鉴权异常" observed with "不合法的access_token".
_LEGACY_TOKEN_INVALID = frozenset({40014, 42001, 40001})
# 90018 per-app per-API QPS, 90002 per-API global, 90001-90017 temporary bans for excessive calls.
_LEGACY_THROTTLED = frozenset({*range(90001, 90015), 90017, 90018})
_LEGACY_PERMISSION = frozenset({60011, 43007, 60020, 50002, 50004})
# 90020 monthly quota; 41029/41045/41046/41047 work-notification frequency and recipient caps.
_LEGACY_QUOTA = frozenset({90020, 41029, 41045, 41046, 41047})
_LEGACY_NOT_FOUND = frozenset({60003, 60004, 60121, 33012, 40003, 40009})
_LEGACY_CONFLICT = frozenset({60021, 60102, 60104, 60106, 60107, 60005, 60006})
_LEGACY_CREDENTIALS = frozenset({40089, 41001})


def classify_legacy(errcode: int, errmsg: str) -> tuple[type[APIError], ErrorKind]:
    """Return the exception class and retry kind for a legacy ``errcode``."""
    if errcode in _LEGACY_TOKEN_INVALID:
        return AuthenticationError, ErrorKind.TOKEN_INVALID
    if errcode == 88:
        # 88 "鉴权异常" covers both a bad token and throttling; only its message distinguishes them.
        if "token" in errmsg.lower():
            return AuthenticationError, ErrorKind.TOKEN_INVALID
        return RateLimitError, ErrorKind.REJECTED_RETRYABLE
    if errcode in _LEGACY_THROTTLED:
        return RateLimitError, ErrorKind.REJECTED_RETRYABLE
    if errcode == -1:
        # "系统繁忙": the platform documentation advises retrying up to 3 times.
        return ServerError, ErrorKind.REJECTED_RETRYABLE
    if errcode == 400001:
        return ServerError, ErrorKind.FAILED_MAYBE_APPLIED
    if errcode in _LEGACY_CREDENTIALS:
        return AuthenticationError, ErrorKind.FINAL
    if errcode in _LEGACY_PERMISSION:
        return PermissionDeniedError, ErrorKind.FINAL
    if errcode in _LEGACY_QUOTA:
        return QuotaExceededError, ErrorKind.FINAL
    if errcode in _LEGACY_NOT_FOUND:
        return NotFoundError, ErrorKind.FINAL
    if errcode in _LEGACY_CONFLICT:
        return ConflictError, ErrorKind.FINAL
    return InvalidRequestError, ErrorKind.FINAL


def classify_new(status: int, code: str) -> tuple[type[APIError], ErrorKind]:
    """Return the exception class and retry kind for a new-API error (HTTP status and ``code``)."""
    if code == "InvalidAuthentication":
        return AuthenticationError, ErrorKind.TOKEN_INVALID
    if code.startswith("Forbidden.AccessDenied.Qp"):
        # QpsLimitForAppkeyAndApi, QpsLimitForApi, QpmLimitForAppkeyAndApi, ...: HTTP 403, not 429.
        return RateLimitError, ErrorKind.REJECTED_RETRYABLE
    if code == "Forbidden.AccessDenied.ApiCountLimitForOrg":
        return QuotaExceededError, ErrorKind.FINAL
    if status == 401 or code in {"invalidClientIdOrSecret", "Unauthorized"}:
        return AuthenticationError, ErrorKind.FINAL
    if status == 403:
        return PermissionDeniedError, ErrorKind.FINAL
    if status == 503:
        # The gateway sheds load before the API runs, like legacy errcode -1 "系统繁忙".
        return ServerError, ErrorKind.REJECTED_RETRYABLE
    if status >= 500:
        return ServerError, ErrorKind.FAILED_MAYBE_APPLIED
    if status == 404 or "notfound" in code.lower() or "notexist" in code.lower():
        return NotFoundError, ErrorKind.FINAL
    if status == 409 or "exist" in code.lower() or "duplicate" in code.lower():
        return ConflictError, ErrorKind.FINAL
    return InvalidRequestError, ErrorKind.FINAL
