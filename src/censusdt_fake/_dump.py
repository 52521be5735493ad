"""Turn the fake's state objects into JSON-ready data."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

__all__ = ["to_plain"]

_SECRET_FIELDS = {"app_secret"}


def to_plain(value: Any) -> Any:
    """Convert attrs classes, dataclass-like objects, containers and enums to JSON-ready data.

    App secrets are left out: a dump is for looking at state, and may end up in a bug report.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_plain(item) for item in value), key=repr)
    if hasattr(value, "to_json"):
        return value.to_json()
    if attrs.has(type(value)):
        return {
            field.name: to_plain(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if field.name not in _SECRET_FIELDS and not field.name.startswith("_")
        }
    if hasattr(value, "__dict__"):
        return {
            key: to_plain(item)
            for key, item in vars(value).items()
            if not key.startswith("_") and key not in _SECRET_FIELDS
        }
    return repr(value)
