"""Knowledge-base endpoints: wiki 2.0 workspaces and nodes, doc 1.0 members, nodes and content.

The sheets handlers serve the doc 1.0 create calls (workspace, document or folder, document
members) over the same :class:`WorkbookState`, and this module serves the rest. Every call
names its ``operatorId``, a unionId of the corp; wiki 2.0 answers 403 ``permissionDenied`` to a
person with no role, doc 1.0 answers 403 ``forbidden.accessDenied``.
"""

from __future__ import annotations

from typing import Any

from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.wiki import (
    DOC_MEMBER_ROLES,
    MAX_MEMBERS_PER_CALL,
    MAX_NODES_PAGE,
    MAX_WORKSPACES_PAGE,
    WikiState,
    wiki_error,
    wiki_time,
)
from censusdt_fake.models.workbooks import (
    READ_ROLES,
    WRITE_ROLES,
    DocsWorkspace,
    WorkbookState,
    WorkspaceDocument,
)

router = Router()

_DOC_URL = "https://alidocs.dingtalk.com/i/nodes/{}"
_SPACE_URL = "https://alidocs.dingtalk.com/i/spaces/{}/overview"
_EXTENSIONS = {"DOC": "adoc", "WORKBOOK": "axls", "MIND": "amind"}
_ORDERS = ("VIEW_TIME_DESC", "CREATE_TIME_DESC", "MODIFIED_TIME_DESC")


def _states(call: Call) -> tuple[WorkbookState, WikiState]:
    return call.tenant.ext(WorkbookState), call.tenant.ext(WikiState)


def _operator(call: Call, *, dialect: str) -> str:
    """Return the required ``operatorId`` after checking it is a unionId of the corp."""
    operator = call.string("operatorId", required=True)
    if call.tenant.ext(ContactsState).user_by_unionid(operator) is None:
        if dialect == "wiki":
            raise wiki_error(400, "paramError", "operatorId is invalid")
        raise wiki_error(403, "forbidden.user.notInOrg", "The user is not in the organization.")
    return str(operator)


def _dept_ids(call: Call, union_id: str) -> tuple[int, ...]:
    """Return the person's departments and their ancestors, for department-wide roles."""
    contacts = call.tenant.ext(ContactsState)
    user = contacts.user_by_unionid(union_id)
    if user is None:
        return ()
    found: dict[int, None] = {}
    for dept_id in user.dept_id_list:
        if dept_id in contacts.departments:
            found.update(dict.fromkeys(contacts.ancestors(dept_id)))
    return tuple(found)


def _page_size(call: Call, limit: int) -> int:
    size = call.integer("maxResults", default=limit)
    if not 1 <= size <= limit:
        raise wiki_error(400, "paramError", f"maxResults must be between 1 and {limit}")
    return int(size)


def _offset(call: Call) -> int:
    token = call.string("nextToken")
    if token is None:
        return 0
    if not token.isdigit():
        raise wiki_error(400, "paramError", "nextToken is invalid")
    return int(token)


def _render_workspace(
    call: Call, workspace: DocsWorkspace, operator: str, *, with_role: bool
) -> dict[str, Any]:
    docs, wiki = _states(call)
    extra = wiki.workspace_extra(docs, workspace.workspace_id, call.now_ms)
    rendered: dict[str, Any] = {
        "workspaceId": workspace.workspace_id,
        "corpId": call.tenant.corp_id,
        "rootNodeId": extra.root_node_id,
        "name": workspace.name,
        "type": "TEAM",
        "description": workspace.description or "",
        "url": _SPACE_URL.format(workspace.workspace_id),
        "creatorId": extra.creator,
        "modifierId": extra.creator,
        "createTime": wiki_time(extra.created_ms),
        "modifiedTime": wiki_time(extra.modified_ms),
    }
    if extra.team_id:
        rendered["teamId"] = extra.team_id
    if with_role:
        role = wiki.workspace_role(
            docs, workspace.workspace_id, operator, _dept_ids(call, operator)
        )
        rendered["permissionRole"] = wiki.wiki_role(role)
    return rendered


