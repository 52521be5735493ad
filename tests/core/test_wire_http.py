"""The fake over real HTTP, spoken to with plain httpx: DingTalk's envelopes and codes."""

from __future__ import annotations

import httpx
import pytest

from censusdt import DingTalk
from tests.core import echo


@pytest.fixture
def http(dingtalk_server):
    with httpx.Client(base_url=dingtalk_server.url) as client:
        yield client


def new_token(http, fake) -> str:
    app = fake.default_app
    reply = http.post(
        "/v1.0/oauth2/accessToken", json={"appKey": app.app_key, "appSecret": app.app_secret}
    )
    assert reply.status_code == 200
    return reply.json()["accessToken"]


def test_new_token_envelope(http, dingtalk_fake):
    app = dingtalk_fake.default_app
    reply = http.post(
        "/v1.0/oauth2/accessToken", json={"appKey": app.app_key, "appSecret": app.app_secret}
    )

    assert reply.status_code == 200
    assert set(reply.json()) == {"accessToken", "expireIn"}
    assert reply.json()["expireIn"] == 7200
    assert "x-acs-request-id" in reply.headers


def test_new_token_wrong_secret(http, dingtalk_fake):
    reply = http.post(
        "/v1.0/oauth2/accessToken",
        json={"appKey": dingtalk_fake.default_app.app_key, "appSecret": "nope"},
    )

    assert reply.status_code == 400
    assert reply.json()["code"] == "invalidClientIdOrSecret"
    assert reply.json()["message"] == "无效的clientId或者clientSecret"
    assert reply.json()["requestid"]


def test_new_token_form_body_rejected(http):
    reply = http.post("/v1.0/oauth2/accessToken", data={"appKey": "x"})

    assert reply.status_code == 400
    assert reply.json()["message"] == "body is mandatory for this action"


def test_legacy_token_envelope(http, dingtalk_fake):
    app = dingtalk_fake.default_app
    reply = http.get("/gettoken", params={"appkey": app.app_key, "appsecret": app.app_secret})

    assert reply.status_code == 200
    assert reply.json()["errcode"] == 0
    assert reply.json()["errmsg"] == "ok"
    assert reply.json()["expires_in"] == 7200
    assert reply.json()["access_token"] == new_token(http, dingtalk_fake)


def test_legacy_token_wrong_secret(http, dingtalk_fake):
    reply = http.get(
        "/gettoken", params={"appkey": dingtalk_fake.default_app.app_key, "appsecret": "nope"}
    )

    assert reply.status_code == 200
    assert reply.json()["errcode"] == 40089
    assert reply.json()["errmsg"] == "不合法的corpId或corpSecret"


def test_legacy_invalid_missing_and_expired_token(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)

    invalid = http.post("/topapi/test/read", params={"access_token": "undefined"}, json={})
    missing = http.post("/topapi/test/read", json={})
    dingtalk_fake.clock.advance(7201)
    expired = http.post("/topapi/test/read", params={"access_token": token}, json={})

    assert (invalid.status_code, invalid.json()["errcode"]) == (200, 40014)
    assert invalid.json()["errmsg"] == "不合法的access_token"
    assert missing.json()["errcode"] == 41001
    assert missing.json()["errmsg"] == "缺少access_token参数"
    assert expired.json()["errcode"] == 42001


def test_new_invalid_token(http, dingtalk_fake):
    echo.install(dingtalk_fake)

    reply = http.get("/v1.0/test/items", headers={"x-acs-dingtalk-access-token": "nope"})

    assert reply.status_code == 400
    assert reply.json()["code"] == "InvalidAuthentication"
    assert reply.json()["message"] == "不合法的access_token"


def test_new_token_quoted_twice_rejected(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)

    reply = http.get("/v1.0/test/items", headers={"x-acs-dingtalk-access-token": f'"{token}"'})

    assert reply.json()["code"] == "InvalidAuthentication"


def test_legacy_success_envelope_and_string_numbers(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)

    reply = http.post("/topapi/test/read", params={"access_token": token}, json={"value": "42"})

    assert reply.json()["errcode"] == 0
    assert reply.json()["result"] == {"value": 42}
    assert reply.json()["request_id"]


def test_legacy_form_body_accepted(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)

    reply = http.post("/topapi/test/read", params={"access_token": token}, data={"value": "5"})

    assert reply.json()["result"] == {"value": 5}


def test_unknown_paths_and_wrong_methods(http, dingtalk_fake):
    echo.install(dingtalk_fake)

    unknown_new = http.post("/v1.0/nothing/here", json={})
    unknown_legacy = http.post("/topapi/nothing", json={})
    wrong_method = http.get("/topapi/test/send")

    assert unknown_new.status_code == 404
    assert unknown_new.json()["code"] == "InvalidAction.NotFound"
    assert unknown_legacy.status_code == 404
    assert wrong_method.json()["errcode"] == 43002
    assert wrong_method.json()["errmsg"] == "需要POST请求"


