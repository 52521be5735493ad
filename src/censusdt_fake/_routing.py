"""Routes from (method, path) to handlers, and the parsed request a handler receives."""

from __future__ import annotations

import json
import math
import re
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from censusdt_fake._errors import FakeError, LegacyError, NewApiError

if TYPE_CHECKING:
    from censusdt_fake._core import FakeDingTalk
    from censusdt_fake._state import App, Corp

__all__ = ["Call", "Route", "Router", "is_new_api_path"]

Handler = Callable[["Call"], Any]


def is_new_api_path(path: str) -> bool:
    """New-API paths are versioned (``/v1.0/...``, ``/v2.0/...``); legacy ones are not."""
    return re.match(r"^/v\d+\.\d+/", path) is not None


@attrs.define
class Route:
    """One endpoint: method, path template with ``{name}`` segments, and its handler."""

    method: str
    template: str
    handler: Handler
    authenticated: bool = True
    #: Control-plane routes skip tokens, faults and rate limits.
    control: bool = False
    pattern: re.Pattern[str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        self.pattern = re.compile(f"^{regex}$")

    @property
    def is_new_api(self) -> bool:
        return is_new_api_path(self.template)

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path)
        if found is None:
            return None
        return {key: urllib.parse.unquote(value) for key, value in found.groupdict().items()}


class Router:
    """A handler module's routes; ``FakeDingTalk`` collects every module's router."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self, method: str, template: str, *, authenticated: bool = True, control: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register the decorated function as the handler of ``method template``."""

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, template, handler, authenticated, control))
            return handler

        return register

    def get(self, template: str, **options: bool) -> Callable[[Handler], Handler]:
        return self.route("GET", template, **options)

    def post(self, template: str, **options: bool) -> Callable[[Handler], Handler]:
        return self.route("POST", template, **options)

    def put(self, template: str, **options: bool) -> Callable[[Handler], Handler]:
        return self.route("PUT", template, **options)

    def delete(self, template: str, **options: bool) -> Callable[[Handler], Handler]:
        return self.route("DELETE", template, **options)


_MISSING = object()


@attrs.define
class Call:
    """Input of a handler: the parsed request, its tenant and app, and typed parameter readers.

    Legacy parameters may arrive in the query, a JSON body or a form body, with numbers and
    booleans as strings and objects as JSON strings, as DingTalk's own SDKs send them; the readers
    accept all of these. A missing or malformed parameter raises the dialect's error.
    """

    fake: FakeDingTalk
    request: httpx.Request
    route: Route
    path_params: dict[str, str]
    query: dict[str, str]
    body: Any
    corp: Corp | None = None
    app: App | None = None
    token: str | None = None

    @property
    def is_new_api(self) -> bool:
        return self.route.is_new_api

    @property
    def now_ms(self) -> int:
        return self.fake.clock.now_ms()

    @property
    def tenant(self) -> Corp:
        """The caller's corp; only unauthenticated routes run without one."""
        assert self.corp is not None, "route needs authentication to have a tenant"
        return self.corp

    @property
    def caller(self) -> App:
        assert self.app is not None, "route needs authentication to have an app"
        return self.app

    def header(self, name: str) -> str | None:
        value: str | None = self.request.headers.get(name)
        return value

    def raw(self, name: str, default: Any = None) -> Any:
        """Return a parameter from the path, the JSON/form body or the query, in that order."""
        if name in self.path_params:
            return self.path_params[name]
        if isinstance(self.body, dict) and name in self.body:
            return self.body[name]
        if name in self.query:
            return self.query[name]
        return default

    def missing(self, name: str) -> FakeError:
        if self.is_new_api:
            return NewApiError(400, "MissingParameter", f"{name} is mandatory for this action.")
        return LegacyError(40035, f"缺少参数 {name}")

    def invalid(self, name: str, value: Any) -> FakeError:
        if self.is_new_api:
            return NewApiError(400, "invalidParameter", f"{name} is invalid: {value!r}")
        return LegacyError(40035, f"不合法的参数 {name}")

    def string(self, name: str, *, required: bool = False, default: Any = None) -> Any:
        value = self.raw(name, _MISSING)
        if value is _MISSING or value is None or value == "":
            if required:
                raise self.missing(name)
            return default
        if isinstance(value, (dict, list)):
            raise self.invalid(name, value)
        return str(value)

    def integer(self, name: str, *, required: bool = False, default: Any = None) -> Any:
        value = self.raw(name, _MISSING)
        if value is _MISSING or value is None or value == "":
            if required:
                raise self.missing(name)
            return default
        if isinstance(value, bool):
            raise self.invalid(name, value)
        # 1.9, 1e400 and NaN are JSON numbers but no integer parameter of DingTalk's.
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            raise self.invalid(name, value)
        try:
            return int(value)
        except (TypeError, ValueError, OverflowError):
            raise self.invalid(name, value) from None

    def boolean(self, name: str, *, default: bool = False) -> bool:
        value = self.raw(name, _MISSING)
        if value is _MISSING or value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false"}:
            return value.lower() == "true"
        if isinstance(value, int):
            return bool(value)
        raise self.invalid(name, value)

    def array(self, name: str, *, required: bool = False) -> list[Any]:
        """Read a list given as a JSON array, a JSON-encoded array, or a comma-separated string."""
        value = self.raw(name, _MISSING)
        if value is _MISSING or value is None or value == "":
            if required:
                raise self.missing(name)
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    parsed = json.loads(text)
                except json.JSONDecodeError:
                    raise self.invalid(name, value) from None
                if isinstance(parsed, list):
                    return parsed
            return [part.strip() for part in text.split(",") if part.strip()]
        if isinstance(value, (int, float)):
            return [value]
        raise self.invalid(name, value)

    def json_value(self, name: str, *, required: bool = False) -> Any:
        """Read a value given as JSON or as a JSON-encoded string."""
        value = self.raw(name, _MISSING)
        if value is _MISSING or value is None or value == "":
            if required:
                raise self.missing(name)
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise self.invalid(name, value) from None
        return value


def parse_body(request: httpx.Request) -> Any:
    """Parse a JSON or form body; an empty body is ``None``, unparseable JSON raises ValueError."""
    content = request.content
    if not content:
        return None
    content_type = request.headers.get("content-type", "")
    if "application/x-www-form-urlencoded" in content_type:
        pairs = urllib.parse.parse_qsl(content.decode("utf-8"), keep_blank_values=True)
        return dict(pairs)
    return json.loads(content)