def _render_node(
    call: Call, document: WorkspaceDocument, operator: str, *, with_role: bool, with_stats: bool
) -> dict[str, Any]:
    docs, wiki = _states(call)
    extra = wiki.node_extra(document, call.now_ms)
    folder = document.doc_type == "FOLDER"
    rendered: dict[str, Any] = {
        "nodeId": document.node_id,
        "workspaceId": document.workspace_id,
        "name": document.name,
        "size": len(extra.content.encode("utf-8")),
        "type": "FOLDER" if folder else "FILE",
        "url": _DOC_URL.format(document.node_id),
        "creatorId": document.creator,
        "modifierId": extra.modifier,
        "createTime": wiki_time(extra.created_ms),
        "modifiedTime": wiki_time(extra.modified_ms),
        "createTimestamp": extra.created_ms,
        "modifiedTimestamp": extra.modified_ms,
        "hasChildren": bool(wiki.children(docs, document.workspace_id, document.node_id)),
    }
    if not folder:
        rendered["category"] = "ALIDOC"
        rendered["extension"] = _EXTENSIONS.get(document.doc_type, "adoc")
    if with_role:
        rendered["permissionRole"] = wiki.wiki_role(
            wiki.node_role(docs, document, operator, _dept_ids(call, operator))
        )
    if with_stats:
        rendered["statisticalInfo"] = {"wordCount": len("".join(extra.content.split()))}
    return rendered


def _readable_workspace(call: Call, workspace_id: str, operator: str) -> DocsWorkspace:
    docs, wiki = _states(call)
    workspace = docs.workspaces.get(workspace_id)
    if workspace is None:
        raise wiki_error(404, "workspaceNotExist", "workspace not exist")
    if (
        wiki.workspace_role(docs, workspace_id, operator, _dept_ids(call, operator))
        not in READ_ROLES
    ):
        raise wiki_error(403, "permissionDenied", "permission denied")
    return workspace


# Wiki 2.0 workspaces.


@router.post("/v2.0/wiki/workspaces")
def add_workspace(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="wiki")
    name = call.string("name")
    if name is None:
        raise wiki_error(400, "paramError.name", "name is invalid")
    option = call.raw("option") or {}
    if not isinstance(option, dict):
        raise wiki_error(400, "paramError", "option is invalid")
    description = option.get("description")
    team_id = option.get("teamId")
    docs, wiki = _states(call)
    workspace = wiki.add_workspace(
        docs,
        name,
        operator,
        description=str(description) if description is not None else None,
        team_id=str(team_id) if team_id else None,
        now_ms=call.now_ms,
    )
    return {"workspace": _render_workspace(call, workspace, operator, with_role=False)}


@router.get("/v2.0/wiki/workspaces/{workspaceId}")
def get_workspace(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="wiki")
    workspace = _readable_workspace(call, call.path_params["workspaceId"], operator)
    with_role = call.boolean("withPermissionRole")
    return {"workspace": _render_workspace(call, workspace, operator, with_role=with_role)}


@router.get("/v2.0/wiki/workspaces")
def list_workspaces(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="wiki")
    size = _page_size(call, MAX_WORKSPACES_PAGE)
    offset = _offset(call)
    order = call.string("orderBy", default="VIEW_TIME_DESC")
    if order not in _ORDERS:
        raise wiki_error(400, "paramError.orderBy", "orderBy is invalid")
    team_id = call.string("teamId")
    with_role = call.boolean("withPermissionRole")
    docs, wiki = _states(call)
    visible = [
        workspace
        for workspace in docs.workspaces.values()
        if wiki.workspace_role(docs, workspace.workspace_id, operator, _dept_ids(call, operator))
        is not None
        and (
            team_id is None
            or wiki.workspace_extra(docs, workspace.workspace_id, 0).team_id == team_id
        )
    ]

    def sort_key(workspace: DocsWorkspace) -> int:
        extra = wiki.workspace_extra(docs, workspace.workspace_id, call.now_ms)
        return extra.created_ms if order == "CREATE_TIME_DESC" else extra.modified_ms

    # Newest first; equal times keep creation order (sorted is stable).
    ordered = sorted(visible, key=lambda workspace: -sort_key(workspace))
    page = ordered[offset : offset + size]
    body: dict[str, Any] = {
        "workspaces": [
            _render_workspace(call, workspace, operator, with_role=with_role) for workspace in page
        ]
    }
    if offset + size < len(ordered):
        body["nextToken"] = str(offset + size)
    return body


