"""Online-sheet endpoints (doc_1.0 workspaces, documents, workbooks, sheets, ranges).

Every workbook call checks the ``operatorId`` query parameter: it must be the unionId of a
user of the corp (else 400 operatorIdIllegal) with a role on the workbook (else 403
forbidden.accessDenied). Control routes under ``/__fake__/sheets/`` let a simulated village
fill its row.
"""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.sheet_a1 import column_name
from censusdt_fake.models.sheet_errors import InvalidInputArgs, OperatorIdIllegal
from censusdt_fake.models.sheets import RANGE_FIELDS, Sheet, Workbook
from censusdt_fake.models.workbooks import WorkbookState
from censusdt_fake.sheets import fill_row, state_of

router = Router()

_BOOK = "/v1.0/doc/workbooks/{workbookId}"
_SHEET = _BOOK + "/sheets/{sheetId}"
_PROPERTY_BODY_FIELDS = (
    "backgroundColors",
    "fontColors",
    "fontSizes",
    "fontWeights",
    "horizontalAlignments",
    "verticalAlignments",
    "hyperlinks",
    "complexValues",
)


def _operator_in_body(call: Call) -> str:
    operator = call.string("operatorId", required=True)
    _user_dept_ids(call, operator)
    return str(operator)


def _user_dept_ids(call: Call, union_id: str) -> tuple[int, ...]:
    user = call.tenant.ext(ContactsState).user_by_unionid(union_id)
    if user is None:
        raise OperatorIdIllegal()
    return tuple(user.dept_id_list)


def _workbook(call: Call, *, write: bool) -> Workbook:
    operator = call.query.get("operatorId")
    if not operator:
        raise call.missing("operatorId")
    dept_ids = _user_dept_ids(call, operator)
    state = call.tenant.ext(WorkbookState)
    workbook_id = call.path_params["workbookId"]
    if not workbook_id.isalnum():
        raise NewApiError(
            400, "invalidRequest.inputArgs.workbookIdIllegal", "The workbookId is illegal."
        )
    return state.check_access(workbook_id, operator, write=write, dept_ids=dept_ids)


def _sheet(call: Call, *, write: bool) -> Sheet:
    return _workbook(call, write=write).sheet(call.path_params["sheetId"])


def _check_cells(call: Call, sheet: Sheet, address: str) -> None:
    # Reads clip at the sheet's edges, so the limit counts the cells actually covered.
    first_row, first_column, last_row, last_column = sheet.resolve(address, clip=True)
    assert first_row is not None
    assert last_row is not None
    assert first_column is not None
    assert last_column is not None
    cells = (last_row - first_row + 1) * (last_column - first_column + 1)
    limit = call.tenant.ext(WorkbookState).max_range_cells
    if cells > limit:
        raise InvalidInputArgs(
            f"The range {address} has {cells} cells, more than the {limit} allowed per request"
        )


