"""Smart forms (智能填表, swform_1.0): endpoint declarations and models, no I/O.

Only forms built with the legacy smart-form UI are readable through these APIs, and swform 1.0
has no schema endpoint: a form's fields are known from its instances' ``forms[].key/label``.
Caller and submitter ids here are userIds. Every response is wrapped as
``{"success": true, "result": {...}}``; list calls page with an integer ``nextToken`` that
starts at 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from censusdt._converters import SHANGHAI, new_converter
from censusdt._endpoint import Endpoint
from censusdt._pages import Page

__all__ = [
    "FORMS_LIST",
    "FORMS_PAGE_MAX",
    "INSTANCES_LIST",
    "INSTANCES_PAGE_MAX",
    "INSTANCE_GET",
    "FormField",
    "FormInstance",
    "FormSchema",
    "FormSetting",
    "parse_form_time",
    "swform_page",
]

FORMS_LIST = Endpoint.new("GET", "/v1.0/swform/users/forms", idempotent=True)
INSTANCES_LIST = Endpoint.new("GET", "/v1.0/swform/forms/{formCode}/instances", idempotent=True)
INSTANCE_GET = Endpoint.new("GET", "/v1.0/swform/instances/{formInstanceId}", idempotent=True)

#: ListFormSchemasByCreator returns at most 200 forms per page.
FORMS_PAGE_MAX = 200
#: ListFormInstances returns at most 100 instances per page.
INSTANCES_PAGE_MAX = 100


@attrs.frozen
class FormSetting:
    """The schedule of a form: one-off (``form_type`` 0) or periodic (1), and when it stops."""

    biz_type: int = 0
    form_type: int = 0
    stop: bool = False
    loop_time: str | None = None
    loop_days: list[int] = attrs.field(factory=list)
    end_time: str | None = None
    create_time: str | None = None


@attrs.frozen
class FormSchema:
    """A smart form (template) as ListFormSchemasByCreator lists it."""

    form_code: str
    name: str
    memo: str | None = None
    creator: str | None = None
    setting: FormSetting = attrs.field(factory=FormSetting)


@attrs.frozen
class FormField:
    """One filled-in control: its id (``key``), its title (``label``) and the value as text."""

    key: str
    label: str
    value: str = ""


@attrs.frozen
class FormInstance:
    """One submission of a form; times are DingTalk's minute-precision ISO strings."""

    form_instance_id: str
    form_code: str
    title: str | None = None
    create_time: str | None = None
    modify_time: str | None = None
    submitter_user_id: str | None = None
    submitter_user_name: str | None = None
    forms: list[FormField] = attrs.field(factory=list)

    def value(self, label: str, default: str = "") -> str:
        """Return the value of the field titled ``label`` (or with key ``label``)."""
        for field in self.forms:
            if label in (field.label, field.key):
                return field.value
        return default

    def as_dict(self) -> dict[str, str]:
        """Map field labels to their values."""
        return {field.label: field.value for field in self.forms}


def parse_form_time(text: str) -> dt.datetime:
    """Read swform's ``2022-07-29T14:55Z`` (UTC, minute precision) as Asia/Shanghai time."""
    normalized = text.replace("Z", "+00:00")
    value = dt.datetime.fromisoformat(normalized)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(SHANGHAI)


def swform_page(body: dict[str, Any], convert: type[Any]) -> Page[Any]:
    """Read ``result.list`` / ``hasMore`` / ``nextToken`` of a swform list response."""
    result = body.get("result") or {}
    items = [new_converter.structure(item, convert) for item in result.get("list") or []]
    has_more = result.get("hasMore")
    if isinstance(has_more, str):
        has_more = has_more.lower() == "true"
    token = result.get("nextToken")
    if not has_more or token is None:
        return Page(items, None)
    return Page(items, int(token))
