"""A pure in-memory executor of org diffs, with DingTalk's contact rules, for the plan tests."""

from __future__ import annotations

import attrs

from censusdt.census.live import (
    ROOT_DEPT_ID,
    LiveDepartment,
    LiveOrg,
    LiveRole,
    LiveRoleGroup,
    LiveUser,
)
from censusdt.census.orgdiff import OrgDiff
from censusdt.census.orgdiffops import (
    AssignRole,
    CreateDepartment,
    CreateRole,
    CreateRoleGroup,
    CreateUser,
    DeleteDepartment,
    DeleteRole,
    DeleteUser,
    Operation,
    UnassignRole,
    UpdateDepartment,
    UpdateUser,
)
from censusdt.census.plan import OrgPlan


class RejectedError(Exception):
    """DingTalk would reject the operation; the message names the rule (and its errcode)."""


@attrs.define
class MemoryExecutor:
    """Runs diff operations against a LiveOrg, enforcing the rules an executor relies on."""

    live: LiveOrg
    role_group: str
    department_ids: dict[str, int] = attrs.Factory(dict)
    role_ids: dict[str, int] = attrs.Factory(dict)
    sent: int = 0

    def run(self, diff: OrgDiff, *, stop_after: int | None = None) -> None:
        """Run the diff's operations in order; stop after ``stop_after`` of them (a crash)."""
        self.department_ids = dict(diff.department_ids)
        self.role_ids = {}
        for index, operation in enumerate(diff.operations):
            if stop_after is not None and index >= stop_after:
                return
            self.apply(operation)
            self.sent += 1

    def _next_id(self, ids: list[int]) -> int:
        return max([ROOT_DEPT_ID, *ids]) + 1

    def _department(self, dept_id: int) -> LiveDepartment:
        department = self.live.department(dept_id)
        if department is None:
            raise RejectedError(f"60003 department {dept_id} not found")
        return department

    def _parent_id(self, key: str | None) -> int:
        if key is None:
            return ROOT_DEPT_ID
        if key not in self.department_ids:
            raise RejectedError(f"60004 parent {key} unknown to the executor")
        return self.department_ids[key]

    def _check_unique_name(self, parent_id: int, name: str, dept_id: int | None) -> None:
        for other in self.live.departments:
            if other.parent_id == parent_id and other.name == name and other.dept_id != dept_id:
                raise RejectedError(f"60021 name {name} exists under {parent_id}")

    def _dept_ids(self, keys: tuple[str, ...], kept: tuple[int, ...] = ()) -> list[int]:
        ids = [self.department_ids[key] for key in keys] + list(kept)
        for dept_id in ids:
            self._department(dept_id)
        if not ids:
            raise RejectedError("40035 a user needs at least one department")
        return ids

    def _user(self, userid: str) -> LiveUser:
        user = self.live.user(userid)
        if user is None:
            raise RejectedError(f"60121 user {userid} not found")
        return user

    def _group_id(self) -> int:
        for group in sorted(self.live.role_groups, key=lambda group: group.group_id):
            if group.name == self.role_group:
                return group.group_id
        raise RejectedError("34020 role group missing")

    def _role(self, role_id: int | None, name: str) -> LiveRole:
        if role_id is None:
            role_id = self.role_ids.get(name)
        for role in self.live.roles:
            if role.role_id == role_id:
                return role
        raise RejectedError(f"33011 role {name} ({role_id}) not found")

    def apply(self, operation: Operation) -> None:
        """Run one operation, or raise RejectedError as DingTalk would."""
        handlers = {
            CreateDepartment: self._create_department,
            UpdateDepartment: self._update_department,
            DeleteDepartment: self._delete_department,
            CreateUser: self._create_user,
            UpdateUser: self._update_user,
            DeleteUser: self._delete_user,
            CreateRoleGroup: self._create_role_group,
            CreateRole: self._create_role,
            AssignRole: self._assign_role,
            UnassignRole: self._unassign_role,
            DeleteRole: self._delete_role,
        }
        handlers[type(operation)](operation)  # type: ignore[operator]

    def _create_department(self, operation: CreateDepartment) -> None:
        parent_id = self._parent_id(operation.parent_key)
        self._department(parent_id)
        self._check_unique_name(parent_id, operation.name, None)
        dept_id = self._next_id([d.dept_id for d in self.live.departments])
        self.live.departments.append(
            LiveDepartment(dept_id, operation.name, parent_id, operation.key, operation.order)
        )
        self.department_ids[operation.key] = dept_id

    def _update_department(self, operation: UpdateDepartment) -> None:
        department = self._department(operation.dept_id)
        fields = operation.changed_fields
        parent_id = department.parent_id
        if "parent" in fields:
            parent_id = self._parent_id(operation.parent_key)
            ancestor: int | None = parent_id
            while ancestor is not None:
                if ancestor == department.dept_id:
                    raise RejectedError("60010 move would create a cycle")
                ancestor = self._department(ancestor).parent_id
        name = operation.name if "name" in fields else department.name
        if fields & {"name", "parent"} and parent_id is not None:
            self._check_unique_name(parent_id, name, department.dept_id)
        department.name = name
        department.parent_id = parent_id
        if "order" in fields:
            department.order = operation.order
        if "source_identifier" in fields:
            department.source_identifier = operation.key

    def _delete_department(self, operation: DeleteDepartment) -> None:
        department = self._department(operation.dept_id)
        if any(d.parent_id == department.dept_id for d in self.live.departments):
            raise RejectedError("60006 department has sub-departments")
        if any(department.dept_id in u.dept_id_list for u in self.live.users):
            raise RejectedError("60005 department has members")
        self.live.departments.remove(department)

    def _create_user(self, operation: CreateUser) -> None:
        if self.live.user(operation.userid) is not None:
            raise RejectedError(f"60102 userid {operation.userid} exists")
        if any(u.mobile == operation.mobile for u in self.live.users):
            raise RejectedError("60104 mobile exists")
        self.live.users.append(
            LiveUser(
                userid=operation.userid,
                name=operation.name,
                mobile=operation.mobile,
                dept_id_list=self._dept_ids(operation.department_keys),
                title=operation.title,
                job_number=operation.job_number,
                email=operation.email,
                remark=operation.remark,
            )
        )

    def _update_user(self, operation: UpdateUser) -> None:
        user = self._user(operation.userid)
        fields = operation.changed_fields
        if "mobile" in fields:
            if any(u.mobile == operation.mobile and u is not user for u in self.live.users):
                raise RejectedError("60104 mobile exists")
            user.mobile = operation.mobile
        for field in ("name", "title", "job_number", "email", "remark"):
            if field in fields:
                setattr(user, field, getattr(operation, field) or None)
        if "departments" in fields:
            user.dept_id_list = self._dept_ids(operation.department_keys, operation.kept_dept_ids)

    def _delete_user(self, operation: DeleteUser) -> None:
        user = self._user(operation.userid)
        self.live.users.remove(user)
        for role in self.live.roles:
            if user.userid in role.userids:
                role.userids.remove(user.userid)

    def _create_role_group(self, operation: CreateRoleGroup) -> None:
        group_id = self._next_id([g.group_id for g in self.live.role_groups]) + 1000
        self.live.role_groups.append(LiveRoleGroup(group_id, operation.name))

    def _create_role(self, operation: CreateRole) -> None:
        group_id = self._group_id()
        if any(r.group_id == group_id and r.name == operation.name for r in self.live.roles):
            raise RejectedError(f"34021 role {operation.name} exists")
        role_id = self._next_id([r.role_id for r in self.live.roles]) + 5000
        self.live.roles.append(LiveRole(role_id, operation.name, group_id))
        self.role_ids[operation.name] = role_id

    def _assign_role(self, operation: AssignRole) -> None:
        role = self._role(operation.role_id, operation.role_name)
        for userid in operation.userids:
            self._user(userid)
            if userid not in role.userids:
                role.userids.append(userid)

    def _unassign_role(self, operation: UnassignRole) -> None:
        role = self._role(operation.role_id, operation.role_name)
        for userid in operation.userids:
            if userid in role.userids:
                role.userids.remove(userid)

    def _delete_role(self, operation: DeleteRole) -> None:
        role = self._role(operation.role_id, operation.name)
        if role.userids:
            raise RejectedError("role still has members")
        self.live.roles.remove(role)


