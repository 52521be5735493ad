"""Validation rules as census offices write them ("男 + 女 = 总人口"), parsed without eval.

Grammar (after full-width characters become ASCII)::

    rule       := expression (comparison expression)+
    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/" | "×" | "÷") factor)*
    factor     := "-" factor | "(" expression ")" | number ["%"] | column
    comparison := "=" | "==" | "≠" | "!=" | "<>" | "<" | "≤" | "<=" | ">" | "≥" | ">="

A column is a template column name, matched longest first, or any text in ``[...]``,
``【...】`` or ``「...」``. Chained comparisons (``0 ≤ 完成率 ≤ 100%``) hold when every pair holds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation

import attrs

from censusdt.census.collect.values import to_ascii

__all__ = ["Comparison", "Expression", "Rule", "RuleCheck", "RuleSyntaxError"]

_COMPARISONS = {
    "==": "=",
    "=": "=",
    "!=": "≠",
    "<>": "≠",
    "≠": "≠",
    "<=": "≤",
    "=<": "≤",
    "≤": "≤",
    "≦": "≤",
    ">=": "≥",
    "=>": "≥",
    "≥": "≥",
    "≧": "≥",
    "<": "<",
    ">": ">",
}
_ARITHMETIC = {"+": "+", "-": "-", "*": "*", "×": "*", "/": "/", "÷": "/"}
_BRACKETS = {"[": "]", "【": "】", "「": "」"}
_DIGITS = "0123456789"
_INVISIBLE_TO_SPACE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), " ")
# Places kept when both sides of "=" come from a division and neither has a typed precision.
_INEXACT_PLACES = 10


class RuleSyntaxError(ValueError):
    """A rule that cannot be parsed; the message names the rule, the position and the fix."""

    def __init__(self, text: str, position: int, problem: str) -> None:
        pointer = f"{text[:position]}▶{text[position:]}"
        super().__init__(f"invalid rule {text!r}: {problem} at position {position} ({pointer})")
        self.text = text
        self.position = position
        self.problem = problem


@attrs.frozen
class _Quantity:
    """A computed number and the decimal places it is exact to (None after a division)."""

    value: Decimal
    places: int | None


@attrs.frozen
class Expression:
    """One side of a comparison: its source text, the columns it uses, and how to compute it."""

    text: str
    columns: tuple[str, ...]
    _compute: Callable[[Mapping[str, Decimal]], _Quantity] = attrs.field(repr=False, eq=False)

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal | None:
        """Return the value for ``values``, or None if a column is absent or a divisor is zero."""
        quantity = self._quantity(values)
        return None if quantity is None else quantity.value

    def _quantity(self, values: Mapping[str, Decimal]) -> _Quantity | None:
        if any(column not in values for column in self.columns):
            return None
        try:
            return self._compute(values)
        except (DivisionByZero, InvalidOperation):
            return None


@attrs.frozen
class Comparison:
    """One comparison of a rule that failed, with both sides computed."""

    left: Expression
    operator: str
    right: Expression
    left_value: Decimal
    right_value: Decimal


@attrs.frozen
class RuleCheck:
    """The outcome of checking one rule on one row: whether it holds, and the first failure."""

    passed: bool
    failure: Comparison | None = None


@attrs.frozen
class Rule:
    """A parsed rule: its text as written, its operands and comparison operators."""

    text: str
    operands: tuple[Expression, ...]
    operators: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the rule uses, in order of first appearance."""
        seen: dict[str, None] = {}
        for operand in self.operands:
            seen.update(dict.fromkeys(operand.columns))
        return tuple(seen)

    @classmethod
    def parse(cls, text: str, columns: Collection[str]) -> Rule:
        """Parse ``text`` against the known column names; raise RuleSyntaxError if it is bad."""
        return _Parser(text, columns).parse_rule()

    def check(self, values: Mapping[str, Decimal]) -> RuleCheck | None:
        """Check the rule on one row's numbers; None if it cannot be computed.

        A rule cannot be computed when a column it uses is absent from ``values`` (blank or
        invalid, which validation reports on its own) or when it divides by zero.
        ``=`` compares a computed ratio at the precision typed on the other side, so
        ``85.3%`` equals 1280 / 1500 (85.333…%).
        """
        quantities = [operand._quantity(values) for operand in self.operands]
        known = [quantity for quantity in quantities if quantity is not None]
        if len(known) != len(quantities):
            return None

        for index, operator in enumerate(self.operators):
            left, right = known[index], known[index + 1]
            if not _holds(left, operator, right):
                failure = Comparison(
                    self.operands[index],
                    operator,
                    self.operands[index + 1],
                    left.value,
                    right.value,
                )
                return RuleCheck(passed=False, failure=failure)
        return RuleCheck(passed=True)

    def __str__(self) -> str:
        return self.text


