# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Typed calls for documents (doc 1.0): documents, folders, content and workspace members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._converters import new_converter
from censusdt._errors import FieldError, ValidationError
from censusdt.api.docs import (
    CONTENT_OVERWRITE,
    DOC_MEMBERS_REMOVE,
    DOC_MEMBERS_UPDATE,
    DOC_TYPES,
    MEMBER_ROLES,
    MEMBERS_PER_CALL,
    RELATED_WORKSPACES,
    WORKSPACE_DOC_CREATE,
    WORKSPACE_DOC_DELETE,
    WORKSPACE_DOC_GET,
    WORKSPACE_INFO,
    WORKSPACE_MEMBERS_ADD,
    WORKSPACE_MEMBERS_REMOVE,
    WORKSPACE_MEMBERS_UPDATE,
    CreatedDoc,
    NodeInfo,
    RelatedWorkspace,
    WorkspaceInfo,
    WorkspaceMember,
)

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["Docs"]


def _member_errors(members: Sequence[WorkspaceMember], *, check_roles: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    if not members:
        errors.append(FieldError("members", [], "must not be empty"))
    for index, member in enumerate(members):
        if member.member_type not in ("USER", "DEPT"):
            errors.append(
                FieldError(f"members[{index}].member_type", member.member_type, "use USER or DEPT")
            )
        if check_roles and member.role_type not in MEMBER_ROLES:
            errors.append(
                FieldError(
                    f"members[{index}].role_type", member.role_type, f"use one of {MEMBER_ROLES}"
                )
            )
    return errors


class Docs:
    """Documents in knowledge bases (``client.docs``); ``operator_id`` is a unionId."""

    def __init__(self, client: DingTalk) -> None:
        self._client = client

    def create(
        self,
        workspace_id: str,
        name: str,
        *,
        operator_id: str,
        doc_type: str = "DOC",
        parent_node_id: str | None = None,
    ) -> CreatedDoc:
        """Create a document (``DOC``, ``WORKBOOK``, ``MIND``) or a ``FOLDER``.

        Without ``parent_node_id`` it goes at the top of the workspace.
        """
        errors = []
        if doc_type not in DOC_TYPES:
            errors.append(FieldError("doc_type", doc_type, f"use one of {DOC_TYPES}"))
        if not name.strip():
            errors.append(FieldError("name", name, "must not be empty"))
        if errors:
            raise ValidationError(errors)
        body: dict[str, Any] = {"name": name, "docType": doc_type, "operatorId": operator_id}
        if parent_node_id is not None:
            body["parentNodeId"] = parent_node_id
        reply = self._client.request(
            WORKSPACE_DOC_CREATE, json=body, path_params={"workspaceId": workspace_id}
        )
        return new_converter.structure(reply, CreatedDoc)

    def create_folder(
        self,
        workspace_id: str,
        name: str,
        *,
        operator_id: str,
        parent_node_id: str | None = None,
    ) -> CreatedDoc:
        return self.create(
            workspace_id,
            name,
            operator_id=operator_id,
            doc_type="FOLDER",
            parent_node_id=parent_node_id,
        )

    def related_workspaces(
        self, *, operator_id: str, include_recent: bool = False
    ) -> list[RelatedWorkspace]:
        """Workspaces ``operator_id`` can open, each with their role (GetRelatedWorkspaces)."""
        reply = self._client.request(
            RELATED_WORKSPACES,
            params={
                "operatorId": operator_id,
                "includeRecent": "true" if include_recent else "false",
            },
        )
        return [
            new_converter.structure(item, RelatedWorkspace)
            for item in reply.get("workspaces") or []
        ]

    def get_workspace(self, workspace_id: str) -> WorkspaceInfo:
        reply = self._client.request(
            WORKSPACE_INFO, path_params={"workspaceId": workspace_id}
        )
        return new_converter.structure(reply, WorkspaceInfo)

    def get_node(self, workspace_id: str, node_id: str, *, operator_id: str) -> NodeInfo:
        reply = self._client.request(
            WORKSPACE_DOC_GET,
            params={"operatorId": operator_id},
            path_params={"workspaceId": workspace_id, "nodeId": node_id},
        )
        node = reply.get("nodeBO") or {}
        workspace = reply.get("workspaceBO") or {}
        return NodeInfo(
            has_permission=bool(reply.get("hasPermission")),
            node_id=str(node.get("nodeId", node_id)),
            name=str(node.get("name", "")),
            doc_type=node.get("docType"),
            workspace_id=str(workspace.get("workspaceId", workspace_id)),
            workspace_name=workspace.get("name"),
            url=node.get("url"),
            last_edit_time=node.get("lastEditTime"),
        )

    def delete(self, workspace_id: str, node_id: str, *, operator_id: str) -> None:
        """Delete a document, or a folder with everything in it."""
        self._client.request(
            WORKSPACE_DOC_DELETE,
            params={"operatorId": operator_id},
            path_params={"workspaceId": workspace_id, "nodeId": node_id},
        )

    def overwrite_content(self, doc_key: str, markdown: str, *, operator_id: str) -> None:
        """Replace a document's whole content with ``markdown``."""
        if not doc_key:
            raise ValidationError([FieldError("doc_key", doc_key, "give the docKey from create")])
        self._client.request(
            CONTENT_OVERWRITE,
            json={"operatorId": operator_id, "content": markdown, "dataType": "markdown"},
            path_params={"docKey": doc_key},
        )

    def add_members(
        self, workspace_id: str, members: Sequence[WorkspaceMember], *, operator_id: str
    ) -> list[str]:
        """Give people or departments a role in the whole workspace; 50 a call.

        Returns the unionIds DingTalk reported as not in the organisation.
        """
        errors = _member_errors(members, check_roles=True)
        if errors:
            raise ValidationError(errors)
        not_in_org: list[str] = []
        for start in range(0, len(members), MEMBERS_PER_CALL):
            chunk = members[start : start + MEMBERS_PER_CALL]
            reply = self._client.request(
                WORKSPACE_MEMBERS_ADD,
                json={
                    "operatorId": operator_id,
                    "members": [new_converter.unstructure(member) for member in chunk],
                },
                path_params={"workspaceId": workspace_id},
            )
            not_in_org.extend(str(item) for item in reply.get("notInOrgList") or [])
        return not_in_org

    def update_members(
        self, workspace_id: str, members: Sequence[WorkspaceMember], *, operator_id: str
    ) -> None:
        """Change the roles of existing workspace members; 50 a call."""
        errors = _member_errors(members, check_roles=True)
        if errors:
            raise ValidationError(errors)
        for start in range(0, len(members), MEMBERS_PER_CALL):
            chunk = members[start : start + MEMBERS_PER_CALL]
            self._client.request(
                WORKSPACE_MEMBERS_UPDATE,
                json={
                    "operatorId": operator_id,
                    "members": [new_converter.unstructure(member) for member in chunk],
                },
                path_params={"workspaceId": workspace_id},
            )

    def remove_members(
        self, workspace_id: str, members: Sequence[WorkspaceMember], *, operator_id: str
    ) -> None:
        """Take people or departments out of a workspace (never its owner); 50 a call."""
        errors = _member_errors(members, check_roles=False)
        if errors:
            raise ValidationError(errors)
        for start in range(0, len(members), MEMBERS_PER_CALL):
            chunk = members[start : start + MEMBERS_PER_CALL]
            self._client.request(
                WORKSPACE_MEMBERS_REMOVE,
                json={
                    "operatorId": operator_id,
                    "members": [
                        {"memberId": member.member_id, "memberType": member.member_type}
                        for member in chunk
                    ],
                },
                path_params={"workspaceId": workspace_id},
            )

    def update_doc_members(
        self,
        workspace_id: str,
        node_id: str,
        members: Sequence[WorkspaceMember],
        *,
        operator_id: str,
    ) -> None:
        """Change the roles of a document's members; 50 a call."""
        errors = _member_errors(members, check_roles=True)
        if errors:
            raise ValidationError(errors)
        for start in range(0, len(members), MEMBERS_PER_CALL):
            chunk = members[start : start + MEMBERS_PER_CALL]
            self._client.request(
                DOC_MEMBERS_UPDATE,
                json={
                    "operatorId": operator_id,
                    "members": [new_converter.unstructure(member) for member in chunk],
                },
                path_params={"workspaceId": workspace_id, "nodeId": node_id},
            )

    def remove_doc_members(
        self,
        workspace_id: str,
        node_id: str,
        members: Sequence[WorkspaceMember],
        *,
        operator_id: str,
    ) -> None:
        """Take people or departments off a document (never its owner); 50 a call."""
        errors = _member_errors(members, check_roles=False)
        if errors:
            raise ValidationError(errors)
        for start in range(0, len(members), MEMBERS_PER_CALL):
            chunk = members[start : start + MEMBERS_PER_CALL]
            self._client.request(
                DOC_MEMBERS_REMOVE,
                json={
                    "operatorId": operator_id,
                    "members": [
                        {"memberId": member.member_id, "memberType": member.member_type}
                        for member in chunk
                    ],
                },
                path_params={"workspaceId": workspace_id, "nodeId": node_id},
            )
