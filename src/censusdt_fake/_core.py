"""FakeDingTalk: one request handler over in-memory tenants, and its three deployments."""

from __future__ import annotations

import copy
import importlib
import itertools
import json
import logging
import pkgutil
import random
import threading
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from censusdt_fake._clock import VirtualClock
from censusdt_fake._dump import to_plain
from censusdt_fake._errors import FakeError, LegacyError, NewApiError
from censusdt_fake._faults import FaultKind, FaultRule
from censusdt_fake._ratelimit import ApiRateLimit
from censusdt_fake._routing import Call, Route, Router, is_new_api_path, parse_body
from censusdt_fake._state import TOKEN_LIFETIME, App, Corp, IssuedToken

if TYPE_CHECKING:
    import respx

    from censusdt_fake._server import FakeServer

__all__ = ["HANDLER_MODULES", "FakeDingTalk", "LoggedRequest"]

logger = logging.getLogger("censusdt_fake")


def _discover_handler_modules() -> list[str]:
    import censusdt_fake.handlers

    names = pkgutil.iter_modules(censusdt_fake.handlers.__path__)
    return sorted(
        f"censusdt_fake.handlers.{info.name}" for info in names if not info.name.startswith("_")
    )


#: Modules whose ``router`` the fake serves: every public module of ``censusdt_fake.handlers``.
HANDLER_MODULES = _discover_handler_modules()

LEGACY_HOST = "oapi.dingtalk.com"
NEW_HOST = "api.dingtalk.com"
CONTROL_PREFIX = "/__fake__/"
TOKEN_HEADER = "x-acs-dingtalk-access-token"


@attrs.define
class LoggedRequest:
    """One request the fake received, and its response."""

    seq: int
    time: float
    method: str
    path: str
    dialect: str
    corp_id: str | None
    app_key: str | None
    status: int
    #: Legacy ``errcode`` or new ``code``; ``"0"`` for a success.
    code: str
    #: The fault injected into this call, if any.
    fault: str | None = None
    #: Whether the handler ran (its effect is in the state).
    applied: bool = False
    body: Any = None


