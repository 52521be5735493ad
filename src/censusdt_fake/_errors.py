"""Errors a fake handler raises; the router renders them in the endpoint's dialect."""

from __future__ import annotations

__all__ = ["FakeError", "LegacyError", "NewApiError", "invalid_parameter"]


class FakeError(Exception):
    """Base of the errors a handler raises to respond with a DingTalk error envelope."""


class LegacyError(FakeError):
    """A legacy oapi error: HTTP 200 with a non-zero ``errcode`` and DingTalk's ``errmsg``."""

    def __init__(self, errcode: int, errmsg: str, **extra: object) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.extra = extra


class NewApiError(FakeError):
    """A new api error: an HTTP status with ``{code, message, requestid}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message


def invalid_parameter(message: str, code: str = "invalidParameter") -> NewApiError:
    """Build the new API's generic HTTP 400 for a bad parameter."""
    return NewApiError(400, code, message)
