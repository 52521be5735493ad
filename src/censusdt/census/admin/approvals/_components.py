"""Approval form components and the string encoding of their values in formComponentValues."""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import attrs

from censusdt.timeutil import SHANGHAI, as_shanghai

__all__ = ["ComponentType", "DateUnit", "FormComponent", "InvalidValue"]

DateUnit = Literal["day", "hour"]

# Every component value is a string of at most 65535 characters. For a TableField the
# limit covers the whole JSON text of all rows.
MAX_VALUE_LENGTH = 65535

_DATE_FORMATS = {"day": "%Y-%m-%d", "hour": "%Y-%m-%d %H:%M"}
_DATE_PATTERNS = {
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "hour": re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"),
}
# The form designer's names for the two date units: 天 (day) and 小时 (hour).
_DATE_UNIT_LABELS = {"day": "天", "hour": "小时"}
_DATE_FORMAT_LABELS = {"day": "yyyy-MM-dd", "hour": "yyyy-MM-dd HH:mm"}


class ComponentType(str, enum.Enum):
    """DingTalk approval form control types (``componentType``) that templates here use."""

    TEXT = "TextField"
    TEXTAREA = "TextareaField"
    NUMBER = "NumberField"
    MONEY = "MoneyField"
    SELECT = "DDSelectField"
    MULTI_SELECT = "DDMultiSelectField"
    DATE = "DDDateField"
    DATE_RANGE = "DDDateRangeField"
    CONTACT = "InnerContactField"
    TABLE = "TableField"


_OPTION_TYPES = {ComponentType.SELECT, ComponentType.MULTI_SELECT}
_DATE_TYPES = {ComponentType.DATE, ComponentType.DATE_RANGE}


class InvalidValue(ValueError):
    """A component value that cannot be encoded or decoded; ``path`` names the cell."""

    def __init__(self, path: str, value: object, reason: str) -> None:
        super().__init__(f"{path}={value!r}: {reason}")
        self.path = path
        self.value = value
        self.reason = reason


def _check_options(
    component: FormComponent, _: attrs.Attribute[Any], options: tuple[str, ...]
) -> None:
    if component.component_type in _OPTION_TYPES and not options:
        raise ValueError(f"{component.name}: a {component.component_type.value} needs options")
    if component.component_type not in _OPTION_TYPES and options:
        raise ValueError(f"{component.name}: only select fields take options")
    if len(set(options)) != len(options):
        raise ValueError(f"{component.name}: options {options!r} contain duplicates")


def _check_columns(
    component: FormComponent, _: attrs.Attribute[Any], columns: tuple[FormComponent, ...]
) -> None:
    is_table = component.component_type is ComponentType.TABLE
    if is_table and not columns:
        raise ValueError(f"{component.name}: a TableField needs columns")
    if not is_table and columns:
        raise ValueError(f"{component.name}: only a TableField takes columns")
    for column in columns:
        if column.component_type is ComponentType.TABLE:
            raise ValueError(f"{component.name}: a TableField cannot contain a TableField")
    names = [column.name for column in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"{component.name}: column names {names!r} contain duplicates")


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _component_tuple(values: Iterable[FormComponent]) -> tuple[FormComponent, ...]:
    return tuple(values)


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    return False


