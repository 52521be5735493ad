"""Online sheets (钉钉表格): endpoint declarations, models and range planning, no I/O.

Workbooks are documents of a knowledge-base workspace (doc_1.0 ``CreateWorkspaceDoc`` with
``docType`` ``WORKBOOK``); the workbook id is the document's ``nodeId``. Every workbook call
carries the operator's unionId in the ``operatorId`` query parameter, and DingTalk checks that
person's document permissions.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError, ValidationError
from censusdt.api.a1 import CellRange, MatrixShapeError, check_matrix_shape, parse_range

__all__ = [
    "APPEND_ROWS_MAX",
    "COLUMNS_DELETE",
    "COLUMNS_INSERT",
    "MAX_RANGE_CELLS",
    "MEMBERS_PER_CALL",
    "MEMBER_ROLES",
    "RANGE_CLEAR_DATA",
    "RANGE_FIELDS",
    "RANGE_GET",
    "RANGE_UPDATE",
    "ROWS_APPEND",
    "ROWS_DELETE",
    "ROWS_INSERT",
    "SHEETS_LIST",
    "SHEET_CREATE",
    "SHEET_DELETE",
    "SHEET_GET",
    "WORKSPACE_CREATE",
    "WORKSPACE_DOC_CREATE",
    "WORKSPACE_DOC_MEMBERS_ADD",
    "DocMember",
    "RangeValues",
    "SheetInfo",
    "SheetSummary",
    "Workspace",
    "WorkspaceDoc",
    "check_values",
    "plan_row_reads",
    "quote_path",
]

_PREFIX = "/v1.0/doc/workbooks/{workbookId}"

WORKSPACE_CREATE = Endpoint.new("POST", "/v1.0/doc/workspaces", idempotent=False)
WORKSPACE_DOC_CREATE = Endpoint.new(
    "POST", "/v1.0/doc/workspaces/{workspaceId}/docs", idempotent=False
)
WORKSPACE_DOC_MEMBERS_ADD = Endpoint.new(
    "POST", "/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}/members", idempotent=True
)
SHEET_CREATE = Endpoint.new("POST", _PREFIX + "/sheets", idempotent=False)
SHEETS_LIST = Endpoint.new("GET", _PREFIX + "/sheets", idempotent=True)
SHEET_GET = Endpoint.new("GET", _PREFIX + "/sheets/{sheetId}", idempotent=True)
SHEET_DELETE = Endpoint.new("DELETE", _PREFIX + "/sheets/{sheetId}", idempotent=True)
RANGE_GET = Endpoint.new(
    "GET", _PREFIX + "/sheets/{sheetId}/ranges/{rangeAddress}", idempotent=True
)
RANGE_UPDATE = Endpoint.new(
    "PUT", _PREFIX + "/sheets/{sheetId}/ranges/{rangeAddress}", idempotent=True
)
RANGE_CLEAR_DATA = Endpoint.new(
    "POST", _PREFIX + "/sheets/{sheetId}/ranges/{rangeAddress}/clearData", idempotent=True
)
ROWS_APPEND = Endpoint.new("POST", _PREFIX + "/sheets/{sheetId}/appendRows", idempotent=False)
ROWS_INSERT = Endpoint.new("POST", _PREFIX + "/sheets/{sheetId}/insertRowsBefore", idempotent=False)
ROWS_DELETE = Endpoint.new("POST", _PREFIX + "/sheets/{sheetId}/deleteRows", idempotent=False)
COLUMNS_INSERT = Endpoint.new(
    "POST", _PREFIX + "/sheets/{sheetId}/insertColumnsBefore", idempotent=False
)
COLUMNS_DELETE = Endpoint.new("POST", _PREFIX + "/sheets/{sheetId}/deleteColumns", idempotent=False)

#: Fields GetRange can return; ``select`` names some of them.
RANGE_FIELDS = (
    "values",
    "displayValues",
    "formulas",
    "backgroundColors",
    "fontSizes",
    "fontWeights",
    "horizontalAlignments",
    "verticalAlignments",
    "hyperlinks",
    "complexValues",
)

#: Roles a document member can get: read only, view and download, or edit.
MEMBER_ROLES = ("ONLY_VIEWER", "VIEWER", "EDITOR")
#: AddWorkspaceDocMembers takes at most 50 members per call.
MEMBERS_PER_CALL = 50

# NOTE: DingTalk publishes no hard maximum of cells per GetRange or UpdateRange; 40,000 cells
# per call is this project's assumption, and the fake enforces the same number.
MAX_RANGE_CELLS = 40_000
#: DingTalk advises at most 5,000 rows per AppendRows call; larger calls may time out.
APPEND_ROWS_MAX = 5_000


@attrs.frozen
class Workspace:
    """A knowledge-base workspace (知识库) that contains documents and workbooks."""

    workspace_id: str
    name: str
    url: str | None = None
    description: str | None = None


@attrs.frozen
class WorkspaceDoc:
    """A document created in a workspace; for a workbook, ``node_id`` is the workbook id."""

    workspace_id: str
    node_id: str
    doc_key: str | None = None
    url: str | None = None
    dentry_uuid: str | None = None


@attrs.frozen
class DocMember:
    """A person (unionId) or department (dept_id as text) given a role on a document."""

    member_id: str
    member_type: str = "USER"
    role_type: str = "EDITOR"


@attrs.frozen
class SheetSummary:
    """A sheet as GetAllSheets lists it."""

    id: str
    name: str
    visibility: str | None = None


@attrs.frozen
class SheetInfo:
    """A sheet's size and extent (GetSheet); ``last_non_empty_*`` are 0-based, -1 when empty."""

    id: str
    name: str
    visibility: str = "visible"
    row_count: int = 0
    column_count: int = 0
    last_non_empty_row: int = -1
    last_non_empty_column: int = -1
    frozen_row_count: int = 0
    frozen_column_count: int = 0


