"""Endpoint declarations: which host, dialect, method and path a DingTalk API uses."""

from __future__ import annotations

import enum
import string

import attrs

__all__ = ["Dialect", "Endpoint"]


class Dialect(enum.Enum):
    """The two DingTalk API generations, which differ in host, auth, envelope and key casing."""

    #: ``oapi.dingtalk.com``: token in the ``access_token`` query parameter, HTTP 200 with
    #: ``errcode`` on failure, snake_case keys.
    LEGACY = "legacy"
    #: ``api.dingtalk.com``: token in the ``x-acs-dingtalk-access-token`` header, HTTP status plus
    #: ``{code, message, requestid}`` on failure, camelCase keys.
    NEW = "new"


@attrs.frozen
class Endpoint:
    """One DingTalk API: its dialect, HTTP method and path, declared once next to its typed call.

    ``idempotent`` is true when repeating the request is harmless. A non-idempotent call (a send, a
    create) is never retried after the request may have reached the server, unless the caller opts
    in. ``path`` may hold ``{name}`` placeholders filled from ``path_params``.
    """

    dialect: Dialect
    method: str
    path: str
    idempotent: bool
    authenticated: bool = True

    @classmethod
    def legacy(cls, method: str, path: str, *, idempotent: bool) -> Endpoint:
        return cls(Dialect.LEGACY, method, path, idempotent)

    @classmethod
    def new(cls, method: str, path: str, *, idempotent: bool) -> Endpoint:
        return cls(Dialect.NEW, method, path, idempotent)

    @property
    def placeholders(self) -> list[str]:
        return [name for _, name, _, _ in string.Formatter().parse(self.path) if name]

    def format_path(self, path_params: dict[str, str] | None = None) -> str:
        """Fill the ``{name}`` placeholders; every placeholder needs a value."""
        params = path_params or {}
        missing = [name for name in self.placeholders if name not in params]
        if missing:
            raise ValueError(f"missing path parameter(s) {missing} for {self.path}")
        return self.path.format(**params) if params else self.path

    def __str__(self) -> str:
        return f"{self.method} {self.path}"