def test_rate_limit_enforced_per_app_and_api(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)
    http.post("/__fake__/rate-limit", json={"rate": 20})

    legacy = [
        http.post("/topapi/test/read", params={"access_token": token}, json={}).json()["errcode"]
        for _ in range(21)
    ]
    other_api = http.get("/v1.0/test/items", headers={"x-acs-dingtalk-access-token": token})
    dingtalk_fake.clock.advance(1.01)
    after_window = http.post("/topapi/test/read", params={"access_token": token}, json={})

    assert legacy[:20] == [0] * 20
    assert legacy[20] == 90018
    assert other_api.status_code == 200
    assert after_window.json()["errcode"] == 0


def test_control_plane_over_http(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    apps = http.get("/__fake__/apps").json()["apps"]
    token = new_token(http, dingtalk_fake)

    added = http.post(
        "/__fake__/faults", json={"kind": "throttle", "path": "/v1.0/test/*", "once": True}
    )
    throttled = http.get("/v1.0/test/items", headers={"x-acs-dingtalk-access-token": token})
    served = http.get("/v1.0/test/items", headers={"x-acs-dingtalk-access-token": token})
    log = http.get("/__fake__/requests", params={"path": "/v1.0/test/items"}).json()["requests"]
    advanced = http.post("/__fake__/clock/advance", json={"seconds": 7201})
    state = http.get("/__fake__/state").json()

    assert apps[0]["app_key"] == dingtalk_fake.default_app.app_key
    assert added.json()["kind"] == "throttle"
    assert throttled.status_code == 403
    assert served.status_code == 200
    assert [entry["fault"] for entry in log] == ["throttle", None]
    assert advanced.status_code == 200
    assert dingtalk_fake.default_app.app_secret not in str(state)


def test_snapshot_restore_reset_over_http(http, dingtalk_fake):
    first = new_token(http, dingtalk_fake)
    snapshot = http.post("/__fake__/snapshot").json()["id"]
    http.post("/__fake__/reset")
    after_reset = new_token(http, dingtalk_fake)
    http.post("/__fake__/restore", json={"id": snapshot})
    after_restore = new_token(http, dingtalk_fake)

    assert after_reset != first
    assert after_restore == first


def test_client_against_server(dingtalk_server, dingtalk_fake):
    sent = echo.install(dingtalk_fake)
    app = dingtalk_fake.default_app

    with DingTalk(
        app.app_key,
        app.app_secret,
        legacy_base_url=dingtalk_server.url,
        new_base_url=dingtalk_server.url,
    ) as client:
        client.request(echo.LEGACY_SEND, json={"item": "经由HTTP"})
        items = client.request(echo.NEW_READ)["items"]

    assert sent.items == ["经由HTTP"]
    assert items == ["经由HTTP"]


def test_server_disconnect_fault_reaches_client(dingtalk_server, dingtalk_fake):
    sent = echo.install(dingtalk_fake)
    dingtalk_fake.add_fault("disconnect", path=echo.NEW_SEND.path, once=True, after=True)
    app = dingtalk_fake.default_app

    with DingTalk(
        app.app_key,
        app.app_secret,
        legacy_base_url=dingtalk_server.url,
        new_base_url=dingtalk_server.url,
    ) as client:
        from censusdt import TransportError

        with pytest.raises(TransportError):
            client.request(echo.NEW_SEND, json={"item": "x"})

    assert sent.items == ["x"]


@pytest.mark.parametrize("value", ["1e400", "-1e400", "1.9", "NaN", "Infinity"])
def test_non_integer_numbers_rejected(http, dingtalk_fake, value):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)

    reply = http.post(
        "/topapi/test/read",
        params={"access_token": token},
        content=f'{{"value": {value}}}',
        headers={"content-type": "application/json"},
    )

    assert reply.status_code == 200
    assert reply.json()["errcode"] == 40035


@pytest.mark.parametrize("length", ["-5", "abc", "99999999999999999999"])
def test_bad_content_length_rejected(dingtalk_server, length):
    import socket

    with socket.create_connection((dingtalk_server.host, dingtalk_server.port), timeout=5) as sock:
        sock.sendall(
            f"POST /topapi/test/read HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode()
        )
        reply = sock.recv(1024)

    assert reply.startswith(b"HTTP/1.1 400")


@pytest.mark.parametrize("seconds", ["1e400", "NaN", "-1"])
def test_clock_rejects_non_finite_advance(http, dingtalk_fake, seconds):
    before = dingtalk_fake.clock.time()

    reply = http.post(
        "/__fake__/clock/advance",
        content=f'{{"seconds": {seconds}}}',
        headers={"content-type": "application/json"},
    )

    assert reply.status_code == 400
    assert dingtalk_fake.clock.time() == before


def test_lone_surrogate_does_not_break_replies(http, dingtalk_fake):
    echo.install(dingtalk_fake)
    token = new_token(http, dingtalk_fake)

    created = http.post(
        "/topapi/v2/user/create",
        params={"access_token": token},
        content=b'{"name": "\\ud800", "mobile": "15400000001", "dept_id_list": "1"}',
        headers={"content-type": "application/json"},
    )
    state = http.get("/__fake__/state")

    assert created.json()["errcode"] == 0
    assert state.status_code == 200
    assert "\\ud800" in state.text


def test_negative_rate_limit_rejected(http):
    reply = http.post("/__fake__/rate-limit", json={"rate": -1})

    assert reply.status_code == 400
