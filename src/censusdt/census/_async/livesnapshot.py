"""Read a whole live DingTalk org (departments, users, roles with members) into a LiveOrg."""

from __future__ import annotations

from typing import TYPE_CHECKING

from censusdt._concurrency import async_map
from censusdt.api.contacts import Department, RoleGroup, User
from censusdt.census.live import (
    ROOT_DEPT_ID,
    LiveDepartment,
    LiveOrg,
    LiveRole,
    LiveRoleGroup,
    LiveUser,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["read_live_org"]

#: Calls in flight per API; DingTalk allows 20 calls per second per app per API.
DEFAULT_CONCURRENCY = 20
#: The built-in role group every corp has; its roles cannot be assigned through the API.
_BUILTIN_GROUP = "默认"


async def read_live_org(
    client: AsyncDingTalk,
    *,
    role_group: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> LiveOrg:
    """Read every department (walking ``listsub`` from the root), user and role of the corp.

    Departments and their members are read level by level, ``concurrency`` calls per API at a
    time, and the client's pacing keeps each API at its rate limit. Role members are read for
    the roles of ``role_group`` when it is given, else for every role outside the built-in
    "默认" group.
    """
    departments, users = await _walk(client, concurrency)
    groups, roles = await _read_roles(client, role_group, concurrency)
    return LiveOrg(departments=departments, users=users, role_groups=groups, roles=roles)


async def _walk(
    client: AsyncDingTalk, concurrency: int
) -> tuple[list[LiveDepartment], list[LiveUser]]:
    """Walk the tree level by level, reading each department's children and members.

    Each visit calls ``listsub`` and then ``user/list``; with twice ``concurrency`` visits in
    flight both APIs stay busy at their own rate limit.
    """
    root = await client.contacts.get_department(ROOT_DEPT_ID)
    departments = [
        LiveDepartment(ROOT_DEPT_ID, root.name, None, root.source_identifier, root.order)
    ]
    users: dict[str, LiveUser] = {}

    async def visit(dept_id: int) -> tuple[list[Department], list[User]]:
        children = await client.contacts.list_sub_departments(dept_id)
        members = await client.contacts.list_users(dept_id).collect()
        return children, members

    level = [ROOT_DEPT_ID]
    while level:
        visits = await async_map(visit, level, concurrency=2 * concurrency)
        level = []
        for children, members in visits:
            for department in children:
                departments.append(
                    LiveDepartment(
                        dept_id=department.dept_id,
                        name=department.name,
                        parent_id=department.parent_id,
                        source_identifier=department.source_identifier or None,
                        order=department.order,
                    )
                )
                level.append(department.dept_id)
            for user in members:
                if user.userid not in users:
                    users[user.userid] = _live_user(user)
    return departments, list(users.values())


def _live_user(user: User) -> LiveUser:
    return LiveUser(
        userid=user.userid,
        name=user.name,
        mobile=user.mobile or None,
        dept_id_list=list(user.dept_id_list),
        title=user.title or None,
        job_number=user.job_number or None,
        email=user.email or None,
        remark=user.remark or None,
    )


async def _read_roles(
    client: AsyncDingTalk, role_group: str | None, concurrency: int
) -> tuple[list[LiveRoleGroup], list[LiveRole]]:
    groups: list[RoleGroup] = await client.contacts.list_role_groups().collect()
    live_groups = [LiveRoleGroup(group.group_id, group.name) for group in groups]
    wanted = [
        (group.group_id, role.id, role.name)
        for group in groups
        if (group.name == role_group if role_group is not None else group.name != _BUILTIN_GROUP)
        for role in group.roles
    ]

    async def members(item: tuple[int, int, str]) -> LiveRole:
        group_id, role_id, name = item
        holders = await client.contacts.list_role_members(role_id).collect()
        return LiveRole(role_id, name, group_id, [holder.userid for holder in holders])

    roles = await async_map(members, wanted, concurrency=concurrency)
    return live_groups, roles
