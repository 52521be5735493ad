"""Workspaces, workbook documents and document permissions of one corp (no HTTP here).

A workbook is a document of a workspace, and its id is the document's node id. The operator of
every sheet call is a unionId, and this state decides what that person may do. The creator owns
the workbook, and members get ``EDITOR``, ``VIEWER`` or ``ONLY_VIEWER``.
"""

from __future__ import annotations

import hashlib

import attrs

from censusdt_fake._errors import NewApiError
from censusdt_fake.models.sheet_errors import AccessDenied, ResourceNotFound
from censusdt_fake.models.sheets import Workbook

__all__ = [
    "MAX_RANGE_CELLS",
    "READ_ROLES",
    "WRITE_ROLES",
    "DocsWorkspace",
    "WorkbookState",
    "WorkspaceDocument",
]

# NOTE: DingTalk publishes no hard maximum of cells per GetRange or UpdateRange, so the fake
# returns 400 invalidRequest.inputArgs.invalid above 40,000 cells, the number censusdt assumes.
MAX_RANGE_CELLS = 40_000

WRITE_ROLES = frozenset({"OWNER", "MANAGER", "EDITOR"})
READ_ROLES = WRITE_ROLES | {"VIEWER", "ONLY_VIEWER"}
_MEMBER_ROLES = frozenset({"ONLY_VIEWER", "VIEWER", "EDITOR"})
_DOC_TYPES = frozenset({"DOC", "WORKBOOK", "MIND", "FOLDER"})


def _doc_error(status: int, code: str, message: str) -> NewApiError:
    return NewApiError(status, code, message)


@attrs.define
class DocsWorkspace:
    workspace_id: str
    name: str
    description: str | None
    owner: str
    members: dict[str, str] = attrs.field(factory=dict)


@attrs.define
class WorkspaceDocument:
    node_id: str
    workspace_id: str
    name: str
    doc_type: str
    creator: str
    parent_node_id: str | None = None
    #: unionId (or ``dept:<id>``) to role.
    members: dict[str, str] = attrs.field(factory=dict)


