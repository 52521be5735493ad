"""Tests for reading typed cell values: numbers, percentages and dates as people write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.census.collect.values import ColumnType, ValueProblem, is_blank, parse_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", Decimal(120)),
        ("１２０", Decimal(120)),
        (" 1 234 ", Decimal(1234)),
        ("1,234", Decimal(1234)),
        ("1，234", Decimal(1234)),
        ("1,234,567", Decimal(1234567)),
        ("120户", Decimal(120)),
        ("120 户", Decimal(120)),
        ("12.0", Decimal(12)),
        (12, Decimal(12)),
        (12.0, Decimal(12)),
        ("-3", Decimal(-3)),
        ("＋5", Decimal(5)),
    ],
)
def test_integer_forms(value: object, expected: Decimal) -> None:
    assert parse_value(ColumnType.INTEGER, value, unit="户") == expected


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("12.5", "not_an_integer"),
        (12.5, "not_an_integer"),
        ("abc", "not_a_number"),
        ("1,23", "not_a_number"),
        ("12人", "not_a_number"),
        ("一百", "not_a_number"),
        (True, "not_a_number"),
        (float("nan"), "not_a_number"),
    ],
)
def test_integer_problems(value: object, kind: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_value(ColumnType.INTEGER, value, unit="户")

    assert caught.value.kind == kind
    assert caught.value.value is value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3.50", Decimal("3.50")),
        ("1,234.5", Decimal("1234.5")),
        (0.1, Decimal("0.1")),
        ("1e3", Decimal("1e3")),
        ("85。5", Decimal("85.5")),
    ],
)
def test_decimal_forms(value: object, expected: Decimal) -> None:
    result = parse_value(ColumnType.DECIMAL, value)

    assert result == expected


def test_decimal_keeps_typed_places() -> None:
    result = parse_value(ColumnType.DECIMAL, "3.50")

    assert isinstance(result, Decimal)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("85%", Decimal("0.85")),
        ("85 ％", Decimal("0.85")),
        ("85.3%", Decimal("0.853")),
        ("0.85", Decimal("0.85")),
        (0.85, Decimal("0.85")),
        ("85", Decimal("0.85")),
        (85, Decimal("0.85")),
        ("100%", Decimal(1)),
        ("1", Decimal(1)),
        ("0", Decimal(0)),
    ],
)
def test_percent_forms(value: object, expected: Decimal) -> None:
    assert parse_value(ColumnType.PERCENT, value) == expected


@pytest.mark.parametrize("value", ["x%", "百分之八十", "%", "85%%"])
def test_percent_problems(value: str) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_value(ColumnType.PERCENT, value)

    assert caught.value.kind == "invalid_percent"


@pytest.mark.parametrize(
    "value",
    [
        "2020年11月1日",
        "2020年11月1号",
        "2020 年 11 月 1 日",
        "２０２０年１１月１日",
        "2020-11-01",
        "2020-11-1",
        "2020/11/1",
        "2020.11.1",
        "20201101",
        "2020-11-01 00:00:00",
        "二〇二〇年十一月一日",
        "二零二零年十一月一日",
        dt.date(2020, 11, 1),
        dt.datetime(2020, 11, 1, 8, 30),
        44136,
        44136.0,
    ],
)
def test_date_forms(value: object) -> None:
    assert parse_value(ColumnType.DATE, value) == dt.date(2020, 11, 1)


def test_chinese_date_with_tens() -> None:
    assert parse_value(ColumnType.DATE, "二〇二〇年十二月三十一日") == dt.date(2020, 12, 31)
    assert parse_value(ColumnType.DATE, "二〇二一年二月二十日") == dt.date(2021, 2, 20)


@pytest.mark.parametrize("value", ["2020-13-01", "2020年2月30日", "11月1日", "明天", 12, "2020"])
def test_date_problems(value: object) -> None:
    with pytest.raises(ValueProblem) as caught:
        parse_value(ColumnType.DATE, value)

    assert caught.value.kind == "invalid_date"


def test_text_is_stripped_and_kept() -> None:
    assert parse_value(ColumnType.TEXT, "  城里居委会\u200b ") == "城里居委会"
    assert parse_value(ColumnType.TEXT, 12.0) == "12"


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\u200b"])
def test_blank_values(value: object) -> None:
    assert is_blank(value)


@pytest.mark.parametrize("value", [0, "0", " x ", 0.0])
def test_non_blank_values(value: object) -> None:
    assert not is_blank(value)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integer_with_separators_round_trips(number: int) -> None:
    grouped = f"{number:,}"
    full_width = grouped.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})

    assert parse_value(ColumnType.INTEGER, grouped) == number
    assert parse_value(ColumnType.INTEGER, full_width) == number
    assert parse_value(ColumnType.INTEGER, f" {number} ") == number


@given(st.integers(min_value=0, max_value=10000), st.integers(min_value=0, max_value=2))
def test_percent_text_and_fraction_agree(points: int, places: int) -> None:
    fraction = Decimal(points).scaleb(-2 - places)
    percent_text = f"{Decimal(points).scaleb(-places)}%"

    assert parse_value(ColumnType.PERCENT, percent_text) == fraction
    if fraction <= 1:
        assert parse_value(ColumnType.PERCENT, str(fraction)) == fraction
