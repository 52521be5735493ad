"""Typed calls for online sheets: workspaces, workbooks, sheets and A1 ranges."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._converters import new_converter
from censusdt._errors import FieldError, ValidationError
from censusdt.api.a1 import CellRange, parse_range
from censusdt.api.sheets import (
    APPEND_ROWS_MAX,
    COLUMNS_DELETE,
    COLUMNS_INSERT,
    MEMBER_ROLES,
    MEMBERS_PER_CALL,
    RANGE_CLEAR_DATA,
    RANGE_FIELDS,
    RANGE_GET,
    RANGE_UPDATE,
    ROWS_APPEND,
    ROWS_DELETE,
    ROWS_INSERT,
    SHEET_CREATE,
    SHEET_DELETE,
    SHEET_GET,
    SHEETS_LIST,
    WORKSPACE_CREATE,
    WORKSPACE_DOC_CREATE,
    WORKSPACE_DOC_MEMBERS_ADD,
    DocMember,
    RangeValues,
    SheetInfo,
    SheetSummary,
    Workspace,
    WorkspaceDoc,
    check_values,
    quote_path,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncSheets"]


class AsyncSheets:
    """Online sheets (钉钉表格) as ``operator_id``, a unionId whose permissions DingTalk checks."""

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client

    # Workspaces and workbooks.

    async def create_workspace(
        self, name: str, *, operator_id: str, description: str | None = None
    ) -> Workspace:
        """Create a knowledge-base workspace to hold workbooks (doc_1.0 CreateWorkspace)."""
        body: dict[str, Any] = {"name": name, "operatorId": operator_id}
        if description is not None:
            body["description"] = description
        result = await self._client.request(WORKSPACE_CREATE, json=body)
        return new_converter.structure(result, Workspace)

    async def create_workbook(
        self,
        workspace_id: str,
        name: str,
        *,
        operator_id: str,
        parent_node_id: str | None = None,
    ) -> WorkspaceDoc:
        """Create an online sheet in a workspace; its ``node_id`` is the workbook id."""
        body: dict[str, Any] = {"name": name, "docType": "WORKBOOK", "operatorId": operator_id}
        if parent_node_id is not None:
            body["parentNodeId"] = parent_node_id
        result = await self._client.request(
            WORKSPACE_DOC_CREATE, json=body, path_params={"workspaceId": workspace_id}
        )
        return new_converter.structure(result, WorkspaceDoc)

    async def add_members(
        self,
        workspace_id: str,
        node_id: str,
        members: Sequence[DocMember],
        *,
        operator_id: str,
    ) -> None:
        """Share a document with people or departments, 50 members per call."""
        errors = [
            FieldError(f"members[{index}].role_type", member.role_type, f"expected {MEMBER_ROLES}")
            for index, member in enumerate(members)
            if member.role_type not in MEMBER_ROLES
        ]
        errors += [
            FieldError(f"members[{index}].member_type", member.member_type, "expected USER or DEPT")
            for index, member in enumerate(members)
            if member.member_type not in ("USER", "DEPT")
        ]
        if errors:
            raise ValidationError(errors)

        for start in range(0, len(members), MEMBERS_PER_CALL):
            chunk = members[start : start + MEMBERS_PER_CALL]
            await self._client.request(
                WORKSPACE_DOC_MEMBERS_ADD,
                json={
                    "operatorId": operator_id,
                    "members": [new_converter.unstructure(member) for member in chunk],
                },
                path_params={"workspaceId": workspace_id, "nodeId": node_id},
            )

    # Sheets.

    async def create_sheet(self, workbook_id: str, name: str, *, operator_id: str) -> SheetSummary:
        """Add a sheet; DingTalk renames a duplicate name instead of failing."""
        result = await self._client.request(
            SHEET_CREATE,
            params={"operatorId": operator_id},
            json={"name": name},
            path_params=self._workbook(workbook_id),
        )
        return new_converter.structure(result, SheetSummary)

    async def list_sheets(self, workbook_id: str, *, operator_id: str) -> list[SheetSummary]:
        """List the workbook's sheets in order (GetAllSheets)."""
        result = await self._client.request(
            SHEETS_LIST, params={"operatorId": operator_id}, path_params=self._workbook(workbook_id)
        )
        return [new_converter.structure(item, SheetSummary) for item in result.get("value") or []]

    async def get_sheet(self, workbook_id: str, sheet: str, *, operator_id: str) -> SheetInfo:
        """Return a sheet's size and last non-empty row and column; ``sheet`` is an id or name."""
        result = await self._client.request(
            SHEET_GET,
            params={"operatorId": operator_id},
            path_params=self._sheet(workbook_id, sheet),
        )
        return new_converter.structure(result, SheetInfo)

    async def delete_sheet(self, workbook_id: str, sheet: str, *, operator_id: str) -> None:
        """Delete a sheet; DingTalk refuses to delete a workbook's last sheet."""
        await self._client.request(
            SHEET_DELETE,
            params={"operatorId": operator_id},
            path_params=self._sheet(workbook_id, sheet),
        )

    # Ranges.

    async def get_range(
        self,
        workbook_id: str,
        sheet: str,
        range_address: str | CellRange,
        *,
        operator_id: str,
        select: Sequence[str] = ("values",),
    ) -> RangeValues:
        """Read a range; ``select`` picks the matrices (values, displayValues, formulas, ...)."""
        cell_range = self._parse(range_address)
        unknown = [name for name in select if name not in RANGE_FIELDS]
        if unknown or not select:
            raise ValidationError(
                [FieldError("select", list(select), f"expected names from {RANGE_FIELDS}")]
            )

        result = await self._client.request(
            RANGE_GET,
            params={"operatorId": operator_id, "select": ",".join(select)},
            path_params={**self._sheet(workbook_id, sheet), "rangeAddress": str(cell_range)},
        )
        return RangeValues(
            range=cell_range,
            values=result.get("values") or [],
            display_values=result.get("displayValues"),
            formulas=result.get("formulas"),
        )

    async def get_display_values(
        self, workbook_id: str, sheet: str, range_address: str | CellRange, *, operator_id: str
    ) -> list[list[str]]:
        """Read a range as rendered under its number formats."""
        read = await self.get_range(
            workbook_id, sheet, range_address, operator_id=operator_id, select=("displayValues",)
        )
        return read.display_values or []

    async def update_range(
        self,
        workbook_id: str,
        sheet: str,
        range_address: str | CellRange,
        values: Sequence[Sequence[object]],
        *,
        operator_id: str,
        number_format: str | None = None,
        background_colors: Sequence[Sequence[str]] | None = None,
        font_weights: Sequence[Sequence[str]] | None = None,
    ) -> str:
        """Write a matrix into a range and return the ``a1Notation`` DingTalk wrote.

        Raises ValidationError naming the range and both shapes when a matrix does not have
        one row per range row and one element per range column. Nothing is sent then.
        """
        cell_range = check_values(range_address, values)
        if background_colors is not None:
            check_values(cell_range, background_colors, field="background_colors")
        if font_weights is not None:
            check_values(cell_range, font_weights, field="font_weights")

        body: dict[str, Any] = {"values": [[_cell_text(value) for value in row] for row in values]}
        if number_format is not None:
            body["numberFormat"] = number_format
        if background_colors is not None:
            body["backgroundColors"] = [list(row) for row in background_colors]
        if font_weights is not None:
            body["fontWeights"] = [list(row) for row in font_weights]
        result = await self._client.request(
            RANGE_UPDATE,
            params={"operatorId": operator_id},
            json=body,
            path_params={**self._sheet(workbook_id, sheet), "rangeAddress": str(cell_range)},
        )
        return str(result.get("a1Notation", cell_range))

    async def clear_data(
        self, workbook_id: str, sheet: str, range_address: str | CellRange, *, operator_id: str
    ) -> str:
        """Empty the values of a range, keeping its formats."""
        cell_range = self._parse(range_address)
        result = await self._client.request(
            RANGE_CLEAR_DATA,
            params={"operatorId": operator_id},
            path_params={**self._sheet(workbook_id, sheet), "rangeAddress": str(cell_range)},
        )
        return str(result.get("a1Notation", cell_range))

    async def append_rows(
        self,
        workbook_id: str,
        sheet: str,
        values: Sequence[Sequence[object]],
        *,
        operator_id: str,
    ) -> str:
        """Write rows below the last non-empty row; return the range written.

        DingTalk advises at most 5,000 rows per call, so larger inputs are refused here.
        """
        errors = []
        if not values:
            errors.append(FieldError("values", [], "expected at least one row"))
        if len(values) > APPEND_ROWS_MAX:
            errors.append(
                FieldError(
                    "values", f"{len(values)} rows", f"at most {APPEND_ROWS_MAX} rows per call"
                )
            )
        if errors:
            raise ValidationError(errors)

        result = await self._client.request(
            ROWS_APPEND,
            params={"operatorId": operator_id},
            json={"values": [[_cell_text(value) for value in row] for row in values]},
            path_params=self._sheet(workbook_id, sheet),
        )
        return str(result.get("a1Notation", ""))

    async def insert_rows(
        self, workbook_id: str, sheet: str, row: int, count: int, *, operator_id: str
    ) -> None:
        """Insert ``count`` empty rows before 0-based ``row``."""
        _check_index_count("row", row, "count", count)
        await self._client.request(
            ROWS_INSERT,
            params={"operatorId": operator_id},
            json={"row": row, "rowCount": count},
            path_params=self._sheet(workbook_id, sheet),
        )

    async def delete_rows(
        self, workbook_id: str, sheet: str, row: int, count: int, *, operator_id: str
    ) -> None:
        """Delete ``count`` rows starting at 0-based ``row``."""
        _check_index_count("row", row, "count", count)
        await self._client.request(
            ROWS_DELETE,
            params={"operatorId": operator_id},
            json={"row": row, "rowCount": count},
            path_params=self._sheet(workbook_id, sheet),
        )

    async def insert_columns(
        self, workbook_id: str, sheet: str, column: int, count: int, *, operator_id: str
    ) -> None:
        """Insert ``count`` empty columns before 0-based ``column``."""
        _check_index_count("column", column, "count", count)
        await self._client.request(
            COLUMNS_INSERT,
            params={"operatorId": operator_id},
            json={"column": column, "columnCount": count},
            path_params=self._sheet(workbook_id, sheet),
        )

    async def delete_columns(
        self, workbook_id: str, sheet: str, column: int, count: int, *, operator_id: str
    ) -> None:
        """Delete ``count`` columns starting at 0-based ``column``."""
        _check_index_count("column", column, "count", count)
        await self._client.request(
            COLUMNS_DELETE,
            params={"operatorId": operator_id},
            json={"column": column, "columnCount": count},
            path_params=self._sheet(workbook_id, sheet),
        )

    # Helpers.

    @staticmethod
    def _workbook(workbook_id: str) -> dict[str, str]:
        return {"workbookId": quote_path(workbook_id)}

    @staticmethod
    def _sheet(workbook_id: str, sheet: str) -> dict[str, str]:
        return {"workbookId": quote_path(workbook_id), "sheetId": quote_path(sheet)}

    @staticmethod
    def _parse(range_address: str | CellRange) -> CellRange:
        if isinstance(range_address, CellRange):
            return range_address
        try:
            return parse_range(range_address)
        except ValueError as error:
            raise ValidationError(
                [FieldError("range_address", range_address, str(error))]
            ) from None


def _cell_text(value: object) -> object:
    # UpdateRange documents values as strings; numbers go as text so DingTalk types them.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return str(value)


def _check_index_count(index_name: str, index: int, count_name: str, count: int) -> None:
    errors = []
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        errors.append(FieldError(index_name, index, "expected a 0-based index (0 or more)"))
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        errors.append(FieldError(count_name, count, "expected a positive integer"))
    if errors:
        raise ValidationError(errors)
