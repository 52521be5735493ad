"""Knowledge-base calls (wiki 2.0 and doc 1.0) against the fake, sync and async."""

from __future__ import annotations

import pytest

from censusdt import APIError, AsyncDingTalk, DingTalk, ValidationError
from censusdt.api.docs import WorkspaceMember
from censusdt.api.sheets import DocMember
from censusdt_fake import FakeDingTalk
from censusdt_fake.models.contacts import ContactsState, User
from censusdt_fake.models.wiki import WikiState


def _user(fake: FakeDingTalk, name: str, mobile: str) -> User:
    return fake.default_corp.ext(ContactsState).create_user(
        name=name, mobile=mobile, dept_id_list=[1]
    )


def test_workspace_create_and_get(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    created = dingtalk.wiki.create_workspace(
        "人口普查知识库", operator_id=owner.unionid, description="七人普问答"
    )
    fetched = dingtalk.wiki.get_workspace(
        created.workspace_id, operator_id=owner.unionid, with_role=True
    )
    assert fetched.name == "人口普查知识库"
    assert fetched.description == "七人普问答"
    assert fetched.root_node_id == created.root_node_id
    assert fetched.permission_role == "OWNER"
    assert fetched.corp_id == dingtalk_fake.default_corp.corp_id


def test_folders_and_documents_form_a_tree(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    folder = dingtalk.docs.create_folder(space.workspace_id, "指标解释", operator_id=owner.unionid)
    document = dingtalk.docs.create(
        space.workspace_id, "现住地", operator_id=owner.unionid, parent_node_id=folder.node_id
    )
    assert document.doc_key
    dingtalk.docs.overwrite_content(
        document.doc_key, "# 现住地\n\n经常居住地", operator_id=owner.unionid
    )

    top = list(dingtalk.wiki.list_nodes(space.root_node_id, operator_id=owner.unionid))
    inside = list(dingtalk.wiki.list_nodes(folder.node_id, operator_id=owner.unionid))
    node = dingtalk.wiki.get_node(document.node_id, operator_id=owner.unionid, with_statistics=True)

    assert [(item.name, item.type, item.has_children) for item in top] == [
        ("指标解释", "FOLDER", True)
    ]
    assert [item.node_id for item in inside] == [document.node_id]
    assert node.category == "ALIDOC"
    assert node.size == len("# 现住地\n\n经常居住地".encode())
    assert node.word_count == len("#现住地经常居住地")


def test_list_nodes_walks_every_page(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    names = [f"文档{number:02d}" for number in range(7)]
    for name in names:
        dingtalk.docs.create(space.workspace_id, name, operator_id=owner.unionid)

    listed = dingtalk.wiki.list_nodes(space.root_node_id, operator_id=owner.unionid, page_size=3)

    assert [node.name for node in listed] == names
    assert len(dingtalk_fake.calls("/v2.0/wiki/nodes")) == 3


def test_list_workspaces_only_those_visible(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    other = _user(dingtalk_fake, "李干事", "13800000002")
    for number in range(3):
        dingtalk.wiki.create_workspace(f"库{number}", operator_id=owner.unionid)
    shared = dingtalk.wiki.create_workspace("共享库", operator_id=owner.unionid)
    dingtalk.docs.add_members(
        shared.workspace_id,
        [WorkspaceMember(other.unionid, "USER", "VIEWER")],
        operator_id=owner.unionid,
    )

    mine = list(dingtalk.wiki.list_workspaces(operator_id=owner.unionid, page_size=2))
    theirs = list(dingtalk.wiki.list_workspaces(operator_id=other.unionid, with_role=True))

    assert sorted(space.name for space in mine) == ["共享库", "库0", "库1", "库2"]
    assert [(space.name, space.permission_role) for space in theirs] == [("共享库", "DOWNLOADER")]


def test_page_size_checked_before_sending(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    with pytest.raises(ValidationError) as caught:
        dingtalk.wiki.list_workspaces(operator_id="u", page_size=31)
    assert caught.value.errors[0].field == "page_size"
    with pytest.raises(ValidationError):
        dingtalk.wiki.list_nodes("root", operator_id="u", page_size=51)
    assert dingtalk_fake.calls() == []


def test_unknown_workspace_gives_dingtalk_code(
    dingtalk: DingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    with pytest.raises(APIError) as caught:
        dingtalk.wiki.get_workspace("nosuchspace", operator_id=owner.unionid)
    assert caught.value.status == 404
    assert caught.value.code == "workspaceNotExist"
    assert caught.value.message == "workspace not exist"


def test_stranger_cannot_read_node(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    stranger = _user(dingtalk_fake, "赵某", "13800000003")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    document = dingtalk.docs.create(space.workspace_id, "内部", operator_id=owner.unionid)

    with pytest.raises(APIError) as caught:
        dingtalk.wiki.get_node(document.node_id, operator_id=stranger.unionid)

    assert caught.value.status == 403
    assert caught.value.code == "permissionDenied"


def test_reader_cannot_overwrite_content(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    reader = _user(dingtalk_fake, "李干事", "13800000002")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    dingtalk.docs.add_members(
        space.workspace_id,
        [WorkspaceMember(reader.unionid, "USER", "ONLY_VIEWER")],
        operator_id=owner.unionid,
    )
    document = dingtalk.docs.create(space.workspace_id, "规则", operator_id=owner.unionid)
    assert document.doc_key

    with pytest.raises(APIError) as caught:
        dingtalk.docs.overwrite_content(document.doc_key, "改掉", operator_id=reader.unionid)

    assert caught.value.status == 403
    assert caught.value.code == "forbidden.accessDenied"
    state = dingtalk_fake.default_corp.ext(WikiState)
    assert document.node_id not in state.nodes or state.nodes[document.node_id].content == ""


def test_members_not_in_org_reported(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)

    missing = dingtalk.docs.add_members(
        space.workspace_id,
        [
            WorkspaceMember("unionNobody", "USER", "VIEWER"),
            WorkspaceMember("1", "DEPT", "ONLY_VIEWER"),
        ],
        operator_id=owner.unionid,
    )

    assert missing == ["unionNobody"]


def test_owner_cannot_be_removed(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)

    with pytest.raises(APIError) as caught:
        dingtalk.docs.remove_members(
            space.workspace_id, [WorkspaceMember(owner.unionid)], operator_id=owner.unionid
        )

    assert caught.value.code == "invalidRequest.permission.operationIllegal"


def test_bad_member_fields_all_named(dingtalk: DingTalk) -> None:
    members = [WorkspaceMember("a", "GROUP", "OWNER"), WorkspaceMember("b", "USER", "EDITOR")]
    with pytest.raises(ValidationError) as caught:
        dingtalk.docs.add_members("ws", members, operator_id="u")
    fields = [error.field for error in caught.value.errors]
    assert fields == ["members[0].member_type", "members[0].role_type"]


def test_delete_folder_removes_children(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    folder = dingtalk.docs.create_folder(space.workspace_id, "旧", operator_id=owner.unionid)
    child = dingtalk.docs.create(
        space.workspace_id, "旧文档", operator_id=owner.unionid, parent_node_id=folder.node_id
    )

    dingtalk.docs.delete(space.workspace_id, folder.node_id, operator_id=owner.unionid)

    assert list(dingtalk.wiki.list_nodes(space.root_node_id, operator_id=owner.unionid)) == []
    with pytest.raises(APIError) as caught:
        dingtalk.wiki.get_node(child.node_id, operator_id=owner.unionid)
    assert caught.value.code == "nodeNotExist"


@pytest.mark.anyio
async def test_async_tree_and_info(
    async_dingtalk: AsyncDingTalk, dingtalk_fake: FakeDingTalk
) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    space = await async_dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    document = await async_dingtalk.docs.create(
        space.workspace_id, "手册", operator_id=owner.unionid
    )

    names = [
        node.name
        async for node in async_dingtalk.wiki.list_nodes(
            space.root_node_id, operator_id=owner.unionid
        )
    ]
    info = await async_dingtalk.docs.get_node(
        space.workspace_id, document.node_id, operator_id=owner.unionid
    )
    found = await async_dingtalk.wiki.find_workspace("知识库", operator_id=owner.unionid)

    assert names == ["手册"]
    assert info.has_permission is True
    assert info.doc_type == "DOC"
    assert info.workspace_name == "知识库"
    assert found is not None
    assert found.workspace_id == space.workspace_id


def test_related_workspaces_report_roles(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    editor = _user(dingtalk_fake, "李干事", "13800000002")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    dingtalk.wiki.create_workspace("私人库", operator_id=owner.unionid)
    dingtalk.docs.add_members(
        space.workspace_id,
        [WorkspaceMember(editor.unionid, "USER", "EDITOR")],
        operator_id=owner.unionid,
    )
    document = dingtalk.docs.create(space.workspace_id, "手册", operator_id=owner.unionid)

    mine = dingtalk.docs.related_workspaces(operator_id=owner.unionid)
    theirs = dingtalk.docs.related_workspaces(operator_id=editor.unionid, include_recent=True)
    info = dingtalk.docs.get_workspace(space.workspace_id)

    assert {(item.name, item.role) for item in mine} == {("私人库", "OWNER"), ("知识库", "OWNER")}
    assert [(item.name, item.role) for item in theirs] == [("知识库", "EDITOR")]
    assert [recent.node_id for recent in theirs[0].recent_list] == [document.node_id]
    assert info.owner == owner.unionid
    assert info.root_dentry_uuid == space.root_node_id


def test_doc_members_update_and_remove(dingtalk: DingTalk, dingtalk_fake: FakeDingTalk) -> None:
    owner = _user(dingtalk_fake, "王主任", "13800000001")
    member = _user(dingtalk_fake, "李干事", "13800000002")
    space = dingtalk.wiki.create_workspace("知识库", operator_id=owner.unionid)
    document = dingtalk.docs.create(space.workspace_id, "手册", operator_id=owner.unionid)
    dingtalk.sheets.add_members(
        space.workspace_id,
        document.node_id,
        [DocMember(member.unionid, "USER", "ONLY_VIEWER")],
        operator_id=owner.unionid,
    )

    dingtalk.docs.update_doc_members(
        space.workspace_id,
        document.node_id,
        [WorkspaceMember(member.unionid, "USER", "EDITOR")],
        operator_id=owner.unionid,
    )
    role_after_update = dingtalk.wiki.get_node(
        document.node_id, operator_id=member.unionid, with_role=True
    ).permission_role
    dingtalk.docs.remove_doc_members(
        space.workspace_id,
        document.node_id,
        [WorkspaceMember(member.unionid)],
        operator_id=owner.unionid,
    )

    assert role_after_update == "EDITOR"
    with pytest.raises(APIError) as caught:
        dingtalk.wiki.get_node(document.node_id, operator_id=member.unionid)
    assert caught.value.code == "permissionDenied"