def _holds(left: _Quantity, operator: str, right: _Quantity) -> bool:
    if operator in ("=", "≠"):
        equal = _equal(left, right)
        return equal if operator == "=" else not equal

    comparisons: dict[str, Callable[[Decimal, Decimal], bool]] = {
        "<": lambda a, b: a < b,
        "≤": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        "≥": lambda a, b: a >= b,
    }
    return comparisons[operator](left.value, right.value)


def _equal(left: _Quantity, right: _Quantity) -> bool:
    """Compare exactly, or round an inexact side to the places of the other side."""
    if left.places is not None and right.places is not None:
        return left.value == right.value

    known_places = [q.places for q in (left, right) if q.places is not None]
    places = min(known_places) if known_places else _INEXACT_PLACES
    step = Decimal(1).scaleb(-places)
    return left.value.quantize(step, ROUND_HALF_UP) == right.value.quantize(step, ROUND_HALF_UP)


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


Compute = Callable[[Mapping[str, Decimal]], _Quantity]


class _Parser:
    """Recursive-descent parser over the characters of one rule."""

    def __init__(self, text: str, columns: Collection[str]) -> None:
        # Positions in the ASCII text must match the original, so nothing may be deleted.
        self.original = text.translate(_INVISIBLE_TO_SPACE)
        self.text = to_ascii(self.original)
        assert len(self.text) == len(self.original)
        self.position = 0
        # Longest names first, so "总人口数" is not read as "总人口" followed by "数".
        self.columns = sorted(
            {to_ascii(name).strip(): name for name in columns}.items(),
            key=lambda item: len(item[0]),
            reverse=True,
        )
        self.used: list[str] = []

    def parse_rule(self) -> Rule:
        self._skip_spaces()
        if self.position == len(self.text):
            raise self._error("the rule is empty, write a comparison such as 户数 >= 0")

        operands = [self._operand()]
        operators: list[str] = []
        while True:
            operator = self._comparison()
            if operator is None:
                break
            operators.append(operator)
            operands.append(self._operand())

        self._skip_spaces()
        if self.position != len(self.text):
            raise self._error("expected an operator or a comparison (=, ≥, ≤, >, <, ≠)")
        if not operators:
            raise self._error("the rule has no comparison (=, ≥, ≤, >, <, ≠)")
        return Rule(self.original.strip(), tuple(operands), tuple(operators))

    def _operand(self) -> Expression:
        self._skip_spaces()
        start = self.position
        self.used = []
        compute = self._expression()
        text = self.original[start : self.position].strip()
        return Expression(text, tuple(dict.fromkeys(self.used)), compute)

    def _expression(self) -> Compute:
        compute = self._term()
        while True:
            self._skip_spaces()
            operator = self._peek_arithmetic(("+", "-"))
            if operator is None:
                return compute
            self.position += 1
            compute = _combine(compute, operator, self._term())

    def _term(self) -> Compute:
        compute = self._factor()
        while True:
            self._skip_spaces()
            operator = self._peek_arithmetic(("*", "/"))
            if operator is None:
                return compute
            self.position += 1
            compute = _combine(compute, operator, self._factor())

    def _factor(self) -> Compute:
        self._skip_spaces()
        if self.position == len(self.text):
            raise self._error("expected a number or a column name")

        character = self.text[self.position]
        if character == "-":
            self.position += 1
            inner = self._factor()
            return lambda values: _negate(inner(values))
        if character == "(":
            self.position += 1
            inner = self._expression()
            self._skip_spaces()
            if not self.text.startswith(")", self.position):
                raise self._error("expected a closing bracket )")
            self.position += 1
            return inner
        # Names first: "0-14岁人口" is a column, not 0 minus 14.
        known = self._known_column()
        if known is not None:
            return known
        if character in _DIGITS or character == ".":
            return self._number()
        return self._column()

    def _number(self) -> Compute:
        start = self.position
        while self.position < len(self.text) and self.text[self.position] in _DIGITS + ".":
            self.position += 1
        literal = self.text[start : self.position]
        try:
            number = Decimal(literal)
        except InvalidOperation:
            self.position = start
            raise self._error(f"{literal!r} is not a number") from None

        if self.text.startswith("%", self.position):
            self.position += 1
            number = number.scaleb(-2)
        quantity = _Quantity(number, _places(number))
        return lambda values: quantity

    def _column(self) -> Compute:
        closing = _BRACKETS.get(self.text[self.position])
        if closing is not None:
            end = self.text.find(closing, self.position + 1)
            if end < 0:
                raise self._error(f"expected a closing {closing} after the column name")
            written = self.text[self.position + 1 : end].strip()
            name = dict(self.columns).get(written)
            if name is None:
                raise self._unknown_column(written)
            self.position = end + 1
            return self._reference(name)

        end = self.position
        stop = set(" ()%") | set(_ARITHMETIC) | {c for op in _COMPARISONS for c in op}
        while end < len(self.text) and self.text[end] not in stop:
            end += 1
        if end == self.position:
            raise self._error("expected a number or a column name")
        raise self._unknown_column(self.text[self.position : end])

    def _known_column(self) -> Compute | None:
        for written, name in self.columns:
            if written and self.text.startswith(written, self.position):
                self.position += len(written)
                return self._reference(name)
        return None

    def _reference(self, name: str) -> Compute:
        self.used.append(name)

        def compute(values: Mapping[str, Decimal]) -> _Quantity:
            number = values[name]
            return _Quantity(number, _places(number))

        return compute

    def _comparison(self) -> str | None:
        self._skip_spaces()
        for written in sorted(_COMPARISONS, key=len, reverse=True):
            if self.text.startswith(written, self.position):
                self.position += len(written)
                return _COMPARISONS[written]
        return None

    def _peek_arithmetic(self, kinds: Sequence[str]) -> str | None:
        if self.position >= len(self.text):
            return None
        operator = _ARITHMETIC.get(self.text[self.position])
        return operator if operator in kinds else None

    def _skip_spaces(self) -> None:
        while self.position < len(self.text) and self.text[self.position].isspace():
            self.position += 1

    def _unknown_column(self, name: str) -> RuleSyntaxError:
        known = "、".join(original for _, original in sorted(self.columns, key=lambda c: c[1]))
        return self._error(f"unknown column {name!r}, expected one of: {known}")

    def _error(self, problem: str) -> RuleSyntaxError:
        return RuleSyntaxError(self.original, self.position, problem)


def _combine(left: Compute, operator: str, right: Compute) -> Compute:
    def compute(values: Mapping[str, Decimal]) -> _Quantity:
        a, b = left(values), right(values)
        if operator == "+":
            return _Quantity(a.value + b.value, _sum_places(a, b))
        if operator == "-":
            return _Quantity(a.value - b.value, _sum_places(a, b))
        if operator == "*":
            places = None if a.places is None or b.places is None else a.places + b.places
            return _Quantity(a.value * b.value, places)
        if b.value == 0:
            raise DivisionByZero
        return _Quantity(a.value / b.value, None)

    return compute


def _sum_places(a: _Quantity, b: _Quantity) -> int | None:
    if a.places is None or b.places is None:
        return None
    return max(a.places, b.places)


def _negate(quantity: _Quantity) -> _Quantity:
    return _Quantity(-quantity.value, quantity.places)