@attrs.frozen
class FormComponent:
    """One control of an approval form, as the form designer defines it.

    ``name`` is the control's label, which formComponentValues must repeat exactly,
    and the key of its value in Python. A DDDateRangeField's label on the wire is the
    JSON array of ``range_labels`` (e.g. ``["开始时间","结束时间"]``). ``date_unit``
    chooses ``yyyy-MM-dd`` (day) or ``yyyy-MM-dd HH:mm`` (hour) for date controls.
    A TableField (明细) contains ``columns``.
    """

    name: str = attrs.field(validator=attrs.validators.min_len(1))
    component_type: ComponentType = attrs.field(converter=ComponentType)
    required: bool = False
    options: tuple[str, ...] = attrs.field(
        default=(), converter=_str_tuple, validator=_check_options
    )
    unit: str = ""
    date_unit: DateUnit = attrs.field(
        default="day", validator=attrs.validators.in_(tuple(_DATE_FORMATS))
    )
    range_labels: tuple[str, str] = ("开始时间", "结束时间")
    columns: tuple[FormComponent, ...] = attrs.field(
        default=(), converter=_component_tuple, validator=_check_columns
    )

    @property
    def wire_name(self) -> str:
        """The ``name`` sent in formComponentValues."""
        if self.component_type is ComponentType.DATE_RANGE:
            return _compact_json(list(self.range_labels))
        return self.name

    def is_empty(self, value: object) -> bool:
        """Return whether ``value`` means "not filled in" (None, "", or an empty list)."""
        return _is_empty(value)

    def encode(self, value: object, path: str | None = None) -> str:
        """Encode a filled-in Python value as the string DingTalk takes.

        Raises InvalidValue naming ``path`` (the component name by default).
        """
        path = path or self.name
        encoded = _ENCODERS[self.component_type](self, value, path)
        if len(encoded) > MAX_VALUE_LENGTH:
            raise InvalidValue(
                path,
                f"<{len(encoded)} characters>",
                f"the encoded value is longer than DingTalk's {MAX_VALUE_LENGTH} characters",
            )
        return encoded

    def decode(self, text: str, path: str | None = None) -> object:
        """Decode a value string from an instance into its Python value (None when empty)."""
        path = path or self.name
        if text == "":
            return None
        return _DECODERS[self.component_type](self, text, path)

    def schema(self, component_id: str) -> dict[str, Any]:
        """Return the control definition (``componentType`` and ``props``) of a form template."""
        props: dict[str, Any] = {
            "componentId": component_id,
            "label": self.wire_name,
            "required": self.required,
        }
        if self.options:
            props["options"] = [
                {"value": option, "key": f"option_{index}"}
                for index, option in enumerate(self.options)
            ]
        if self.unit:
            props["unit"] = self.unit
        if self.component_type in _DATE_TYPES:
            props["unit"] = _DATE_UNIT_LABELS[self.date_unit]
            props["format"] = _DATE_FORMAT_LABELS[self.date_unit]

        definition: dict[str, Any] = {"componentType": self.component_type.value, "props": props}
        if self.columns:
            definition["children"] = [
                column.schema(f"{component_id}_{index}")
                for index, column in enumerate(self.columns)
            ]
        return definition


