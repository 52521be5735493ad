"""Exceptions raised by censusdt.

The hierarchy is shallow; catch the branch you can act on::

    DingTalkError                      base of everything censusdt raises on purpose
    ├── ValidationError (ValueError)   bad input caught before sending; lists every bad field
    ├── TransportError                 the request could not be sent or the reply was not received
    └── APIError                       DingTalk returned an error
        ├── AuthenticationError        wrong app key or secret; token still rejected after a refresh
        ├── PermissionDeniedError      the app lacks a permission point (``missing_scopes``)
        ├── RateLimitError             throttled; ``retry_after`` in seconds
        ├── QuotaExceededError         monthly quota or per-user daily cap used up
        ├── NotFoundError              the user, department, task ... does not exist
        ├── ConflictError              duplicate mobile, existing name, userid taken ...
        ├── InvalidRequestError        DingTalk rejected a parameter
        └── ServerError                DingTalk failed (HTTP 5xx, errcode -1 after retries)

Every ``APIError`` carries the DingTalk ``code`` (legacy ``errcode`` as a string, or the new API's
``code``), the ``message`` verbatim, the ``request_id``, the HTTP ``status`` and the ``endpoint``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConflictError",
    "DingTalkError",
    "FieldError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "ValidationError",
]


class DingTalkError(Exception):
    """Base class of every error censusdt raises on purpose."""


@attrs.frozen
class FieldError:
    """One invalid input value: where it is, what it was, and what is expected instead."""

    field: str
    value: object
    reason: str

    def __str__(self) -> str:
        # Dates read better in ISO form than as Python reprs with their time zone objects.
        shown = (
            self.value.isoformat()
            if isinstance(self.value, (dt.date, dt.time))
            else repr(self.value)
        )
        return f"{self.field}={shown}: {self.reason}"


class ValidationError(DingTalkError, ValueError):
    """Input that censusdt refuses to send; ``errors`` names every bad field at once."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        lines = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"{len(self.errors)} invalid value(s):\n{lines}")


class TransportError(DingTalkError):
    """The request failed on the network; ``may_have_reached_server`` is true if it might have run."""

    def __init__(self, message: str, *, endpoint: str, may_have_reached_server: bool) -> None:
        super().__init__(f"{message} ({endpoint})")
        self.endpoint = endpoint
        self.may_have_reached_server = may_have_reached_server


class APIError(DingTalkError):
    """DingTalk returned an error envelope."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status: int,
        endpoint: str,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"[{code}] {message} ({endpoint}, HTTP {status}, request {request_id})")
        self.code = code
        self.message = message
        self.status = status
        self.endpoint = endpoint
        self.request_id = request_id

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"status={self.status}, endpoint={self.endpoint!r}, request_id={self.request_id!r})"
        )


class AuthenticationError(APIError):
    """The app key or secret is wrong, or the token stayed invalid after one refresh."""


class PermissionDeniedError(APIError):
    """The app lacks a permission point; ``missing_scopes`` lists it when DingTalk names it."""

    def __init__(
        self, message: str, *, missing_scopes: Sequence[str] = (), **kwargs: object
    ) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.missing_scopes = list(missing_scopes)


class RateLimitError(APIError):
    """DingTalk throttled the call; wait ``retry_after`` seconds before the next one."""

    def __init__(self, message: str, *, retry_after: float = 1.0, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class QuotaExceededError(APIError):
    """A quota that does not refill within seconds is used up (monthly calls, daily sends)."""


class NotFoundError(APIError):
    """The object named in the request does not exist."""


class ConflictError(APIError):
    """The request collides with existing data (duplicate mobile, name taken, ...)."""


class InvalidRequestError(APIError):
    """DingTalk rejected a parameter of the request."""


class ServerError(APIError):
    """DingTalk failed to process the request."""
