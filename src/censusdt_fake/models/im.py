"""Scene groups of one corp: title, owner, members and the robots in them (no HTTP)."""

from __future__ import annotations

import attrs

from censusdt_fake._errors import NewApiError

__all__ = ["DEFAULT_TEMPLATE_ID", "MAX_MEMBERS", "ImState", "SceneGroup"]

#: A group holds at most 1000 members.
MAX_MEMBERS = 1000
#: The group template every fake corp has, as if configured in the developer console.
DEFAULT_TEMPLATE_ID = "fake-census-group-template"


def _bad(message: str, code: str = "parameter.invalid") -> NewApiError:
    return NewApiError(400, code, message)


@attrs.define
class SceneGroup:
    open_conversation_id: str
    chat_id: str
    title: str
    template_id: str
    owner_userid: str
    members: list[str]
    #: Robot codes in the group: the creating app's robot joins with the template.
    robot_codes: set[str] = attrs.field(factory=set)
    status: int = 1


@attrs.define
class ImState:
    """Scene groups by openConversationId, and the templates they may be created from."""

    groups: dict[str, SceneGroup] = attrs.field(factory=dict)
    templates: set[str] = attrs.field(factory=lambda: {DEFAULT_TEMPLATE_ID})
    by_uuid: dict[str, str] = attrs.field(factory=dict)
    next_number: int = 1

    def group(self, open_conversation_id: str) -> SceneGroup:
        group = self.groups.get(open_conversation_id)
        if group is None:
            raise _bad("群不存在", "invalid.openConversationId")
        return group

    def create(
        self,
        *,
        title: str,
        template_id: str,
        owner: str,
        members: list[str],
        robot_code: str,
        uuid: str | None,
    ) -> SceneGroup:
        if uuid and uuid in self.by_uuid:
            return self.groups[self.by_uuid[uuid]]
        if not title or len(title) > 30:
            raise _bad("群名称长度不合法")
        if template_id not in self.templates:
            raise _bad("群模板不存在", "groupTemplate.notFound")
        everyone = list(dict.fromkeys([owner, *members]))
        if len(everyone) > MAX_MEMBERS:
            raise _bad("群成员超过上限", "member.exceed")
        number = self.next_number
        self.next_number += 1
        group = SceneGroup(
            open_conversation_id=f"cidFAKE{number:08d}==",
            chat_id=f"chatfake{number:08d}",
            title=title,
            template_id=template_id,
            owner_userid=owner,
            members=everyone,
            robot_codes={robot_code},
        )
        self.groups[group.open_conversation_id] = group
        if uuid:
            self.by_uuid[uuid] = group.open_conversation_id
        return group

    def add_members(self, open_conversation_id: str, userids: list[str]) -> None:
        group = self.group(open_conversation_id)
        merged = list(dict.fromkeys([*group.members, *userids]))
        if len(merged) > MAX_MEMBERS:
            raise _bad("群成员超过上限", "member.exceed")
        group.members = merged

    def remove_members(self, open_conversation_id: str, userids: list[str]) -> None:
        group = self.group(open_conversation_id)
        if group.owner_userid in userids:
            raise _bad("不能移除群主")
        group.members = [userid for userid in group.members if userid not in set(userids)]
