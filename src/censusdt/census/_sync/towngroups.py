# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""One scene group per town with its supervisors and enumerators, and robot notices to them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from censusdt._errors import FieldError, ValidationError
from censusdt.api.im import MAX_GROUP_MEMBERS, MAX_TITLE_LENGTH
from censusdt.api.messaging import Message
from censusdt.census.audience import AudienceError, ContactsSnapshot, Dept, Tag

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = [
    "GroupNotice",
    "GroupReceipt",
    "TownGroup",
    "create_town_groups",
    "send_group_notice",
]

SUPERVISOR_TAG = "普查指导员"
ENUMERATOR_TAG = "普查员"


@attrs.frozen
class TownGroup:
    town: str
    dept_id: int
    open_conversation_id: str
    owner: str
    members: tuple[str, ...]


@attrs.frozen
class GroupReceipt:
    """Read state of a robot message in one town's group (unread = members - readers)."""

    town: str
    members: tuple[str, ...]
    read: tuple[str, ...]
    send_status: str

    @property
    def unread(self) -> tuple[str, ...]:
        readers = set(self.read)
        return tuple(member for member in self.members if member not in readers)


def create_town_groups(
    client: DingTalk,
    snapshot: ContactsSnapshot,
    towns: Sequence[str | int],
    *,
    template_id: str,
    supervisor_tag: str = SUPERVISOR_TAG,
    enumerator_tag: str = ENUMERATOR_TAG,
    title_suffix: str = "普查群",
) -> list[TownGroup]:
    """Create (or find again, by a stable uuid) a scene group per town.

    Members are the town's people tagged ``supervisor_tag`` or ``enumerator_tag``, in the town
    or below it; the first supervisor owns the group. Every town is checked before any group is
    created, so a bad town name creates nothing.
    """
    planned: list[tuple[str, int, str, list[str]]] = []
    errors: list[FieldError] = []
    for town in towns:
        try:
            in_town = Dept(town)
            members = ((Tag(supervisor_tag) | Tag(enumerator_tag)) & in_town).userids(snapshot)
            supervisors = (Tag(supervisor_tag) & in_town).userids(snapshot)
        except AudienceError as error:
            errors.append(FieldError("towns", town, str(error)))
            continue
        [dept_id] = snapshot.find_departments(town)
        if not supervisors:
            errors.append(
                FieldError("towns", town, f"has nobody tagged {supervisor_tag!r} to own the group")
            )
        elif len(members) > MAX_GROUP_MEMBERS:
            errors.append(
                FieldError(
                    "towns",
                    town,
                    f"{len(members)} members; a group holds at most {MAX_GROUP_MEMBERS}",
                )
            )
        else:
            name = snapshot.departments[dept_id].name
            planned.append((name, dept_id, supervisors[0], members))
    if errors:
        raise ValidationError(errors)

    groups: list[TownGroup] = []
    for name, dept_id, owner, members in planned:
        title = (name + title_suffix)[:MAX_TITLE_LENGTH]
        created = client.im.create_scene_group(
            title, template_id, owner, userids=members, uuid=f"censusdt-town-{dept_id}"
        )
        groups.append(TownGroup(name, dept_id, created.open_conversation_id, owner, tuple(members)))
    return groups


class GroupNotice:
    """A robot message sent to several town groups, with per-town read status."""

    def __init__(self, client: DingTalk, sent: Sequence[tuple[TownGroup, str]]) -> None:
        self._client = client
        self.sent = list(sent)

    def status(self) -> list[GroupReceipt]:
        receipts = []
        for group, key in self.sent:
            members = self._client.im.members(group.open_conversation_id).collect()
            readers = self._client.robot.group_readers(
                group.open_conversation_id, key
            ).collect()
            send_status = self._client.robot.group_send_status(
                group.open_conversation_id, key
            )
            receipts.append(GroupReceipt(group.town, tuple(members), tuple(readers), send_status))
        return receipts


def send_group_notice(
    client: DingTalk, groups: Sequence[TownGroup], message: Message
) -> GroupNotice:
    """Send ``message`` from the app's robot to every group."""
    sent = []
    for group in groups:
        key = client.robot.send_to_group(group.open_conversation_id, message)
        sent.append((group, key))
    return GroupNotice(client, sent)
