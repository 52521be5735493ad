"""Contacts and roles: endpoint declarations, limits, models and input checks (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from censusdt._converters import wire_key
from censusdt._endpoint import Endpoint
from censusdt._errors import FieldError

__all__ = [
    "DEPARTMENTS_PER_USER_MAX",
    "DEPARTMENT_CREATE",
    "DEPARTMENT_DELETE",
    "DEPARTMENT_GET",
    "DEPARTMENT_LIST_PARENT_BY_DEPT",
    "DEPARTMENT_LIST_PARENT_BY_USER",
    "DEPARTMENT_LIST_SUB",
    "DEPARTMENT_LIST_SUB_ID",
    "DEPARTMENT_NAME_MAX",
    "DEPARTMENT_UPDATE",
    "INACTIVE_SIZE_MAX",
    "INACTIVE_USER_LIST",
    "ROLES_ADD_ROLES_MAX",
    "ROLES_ADD_USERS_MAX",
    "ROLES_REMOVE_ROLES_MAX",
    "ROLES_REMOVE_USERS_MAX",
    "ROLE_ADD",
    "ROLE_ADD_FOR_USERS",
    "ROLE_ADD_GROUP",
    "ROLE_DELETE",
    "ROLE_GET",
    "ROLE_GET_GROUP",
    "ROLE_LIST",
    "ROLE_LIST_SIZE_MAX",
    "ROLE_MEMBERS_SIZE_MAX",
    "ROLE_REMOVE_FROM_USERS",
    "ROLE_SIMPLE_LIST",
    "ROLE_UPDATE",
    "USERID_MAX",
    "USER_COUNT",
    "USER_CREATE",
    "USER_DELETE",
    "USER_GET",
    "USER_GET_BY_MOBILE",
    "USER_LIST",
    "USER_LIST_ID",
    "USER_LIST_SIMPLE",
    "USER_LIST_SIZE_MAX",
    "USER_NAME_MAX",
    "USER_UPDATE",
    "CreatedUser",
    "Department",
    "ManageScope",
    "RoleDetail",
    "RoleGroup",
    "RoleGroupDetail",
    "RoleGroupRole",
    "RoleMember",
    "RoleSummary",
    "SimpleUser",
    "User",
    "UserRole",
    "batch_errors",
    "comma_list",
    "department_name_errors",
    "positive_id_errors",
    "size_errors",
    "text_errors",
]

# Departments (all POST on the legacy host).
DEPARTMENT_CREATE = Endpoint.legacy("POST", "/topapi/v2/department/create", idempotent=False)
DEPARTMENT_UPDATE = Endpoint.legacy("POST", "/topapi/v2/department/update", idempotent=True)
DEPARTMENT_DELETE = Endpoint.legacy("POST", "/topapi/v2/department/delete", idempotent=False)
DEPARTMENT_GET = Endpoint.legacy("POST", "/topapi/v2/department/get", idempotent=True)
DEPARTMENT_LIST_SUB = Endpoint.legacy("POST", "/topapi/v2/department/listsub", idempotent=True)
DEPARTMENT_LIST_SUB_ID = Endpoint.legacy("POST", "/topapi/v2/department/listsubid", idempotent=True)
DEPARTMENT_LIST_PARENT_BY_DEPT = Endpoint.legacy(
    "POST", "/topapi/v2/department/listparentbydept", idempotent=True
)
DEPARTMENT_LIST_PARENT_BY_USER = Endpoint.legacy(
    "POST", "/topapi/v2/department/listparentbyuser", idempotent=True
)

# Users.
USER_CREATE = Endpoint.legacy("POST", "/topapi/v2/user/create", idempotent=False)
USER_UPDATE = Endpoint.legacy("POST", "/topapi/v2/user/update", idempotent=True)
USER_DELETE = Endpoint.legacy("POST", "/topapi/v2/user/delete", idempotent=False)
USER_GET = Endpoint.legacy("POST", "/topapi/v2/user/get", idempotent=True)
USER_LIST = Endpoint.legacy("POST", "/topapi/v2/user/list", idempotent=True)
USER_LIST_SIMPLE = Endpoint.legacy("POST", "/topapi/user/listsimple", idempotent=True)
USER_LIST_ID = Endpoint.legacy("POST", "/topapi/user/listid", idempotent=True)
USER_GET_BY_MOBILE = Endpoint.legacy("POST", "/topapi/v2/user/getbymobile", idempotent=True)
USER_COUNT = Endpoint.legacy("POST", "/topapi/user/count", idempotent=True)
INACTIVE_USER_LIST = Endpoint.legacy("POST", "/topapi/inactive/user/v2/get", idempotent=True)

# Roles. Three write endpoints sit outside /topapi/ and take camelCase keys.
ROLE_ADD_GROUP = Endpoint.legacy("POST", "/role/add_role_group", idempotent=False)
ROLE_ADD = Endpoint.legacy("POST", "/role/add_role", idempotent=False)
ROLE_UPDATE = Endpoint.legacy("POST", "/role/update_role", idempotent=True)
ROLE_DELETE = Endpoint.legacy("POST", "/topapi/role/deleterole", idempotent=False)
ROLE_LIST = Endpoint.legacy("POST", "/topapi/role/list", idempotent=True)
ROLE_GET = Endpoint.legacy("POST", "/topapi/role/getrole", idempotent=True)
ROLE_GET_GROUP = Endpoint.legacy("POST", "/topapi/role/getrolegroup", idempotent=True)
# Adding or removing a role that a user already has or lacks changes nothing, so both repeat safely.
ROLE_ADD_FOR_USERS = Endpoint.legacy("POST", "/topapi/role/addrolesforemps", idempotent=True)
ROLE_REMOVE_FROM_USERS = Endpoint.legacy("POST", "/topapi/role/removerolesforemps", idempotent=True)
ROLE_SIMPLE_LIST = Endpoint.legacy("POST", "/topapi/role/simplelist", idempotent=True)

#: Department names: 1-64 characters, without "-", "，" or ",".
DEPARTMENT_NAME_MAX = 64
#: ``topapi/v2/user/list`` and ``topapi/user/listsimple``: ``size`` 1-100.
USER_LIST_SIZE_MAX = 100
#: ``topapi/role/list``: ``size`` at most 200.
ROLE_LIST_SIZE_MAX = 200
#: ``topapi/role/simplelist``: ``size`` 1-100.
ROLE_MEMBERS_SIZE_MAX = 100
#: ``topapi/role/addrolesforemps``: at most 20 roles and 20 users per call.
ROLES_ADD_ROLES_MAX = 20
ROLES_ADD_USERS_MAX = 20
#: ``topapi/role/removerolesforemps``: at most 20 roles and 100 users per call.
ROLES_REMOVE_ROLES_MAX = 20
ROLES_REMOVE_USERS_MAX = 100
#: ``topapi/inactive/user/v2/get``: ``size`` at most 100, ``dept_ids`` at most 100.
INACTIVE_SIZE_MAX = 100
USER_NAME_MAX = 80
USERID_MAX = 64
DEPARTMENTS_PER_USER_MAX = 100

_BAD_DEPARTMENT_NAME = re.compile(r"[-，,]")


# Models.


@attrs.frozen
class Department:
    """A department as ``department/get`` and ``department/listsub`` return it."""

    dept_id: int
    name: str
    parent_id: int | None = None
    order: int | None = None
    source_identifier: str | None = None
    create_dept_group: bool | None = None
    auto_add_user: bool | None = None
    hide_dept: bool | None = None
    member_count: int | None = None
    dept_manager_userid_list: list[str] | None = None


@attrs.frozen
class UserRole:
    """A role of a user as ``user/get`` lists it in ``role_list``."""

    id: int
    name: str
    group_name: str | None = None


@attrs.frozen
class User:
    """A user as ``topapi/v2/user/get`` and ``topapi/v2/user/list`` return them.

    ``union_id`` is read from ``unionid`` (lower case here, unlike the create reply's ``unionId``).
    """

    userid: str
    name: str
    union_id: str | None = attrs.field(default=None, metadata=wire_key("unionid"))
    mobile: str | None = attrs.field(default=None, repr=False)
    title: str | None = None
    job_number: str | None = None
    email: str | None = attrs.field(default=None, repr=False)
    remark: str | None = None
    dept_id_list: list[int] = attrs.field(factory=list)
    active: bool | None = None
    admin: bool | None = None
    boss: bool | None = None
    role_list: list[UserRole] = attrs.field(factory=list)


@attrs.frozen
class SimpleUser:
    """A user as ``topapi/user/listsimple`` returns them."""

    userid: str
    name: str


@attrs.frozen
class CreatedUser:
    """The reply of ``topapi/v2/user/create``: the userid and the camelCase ``unionId``."""

    userid: str
    union_id: str | None = attrs.field(default=None, metadata=wire_key("unionId"))


@attrs.frozen
class RoleSummary:
    """A role inside a ``topapi/role/list`` group."""

    id: int
    name: str


@attrs.frozen
class RoleGroup:
    """A role group with its roles, as ``topapi/role/list`` returns it."""

    group_id: int = attrs.field(metadata=wire_key("groupId"))
    name: str
    roles: list[RoleSummary] = attrs.field(factory=list)


@attrs.frozen
class RoleDetail:
    """The reply of ``topapi/role/getrole``; DingTalk does not echo the role id."""

    name: str
    group_id: int = attrs.field(metadata=wire_key("groupId"))


@attrs.frozen
class RoleGroupRole:
    role_id: int
    role_name: str


@attrs.frozen
class RoleGroupDetail:
    """The reply of ``topapi/role/getrolegroup``."""

    group_name: str
    roles: list[RoleGroupRole] = attrs.field(factory=list)


@attrs.frozen
class ManageScope:
    dept_id: int
    name: str


@attrs.frozen
class RoleMember:
    """A user holding a role, as ``topapi/role/simplelist`` returns them."""

    userid: str
    name: str | None = None
    manage_scopes: list[ManageScope] = attrs.field(factory=list, metadata=wire_key("manageScopes"))


# Input checks shared by the async calls; each returns the problems instead of raising so a call
# can report every bad field at once.


def department_name_errors(field: str, name: str | None) -> list[FieldError]:
    if name is None:
        return []
    if not name or len(name) > DEPARTMENT_NAME_MAX:
        return [FieldError(field, name, f"must be 1-{DEPARTMENT_NAME_MAX} characters")]
    if _BAD_DEPARTMENT_NAME.search(name):
        return [FieldError(field, name, 'must not contain "-", "，" or ","')]
    return []


def positive_id_errors(field: str, value: int | None) -> list[FieldError]:
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return [FieldError(field, value, "must be a positive integer id")]
    return []


def text_errors(field: str, value: str | None, maximum: int, *, required: bool) -> list[FieldError]:
    if value is None:
        return [FieldError(field, value, "is required")] if required else []
    if required and not value.strip():
        return [FieldError(field, value, "must not be empty")]
    if len(value) > maximum:
        return [FieldError(field, value, f"must be at most {maximum} characters")]
    return []


def size_errors(field: str, value: int, maximum: int) -> list[FieldError]:
    if isinstance(value, bool) or not 1 <= value <= maximum:
        return [FieldError(field, value, f"must be between 1 and {maximum}")]
    return []


def batch_errors(field: str, values: Sequence[object], maximum: int) -> list[FieldError]:
    """Reject an empty list or one above DingTalk's per-call limit, naming the limit."""
    if not values:
        return [FieldError(field, list(values), "must name at least one item")]
    if len(values) > maximum:
        return [
            FieldError(
                field,
                f"{len(values)} items",
                f"at most {maximum} per call; split the list into batches of {maximum}",
            )
        ]
    return []


def comma_list(values: Sequence[object]) -> str:
    """Join ids the way DingTalk's comma-separated list parameters expect."""
    return ",".join(str(value) for value in values)
