"""Column specs written in a spreadsheet: ``整数，必填，单位：户`` in a type row or in brackets.

A spec is a list of words separated by ``,`` ``;`` or ``、`` (full-width forms too):

- a type: 文本 / 整数 / 小数 (数值, 数字) / 百分比 (百分数, 比率) / 日期, or text, integer,
  decimal, percent, date;
- 必填 (required) or 选填 (可选, 非必填, optional);
- a unit: ``单位：户`` or a bare unit word such as 户, 人, 元, %;
- a total formula: ``汇总：登记人数/总人口`` (also ``汇总=…``, ``total=…``).

A header cell may carry its spec in brackets after the name: ``户数（整数，必填，户）``,
``完成率【百分比；汇总=登记人数/总人口】``. A bracket holding anything else stays part of the
name (``村（居）``). Without a type, the unit decides: ``%`` makes a percent column, a count
unit (人, 户, 个, …) an integer column and an amount unit (元, 亩, …) a decimal column. With
neither, the column is text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from censusdt.census.collect.template import TYPE_WORDS, normalize_header
from censusdt.census.collect.values import ColumnType, is_blank, strip_invisible, to_ascii

__all__ = ["ColumnSpec", "is_spec_row", "parse_spec", "split_header"]

_REQUIRED_WORDS = {"必填": True, "必须": True, "required": True}
_OPTIONAL_WORDS = {"选填": False, "可选": False, "非必填": False, "optional": False}
_COUNT_UNITS = frozenset({"人", "户", "个", "名", "家", "次", "处", "套", "间", "栋", "幢"})
_AMOUNT_UNITS = frozenset({"元", "万元", "亩", "平方米", "公顷", "天", "岁", "公里"})
_PERCENT_UNITS = frozenset({"%"})

_SEPARATORS = re.compile(r"[,;、]")
_KEYED = re.compile(r"(单位|unit|汇总|合计|total)\s*[:=]\s*(.+)", re.IGNORECASE)
_BRACKETED = re.compile(r"(.+?)\s*[(\[【](.+)[)\]】]")


@attrs.frozen
class ColumnSpec:
    """The column properties a spec sets, with None for each property it leaves open."""

    type: ColumnType | None = None
    required: bool | None = None
    unit: str | None = None
    total_formula: str | None = None

    @property
    def inferred_type(self) -> ColumnType:
        """The type given, else the one the unit implies, else text."""
        if self.type is not None:
            return self.type
        if self.unit in _PERCENT_UNITS:
            return ColumnType.PERCENT
        if self.unit in _COUNT_UNITS:
            return ColumnType.INTEGER
        if self.unit in _AMOUNT_UNITS:
            return ColumnType.DECIMAL
        return ColumnType.TEXT

    def merged_over(self, other: ColumnSpec) -> ColumnSpec:
        """Return this spec with the gaps filled from ``other``."""
        return ColumnSpec(
            self.type if self.type is not None else other.type,
            self.required if self.required is not None else other.required,
            self.unit if self.unit is not None else other.unit,
            self.total_formula if self.total_formula is not None else other.total_formula,
        )


def parse_spec(text: object) -> ColumnSpec | None:
    """Parse a spec, or return None when ``text`` is not one (every word must be understood)."""
    if not isinstance(text, str):
        return None
    words = [word.strip() for word in _SEPARATORS.split(to_ascii(text))]
    words = [word for word in words if word]
    if not words:
        return None

    spec = ColumnSpec()
    for word in words:
        parsed = _parse_word(word)
        if parsed is None:
            return None
        spec = parsed.merged_over(spec)
    return spec


def _parse_word(word: str) -> ColumnSpec | None:
    lowered = normalize_header(word).lower()
    if lowered in TYPE_WORDS:
        return ColumnSpec(type=TYPE_WORDS[lowered])
    if lowered in _REQUIRED_WORDS:
        return ColumnSpec(required=True)
    if lowered in _OPTIONAL_WORDS:
        return ColumnSpec(required=False)
    if lowered in _COUNT_UNITS | _AMOUNT_UNITS | _PERCENT_UNITS:
        return ColumnSpec(unit=lowered)

    keyed = _KEYED.fullmatch(word)
    if keyed is None:
        return None
    key, value = keyed.group(1).lower(), keyed.group(2).strip()
    if key in ("单位", "unit"):
        return ColumnSpec(unit=value)
    return ColumnSpec(total_formula=value)


def is_spec_row(row: Sequence[object]) -> bool:
    """Return whether every filled cell of ``row`` is a spec, so the row is a type row."""
    filled = [value for value in row if not is_blank(value)]
    return bool(filled) and all(parse_spec(value) is not None for value in filled)


def split_header(text: object) -> tuple[str, ColumnSpec | None]:
    """Split ``户数（整数，必填）`` into the name and its spec; other headers keep their text."""
    header = "" if text is None else strip_invisible(str(text)).strip()
    match = _BRACKETED.fullmatch(to_ascii(header))
    if match is None:
        return header, None

    spec = parse_spec(match.group(2))
    if spec is None:
        return header, None
    # The name keeps its original characters; only the bracketed part is dropped.
    return header[: len(match.group(1))].strip(), spec
