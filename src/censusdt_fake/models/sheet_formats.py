"""Number formats of the fake's sheets: how a cell value turns into its display text."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["GENERAL", "NUMBER_FORMATS", "TEXT", "display_text"]

GENERAL = "General"
TEXT = "@"

# The numberFormat values UpdateRange documents, with DingTalk's examples: 1,234 / 12.34% /
# 1.01E+03 / ¥1,234.56 / 2022年1月1日 / 2022/1/1 00:00:00.
# NOTE: DingTalk may accept other Excel format codes; the fake rejects anything not listed.
NUMBER_FORMATS = frozenset(
    {
        GENERAL,
        TEXT,
        "#,##0",
        "#,##0.00",
        "0%",
        "0.00%",
        "0.00E+00",
        "¥#,##0",
        "¥#,##0.00",
        "$#,##0",
        "$#,##0.00",
        "yyyy/m/d",
        "yyyy年m月d日",
        "yyyy年m月",
        "hh:mm:ss",
        "yyyy/m/d hh:mm:ss",
    }
)

# Serial numbers count days from 1899-12-30, as Excel's 1900 date system does for every date
# after 1900-02-28.
_SERIAL_EPOCH = datetime.datetime(1899, 12, 30)

CellValue = str | int | float | bool


def display_text(value: CellValue, number_format: str) -> str:
    """Render ``value`` as the sheet shows it under ``number_format``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    if number_format in (GENERAL, TEXT):
        return _general(value)

    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number_format.endswith("%"):
        places = 2 if number_format == "0.00%" else 0
        return f"{_round(amount * 100, places):f}%"
    if number_format == "0.00E+00":
        return _scientific(amount)
    if number_format.startswith(("#", "¥", "$")):
        return _grouped(amount, number_format)
    return _date_time(float(value), number_format)


def _general(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if isinstance(value, int) else repr(value)


def _round(amount: Decimal, places: int) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _grouped(amount: Decimal, number_format: str) -> str:
    symbol = number_format[0] if number_format[0] in "¥$" else ""
    places = 2 if number_format.endswith(".00") else 0
    rounded = _round(abs(amount), places)
    sign = "-" if amount < 0 and rounded != 0 else ""
    return f"{sign}{symbol}{rounded:,.{places}f}"


def _scientific(amount: Decimal) -> str:
    if amount == 0:
        return "0.00E+00"

    exponent = amount.copy_abs().adjusted()
    mantissa = _round(amount.scaleb(-exponent), 2)
    if abs(mantissa) >= 10:
        exponent += 1
        mantissa = _round(amount.scaleb(-exponent), 2)
    sign = "-" if exponent < 0 else "+"
    return f"{mantissa:f}E{sign}{abs(exponent):02d}"


def _date_time(serial: float, number_format: str) -> str:
    moment = _SERIAL_EPOCH + datetime.timedelta(days=serial)
    # Round to whole seconds the way a sheet shows them.
    moment = (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)

    date_part = {
        "yyyy/m/d": f"{moment.year}/{moment.month}/{moment.day}",
        "yyyy年m月d日": f"{moment.year}年{moment.month}月{moment.day}日",
        "yyyy年m月": f"{moment.year}年{moment.month}月",
        "hh:mm:ss": "",
        "yyyy/m/d hh:mm:ss": f"{moment.year}/{moment.month}/{moment.day}",
    }[number_format]
    if "hh" not in number_format:
        return date_part

    clock = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{date_part} {clock}" if date_part else clock