# Wiki 2.0 nodes.


def _readable_node(call: Call, node_id: str, operator: str) -> WorkspaceDocument:
    docs, wiki = _states(call)
    document = docs.documents.get(node_id)
    if document is None or document.workspace_id not in docs.workspaces:
        raise wiki_error(404, "nodeNotExist", "node not exist")
    if wiki.node_role(docs, document, operator, _dept_ids(call, operator)) not in READ_ROLES:
        raise wiki_error(403, "permissionDenied", "permission denied")
    return document


@router.get("/v2.0/wiki/nodes/{nodeId}")
def get_node(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="wiki")
    document = _readable_node(call, call.path_params["nodeId"], operator)
    return {
        "node": _render_node(
            call,
            document,
            operator,
            with_role=call.boolean("withPermissionRole"),
            with_stats=call.boolean("withStatisticalInfo"),
        )
    }


@router.get("/v2.0/wiki/nodes")
def list_nodes(call: Call) -> dict[str, Any]:
    parent_id = call.string("parentNodeId", required=True)
    operator = _operator(call, dialect="wiki")
    size = _page_size(call, MAX_NODES_PAGE)
    offset = _offset(call)
    docs, wiki = _states(call)
    workspace_id = wiki.workspace_by_root(docs, parent_id)
    parent: str | None
    if workspace_id is not None:
        _readable_workspace(call, workspace_id, operator)
        parent = None
    else:
        folder = docs.documents.get(parent_id)
        if folder is None or folder.workspace_id not in docs.workspaces:
            raise wiki_error(404, "parentNodeNotExist", "parent node not exist")
        _readable_node(call, parent_id, operator)
        workspace_id, parent = folder.workspace_id, folder.node_id
    children = wiki.children(docs, workspace_id, parent)
    page = children[offset : offset + size]
    with_role = call.boolean("withPermissionRole")
    body: dict[str, Any] = {
        "nodes": [
            _render_node(call, document, operator, with_role=with_role, with_stats=False)
            for document in page
        ]
    }
    if offset + size < len(children):
        body["nextToken"] = str(offset + size)
    return body


# Doc 1.0 workspace members.


def _members(call: Call) -> list[tuple[str, str, str]]:
    raw = call.raw("members")
    if not isinstance(raw, list) or not raw:
        raise call.missing("members")
    members = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("memberId"):
            raise wiki_error(400, "invalidRequest.inputArgs.invalid", f"Invalid member {item!r}")
        members.append(
            (str(item["memberId"]), str(item.get("memberType", "")), str(item.get("roleType", "")))
        )
    return members


def _change_members(call: Call, *, remove: bool) -> list[str]:
    operator = _operator(call, dialect="doc")
    members = _members(call)
    contacts = call.tenant.ext(ContactsState)
    not_in_org = [
        member_id
        for member_id, member_type, _ in members
        if member_type == "USER" and contacts.user_by_unionid(member_id) is None
    ]
    known = [member for member in members if member[0] not in not_in_org]
    docs, wiki = _states(call)
    wiki.set_workspace_members(
        docs, call.path_params["workspaceId"], operator, known, remove=remove
    )
    return not_in_org


@router.post("/v1.0/doc/workspaces/{workspaceId}/members")
def add_workspace_members(call: Call) -> dict[str, Any]:
    return {"notInOrgList": _change_members(call, remove=False)}