@attrs.frozen
class RangeValues:
    """The matrices GetRange returned for one range, rows by columns."""

    range: CellRange
    values: list[list[Any]] = attrs.field(factory=list)
    display_values: list[list[str]] | None = None
    formulas: list[list[str]] | None = None

    @property
    def row_count(self) -> int:
        return len(self.values)


def quote_path(value: str) -> str:
    """Percent-encode a path parameter (a sheet name may hold spaces or ``/``); keep ``:``."""
    return urllib.parse.quote(value, safe=":")


def check_values(
    range_address: str | CellRange,
    values: Sequence[Sequence[object]],
    *,
    field: str = "values",
) -> CellRange:
    """Parse the range and check the matrix shape before sending; raise ValidationError.

    DingTalk rejects an UpdateRange whose matrix does not have one row per range row and one
    element per range column, so the client refuses it first, naming the range and both shapes.
    """
    try:
        cell_range = (
            range_address if isinstance(range_address, CellRange) else parse_range(range_address)
        )
    except ValueError as error:
        raise ValidationError([FieldError("range_address", range_address, str(error))]) from None

    try:
        check_matrix_shape(cell_range, values)
    except MatrixShapeError as error:
        expected_rows, expected_columns = cell_range.shape
        expected = f"{_dim(expected_rows)}x{_dim(expected_columns)}"
        got = f"{error.rows}x{_dim(error.columns)}"
        reason = (
            f"matrix of shape {got} does not fit range {cell_range} of shape {expected}: {error}"
        )
        raise ValidationError([FieldError(field, _short(values), reason)]) from None

    cells = sum(len(row) for row in values)
    if cells > MAX_RANGE_CELLS:
        raise ValidationError(
            [
                FieldError(
                    field,
                    _short(values),
                    f"{cells} cells exceed {MAX_RANGE_CELLS} per call; split range {cell_range}",
                )
            ]
        )
    return cell_range


def plan_row_reads(
    first_row: int,
    last_row: int,
    column_count: int,
    *,
    max_cells: int = MAX_RANGE_CELLS,
) -> list[CellRange]:
    """Split rows ``first_row..last_row`` (0-based) × ``column_count`` into the fewest ranges.

    Each range contains whole rows and at most ``max_cells`` cells, so the number of ranges is
    ``ceil(rows / floor(max_cells / columns))``, the minimum for row-aligned reads.
    """
    if column_count < 1:
        raise ValueError(f"column_count must be at least 1, got {column_count}")
    if last_row < first_row:
        return []

    rows_per_call = max(1, max_cells // column_count)
    ranges = []
    top = first_row
    while top <= last_row:
        bottom = min(last_row, top + rows_per_call - 1)
        ranges.append(CellRange.rectangle(top, 0, bottom, column_count - 1))
        top = bottom + 1
    return ranges


def _dim(value: int | None) -> str:
    return "*" if value is None else str(value)


def _short(values: object) -> object:
    text = repr(values)
    return text if len(text) <= 80 else text[:77] + "..."
