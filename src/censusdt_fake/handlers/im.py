"""Scene-group endpoints (``/v1.0/im/sceneGroup/...`` and ``/v1.0/im/sceneGroups/...``)."""

from __future__ import annotations

from typing import Any

from censusdt_fake._errors import NewApiError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import ContactsState
from censusdt_fake.models.im import ImState

router = Router()


def _users(call: Call, name: str) -> list[str]:
    userids = [str(item) for item in call.array(name)]
    contacts = call.tenant.ext(ContactsState)
    unknown = [userid for userid in userids if userid not in contacts.users]
    if unknown:
        raise NewApiError(400, "member.notFound", f"成员不存在: {','.join(unknown)}")
    return userids


@router.post("/v1.0/im/sceneGroup/create")
def create(call: Call) -> dict[str, Any]:
    title = call.string("title", required=True)
    template_id = call.string("template_id", required=True)
    owner = call.string("owner_user_id", required=True)
    if owner not in call.tenant.ext(ContactsState).users:
        raise NewApiError(400, "permession.checkFailed", "群主不在应用可见范围内")
    group = call.tenant.ext(ImState).create(
        title=title,
        template_id=template_id,
        owner=owner,
        members=_users(call, "user_ids"),
        robot_code=call.caller.robot_code,
        uuid=call.string("uuid"),
    )
    # This API replies in snake_case although it is on the new host.
    return {"open_conversation_id": group.open_conversation_id, "chat_id": group.chat_id}


@router.post("/v1.0/im/sceneGroup/update")
def update(call: Call) -> dict[str, Any]:
    group = call.tenant.ext(ImState).group(call.string("open_conversation_id", required=True))
    title = call.string("title")
    if title is not None:
        if len(title) > 30:
            raise NewApiError(400, "parameter.invalid", "群名称长度不合法")
        group.title = title
    owner = call.string("owner_user_id")
    if owner is not None:
        if owner not in group.members:
            raise NewApiError(400, "member.notFound", "新群主不在群中")
        group.owner_userid = owner
    return {"success": True}


@router.post("/v1.0/im/sceneGroup/member/add")
def add_members(call: Call) -> dict[str, Any]:
    cid = call.string("open_conversation_id", required=True)
    call.tenant.ext(ImState).add_members(cid, _users(call, "user_ids"))
    return {"success": True}


@router.post("/v1.0/im/sceneGroup/member/delete")
def remove_members(call: Call) -> dict[str, Any]:
    cid = call.string("open_conversation_id", required=True)
    call.tenant.ext(ImState).remove_members(cid, [str(item) for item in call.array("user_ids")])
    return {"success": True}


@router.post("/v1.0/im/sceneGroups/query")
def query(call: Call) -> dict[str, Any]:
    group = call.tenant.ext(ImState).group(call.string("openConversationId", required=True))
    return {
        "success": True,
        "openConversationId": group.open_conversation_id,
        "templateId": group.template_id,
        "title": group.title,
        "ownerUserId": group.owner_userid,
        "status": group.status,
    }


@router.post("/v1.0/im/sceneGroups/members/batchQuery")
def members(call: Call) -> dict[str, Any]:
    group = call.tenant.ext(ImState).group(call.string("openConversationId", required=True))
    size = call.integer("maxResults", required=True)
    if size < 1:
        raise NewApiError(400, "parameter.invalid", "maxResults不合法")
    token = call.string("nextToken")
    start = int(token) if token and token.isdigit() else 0
    page = group.members[start : start + size]
    more = start + size < len(group.members)
    reply: dict[str, Any] = {"success": True, "memberUserIds": page, "hasMore": more}
    if more:
        reply["nextToken"] = str(start + size)
    return reply
