"""Collection templates: the columns villages fill in, their types, and the rules they must meet."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence

import attrs

from censusdt.census.collect.rules import Rule
from censusdt.census.collect.values import ColumnType, to_ascii

__all__ = [
    "CODE_COLUMN",
    "TOWN_COLUMN",
    "TYPE_WORDS",
    "VILLAGE_COLUMN",
    "Column",
    "Layout",
    "TableTemplate",
    "column_type",
    "key_column_of",
    "normalize_header",
]

CODE_COLUMN = "区划代码"
TOWN_COLUMN = "乡镇"
VILLAGE_COLUMN = "村"

# Header texts offices use for the key columns, compared after normalize_header().
_KEY_ALIASES = {
    CODE_COLUMN: ("区划代码", "统计用区划代码", "村级区划代码", "代码", "村代码"),
    TOWN_COLUMN: ("乡镇", "乡镇街道", "乡镇/街道", "镇街", "乡镇(街道)", "街道", "镇", "乡"),
    VILLAGE_COLUMN: (
        "村",
        "村居",
        "村(居)",
        "村(社区)",
        "社区",
        "村名",
        "村居委会",
        "村(居)委会",
        "村委会",
        "居委会",
        "村/社区",
    ),
}


# Words for each column type, as a type row or a bracketed spec writes them.
TYPE_WORDS: dict[str, ColumnType] = {
    "文本": ColumnType.TEXT,
    "文字": ColumnType.TEXT,
    "text": ColumnType.TEXT,
    "整数": ColumnType.INTEGER,
    "integer": ColumnType.INTEGER,
    "int": ColumnType.INTEGER,
    "小数": ColumnType.DECIMAL,
    "数值": ColumnType.DECIMAL,
    "数字": ColumnType.DECIMAL,
    "decimal": ColumnType.DECIMAL,
    "number": ColumnType.DECIMAL,
    "百分比": ColumnType.PERCENT,
    "百分数": ColumnType.PERCENT,
    "比率": ColumnType.PERCENT,
    "percent": ColumnType.PERCENT,
    "日期": ColumnType.DATE,
    "date": ColumnType.DATE,
}


def column_type(value: ColumnType | str) -> ColumnType:
    """Return the ColumnType for a member, its value (``"integer"``) or a word such as ``整数``."""
    if isinstance(value, ColumnType):
        return value

    found = TYPE_WORDS.get(normalize_header(value).lower())
    if found is None:
        expected = "、".join(TYPE_WORDS)
        raise ValueError(f"invalid column type {value!r}: expected one of {expected}")
    return found


def normalize_header(text: object) -> str:
    """Return a header cell as compared with column names: ASCII widths, no spaces."""
    if text is None:
        return ""
    return "".join(to_ascii(str(text)).split())


def key_column_of(text: object) -> str | None:
    """Return the key column (区划代码, 乡镇 or 村) a header cell names, or None."""
    header = normalize_header(text)
    for key, aliases in _KEY_ALIASES.items():
        if header in (normalize_header(alias) for alias in aliases):
            return key
    return None


class Layout(enum.Enum):
    """The arrangement of villages in the online sheet."""

    #: One sheet, one row per village grouped by town, with 区划代码, 乡镇 and 村 pre-filled.
    ROWS_BY_TOWN = "rows_by_town"
    #: One sheet per town (named after the town), one row per village with 区划代码 and 村.
    SHEET_PER_TOWN = "sheet_per_town"

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The pre-filled columns that identify a village, in sheet order."""
        if self is Layout.ROWS_BY_TOWN:
            return (CODE_COLUMN, TOWN_COLUMN, VILLAGE_COLUMN)
        return (CODE_COLUMN, VILLAGE_COLUMN)


@attrs.frozen
class Column:
    """A column villages fill in.

    ``total_formula`` is the expression that computes the column's total for a town or the
    county from the totals of other columns, e.g. ``登记人数 / 总人口`` for a completion rate, so that
    ratios are recomputed and never averaged.
    """

    name: str
    type: ColumnType = attrs.field(default=ColumnType.TEXT, converter=column_type)
    required: bool = False
    unit: str | None = None
    total_formula: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"invalid column name {self.name!r}: expected non-empty text")
        if self.total_formula is not None and not self.type.is_numeric:
            raise ValueError(
                f"column {self.name!r} has a total formula but is {self.type.value}; "
                "only integer, decimal and percent columns have totals"
            )

    @property
    def is_summed(self) -> bool:
        """Whether the column's total is the sum of its values (counts and amounts)."""
        return self.total_formula is None and self.type in (ColumnType.INTEGER, ColumnType.DECIMAL)

    def header(self) -> str:
        """Return the header text: the name, with the unit in brackets when it has one."""
        return f"{self.name}（{self.unit}）" if self.unit else self.name


