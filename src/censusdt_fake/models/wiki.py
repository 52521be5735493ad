"""Knowledge-base state of one corp: wiki 2.0 views over the doc 1.0 workspaces (no HTTP here).

Workspaces and their documents live in :class:`WorkbookState` (the doc 1.0 create calls are
served by the sheets handlers), because DingTalk shares workspace and node ids between wiki 2.0,
doc 1.0 and sheets. This state adds what wiki 2.0 shows on top: each workspace's root node,
creation and modification times, workspace members, and each document's text content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

import attrs

from censusdt_fake._errors import NewApiError
from censusdt_fake.models.workbooks import DocsWorkspace, WorkbookState, WorkspaceDocument

__all__ = [
    "DOC_MEMBER_ROLES",
    "MAX_MEMBERS_PER_CALL",
    "MAX_NODES_PAGE",
    "MAX_WORKSPACES_PAGE",
    "NodeExtra",
    "WikiState",
    "WorkspaceExtra",
    "wiki_time",
]

#: ListWorkspaces returns at most 30 workspaces a page (default 30).
MAX_WORKSPACES_PAGE = 30
#: ListNodes returns at most 50 nodes a page (default 50).
MAX_NODES_PAGE = 50
#: Doc 1.0 member calls take at most 50 members.
MAX_MEMBERS_PER_CALL = 50
#: Roles a doc 1.0 member call may grant.
DOC_MEMBER_ROLES = frozenset({"ONLY_VIEWER", "VIEWER", "EDITOR"})

#: Doc 1.0 roles as wiki 2.0 reports them.
_WIKI_ROLE = {
    "OWNER": "OWNER",
    "MANAGER": "MANAGER",
    "EDITOR": "EDITOR",
    "VIEWER": "DOWNLOADER",
    "ONLY_VIEWER": "READER",
}
_SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def wiki_time(ms: int) -> str:
    """Wiki 2.0 times are ISO-8601 strings with the offset, in China Standard Time."""
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=_SHANGHAI)
    return moment.isoformat(timespec="seconds")


def wiki_error(status: int, code: str, message: str) -> NewApiError:
    return NewApiError(status, code, message)


@attrs.define
class WorkspaceExtra:
    """Workspace fields that wiki 2.0 returns and doc 1.0 does not store."""

    root_node_id: str
    created_ms: int
    modified_ms: int
    creator: str
    team_id: str | None = None


@attrs.define
class NodeExtra:
    """A node's times, modifier and text content (Markdown as written)."""

    created_ms: int
    modified_ms: int
    modifier: str
    content: str = ""
    #: How many times the content was overwritten, for tests that count writes.
    content_writes: int = 0


