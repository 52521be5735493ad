"""Normalisation of roster cells as Excel and people write them: numbers, widths, spaces, prefixes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "CellError",
    "cell_text",
    "normalize_code",
    "normalize_email",
    "normalize_identifier",
    "normalize_mobile",
    "normalize_name",
    "split_values",
]

# Characters that Excel, web forms and chat apps leave in cells without anyone seeing them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, for digits, letters, '+', '-', '@' and '.' typed
# with a Chinese input method. Names are left alone: NFKC would also rewrite CJK compatibility
# ideographs, which changes how some people's names are written.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20

# Separators between several values in one cell: 、 , ， ； ; and line breaks (Alt+Enter in Excel).
_VALUE_SEPARATORS = re.compile(r"[、,，；;\r\n]+")

_DASHES = re.compile(r"[-‐‑‒–—―−()\s]")
_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
_INTEGER_WITH_ZERO_FRACTION = re.compile(r"(\d+)\.0+")
_SCIENTIFIC = re.compile(r"(\d)(?:\.(\d+))?[eE]\+?(\d+)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}·•])\s+(?=[{_CJK}·•])")

# In a column of default width, Excel's General format shows a long number as 1.38001E+10, with 6
# significant digits, and a CSV saved from Excel keeps only what was shown. So a mantissa with fewer
# digits than this has lost some.
_MIN_SCIENTIFIC_DIGITS = 7


class CellError(ValueError):
    """A cell that cannot be normalised; ``reason`` is an ``IssueReason`` value name."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def cell_text(value: object) -> str:
    """Return a cell as text: integral floats lose their ``.0``; invisible characters are removed.

    openpyxl returns numbers for cells that Excel stored as numbers (a mobile typed without a
    leading apostrophe arrives as ``13800138000`` or ``13800138000.0``).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).translate(_INVISIBLE).strip()


def split_values(text: str) -> list[str]:
    """Split a cell with several values, dropping empty parts and repeats, in first-seen order."""
    values: list[str] = []
    for part in _VALUE_SEPARATORS.split(text):
        value = part.strip()
        if value and value not in values:
            values.append(value)
    return values


def _ascii(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip().lstrip("'").strip()


def _integer_digits(text: str) -> str:
    """Return the digits of a number written as text, undoing what Excel does to long numbers.

    ``13800138000.0`` and ``1.38001380E10`` become ``13800138000``. Raises CellError("digits_lost")
    for scientific notation with too few significant digits to be exact (``1.38E+10``).
    """
    match = _INTEGER_WITH_ZERO_FRACTION.fullmatch(text)
    if match:
        return match.group(1)

    match = _SCIENTIFIC.fullmatch(text)
    if not match:
        return text
    significant = match.group(1) + (match.group(2) or "")
    if len(significant) < _MIN_SCIENTIFIC_DIGITS:
        raise CellError("digits_lost")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if number != number.to_integral_value():
        return text
    return str(int(number))


def normalize_mobile(value: object) -> str:
    """Return a mainland mobile number as 11 digits, or raise CellError.

    Accepts numbers stored by Excel, full-width digits, spaces (including no-break spaces),
    dashes and brackets inside the number, a leading apostrophe, and the +86 / 0086 / 86 prefix.
    Raises CellError with reason ``missing``, ``digits_lost`` or ``invalid``.
    """
    text = _ascii(cell_text(value))
    if not text:
        raise CellError("missing")

    text = _integer_digits(text)
    text = _DASHES.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]

    # NOTE: only mainland numbers are accepted; +852/+853/+886 numbers (which DingTalk takes as
    # "+xx-xxxxxx") are rejected because census staff register with mainland numbers.
    if not _MAINLAND_MOBILE.fullmatch(text):
        raise CellError("invalid")
    return text


def normalize_code(value: object) -> str:
    """Return a 12-digit division code, or raise CellError.

    Undoes Excel's numbers (``370783001001.0``, ``3.70783001001E+11``), strips a leading
    apostrophe and spaces, and pads the short 6-digit county and 9-digit town forms with zeros.
    Raises CellError with reason ``missing``, ``digits_lost`` or ``invalid``.
    """
    text = _ascii(cell_text(value))
    if not text:
        raise CellError("missing")

    text = re.sub(r"\s+", "", text)
    text = _integer_digits(text)
    if not text.isdigit():
        raise CellError("invalid")
    if len(text) in (6, 9):
        text = text.ljust(12, "0")
    if len(text) != 12:
        raise CellError("invalid")
    return text


def normalize_identifier(value: object) -> str:
    """Return a job number (工号) or similar identifier: ASCII widths, no apostrophe, no ``.0``."""
    text = _ascii(cell_text(value))
    return _INTEGER_WITH_ZERO_FRACTION.sub(r"\1", text) if text else ""


def normalize_email(value: object) -> str:
    """Return an e-mail address with ASCII widths and no spaces, or raise CellError("invalid")."""
    text = re.sub(r"\s+", "", _ascii(cell_text(value)))
    if not text:
        return ""
    if not _EMAIL.fullmatch(text):
        raise CellError("invalid")
    return text


def normalize_name(value: object) -> str:
    """Return a person's name with the padding removed.

    Two-character names are often padded to three with a full-width space (张　三) so that columns
    line up. Spaces between Chinese characters are removed, and other runs of spaces become one.
    """
    text = cell_text(value)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()
