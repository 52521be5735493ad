"""Reading a collection template from the header of an .xlsx file an office already uses.

The first row names the columns. Types come from a second row of specs (``整数，必填``) or
from specs in brackets after the names (``户数（整数，必填，户）``); the spec words are those
of `censusdt.census.collect.specs`. The key columns (区划代码, 乡镇, 村) are recognised by
name and left out of the data columns. Without a 乡镇 column the layout is one sheet per town.
Rules are read from a sheet named 规则 (or 校验规则, Rules): one rule per cell in column A.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Iterable, Sequence

from censusdt.census.collect.records import SheetLayoutError
from censusdt.census.collect.specs import ColumnSpec, is_spec_row, parse_spec, split_header
from censusdt.census.collect.template import (
    TOWN_COLUMN,
    Column,
    Layout,
    TableTemplate,
    key_column_of,
    normalize_header,
)
from censusdt.census.collect.values import is_blank

__all__ = ["RULE_SHEET_NAMES", "read_template", "template_from_rows"]

RULE_SHEET_NAMES = ("规则", "校验规则", "审核规则", "Rules")
_RULE_HEADERS = frozenset({"规则", "校验规则", "审核规则", "rule", "rules"})


def read_template(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    sheet: str | None = None,
    layout: Layout | None = None,
    rules: Iterable[str] = (),
) -> TableTemplate:
    """Read a template from an .xlsx file: its header row, type row and rule sheet.

    ``sheet`` picks the sheet holding the header (default: the first sheet that is not a rule
    sheet). ``name`` defaults to the file name without its extension. ``rules`` are added to
    those of the rule sheet. Raises ValueError listing every bad column spec and rule.
    """
    import openpyxl

    source = pathlib.Path(path)
    workbook = openpyxl.load_workbook(source, data_only=True, read_only=True)
    try:
        rule_sheets = [ws for ws in workbook.worksheets if ws.title in RULE_SHEET_NAMES]
        candidates = [ws for ws in workbook.worksheets if ws.title not in RULE_SHEET_NAMES]
        if sheet is not None:
            candidates = [ws for ws in workbook.worksheets if ws.title == sheet]
            if not candidates:
                titles = "、".join(ws.title for ws in workbook.worksheets)
                raise SheetLayoutError(f"{source} has no sheet {sheet!r}; its sheets are {titles}")
        if not candidates:
            raise SheetLayoutError(f"{source} has no sheet with a header row")

        rows = [tuple(row) for row in candidates[0].iter_rows(max_row=2, values_only=True)]
        sheet_rules = [
            str(row[0]).strip()
            for ws in rule_sheets
            for row in ws.iter_rows(min_col=1, max_col=1, values_only=True)
            if not is_blank(row[0]) and normalize_header(row[0]).lower() not in _RULE_HEADERS
        ]
    finally:
        workbook.close()

    return template_from_rows(
        name or source.stem,
        rows,
        rules=[*sheet_rules, *rules],
        layout=layout,
    )


def template_from_rows(
    name: str,
    rows: Sequence[Sequence[object]],
    *,
    rules: Iterable[str] = (),
    layout: Layout | None = None,
) -> TableTemplate:
    """Build a template from a header row and an optional second row of specs."""
    if not rows or all(is_blank(value) for value in rows[0]):
        raise SheetLayoutError(f"template {name!r} has no header row")

    header = rows[0]
    type_row: Sequence[object] = ()
    if len(rows) > 1 and is_spec_row(rows[1]):
        type_row = rows[1]

    columns: list[Column] = []
    has_town = False
    problems: list[str] = []
    for index, text in enumerate(header):
        if is_blank(text):
            continue
        key = key_column_of(text)
        if key is not None:
            has_town = has_town or key == TOWN_COLUMN
            continue

        column_name, bracket_spec = split_header(text)
        row_spec = parse_spec(type_row[index]) if index < len(type_row) else None
        spec = (row_spec or ColumnSpec()).merged_over(bracket_spec or ColumnSpec())
        try:
            columns.append(
                Column(
                    column_name,
                    spec.inferred_type,
                    required=bool(spec.required),
                    unit=spec.unit,
                    total_formula=spec.total_formula,
                )
            )
        except ValueError as error:
            problems.append(str(error))

    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise ValueError(f"invalid template {name!r}:\n{listed}")

    chosen = layout or (Layout.ROWS_BY_TOWN if has_town else Layout.SHEET_PER_TOWN)
    return TableTemplate.build(name, columns, rules, layout=chosen)
