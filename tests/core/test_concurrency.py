from __future__ import annotations

import asyncio
import threading

import pytest

from censusdt import AsyncDingTalk, DingTalk
from tests.core import echo

TOKEN_PATH = "/v1.0/oauth2/accessToken"


def test_50_threads_cold_cache_one_token_request(dingtalk_fake):
    echo.install(dingtalk_fake)
    app = dingtalk_fake.default_app
    client = DingTalk(
        app.app_key, app.app_secret, transport=dingtalk_fake.transport(), default_rate=10_000
    )
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            client.request(echo.LEGACY_READ)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 1
    assert len(dingtalk_fake.calls(echo.LEGACY_READ.path)) == 50


@pytest.mark.anyio
async def test_500_tasks_cold_cache_one_token_request(dingtalk_fake):
    echo.install(dingtalk_fake)
    app = dingtalk_fake.default_app
    client = AsyncDingTalk(
        app.app_key, app.app_secret, transport=dingtalk_fake.transport(), default_rate=10_000
    )

    await asyncio.gather(*(client.request(echo.NEW_READ) for _ in range(500)))

    assert len(dingtalk_fake.calls(TOKEN_PATH)) == 1
    assert len(dingtalk_fake.calls(echo.NEW_READ.path)) == 500
    await client.aclose()