class FakeDingTalk:
    """A stateful in-memory DingTalk serving both API dialects.

    ``handle`` turns an ``httpx.Request`` into an ``httpx.Response``. Deployments: ``transport()``
    for in-process httpx clients (sync and async), ``mock()`` for code that builds its own clients
    against the real hosts, ``serve()`` for a real HTTP server on 127.0.0.1.

    A new fake contains one corp with one app (``default_corp``, ``default_app``) unless
    ``seed_default=False``. ``seed`` makes generated ids and secrets repeatable.
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: VirtualClock | None = None,
        seed_default: bool = True,
        app_key: str | None = None,
        app_secret: str | None = None,
        log_bodies: bool = False,
    ) -> None:
        self.rng = random.Random(seed)
        self.clock = clock or VirtualClock()
        self.corps: dict[str, Corp] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.expired_tokens: set[str] = set()
        self.faults: list[FaultRule] = []
        self.rate_limit: ApiRateLimit | None = None
        self.requests: list[LoggedRequest] = []
        self.log_bodies = log_bodies
        self._snapshots: dict[str, dict[str, Any]] = {}
        self._sequence = itertools.count(1)
        self._lock = threading.RLock()
        self._routes = self._load_routes()

        if seed_default:
            corp = self.add_corp("人口普查测试组织")
            corp.add_app(rng=self.rng, app_key=app_key, app_secret=app_secret)

    # Tenants.

    def add_corp(self, name: str, corp_id: str | None = None) -> Corp:
        """Create a tenant (corp) with no apps."""
        corp_id = corp_id or "ding" + uuid.UUID(int=self.rng.getrandbits(128)).hex[:16]
        if corp_id in self.corps:
            raise ValueError(f"corp {corp_id!r} already exists")
        corp = Corp(corp_id=corp_id, name=name)
        self.corps[corp_id] = corp
        return corp

    def add_app(self, corp: Corp | None = None, **options: Any) -> App:
        """Add an internal app to ``corp`` (the default corp when omitted)."""
        return (corp or self.default_corp).add_app(rng=self.rng, **options)

    @property
    def default_corp(self) -> Corp:
        if not self.corps:
            raise LookupError("this fake has no corp; call add_corp first")
        return next(iter(self.corps.values()))

    @property
    def default_app(self) -> App:
        corp = self.default_corp
        if not corp.apps:
            raise LookupError(f"corp {corp.corp_id} has no app; call add_app first")
        return next(iter(corp.apps.values()))

    def find_app(self, app_key: str) -> tuple[Corp, App] | None:
        for corp in self.corps.values():
            app = corp.apps.get(app_key)
            if app is not None:
                return corp, app
        return None

    # Tokens.

    def issue_token(self, corp: Corp, app: App) -> IssuedToken:
        """Issue the app's token: the same one, extended, while it is valid; a new one after."""
        now = self.clock.time()
        current = app.token
        if current is not None and current.expires_at > now:
            current.expires_at = now + TOKEN_LIFETIME
            return current
        if current is not None:
            self.tokens.pop(current.value, None)
            self.expired_tokens.add(current.value)
        value = uuid.UUID(int=self.rng.getrandbits(128)).hex
        token = IssuedToken(value, corp.corp_id, app.app_key, now + TOKEN_LIFETIME)
        app.token = token
        self.tokens[value] = token
        return token

    def resolve_token(self, value: str | None) -> tuple[IssuedToken | None, str]:
        """Return the token and ``"ok"``, or ``None`` and why: missing, expired or invalid."""
        if not value:
            return None, "missing"
        token = self.tokens.get(value)
        if token is None:
            return None, "expired" if value in self.expired_tokens else "invalid"
        if token.expires_at <= self.clock.time():
            return None, "expired"
        return token, "ok"

    # Control plane.

    def add_fault(self, kind: FaultKind | str, **options: Any) -> FaultRule:
        """Add a fault rule; see :class:`FaultRule` for the options."""
        rule = FaultRule(FaultKind(kind), **options)
        with self._lock:
            self.faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def enforce_rate_limit(self, rate: int | None = 20) -> None:
        """Throttle calls above ``rate`` per second per app and API as DingTalk does; None: off."""
        if rate is not None and rate < 0:
            raise ValueError(
                f"rate must be a positive number of calls per second (0 or None: off), got {rate}"
            )
        self.rate_limit = ApiRateLimit(rate) if rate else None

    def snapshot(self) -> str:
        """Save the tenants' state and return an id for :meth:`restore`."""
        with self._lock:
            snapshot_id = f"snap-{len(self._snapshots) + 1}"
            self._snapshots[snapshot_id] = {
                "corps": copy.deepcopy(self.corps),
                "tokens": copy.deepcopy(self.tokens),
                "expired_tokens": set(self.expired_tokens),
            }
            return snapshot_id

    def restore(self, snapshot_id: str) -> None:
        """Put the tenants' state back to what :meth:`snapshot` saved."""
        with self._lock:
            saved = self._snapshots.get(snapshot_id)
            if saved is None:
                raise KeyError(f"no snapshot {snapshot_id!r}; known: {sorted(self._snapshots)}")
            self.corps = copy.deepcopy(saved["corps"])
            self.tokens = copy.deepcopy(saved["tokens"])
            self.expired_tokens = set(saved["expired_tokens"])
            # Apps hold their current token; re-link them to the restored token objects.
            for corp in self.corps.values():
                for app in corp.apps.values():
                    if app.token is not None:
                        app.token = self.tokens.get(app.token.value)

    def reset(self) -> None:
        """Drop every tenant's product state, token, fault rule and logged request; keep apps."""
        with self._lock:
            for corp in self.corps.values():
                corp.extensions.clear()
                for app in corp.apps.values():
                    app.token = None
            self.tokens.clear()
            self.expired_tokens.clear()
            self.faults.clear()
            self.requests.clear()

    def dump(self) -> dict[str, Any]:
        """Return all state as JSON-ready data."""
        with self._lock:
            return {
                "clock": {"time": self.clock.time(), "frozen": self.clock.frozen},
                "corps": {corp_id: to_plain(corp) for corp_id, corp in self.corps.items()},
                "faults": [rule.to_json() for rule in self.faults],
                "rate_limit": self.rate_limit.rate if self.rate_limit else None,
                "requests": len(self.requests),
            }

    def calls(self, path: str | None = None) -> list[LoggedRequest]:
        """Logged requests, optionally only those to ``path`` (a route template or a real path)."""
        if path is None:
            return list(self.requests)
        return [entry for entry in self.requests if entry.path == path]

    # Deployments.

    def transport(self) -> httpx.MockTransport:
        """Return an httpx transport that serves sync and async clients in-process."""
        return httpx.MockTransport(self.handle)

    def mock(self, *, assert_all_called: bool = False) -> respx.MockRouter:
        """Return a respx router that sends every request for the real DingTalk hosts to this fake.

        Use it as a context manager: ``with fake.mock(): ...``.
        """
        import respx

        router = respx.mock(assert_all_called=assert_all_called, assert_all_mocked=False)
        for host in (LEGACY_HOST, NEW_HOST):
            router.route(host=host).mock(side_effect=self.handle)
        return router

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> FakeServer:
        """Start a real HTTP server in a background thread; stop it with ``close()``."""
        from censusdt_fake._server import FakeServer

        server = FakeServer(self, host=host, port=port)
        server.start()
        return server

    # Handling.

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Handle one request and build the response DingTalk would send."""
        path = request.url.path
        new_api = is_new_api_path(path)
        route, path_params, method_allowed = self._find_route(request.method, path)
        if route is None:
            return self._no_route(request, new_api=new_api, method_allowed=method_allowed)
        if route.control:
            return self._run_control(route, request, path_params)

        entry = LoggedRequest(
            seq=next(self._sequence),
            time=self.clock.time(),
            method=request.method,
            path=route.template,
            dialect="new" if new_api else "legacy",
            corp_id=None,
            app_key=None,
            status=200,
            code="0",
        )
        with self._lock:
            self.requests.append(entry)
        response = self._run(route, request, path_params, entry)
        entry.status = response.status_code
        return response

    def _run(
        self,
        route: Route,
        request: httpx.Request,
        path_params: dict[str, str],
        entry: LoggedRequest,
    ) -> httpx.Response:
        new_api = route.is_new_api
        form_encoded = "x-www-form-urlencoded" in request.headers.get("content-type", "")
        try:
            if new_api and form_encoded:
                # The new API takes JSON only; a form body is refused before the API runs.
                raise ValueError("form body on the new API")
            body = parse_body(request)
        except (ValueError, UnicodeDecodeError):
            return self._error(
                NewApiError(400, "MissingBody", "body is mandatory for this action")
                if new_api
                else LegacyError(43009, "post数据需为合法的json"),
                entry,
            )
        if self.log_bodies:
            entry.body = body
        call = Call(
            fake=self,
            request=request,
            route=route,
            path_params=path_params,
            query=dict(request.url.params),
            body=body,
        )

        if route.authenticated:
            token_value = (
                request.headers.get(TOKEN_HEADER) if new_api else call.query.get("access_token")
            )
            token, state = self.resolve_token(token_value)
            if token is None:
                return self._error(_token_error(state, new_api=new_api), entry)
            call.token = token.value
            call.corp = self.corps[token.corp_id]
            call.app = call.corp.apps[token.app_key]
            entry.corp_id = token.corp_id
            entry.app_key = token.app_key

        fault = self._fault_for(route.template, entry.corp_id)
        if fault is not None and not fault.after:
            entry.fault = fault.kind.value
            return self._inject(fault, new_api=new_api, entry=entry)

        limit = self.rate_limit
        app_key = call.app.app_key if call.app is not None else None
        if limit is not None and app_key is not None:
            admitted = limit.admit(app_key, route.template, self.clock.monotonic())
            if not admitted:
                return self._error(_throttle_error(new_api=new_api), entry)

        try:
            with self._lock:
                result = route.handler(call)
        except FakeError as error:
            return self._error(error, entry)
        entry.applied = True

        if fault is not None:
            entry.fault = fault.kind.value
            return self._inject(fault, new_api=new_api, entry=entry)
        if isinstance(result, httpx.Response):
            return result
        return _success(result, new_api=new_api, request_id=_request_id(entry))

    def _run_control(
        self, route: Route, request: httpx.Request, path_params: dict[str, str]
    ) -> httpx.Response:
        try:
            body = parse_body(request)
        except (ValueError, UnicodeDecodeError):
            return _json_response(400, {"error": "the body is not valid JSON"})
        call = Call(
            fake=self,
            request=request,
            route=route,
            path_params=path_params,
            query=dict(request.url.params),
            body=body,
        )
        try:
            with self._lock:
                result = route.handler(call)
        except (FakeError, KeyError, ValueError, LookupError) as error:
            return _json_response(400, {"error": str(error)})
        if isinstance(result, httpx.Response):
            return result
        return _json_response(200, result if result is not None else {})

    def _fault_for(self, template: str, corp_id: str | None) -> FaultRule | None:
        with self._lock:
            for rule in self.faults:
                if rule.applies(template, corp_id):
                    return rule
        return None

    def _inject(self, rule: FaultRule, *, new_api: bool, entry: LoggedRequest) -> httpx.Response:
        kind = rule.kind
        request_id = _request_id(entry)
        if kind is FaultKind.THROTTLE:
            return self._error(_throttle_error(new_api=new_api), entry)
        if kind is FaultKind.INVALID_TOKEN:
            return self._error(_token_error("invalid", new_api=new_api), entry)
        if kind is FaultKind.BUSY:
            error: FakeError = (
                NewApiError(
                    503,
                    "ServiceUnavailable",
                    "The request has failed due to a temporary failure of the server.",
                )
                if new_api
                else LegacyError(-1, "系统繁忙")
            )
            return self._error(error, entry)
        if kind is FaultKind.SERVER_ERROR:
            entry.code = "systemError"
            return _json_response(
                500, {"code": "systemError", "message": "系统错误", "requestid": request_id}
            )
        entry.code = kind.value
        if kind is FaultKind.TIMEOUT:
            raise httpx.ReadTimeout("fake: the reply never came")
        if kind is FaultKind.DISCONNECT:
            raise httpx.RemoteProtocolError("fake: server disconnected without sending a response")
        raise httpx.ConnectError("fake: connection refused")

    def _error(self, error: FakeError, entry: LoggedRequest) -> httpx.Response:
        request_id = _request_id(entry)
        if isinstance(error, NewApiError):
            entry.code = error.code
            return _json_response(
                error.status,
                {"code": error.code, "message": error.message, "requestid": request_id},
                headers={"x-acs-request-id": request_id},
            )
        assert isinstance(error, LegacyError)
        entry.code = str(error.errcode)
        body = {
            "errcode": error.errcode,
            "errmsg": error.errmsg,
            **error.extra,
            "request_id": request_id,
        }
        return _json_response(200, body)

    def _find_route(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        path_matched = False
        for route in self._routes:
            params = route.match(path)
            if params is None:
                continue
            path_matched = True
            if route.method == method:
                return route, params, True
        return None, {}, not path_matched

    def _no_route(
        self, request: httpx.Request, *, new_api: bool, method_allowed: bool
    ) -> httpx.Response:
        if request.url.path.startswith(CONTROL_PREFIX):
            return _json_response(
                404, {"error": f"no control endpoint {request.method} {request.url.path}"}
            )
        if new_api:
            # NOTE: the gateway's reply for an unknown API is not documented; this is the Alibaba
            # Cloud API gateway's usual code for an unknown action.
            return _json_response(
                404,
                {
                    "code": "InvalidAction.NotFound",
                    "message": "Specified api is not found, please check your url and method.",
                    "requestid": uuid.uuid4().hex.upper(),
                },
            )
        if not method_allowed:
            # 43001 "需要GET请求" / 43002 "需要POST请求" from the global error table.
            wanted_get = request.method != "GET"
            code, message = (43001, "需要GET请求") if wanted_get else (43002, "需要POST请求")
            return _json_response(200, {"errcode": code, "errmsg": message})
        # NOTE: the legacy host's reply for an unknown API is not documented; 404 with an errcode
        # keeps clients' legacy decoding working.
        return _json_response(404, {"errcode": 404, "errmsg": "请求的URI地址不存在"})

    def _load_routes(self) -> list[Route]:
        routes: list[Route] = []
        for module_name in HANDLER_MODULES:
            module = importlib.import_module(module_name)
            router: Router = module.router
            routes.extend(router.routes)
        return routes

    def add_routes(self, router: Router) -> None:
        """Serve extra routes, e.g. an API this fake does not implement yet, in your own tests."""
        self._routes = [*router.routes, *self._routes]

    def routes(self) -> Iterator[Route]:
        return iter(self._routes)


def _request_id(entry: LoggedRequest) -> str:
    return f"FAKE{entry.seq:012d}"


def _token_error(state: str, *, new_api: bool) -> FakeError:
    if new_api:
        return NewApiError(400, "InvalidAuthentication", "不合法的access_token")
    if state == "missing":
        return LegacyError(41001, "缺少access_token参数")
    if state == "expired":
        return LegacyError(42001, "access_token超时")
    return LegacyError(40014, "不合法的access_token")


def _throttle_error(*, new_api: bool) -> FakeError:
    if new_api:
        return NewApiError(
            403, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "调用频率超过限制"
        )
    return LegacyError(90018, "当前应用调用该接口的QPS超过限制")


def _success(result: Any, *, new_api: bool, request_id: str) -> httpx.Response:
    if new_api:
        return _json_response(
            200, result if result is not None else {}, headers={"x-acs-request-id": request_id}
        )
    body = {"errcode": 0, "errmsg": "ok", **(result or {}), "request_id": request_id}
    return _json_response(200, body)


def _json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    try:
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate from a client's "\ud800" cannot be UTF-8; escaped JSON stays valid.
        content = json.dumps(body).encode("ascii")
    all_headers = {"content-type": "application/json;charset=UTF-8", **(headers or {})}
    return httpx.Response(status, content=content, headers=all_headers)
