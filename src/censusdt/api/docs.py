"""Documents (doc 1.0): workspace members, documents, folders and content; declarations only."""

from __future__ import annotations

import attrs

from censusdt._endpoint import Endpoint
from censusdt.api.sheets import MEMBER_ROLES, MEMBERS_PER_CALL, WORKSPACE_DOC_CREATE

__all__ = [
    "CONTENT_OVERWRITE",
    "DOC_MEMBERS_REMOVE",
    "DOC_MEMBERS_UPDATE",
    "DOC_TYPES",
    "MEMBERS_PER_CALL",
    "MEMBER_ROLES",
    "RELATED_WORKSPACES",
    "WORKSPACE_DOC_CREATE",
    "WORKSPACE_DOC_DELETE",
    "WORKSPACE_DOC_GET",
    "WORKSPACE_INFO",
    "WORKSPACE_MEMBERS_ADD",
    "WORKSPACE_MEMBERS_REMOVE",
    "WORKSPACE_MEMBERS_UPDATE",
    "CreatedDoc",
    "NodeInfo",
    "RecentDoc",
    "RelatedWorkspace",
    "WorkspaceInfo",
    "WorkspaceMember",
]

RELATED_WORKSPACES = Endpoint.new("GET", "/v1.0/doc/workspaces", idempotent=True)
WORKSPACE_INFO = Endpoint.new("GET", "/v1.0/doc/workspaces/{workspaceId}", idempotent=True)
DOC_MEMBERS_UPDATE = Endpoint.new(
    "PUT", "/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}/members", idempotent=True
)
DOC_MEMBERS_REMOVE = Endpoint.new(
    "POST", "/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}/members/remove", idempotent=True
)
WORKSPACE_DOC_GET = Endpoint.new(
    "GET", "/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}", idempotent=True
)
WORKSPACE_DOC_DELETE = Endpoint.new(
    "DELETE", "/v1.0/doc/workspaces/{workspaceId}/docs/{nodeId}", idempotent=True
)
WORKSPACE_MEMBERS_ADD = Endpoint.new(
    "POST", "/v1.0/doc/workspaces/{workspaceId}/members", idempotent=True
)
WORKSPACE_MEMBERS_UPDATE = Endpoint.new(
    "PUT", "/v1.0/doc/workspaces/{workspaceId}/members", idempotent=True
)
WORKSPACE_MEMBERS_REMOVE = Endpoint.new(
    "POST", "/v1.0/doc/workspaces/{workspaceId}/members/remove", idempotent=True
)
# NOTE: the content call (DocUpdateContent) is taken from DingTalk's SDK, not from a page the
# project has checked; it replaces the whole document with the given Markdown.
CONTENT_OVERWRITE = Endpoint.new(
    "POST", "/v1.0/doc/suites/documents/{docKey}/overwriteContent", idempotent=True
)

#: What CreateWorkspaceDoc can create.
DOC_TYPES = ("DOC", "WORKBOOK", "MIND", "FOLDER")


@attrs.frozen
class WorkspaceMember:
    """A person (unionId) or department (dept_id as text) with a role in a workspace."""

    member_id: str
    member_type: str = "USER"
    role_type: str = "ONLY_VIEWER"


@attrs.frozen
class CreatedDoc:
    """A document or folder just created; ``doc_key`` addresses its content."""

    workspace_id: str
    node_id: str
    doc_key: str | None = None
    url: str | None = None
    dentry_uuid: str | None = None


@attrs.frozen
class NodeInfo:
    """GetWorkspaceNode: whether the operator may open the node, and what it is."""

    has_permission: bool
    node_id: str
    name: str
    doc_type: str | None
    workspace_id: str
    workspace_name: str | None
    url: str | None = None
    last_edit_time: int | None = None


@attrs.frozen
class RecentDoc:
    """A recently edited document of a workspace; ``last_edit_time`` is epoch milliseconds."""

    node_id: str
    name: str
    url: str | None = None
    last_edit_time: int | None = None


@attrs.frozen
class RelatedWorkspace:
    """A workspace the operator can open, with their role in it.

    ``role`` is OWNER, MANAGER, EDITOR, VIEWER or ONLY_VIEWER; ``create_time`` is epoch ms.
    """

    workspace_id: str
    name: str
    role: str | None = None
    owner: str | None = None
    url: str | None = None
    deleted: bool = False
    create_time: int | None = None
    recent_list: tuple[RecentDoc, ...] = ()


@attrs.frozen
class WorkspaceInfo:
    """Doc 1.0 GetWorkspace: the workspace's owner and the dentryUuid of its root."""

    url: str | None
    is_deleted: bool
    owner: str | None
    root_dentry_uuid: str | None
