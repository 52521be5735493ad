"""censusdt: a typed DingTalk SDK for census offices.

``DingTalk`` (sync) and ``AsyncDingTalk`` (async) share one implementation: the async source under
``_async`` and the sync code generated from it.
"""

import logging

from censusdt._async.client import AsyncDingTalk
from censusdt._async.pagination import AsyncPaginator
from censusdt._clock import Clock, SystemClock
from censusdt._endpoint import Dialect, Endpoint
from censusdt._errors import (
    APIError,
    AuthenticationError,
    ConflictError,
    DingTalkError,
    FieldError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
    TransportError,
    ValidationError,
)
from censusdt._pages import Page
from censusdt._retry import RetryPolicy
from censusdt._stats import CallStats
from censusdt._sync.client import DingTalk
from censusdt._sync.pagination import Paginator
from censusdt._throttle import RateLimiter
from censusdt._tokens import FileTokenStore, MemoryTokenStore, Token, TokenStore

# A library leaves logging output to the application; without this, warnings reach stderr.
logging.getLogger("censusdt").addHandler(logging.NullHandler())

__all__ = [
    "APIError",
    "AsyncDingTalk",
    "AsyncPaginator",
    "AuthenticationError",
    "CallStats",
    "Clock",
    "ConflictError",
    "Dialect",
    "DingTalk",
    "DingTalkError",
    "Endpoint",
    "FieldError",
    "FileTokenStore",
    "InvalidRequestError",
    "MemoryTokenStore",
    "NotFoundError",
    "Page",
    "Paginator",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "SystemClock",
    "Token",
    "TokenStore",
    "TransportError",
    "ValidationError",
]

__version__ = "0.1.0"
