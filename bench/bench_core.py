"""Core benchmarks: client overhead, the official SDK side by side, a paced burst, fake throughput.

Run: ``python bench/bench_core.py`` (``nox -s bench`` runs every benchmark). Every number is a ratio
of two measurements taken in the same run, so a noisy machine moves both sides together.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from censusdt import DingTalk, Endpoint
from censusdt_fake import Call, FakeDingTalk, Router

PING_LEGACY = Endpoint.legacy("POST", "/topapi/bench/ping", idempotent=True)
TOKEN = Endpoint.new("POST", "/v1.0/oauth2/accessToken", idempotent=True)


def install_ping(fake: FakeDingTalk) -> None:
    router = Router()

    @router.post(PING_LEGACY.path)
    def ping(call: Call) -> dict[str, Any]:
        return {"result": {"pong": True}}

    fake.add_routes(router)


def best_of(repeats: int, calls: int, function: Callable[[], object]) -> float:
    """Median seconds per call over ``repeats`` runs of ``calls`` calls."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        samples.append((time.perf_counter() - started) / calls)
    return statistics.median(samples)


def overhead(calls: int) -> dict[str, float]:
    """censusdt against bare httpx, same in-process fake endpoint."""
    fake = FakeDingTalk()
    install_ping(fake)
    app = fake.default_app
    client = DingTalk(app.app_key, app.app_secret, transport=fake.transport(), default_rate=10**9)
    token = client.get_token()
    bare = httpx.Client(transport=fake.transport())
    url = "https://oapi.dingtalk.com" + PING_LEGACY.path

    def bare_call() -> object:
        reply = bare.post(url, params={"access_token": token}, json={})
        return reply.json()

    def censusdt_call() -> object:
        return client.request(PING_LEGACY, json={})

    bare_time = best_of(5, calls, bare_call)
    censusdt_time = best_of(5, calls, censusdt_call)
    return {
        "bare_us": bare_time * 1e6,
        "censusdt_us": censusdt_time * 1e6,
        "ratio": censusdt_time / bare_time,
    }


def versus_official_sdk(calls: int) -> dict[str, float] | None:
    """censusdt against alibabacloud-dingtalk, both calling POST /v1.0/oauth2/accessToken over HTTP."""
    try:
        from alibabacloud_dingtalk.oauth2_1_0 import models as oauth_models
        from alibabacloud_dingtalk.oauth2_1_0.client import Client as OAuthClient
        from alibabacloud_tea_openapi import models as openapi_models
    except ImportError:
        return None

    fake = FakeDingTalk()
    app = fake.default_app
    with fake.serve() as server:
        config = openapi_models.Config(
            protocol="http", region_id="central", endpoint=f"127.0.0.1:{server.port}"
        )
        official = OAuthClient(config)
        request = oauth_models.GetAccessTokenRequest(app_key=app.app_key, app_secret=app.app_secret)
        client = DingTalk(
            app.app_key,
            app.app_secret,
            legacy_base_url=server.url,
            new_base_url=server.url,
            default_rate=10**9,
        )
        body = {"appKey": app.app_key, "appSecret": app.app_secret}

        def official_call() -> object:
            return official.get_access_token(request).body.access_token

        def censusdt_call() -> object:
            return client.request(TOKEN, json=body)["accessToken"]

        assert official_call() == censusdt_call()
        official_time = best_of(3, calls, official_call)
        censusdt_time = best_of(3, calls, censusdt_call)
        client.close()
    return {
        "official_us": official_time * 1e6,
        "censusdt_us": censusdt_time * 1e6,
        "speedup": official_time / censusdt_time,
    }


class CannedServer:
    """A loopback server that replies to every request with the same token JSON, as fast as it can.

    It takes the fake's own cost out of the comparison, leaving only the two clients' overheads.
    """

    def __init__(self) -> None:
        body = json.dumps({"accessToken": "canned", "expireIn": 7200}).encode()
        self.reply = (
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s"
            % (
                len(body),
                body,
            )
        )
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        with connection:
            while True:
                data = connection.recv(65536)
                if not data:
                    return
                buffer += data
                while b"\r\n\r\n" in buffer:
                    head, rest = buffer.split(b"\r\n\r\n", 1)
                    length = 0
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    if len(rest) < length:
                        break
                    buffer = rest[length:]
                    connection.sendall(self.reply)

    def close(self) -> None:
        self.socket.close()