def _integer(call: Call, name: str) -> int:
    value = call.raw(name)
    if value is None:
        raise call.missing(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputArgs(f"Invalid {name}: {value!r}, expected an integer")
    return value


# Workspaces and documents.


@router.post("/v1.0/doc/workspaces")
def create_workspace(call: Call) -> dict[str, Any]:
    name = call.string("name", required=True)
    operator = _operator_in_body(call)
    description = call.string("description")
    workspace = call.tenant.ext(WorkbookState).create_workspace(name, operator, description)
    return {
        "workspaceId": workspace.workspace_id,
        "name": workspace.name,
        "description": workspace.description,
        "url": f"https://alidocs.dingtalk.com/i/spaces/{workspace.workspace_id}/overview",
    }


@router.post("/v1.0/doc/workspaces/{workspaceId}/docs")
def create_workspace_doc(call: Call) -> dict[str, Any]:
    name = call.string("name", required=True)
    doc_type = call.string("docType", required=True)
    operator = _operator_in_body(call)
    parent = call.string("parentNodeId")
    workspace_id = call.path_params["workspaceId"]
    document = call.tenant.ext(WorkbookState).create_document(
        workspace_id, name, doc_type, operator, parent
    )
    return {
        "workspaceId": workspace_id,
        "nodeId": document.node_id,
        "docKey": document.node_id[:16],
        "url": f"https://alidocs.dingtalk.com/i/nodes/{document.node_id}",
        "dentryUuid": document.node_id,
    }


@router.post("/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}/members")
def add_workspace_doc_members(call: Call) -> dict[str, Any]:
    operator = _operator_in_body(call)
    raw_members = call.raw("members")
    if not isinstance(raw_members, list) or not raw_members:
        raise call.missing("members")
    members = []
    for item in raw_members:
        if not isinstance(item, dict):
            raise call.invalid("members", item)
        members.append(
            (
                str(item.get("memberId", "")),
                str(item.get("memberType", "")),
                str(item.get("roleType", "")),
            )
        )
    state = call.tenant.ext(WorkbookState)
    document = state.document(call.path_params["nodeId"])
    if document.workspace_id != call.path_params["workspaceId"]:
        raise NewApiError(
            400,
            "invalidRequest.workspaceNode.notInWorkspace",
            "The node is not in the workspace.",
        )
    state.add_members(document.node_id, operator, members)
    return {}


# Sheets.


@router.post(_BOOK + "/sheets")
def create_sheet(call: Call) -> dict[str, Any]:
    workbook = _workbook(call, write=True)
    sheet = workbook.create_sheet(call.string("name", required=True))
    return {"id": sheet.id, "name": sheet.name, "visibility": sheet.visibility}


@router.get(_BOOK + "/sheets")
def get_all_sheets(call: Call) -> dict[str, Any]:
    workbook = _workbook(call, write=False)
    return {"value": [{"id": sheet.id, "name": sheet.name} for sheet in workbook.sheets]}


@router.get(_SHEET)
def get_sheet(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=False)
    return {
        "id": sheet.id,
        "name": sheet.name,
        "visibility": sheet.visibility,
        "rowCount": sheet.row_count,
        "columnCount": sheet.column_count,
        "lastNonEmptyRow": sheet.last_non_empty_row,
        "lastNonEmptyColumn": sheet.last_non_empty_column,
        "frozenRowCount": sheet.frozen_row_count,
        "frozenColumnCount": sheet.frozen_column_count,
    }


@router.delete(_SHEET)
def delete_sheet(call: Call) -> dict[str, Any]:
    workbook = _workbook(call, write=True)
    workbook.delete_sheet(call.path_params["sheetId"])
    return {"success": True}


# Ranges.


@router.get(_SHEET + "/ranges/{rangeAddress}")
def get_range(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=False)
    address = call.path_params["rangeAddress"]
    _check_cells(call, sheet, address)
    select = call.query.get("select")
    fields = [name.strip() for name in select.split(",") if name.strip()] if select else None
    return dict(sheet.read_range(address, fields if fields else list(RANGE_FIELDS)))


@router.put(_SHEET + "/ranges/{rangeAddress}")
def update_range(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    address = call.path_params["rangeAddress"]
    _check_cells(call, sheet, address)
    body = call.body if isinstance(call.body, dict) else {}
    properties = {name: body[name] for name in _PROPERTY_BODY_FIELDS if body.get(name) is not None}
    a1 = sheet.update_range(
        address,
        values=body.get("values"),
        properties=properties,
        number_format=body.get("numberFormat"),
        word_wrap=body.get("wordWrap"),
    )
    return {"a1Notation": a1}


@router.post(_SHEET + "/ranges/{rangeAddress}/clearData")
def clear_data(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    return {"a1Notation": sheet.clear_data(call.path_params["rangeAddress"])}


@router.post(_SHEET + "/appendRows")
def append_rows(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    values = call.raw("values")
    if values is None:
        raise call.missing("values")
    return {"a1Notation": sheet.append_rows(values)}


@router.post(_SHEET + "/insertRowsBefore")
def insert_rows_before(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    sheet.insert_rows_before(_integer(call, "row"), _integer(call, "rowCount"))
    return {"id": sheet.id}


@router.post(_SHEET + "/deleteRows")
def delete_rows(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    sheet.delete_rows(_integer(call, "row"), _integer(call, "rowCount"))
    return {"id": sheet.id}


@router.post(_SHEET + "/insertColumnsBefore")
def insert_columns_before(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    sheet.insert_columns_before(_integer(call, "column"), _integer(call, "columnCount"))
    return {"id": sheet.id}


@router.post(_SHEET + "/deleteColumns")
def delete_columns(call: Call) -> dict[str, Any]:
    sheet = _sheet(call, write=True)
    sheet.delete_columns(_integer(call, "column"), _integer(call, "columnCount"))
    return {"id": sheet.id}


# Control plane.


@router.post("/__fake__/sheets/{workbookId}/fill", control=True)
def control_fill_row(call: Call) -> dict[str, Any]:
    """Write a village's values into its row: ``{"sheet", "key", "values": {header: text}}``."""
    body = call.body if isinstance(call.body, dict) else {}
    corp = call.fake.corps[body["corp_id"]] if body.get("corp_id") else call.fake.default_corp
    a1 = fill_row(
        corp,
        call.path_params["workbookId"],
        sheet=str(body.get("sheet", "")),
        key=str(body["key"]),
        values=dict(body.get("values") or {}),
        key_column=int(body.get("key_column", 0)),
        header_row=int(body.get("header_row", 0)),
    )
    return {"a1Notation": a1}


@router.get("/__fake__/sheets/{workbookId}", control=True)
def control_dump_workbook(call: Call) -> dict[str, Any]:
    """Return every sheet's non-empty cells as ``{address: value}``."""
    corp_id = call.query.get("corp_id")
    corp = call.fake.corps[corp_id] if corp_id else call.fake.default_corp
    workbook = state_of(corp).workbook(call.path_params["workbookId"])
    return {
        "sheets": [
            {
                "id": sheet.id,
                "name": sheet.name,
                "cells": {
                    f"{_column(column)}{row + 1}": value
                    for (row, column), value in sorted(sheet.content().items())
                },
            }
            for sheet in workbook.sheets
        ]
    }


def _column(index: int) -> str:
    return column_name(index)
