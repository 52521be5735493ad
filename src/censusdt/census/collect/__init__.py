"""Collaborative tables: templates villages fill in, validation, totals by town, .xlsx export."""

from censusdt.census.collect.aggregate import GroupTotals, Summary, UnfinishedVillage, aggregate
from censusdt.census.collect.export import SHEET_NAMES, export_xlsx
from censusdt.census.collect.records import (
    Record,
    SheetLayoutError,
    Village,
    blank_sheets,
    records_from_form_instances,
    records_from_grid,
    records_from_sheets,
    records_from_xlsx,
    to_records,
    villages_from_divisions,
)
from censusdt.census.collect.rules import Rule, RuleSyntaxError
from censusdt.census.collect.template import (
    CODE_COLUMN,
    TOWN_COLUMN,
    VILLAGE_COLUMN,
    Column,
    Layout,
    TableTemplate,
)
from censusdt.census.collect.template_file import read_template, template_from_rows
from censusdt.census.collect.validate import Violation, ViolationKind, validate
from censusdt.census.collect.values import ColumnType, ValueProblem, parse_value

__all__ = [
    "CODE_COLUMN",
    "SHEET_NAMES",
    "TOWN_COLUMN",
    "VILLAGE_COLUMN",
    "Column",
    "ColumnType",
    "GroupTotals",
    "Layout",
    "Record",
    "Rule",
    "RuleSyntaxError",
    "SheetLayoutError",
    "Summary",
    "TableTemplate",
    "UnfinishedVillage",
    "ValueProblem",
    "Village",
    "Violation",
    "ViolationKind",
    "aggregate",
    "blank_sheets",
    "export_xlsx",
    "parse_value",
    "read_template",
    "records_from_form_instances",
    "records_from_grid",
    "records_from_sheets",
    "records_from_xlsx",
    "template_from_rows",
    "to_records",
    "validate",
    "villages_from_divisions",
]
