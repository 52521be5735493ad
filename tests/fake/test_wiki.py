"""Wire-level tests of the fake's knowledge-base and sessionWebhook endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from censusdt_fake import FakeDingTalk
from censusdt_fake.conversation import SESSION_LIFETIME_MS, Conversation
from censusdt_fake.models.contacts import ContactsState, User

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


def _error(response: httpx.Response) -> tuple[int, str, str]:
    body: dict[str, Any] = response.json()
    return response.status_code, body["code"], body["message"]


def _workspace(http: httpx.Client, owner: User) -> dict[str, Any]:
    response = http.post(
        "/v2.0/wiki/workspaces",
        params={"operatorId": owner.unionid},
        json={"name": "人口普查知识库", "option": {"description": "问答"}},
    )
    assert response.status_code == 200
    workspace: dict[str, Any] = response.json()["workspace"]
    return workspace


def test_add_workspace_body_fields(http: httpx.Client, owner: User) -> None:
    workspace = _workspace(http, owner)
    assert set(workspace) >= {
        "workspaceId",
        "rootNodeId",
        "name",
        "type",
        "url",
        "creatorId",
        "createTime",
        "modifiedTime",
    }
    assert workspace["type"] == "TEAM"
    assert workspace["createTime"].endswith("+08:00")


def test_same_ids_in_doc_and_wiki(http: httpx.Client, owner: User) -> None:
    workspace = _workspace(http, owner)
    created = http.post(
        f"/v1.0/doc/workspaces/{workspace['workspaceId']}/docs",
        json={"name": "指标解释", "docType": "FOLDER", "operatorId": owner.unionid},
    ).json()
    listed = http.get(
        "/v2.0/wiki/nodes",
        params={"parentNodeId": workspace["rootNodeId"], "operatorId": owner.unionid},
    ).json()
    assert [node["nodeId"] for node in listed["nodes"]] == [created["nodeId"]]
    assert listed["nodes"][0]["type"] == "FOLDER"
    assert "nextToken" not in listed


def test_workspace_page_over_30_rejected(http: httpx.Client, owner: User) -> None:
    response = http.get(
        "/v2.0/wiki/workspaces", params={"operatorId": owner.unionid, "maxResults": 31}
    )
    assert _error(response) == (400, "paramError", "maxResults must be between 1 and 30")


def test_node_page_over_50_rejected(http: httpx.Client, owner: User) -> None:
    workspace = _workspace(http, owner)
    response = http.get(
        "/v2.0/wiki/nodes",
        params={
            "parentNodeId": workspace["rootNodeId"],
            "operatorId": owner.unionid,
            "maxResults": 51,
        },
    )
    assert _error(response) == (400, "paramError", "maxResults must be between 1 and 50")


def test_missing_operator_rejected(http: httpx.Client) -> None:
    response = http.get("/v2.0/wiki/workspaces")
    assert _error(response) == (400, "MissingParameter", "operatorId is mandatory for this action.")


def test_unknown_parent_node(http: httpx.Client, owner: User) -> None:
    response = http.get(
        "/v2.0/wiki/nodes", params={"parentNodeId": "nope", "operatorId": owner.unionid}
    )
    assert _error(response) == (404, "parentNodeNotExist", "parent node not exist")


def test_bad_order_rejected(http: httpx.Client, owner: User) -> None:
    response = http.get(
        "/v2.0/wiki/workspaces", params={"operatorId": owner.unionid, "orderBy": "NAME"}
    )
    assert _error(response) == (400, "paramError.orderBy", "orderBy is invalid")


def test_member_overlimit_rejected(http: httpx.Client, owner: User) -> None:
    workspace = _workspace(http, owner)
    members = [{"memberId": "1", "memberType": "DEPT", "roleType": "VIEWER"}] * 51
    response = http.post(
        f"/v1.0/doc/workspaces/{workspace['workspaceId']}/members",
        json={"operatorId": owner.unionid, "members": members},
    )
    assert _error(response) == (
        400,
        "invalidRequest.inputArgs.overLimit",
        "At most 50 members per call",
    )


def test_operator_outside_org_on_doc(http: httpx.Client, owner: User) -> None:
    workspace = _workspace(http, owner)
    response = http.post(
        f"/v1.0/doc/workspaces/{workspace['workspaceId']}/members",
        json={
            "operatorId": "unionStranger",
            "members": [{"memberId": "1", "memberType": "DEPT", "roleType": "VIEWER"}],
        },
    )
    assert _error(response) == (
        403,
        "forbidden.user.notInOrg",
        "The user is not in the organization.",
    )


def test_content_control_route(
    http: httpx.Client, owner: User, dingtalk_fake: FakeDingTalk
) -> None:
    workspace = _workspace(http, owner)
    created = http.post(
        f"/v1.0/doc/workspaces/{workspace['workspaceId']}/docs",
        json={"name": "现住地", "docType": "DOC", "operatorId": owner.unionid},
    ).json()
    written = http.post(
        f"/v1.0/doc/suites/documents/{created['docKey']}/overwriteContent",
        json={"operatorId": owner.unionid, "content": "# 现住地", "dataType": "markdown"},
    )
    shown = http.get(f"/__fake__/wiki/nodes/{created['nodeId']}/content")
    assert written.status_code == 200
    assert shown.json()["content"] == "# 现住地"


# sessionWebhook.


def _session(dingtalk_fake: FakeDingTalk, owner: User) -> str:
    conversation = Conversation(dingtalk_fake, "http://127.0.0.1:9/unused")
    body, _ = conversation.callback_body(owner, "长表什么时候登记")
    conversation.close()
    assert body["sessionWebhookExpiredTime"] - body["createAt"] == SESSION_LIFETIME_MS
    return str(body["sessionWebhook"])


def test_session_reply_recorded(dingtalk_fake: FakeDingTalk, owner: User) -> None:
    url = _session(dingtalk_fake, owner)
    with httpx.Client(transport=dingtalk_fake.transport()) as client:
        response = client.post(url, json={"msgtype": "text", "text": {"content": "答复"}})
    assert response.json()["errcode"] == 0
    assert response.json()["errmsg"] == "ok"
    conversation = Conversation(dingtalk_fake, "http://127.0.0.1:9/unused")
    (session,) = conversation.sessions.values()
    assert [reply.text for reply in session.replies] == ["答复"]


def test_session_expires_after_90_minutes(dingtalk_fake: FakeDingTalk, owner: User) -> None:
    url = _session(dingtalk_fake, owner)
    dingtalk_fake.clock.advance(90 * 60 + 1)
    with httpx.Client(transport=dingtalk_fake.transport()) as client:
        response = client.post(url, json={"msgtype": "text", "text": {"content": "迟到的答复"}})
    assert response.status_code == 200
    assert response.json()["errcode"] == 300001
    assert response.json()["errmsg"] == "session 不存在"


def test_session_rejects_image(dingtalk_fake: FakeDingTalk, owner: User) -> None:
    url = _session(dingtalk_fake, owner)
    with httpx.Client(transport=dingtalk_fake.transport()) as client:
        response = client.post(url, json={"msgtype": "image", "image": {"mediaId": "x"}})
    assert response.json()["errcode"] == 400105
    assert response.json()["errmsg"] == "不支持的消息类型"


def test_unknown_session_rejected(dingtalk_fake: FakeDingTalk, owner: User) -> None:
    _session(dingtalk_fake, owner)
    with httpx.Client(transport=dingtalk_fake.transport()) as client:
        response = client.post(
            "https://oapi.dingtalk.com/robot/sendBySession?session=forged",
            json={"msgtype": "text", "text": {"content": "x"}},
        )
    assert response.json()["errcode"] == 300001
