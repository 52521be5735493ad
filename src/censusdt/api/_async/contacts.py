"""Typed calls for DingTalk contacts: departments, users, roles and the userid→unionId cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from censusdt._async.pagination import AsyncPaginator
from censusdt._converters import legacy_converter
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page, legacy_cursor_page, legacy_offset_page
from censusdt.api.contacts import (
    DEPARTMENT_CREATE,
    DEPARTMENT_DELETE,
    DEPARTMENT_GET,
    DEPARTMENT_LIST_PARENT_BY_DEPT,
    DEPARTMENT_LIST_PARENT_BY_USER,
    DEPARTMENT_LIST_SUB,
    DEPARTMENT_LIST_SUB_ID,
    DEPARTMENT_UPDATE,
    DEPARTMENTS_PER_USER_MAX,
    INACTIVE_SIZE_MAX,
    INACTIVE_USER_LIST,
    ROLE_ADD,
    ROLE_ADD_FOR_USERS,
    ROLE_ADD_GROUP,
    ROLE_DELETE,
    ROLE_GET,
    ROLE_GET_GROUP,
    ROLE_LIST,
    ROLE_LIST_SIZE_MAX,
    ROLE_MEMBERS_SIZE_MAX,
    ROLE_REMOVE_FROM_USERS,
    ROLE_SIMPLE_LIST,
    ROLE_UPDATE,
    ROLES_ADD_ROLES_MAX,
    ROLES_ADD_USERS_MAX,
    ROLES_REMOVE_ROLES_MAX,
    ROLES_REMOVE_USERS_MAX,
    USER_COUNT,
    USER_CREATE,
    USER_DELETE,
    USER_GET,
    USER_GET_BY_MOBILE,
    USER_LIST,
    USER_LIST_ID,
    USER_LIST_SIMPLE,
    USER_LIST_SIZE_MAX,
    USER_NAME_MAX,
    USER_UPDATE,
    USERID_MAX,
    CreatedUser,
    Department,
    RoleDetail,
    RoleGroup,
    RoleGroupDetail,
    RoleMember,
    SimpleUser,
    User,
    batch_errors,
    comma_list,
    department_name_errors,
    positive_id_errors,
    size_errors,
    text_errors,
)

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = ["AsyncContacts"]


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    # DingTalk reads an absent field as "unchanged"; a null is an error on several APIs.
    return {key: value for key, value in values.items() if value is not None}


class AsyncContacts:
    """Departments, users and roles of the app's corp (``client.contacts``).

    Raw calls map one-to-one to DingTalk APIs and reject input DingTalk would reject, before
    sending. ``union_id`` caches the userid→unionId mapping for the client's lifetime.
    """

    def __init__(self, client: AsyncDingTalk) -> None:
        self._client = client
        self._union_ids: dict[str, str] = {}

    # Departments.

    async def create_department(
        self,
        name: str,
        parent_id: int = 1,
        *,
        order: int | None = None,
        source_identifier: str | None = None,
        hide_dept: bool | None = None,
        create_dept_group: bool | None = None,
    ) -> int:
        """Create a department under ``parent_id`` (root is 1) and return its ``dept_id``."""
        _raise_if(department_name_errors("name", name) + positive_id_errors("parent_id", parent_id))
        body = _without_none(
            {
                "name": name,
                "parent_id": parent_id,
                "order": order,
                "source_identifier": source_identifier,
                "hide_dept": hide_dept,
                "create_dept_group": create_dept_group,
            }
        )
        reply = await self._client.request(DEPARTMENT_CREATE, json=body)
        return int(reply["result"]["dept_id"])

    async def update_department(
        self,
        dept_id: int,
        *,
        name: str | None = None,
        parent_id: int | None = None,
        order: int | None = None,
        source_identifier: str | None = None,
    ) -> None:
        """Change a department's name, parent (a move), order or source identifier."""
        errors = positive_id_errors("dept_id", dept_id) + positive_id_errors("parent_id", parent_id)
        errors += department_name_errors("name", name)
        if dept_id == 1:
            errors.append(FieldError("dept_id", dept_id, "the root department cannot be updated"))
        _raise_if(errors)
        body = _without_none(
            {
                "dept_id": dept_id,
                "name": name,
                "parent_id": parent_id,
                "order": order,
                "source_identifier": source_identifier,
            }
        )
        await self._client.request(DEPARTMENT_UPDATE, json=body)

    async def delete_department(self, dept_id: int) -> None:
        """Delete an empty department (no members, no sub-departments)."""
        errors = positive_id_errors("dept_id", dept_id)
        if dept_id == 1:
            errors.append(FieldError("dept_id", dept_id, "the root department cannot be deleted"))
        _raise_if(errors)
        await self._client.request(DEPARTMENT_DELETE, json={"dept_id": dept_id})

    async def get_department(self, dept_id: int, *, language: str | None = None) -> Department:
        _raise_if(positive_id_errors("dept_id", dept_id))
        body = _without_none({"dept_id": dept_id, "language": language})
        reply = await self._client.request(DEPARTMENT_GET, json=body)
        return legacy_converter.structure(reply["result"], Department)

    async def list_sub_departments(self, dept_id: int = 1) -> list[Department]:
        """Return the direct child departments of ``dept_id`` (one level, not recursive)."""
        _raise_if(positive_id_errors("dept_id", dept_id))
        reply = await self._client.request(DEPARTMENT_LIST_SUB, json={"dept_id": dept_id})
        return [legacy_converter.structure(item, Department) for item in reply.get("result") or []]

    async def list_sub_department_ids(self, dept_id: int = 1) -> list[int]:
        """Return the ids of the direct child departments of ``dept_id``."""
        _raise_if(positive_id_errors("dept_id", dept_id))
        reply = await self._client.request(DEPARTMENT_LIST_SUB_ID, json={"dept_id": dept_id})
        return [int(item) for item in reply["result"].get("dept_id_list") or []]

    async def list_parent_departments(self, dept_id: int) -> list[int]:
        """``dept_id`` and its ancestors, from the department itself up to the root (1)."""
        _raise_if(positive_id_errors("dept_id", dept_id))
        reply = await self._client.request(
            DEPARTMENT_LIST_PARENT_BY_DEPT, json={"dept_id": dept_id}
        )
        return [int(item) for item in reply["result"].get("parent_id_list") or []]

    async def list_user_parent_departments(self, userid: str) -> list[list[int]]:
        """For each department of the user, that department's chain up to the root."""
        _raise_if(text_errors("userid", userid, USERID_MAX, required=True))
        reply = await self._client.request(DEPARTMENT_LIST_PARENT_BY_USER, json={"userid": userid})
        return [
            [int(dept_id) for dept_id in entry.get("parent_dept_id_list") or []]
            for entry in reply["result"].get("parent_list") or []
        ]

    # Users.

    async def create_user(
        self,
        *,
        name: str,
        mobile: str,
        dept_ids: Sequence[int],
        userid: str | None = None,
        title: str | None = None,
        job_number: str | None = None,
        email: str | None = None,
        remark: str | None = None,
    ) -> CreatedUser:
        """Add a person to the corp; DingTalk generates a userid when none is given."""
        errors = text_errors("name", name, USER_NAME_MAX, required=True)
        errors += text_errors("mobile", mobile, 20, required=True)
        errors += text_errors("userid", userid, USERID_MAX, required=False)
        errors += _dept_list_errors(dept_ids)
        _raise_if(errors)
        body = _without_none(
            {
                "userid": userid,
                "name": name,
                "mobile": mobile,
                "dept_id_list": comma_list(dept_ids),
                "title": title,
                "job_number": job_number,
                "email": email,
                "remark": remark,
            }
        )
        reply = await self._client.request(USER_CREATE, json=body)
        created = legacy_converter.structure(reply["result"], CreatedUser)
        if created.union_id:
            self._union_ids[created.userid] = created.union_id
        return created

    async def update_user(
        self,
        userid: str,
        *,
        name: str | None = None,
        dept_ids: Sequence[int] | None = None,
        title: str | None = None,
        job_number: str | None = None,
        email: str | None = None,
        remark: str | None = None,
    ) -> None:
        """Change a user's fields; ``dept_ids`` replaces the user's departments."""
        errors = text_errors("userid", userid, USERID_MAX, required=True)
        if name is not None:
            errors += text_errors("name", name, USER_NAME_MAX, required=True)
        if dept_ids is not None:
            errors += _dept_list_errors(dept_ids)
        _raise_if(errors)
        body = _without_none(
            {
                "userid": userid,
                "name": name,
                "dept_id_list": comma_list(dept_ids) if dept_ids is not None else None,
                "title": title,
                "job_number": job_number,
                "email": email,
                "remark": remark,
            }
        )
        await self._client.request(USER_UPDATE, json=body)

    async def delete_user(self, userid: str) -> None:
        _raise_if(text_errors("userid", userid, USERID_MAX, required=True))
        await self._client.request(USER_DELETE, json={"userid": userid})
        self._union_ids.pop(userid, None)

    async def get_user(self, userid: str, *, language: str | None = None) -> User:
        _raise_if(text_errors("userid", userid, USERID_MAX, required=True))
        body = _without_none({"userid": userid, "language": language})
        reply = await self._client.request(USER_GET, json=body)
        user = legacy_converter.structure(reply["result"], User)
        if user.union_id:
            self._union_ids[user.userid] = user.union_id
        return user

    def list_users(
        self, dept_id: int, *, size: int = USER_LIST_SIZE_MAX, order_field: str | None = None
    ) -> AsyncPaginator[User]:
        """Page through the direct members of ``dept_id`` in full, ``size`` (1-100) per page."""
        _raise_if(
            positive_id_errors("dept_id", dept_id) + size_errors("size", size, USER_LIST_SIZE_MAX)
        )

        async def fetch(cursor: Any) -> Page[User]:
            body = _without_none(
                {
                    "dept_id": dept_id,
                    "cursor": cursor or 0,
                    "size": size,
                    "order_field": order_field,
                }
            )
            reply = await self._client.request(USER_LIST, json=body)
            page = legacy_cursor_page(
                reply["result"], lambda item: legacy_converter.structure(item, User)
            )
            for user in page.items:
                if user.union_id:
                    self._union_ids[user.userid] = user.union_id
            return page

        return AsyncPaginator(fetch)

    def list_simple_users(
        self, dept_id: int, *, size: int = USER_LIST_SIZE_MAX
    ) -> AsyncPaginator[SimpleUser]:
        """Page through userid and name of the direct members of ``dept_id``, ``size`` (1-100) per page."""
        _raise_if(
            positive_id_errors("dept_id", dept_id) + size_errors("size", size, USER_LIST_SIZE_MAX)
        )

        async def fetch(cursor: Any) -> Page[SimpleUser]:
            body = {"dept_id": dept_id, "cursor": cursor or 0, "size": size}
            reply = await self._client.request(USER_LIST_SIMPLE, json=body)
            return legacy_cursor_page(
                reply["result"], lambda item: legacy_converter.structure(item, SimpleUser)
            )

        return AsyncPaginator(fetch)

    async def list_user_ids(self, dept_id: int) -> list[str]:
        """Return the userids of the direct members of ``dept_id``."""
        _raise_if(positive_id_errors("dept_id", dept_id))
        reply = await self._client.request(USER_LIST_ID, json={"dept_id": dept_id})
        return [str(item) for item in reply["result"].get("userid_list") or []]

    async def get_userid_by_mobile(self, mobile: str) -> str:
        """Return the userid of the current member with this mobile, or raise NotFoundError (60121)."""
        _raise_if(text_errors("mobile", mobile, 15, required=True))
        reply = await self._client.request(USER_GET_BY_MOBILE, json={"mobile": mobile})
        return str(reply["result"]["userid"])

    async def count_users(self, *, only_active: bool = False) -> int:
        """Number of users; ``only_active`` leaves out those who have not activated DingTalk."""
        reply = await self._client.request(USER_COUNT, json={"only_active": only_active})
        return int(reply["result"]["count"])

    def list_inactive_users(
        self,
        query_date: dt.date,
        *,
        dept_ids: Sequence[int] = (),
        size: int = INACTIVE_SIZE_MAX,
    ) -> AsyncPaginator[str]:
        """Page through the userids of people who had not logged in to DingTalk on ``query_date``.

        ``dept_ids`` (at most 100) narrows the search; empty means the whole corp.
        """
        errors = size_errors("size", size, INACTIVE_SIZE_MAX)
        if len(dept_ids) > INACTIVE_SIZE_MAX:
            errors += batch_errors("dept_ids", dept_ids, INACTIVE_SIZE_MAX)
        _raise_if(errors)

        async def fetch(cursor: Any) -> Page[str]:
            body = _without_none(
                {
                    "is_active": False,
                    "offset": cursor or 0,
                    "size": size,
                    "query_date": query_date.strftime("%Y%m%d"),
                    "dept_ids": comma_list(dept_ids) if dept_ids else None,
                }
            )
            reply = await self._client.request(INACTIVE_USER_LIST, json=body)
            return legacy_cursor_page(reply["result"], str)

        return AsyncPaginator(fetch)

    async def union_id(self, userid: str) -> str:
        """Return the user's unionId (to-do and calendar APIs need it), cached per client."""
        cached = self._union_ids.get(userid)
        if cached is not None:
            return cached
        user = await self.get_user(userid)
        if not user.union_id:
            raise ValidationError([FieldError("userid", userid, "DingTalk returned no unionid")])
        return user.union_id

    # Roles.

    async def add_role_group(self, name: str) -> int:
        """Create a role group and return its ``groupId``."""
        _raise_if(text_errors("name", name, 64, required=True))
        reply = await self._client.request(ROLE_ADD_GROUP, json={"name": name})
        return int(reply["groupId"])

    async def add_role(self, name: str, group_id: int) -> int:
        """Create a role in a group and return its ``roleId``."""
        _raise_if(
            text_errors("name", name, 64, required=True) + positive_id_errors("group_id", group_id)
        )
        reply = await self._client.request(ROLE_ADD, json={"roleName": name, "groupId": group_id})
        return int(reply["roleId"])

    async def update_role(self, role_id: int, name: str) -> None:
        """Rename a role."""
        _raise_if(
            positive_id_errors("role_id", role_id) + text_errors("name", name, 64, required=True)
        )
        await self._client.request(ROLE_UPDATE, json={"roleId": role_id, "roleName": name})

    async def delete_role(self, role_id: int) -> None:
        _raise_if(positive_id_errors("role_id", role_id))
        await self._client.request(ROLE_DELETE, json={"role_id": role_id})

    def list_role_groups(self, *, size: int = ROLE_LIST_SIZE_MAX) -> AsyncPaginator[RoleGroup]:
        """Page through the role groups with their roles, ``size`` (1-200) groups per page."""
        _raise_if(size_errors("size", size, ROLE_LIST_SIZE_MAX))

        async def fetch(cursor: Any) -> Page[RoleGroup]:
            offset = int(cursor or 0)
            reply = await self._client.request(ROLE_LIST, json={"offset": offset, "size": size})
            return legacy_offset_page(
                reply["result"],
                lambda item: legacy_converter.structure(item, RoleGroup),
                offset=offset,
                size=size,
            )

        return AsyncPaginator(fetch)

    async def get_role(self, role_id: int) -> RoleDetail:
        _raise_if(positive_id_errors("role_id", role_id))
        reply = await self._client.request(ROLE_GET, json={"roleId": role_id})
        return legacy_converter.structure(reply["role"], RoleDetail)

    async def get_role_group(self, group_id: int) -> RoleGroupDetail:
        _raise_if(positive_id_errors("group_id", group_id))
        reply = await self._client.request(ROLE_GET_GROUP, json={"group_id": group_id})
        return legacy_converter.structure(reply["role_group"], RoleGroupDetail)

    async def add_roles_to_users(self, role_ids: Sequence[int], userids: Sequence[str]) -> None:
        """Give every user every role, in one call of at most 20 roles × 20 users."""
        _raise_if(
            batch_errors("role_ids", role_ids, ROLES_ADD_ROLES_MAX)
            + batch_errors("userids", userids, ROLES_ADD_USERS_MAX)
        )
        body = {"roleIds": comma_list(role_ids), "userIds": comma_list(userids)}
        await self._client.request(ROLE_ADD_FOR_USERS, json=body)

    async def remove_roles_from_users(
        self, role_ids: Sequence[int], userids: Sequence[str]
    ) -> None:
        """Take the roles from the users, in one call of at most 20 roles × 100 users."""
        _raise_if(
            batch_errors("role_ids", role_ids, ROLES_REMOVE_ROLES_MAX)
            + batch_errors("userids", userids, ROLES_REMOVE_USERS_MAX)
        )
        body = {"roleIds": comma_list(role_ids), "userIds": comma_list(userids)}
        await self._client.request(ROLE_REMOVE_FROM_USERS, json=body)

    def list_role_members(
        self, role_id: int, *, size: int = ROLE_MEMBERS_SIZE_MAX
    ) -> AsyncPaginator[RoleMember]:
        """Page through the users who have ``role_id``, ``size`` (1-100) per page."""
        _raise_if(
            positive_id_errors("role_id", role_id)
            + size_errors("size", size, ROLE_MEMBERS_SIZE_MAX)
        )

        async def fetch(cursor: Any) -> Page[RoleMember]:
            offset = int(cursor or 0)
            body = {"role_id": role_id, "offset": offset, "size": size}
            reply = await self._client.request(ROLE_SIMPLE_LIST, json=body)
            return legacy_offset_page(
                reply["result"],
                lambda item: legacy_converter.structure(item, RoleMember),
                offset=offset,
                size=size,
            )

        return AsyncPaginator(fetch)


def _dept_list_errors(dept_ids: Sequence[int]) -> list[FieldError]:
    if not dept_ids:
        return [FieldError("dept_ids", list(dept_ids), "must name at least one department")]
    if len(dept_ids) > DEPARTMENTS_PER_USER_MAX:
        return [
            FieldError(
                "dept_ids",
                f"{len(dept_ids)} departments",
                f"a user may belong to at most {DEPARTMENTS_PER_USER_MAX} departments",
            )
        ]
    errors: list[FieldError] = []
    for index, dept_id in enumerate(dept_ids):
        errors += positive_id_errors(f"dept_ids[{index}]", dept_id)
    return errors
