"""The fault matrix: each injected fault is either recovered or raised as the right typed error,
and the fake's log shows no call lost and no send duplicated."""

from __future__ import annotations

import pytest

from censusdt import (
    AsyncDingTalk,
    DingTalk,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from tests.core import echo

SENDS = [echo.LEGACY_SEND, echo.NEW_SEND]


def make_client(fake, **options) -> DingTalk:
    app = fake.default_app
    return DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
        **options,
    )


def applied(fake, endpoint) -> int:
    return sum(1 for entry in fake.calls(endpoint.path) if entry.applied)


# Faults where the server did nothing: every call, idempotent or not, is retried and succeeds once.
@pytest.mark.parametrize("kind", ["throttle", "invalid_token", "busy", "connect_error"])
@pytest.mark.parametrize("endpoint", SENDS, ids=["legacy", "new"])
def test_rejected_send_is_retried_and_applied_once(dingtalk_fake, kind, endpoint):
    sent = echo.install(dingtalk_fake)
    dingtalk_fake.add_fault(kind, path=endpoint.path, once=True)
    client = make_client(dingtalk_fake)

    client.request(endpoint, json={"item": "通知"})

    assert sent.items == ["通知"]
    assert applied(dingtalk_fake, endpoint) == 1


# Faults after which the server may have acted: a send is not retried, and the error reports it.
@pytest.mark.parametrize(
    ("kind", "error_type"),
    [("server_error", ServerError), ("timeout", TransportError), ("disconnect", TransportError)],
)
@pytest.mark.parametrize("after", [False, True], ids=["before-apply", "after-apply"])
@pytest.mark.parametrize("endpoint", SENDS, ids=["legacy", "new"])
def test_send_not_retried_when_it_may_have_run(dingtalk_fake, kind, error_type, after, endpoint):
    sent = echo.install(dingtalk_fake)
    dingtalk_fake.add_fault(kind, path=endpoint.path, once=True, after=after)
    client = make_client(dingtalk_fake)

    with pytest.raises(error_type) as caught:
        client.request(endpoint, json={"item": "通知"})

    assert len(dingtalk_fake.calls(endpoint.path)) == 1
    assert sent.items == (["通知"] if after else [])
    if isinstance(caught.value, TransportError):
        assert caught.value.may_have_reached_server


@pytest.mark.parametrize("kind", ["server_error", "timeout", "disconnect"])
def test_opted_in_send_is_retried(dingtalk_fake, kind):
    sent = echo.install(dingtalk_fake)
    dingtalk_fake.add_fault(kind, path=echo.LEGACY_SEND.path, once=True)
    client = make_client(dingtalk_fake)

    client.request(echo.LEGACY_SEND, json={"item": "a"}, retry_unsafe=True)

    assert sent.items == ["a"]


@pytest.mark.parametrize("kind", ["server_error", "timeout", "disconnect", "busy", "throttle"])
@pytest.mark.parametrize("endpoint", [echo.LEGACY_READ, echo.NEW_READ], ids=["legacy", "new"])
def test_idempotent_read_recovers(dingtalk_fake, kind, endpoint):
    echo.install(dingtalk_fake)
    dingtalk_fake.add_fault(kind, path=endpoint.path, every=2)
    client = make_client(dingtalk_fake)

    for _ in range(4):
        client.request(endpoint)

    served = [entry for entry in dingtalk_fake.calls(endpoint.path) if entry.fault is None]
    assert len(served) == 4


def test_throttling_exhausts_retries(dingtalk_fake):
    echo.install(dingtalk_fake)
    dingtalk_fake.add_fault("throttle", path=echo.NEW_READ.path)
    client = make_client(dingtalk_fake, retry=RetryPolicy(max_attempts=3))

    with pytest.raises(RateLimitError) as caught:
        client.request(echo.NEW_READ)

    assert caught.value.code == "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"
    assert caught.value.status == 403
    assert caught.value.retry_after == 1.0
    assert len(dingtalk_fake.calls(echo.NEW_READ.path)) == 3


def test_backoff_waits_grow(dingtalk_fake):
    echo.install(dingtalk_fake)
    dingtalk_fake.add_fault("busy", path=echo.LEGACY_READ.path, every=1)
    waits: list[float] = []
    app = dingtalk_fake.default_app
    client = DingTalk(
        app.app_key,
        app.app_secret,
        transport=dingtalk_fake.transport(),
        clock=dingtalk_fake.clock,
        sleep=waits.append,
        retry=RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=100.0),
    )

    with pytest.raises(ServerError):
        client.request(echo.LEGACY_READ)

    assert len(waits) == 4
    for attempt, wait in enumerate(waits, start=1):
        assert 2 ** (attempt - 1) / 2 <= wait <= 2 ** (attempt - 1)


def test_seeded_probability_faults_lose_nothing(dingtalk_fake):
    sent = echo.install(dingtalk_fake)
    dingtalk_fake.add_fault("throttle", path="/topapi/test/*", probability=0.3, seed=7)
    dingtalk_fake.add_fault("connect_error", path="/topapi/test/*", probability=0.2, seed=8)
    client = make_client(dingtalk_fake, retry=RetryPolicy(max_attempts=20))

    for index in range(40):
        client.request(echo.LEGACY_SEND, json={"item": f"m{index}"})

    assert sent.items == [f"m{index}" for index in range(40)]
    assert client.stats.retries > 0


@pytest.mark.anyio
async def test_async_client_fault_matrix(dingtalk_fake):
    sent = echo.install(dingtalk_fake)
    dingtalk_fake.add_fault("throttle", path=echo.NEW_SEND.path, once=True)
    dingtalk_fake.add_fault("timeout", path=echo.LEGACY_SEND.path, once=True, after=True)
    app = dingtalk_fake.default_app
    client = AsyncDingTalk(
        app.app_key,
        app.app_secret,
        transport=dingtalk_fake.transport(),
        clock=dingtalk_fake.clock,
        sleep=dingtalk_fake.clock.async_sleep,
    )

    await client.request(echo.NEW_SEND, json={"item": "new"})
    with pytest.raises(TransportError):
        await client.request(echo.LEGACY_SEND, json={"item": "legacy"})

    assert sent.items == ["new", "legacy"]
    await client.aclose()
