"""Reading cell values as people type them: numbers, percentages and dates in Chinese forms."""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "ColumnType",
    "ValueProblem",
    "is_blank",
    "parse_value",
    "strip_invisible",
    "to_ascii",
]


class ColumnType(enum.Enum):
    """The kind of value a collection column takes."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"

    @property
    def is_numeric(self) -> bool:
        """Whether values of this type are numbers that rules and totals can use."""
        return self in (ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.PERCENT)


class ValueProblem(ValueError):
    """A non-blank value that does not fit its column type; ``kind`` names the problem.

    ``kind`` is one of ``not_a_number``, ``not_an_integer``, ``invalid_percent`` and
    ``invalid_date``, the values of the matching `ViolationKind` members.
    """

    def __init__(self, kind: str, value: object) -> None:
        super().__init__(f"{kind}: {value!r}")
        self.kind = kind
        self.value = value


# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as a Chinese input method types
# them. NFKC would also do this but rewrites CJK compatibility ideographs in names.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
# Characters that spreadsheets and chat apps leave in cells without anyone seeing them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_OTHER_MARKS = {ord("，"): ",", ord("。"): ".", ord("－"): "-", ord("—"): "-", ord("−"): "-"}

_SPACES = re.compile(r"\s+")
# 1234, -1234.5, 1,234,567.89, .5; thousands separators only in groups of three.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+")
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+")

# Days from this date give a spreadsheet serial number (the 1900 system after 1900-02-28).
_SERIAL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers from 1900-03-01 to 2099-12-31 are taken as dates; others are not dates.
_SERIAL_RANGE = (61, 73050)

_CHINESE_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "O": 0,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
# 二〇二〇年十一月一日; the year digit by digit, month and day as numbers (十一, 二十一).
_CHINESE_DATE = re.compile(
    r"([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]"
)
_DATE_PATTERNS = (
    # 2020年11月1日, 2020年11月1号, 2020 年 11 月 1 日 (spaces already removed)
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    # 2020-11-01, 2020/11/1, 2020.11.1, 2020-11-01 00:00:00 (the time is ignored)
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    # 20201101
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def strip_invisible(text: str) -> str:
    """Return ``text`` without zero-width characters and byte-order marks."""
    return text.translate(_INVISIBLE)


def to_ascii(text: str) -> str:
    """Return ``text`` with full-width ASCII, Chinese commas and invisible characters replaced."""
    return text.translate(_INVISIBLE).translate(_FULL_WIDTH).translate(_OTHER_MARKS)


def is_blank(value: object) -> bool:
    """Return whether a cell counts as empty: None, ``""`` or only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not to_ascii(value).strip()
    return False


def parse_value(
    column_type: ColumnType, value: object, *, unit: str | None = None
) -> Decimal | str | dt.date:
    """Return the value of a non-blank cell for ``column_type``, or raise ValueProblem.

    Numbers come back as Decimal, keeping the decimal places as typed. Accepted forms:
    full-width digits, spaces, thousands separators (``1,234`` and ``1，234``), the column's
    unit after the number (``120户``), and numbers that sheets and openpyxl return as int or
    float. A percent column takes ``85%`` and ``0.85`` as 0.85; a bare number above 1 is read
    as percent points, so ``85`` is also 0.85. A date column takes ``2020年11月1日``,
    ``2020-11-01``, ``2020/11/1``, ``2020.11.1``, ``20201101``, ``二〇二〇年十一月一日``,
    date and datetime objects, and spreadsheet serial numbers.
    """
    if column_type is ColumnType.TEXT:
        return _text(value)
    if column_type is ColumnType.DATE:
        return _date(value)

    if column_type is ColumnType.PERCENT:
        return _percent(value, unit)

    number = _number(value, unit)
    if number is None:
        raise ValueProblem("not_a_number", value)
    if column_type is ColumnType.INTEGER:
        if number != number.to_integral_value():
            raise ValueProblem("not_an_integer", value)
        return number.quantize(Decimal(1))
    return number


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return strip_invisible(str(value)).strip()


def _cleaned(value: object) -> str:
    """Return a typed number as ASCII text without spaces."""
    return _SPACES.sub("", to_ascii(str(value)))


def _number(value: object, unit: str | None) -> Decimal | None:
    """Return the number in ``value``, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: 0.85, not 0.8499…
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if not isinstance(value, str):
        return None

    text = _cleaned(value)
    if unit:
        text = text.removesuffix(_cleaned(unit))
    if _NUMBER.fullmatch(text) or _SCIENTIFIC.fullmatch(text):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    return None


def _percent(value: object, unit: str | None) -> Decimal:
    text = _cleaned(value) if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        number = _number(text[:-1], None)
        if number is None:
            raise ValueProblem("invalid_percent", value)
        return number.scaleb(-2)

    number = _number(value, None if unit == "%" else unit)
    if number is None:
        raise ValueProblem("invalid_percent", value)
    if abs(number) > 1:
        return number.scaleb(-2)
    return number


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _SERIAL_EPOCH + dt.timedelta(days=int(value))
        raise ValueProblem("invalid_date", value)
    if not isinstance(value, str):
        raise ValueProblem("invalid_date", value)

    text = _SPACES.sub("", to_ascii(value))
    text = _arabic_date(text)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueProblem("invalid_date", value) from None
    raise ValueProblem("invalid_date", value)


def _arabic_date(text: str) -> str:
    """Turn ``二〇二〇年十一月一日`` into ``2020年11月1日``; other text comes back unchanged."""
    match = _CHINESE_DATE.fullmatch(text)
    if match is None:
        return text

    year = "".join(str(_CHINESE_DIGITS[character]) for character in match.group(1))
    month = _chinese_number(match.group(2))
    day = _chinese_number(match.group(3))
    if month is None or day is None:
        return text
    return f"{year}年{month}月{day}日"


def _chinese_number(text: str) -> int | None:
    """Read 一 to 三十一 written in Chinese numerals; None for anything else."""
    if "十" not in text:
        return _CHINESE_DIGITS.get(text) if len(text) == 1 else None

    tens_text, _, units_text = text.partition("十")
    tens = 1 if not tens_text else _CHINESE_DIGITS.get(tens_text)
    units = 0 if not units_text else _CHINESE_DIGITS.get(units_text)
    if tens is None or units is None or len(tens_text) > 1 or len(units_text) > 1:
        return None
    return tens * 10 + units