@attrs.define
class WorkbookState:
    """The corp's workspaces, documents and the grids of its workbooks."""

    workspaces: dict[str, DocsWorkspace] = attrs.field(factory=dict)
    documents: dict[str, WorkspaceDocument] = attrs.field(factory=dict)
    workbooks: dict[str, Workbook] = attrs.field(factory=dict)
    max_range_cells: int = MAX_RANGE_CELLS
    next_number: int = 1

    # Workspaces and documents.

    def create_workspace(self, name: str, operator: str, description: str | None) -> DocsWorkspace:
        if any(space.name == name for space in self.workspaces.values()):
            raise _doc_error(
                400, "invalidRequest.workspace.nameConflict", f"Workspace name {name} exists"
            )
        workspace_id = self._new_id("ws", name)
        workspace = DocsWorkspace(workspace_id, name, description, operator)
        self.workspaces[workspace_id] = workspace
        return workspace

    def create_document(
        self,
        workspace_id: str,
        name: str,
        doc_type: str,
        operator: str,
        parent_node_id: str | None = None,
    ) -> WorkspaceDocument:
        workspace = self.workspaces.get(workspace_id)
        if workspace is None:
            raise _doc_error(404, "invalidRequest.resource.notFound", "Workspace not found")
        if doc_type not in _DOC_TYPES:
            raise _doc_error(
                400, "invalidRequest.inputArgs.invalid", f"Invalid docType: {doc_type}"
            )
        if parent_node_id is not None:
            parent = self.documents.get(parent_node_id)
            if parent is None or parent.workspace_id != workspace_id:
                raise _doc_error(
                    400,
                    "invalidRequest.workspaceNode.parentNotFound",
                    f"Parent node {parent_node_id} not found",
                )
        siblings = [
            doc
            for doc in self.documents.values()
            if doc.workspace_id == workspace_id and doc.parent_node_id == parent_node_id
        ]
        if any(doc.name == name for doc in siblings):
            raise _doc_error(
                400, "invalidRequest.workspaceNode.nameConflict", f"Node name {name} exists"
            )

        node_id = self._new_id("node", f"{workspace_id}/{name}")
        document = WorkspaceDocument(
            node_id, workspace_id, name, doc_type, operator, parent_node_id
        )
        self.documents[node_id] = document
        if doc_type == "WORKBOOK":
            self.workbooks[node_id] = Workbook(node_id, name=name)
        return document

    def add_members(self, node_id: str, operator: str, members: list[tuple[str, str, str]]) -> None:
        """Give ``(member_id, member_type, role_type)`` their roles on a document."""
        document = self.document(node_id)
        if len(members) > 50:
            raise _doc_error(
                400, "invalidRequest.inputArgs.overLimit", "At most 50 members per call"
            )
        if self.role_of(node_id, operator) not in {"OWNER", "MANAGER"}:
            raise AccessDenied()
        for member_id, member_type, role in members:
            if role not in _MEMBER_ROLES or member_type not in ("USER", "DEPT"):
                raise _doc_error(
                    400,
                    "invalidRequest.inputArgs.invalid",
                    f"Invalid member {member_id}: {member_type} {role}",
                )
        for member_id, member_type, role in members:
            key = member_id if member_type == "USER" else f"dept:{member_id}"
            document.members[key] = role

    def document(self, node_id: str) -> WorkspaceDocument:
        document = self.documents.get(node_id)
        if document is None:
            raise _doc_error(404, "invalidRequest.resource.notFound", "Document not found")
        return document

    def role_of(self, node_id: str, union_id: str, dept_ids: tuple[int, ...] = ()) -> str | None:
        document = self.document(node_id)
        if union_id == document.creator:
            return "OWNER"
        role = document.members.get(union_id)
        if role is not None:
            return role
        for dept_id in dept_ids:
            role = document.members.get(f"dept:{dept_id}")
            if role is not None:
                return role
        return None

    # Workbooks.

    def add_workbook(self, name: str, owner: str, workbook_id: str | None = None) -> Workbook:
        """Create a workbook outside any workspace (control plane), owned by ``owner``."""
        node_id = workbook_id or self._new_id("node", name)
        self.documents[node_id] = WorkspaceDocument(node_id, "", name, "WORKBOOK", owner)
        workbook = Workbook(node_id, name=name)
        self.workbooks[node_id] = workbook
        return workbook

    def workbook(self, workbook_id: str) -> Workbook:
        workbook = self.workbooks.get(workbook_id)
        if workbook is None:
            if workbook_id in self.documents:
                raise _doc_error(
                    400, "invalidRequest.resource.notWorkbook", "The resource is not a workbook."
                )
            raise ResourceNotFound(f"Workbook not found: {workbook_id}")
        return workbook

    def check_access(
        self, workbook_id: str, union_id: str, *, write: bool, dept_ids: tuple[int, ...] = ()
    ) -> Workbook:
        """Return the workbook if ``union_id`` may read it (or write, with ``write``)."""
        workbook = self.workbook(workbook_id)
        role = self.role_of(workbook_id, union_id, dept_ids)
        allowed = WRITE_ROLES if write else READ_ROLES
        if role not in allowed:
            raise AccessDenied()
        return workbook

    def to_json(self) -> dict[str, object]:
        """State for the fake's dump; sheets list their non-empty cells, not their grids."""
        return {
            "workspaces": {key: attrs.asdict(value) for key, value in self.workspaces.items()},
            "documents": {key: attrs.asdict(value) for key, value in self.documents.items()},
            "workbooks": {
                key: [
                    {
                        "id": sheet.id,
                        "name": sheet.name,
                        "rowCount": sheet.row_count,
                        "columnCount": sheet.column_count,
                        "nonEmptyCells": sheet.non_empty_cell_count,
                    }
                    for sheet in workbook.sheets
                ]
                for key, workbook in self.workbooks.items()
            },
        }

    def _new_id(self, prefix: str, seed: str) -> str:
        number = self.next_number
        self.next_number += 1
        digest = hashlib.sha1(f"{prefix}/{seed}/{number}".encode()).hexdigest()
        return digest[:24]
