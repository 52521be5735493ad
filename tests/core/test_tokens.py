from __future__ import annotations

import pytest

from censusdt import AuthenticationError, DingTalk, MemoryTokenStore
from censusdt_fake import Call, FakeDingTalk, Router
from tests.core import echo

TOKEN_PATH = "/v1.0/oauth2/accessToken"


def make_client(fake: FakeDingTalk, **options: object) -> DingTalk:
    app = fake.default_app
    return DingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.sleep,
        **options,  # type: ignore[arg-type]
    )


def test_token_is_fetched_once_and_reused(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)

    for value in range(3):
        dingtalk.request(echo.LEGACY_READ, json={"value": value})
        dingtalk.request(echo.NEW_READ)

    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 1
    assert dingtalk.stats.token_requests == 1


def test_token_refreshed_before_expiry(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)
    first = dingtalk.get_token()

    dingtalk_fake.clock.advance(7200 - 601)
    assert dingtalk.get_token() == first

    dingtalk_fake.clock.advance(2)
    dingtalk.request(echo.LEGACY_READ)
    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 2


def test_refetch_while_valid_returns_same_token(dingtalk_fake):
    echo.install(dingtalk_fake)
    first = make_client(dingtalk_fake).get_token()
    dingtalk_fake.clock.advance(100)
    second = make_client(dingtalk_fake).get_token()

    assert first == second
    assert dingtalk_fake.default_app.token is not None
    assert dingtalk_fake.default_app.token.expires_at == pytest.approx(
        dingtalk_fake.clock.time() + 7200
    )


def test_expired_token_gets_new_one(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)
    first = dingtalk.get_token()
    dingtalk_fake.clock.advance(7201)

    assert dingtalk.get_token() != first


def test_two_apps_never_share_a_token(dingtalk_fake):
    echo.install(dingtalk_fake)
    second_app = dingtalk_fake.add_app()
    store = MemoryTokenStore()
    first = make_client(dingtalk_fake, token_store=store)
    second = DingTalk(
        second_app.app_key,
        second_app.app_secret,
        transport=dingtalk_fake.transport(),
        token_store=store,
    )

    assert first.get_token() != second.get_token()
    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 2


@pytest.mark.dingtalk_faults({"kind": "invalid_token", "path": echo.LEGACY_READ.path, "once": True})
def test_rejected_token_refreshed_once_legacy(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)

    body = dingtalk.request(echo.LEGACY_READ, json={"value": 7})

    assert body["result"]["value"] == 7
    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 2


@pytest.mark.dingtalk_faults({"kind": "invalid_token", "path": echo.NEW_READ.path, "once": True})
def test_rejected_token_refreshed_once_new(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)

    dingtalk.request(echo.NEW_READ)

    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 2


@pytest.mark.dingtalk_faults({"kind": "invalid_token", "path": echo.LEGACY_READ.path})
def test_token_rejected_twice_raises(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)

    with pytest.raises(AuthenticationError) as caught:
        dingtalk.request(echo.LEGACY_READ)

    assert caught.value.code == "40014"
    assert caught.value.message == "不合法的access_token"
    assert len(dingtalk_fake.calls(echo.LEGACY_READ.path)) == 2


def test_wrong_secret_new_endpoint(dingtalk_fake):
    client = DingTalk(
        dingtalk_fake.default_app.app_key, "wrong", transport=dingtalk_fake.transport()
    )

    with pytest.raises(AuthenticationError) as caught:
        client.get_token()

    assert caught.value.code == "invalidClientIdOrSecret"
    assert caught.value.status == 400
    assert "wrong" not in str(caught.value)


def test_wrong_secret_legacy_endpoint(dingtalk_fake):
    client = DingTalk(
        dingtalk_fake.default_app.app_key,
        "wrong",
        transport=dingtalk_fake.transport(),
        token_endpoint="legacy",
    )

    with pytest.raises(AuthenticationError) as caught:
        client.get_token()

    assert caught.value.code == "40089"


def test_legacy_token_endpoint_serves_both_hosts(dingtalk_fake):
    echo.install(dingtalk_fake)
    client = make_client(dingtalk_fake, token_endpoint="legacy")

    client.request(echo.LEGACY_READ)
    client.request(echo.NEW_READ)

    assert len(dingtalk_fake.calls("/gettoken")) == 1


@pytest.mark.parametrize("lifetime", [None, 0])
def test_missing_lifetime_falls_back_to_7200(dingtalk_fake, lifetime):
    router = Router()

    @router.post(TOKEN_PATH, authenticated=False)
    def token_without_lifetime(call: Call) -> dict[str, object]:
        token = call.fake.issue_token(dingtalk_fake.default_corp, dingtalk_fake.default_app)
        body: dict[str, object] = {"accessToken": token.value}
        if lifetime is not None:
            body["expireIn"] = lifetime
        return body

    dingtalk_fake.add_routes(router)
    echo.install(dingtalk_fake)
    client = make_client(dingtalk_fake)

    client.request(echo.LEGACY_READ)
    dingtalk_fake.clock.advance(3600)
    client.request(echo.LEGACY_READ)

    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 1


def test_client_requires_credentials(monkeypatch):
    monkeypatch.delenv("DINGTALK_APP_KEY", raising=False)
    monkeypatch.delenv("DINGTALK_APP_SECRET", raising=False)

    with pytest.raises(ValueError, match="DINGTALK_APP_KEY"):
        DingTalk()


def test_client_reads_environment(monkeypatch, dingtalk_fake):
    app = dingtalk_fake.default_app
    monkeypatch.setenv("DINGTALK_APP_KEY", app.app_key)
    monkeypatch.setenv("DINGTALK_APP_SECRET", app.app_secret)
    monkeypatch.setenv("DINGTALK_API_BASE_URL", "http://fake.invalid")

    client = DingTalk(transport=dingtalk_fake.transport())

    assert client.app_key == app.app_key
    assert client.new_base_url == "http://fake.invalid"
    assert app.app_secret not in repr(client)
