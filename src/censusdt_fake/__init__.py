"""censusdt_fake: a stateful in-memory DingTalk for offline tests.

``FakeDingTalk`` serves both API dialects from in-memory tenants; use it in-process through
``fake.transport()``, around code that builds its own clients with ``fake.mock()``, or as a real
HTTP server with ``fake.serve()`` / ``censusdt-fake serve``.
"""

import logging

from censusdt_fake._clock import VirtualClock
from censusdt_fake._core import HANDLER_MODULES, FakeDingTalk, LoggedRequest
from censusdt_fake._errors import FakeError, LegacyError, NewApiError
from censusdt_fake._faults import FaultKind, FaultRule
from censusdt_fake._routing import Call, Route, Router
from censusdt_fake._server import FakeServer
from censusdt_fake._state import App, Corp

# A library leaves logging output to the application; without this, warnings reach stderr.
logging.getLogger("censusdt_fake").addHandler(logging.NullHandler())

__all__ = [
    "HANDLER_MODULES",
    "App",
    "Call",
    "Corp",
    "FakeDingTalk",
    "FakeError",
    "FakeServer",
    "FaultKind",
    "FaultRule",
    "LegacyError",
    "LoggedRequest",
    "NewApiError",
    "Route",
    "Router",
    "VirtualClock",
]