@router.put("/v1.0/doc/workspaces/{workspaceId}/members")
def update_workspace_members(call: Call) -> dict[str, Any]:
    _change_members(call, remove=False)
    return {}


@router.post("/v1.0/doc/workspaces/{workspaceId}/members/remove")
def delete_workspace_members(call: Call) -> dict[str, Any]:
    _change_members(call, remove=True)
    return {}


# Doc 1.0 nodes and content.


def _doc_in_workspace(call: Call) -> WorkspaceDocument:
    docs, _ = _states(call)
    workspace_id = call.path_params["workspaceId"]
    if workspace_id not in docs.workspaces:
        raise wiki_error(404, "invalidRequest.resource.notFound", "Workspace not found")
    document = docs.documents.get(call.path_params["nodeId"])
    if document is None:
        raise wiki_error(404, "invalidRequest.resource.notFound", "Document not found")
    if document.workspace_id != workspace_id:
        raise wiki_error(
            400, "invalidRequest.workspaceNode.notInWorkspace", "The node is not in the workspace."
        )
    return document


@router.get("/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}")
def get_workspace_node(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="doc")
    document = _doc_in_workspace(call)
    docs, wiki = _states(call)
    role = wiki.node_role(docs, document, operator, _dept_ids(call, operator))
    extra = wiki.node_extra(document, call.now_ms)
    workspace = docs.workspaces[document.workspace_id]
    return {
        "hasPermission": role in READ_ROLES,
        "nodeBO": {
            "nodeId": document.node_id,
            "name": document.name,
            "url": _DOC_URL.format(document.node_id),
            "docType": document.doc_type,
            "lastEditTime": extra.modified_ms,
        },
        "workspaceBO": {"workspaceId": workspace.workspace_id, "name": workspace.name},
    }


@router.delete("/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}")
def delete_workspace_doc(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="doc")
    document = _doc_in_workspace(call)
    docs, wiki = _states(call)
    if wiki.node_role(docs, document, operator, _dept_ids(call, operator)) not in WRITE_ROLES:
        raise wiki_error(403, "forbidden.accessDenied", "Access denied")
    wiki.delete_node(docs, document)
    return {}


# NOTE: this content call (doc 1.0 DocUpdateContent) is not in the project's reference notes;
# path and body follow DingTalk's SDK: docKey in the path, operatorId/content/dataType in the body.
@router.post("/v1.0/doc/suites/documents/{docKey}/overwriteContent")
def overwrite_content(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="doc")
    content = call.raw("content")
    if not isinstance(content, str):
        raise call.missing("content")
    data_type = call.string("dataType", default="markdown")
    if data_type != "markdown":
        raise wiki_error(400, "invalidRequest.inputArgs.invalid", f"Invalid dataType: {data_type}")
    docs, wiki = _states(call)
    document = wiki.document_by_key(docs, call.path_params["docKey"])
    if document is None or document.doc_type != "DOC":
        raise wiki_error(404, "invalidRequest.document.deleted", "Document not found")
    if wiki.node_role(docs, document, operator, _dept_ids(call, operator)) not in WRITE_ROLES:
        raise wiki_error(403, "forbidden.accessDenied", "Access denied")
    wiki.overwrite_content(document, content, operator, call.now_ms)
    return {}


# Control plane.


@router.get("/__fake__/wiki/nodes/{nodeId}/content", control=True)
def control_content(call: Call) -> dict[str, Any]:
    """Return a document's Markdown content, as a person opening it would read it."""
    docs, wiki = _states_control(call)
    document = docs.documents.get(call.path_params["nodeId"])
    if document is None:
        raise KeyError(f"no node {call.path_params['nodeId']}")
    extra = wiki.nodes.get(document.node_id)
    return {"nodeId": document.node_id, "content": extra.content if extra else ""}


def _states_control(call: Call) -> tuple[WorkbookState, WikiState]:
    corp = call.fake.default_corp
    return corp.ext(WorkbookState), corp.ext(WikiState)