def _compact_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _load_json(text: str, path: str, expected: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise InvalidValue(path, text, f"is not a JSON {expected}") from None


# --- encoders: Python value -> wire string -------------------------------------------


def _encode_text(component: FormComponent, value: object, path: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(path, value, "expected text (str)")
    return value


def _to_decimal(value: object, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise InvalidValue(path, value, "expected a number (int or Decimal)")
    try:
        # A float goes through repr() so that 0.1 becomes Decimal("0.1"), not its binary value.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise InvalidValue(path, value, "is not a number") from None
    if not number.is_finite():
        raise InvalidValue(path, value, "must be a finite number")
    return number


def _encode_number(component: FormComponent, value: object, path: str) -> str:
    return format(_to_decimal(value, path), "f")


def _encode_select(component: FormComponent, value: object, path: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(path, value, "expected one option (str)")
    if value not in component.options:
        raise InvalidValue(
            path, value, f"is not an option; choose one of {list(component.options)}"
        )
    return value


def _string_list(value: object, path: str, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidValue(path, value, f"expected a list of {what}")
    items = list(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise InvalidValue(path, value, f"every item must be a non-empty {what} string")
    return items


def _encode_multi_select(component: FormComponent, value: object, path: str) -> str:
    items = _string_list(value, path, "options")
    unknown = [item for item in items if item not in component.options]
    if unknown:
        raise InvalidValue(
            path, value, f"{unknown} are not options; choose from {list(component.options)}"
        )
    if len(set(items)) != len(items):
        raise InvalidValue(path, value, "contains an option twice")
    # DingTalk takes a JSON array even for a single choice.
    return _compact_json(items)


def _encode_contacts(component: FormComponent, value: object, path: str) -> str:
    return _compact_json(_string_list(value, path, "userId"))


def _format_date(component: FormComponent, value: object, path: str) -> str:
    if component.date_unit == "day":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InvalidValue(path, value, "expected a date (this field records days)")
        return value.isoformat()

    if not isinstance(value, datetime):
        raise InvalidValue(path, value, "expected an aware datetime (this field records hours)")
    try:
        local = as_shanghai(value)
    except ValueError as exc:
        raise InvalidValue(path, value, str(exc)) from None
    if local.second or local.microsecond:
        raise InvalidValue(
            path, value, "has seconds, but the form keeps minutes; use value.replace(second=0)"
        )
    return local.strftime(_DATE_FORMATS["hour"])


def _encode_date(component: FormComponent, value: object, path: str) -> str:
    return _format_date(component, value, path)


def _encode_date_range(component: FormComponent, value: object, path: str) -> str:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
        raise InvalidValue(path, value, "expected a (start, end) pair")
    start_text = _format_date(component, value[0], f"{path}[start]")
    end_text = _format_date(component, value[1], f"{path}[end]")
    if end_text < start_text:
        raise InvalidValue(path, value, "the end is before the start")
    return _compact_json([start_text, end_text])


def _encode_table(component: FormComponent, value: object, path: str) -> str:
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise InvalidValue(path, value, "expected a list of rows (one mapping per row)")

    errors: list[InvalidValue] = []
    rows: list[list[dict[str, str]]] = []
    for index, row in enumerate(value, start=1):
        row_path = f"{path}[{index}]"
        if not isinstance(row, Mapping):
            errors.append(InvalidValue(row_path, row, "expected a mapping of column name to value"))
            continue
        try:
            rows.append(_encode_row(component, row, row_path))
        except CellErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise CellErrors(errors)
    return _compact_json(rows)


class CellErrors(ValueError):
    """Several invalid table cells, collected so that every one is reported."""

    def __init__(self, errors: Sequence[InvalidValue]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = list(errors)


def _encode_row(
    component: FormComponent, row: Mapping[str, object], row_path: str
) -> list[dict[str, str]]:
    errors: list[InvalidValue] = []
    known = {column.name for column in component.columns}
    for name in row:
        if name not in known:
            errors.append(
                InvalidValue(
                    f"{row_path}.{name}", row[name], f"is not a column of {component.name}"
                )
            )

    if all(_is_empty(row.get(column.name)) for column in component.columns):
        errors.append(InvalidValue(row_path, dict(row), "the row is empty; remove it"))
        raise CellErrors(errors)

    cells: list[dict[str, str]] = []
    for column in component.columns:
        cell_path = f"{row_path}.{column.name}"
        cell = row.get(column.name)
        if _is_empty(cell):
            if column.required:
                errors.append(InvalidValue(cell_path, cell, "is required"))
            cells.append({"name": column.wire_name, "value": ""})
            continue
        try:
            cells.append({"name": column.wire_name, "value": column.encode(cell, cell_path)})
        except InvalidValue as exc:
            errors.append(exc)
    if errors:
        raise CellErrors(errors)
    return cells


_ENCODERS = {
    ComponentType.TEXT: _encode_text,
    ComponentType.TEXTAREA: _encode_text,
    ComponentType.NUMBER: _encode_number,
    ComponentType.MONEY: _encode_number,
    ComponentType.SELECT: _encode_select,
    ComponentType.MULTI_SELECT: _encode_multi_select,
    ComponentType.DATE: _encode_date,
    ComponentType.DATE_RANGE: _encode_date_range,
    ComponentType.CONTACT: _encode_contacts,
    ComponentType.TABLE: _encode_table,
}


# --- decoders: wire string -> Python value -------------------------------------------


def _decode_text(component: FormComponent, text: str, path: str) -> object:
    return text


def _decode_number(component: FormComponent, text: str, path: str) -> object:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidValue(path, text, "is not a number") from None
    if not number.is_finite():
        raise InvalidValue(path, text, "is not a finite number")
    return number


def _decode_string_list(component: FormComponent, text: str, path: str) -> object:
    items = _load_json(text, path, "array of strings")
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise InvalidValue(path, text, "is not a JSON array of strings")
    return tuple(items)


def _parse_date_text(component: FormComponent, text: str, path: str) -> date | datetime:
    unit = component.date_unit
    if not _DATE_PATTERNS[unit].fullmatch(text):
        # A day field may be read from an instance whose template used hours, and the
        # reverse; accept the other format rather than lose the value.
        other: DateUnit = "hour" if unit == "day" else "day"
        if not _DATE_PATTERNS[other].fullmatch(text):
            raise InvalidValue(path, text, f"is not in the form {_DATE_FORMAT_LABELS[unit]}")
        unit = other
    try:
        parsed = datetime.strptime(text, _DATE_FORMATS[unit])
    except ValueError as exc:
        raise InvalidValue(path, text, f"is not a valid date: {exc}") from None
    if unit == "day":
        return parsed.date()
    return parsed.replace(tzinfo=SHANGHAI)


def _decode_date(component: FormComponent, text: str, path: str) -> object:
    return _parse_date_text(component, text.strip(), path)


def _decode_date_range(component: FormComponent, text: str, path: str) -> object:
    items = _load_json(text, path, "array")
    # Instances may append the duration and its unit after the two dates.
    if not isinstance(items, list) or len(items) < 2:
        raise InvalidValue(path, text, "is not a JSON array of a start and an end")
    if not isinstance(items[0], str) or not isinstance(items[1], str):
        raise InvalidValue(path, text, "the start and end must be strings")
    start = _parse_date_text(component, items[0], f"{path}[start]")
    end = _parse_date_text(component, items[1], f"{path}[end]")
    return (start, end)


def _table_rows(text: str, path: str) -> list[list[Mapping[str, Any]]]:
    data = _load_json(text, path, "array of rows")
    if not isinstance(data, list):
        raise InvalidValue(path, text, "is not a JSON array of rows")

    rows: list[list[Mapping[str, Any]]] = []
    for index, row in enumerate(data, start=1):
        # Start requests send each row as a list of {"name", "value"} cells.
        # NOTE: instance details have also been seen with rows as
        # {"rowValue": [{"label", "value", "key"}]}; that shape is accepted too, but it
        # is not in the API documentation read for this module.
        cells = row
        if isinstance(row, Mapping) and isinstance(row.get("rowValue"), list):
            cells = row["rowValue"]
        if not isinstance(cells, list) or not all(isinstance(cell, Mapping) for cell in cells):
            raise InvalidValue(f"{path}[{index}]", row, "is not a list of cells")
        rows.append(cells)
    return rows


def _decode_table(component: FormComponent, text: str, path: str) -> object:
    by_name = {column.wire_name: column for column in component.columns}
    errors: list[InvalidValue] = []
    decoded: list[dict[str, object]] = []

    for index, cells in enumerate(_table_rows(text, path), start=1):
        row: dict[str, object] = {column.name: None for column in component.columns}
        for cell in cells:
            cell_name = cell.get("name", cell.get("label"))
            column = by_name.get(str(cell_name))
            if column is None:
                continue
            cell_text = cell.get("value")
            if cell_text is None:
                continue
            cell_path = f"{path}[{index}].{column.name}"
            try:
                row[column.name] = column.decode(str(cell_text), cell_path)
            except InvalidValue as exc:
                errors.append(exc)
        decoded.append(row)

    if errors:
        raise CellErrors(errors)
    return tuple(decoded)


_DECODERS = {
    ComponentType.TEXT: _decode_text,
    ComponentType.TEXTAREA: _decode_text,
    ComponentType.NUMBER: _decode_number,
    ComponentType.MONEY: _decode_number,
    ComponentType.SELECT: _decode_text,
    ComponentType.MULTI_SELECT: _decode_string_list,
    ComponentType.DATE: _decode_date,
    ComponentType.DATE_RANGE: _decode_date_range,
    ComponentType.CONTACT: _decode_string_list,
    ComponentType.TABLE: _decode_table,
}
