"""Tests for the rule grammar: parsing as offices write rules, errors, and checking values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.census.collect.rules import Rule, RuleSyntaxError

COLUMNS = ["户数", "男", "女", "总人口", "总人口数", "完成率", "登记人数", "0-14岁人口"]


def check(text: str, **values: str) -> bool | None:
    rule = Rule.parse(text, COLUMNS)
    result = rule.check({name: Decimal(value) for name, value in values.items()})
    return None if result is None else result.passed


@pytest.mark.parametrize(
    ("text", "operators", "columns"),
    [
        ("户数 ≥ 0", ("≥",), ("户数",)),
        ("户数 >= 0", ("≥",), ("户数",)),
        ("户数＞＝0", ("≥",), ("户数",)),
        ("男 + 女 = 总人口", ("=",), ("男", "女", "总人口")),
        ("男+女==总人口", ("=",), ("男", "女", "总人口")),
        ("完成率 <= 100%", ("≤",), ("完成率",)),
        ("完成率 ≤ 100%", ("≤",), ("完成率",)),
        ("登记人数 <= 总人口", ("≤",), ("登记人数", "总人口")),
        ("户数 ≠ 0", ("≠",), ("户数",)),
        ("户数 != 0", ("≠",), ("户数",)),
        ("户数 <> 0", ("≠",), ("户数",)),
        ("0 ≤ 完成率 ≤ 100%", ("≤", "≤"), ("完成率",)),
        ("完成率 = 登记人数 / 总人口", ("=",), ("完成率", "登记人数", "总人口")),
        ("完成率 = 登记人数 ÷ 总人口 × 1", ("=",), ("完成率", "登记人数", "总人口")),
        ("总人口数 > 总人口", (">",), ("总人口数", "总人口")),
        ("0-14岁人口 <= 总人口", ("≤",), ("0-14岁人口", "总人口")),
        ("[户数] > 0", (">",), ("户数",)),
        ("【户数】 > 0", (">",), ("户数",)),
        ("(男 + 女) * 2 >= 总人口", ("≥",), ("男", "女", "总人口")),
    ],
)
def test_rules_parse(text: str, operators: tuple[str, ...], columns: tuple[str, ...]) -> None:
    rule = Rule.parse(text, COLUMNS)

    assert rule.operators == operators
    assert rule.columns == columns
    assert rule.text == text
    assert str(rule) == text


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("", "the rule is empty", 0),
        ("户数", "has no comparison", 2),
        ("户数 >", "expected a number or a column name", 4),
        ("户口 > 0", "unknown column '户口'", 0),
        ("(户数 > 0", "expected a closing bracket )", 4),
        ("户数 + > 1", "expected a number or a column name", 5),
        ("户数 > 0 0", "expected an operator", 7),
        ("[户口] > 0", "unknown column '户口'", 0),
        ("[户数 > 0", "expected a closing ]", 0),
        ("户数 > 1.2.3", "is not a number", 5),
    ],
)
def test_rule_errors_name_position(text: str, fragment: str, position: int) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        Rule.parse(text, COLUMNS)

    assert fragment in str(caught.value)
    assert caught.value.position == position
    assert repr(text) in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_unknown_column_lists_known_columns() -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        Rule.parse("户口 > 0", COLUMNS)

    assert "总人口" in str(caught.value)


def test_rule_checks() -> None:
    assert check("户数 ≥ 0", 户数="0") is True
    assert check("户数 ≥ 0", 户数="-3") is False
    assert check("男 + 女 = 总人口", 男="120", 女="130", 总人口="250") is True
    assert check("男 + 女 = 总人口", 男="120", 女="130", 总人口="240") is False
    assert check("完成率 <= 100%", 完成率="1") is True
    assert check("完成率 <= 100%", 完成率="1.01") is False
    assert check("0 ≤ 完成率 ≤ 100%", 完成率="-0.01") is False
    assert check("户数 ≠ 0", 户数="0") is False
    assert check("户数 > -1", 户数="0") is True


def test_rule_with_absent_column_is_skipped() -> None:
    assert check("男 + 女 = 总人口", 男="1", 女="2") is None


def test_rule_dividing_by_zero_is_skipped() -> None:
    assert check("完成率 = 登记人数 / 总人口", 完成率="0", 登记人数="0", 总人口="0") is None


def test_ratio_equality_uses_typed_precision() -> None:
    # 1280 / 1500 = 0.85333…; typed as 85%, 85.3% or 85.33% it matches at that precision.
    assert check("完成率 = 登记人数 / 总人口", 完成率="0.85", 登记人数="1280", 总人口="1500")
    assert check("完成率 = 登记人数 / 总人口", 完成率="0.853", 登记人数="1280", 总人口="1500")
    assert check("完成率 = 登记人数 / 总人口", 完成率="0.8533", 登记人数="1280", 总人口="1500")
    assert not check("完成率 = 登记人数 / 总人口", 完成率="0.86", 登记人数="1280", 总人口="1500")
    assert not check("完成率 = 登记人数 / 总人口", 完成率="0.852", 登记人数="1280", 总人口="1500")


def test_failure_reports_both_sides() -> None:
    rule = Rule.parse("男 + 女 = 总人口", COLUMNS)

    result = rule.check({"男": Decimal(120), "女": Decimal(130), "总人口": Decimal(240)})

    assert result is not None
    assert result.failure is not None
    assert result.failure.left.text == "男 + 女"
    assert result.failure.left_value == 250
    assert result.failure.right.text == "总人口"
    assert result.failure.right_value == 240


def test_chained_rule_reports_failing_pair() -> None:
    rule = Rule.parse("0 ≤ 完成率 ≤ 100%", COLUMNS)

    result = rule.check({"完成率": Decimal("1.2")})

    assert result is not None
    assert result.failure is not None
    assert result.failure.operator == "≤"
    assert result.failure.left.text == "完成率"
    assert result.failure.right_value == 1


small = st.integers(min_value=-1000, max_value=1000)


@given(small, small, small)
def test_sum_rule_matches_python(a: int, b: int, c: int) -> None:
    assert check("男 + 女 = 总人口", 男=str(a), 女=str(b), 总人口=str(c)) == (a + b == c)
    assert check("男 - 女 < 总人口", 男=str(a), 女=str(b), 总人口=str(c)) == (a - b < c)
    assert check("男 * 女 >= 总人口", 男=str(a), 女=str(b), 总人口=str(c)) == (a * b >= c)
    assert check("-男 ≠ (女 - 总人口)", 男=str(a), 女=str(b), 总人口=str(c)) == (-a != b - c)


@given(small, small, small)
def test_precedence_matches_python(a: int, b: int, c: int) -> None:
    expected = a + b * c - (a - b) * 2
    rule = Rule.parse("男 + 女 * 总人口 - (男 - 女) * 2 = 户数", COLUMNS)

    result = rule.check(
        {"男": Decimal(a), "女": Decimal(b), "总人口": Decimal(c), "户数": Decimal(expected)}
    )

    assert result is not None
    assert result.passed