# Doc 1.0 workspaces as a person sees them.


@router.get("/v1.0/doc/workspaces")
def get_related_workspaces(call: Call) -> dict[str, Any]:
    operator = _operator(call, dialect="doc")
    include_recent = call.boolean("includeRecent")
    docs, wiki = _states(call)
    dept_ids = _dept_ids(call, operator)
    rendered = []
    for workspace in docs.workspaces.values():
        role = wiki.workspace_role(docs, workspace.workspace_id, operator, dept_ids)
        if role is None:
            continue
        extra = wiki.workspace_extra(docs, workspace.workspace_id, call.now_ms)
        item: dict[str, Any] = {
            "workspaceId": workspace.workspace_id,
            "name": workspace.name,
            "url": _SPACE_URL.format(workspace.workspace_id),
            "deleted": False,
            "owner": workspace.owner,
            "role": role,
            "createTime": extra.created_ms,
        }
        if include_recent:
            recent = sorted(
                (
                    (wiki.node_extra(document, call.now_ms), document)
                    for document in docs.documents.values()
                    if document.workspace_id == workspace.workspace_id
                    and document.doc_type != "FOLDER"
                ),
                key=lambda pair: -pair[0].modified_ms,
            )
            item["recentList"] = [
                {
                    "nodeId": document.node_id,
                    "name": document.name,
                    "url": _DOC_URL.format(document.node_id),
                    "lastEditTime": node.modified_ms,
                }
                for node, document in recent[:10]
            ]
        rendered.append(item)
    return {"workspaces": rendered}


@router.get("/v1.0/doc/workspaces/{workspaceId}")
def get_doc_workspace(call: Call) -> dict[str, Any]:
    docs, wiki = _states(call)
    workspace_id = call.path_params["workspaceId"]
    workspace = docs.workspaces.get(workspace_id)
    if workspace is None:
        raise wiki_error(404, "invalidRequest.resource.notFound", "Workspace not found")
    extra = wiki.workspace_extra(docs, workspace_id, call.now_ms)
    return {
        "url": _SPACE_URL.format(workspace_id),
        "isDeleted": False,
        "owner": workspace.owner,
        "rootDentryUuid": extra.root_node_id,
    }


# Doc 1.0 document members (the sheets handlers serve adding them).


def _change_doc_members(call: Call, *, remove: bool) -> None:
    operator = _operator(call, dialect="doc")
    members = _members(call)
    document = _doc_in_workspace(call)
    docs, wiki = _states(call)
    if len(members) > MAX_MEMBERS_PER_CALL:
        raise wiki_error(400, "invalidRequest.inputArgs.overLimit", "At most 50 members per call")
    if wiki.node_role(docs, document, operator, _dept_ids(call, operator)) not in {
        "OWNER",
        "MANAGER",
    }:
        raise wiki_error(403, "forbidden.accessDenied", "Access denied")
    for member_id, member_type, role in members:
        if member_type not in ("USER", "DEPT") or (not remove and role not in DOC_MEMBER_ROLES):
            raise wiki_error(
                400,
                "invalidRequest.inputArgs.invalid",
                f"Invalid member {member_id}: {member_type} {role}",
            )
        if remove and member_id in (document.creator, operator):
            raise wiki_error(
                400,
                "invalidRequest.permission.operationIllegal",
                "Cannot remove the owner or yourself",
            )
    for member_id, member_type, role in members:
        key = member_id if member_type == "USER" else f"dept:{member_id}"
        if remove:
            document.members.pop(key, None)
        else:
            document.members[key] = role


@router.put("/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}/members")
def update_workspace_doc_members(call: Call) -> dict[str, Any]:
    _change_doc_members(call, remove=False)
    return {}


@router.post("/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}/members/remove")
def delete_workspace_doc_members(call: Call) -> dict[str, Any]:
    _change_doc_members(call, remove=True)
    return {}
