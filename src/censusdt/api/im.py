"""Scene groups (场景群): endpoint declarations, limits and models (no I/O)."""

from __future__ import annotations

import attrs

from censusdt._endpoint import Endpoint

__all__ = [
    "MAX_GROUP_MEMBERS",
    "MAX_TITLE_LENGTH",
    "SCENE_GROUP_CREATE",
    "SCENE_GROUP_MEMBERS",
    "SCENE_GROUP_MEMBER_ADD",
    "SCENE_GROUP_MEMBER_DELETE",
    "SCENE_GROUP_QUERY",
    "SCENE_GROUP_UPDATE",
    "SceneGroup",
    "SceneGroupInfo",
]

# Singular sceneGroup for create, update and members; plural sceneGroups for queries.
SCENE_GROUP_CREATE = Endpoint.new("POST", "/v1.0/im/sceneGroup/create", idempotent=False)
SCENE_GROUP_UPDATE = Endpoint.new("POST", "/v1.0/im/sceneGroup/update", idempotent=True)
SCENE_GROUP_MEMBER_ADD = Endpoint.new("POST", "/v1.0/im/sceneGroup/member/add", idempotent=True)
SCENE_GROUP_MEMBER_DELETE = Endpoint.new(
    "POST", "/v1.0/im/sceneGroup/member/delete", idempotent=True
)
SCENE_GROUP_QUERY = Endpoint.new("POST", "/v1.0/im/sceneGroups/query", idempotent=True)
SCENE_GROUP_MEMBERS = Endpoint.new(
    "POST", "/v1.0/im/sceneGroups/members/batchQuery", idempotent=True
)

#: A group holds at most 1000 members.
MAX_GROUP_MEMBERS = 1000
#: A scene group title takes at most 30 characters.
MAX_TITLE_LENGTH = 30


@attrs.frozen
class SceneGroup:
    open_conversation_id: str
    chat_id: str


@attrs.frozen
class SceneGroupInfo:
    open_conversation_id: str
    title: str
    owner_userid: str
    template_id: str
    #: 1 normal, 2 disbanded.
    status: int
