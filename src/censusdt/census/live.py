"""Snapshot of a live DingTalk org: departments, users, role groups and roles as the API returns them."""

from __future__ import annotations

import attrs

from censusdt._masking import mask_mobiles

__all__ = [
    "ROOT_DEPT_ID",
    "LiveDepartment",
    "LiveOrg",
    "LiveRole",
    "LiveRoleGroup",
    "LiveUser",
]

# DingTalk's root department; top-level departments have parent_id 1.
ROOT_DEPT_ID = 1


def _mask_repr(mobile: str | None) -> str:
    return repr(mask_mobiles(mobile)) if mobile is not None else "None"


@attrs.define
class LiveDepartment:
    """A department from ``topapi/v2/department/get`` or ``listsub``.

    ``parent_id`` is None for the root department (id 1). ``order`` is None when unknown.
    """

    dept_id: int
    name: str
    parent_id: int | None
    source_identifier: str | None = None
    order: int | None = None


@attrs.define
class LiveUser:
    """A user from ``topapi/v2/user/get`` or ``list``.

    ``mobile`` is None when the app lacks the permission to read mobiles. ``dept_id_list`` lists
    every department the user belongs to.
    """

    userid: str
    name: str
    mobile: str | None = attrs.field(default=None, repr=_mask_repr)
    dept_id_list: list[int] = attrs.Factory(list)
    title: str | None = None
    job_number: str | None = None
    email: str | None = None
    remark: str | None = None


@attrs.define
class LiveRoleGroup:
    """A role group from ``topapi/role/list``."""

    group_id: int
    name: str


@attrs.define
class LiveRole:
    """A role from ``topapi/role/list`` with its members from ``topapi/role/simplelist``."""

    role_id: int
    name: str
    group_id: int
    userids: list[str] = attrs.Factory(list)


@attrs.define
class LiveOrg:
    """Everything the org diff reads from DingTalk, in plain lists."""

    departments: list[LiveDepartment] = attrs.Factory(list)
    users: list[LiveUser] = attrs.Factory(list)
    role_groups: list[LiveRoleGroup] = attrs.Factory(list)
    roles: list[LiveRole] = attrs.Factory(list)

    @classmethod
    def empty(cls, corp_name: str = "组织") -> LiveOrg:
        """Return an org that has only its root department, as a new DingTalk org does."""
        return cls(departments=[LiveDepartment(ROOT_DEPT_ID, corp_name, None)])

    def department(self, dept_id: int) -> LiveDepartment | None:
        """Return the department with this id, or None."""
        for department in self.departments:
            if department.dept_id == dept_id:
                return department
        return None

    def user(self, userid: str) -> LiveUser | None:
        """Return the user with this userid, or None."""
        for user in self.users:
            if user.userid == userid:
                return user
        return None
