"""cattrs converters for the two DingTalk wire dialects.

``legacy_converter`` (oapi, snake_case keys) and ``new_converter`` (api, camelCase keys) both:

- map each attrs field to its wire key: the field name for legacy, its camelCase form for new,
  or the ``key`` in the field's metadata (``attrs.field(metadata=wire_key("unionId"))``) where
  DingTalk is inconsistent;
- read epoch milliseconds into aware datetimes in Asia/Shanghai, and write them back;
- accept numbers and booleans sent as strings ("100", "true"), as DingTalk's legacy APIs and doc
  samples do;
- ignore keys the model does not declare, since DingTalk adds fields over time;
- leave ``None`` fields out when unstructuring, since DingTalk treats an absent field as
  "unchanged" and a ``null`` as an error on several APIs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

__all__ = [
    "SHANGHAI",
    "camel_case",
    "from_epoch_ms",
    "legacy_converter",
    "new_converter",
    "to_epoch_ms",
    "wire_key",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def wire_key(key: str) -> dict[str, str]:
    """Field metadata naming the exact wire key of a field."""
    return {"key": key}


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def from_epoch_ms(value: Any) -> dt.datetime:
    """Read epoch milliseconds (int or numeric string) as an aware Asia/Shanghai datetime."""
    return dt.datetime.fromtimestamp(int(value) / 1000, tz=SHANGHAI)


def to_epoch_ms(value: dt.datetime) -> int:
    """Write an aware datetime as epoch milliseconds; a naive one is taken as Asia/Shanghai."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return int(value.timestamp() * 1000)


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, got {value!r}")
    return int(value)


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "1"}:
            return True
        if lowered in {"false", "0", ""}:
            return False
        raise ValueError(f"expected a boolean, got {value!r}")
    return bool(value)


def _structure_float(value: Any, _: type) -> float:
    return float(value)


def _make(key_for: Any) -> cattrs.Converter:
    converter = cattrs.Converter(omit_if_default=False)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(dt.datetime, lambda value, _: from_epoch_ms(value))
    converter.register_unstructure_hook(dt.datetime, to_epoch_ms)

    def structure_factory(cls: type) -> Any:
        overrides: dict[str, Any] = {
            field.name: override(rename=field.metadata.get("key") or key_for(field.name))
            for field in attrs.fields(cls)
        }
        return make_dict_structure_fn(cls, converter, **overrides)

    def unstructure_factory(cls: type) -> Any:
        overrides: dict[str, Any] = {
            field.name: override(rename=field.metadata.get("key") or key_for(field.name))
            for field in attrs.fields(cls)
        }
        plain: Any = make_dict_unstructure_fn(cls, converter, **overrides)

        def unstructure(instance: Any) -> dict[str, Any]:
            return {key: value for key, value in plain(instance).items() if value is not None}

        return unstructure

    converter.register_structure_hook_factory(attrs.has, structure_factory)
    converter.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    return converter


#: Converter for legacy oapi payloads (snake_case keys).
legacy_converter = _make(lambda name: name)
#: Converter for new api payloads (camelCase keys).
new_converter = _make(camel_case)