@attrs.frozen
class TableTemplate:
    """A collection table: its data columns, rules and layout.

    The key columns (区划代码, 乡镇, 村) come from the layout and are not listed in
    ``columns``. Build one with `TableTemplate.build`, which parses the rule texts, or read
    one from an .xlsx header with ``read_template``.
    """

    name: str
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()
    layout: Layout = Layout.ROWS_BY_TOWN
    total_formulas: tuple[tuple[str, Rule], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = _column_problems(self.columns, self.layout)
        by_name = {column.name: column for column in self.columns if isinstance(column, Column)}
        column_names = list(by_name)

        formulas: list[tuple[str, Rule]] = []
        for column in by_name.values():
            if column.total_formula is None:
                continue
            try:
                # A total formula is parsed as the right side of "column = formula".
                formula = Rule.parse(f"[{column.name}] = {column.total_formula}", column_names)
            except ValueError as error:
                problems.append(f"total formula of {column.name!r}: {error}")
                continue
            not_summed = [
                name for name in formula.operands[1].columns if not by_name[name].is_summed
            ]
            if not_summed:
                problems.append(
                    f"total formula of {column.name!r} uses {', '.join(not_summed)}, which are "
                    "not summed columns (integer or decimal without a formula of their own)"
                )
            formulas.append((column.name, formula))

        for rule in self.rules:
            unknown = [name for name in rule.columns if name not in by_name]
            if unknown:
                problems.append(f"rule {rule.text!r} uses unknown columns {', '.join(unknown)}")
                continue
            not_numeric = [name for name in rule.columns if not by_name[name].type.is_numeric]
            if not_numeric:
                problems.append(
                    f"rule {rule.text!r} uses {', '.join(not_numeric)}, which are not numeric "
                    "columns"
                )

        if problems:
            listed = "\n".join(f"  - {problem}" for problem in problems)
            raise ValueError(f"invalid template {self.name!r}:\n{listed}")
        object.__setattr__(self, "total_formulas", tuple(formulas))

    @classmethod
    def build(
        cls,
        name: str,
        columns: Iterable[Column],
        rules: Iterable[str | Rule] = (),
        *,
        layout: Layout = Layout.ROWS_BY_TOWN,
    ) -> TableTemplate:
        """Build a template, parsing rules written as text (``"男 + 女 = 总人口"``).

        Raises ValueError listing every bad column and rule at once.
        """
        column_tuple = tuple(columns)
        column_names = [column.name for column in column_tuple]

        parsed: list[Rule] = []
        problems: list[str] = []
        for rule in rules:
            if isinstance(rule, Rule):
                parsed.append(rule)
                continue
            try:
                parsed.append(Rule.parse(rule, column_names))
            except ValueError as error:
                problems.append(str(error))
        if problems:
            listed = "\n".join(f"  - {problem}" for problem in problems)
            raise ValueError(f"invalid template {name!r}:\n{listed}")

        return cls(name, column_tuple, tuple(parsed), layout)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The pre-filled columns of the layout."""
        return self.layout.key_columns

    @property
    def header(self) -> list[str]:
        """The header row of the sheet: key columns, then data columns with their units."""
        return [*self.key_columns, *(column.header() for column in self.columns)]

    def column(self, name: str) -> Column:
        """Return the data column called ``name``; raise KeyError naming the known columns."""
        for column in self.columns:
            if column.name == name:
                return column
        known = "、".join(column.name for column in self.columns)
        raise KeyError(f"template {self.name!r} has no column {name!r}; its columns are {known}")

    def match_header(self, text: object) -> str | None:
        """Return the key or data column a header cell names, or None.

        Accepts the name, the name with its unit (``户数（户）``), a name with a type spec in
        brackets (``户数（整数，必填）``) and common spellings of the key columns
        (``乡镇（街道）``, ``村（居）委会``).
        """
        header = normalize_header(text)
        if not header:
            return None

        key = key_column_of(header)
        if key is not None and key in self.key_columns:
            return key
        for column in self.columns:
            name = normalize_header(column.name)
            if header in (name, normalize_header(column.header())):
                return column.name
        for column in self.columns:
            name = normalize_header(column.name)
            if header.startswith(name) and header[len(name) : len(name) + 1] in ("(", "[", "【"):
                return column.name
        return None


def _column_problems(columns: Sequence[Column], layout: Layout) -> list[str]:
    problems: list[str] = []
    if not columns:
        problems.append("a template needs at least one data column")

    seen: set[str] = set()
    key_headers = {
        normalize_header(alias) for key in layout.key_columns for alias in _KEY_ALIASES[key]
    }
    for column in columns:
        header = normalize_header(column.name)
        if header in seen:
            problems.append(f"column {column.name!r} appears twice")
        if header in key_headers:
            problems.append(
                f"column {column.name!r} is a key column of the {layout.value} layout, which "
                "the template adds by itself"
            )
        seen.add(header)
    return problems
