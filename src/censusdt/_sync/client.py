# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
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
from censusdt._concurrency import Lock, Sleep, sync_sleep
from censusdt._endpoint import Dialect, Endpoint
from censusdt._errors import APIError, AuthenticationError, TransportError
from censusdt._masking import mask_secret, mask_url
from censusdt._retry import RetryPolicy
from censusdt._stats import CallStats
from censusdt._throttle import RateLimiter, shared_rate_limiter
from censusdt._tokens import DEFAULT_TOKEN_LIFETIME, MemoryTokenStore, Token, TokenStore
from censusdt._wire import build_request, decode_error, response_json

if TYPE_CHECKING:
    from censusdt.api._sync.attendance import Attendance
    from censusdt.api._sync.calendar import Calendar
    from censusdt.api._sync.contacts import Contacts
    from censusdt.api._sync.docs import Docs
    from censusdt.api._sync.forms import Forms
    from censusdt.api._sync.im import Im
    from censusdt.api._sync.live import Live
    from censusdt.api._sync.messaging import Messaging
    from censusdt.api._sync.robot import Robot
    from censusdt.api._sync.sheets import Sheets
    from censusdt.api._sync.todo import Todo
    from censusdt.api._sync.wiki import Wiki
    from censusdt.api._sync.workflow import Workflow

__all__ = ["DingTalk"]

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


class DingTalk:
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
        transport: httpx.BaseTransport | None = None,
        timeout: float = 10.0,
        token_store: TokenStore | None = None,
        token_endpoint: str = "new",
        refresh_margin: float = 600.0,
        rate_limits: Mapping[str, int] | None = None,
        default_rate: int = 20,
        rate_limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
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
        self._http = httpx.Client(transport=transport, timeout=timeout)
        self._token_store: TokenStore = token_store or MemoryTokenStore()
        self._token_endpoint = token_endpoint
        self._refresh_margin = refresh_margin
        self._token_lock = Lock()
        self.clock: Clock = clock or SYSTEM_CLOCK
        # Clients of one app in one process share their slots, as DingTalk counts per app.
        self.rate_limiter = rate_limiter or shared_rate_limiter(
            self.clock, default_rate=default_rate, rates=rate_limits
        )
        self.retry = retry or RetryPolicy()
        self._sleep: Sleep = sleep or sync_sleep
        self.stats = CallStats()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(app_key={mask_secret(self.app_key)!r}, "
            f"legacy_base_url={self.legacy_base_url!r}, new_base_url={self.new_base_url!r})"
        )

    def __enter__(self) -> DingTalk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._http.close()

    # API namespaces, one per DingTalk product.

    @property
    def contacts(self) -> Contacts:
        """Departments, users and roles (one instance per client, holding the unionId cache)."""
        from censusdt.api._sync.contacts import Contacts

        namespace = self.__dict__.get("_contacts_namespace")
        if namespace is None:
            namespace = Contacts(self)
            self.__dict__["_contacts_namespace"] = namespace
        return namespace

    @property
    def sheets(self) -> Sheets:
        """Online sheets (钉钉表格): workbooks, sheets and A1 ranges."""
        from censusdt.api._sync.sheets import Sheets

        return Sheets(self)

    @property
    def forms(self) -> Forms:
        """Smart forms (智能填表): forms and their submitted instances."""
        from censusdt.api._sync.forms import Forms

        return Forms(self)

    @property
    def messaging(self) -> Messaging:
        """Work notifications (工作通知): send, progress, per-recipient result, recall."""
        from censusdt.api._sync.messaging import Messaging

        return Messaging(self)

    @property
    def robot(self) -> Robot:
        """App-robot messages: one-to-one, group, and DING reminders."""
        from censusdt.api._sync.robot import Robot

        return Robot(self)

    @property
    def im(self) -> Im:
        """Scene groups (场景群): create, update, members, query."""
        from censusdt.api._sync.im import Im

        return Im(self)

    @property
    def todo(self) -> Todo:
        """To-dos (待办): create, per-executor status, a user's org to-do list."""
        from censusdt.api._sync.todo import Todo

        return Todo(self)

    @property
    def calendar(self) -> Calendar:
        """Calendars (日程): events, attendees, free/busy, subscribed calendars."""
        from censusdt.api._sync.calendar import Calendar

        return Calendar(self)

    @property
    def wiki(self) -> Wiki:
        """Knowledge bases (知识库, wiki 2.0): workspaces and their node trees."""
        from censusdt.api._sync.wiki import Wiki

        return Wiki(self)

    @property
    def docs(self) -> Docs:
        """Documents (doc 1.0): documents, folders, content and workspace members."""
        from censusdt.api._sync.docs import Docs

        return Docs(self)

    @property
    def workflow(self) -> Workflow:
        """Approvals (OA 审批): start, read and list instances."""
        from censusdt.api._sync.workflow import Workflow

        return Workflow(self)

    @property
    def attendance(self) -> Attendance:
        """Attendance (考勤): punch results, punch details and leave statuses."""
        from censusdt.api._sync.attendance import Attendance

        return Attendance(self)

    @property
    def live(self) -> Live:
        """Live sessions (直播): create, query, update, delete, viewers and replay."""
        from censusdt.api._sync.live import Live

        return Live(self)

    # Tokens.

    def get_token(self) -> str:
        """Return a valid access token, fetching one when the cache has none fresh.

        Concurrent callers on a cold cache wait for a single token request.
        """
        token = self._token_store.get(self.app_key)
        if token is not None and token.is_fresh(self.clock.time(), self._refresh_margin):
            return token.value

        with self._token_lock:
            token = self._token_store.get(self.app_key)
            if token is not None and token.is_fresh(self.clock.time(), self._refresh_margin):
                return token.value
            token = self._fetch_token()
            self._token_store.set(self.app_key, token)
            return token.value

    def _fetch_token(self) -> Token:
        try:
            return self._fetch_token_once()
        except _TokenRejected as rejected:
            # On /gettoken, 40001 means a wrong secret rather than a stale token.
            raise rejected.error from None

    def _fetch_token_once(self) -> Token:
        if self._token_endpoint == "new":
            body = self._send(
                _NEW_TOKEN,
                base_url=self.new_base_url,
                token=None,
                json_body={"appKey": self.app_key, "appSecret": self._app_secret},
            )
            value, lifetime = body.get("accessToken"), body.get("expireIn")
        else:
            body = self._send(
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

    def request(
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
            token = self.get_token() if endpoint.authenticated else None
            try:
                return self._send(
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

    def _send(
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
            self._pace(endpoint)
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
                response = self._http.send(request)
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
                self._sleep(delay)
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
            self._sleep(delay)

    def _pace(self, endpoint: Endpoint) -> None:
        while True:
            now = self.clock.monotonic()
            wait = self.rate_limiter.try_acquire(self.app_key, endpoint.path, now)
            if wait <= 0:
                return
            self.stats.paced_seconds += wait
            self._sleep(wait)
