"""Knowledge bases (wiki 2.0): endpoint declarations, limits, workspaces and nodes (no I/O)."""

from __future__ import annotations

from typing import Any

import attrs

from censusdt._endpoint import Endpoint

__all__ = [
    "MAX_NODES_PAGE",
    "MAX_WORKSPACES_PAGE",
    "NODE_GET",
    "NODE_LIST",
    "WIKI_ROLES",
    "WORKSPACE_ADD",
    "WORKSPACE_GET",
    "WORKSPACE_LIST",
    "WORKSPACE_ORDERS",
    "WikiNode",
    "WikiWorkspace",
    "node_from_wire",
]

WORKSPACE_ADD = Endpoint.new("POST", "/v2.0/wiki/workspaces", idempotent=False)
WORKSPACE_GET = Endpoint.new("GET", "/v2.0/wiki/workspaces/{workspaceId}", idempotent=True)
WORKSPACE_LIST = Endpoint.new("GET", "/v2.0/wiki/workspaces", idempotent=True)
NODE_GET = Endpoint.new("GET", "/v2.0/wiki/nodes/{nodeId}", idempotent=True)
NODE_LIST = Endpoint.new("GET", "/v2.0/wiki/nodes", idempotent=True)

#: ListWorkspaces pages hold at most 30 workspaces.
MAX_WORKSPACES_PAGE = 30
#: ListNodes pages hold at most 50 nodes.
MAX_NODES_PAGE = 50
#: How ListWorkspaces may sort.
WORKSPACE_ORDERS = ("VIEW_TIME_DESC", "CREATE_TIME_DESC", "MODIFIED_TIME_DESC")
#: Roles wiki 2.0 reports (doc 1.0 VIEWER shows as DOWNLOADER, ONLY_VIEWER as READER).
WIKI_ROLES = ("OWNER", "MANAGER", "EDITOR", "DOWNLOADER", "READER", "NONE")


@attrs.frozen
class WikiWorkspace:
    """A knowledge base (知识库); documents hang below ``root_node_id``."""

    workspace_id: str
    name: str
    root_node_id: str
    type: str = "TEAM"
    corp_id: str | None = None
    team_id: str | None = None
    description: str | None = None
    url: str | None = None
    creator_id: str | None = None
    modifier_id: str | None = None
    #: ISO-8601 strings as DingTalk sends them.
    create_time: str | None = None
    modified_time: str | None = None
    permission_role: str | None = None


@attrs.frozen
class WikiNode:
    """A document or folder of a knowledge base; ``node_id`` is its dentryUuid."""

    node_id: str
    workspace_id: str
    name: str
    type: str
    size: int = 0
    category: str | None = None
    extension: str | None = None
    url: str | None = None
    creator_id: str | None = None
    modifier_id: str | None = None
    create_time: str | None = None
    modified_time: str | None = None
    create_timestamp: int | None = None
    modified_timestamp: int | None = None
    has_children: bool = False
    word_count: int | None = None
    permission_role: str | None = None

    @property
    def is_folder(self) -> bool:
        return self.type == "FOLDER"


def node_from_wire(body: dict[str, Any]) -> dict[str, Any]:
    """Flatten ``statisticalInfo.wordCount`` so the converter sees one level."""
    flat = dict(body)
    stats = flat.pop("statisticalInfo", None)
    if isinstance(stats, dict) and "wordCount" in stats:
        flat["wordCount"] = stats["wordCount"]
    return flat