def versus_official_sdk_canned(calls: int) -> dict[str, float] | None:
    """Time the same two clients against :class:`CannedServer`, which isolates client overhead."""
    try:
        from alibabacloud_dingtalk.oauth2_1_0 import models as oauth_models
        from alibabacloud_dingtalk.oauth2_1_0.client import Client as OAuthClient
        from alibabacloud_tea_openapi import models as openapi_models
    except ImportError:
        return None

    server = CannedServer()
    url = f"http://127.0.0.1:{server.port}"
    config = openapi_models.Config(
        protocol="http", region_id="central", endpoint=f"127.0.0.1:{server.port}"
    )
    official = OAuthClient(config)
    request = oauth_models.GetAccessTokenRequest(app_key="key", app_secret="secret")
    client = DingTalk("key", "secret", legacy_base_url=url, new_base_url=url, default_rate=10**9)
    body = {"appKey": "key", "appSecret": "secret"}

    official_time = best_of(3, calls, lambda: official.get_access_token(request))
    censusdt_time = best_of(3, calls, lambda: client.request(TOKEN, json=body))
    client.close()
    server.close()
    return {
        "official_us": official_time * 1e6,
        "censusdt_us": censusdt_time * 1e6,
        "speedup": official_time / censusdt_time,
    }


def burst(total: int) -> dict[str, float]:
    """``total`` calls to one API with the fake enforcing DingTalk's 20 calls/s, in real time."""
    fake = FakeDingTalk()
    fake.enforce_rate_limit(20)
    install_ping(fake)
    app = fake.default_app
    client = DingTalk(app.app_key, app.app_secret, transport=fake.transport())
    client.get_token()

    started = time.perf_counter()
    for _ in range(total):
        client.request(PING_LEGACY, json={})
    elapsed = time.perf_counter() - started

    throttled = sum(1 for entry in fake.calls(PING_LEGACY.path) if entry.code != "0")
    ideal = total / 20
    return {
        "calls": total,
        "throttled": throttled,
        "seconds": elapsed,
        "ideal": ideal,
        "ratio": elapsed / ideal,
    }


def fake_throughput(calls: int) -> dict[str, float]:
    """Requests per second the fake serves in-process and over HTTP (one client thread)."""
    fake = FakeDingTalk()
    install_ping(fake)
    app = fake.default_app
    token = DingTalk(app.app_key, app.app_secret, transport=fake.transport()).get_token()
    in_process = httpx.Client(transport=fake.transport())
    per_call_in_process = best_of(
        3,
        calls,
        lambda: in_process.post(
            "https://oapi.dingtalk.com" + PING_LEGACY.path, params={"access_token": token}, json={}
        ),
    )
    with fake.serve() as server, httpx.Client(base_url=server.url) as remote:
        per_call_http = best_of(
            3,
            max(calls // 4, 1),
            lambda: remote.post(PING_LEGACY.path, params={"access_token": token}, json={}),
        )
    return {"in_process_rps": 1 / per_call_in_process, "http_rps": 1 / per_call_http}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per timing sample")
    parser.add_argument("--burst", type=int, default=400, help="calls in the paced burst")
    arguments = parser.parse_args()

    result = overhead(arguments.calls)
    print(
        f"overhead: bare httpx {result['bare_us']:.0f} µs/call, censusdt {result['censusdt_us']:.0f} µs/call, "
        f"ratio {result['ratio']:.2f} (goal ≤ 1.30)"
    )
    sdk = versus_official_sdk(max(arguments.calls // 4, 50))
    if sdk is None:
        print("official SDK: not installed (pip install '.[bench]')")
    else:
        print(
            f"official SDK over HTTP: {sdk['official_us']:.0f} µs/call, censusdt {sdk['censusdt_us']:.0f} µs/call, "
            f"censusdt {sdk['speedup']:.2f}× faster (goal ≥ 2)"
        )
    canned = versus_official_sdk_canned(max(arguments.calls // 4, 50))
    if canned is not None:
        print(
            f"official SDK vs canned server: {canned['official_us']:.0f} µs/call, censusdt "
            f"{canned['censusdt_us']:.0f} µs/call, censusdt {canned['speedup']:.2f}× faster"
        )
    paced = burst(arguments.burst)
    print(
        f"burst: {paced['calls']} calls at 20/s, {paced['throttled']} throttled, {paced['seconds']:.2f} s "
        f"vs ideal {paced['ideal']:.2f} s, ratio {paced['ratio']:.3f} (goal ≤ 1.05, 0 throttled)"
    )
    rates = fake_throughput(arguments.calls)
    print(
        f"fake throughput: {rates['in_process_rps']:.0f} req/s in-process, {rates['http_rps']:.0f} req/s over HTTP"
    )


if __name__ == "__main__":
    main()
