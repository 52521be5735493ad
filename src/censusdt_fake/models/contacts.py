"""Contacts state of one corp: departments, users, role groups and roles (no HTTP here).

Errors are raised as :class:`LegacyError` with DingTalk's errcode and errmsg, because every
contacts API is on the legacy host.
"""

from __future__ import annotations

import hashlib
import re
from typing import TypeVar

import attrs

from censusdt_fake._errors import LegacyError

__all__ = [
    "ROOT_DEPT_ID",
    "ContactsState",
    "Department",
    "Role",
    "RoleGroup",
    "User",
    "page_slice",
]

T = TypeVar("T")

#: The root department of every corp.
ROOT_DEPT_ID = 1
#: Department names: 1-64 characters without "-", "，" or ",".
_BAD_DEPT_NAME = re.compile(r"[-，,]")
_MOBILE = re.compile(r"^(\+\d{1,4}-)?\d{5,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@attrs.define
class Department:
    dept_id: int
    name: str
    parent_id: int
    order: int = 0
    source_identifier: str | None = None
    hide_dept: bool = False
    create_dept_group: bool = False
    auto_add_user: bool = False
    dept_manager_userid_list: list[str] = attrs.field(factory=list)


@attrs.define
class User:
    userid: str
    unionid: str
    name: str
    mobile: str
    dept_id_list: list[int]
    title: str | None = None
    job_number: str | None = None
    email: str | None = None
    remark: str | None = None
    telephone: str | None = None
    work_place: str | None = None
    hired_date: int | None = None
    manager_userid: str | None = None
    #: Whether the person has activated DingTalk (logged in at least once).
    active: bool = True
    admin: bool = False
    boss: bool = False
    role_ids: list[int] = attrs.field(factory=list)
    #: Virtual-clock milliseconds of creation, for ``entry_asc`` ordering.
    created_ms: int = 0


@attrs.define
class Role:
    role_id: int
    name: str
    group_id: int
    #: Built-in roles of the "默认" group cannot be changed, deleted or assigned.
    builtin: bool = False


@attrs.define
class RoleGroup:
    group_id: int
    name: str
    builtin: bool = False


def _builtin_roles() -> tuple[dict[int, RoleGroup], dict[int, Role]]:
    group = RoleGroup(group_id=1, name="默认", builtin=True)
    names = ["负责人", "主管", "主管理员", "子管理员"]
    roles = {index + 1: Role(index + 1, name, 1, builtin=True) for index, name in enumerate(names)}
    return {1: group}, roles


@attrs.define
class ContactsState:
    """Departments, users and roles of one corp, with DingTalk's rules enforced."""

    departments: dict[int, Department] = attrs.field(
        factory=lambda: {ROOT_DEPT_ID: Department(ROOT_DEPT_ID, "人口普查测试组织", 0)}
    )
    users: dict[str, User] = attrs.field(factory=dict)
    role_groups: dict[int, RoleGroup] = attrs.field(factory=lambda: _builtin_roles()[0])
    roles: dict[int, Role] = attrs.field(factory=lambda: _builtin_roles()[1])
    next_dept_id: int = 100_000_001
    next_role_id: int = 1_000
    next_group_id: int = 100
    # Indexes kept in step with the dicts above, so an organisation of tens of thousands of users
    # answers per-department and per-mobile questions without scanning everyone.
    _child_ids: dict[int, set[int]] = attrs.field(factory=dict)
    _member_ids: dict[int, dict[str, None]] = attrs.field(factory=dict)
    _mobiles: dict[str, str] = attrs.field(factory=dict)
    _emails: dict[str, str] = attrs.field(factory=dict)
    _role_member_ids: dict[int, dict[str, None]] = attrs.field(factory=dict)

    # Departments.

    def department(self, dept_id: int) -> Department:
        department = self.departments.get(dept_id)
        if department is None:
            raise LegacyError(60003, "部门不存在")
        return department

    def children(self, dept_id: int) -> list[Department]:
        """Direct child departments, ordered by ``order`` (smaller first), then id."""
        found = [self.departments[child] for child in self._child_ids.get(dept_id, ())]
        return sorted(found, key=lambda item: (item.order, item.dept_id))

    def members(self, dept_id: int) -> list[User]:
        """Direct members of a department, in the order they joined it."""
        return [self.users[userid] for userid in self._member_ids.get(dept_id, {})]

    def ancestors(self, dept_id: int) -> list[int]:
        """The department itself and its ancestors up to the root, in that order."""
        chain = [dept_id]
        current = self.department(dept_id)
        while current.dept_id != ROOT_DEPT_ID:
            current = self.department(current.parent_id)
            chain.append(current.dept_id)
        return chain

    def check_department_name(
        self, name: str, parent_id: int, *, exclude: int | None = None
    ) -> None:
        if not name or len(name) > 64:
            raise LegacyError(60001, "部门名称不合法")
        if _BAD_DEPT_NAME.search(name):
            raise LegacyError(60009, "部门名称含有非法字符")
        for sibling in self.children(parent_id):
            if sibling.name == name and sibling.dept_id != exclude:
                raise LegacyError(60021, "该部门下已存在同名部门")

    def create_department(
        self,
        name: str,
        parent_id: int,
        *,
        order: int | None = None,
        source_identifier: str | None = None,
        hide_dept: bool = False,
        create_dept_group: bool = False,
    ) -> Department:
        if parent_id not in self.departments:
            raise LegacyError(60004, "父部门不存在")
        self.check_department_name(name, parent_id)
        dept_id = self.next_dept_id
        self.next_dept_id += 1
        department = Department(
            dept_id=dept_id,
            name=name,
            parent_id=parent_id,
            order=order if order is not None else dept_id,
            source_identifier=source_identifier,
            hide_dept=hide_dept,
            create_dept_group=create_dept_group,
        )
        self.departments[dept_id] = department
        self._child_ids.setdefault(parent_id, set()).add(dept_id)
        return department

    def move_department(self, dept_id: int, parent_id: int) -> None:
        if parent_id not in self.departments:
            raise LegacyError(60004, "父部门不存在")
        if dept_id in self.ancestors(parent_id):
            raise LegacyError(60010, "部门不能移动到自己或子部门下")
        department = self.department(dept_id)
        self.check_department_name(department.name, parent_id, exclude=dept_id)
        self._child_ids.get(department.parent_id, set()).discard(dept_id)
        self._child_ids.setdefault(parent_id, set()).add(dept_id)
        department.parent_id = parent_id

    def delete_department(self, dept_id: int) -> None:
        if dept_id == ROOT_DEPT_ID:
            raise LegacyError(60007, "根部门不能删除")
        self.department(dept_id)
        if self.children(dept_id):
            raise LegacyError(60006, "该部门下存在子部门")
        if self.members(dept_id):
            raise LegacyError(60005, "该部门下存在员工")
        department = self.departments.pop(dept_id)
        self._child_ids.get(department.parent_id, set()).discard(dept_id)
        self._child_ids.pop(dept_id, None)
        self._member_ids.pop(dept_id, None)

    # Users.

    def user(self, userid: str) -> User:
        user = self.users.get(userid)
        if user is None:
            raise LegacyError(60121, "找不到该用户")
        return user

    def user_by_mobile(self, mobile: str) -> User | None:
        userid = self._mobiles.get(mobile)
        return self.users[userid] if userid is not None else None

    def user_by_unionid(self, unionid: str) -> User | None:
        for user in self.users.values():
            if user.unionid == unionid:
                return user
        return None

    def check_user_fields(
        self,
        *,
        name: str | None,
        mobile: str | None,
        email: str | None,
        dept_id_list: list[int] | None,
        exclude: str | None = None,
    ) -> None:
        """Raise DingTalk's error for the first invalid or duplicate field, as the API does."""
        if name is not None and (not name.strip() or len(name) > 80):
            raise LegacyError(60112, "用户名称不合法")
        if mobile is not None:
            if not _MOBILE.match(mobile):
                raise LegacyError(60103, "手机号码不合法")
            holder = self.user_by_mobile(mobile)
            if holder is not None and holder.userid != exclude:
                raise LegacyError(60104, "手机号码在公司中已存在")
        if email:
            if not _EMAIL.match(email) or len(email) > 50:
                raise LegacyError(60105, "邮箱不合法")
            holder_id = self._emails.get(email)
            if holder_id is not None and holder_id != exclude:
                raise LegacyError(60106, "邮箱在公司中已存在")
        if dept_id_list is not None:
            if not dept_id_list or len(dept_id_list) > 100:
                raise LegacyError(40035, "不合法的参数 dept_id_list")
            for dept_id in dept_id_list:
                if dept_id not in self.departments:
                    raise LegacyError(60003, "部门不存在")

    def create_user(
        self,
        *,
        name: str,
        mobile: str,
        dept_id_list: list[int],
        userid: str | None = None,
        created_ms: int = 0,
        **fields: object,
    ) -> User:
        if userid is not None and (not userid or len(userid) > 64):
            raise LegacyError(40035, "不合法的参数 userid")
        if userid is not None and userid in self.users:
            raise LegacyError(60102, "UserID在公司中已存在")
        self.check_user_fields(
            name=name,
            mobile=mobile,
            email=str(fields["email"]) if fields.get("email") else None,
            dept_id_list=dept_id_list,
        )
        digest = hashlib.sha256(f"{mobile}".encode()).hexdigest()
        userid = userid or "manager" + digest[:10]
        while userid in self.users:
            userid = userid + "0"
        user = User(
            userid=userid,
            unionid="union" + digest[10:34],
            name=name,
            mobile=mobile,
            dept_id_list=list(dict.fromkeys(dept_id_list)),
            created_ms=created_ms,
        )
        for key, value in fields.items():
            if value is not None and hasattr(user, key):
                setattr(user, key, value)
        self.users[userid] = user
        self._index_user(user)
        return user

    def delete_user(self, userid: str) -> None:
        user = self.user(userid)
        self._unindex_user(user)
        del self.users[userid]

    # Roles.

    def role(self, role_id: int) -> Role:
        role = self.roles.get(role_id)
        if role is None:
            raise LegacyError(33011, "无效的角色ID")
        return role

    def add_role_group(self, name: str) -> RoleGroup:
        if not name:
            raise LegacyError(34018, "角色组名称不能为空")
        group = RoleGroup(self.next_group_id, name)
        self.next_group_id += 1
        self.role_groups[group.group_id] = group
        return group

    def add_role(self, name: str, group_id: int) -> Role:
        if not name:
            raise LegacyError(34018, "角色名称或角色组不能为空")
        group = self.role_groups.get(group_id)
        if group is None or group.builtin:
            raise LegacyError(34020, "无效的角色组ID")
        if any(role.name == name and role.group_id == group_id for role in self.roles.values()):
            raise LegacyError(34021, "角色名称已存在")
        role = Role(self.next_role_id, name, group_id)
        self.next_role_id += 1
        self.roles[role.role_id] = role
        return role

    def role_members(self, role_id: int) -> list[User]:
        """Holders of a role, in the order they were given it."""
        self.role(role_id)
        return [self.users[userid] for userid in self._role_member_ids.get(role_id, {})]

    def update_role(self, role_id: int, name: str) -> None:
        if not name:
            raise LegacyError(660000, "参数为空")
        role = self.role(role_id)
        if role.builtin:
            raise LegacyError(23004, "系统标签不能编辑")
        for other in self.roles.values():
            if other.group_id == role.group_id and other.name == name and other is not role:
                raise LegacyError(34021, "角色名称已存在")
        role.name = name

    def delete_role(self, role_id: int) -> None:
        role = self.role(role_id)
        if role.builtin:
            raise LegacyError(23004, "系统标签不能编辑")
        # NOTE: DingTalk asks callers to unassign a role first but documents no error code for
        # deleting one still assigned; the fake takes the role from its holders instead.
        for userid in self._role_member_ids.pop(role_id, {}):
            self.users[userid].role_ids.remove(role_id)
        del self.roles[role_id]

    def assignable_roles(self, role_ids: list[int]) -> list[Role]:
        """The roles named by ``role_ids``; 33011 for an unknown id, 23004 for a built-in one."""
        roles = [self.role(role_id) for role_id in role_ids]
        if any(role.builtin for role in roles):
            raise LegacyError(23004, "系统标签不能编辑")
        return roles

    def known_users(self, userids: list[str]) -> list[User]:
        """The users named by ``userids``; 33012 for the first unknown one."""
        found = []
        for userid in userids:
            user = self.users.get(userid)
            if user is None:
                raise LegacyError(33012, "无效的USERID")
            found.append(user)
        return found

    def add_roles_to_users(self, role_ids: list[int], userids: list[str]) -> None:
        """Give each user each role; a role a user already holds is left as it is."""
        roles = self.assignable_roles(role_ids)
        users = self.known_users(userids)
        for user in users:
            for role in roles:
                if role.role_id not in user.role_ids:
                    user.role_ids.append(role.role_id)
                    self._role_member_ids.setdefault(role.role_id, {})[user.userid] = None

    def remove_roles_from_users(self, role_ids: list[int], userids: list[str]) -> None:
        roles = self.assignable_roles(role_ids)
        users = self.known_users(userids)
        for user in users:
            for role in roles:
                if role.role_id in user.role_ids:
                    user.role_ids.remove(role.role_id)
                    self._role_member_ids.get(role.role_id, {}).pop(user.userid, None)

    # Departments and users: updates.

    def update_department(
        self,
        dept_id: int,
        *,
        name: str | None = None,
        parent_id: int | None = None,
        order: int | None = None,
        source_identifier: str | None = None,
    ) -> Department:
        """Apply the given fields (all or nothing): validate first, then change."""
        if dept_id == ROOT_DEPT_ID:
            raise LegacyError(60018, "根部门不能更新")
        department = self.department(dept_id)
        target_parent = department.parent_id if parent_id is None else parent_id
        if parent_id is not None and parent_id != department.parent_id:
            if parent_id not in self.departments:
                raise LegacyError(60004, "父部门不存在")
            if dept_id in self.ancestors(parent_id):
                raise LegacyError(60010, "部门不能移动到自己或子部门下")
        new_name = department.name if name is None else name
        if name is not None or target_parent != department.parent_id:
            self.check_department_name(new_name, target_parent, exclude=dept_id)

        if target_parent != department.parent_id:
            self.move_department(dept_id, target_parent)
        department.name = new_name
        if order is not None:
            department.order = order
        if source_identifier is not None:
            department.source_identifier = source_identifier
        return department

    def update_user(
        self,
        userid: str,
        *,
        name: str | None = None,
        mobile: str | None = None,
        email: str | None = None,
        dept_id_list: list[int] | None = None,
        **fields: object,
    ) -> User:
        """Apply the given fields (all or nothing); ``dept_id_list`` replaces the departments."""
        user = self.user(userid)
        self.check_user_fields(
            name=name, mobile=mobile, email=email, dept_id_list=dept_id_list, exclude=userid
        )
        if mobile is not None and mobile != user.mobile:
            # DingTalk refuses to change a user's login mobile through the API (delete and re-add).
            # NOTE: the errcode 40022 is documented; its errmsg wording here is not.
            raise LegacyError(40022, "不支持修改手机号码，请删除后重新添加")
        self._unindex_user(user)
        if name is not None:
            user.name = name
        if email is not None:
            user.email = email or None
        if dept_id_list is not None:
            user.dept_id_list = list(dict.fromkeys(dept_id_list))
        for key, value in fields.items():
            if value is not None and hasattr(user, key):
                setattr(user, key, value)
        self._index_user(user)
        return user

    def set_active(self, userids: list[str], active: bool) -> None:
        """Mark people as having activated DingTalk or not (control plane)."""
        for user in self.known_users(userids):
            user.active = active

    def inactive_users(self, dept_ids: list[int]) -> list[User]:
        """Users who have not activated DingTalk, optionally only direct members of ``dept_ids``."""
        if not dept_ids:
            return [user for user in self.users.values() if not user.active]
        wanted = set(dept_ids)
        return [
            user
            for user in self.users.values()
            if not user.active and wanted.intersection(user.dept_id_list)
        ]

    def _index_user(self, user: User) -> None:
        self._mobiles[user.mobile] = user.userid
        if user.email:
            self._emails[user.email] = user.userid
        for dept_id in user.dept_id_list:
            self._member_ids.setdefault(dept_id, {})[user.userid] = None
        for role_id in user.role_ids:
            self._role_member_ids.setdefault(role_id, {})[user.userid] = None

    def _unindex_user(self, user: User) -> None:
        self._mobiles.pop(user.mobile, None)
        if user.email:
            self._emails.pop(user.email, None)
        for dept_id in user.dept_id_list:
            self._member_ids.get(dept_id, {}).pop(user.userid, None)
        for role_id in user.role_ids:
            self._role_member_ids.get(role_id, {}).pop(user.userid, None)


def page_slice(items: list[T], offset: int, size: int) -> tuple[list[T], bool, int | None]:
    """One page of ``items`` from ``offset``: the items, whether more follow, the next offset."""
    chunk = items[offset : offset + size]
    end = offset + len(chunk)
    has_more = end < len(items)
    return chunk, has_more, end if has_more else None
