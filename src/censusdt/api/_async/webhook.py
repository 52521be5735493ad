"""Send group messages through a custom (webhook) robot, signed when the robot has a secret."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError, ValidationError
from censusdt._wire import decode_error
from censusdt.api.messaging import Message
from censusdt.api.webhook import MAX_AT_USERS, WEBHOOK_PATH, Mention, sign, webhook_body

__all__ = ["AsyncWebhookRobot"]

_ENDPOINT = Endpoint.legacy("POST", WEBHOOK_PATH, idempotent=False)


class AsyncWebhookRobot:
    """One custom robot, addressed by its webhook token (from the URL DingTalk shows).

    ``secret`` is the ``SEC…`` value of "加签"; without it requests go unsigned. ``clock``
    returns epoch seconds and is injectable so tests can sign at a chosen time.
    """

    def __init__(
        self,
        access_token: str,
        *,
        secret: str | None = None,
        base_url: str = "https://oapi.dingtalk.com",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not access_token:
            raise ValueError(
                "access_token is required: the token= value of the robot's webhook URL"
            )
        self._access_token = access_token
        self._secret = secret
        self._base_url = base_url.rstrip("/")
        self._clock = clock
        self._http = httpx.AsyncClient(transport=transport, timeout=timeout)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, signed={self._secret is not None})"
        )

    async def __aenter__(self) -> AsyncWebhookRobot:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(
        self, message: Message, *, mention: Mention | None = None, msg_uuid: str | None = None
    ) -> None:
        """Post ``message`` to the robot's group; raise DingTalk's error (e.g. 310000) on failure.

        ``msg_uuid`` lets DingTalk drop a retried copy of the same message.
        """
        try:
            body: dict[str, Any] = webhook_body(message, mention=mention)
        except ValueError as error:
            raise ValidationError(
                [FieldError("message", type(message).__name__, str(error))]
            ) from None
        if mention is not None and len(mention.userids) + len(mention.mobiles) > MAX_AT_USERS:
            raise ValidationError(
                [FieldError("mention", mention, f"at most {MAX_AT_USERS} people per message")]
            )
        if msg_uuid:
            body["msgUuid"] = msg_uuid

        params: dict[str, str] = {"access_token": self._access_token}
        if self._secret:
            timestamp = int(self._clock() * 1000)
            params["timestamp"] = str(timestamp)
            params["sign"] = sign(self._secret, timestamp)
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        response = await self._http.post(
            self._base_url + WEBHOOK_PATH,
            params=params,
            content=content,
            headers={"content-type": "application/json; charset=utf-8"},
        )
        decoded = decode_error(_ENDPOINT, response)
        if decoded is not None:
            raise decoded.error
