"""Wire-level tests of the fake's sheet and smart-form endpoints: paths, bodies, error codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from censusdt_fake import FakeDingTalk, FakeServer
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.forms import FormsState
from censusdt_fake.sheets import fill_row, state_of

API = "https://api.dingtalk.com"


@pytest.fixture
def http(dingtalk_fake: FakeDingTalk) -> Iterator[httpx.Client]:
    app = dingtalk_fake.default_app
    with httpx.Client(transport=dingtalk_fake.transport(), base_url=API) as client:
        token = client.post(
            "/v1.0/oauth2/accessToken", json={"appKey": app.app_key, "appSecret": app.app_secret}
        ).json()["accessToken"]
        client.headers["x-acs-dingtalk-access-token"] = token
        yield client


@pytest.fixture
def owner(dingtalk_fake: FakeDingTalk) -> User:
    return dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="王主任", mobile="13800000001", dept_id_list=[1]
    )


@pytest.fixture
def workbook_id(dingtalk_fake: FakeDingTalk, owner: User) -> str:
    workbook = state_of(dingtalk_fake.default_corp).add_workbook("摸底进度", owner.unionid)
    return workbook.id


def _error(response: httpx.Response) -> tuple[int, str, str]:
    body: dict[str, Any] = response.json()
    return response.status_code, body["code"], body["message"]


def test_update_range_dimension_mismatch(http: httpx.Client, workbook_id: str, owner: User) -> None:
    response = http.put(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets/Sheet1/ranges/A1:B2",
        params={"operatorId": owner.unionid},
        json={"values": [["1", "2", "3"], ["4", "5", "6"]]},
    )

    status, code, message = _error(response)
    assert status == 400
    assert code == "invalidRequest.inputArgs.invalid"
    assert message == (
        "The dimension of values does not match range A1:B2: expected 2 columns in row 0, got 3"
    )


def test_mismatch_leaves_sheet_unchanged(
    http: httpx.Client, workbook_id: str, owner: User, dingtalk_fake: FakeDingTalk
) -> None:
    http.put(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets/Sheet1/ranges/A1:B2",
        params={"operatorId": owner.unionid},
        json={"values": [["1", "2"], ["3"]]},
    )

    sheet = state_of(dingtalk_fake.default_corp).workbook(workbook_id).sheet("Sheet1")
    assert sheet.content() == {}


def test_get_range_over_cell_limit(
    http: httpx.Client, workbook_id: str, owner: User, dingtalk_fake: FakeDingTalk
) -> None:
    state = state_of(dingtalk_fake.default_corp)
    state.max_range_cells = 100
    state.workbook(workbook_id).sheet("Sheet1").insert_rows_before(0, 10)

    response = http.get(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets/Sheet1/ranges/A1:K10",
        params={"operatorId": owner.unionid, "select": "values"},
    )

    status, code, message = _error(response)
    assert status == 400
    assert code == "invalidRequest.inputArgs.invalid"
    assert message == "The range A1:K10 has 110 cells, more than the 100 allowed per request"


def test_get_range_select_limits_fields(http: httpx.Client, workbook_id: str, owner: User) -> None:
    response = http.get(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets/Sheet1/ranges/A1:B1",
        params={"operatorId": owner.unionid, "select": "values,displayValues"},
    )

    assert response.status_code == 200
    assert set(response.json()) == {"values", "displayValues"}


def test_missing_operator_id(http: httpx.Client, workbook_id: str) -> None:
    response = http.get(f"/v1.0/doc/workbooks/{workbook_id}/sheets")

    status, code, message = _error(response)
    assert status == 400
    assert code == "MissingParameter"
    assert message == "operatorId is mandatory for this action."


def test_operator_not_in_org(http: httpx.Client, workbook_id: str) -> None:
    response = http.get(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets", params={"operatorId": "nobody"}
    )

    status, code, message = _error(response)
    assert status == 400
    assert code == "invalidRequest.inputArgs.operatorIdIllegal"
    assert message == "The operatorId is illegal."


def test_operator_without_permission(
    http: httpx.Client, workbook_id: str, dingtalk_fake: FakeDingTalk
) -> None:
    other = dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="赵某", mobile="13800000009", dept_id_list=[1]
    )

    response = http.get(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets", params={"operatorId": other.unionid}
    )

    assert _error(response) == (403, "forbidden.accessDenied", "The operator has no permission.")


def test_unknown_workbook_and_sheet(http: httpx.Client, workbook_id: str, owner: User) -> None:
    unknown_book = http.get(
        "/v1.0/doc/workbooks/0000aaaa/sheets", params={"operatorId": owner.unionid}
    )
    illegal_book = http.get(
        "/v1.0/doc/workbooks/not-an-id!/sheets", params={"operatorId": owner.unionid}
    )
    unknown_sheet = http.get(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets/乡镇", params={"operatorId": owner.unionid}
    )

    assert _error(unknown_book)[:2] == (404, "invalidRequest.resource.notFound")
    assert _error(illegal_book) == (
        400,
        "invalidRequest.inputArgs.workbookIdIllegal",
        "The workbookId is illegal.",
    )
    assert _error(unknown_sheet) == (
        404,
        "invalidRequest.resource.notFound",
        "Sheet not found: 乡镇",
    )


def test_bad_range_address(http: httpx.Client, workbook_id: str, owner: User) -> None:
    response = http.get(
        f"/v1.0/doc/workbooks/{workbook_id}/sheets/Sheet1/ranges/A0:B2",
        params={"operatorId": owner.unionid},
    )

    assert _error(response) == (
        400,
        "invalidRequest.inputArgs.invalid",
        "Invalid range address: A0:B2",
    )


def test_create_workbook_in_workspace(http: httpx.Client, owner: User) -> None:
    workspace = http.post(
        "/v1.0/doc/workspaces", json={"name": "人口普查", "operatorId": owner.unionid}
    ).json()
    created = http.post(
        f"/v1.0/doc/workspaces/{workspace['workspaceId']}/docs",
        json={"name": "摸底", "docType": "WORKBOOK", "operatorId": owner.unionid},
    ).json()
    again = http.post(
        f"/v1.0/doc/workspaces/{workspace['workspaceId']}/docs",
        json={"name": "摸底", "docType": "WORKBOOK", "operatorId": owner.unionid},
    )
    sheets = http.get(
        f"/v1.0/doc/workbooks/{created['nodeId']}/sheets", params={"operatorId": owner.unionid}
    ).json()

    assert set(created) == {"workspaceId", "nodeId", "docKey", "url", "dentryUuid"}
    assert _error(again)[:2] == (400, "invalidRequest.workspaceNode.nameConflict")
    assert [sheet["name"] for sheet in sheets["value"]] == ["Sheet1"]


def test_control_fill_row_types_numbers(
    http: httpx.Client, workbook_id: str, owner: User, dingtalk_fake: FakeDingTalk
) -> None:
    sheet = state_of(dingtalk_fake.default_corp).workbook(workbook_id).sheet("Sheet1")
    sheet.update_range("A1:C2", values=[["区划代码", "户数", "人数"], ["370783001001", "", ""]])

    response = http.post(
        f"/__fake__/sheets/{workbook_id}/fill",
        json={"key": "370783001001", "values": {"户数": "12", "人数": "30"}},
    )

    assert response.status_code == 200
    assert response.json() == {"a1Notation": "B2:C2"}
    assert sheet.values("A2:C2") == [[370783001001, 12, 30]]


def test_fill_row_unknown_header(dingtalk_fake: FakeDingTalk, workbook_id: str) -> None:
    corp = dingtalk_fake.default_corp
    state_of(corp).workbook(workbook_id).sheet("Sheet1").update_range(
        "A1:B2", values=[["区划代码", "户数"], ["1", ""]]
    )

    with pytest.raises(KeyError, match="人数"):
        fill_row(corp, workbook_id, sheet="Sheet1", key="1", values={"人数": 3})


# Smart forms.


@pytest.fixture
def form_code(dingtalk_fake: FakeDingTalk) -> str:
    state = dingtalk_fake.default_corp.ext(FormsState)
    form = state.add_form("摸底日报", creator="user1", labels=["区划代码", "户数"], now_ms=0)
    for index in range(3):
        state.submit(
            form.form_code,
            user_id=f"user{index}",
            user_name=f"村{index}",
            values={"区划代码": f"37078300100{index}", "户数": index},
            now_ms=1_659_106_500_000,
        )
    return form.form_code


def test_list_instances_pages_with_int_token(http: httpx.Client, form_code: str) -> None:
    first = http.get(
        f"/v1.0/swform/forms/{form_code}/instances", params={"maxResults": 2, "nextToken": 0}
    ).json()
    second = http.get(
        f"/v1.0/swform/forms/{form_code}/instances",
        params={"maxResults": 2, "nextToken": first["result"]["nextToken"]},
    ).json()

    assert first["success"] is True
    assert first["result"]["hasMore"] is True
    assert first["result"]["nextToken"] == 2
    assert second["result"]["hasMore"] is False
    assert len(second["result"]["list"]) == 1
    instance = first["result"]["list"][0]
    assert instance["createTime"] == "2022-07-29T14:55Z"
    assert [field["label"] for field in instance["forms"]] == ["区划代码", "户数"]
    assert instance["forms"][1]["value"] == "0"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"maxResults": 101, "nextToken": 0}, "invalid size"),
        ({"maxResults": 10, "nextToken": -1}, "invalid offset"),
        ({"maxResults": 10, "nextToken": 0, "actionDate": "2020/11/01"}, "invalid action_date"),
    ],
)
def test_list_instances_param_errors(
    http: httpx.Client, form_code: str, params: dict[str, Any], message: str
) -> None:
    response = http.get(f"/v1.0/swform/forms/{form_code}/instances", params=params)

    assert _error(response) == (400, "swform.listFormInstances.paramError", message)


def test_list_instances_unknown_form(http: httpx.Client) -> None:
    response = http.get(
        "/v1.0/swform/forms/PROC-NONE/instances", params={"maxResults": 10, "nextToken": 0}
    )

    assert _error(response) == (400, "swform.listFormInstances.paramError", "invalid form_code")


def test_list_forms_and_get_instance_errors(http: httpx.Client, form_code: str) -> None:
    too_many = http.get("/v1.0/swform/users/forms", params={"maxResults": 201, "nextToken": 0})
    bad_biz = http.get(
        "/v1.0/swform/users/forms", params={"maxResults": 10, "nextToken": 0, "bizType": 7}
    )
    missing = http.get("/v1.0/swform/instances/nope")

    assert _error(too_many) == (400, "swform.listFormSchemasByCreator.paramError", "invalid size")
    assert _error(bad_biz) == (
        400,
        "swform.listFormSchemasByCreator.paramError",
        "invalid biz_type",
    )
    assert _error(missing) == (400, "swform.getFormInstance.paramError", "invalid formInstanceId")


def test_control_submit_instance(http: httpx.Client, form_code: str) -> None:
    submitted = http.post(
        f"/__fake__/forms/{form_code}/instances",
        json={"user_id": "u9", "user_name": "南村", "values": {"户数": "7"}},
    ).json()
    read = http.get(f"/v1.0/swform/instances/{submitted['formInstanceId']}").json()

    assert read["result"]["creator"] == "u9"
    assert read["result"]["forms"][1] == {
        "key": read["result"]["forms"][1]["key"],
        "label": "户数",
        "value": "7",
    }


def test_mismatch_over_real_http(
    dingtalk_server: FakeServer, dingtalk_fake: FakeDingTalk, workbook_id: str, owner: User
) -> None:
    app = dingtalk_fake.default_app
    with httpx.Client(base_url=dingtalk_server.url) as client:
        token = client.post(
            "/v1.0/oauth2/accessToken", json={"appKey": app.app_key, "appSecret": app.app_secret}
        ).json()["accessToken"]
        response = client.put(
            f"/v1.0/doc/workbooks/{workbook_id}/sheets/Sheet1/ranges/A1:A2",
            params={"operatorId": owner.unionid},
            headers={"x-acs-dingtalk-access-token": token},
            json={"values": [["1"]]},
        )

    assert _error(response) == (
        400,
        "invalidRequest.inputArgs.invalid",
        "The dimension of values does not match range A1:A2: expected 2 rows, got 1",
    )
    assert response.headers["x-acs-request-id"] == response.json()["requestid"]
