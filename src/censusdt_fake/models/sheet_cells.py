"""Cells of the fake's sheets: what typed text becomes, and the checked per-cell properties."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from censusdt_fake.models.sheet_errors import InvalidInputArgs
from censusdt_fake.models.sheet_formats import GENERAL, TEXT, CellValue, display_text

__all__ = [
    "PROPERTY_DEFAULTS",
    "PROPERTY_FIELDS",
    "Cell",
    "CellValue",
    "check_property",
    "entered_value",
]

# Text that a sheet reads as a number when typed into a General cell: 12, -3.5, .5, 1e5, 007.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

# Spreadsheets keep 15 significant digits, so a longer number (an ID card number) stays text.
_MAX_SIGNIFICANT_DIGITS = 15


@dataclass
class Cell:
    """One cell: its value or formula, its number format and its other properties.

    ``value`` is None for an empty cell. ``properties`` maps an UpdateRange field name
    (``backgroundColors``, ``fontSizes``, …) to this cell's element of that matrix.
    """

    value: CellValue | None = None
    formula: str | None = None
    number_format: str = GENERAL
    properties: dict[str, object] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Whether the cell has neither a value nor a formula (formats do not count)."""
        return self.value is None and self.formula is None

    @property
    def is_blank(self) -> bool:
        """Whether the cell has no content and no format, so the grid need not keep it."""
        return self.is_empty and self.number_format == GENERAL and not self.properties

    def enter(self, typed: CellValue | None) -> None:
        """Store ``typed`` as a person typing it into the cell would; None leaves the cell as it is."""
        if typed is None:
            return

        value, formula = entered_value(typed, self.number_format)
        self.value = value
        self.formula = formula

    def clear_content(self) -> None:
        """Remove the value and formula, keeping formats (ClearData)."""
        self.value = None
        self.formula = None

    def shown_value(self) -> CellValue:
        """Return this cell's element of GetRange ``values``."""
        # NOTE: DingTalk returns a formula's computed result here; the fake evaluates no
        # formulas, so it returns the formula text instead.
        if self.formula is not None:
            return self.formula
        return "" if self.value is None else self.value

    def display_value(self) -> str:
        """Return this cell's ``displayValues`` element: the value under its number format."""
        if self.formula is not None:
            return self.formula
        if self.value is None:
            return ""
        return display_text(self.value, self.number_format)

    def formula_text(self) -> str:
        """Return this cell's ``formulas`` element: the formula, else the value, else ``""``."""
        if self.formula is not None:
            return self.formula
        if self.value is None:
            return ""
        if isinstance(self.value, bool):
            return "TRUE" if self.value else "FALSE"
        return display_text(self.value, GENERAL)


def entered_value(typed: CellValue, number_format: str) -> tuple[CellValue | None, str | None]:
    """Return ``(value, formula)`` for ``typed`` entered into a cell of ``number_format``.

    Text beginning with ``=`` becomes a formula. In a cell not formatted as text (``@``), text
    that reads as a number becomes a number, so ``"007"`` is stored as 7, as spreadsheets do.
    ``""`` empties the cell.
    """
    # NOTE: DingTalk does not document whether UpdateRange reads formulas and numbers out of
    # text values. The fake stores what a person typing the text would get.
    if isinstance(typed, bool):
        return typed, None
    if isinstance(typed, (int, float)):
        if number_format == TEXT:
            return display_text(typed, GENERAL), None
        return typed, None

    if typed == "":
        return None, None
    if typed.startswith("=") and len(typed) > 1:
        return None, typed
    if number_format == TEXT or not _NUMBER.fullmatch(typed):
        return typed, None

    digits = typed.lstrip("+-").split("e")[0].split("E")[0].replace(".", "").lstrip("0")
    if len(digits) > _MAX_SIGNIFICANT_DIGITS:
        return typed, None
    if _INTEGER.fullmatch(typed):
        return int(typed), None
    return float(typed), None


def _check_colour(value: object) -> object:
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value):
        raise InvalidInputArgs(f"Invalid color: {value!r}, expected a hex color such as #ff0000")
    return value.lower()


def _check_font_size(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 409:
        raise InvalidInputArgs(f"Invalid font size: {value!r}, expected an integer from 1 to 409")
    return value


def _choice(*allowed: str) -> Callable[[object], object]:
    def check(value: object) -> object:
        if value not in allowed:
            raise InvalidInputArgs(
                f"Invalid value: {value!r}, expected one of {', '.join(allowed)}"
            )
        return value

    return check


def _check_hyperlink(value: object) -> object:
    if (
        not isinstance(value, dict)
        or value.get("type") not in ("path", "sheet", "range")
        or not isinstance(value.get("link"), str)
        or not isinstance(value.get("text", ""), str)
    ):
        raise InvalidInputArgs(
            f"Invalid hyperlink: {value!r}, expected {{type: path|sheet|range, link, text}}"
        )
    return {"type": value["type"], "link": value["link"], "text": value.get("text", "")}


def _any_value(value: object) -> object:
    return value


# UpdateRange matrices other than ``values``, each with the check of one element.
_PROPERTY_CHECKS: dict[str, Callable[[object], object]] = {
    "backgroundColors": _check_colour,
    "fontColors": _check_colour,
    "fontSizes": _check_font_size,
    "fontWeights": _choice("bold", "normal"),
    "horizontalAlignments": _choice("left", "center", "right", "general"),
    "verticalAlignments": _choice("top", "middle", "bottom"),
    "hyperlinks": _check_hyperlink,
    "complexValues": _any_value,
}
PROPERTY_FIELDS = frozenset(_PROPERTY_CHECKS)

# Property values GetRange reports for a cell where the property was never set.
# NOTE: DingTalk does not document the properties of an unstyled cell, so these are guesses.
PROPERTY_DEFAULTS: dict[str, object] = {
    "backgroundColors": "#ffffff",
    "fontColors": "#000000",
    "fontSizes": 10,
    "fontWeights": "normal",
    "horizontalAlignments": "general",
    "verticalAlignments": "middle",
    "hyperlinks": None,
    "complexValues": None,
}


def check_property(name: str, value: object) -> object:
    """Return the stored form of one element of UpdateRange's ``name`` matrix, or raise 400."""
    check = _PROPERTY_CHECKS.get(name)
    if check is None:
        raise InvalidInputArgs(f"Unknown cell property: {name}")
    return check(value)
