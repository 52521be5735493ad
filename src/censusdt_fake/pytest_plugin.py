"""pytest plugin: a fresh fake DingTalk per test, and clients bound to it.

Registered through the ``pytest11`` entry point, so any project that installs censusdt has:

- ``dingtalk_fake``: a :class:`FakeDingTalk` with one corp and one app, its clock frozen at the
  test's start and moved only by ``advance`` or by the clients' waits;
- ``dingtalk`` / ``async_dingtalk``: a ``censusdt.DingTalk`` / ``AsyncDingTalk`` for that app, whose
  backoff and pacing advance the fake's clock instead of sleeping;
- ``dingtalk_server``: the same fake behind a real HTTP server on 127.0.0.1.

Markers:

- ``@pytest.mark.dingtalk_faults({"kind": "throttle", "path": "/topapi/*", "once": True}, ...)``
  adds fault rules before the test;
- ``@pytest.mark.dingtalk_seed(function, ...)`` calls each ``function(fake)`` before the test, to
  seed data (an org, a roster, ...);
- ``@pytest.mark.dingtalk_rate_limit(20)`` makes the fake throttle above 20 calls/s per app per API.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from censusdt_fake._clock import VirtualClock
from censusdt_fake._core import FakeDingTalk

if TYPE_CHECKING:
    from censusdt import AsyncDingTalk, DingTalk
    from censusdt_fake._server import FakeServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "dingtalk_faults(*rules): fault rules for dingtalk_fake")
    config.addinivalue_line("markers", "dingtalk_seed(*functions): call function(fake) first")
    config.addinivalue_line("markers", "dingtalk_rate_limit(rate): enforce calls/s per app per API")


@pytest.fixture
def dingtalk_fake(request: pytest.FixtureRequest) -> FakeDingTalk:
    """A fresh fake DingTalk with one corp and one app."""
    fake = FakeDingTalk(clock=VirtualClock(start=time.time(), frozen=True))
    for marker in request.node.iter_markers("dingtalk_rate_limit"):
        fake.enforce_rate_limit(marker.args[0] if marker.args else 20)
    for marker in request.node.iter_markers("dingtalk_faults"):
        for rule in marker.args:
            options: dict[str, Any] = dict(rule)
            fake.add_fault(options.pop("kind"), **options)
    for marker in request.node.iter_markers("dingtalk_seed"):
        for function in marker.args:
            function(fake)
    return fake


@pytest.fixture
def dingtalk(dingtalk_fake: FakeDingTalk) -> Iterator[DingTalk]:
    """A sync client for the fake's default app."""
    from censusdt import DingTalk

    app = dingtalk_fake.default_app
    client = DingTalk(
        app.app_key,
        app.app_secret,
        transport=dingtalk_fake.transport(),
        clock=dingtalk_fake.clock,
        sleep=dingtalk_fake.clock.sleep,
    )
    with client:
        yield client


@pytest.fixture
def async_dingtalk(dingtalk_fake: FakeDingTalk) -> AsyncDingTalk:
    """An async client for the fake's default app (in-process: nothing to close)."""
    from censusdt import AsyncDingTalk

    app = dingtalk_fake.default_app
    return AsyncDingTalk(
        app.app_key,
        app.app_secret,
        transport=dingtalk_fake.transport(),
        clock=dingtalk_fake.clock,
        sleep=dingtalk_fake.clock.async_sleep,
    )


@pytest.fixture
def dingtalk_server(dingtalk_fake: FakeDingTalk) -> Iterator[FakeServer]:
    """The fake behind a real HTTP server on 127.0.0.1 with a free port."""
    server = dingtalk_fake.serve()
    try:
        yield server
    finally:
        server.close()
