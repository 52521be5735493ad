"""Typed calls for scene groups: create, update, add and remove members, query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._async.pagination import AsyncPaginator
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page, next_token_page
from censusdt.api.im import (
    MAX_GROUP_MEMBERS,
    MAX_TITLE_LENGTH,
    SCENE_GROUP_CREATE,
    SCENE_GROUP_MEMBER_ADD,
    SCENE_GROUP_MEMBER_DELETE,
    SCENE_GROUP_MEMBERS,
    SCENE_GROUP_QUERY,
    SCENE_GROUP_UPDATE,
    SceneGroup,
    SceneGroupInfo,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncIm"]


def _title_errors(title: str) -> list[FieldError]:
    if not title.strip() or len(title) > MAX_TITLE_LENGTH:
        return [FieldError("title", title, f"use 1-{MAX_TITLE_LENGTH} characters")]
    return []


def _members_errors(userids: Sequence[str]) -> list[FieldError]:
    if len(userids) > MAX_GROUP_MEMBERS:
        return [
            FieldError(
                "userids", f"{len(userids)} users", f"a group holds at most {MAX_GROUP_MEMBERS}"
            )
        ]
    return []


class AsyncIm:
    """Scene groups created from a group template (``client.im``)."""

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client

    async def create_scene_group(
        self,
        title: str,
        template_id: str,
        owner_userid: str,
        *,
        userids: Sequence[str] = (),
        subadmin_userids: Sequence[str] = (),
        uuid: str | None = None,
    ) -> SceneGroup:
        """Create a group from ``template_id``; ``uuid`` makes a retried create return the same group."""
        errors = _title_errors(title) + _members_errors(userids)
        if not template_id:
            errors.append(FieldError("template_id", template_id, "must not be empty"))
        if errors:
            raise ValidationError(errors)
        body: dict[str, Any] = {
            "title": title,
            "template_id": template_id,
            "owner_user_id": owner_userid,
            "user_ids": list(userids),
        }
        if subadmin_userids:
            body["subadmin_ids"] = list(subadmin_userids)
        if uuid:
            body["uuid"] = uuid
        # This API's keys are snake_case although it lives on the new host.
        reply = await self._client.request(SCENE_GROUP_CREATE, json=body)
        return SceneGroup(str(reply["open_conversation_id"]), str(reply.get("chat_id", "")))

    async def update_scene_group(
        self,
        open_conversation_id: str,
        *,
        title: str | None = None,
        owner_userid: str | None = None,
    ) -> None:
        if title is not None and (errors := _title_errors(title)):
            raise ValidationError(errors)
        body: dict[str, Any] = {"open_conversation_id": open_conversation_id}
        if title is not None:
            body["title"] = title
        if owner_userid is not None:
            body["owner_user_id"] = owner_userid
        await self._client.request(SCENE_GROUP_UPDATE, json=body)

    async def add_members(self, open_conversation_id: str, userids: Sequence[str]) -> None:
        if errors := _members_errors(userids):
            raise ValidationError(errors)
        await self._client.request(
            SCENE_GROUP_MEMBER_ADD,
            json={"open_conversation_id": open_conversation_id, "user_ids": list(userids)},
        )

    async def remove_members(self, open_conversation_id: str, userids: Sequence[str]) -> None:
        await self._client.request(
            SCENE_GROUP_MEMBER_DELETE,
            json={"open_conversation_id": open_conversation_id, "user_ids": list(userids)},
        )

    async def get_scene_group(self, open_conversation_id: str) -> SceneGroupInfo:
        reply = await self._client.request(
            SCENE_GROUP_QUERY, json={"openConversationId": open_conversation_id}
        )
        return SceneGroupInfo(
            str(reply.get("openConversationId")),
            str(reply.get("title")),
            str(reply.get("ownerUserId")),
            str(reply.get("templateId")),
            int(reply.get("status") or 1),
        )

    def members(self, open_conversation_id: str, *, page_size: int = 1000) -> AsyncPaginator[str]:
        """Userids of a scene group's members."""

        async def fetch(cursor: Any) -> Page[str]:
            body: dict[str, Any] = {
                "openConversationId": open_conversation_id,
                "maxResults": page_size,
            }
            if cursor:
                body["nextToken"] = cursor
            reply = await self._client.request(SCENE_GROUP_MEMBERS, json=body)
            return next_token_page(reply, "memberUserIds", str)

        return AsyncPaginator(fetch)