def apply_diff(plan: OrgPlan, live: LiveOrg, *, remove_extra: bool = True) -> OrgDiff:
    """Diff ``live`` against ``plan``, run the whole diff on ``live`` and return the diff."""
    diff = plan.diff(live, remove_extra=remove_extra)
    MemoryExecutor(live, plan.role_group).run(diff)
    return diff


def mismatches(live: LiveOrg, plan: OrgPlan, *, exact: bool) -> list[str]:
    """List every way ``live`` differs from ``plan``; with ``exact``, extra objects count too."""
    problems: list[str] = []
    by_key: dict[str, LiveDepartment] = {}
    for department in live.departments:
        key = department.source_identifier
        if key is None:
            continue
        if key in by_key:
            problems.append(f"two departments have key {key}")
        by_key[key] = department

    for planned in plan.departments:
        found = by_key.get(planned.key)
        if found is None:
            problems.append(f"department {planned.key} missing")
            continue
        expected_parent = (
            ROOT_DEPT_ID if planned.parent_key is None else by_key[planned.parent_key].dept_id
        )
        if found.parent_id != expected_parent:
            problems.append(f"department {planned.key} under {found.parent_id}")
        if found.name != planned.name:
            problems.append(f"department {planned.key} named {found.name}")
        if found.order != planned.order:
            problems.append(f"department {planned.key} has order {found.order}")
    id_to_key = {department.dept_id: key for key, department in by_key.items()}

    users_by_mobile: dict[str, LiveUser] = {}
    for user in live.users:
        if user.mobile in users_by_mobile:
            problems.append(f"two users have mobile {user.mobile}")
        if user.mobile is not None:
            users_by_mobile[user.mobile] = user
    userids: dict[str, str] = {}
    for planned_user in plan.users:
        live_user = users_by_mobile.get(planned_user.mobile)
        if live_user is None:
            problems.append(f"user {planned_user.name} missing")
            continue
        userids[planned_user.mobile] = live_user.userid
        actual = (
            live_user.name,
            live_user.title,
            live_user.job_number,
            live_user.email,
            live_user.remark,
        )
        expected = (
            planned_user.name,
            planned_user.title,
            planned_user.job_number,
            planned_user.email,
            planned_user.remark,
        )
        if actual != expected:
            problems.append(f"user {planned_user.name} has {actual}, expected {expected}")
        keys = {id_to_key.get(dept_id, str(dept_id)) for dept_id in live_user.dept_id_list}
        if keys != set(planned_user.department_keys):
            problems.append(f"user {planned_user.name} in {keys}")

    groups = [group for group in live.role_groups if group.name == plan.role_group]
    if plan.roles and len(groups) != 1:
        problems.append(f"{len(groups)} role groups named {plan.role_group}")
    group_ids = {group.group_id for group in groups}
    roles = {role.name: role for role in live.roles if role.group_id in group_ids}
    for planned_role in plan.roles:
        role = roles.get(planned_role.name)
        if role is None:
            problems.append(f"role {planned_role.name} missing")
            continue
        expected_members = {userids.get(mobile) for mobile in planned_role.member_mobiles}
        actual_members = set(role.userids)
        if not expected_members <= actual_members:
            problems.append(f"role {planned_role.name} lacks planned members")
        # Without removal, users who are not planned may keep a role; planned users may not.
        unexpected = actual_members - expected_members
        if unexpected if exact else unexpected & set(userids.values()):
            problems.append(f"role {planned_role.name} has other members")

    if exact:
        planned_roles = {role.name for role in plan.roles}
        if set(roles) != planned_roles:
            problems.append(f"extra roles {set(roles) - planned_roles}")
        if len(live.users) != len(plan.users):
            problems.append(f"{len(live.users)} users live, {len(plan.users)} planned")
        managed = [d for d in live.departments if d.dept_id != ROOT_DEPT_ID]
        if len(managed) != len(plan.departments):
            problems.append(f"{len(managed)} departments live, {len(plan.departments)} planned")
    return problems
