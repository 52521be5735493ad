"""The DingTalk client: tokens, pacing, retries and both wire dialects on one request method."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from censusdt._classify import ErrorKind
from censusdt._clock import SYSTEM_CLOCK, Clock
from censusdt._concurrency import AsyncLock, AsyncSleep, async_sleep
from censusdt._endpoint import Dialect, Endpoint
from censusdt._errors import APIError, AuthenticationError, TransportError
from censusdt._masking import mask_secret, mask_url
from censusdt._retry import RetryPolicy
from censusdt._stats import CallStats
from censusdt._throttle import RateLimiter, shared_rate_limiter
from censusdt._tokens import DEFAULT_TOKEN_LIFETIME, MemoryTokenStore, Token, TokenStore
from censusdt._wire import build_request, decode_error, response_json

if TYPE_CHECKING:
    from censusdt.api._async.attendance import AsyncAttendance
    from censusdt.api._async.calendar import AsyncCalendar
    from censusdt.api._async.contacts import AsyncContacts
    from censusdt.api._async.docs import AsyncDocs
    from censusdt.api._async.forms import AsyncForms
    from censusdt.api._async.im import AsyncIm
    from censusdt.api._async.live import AsyncLive
    from censusdt.api._async.messaging import AsyncMessaging
    from censusdt.api._async.robot import AsyncRobot
    from censusdt.api._async.sheets import AsyncSheets
    from censusdt.api._async.todo import AsyncTodo
    from censusdt.api._async.wiki import AsyncWiki
    from censusdt.api._async.workflow import AsyncWorkflow

__all__ = ["AsyncDingTalk"]

logger = logging.getLogger("censusdt")

LEGACY_BASE_URL = "https://oapi.dingtalk.com"
NEW_BASE_URL = "https://api.dingtalk.com"

_NEW_TOKEN = Endpoint.new("POST", "/v1.0/oauth2/accessToken", idempotent=True)
_LEGACY_TOKEN = Endpoint.legacy("GET", "/gettoken", idempotent=True)

# Failures raised before any byte of the request left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class _TokenRejected(Exception):
    """The server rejected the token; ``request`` refreshes it once before giving up."""

    def __init__(self, error: APIError) -> None:
        super().__init__(str(error))
        self.error = error


class AsyncDingTalk:
    """A DingTalk client for one internal app.

    Configured by arguments or by the environment: ``DINGTALK_APP_KEY``, ``DINGTALK_APP_SECRET``,
    and ``DINGTALK_OAPI_BASE_URL`` / ``DINGTALK_API_BASE_URL`` to point the legacy and new hosts at
    a fake server. ``transport`` takes any httpx transport (the fake's, a proxy, a respx router).

    The token is fetched on first use, cached in ``token_store`` per app key, refreshed
    ``refresh_margin`` seconds before it expires, and refreshed once more when the server rejects
    it. Calls are paced per API path (``rate_limits`` overrides the default 20 calls per second) and
    retried per ``retry``. Clients of the same app on the same clock share one rate limiter.
    ``clock`` and ``sleep`` are injectable so tests need no real waiting.
    """

    def __init__(
        self,
        app_key: str | None = None,
        app_secret: str | None = None,
        *,
        legacy_base_url: str | None = None,
        new_base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        token_store: TokenStore | None = None,
        token_endpoint: str = "new",
        refresh_margin: float = 600.0,
        rate_limits: Mapping[str, int] | None = None,
        default_rate: int = 20,
        rate_limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        sleep: AsyncSleep | None = None,
    ) -> None:
        app_key = app_key or os.environ.get("DINGTALK_APP_KEY")
        app_secret = app_secret or os.environ.get("DINGTALK_APP_SECRET")
        if not app_key or not app_secret:
            raise ValueError(
                "app_key and app_secret are required: pass them or set DINGTALK_APP_KEY and "
                "DINGTALK_APP_SECRET"
            )
        if token_endpoint not in {"new", "legacy"}:
            raise ValueError(f"token_endpoint must be 'new' or 'legacy', got {token_endpoint!r}")

        self.app_key = app_key
        self._app_secret = app_secret
        self.legacy_base_url = (
            legacy_base_url or os.environ.get("DINGTALK_OAPI_BASE_URL") or LEGACY_BASE_URL
        )
        self.new_base_url = new_base_url or os.environ.get("DINGTALK_API_BASE_URL") or NEW_BASE_URL
        self._http = httpx.AsyncClient(transport=transport, timeout=timeout)
        self._token_store: TokenStore = token_store or MemoryTokenStore()
        self._token_endpoint = token_endpoint
        self._refresh_margin = refresh_margin
        self._token_lock = AsyncLock()
        self.clock: Clock = clock or SYSTEM_CLOCK
        # Clients of one app in one process share their slots, as DingTalk counts per app.
        self.rate_limiter = rate_limiter or shared_rate_limiter(
            self.clock, default_rate=default_rate, rates=rate_limits
        )
        self.retry = retry or RetryPolicy()
        self._sleep: AsyncSleep = sleep or async_sleep
        self.stats = CallStats()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(app_key={mask_secret(self.app_key)!r}, "
            f"legacy_base_url={self.legacy_base_url!r}, new_base_url={self.new_base_url!r})"
        )

    async def __aenter__(self) -> AsyncDingTalk:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._http.aclose()

    # API namespaces, one per DingTalk product.

    @property
    def contacts(self) -> AsyncContacts:
        """Departments, users and roles (one instance per client, holding the unionId cache)."""
        from censusdt.api._async.contacts import AsyncContacts

        namespace = self.__dict__.get("_contacts_namespace")
        if namespace is None:
            namespace = AsyncContacts(self)
            self.__dict__["_contacts_namespace"] = namespace
        return namespace

    @property
    def sheets(self) -> AsyncSheets:
        """Online sheets (钉钉表格): workbooks, sheets and A1 ranges."""
        from censusdt.api._async.sheets import AsyncSheets

        return AsyncSheets(self)

    @property
    def forms(self) -> AsyncForms:
        """Smart forms (智能填表): forms and their submitted instances."""
        from censusdt.api._async.forms import AsyncForms

        return AsyncForms(self)

    @property
    def messaging(self) -> AsyncMessaging:
        """Work notifications (工作通知): send, progress, per-recipient result, recall."""
        from censusdt.api._async.messaging import AsyncMessaging

        return AsyncMessaging(self)

    @property
    def robot(self) -> AsyncRobot:
        """App-robot messages: one-to-one, group, and DING reminders."""
        from censusdt.api._async.robot import AsyncRobot

        return AsyncRobot(self)

    @property
    def im(self) -> AsyncIm:
        """Scene groups (场景群): create, update, members, query."""
        from censusdt.api._async.im import AsyncIm

        return AsyncIm(self)

    @property
    def todo(self) -> AsyncTodo:
        """To-dos (待办): create, per-executor status, a user's org to-do list."""
        from censusdt.api._async.todo import AsyncTodo

        return AsyncTodo(self)

    @property
    def calendar(self) -> AsyncCalendar:
        """Calendars (日程): events, attendees, free/busy, subscribed calendars."""
        from censusdt.api._async.calendar import AsyncCalendar

        return AsyncCalendar(self)

    @property
    def wiki(self) -> AsyncWiki:
        """Knowledge bases (知识库, wiki 2.0): workspaces and their node trees."""
        from censusdt.api._async.wiki import AsyncWiki

        return AsyncWiki(self)

    @property
    def docs(self) -> AsyncDocs:
        """Documents (doc 1.0): documents, folders, content and workspace members."""
        from censusdt.api._async.docs import AsyncDocs

        return AsyncDocs(self)

    @property
    def workflow(self) -> AsyncWorkflow:
        """Approvals (OA 审批): start, read and list instances."""
        from censusdt.api._async.workflow import AsyncWorkflow

        return AsyncWorkflow(self)

    @property
    def attendance(self) -> AsyncAttendance:
        """Attendance (考勤): punch results, punch details and leave statuses."""
        from censusdt.api._async.attendance import AsyncAttendance

        return AsyncAttendance(self)

    @property
    def live(self) -> AsyncLive:
        """Live sessions (直播): create, query, update, delete, viewers and replay."""
        from censusdt.api._async.live import AsyncLive

        return AsyncLive(self)

    # Tokens.

    async def get_token(self) -> str:
        """Return a valid access token, fetching one when the cache has none fresh.

        Concurrent callers on a cold cache wait for a single token request.
        """
        token = self._token_store.get(self.app_key)
        if token is not None and token.is_fresh(self.clock.time(), self._refresh_margin):
            return token.value

        async with self._token_lock:
            token = self._token_store.get(self.app_key)
            if token is not None and token.is_fresh(self.clock.time(), self._refresh_margin):
                return token.value
            token = await self._fetch_token()
            self._token_store.set(self.app_key, token)
            return token.value

    async def _fetch_token(self) -> Token:
        try:
            return await self._fetch_token_once()
        except _TokenRejected as rejected:
            # On /gettoken, 40001 means a wrong secret rather than a stale token.
            raise rejected.error from None

    async def _fetch_token_once(self) -> Token:
        if self._token_endpoint == "new":
            body = await self._send(
                _NEW_TOKEN,
                base_url=self.new_base_url,
                token=None,
                json_body={"appKey": self.app_key, "appSecret": self._app_secret},
            )
            value, lifetime = body.get("accessToken"), body.get("expireIn")
        else:
            body = await self._send(
                _LEGACY_TOKEN,
                base_url=self.legacy_base_url,
                token=None,
                params={"appkey": self.app_key, "appsecret": self._app_secret},
            )
            value, lifetime = body.get("access_token"), body.get("expires_in")

        if not value:
            raise AuthenticationError(
                "token response has no token",
                code="missing_token",
                status=200,
                endpoint=str(_NEW_TOKEN if self._token_endpoint == "new" else _LEGACY_TOKEN),
            )
        # A missing or zero lifetime would mean refreshing on every call; use the documented one.
        seconds = float(lifetime) if lifetime else float(DEFAULT_TOKEN_LIFETIME)
        self.stats.token_requests += 1
        logger.info("fetched access token for app %s", mask_secret(self.app_key))
        return Token(value=str(value), expires_at=self.clock.time() + seconds)

    # Requests.

    async def request(
        self,
        endpoint: Endpoint,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        path_params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry_unsafe: bool = False,
    ) -> Any:
        """Call ``endpoint`` and return its decoded JSON body.

        ``headers`` adds request headers, e.g. the calendar's ``x-client-token`` idempotency key.
        Raises an :class:`~censusdt.APIError` subclass for DingTalk's errors and
        :class:`~censusdt.TransportError` for network failures. ``retry_unsafe`` allows retrying a
        non-idempotent call after a failure that may have reached the server.
        """
        base_url = self.legacy_base_url if endpoint.dialect is Dialect.LEGACY else self.new_base_url
        token_refreshed = False
        while True:
            token = await self.get_token() if endpoint.authenticated else None
            try:
                return await self._send(
                    endpoint,
                    base_url=base_url,
                    token=token,
                    params=params,
                    json_body=json,
                    path_params=path_params,
                    headers=headers,
                    retry_unsafe=retry_unsafe,
                )
            except _TokenRejected as rejected:
                if token is None or token_refreshed:
                    raise rejected.error from None
                # The server rejected a token we thought valid: drop it and retry once.
                logger.info("token rejected by %s; refreshing once", endpoint)
                self._token_store.discard(self.app_key, token)
                token_refreshed = True

    async def _send(
        self,
        endpoint: Endpoint,
        *,
        base_url: str,
        token: str | None,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        path_params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        retry_unsafe: bool = False,
    ) -> Any:
        idempotent = endpoint.idempotent or retry_unsafe
        attempt = 0
        while True:
            attempt += 1
            await self._pace(endpoint)
            request = build_request(
                endpoint,
                base_url=base_url,
                token=token,
                params=dict(params) if params else None,
                json_body=json_body,
                path_params=dict(path_params) if path_params else None,
                headers=dict(headers) if headers else None,
            )
            started = time.perf_counter()
            self.stats.record_call(endpoint.path)
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                reached = not isinstance(exc, _NOT_SENT)
                kind = ErrorKind.FAILED_MAYBE_APPLIED if reached else ErrorKind.REJECTED_RETRYABLE
                delay = self.retry.delay(kind, attempt, idempotent=idempotent)
                if delay is None:
                    raise TransportError(
                        f"{type(exc).__name__}: {mask_url(str(exc))}",
                        endpoint=str(endpoint),
                        may_have_reached_server=reached,
                    ) from exc
                logger.info(
                    "%s failed (%s); retry %d in %.2f s",
                    endpoint,
                    type(exc).__name__,
                    attempt,
                    delay,
                )
                self.stats.retries += 1
                await self._sleep(delay)
                continue

            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.debug(
                "%s %s -> %d (%.1f ms)",
                request.method,
                mask_url(str(request.url)),
                response.status_code,
                elapsed_ms,
            )
            decoded = decode_error(endpoint, response)
            if decoded is None:
                return response_json(response) or {}

            error = decoded.error
            if decoded.kind is ErrorKind.TOKEN_INVALID:
                raise _TokenRejected(error)
            retry_after = getattr(error, "retry_after", None)
            if retry_after is not None:
                self.stats.throttled += 1
            delay = self.retry.delay(
                decoded.kind, attempt, idempotent=idempotent, retry_after=retry_after
            )
            if delay is None:
                raise error
            logger.warning(
                "%s answered %s %s; retry %d in %.2f s",
                endpoint,
                error.code,
                error.message,
                attempt,
                delay,
            )
            self.stats.retries += 1
            await self._sleep(delay)

    async def _pace(self, endpoint: Endpoint) -> None:
        while True:
            now = self.clock.monotonic()
            wait = self.rate_limiter.try_acquire(self.app_key, endpoint.path, now)
            if wait <= 0:
                return
            self.stats.paced_seconds += wait
            await self._sleep(wait)