@attrs.define
class WikiState:
    """Wiki 2.0 extras keyed by workspace id and node id."""

    workspaces: dict[str, WorkspaceExtra] = attrs.field(factory=dict)
    nodes: dict[str, NodeExtra] = attrs.field(factory=dict)

    # Workspaces.

    def workspace_extra(
        self, docs: WorkbookState, workspace_id: str, now_ms: int
    ) -> WorkspaceExtra:
        """Return the extras of a doc 1.0 workspace, recorded on the first wiki 2.0 read."""
        workspace = docs.workspaces.get(workspace_id)
        if workspace is None:
            raise wiki_error(404, "workspaceNotExist", "workspace not exist")
        extra = self.workspaces.get(workspace_id)
        if extra is None:
            # NOTE: workspaces created through doc 1.0 get their times when wiki 2.0 first
            # reads them, since the doc 1.0 handlers keep no times.
            extra = WorkspaceExtra(
                root_node_id=_derived_id("root", workspace_id),
                created_ms=now_ms,
                modified_ms=now_ms,
                creator=workspace.owner,
            )
            self.workspaces[workspace_id] = extra
        return extra

    def add_workspace(
        self,
        docs: WorkbookState,
        name: str,
        operator: str,
        *,
        description: str | None,
        team_id: str | None,
        now_ms: int,
    ) -> DocsWorkspace:
        if not name.strip():
            raise wiki_error(400, "paramError.name", "name is invalid")
        if description is not None and len(description) > 200:
            raise wiki_error(400, "paramError.description", "description is invalid")
        workspace = docs.create_workspace(name, operator, description)
        self.workspaces[workspace.workspace_id] = WorkspaceExtra(
            root_node_id=_derived_id("root", workspace.workspace_id),
            created_ms=now_ms,
            modified_ms=now_ms,
            creator=operator,
            team_id=team_id,
        )
        return workspace

    def workspace_by_root(self, docs: WorkbookState, node_id: str) -> str | None:
        for workspace_id in docs.workspaces:
            if _derived_id("root", workspace_id) == node_id:
                return workspace_id
        return None

    # Roles.

    def workspace_role(
        self,
        docs: WorkbookState,
        workspace_id: str,
        union_id: str,
        dept_ids: Iterable[int] = (),
    ) -> str | None:
        """The doc 1.0 role of ``union_id`` in a workspace, or None.

        ``dept_ids`` are the person's departments and their ancestors: a department member
        gives its role to everyone below it.
        """
        workspace = docs.workspaces[workspace_id]
        if workspace.owner == union_id:
            return "OWNER"
        roles = [workspace.members.get(union_id)]
        roles += [workspace.members.get(f"dept:{dept_id}") for dept_id in dept_ids]
        return _highest(roles)

    def node_role(
        self,
        docs: WorkbookState,
        document: WorkspaceDocument,
        union_id: str,
        dept_ids: Iterable[int] = (),
    ) -> str | None:
        """A node's role for ``union_id``: the higher of its own and the workspace's."""
        dept_ids = tuple(dept_ids)
        roles = [docs.role_of(document.node_id, union_id, dept_ids)]
        if document.workspace_id in docs.workspaces:
            roles.append(self.workspace_role(docs, document.workspace_id, union_id, dept_ids))
        return _highest(roles)

    @staticmethod
    def wiki_role(role: str | None) -> str:
        return _WIKI_ROLE.get(role or "", "NONE")

    def set_workspace_members(
        self,
        docs: WorkbookState,
        workspace_id: str,
        operator: str,
        members: list[tuple[str, str, str]],
        *,
        remove: bool = False,
    ) -> list[str]:
        """Add, change or remove workspace members; return unionIds not in the corp.

        Only the owner or a manager may change members; the owner cannot be removed.
        """
        workspace = docs.workspaces.get(workspace_id)
        if workspace is None:
            raise wiki_error(404, "invalidRequest.resource.notFound", "Workspace not found")
        if len(members) > MAX_MEMBERS_PER_CALL:
            raise wiki_error(
                400, "invalidRequest.inputArgs.overLimit", "At most 50 members per call"
            )
        if self.workspace_role(docs, workspace_id, operator) not in {"OWNER", "MANAGER"}:
            raise wiki_error(403, "forbidden.accessDenied", "Access denied")
        for member_id, member_type, role in members:
            if member_type not in ("USER", "DEPT") or (not remove and role not in DOC_MEMBER_ROLES):
                raise wiki_error(
                    400,
                    "invalidRequest.inputArgs.invalid",
                    f"Invalid member {member_id}: {member_type} {role}",
                )
            if remove and member_id in (workspace.owner, operator):
                raise wiki_error(
                    400,
                    "invalidRequest.permission.operationIllegal",
                    "Cannot remove the owner or yourself",
                )
        for member_id, member_type, role in members:
            key = member_id if member_type == "USER" else f"dept:{member_id}"
            if remove:
                workspace.members.pop(key, None)
            else:
                workspace.members[key] = role
        return []

    # Nodes.

    def node_extra(self, document: WorkspaceDocument, now_ms: int) -> NodeExtra:
        extra = self.nodes.get(document.node_id)
        if extra is None:
            # NOTE: documents created through doc 1.0 get their times when first seen here.
            extra = NodeExtra(created_ms=now_ms, modified_ms=now_ms, modifier=document.creator)
            self.nodes[document.node_id] = extra
        return extra

    def children(
        self, docs: WorkbookState, workspace_id: str, parent_node_id: str | None
    ) -> list[WorkspaceDocument]:
        """Children of a folder or of the root (``None``), in creation order."""
        return [
            document
            for document in docs.documents.values()
            if document.workspace_id == workspace_id and document.parent_node_id == parent_node_id
        ]

    def document_by_key(self, docs: WorkbookState, doc_key: str) -> WorkspaceDocument | None:
        # The doc 1.0 create call returns the first 16 characters of the node id as docKey.
        for document in docs.documents.values():
            if document.node_id[:16] == doc_key:
                return document
        return None

    def overwrite_content(
        self, document: WorkspaceDocument, content: str, operator: str, now_ms: int
    ) -> None:
        extra = self.node_extra(document, now_ms)
        extra.content = content
        extra.modified_ms = now_ms
        extra.modifier = operator
        extra.content_writes += 1

    def delete_node(self, docs: WorkbookState, document: WorkspaceDocument) -> None:
        """Delete a node and everything under it."""
        for child in self.children(docs, document.workspace_id, document.node_id):
            self.delete_node(docs, child)
        docs.documents.pop(document.node_id, None)
        docs.workbooks.pop(document.node_id, None)
        self.nodes.pop(document.node_id, None)


def _highest(roles: Iterable[str | None]) -> str | None:
    ranked = ["OWNER", "MANAGER", "EDITOR", "VIEWER", "ONLY_VIEWER"]
    present = set(roles)
    return next((role for role in ranked if role in present), None)


def _derived_id(prefix: str, seed: str) -> str:
    return hashlib.sha1(f"{prefix}/{seed}".encode()).hexdigest()[:24]
