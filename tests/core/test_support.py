"""Pacing, paging, token stores, masking, the respx mode, exports and sync/async drift."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import censusdt
from censusdt import AsyncPaginator, FileTokenStore, Page, Paginator, RateLimiter, Token
from censusdt._masking import mask_mobiles, mask_secret, mask_url
from censusdt._pages import legacy_cursor_page, next_token_page
from tests.core import echo

ROOT = Path(__file__).resolve().parents[2]


@given(
    rate=st.integers(min_value=1, max_value=25),
    gaps=st.lists(st.floats(min_value=0, max_value=0.3), min_size=1, max_size=120),
)
def test_limiter_never_exceeds_rate_in_any_window(rate, gaps):
    limiter = RateLimiter(default_rate=rate, window=1.0)
    now = 0.0
    starts = []
    for gap in gaps:
        now += gap
        # A caller waits as told and asks again, as the clients do.
        while (wait := limiter.try_acquire("app", "/p", now)) > 0:
            now += wait
        starts.append(now)

    starts.sort()
    for index, start in enumerate(starts):
        # A tolerance absorbs float rounding in the sums of waits.
        in_window = [other for other in starts[index:] if other < start + 1.0 - 1e-9]
        assert len(in_window) <= rate


def test_limiter_separates_apps_and_paths():
    limiter = RateLimiter(default_rate=1, rates={"/slow": 1})

    assert limiter.try_acquire("a", "/p", 0.0) == 0.0
    assert limiter.try_acquire("b", "/p", 0.0) == 0.0
    assert limiter.try_acquire("a", "/q", 0.0) == 0.0
    assert limiter.try_acquire("a", "/p", 0.0) == pytest.approx(1.05)
    assert limiter.try_acquire("a", "/p", 1.05) == 0.0


def test_limiter_books_late_wakers_at_send_time():
    limiter = RateLimiter(default_rate=2, window=1.0)

    assert limiter.try_acquire("a", "/p", 0.0) == 0.0
    assert limiter.try_acquire("a", "/p", 0.9) == 0.0
    # A task told to wait until 1.0 wakes late, at 1.5: one slot is free again (0.0 expired).
    assert limiter.try_acquire("a", "/p", 1.5) == 0.0
    # The next call must wait for 0.9 to leave the window, not start at once.
    assert limiter.try_acquire("a", "/p", 1.5) == pytest.approx(0.4)


def test_client_paces_at_the_limit(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake)
    dingtalk_fake.enforce_rate_limit(20)
    started = dingtalk_fake.clock.monotonic()

    for _ in range(100):
        dingtalk.request(echo.LEGACY_READ)

    elapsed = dingtalk_fake.clock.monotonic() - started
    throttled = [entry for entry in dingtalk_fake.calls(echo.LEGACY_READ.path) if entry.code != "0"]
    assert throttled == []
    assert 4 * 1.0 <= elapsed <= 4 * 1.05 + 0.01


def test_paginators_walk_every_page(dingtalk_fake, dingtalk):
    echo.install(dingtalk_fake, total_items=45)

    def legacy_page(cursor):
        body = dingtalk.request(echo.LEGACY_PAGED, json={"cursor": cursor or 0, "size": 10})
        return legacy_cursor_page(body["result"], int)

    def new_page(cursor):
        body = dingtalk.request(
            echo.NEW_PAGED, params={"maxResults": 20, **({"nextToken": cursor} if cursor else {})}
        )
        return next_token_page(body, "list", int)

    assert list(Paginator(legacy_page)) == list(range(45))
    assert Paginator(new_page).collect() == list(range(45))
    assert len(dingtalk_fake.calls(echo.NEW_PAGED.path)) == 3


@pytest.mark.anyio
async def test_async_paginator(dingtalk_fake, async_dingtalk):
    echo.install(dingtalk_fake, total_items=23)

    async def fetch(cursor):
        body = await async_dingtalk.request(
            echo.LEGACY_PAGED, json={"cursor": cursor or 0, "size": 5}
        )
        return legacy_cursor_page(body["result"], int)

    assert [item async for item in AsyncPaginator(fetch)] == list(range(23))


def test_page_stops_on_has_more_string_false():
    page = legacy_cursor_page({"list": [1], "has_more": "false", "next_cursor": 9}, int)

    assert page == Page([1], None)


def _write_tokens(path: str, worker: int) -> None:
    store = FileTokenStore(path)
    for index in range(30):
        store.set(f"app{worker}", Token(f"t{worker}-{index}", 1000.0 + index))
        assert store.get(f"app{(worker + 1) % 4}") is None or True


def test_file_token_store_shared_by_processes(tmp_path):
    path = str(tmp_path / "tokens.json")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_tokens, args=(path, worker)) for worker in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)

    assert [process.exitcode for process in workers] == [0, 0, 0, 0]
    data = json.loads(Path(path).read_text())
    assert sorted(data) == ["app0", "app1", "app2", "app3"]
    assert FileTokenStore(path).get("app2") == Token("t2-29", 1029.0)
    assert (Path(path).stat().st_mode & 0o777) == 0o600


def test_file_token_store_discards_only_current_value(tmp_path):
    store = FileTokenStore(tmp_path / "tokens.json")
    store.set("app", Token("new", 5.0))

    store.discard("app", "old")
    assert store.get("app") == Token("new", 5.0)
    store.discard("app", "new")
    assert store.get("app") is None


def test_client_with_file_store_reuses_token_across_clients(dingtalk_fake, tmp_path):
    echo.install(dingtalk_fake)
    app = dingtalk_fake.default_app
    for _ in range(2):
        client = censusdt.DingTalk(
            app.app_key,
            app.app_secret,
            transport=dingtalk_fake.transport(),
            token_store=FileTokenStore(tmp_path / "tokens.json"),
        )
        client.request(echo.LEGACY_READ)

    assert len(dingtalk_fake.calls("/v1.0/oauth2/accessToken")) == 1


def test_masking():
    assert mask_secret("abcdefghijkl") == "abcd****"
    assert mask_secret("short") == "****"
    assert mask_mobiles("call 13800138000 now") == "call 138****8000 now"
    assert "s3cr3t" not in mask_url("https://x/gettoken?appkey=k&appsecret=s3cr3t")
    assert "t0k3n" not in mask_url("https://x/topapi?access_token=t0k3n&a=1")


def test_token_repr_masks_value():
    assert "supersecretvalue" not in repr(Token("supersecretvalue", 1.0))


def test_respx_mode_intercepts_real_hosts(dingtalk_fake):
    echo.install(dingtalk_fake)
    app = dingtalk_fake.default_app

    with dingtalk_fake.mock(), httpx.Client() as own_client:
        token = own_client.post(
            "https://api.dingtalk.com/v1.0/oauth2/accessToken",
            json={"appKey": app.app_key, "appSecret": app.app_secret},
        ).json()["accessToken"]
        reply = own_client.post(
            "https://oapi.dingtalk.com/topapi/test/read",
            params={"access_token": token},
            json={"value": 3},
        )

    assert reply.json()["result"] == {"value": 3}


def test_public_names_are_sorted_and_importable():
    assert censusdt.__all__ == sorted(censusdt.__all__)
    for name in censusdt.__all__:
        assert getattr(censusdt, name) is not None


def test_sync_code_matches_async_source():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_sync.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout


def test_plugin_fixtures_outside_this_repository(tmp_path):
    test_file = tmp_path / "test_outside.py"
    test_file.write_text(
        textwrap.dedent(
            """
            import pytest

            def test_fake_and_client(dingtalk_fake, dingtalk):
                assert dingtalk.get_token()
                assert len(dingtalk_fake.calls("/v1.0/oauth2/accessToken")) == 1

            @pytest.mark.dingtalk_faults({"kind": "throttle", "path": "/v1.0/oauth2/*", "once": True})
            def test_fault_marker(dingtalk_fake, dingtalk):
                dingtalk.get_token()
                assert [entry.fault for entry in dingtalk_fake.requests] == ["throttle", None]
            """
        )
    )

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_extra_headers_reach_the_server(dingtalk_fake, dingtalk):
    from censusdt import Endpoint
    from censusdt_fake import Call, Router

    router = Router()
    seen: list[str | None] = []

    @router.post("/v1.0/test/headers")
    def record(call: Call) -> dict[str, object]:
        seen.append(call.header("x-client-token"))
        return {}

    dingtalk_fake.add_routes(router)
    endpoint = Endpoint.new("POST", "/v1.0/test/headers", idempotent=False)

    dingtalk.request(endpoint, json={}, headers={"x-client-token": "once-1"})

    assert seen == ["once-1"]


def test_clients_of_one_app_share_pacing(dingtalk_fake):
    echo.install(dingtalk_fake)
    dingtalk_fake.enforce_rate_limit(20)
    app = dingtalk_fake.default_app
    clients = [
        censusdt.DingTalk(
            app.app_key,
            app.app_secret,
            transport=dingtalk_fake.transport(),
            clock=dingtalk_fake.clock,
            sleep=dingtalk_fake.clock.sleep,
        )
        for _ in range(3)
    ]

    for _ in range(15):
        for client in clients:
            client.request(echo.LEGACY_READ)

    codes = [entry.code for entry in dingtalk_fake.calls(echo.LEGACY_READ.path)]
    assert codes == ["0"] * 45
    assert clients[0].rate_limiter is clients[2].rate_limiter


def test_validation_error_names_every_field():
    import datetime as dt

    from censusdt import FieldError, ValidationError
    from censusdt._converters import SHANGHAI

    error = ValidationError(
        [
            FieldError("end", dt.datetime(2026, 1, 1, 9, tzinfo=SHANGHAI), "is before start"),
            FieldError("size", 0, "must be 1..100"),
        ]
    )

    assert "2 invalid value(s)" in str(error)
    assert "end=2026-01-01T09:00:00+08:00: is before start" in str(error)
    assert "size=0: must be 1..100" in str(error)
    assert isinstance(error, ValueError)
