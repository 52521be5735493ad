"""Tenants of the fake: corps holding internal apps, tokens, and per-product state."""

from __future__ import annotations

import random
from typing import Any, TypeVar

import attrs

__all__ = ["TOKEN_LIFETIME", "App", "Corp", "IssuedToken"]

#: DingTalk's token lifetime in seconds.
TOKEN_LIFETIME = 7200

S = TypeVar("S")


@attrs.define
class IssuedToken:
    """A token the fake issued, the app it belongs to, and when it expires (epoch seconds)."""

    value: str
    corp_id: str
    app_key: str
    expires_at: float


@attrs.define
class App:
    """An internal app (企业内部应用) of a corp."""

    app_key: str
    app_secret: str = attrs.field(repr=False)
    agent_id: int
    robot_code: str
    name: str = "人口普查助手"
    #: The token currently valid for this app, if any.
    token: IssuedToken | None = None


@attrs.define
class Corp:
    """A tenant (企业/组织) and its state.

    Each product keeps its state in one object created on first use by :meth:`ext`, so handler
    modules add state without touching this class. State classes must be deep-copyable (snapshots)
    and plain data (the JSON dump walks them).
    """

    corp_id: str
    name: str
    apps: dict[str, App] = attrs.field(factory=dict)
    extensions: dict[str, Any] = attrs.field(factory=dict)

    def ext(self, state_class: type[S]) -> S:
        """Return the corp's instance of ``state_class``, created with no arguments on first use."""
        key = f"{state_class.__module__}.{state_class.__qualname__}"
        state = self.extensions.get(key)
        if state is None:
            state = state_class()
            self.extensions[key] = state
        assert isinstance(state, state_class)
        return state

    def add_app(
        self,
        *,
        rng: random.Random,
        app_key: str | None = None,
        app_secret: str | None = None,
        agent_id: int | None = None,
        name: str = "人口普查助手",
    ) -> App:
        key = app_key or "ding" + _random_text(rng, 16).lower()
        if key in self.apps:
            raise ValueError(f"app key {key!r} already exists in corp {self.corp_id}")
        app = App(
            app_key=key,
            app_secret=app_secret or _random_text(rng, 64),
            agent_id=agent_id if agent_id is not None else rng.randrange(10**9, 4 * 10**9),
            # Robot codes equal the app key for internal-app robots in DingTalk's examples.
            robot_code=key,
            name=name,
        )
        self.apps[key] = app
        return app


def _random_text(rng: random.Random, length: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(length))
