"""Smart forms of one corp: form templates and their submitted instances (no HTTP here).

Errors carry swform's codes: HTTP 400 ``swform.<action>.paramError`` with a short English
message (``invalid size``, ``invalid form_code``, ...), as DingTalk documents them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence

import attrs

from censusdt_fake._errors import NewApiError

__all__ = [
    "FORMS_PAGE_MAX",
    "INSTANCES_PAGE_MAX",
    "FormField",
    "FormInstance",
    "FormTemplate",
    "FormsState",
    "format_form_time",
    "param_error",
]

FORMS_PAGE_MAX = 200
INSTANCES_PAGE_MAX = 100
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def param_error(action: str, message: str) -> NewApiError:
    """Return swform's 400 for a bad parameter of ``action`` (listFormInstances, ...)."""
    return NewApiError(400, f"swform.{action}.paramError", message)


def format_form_time(epoch_ms: int) -> str:
    """Format a time as swform does: UTC, minute precision, ``2022-07-29T14:55Z``."""
    moment = dt.datetime.fromtimestamp(epoch_ms / 1000, tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%MZ")


@attrs.define
class FormField:
    key: str
    label: str


@attrs.define
class FormTemplate:
    form_code: str
    name: str
    creator: str
    fields: list[FormField]
    memo: str = ""
    biz_type: int = 0
    #: 0 one-off, 1 periodic.
    form_type: int = 0
    stop: bool = False
    created_ms: int = 0


@attrs.define
class FormInstance:
    form_instance_id: str
    form_code: str
    title: str
    submitter_user_id: str
    submitter_user_name: str
    values: dict[str, str]
    created_ms: int
    modified_ms: int
    #: The day (``yyyy-MM-dd``) a periodic form's instance belongs to.
    action_date: str | None = None


@attrs.define
class FormsState:
    """The corp's smart forms and instances, in submission order."""

    forms: dict[str, FormTemplate] = attrs.field(factory=dict)
    instances: dict[str, list[FormInstance]] = attrs.field(factory=dict)
    next_number: int = 1

    # Control plane.

    def add_form(
        self,
        name: str,
        *,
        creator: str,
        labels: Sequence[str],
        now_ms: int,
        form_type: int = 0,
        memo: str = "",
        form_code: str | None = None,
    ) -> FormTemplate:
        """Create a form whose controls have ``labels``; keys are generated control ids."""
        if not labels:
            raise ValueError("a form needs at least one field label")
        code = form_code or "PROC-" + self._digest(f"form/{name}").upper()[:20]
        if code in self.forms:
            raise ValueError(f"form {code!r} already exists")
        fields = [
            FormField(f"TextField_{self._digest(f'{code}/{label}')[:12]}", label)
            for label in labels
        ]
        form = FormTemplate(code, name, creator, fields, memo, 0, form_type, False, now_ms)
        self.forms[code] = form
        self.instances[code] = []
        return form

    def submit(
        self,
        form_code: str,
        *,
        user_id: str,
        user_name: str,
        values: Mapping[str, object],
        now_ms: int,
        action_date: str | None = None,
    ) -> FormInstance:
        """Record a submission; ``values`` maps field labels to answers (stored as text)."""
        form = self.forms.get(form_code)
        if form is None:
            raise KeyError(f"no form {form_code!r}")
        labels = {field.label for field in form.fields}
        unknown = [label for label in values if label not in labels]
        if unknown:
            raise KeyError(f"form {form.name} has no field(s) {unknown}")

        instance = FormInstance(
            form_instance_id=self._digest(f"instance/{form_code}"),
            form_code=form_code,
            title=f"{user_name}提交的{form.name}",
            submitter_user_id=user_id,
            submitter_user_name=user_name,
            values={label: "" if value is None else str(value) for label, value in values.items()},
            created_ms=now_ms,
            modified_ms=now_ms,
            action_date=action_date,
        )
        self.instances[form_code].append(instance)
        return instance

    # API operations.

    def list_forms(
        self, *, creator: str | None, biz_type: int, offset: int, size: int
    ) -> tuple[list[FormTemplate], bool]:
        action = "listFormSchemasByCreator"
        if biz_type not in (0, 1):
            raise param_error(action, "invalid biz_type")
        if offset < 0:
            raise param_error(action, "invalid offset")
        if not 1 <= size <= FORMS_PAGE_MAX:
            raise param_error(action, "invalid size")
        matching = [
            form
            for form in self.forms.values()
            if form.biz_type == biz_type and (creator is None or form.creator == creator)
        ]
        return matching[offset : offset + size], offset + size < len(matching)

    def list_instances(
        self, form_code: str, *, offset: int, size: int, action_date: str | None
    ) -> tuple[list[FormInstance], bool]:
        action = "listFormInstances"
        if offset < 0:
            raise param_error(action, "invalid offset")
        if not 1 <= size <= INSTANCES_PAGE_MAX:
            raise param_error(action, "invalid size")
        if form_code not in self.forms:
            raise param_error(action, "invalid form_code")
        if action_date is not None and not _DATE.match(action_date):
            raise param_error(action, "invalid action_date")
        matching = [
            instance
            for instance in self.instances[form_code]
            if action_date is None or instance.action_date == action_date
        ]
        return matching[offset : offset + size], offset + size < len(matching)

    def instance(self, form_instance_id: str) -> FormInstance:
        for instances in self.instances.values():
            for instance in instances:
                if instance.form_instance_id == form_instance_id:
                    return instance
        raise param_error("getFormInstance", "invalid formInstanceId")

    def fields_of(self, instance: FormInstance) -> list[dict[str, str]]:
        """The instance's ``forms`` array: every field of the form, answered or empty."""
        form = self.forms[instance.form_code]
        return [
            {"key": field.key, "label": field.label, "value": instance.values.get(field.label, "")}
            for field in form.fields
        ]

    def _digest(self, seed: str) -> str:
        number = self.next_number
        self.next_number += 1
        return hashlib.sha1(f"{seed}/{number}".encode()).hexdigest()[:32]
