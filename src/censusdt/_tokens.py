"""Access tokens and the stores that cache them per app key."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Protocol

import attrs
import filelock

from censusdt._masking import mask_secret

__all__ = ["DEFAULT_TOKEN_LIFETIME", "FileTokenStore", "MemoryTokenStore", "Token", "TokenStore"]

#: DingTalk's documented token lifetime in seconds; used when ``expireIn`` is missing or zero.
DEFAULT_TOKEN_LIFETIME = 7200


@attrs.frozen(repr=False)
class Token:
    """An access token and the wall-clock time (epoch seconds) at which it expires."""

    value: str
    expires_at: float

    def is_fresh(self, now: float, margin: float) -> bool:
        """Tell whether the token is still valid ``margin`` seconds from ``now``."""
        return now < self.expires_at - margin

    def __repr__(self) -> str:
        return f"Token(value={mask_secret(self.value)!r}, expires_at={self.expires_at})"


class TokenStore(Protocol):
    """Token cache keyed by app key, so two apps never share a token."""

    def get(self, app_key: str) -> Token | None: ...

    def set(self, app_key: str, token: Token) -> None: ...

    def discard(self, app_key: str, value: str) -> None:
        """Forget the token for ``app_key`` if it is still ``value`` (the server rejected it)."""


class MemoryTokenStore:
    """A thread-safe in-process token cache."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def get(self, app_key: str) -> Token | None:
        with self._lock:
            return self._tokens.get(app_key)

    def set(self, app_key: str, token: Token) -> None:
        with self._lock:
            self._tokens[app_key] = token

    def discard(self, app_key: str, value: str) -> None:
        with self._lock:
            current = self._tokens.get(app_key)
            if current is not None and current.value == value:
                del self._tokens[app_key]


class FileTokenStore:
    """A JSON file of tokens that several processes on one machine share.

    Every read-modify-write holds an exclusive file lock next to the file, and the file is replaced
    atomically, so a reader never sees half a write. The file holds live tokens: it is created with
    owner-only permissions.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = filelock.FileLock(str(self.path) + ".lock")

    def get(self, app_key: str) -> Token | None:
        with self._lock:
            entry = self._read().get(app_key)
        if entry is None:
            return None
        return Token(value=str(entry["value"]), expires_at=float(entry["expires_at"]))

    def set(self, app_key: str, token: Token) -> None:
        with self._lock:
            tokens = self._read()
            tokens[app_key] = {"value": token.value, "expires_at": token.expires_at}
            self._write(tokens)

    def discard(self, app_key: str, value: str) -> None:
        with self._lock:
            tokens = self._read()
            entry = tokens.get(app_key)
            if entry is not None and entry.get("value") == value:
                del tokens[app_key]
                self._write(tokens)

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            # A corrupt cache only costs one token request; start over.
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, tokens: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name + ".")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(tokens, file)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
