"""Typed calls for knowledge bases (wiki 2.0): workspaces and their node trees."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from censusdt._async.pagination import AsyncPaginator
from censusdt._converters import new_converter
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page, next_token_page
from censusdt.api.wiki import (
    MAX_NODES_PAGE,
    MAX_WORKSPACES_PAGE,
    NODE_GET,
    NODE_LIST,
    WORKSPACE_ADD,
    WORKSPACE_GET,
    WORKSPACE_LIST,
    WORKSPACE_ORDERS,
    WikiNode,
    WikiWorkspace,
    node_from_wire,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncWiki"]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _workspace(body: Any) -> WikiWorkspace:
    return new_converter.structure(body, WikiWorkspace)


def _node(body: Any) -> WikiNode:
    return new_converter.structure(node_from_wire(body), WikiNode)


def _check_page_size(page_size: int, limit: int) -> None:
    if not 1 <= page_size <= limit:
        raise ValidationError([FieldError("page_size", page_size, f"use 1-{limit}")])


class AsyncWiki:
    """Knowledge bases (``client.wiki``); ``operator_id`` is always the acting person's unionId."""

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client

    async def create_workspace(
        self,
        name: str,
        *,
        operator_id: str,
        description: str | None = None,
        team_id: str | None = None,
    ) -> WikiWorkspace:
        """Create a team knowledge base owned by ``operator_id``."""
        errors = []
        if not name.strip():
            errors.append(FieldError("name", name, "must not be empty"))
        if not operator_id:
            errors.append(FieldError("operator_id", operator_id, "give the person's unionId"))
        if errors:
            raise ValidationError(errors)
        option: dict[str, str] = {}
        if description is not None:
            option["description"] = description
        if team_id is not None:
            option["teamId"] = team_id
        body: dict[str, Any] = {"name": name}
        if option:
            body["option"] = option
        reply = await self._client.request(
            WORKSPACE_ADD, params={"operatorId": operator_id}, json=body
        )
        return _workspace(reply["workspace"])

    async def get_workspace(
        self, workspace_id: str, *, operator_id: str, with_role: bool = False
    ) -> WikiWorkspace:
        reply = await self._client.request(
            WORKSPACE_GET,
            params={"operatorId": operator_id, "withPermissionRole": _flag(with_role)},
            path_params={"workspaceId": workspace_id},
        )
        return _workspace(reply["workspace"])

    def list_workspaces(
        self,
        *,
        operator_id: str,
        order_by: str = "VIEW_TIME_DESC",
        team_id: str | None = None,
        with_role: bool = False,
        page_size: int = MAX_WORKSPACES_PAGE,
    ) -> AsyncPaginator[WikiWorkspace]:
        """Knowledge bases ``operator_id`` can open, 30 a page at most."""
        _check_page_size(page_size, MAX_WORKSPACES_PAGE)
        if order_by not in WORKSPACE_ORDERS:
            raise ValidationError(
                [FieldError("order_by", order_by, f"use one of {WORKSPACE_ORDERS}")]
            )

        async def fetch(cursor: Any) -> Page[WikiWorkspace]:
            params: dict[str, Any] = {
                "operatorId": operator_id,
                "maxResults": page_size,
                "orderBy": order_by,
                "withPermissionRole": _flag(with_role),
            }
            if team_id is not None:
                params["teamId"] = team_id
            if cursor:
                params["nextToken"] = cursor
            reply = await self._client.request(WORKSPACE_LIST, params=params)
            return next_token_page(reply, "workspaces", _workspace)

        return AsyncPaginator(fetch)

    async def find_workspace(self, name: str, *, operator_id: str) -> WikiWorkspace | None:
        """The knowledge base called ``name`` that ``operator_id`` can open, if any."""
        async for workspace in self.list_workspaces(operator_id=operator_id):
            if workspace.name == name:
                return workspace
        return None

    async def get_node(
        self,
        node_id: str,
        *,
        operator_id: str,
        with_role: bool = False,
        with_statistics: bool = False,
    ) -> WikiNode:
        reply = await self._client.request(
            NODE_GET,
            params={
                "operatorId": operator_id,
                "withPermissionRole": _flag(with_role),
                "withStatisticalInfo": _flag(with_statistics),
            },
            path_params={"nodeId": node_id},
        )
        return _node(reply["node"])

    def list_nodes(
        self,
        parent_node_id: str,
        *,
        operator_id: str,
        with_role: bool = False,
        page_size: int = MAX_NODES_PAGE,
    ) -> AsyncPaginator[WikiNode]:
        """Children of a folder, or of a workspace's ``root_node_id``; 50 a page at most."""
        _check_page_size(page_size, MAX_NODES_PAGE)

        async def fetch(cursor: Any) -> Page[WikiNode]:
            params: dict[str, Any] = {
                "parentNodeId": parent_node_id,
                "operatorId": operator_id,
                "maxResults": page_size,
                "withPermissionRole": _flag(with_role),
            }
            if cursor:
                params["nextToken"] = cursor
            reply = await self._client.request(NODE_LIST, params=params)
            return next_token_page(reply, "nodes", _node)

        return AsyncPaginator(fetch)
