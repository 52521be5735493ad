"""Approval templates: build formComponentValues from Python values and parse them back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from censusdt._errors import FieldError, ValidationError
from censusdt.census.admin.approvals._components import (
    CellErrors,
    FormComponent,
    InvalidValue,
)

__all__ = ["ApprovalTemplate"]

# A start request takes at most 150 formComponentValues items.
MAX_FORM_COMPONENT_VALUES = 150


def _check_components(
    template: ApprovalTemplate, _: attrs.Attribute[Any], components: tuple[FormComponent, ...]
) -> None:
    if not components:
        raise ValueError(f"template {template.name!r} has no components")
    if len(components) > MAX_FORM_COMPONENT_VALUES:
        raise ValueError(
            f"template {template.name!r} has {len(components)} components; DingTalk accepts "
            f"at most {MAX_FORM_COMPONENT_VALUES}"
        )
    names = [component.name for component in components]
    wire_names = [component.wire_name for component in components]
    if len(set(names)) != len(names) or len(set(wire_names)) != len(wire_names):
        raise ValueError(f"template {template.name!r} has duplicate component names: {names}")


def _component_tuple(values: Iterable[FormComponent]) -> tuple[FormComponent, ...]:
    return tuple(values)


def _field_errors(error: InvalidValue | CellErrors) -> list[FieldError]:
    if isinstance(error, CellErrors):
        return [FieldError(item.path, item.value, item.reason) for item in error.errors]
    return [FieldError(error.path, error.value, error.reason)]


@attrs.frozen
class ApprovalTemplate:
    """An approval form (请假, 出差 ...) described as its components.

    ``name`` is the form's name in the approval app. The process code (``PROC-...``)
    belongs to the copy of the form in one corp, so it is passed to the start call,
    not stored here. Values are keyed by component name. Empty values (None, "", an
    empty list) mean "not filled in" and are left out of the request.
    """

    name: str
    components: tuple[FormComponent, ...] = attrs.field(
        converter=_component_tuple, validator=_check_components
    )
    name_en: str = ""

    def component(self, name: str) -> FormComponent:
        """Return the component called ``name``; raise KeyError listing the names otherwise."""
        for component in self.components:
            if component.name == name:
                return component
        names = [component.name for component in self.components]
        raise KeyError(f"{self.name} has no component {name!r}; its components are {names}")

    def form_component_values(self, values: Mapping[str, object]) -> list[dict[str, str]]:
        """Build the ``formComponentValues`` list of a start request from ``values``.

        Each item is ``{"name", "value", "componentType"}`` with the value encoded as
        DingTalk takes it: JSON arrays for multi-selects, contacts and date ranges, and
        a JSON array of rows of ``{"name", "value"}`` cells for a detail table. Raises
        ValidationError naming every missing, unknown or invalid field at once.
        """
        errors: list[FieldError] = []
        known = {component.name for component in self.components}
        for name, value in values.items():
            if name not in known:
                errors.append(
                    FieldError(
                        name, value, f"is not a field of {self.name}; fields: {sorted(known)}"
                    )
                )

        items: list[dict[str, str]] = []
        for component in self.components:
            value = values.get(component.name)
            if component.is_empty(value):
                if component.required:
                    errors.append(FieldError(component.name, value, "is required"))
                continue
            try:
                encoded = component.encode(value)
            except (InvalidValue, CellErrors) as exc:
                errors.extend(_field_errors(exc))
                continue
            items.append(
                {
                    "name": component.wire_name,
                    "value": encoded,
                    "componentType": component.component_type.value,
                }
            )

        if errors:
            raise ValidationError(errors)
        return items

    def validate(self, values: Mapping[str, object]) -> None:
        """Raise ValidationError naming every missing, unknown or invalid field in ``values``."""
        self.form_component_values(values)

    def parse_form_values(self, items: Iterable[Mapping[str, Any]]) -> dict[str, object]:
        """Read an instance's ``formComponentValues`` back into Python values.

        Items are matched to components by ``name``. Items of other controls (text notes,
        fields added to the form later) are ignored, and a missing optional field reads
        as None. Select values are returned as given, even if the option has since been
        renamed. Raises ValidationError naming every missing required or malformed field.
        """
        by_wire_name = {component.wire_name: component for component in self.components}
        by_name = {component.name: component for component in self.components}

        raw: dict[str, str] = {}
        for item in items:
            item_name = str(item.get("name", ""))
            component = by_wire_name.get(item_name) or by_name.get(item_name)
            if component is None:
                continue
            value = item.get("value")
            raw[component.name] = "" if value is None else str(value)

        errors: list[FieldError] = []
        parsed: dict[str, object] = {}
        for component in self.components:
            text = raw.get(component.name, "")
            if text == "":
                if component.required:
                    errors.append(FieldError(component.name, None, "is required but missing"))
                parsed[component.name] = None
                continue
            try:
                parsed[component.name] = component.decode(text)
            except (InvalidValue, CellErrors) as exc:
                errors.extend(_field_errors(exc))

        if errors:
            raise ValidationError(errors)
        return parsed

    def form_schema(self) -> list[dict[str, Any]]:
        """Return the form's control definitions, as the form-template API describes controls."""
        return [
            component.schema(f"{component.component_type.value}_{index}")
            for index, component in enumerate(self.components, start=1)
        ]
