"""Org diffs: the ordered operations that turn a live DingTalk org into an org plan."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

import attrs

from censusdt.census.live import ROOT_DEPT_ID, LiveDepartment, LiveOrg, LiveRole, LiveUser
from censusdt.census.orgdiffops import (
    AssignRole,
    CreateDepartment,
    CreateRole,
    CreateRoleGroup,
    CreateUser,
    DeleteDepartment,
    DeleteRole,
    DeleteUser,
    FieldChange,
    Operation,
    UnassignRole,
    UpdateDepartment,
    UpdateUser,
)
from censusdt.census.orgdifftext import describe_diff, describe_summary
from censusdt.census.rostercells import CellError, normalize_mobile
from censusdt.census.rosterissues import Language

if TYPE_CHECKING:
    from censusdt.census.plan import OrgPlan, PlannedUser

__all__ = ["DiffSummary", "OrgDiff", "compute_diff"]

_OperationT = TypeVar("_OperationT")


@attrs.frozen
class DiffSummary:
    """Counts of what a diff does, and of what exists only live."""

    departments_to_create: int
    departments_to_update: int
    departments_to_delete: int
    users_to_create: int
    users_to_update: int
    users_to_delete: int
    role_groups_to_create: int
    roles_to_create: int
    role_members_to_add: int
    role_members_to_remove: int
    roles_to_delete: int
    extra_departments: int
    extra_users: int
    extra_roles: int

    def describe(self, lang: Language = "zh") -> str:
        """Render the counts on one line."""
        return describe_summary(self, lang)


@attrs.frozen
class OrgDiff:
    """Operations that turn a live org into a plan, in the order they must run.

    The order is: department creates (parents first), department updates (renames, moves,
    setting ``source_identifier``), user creates, user updates, the role group and role creates,
    role member additions, and role member removals. Only with ``remove_extra`` follow the
    removals of extra role members and roles, then of extra users, then of extra departments
    (children before parents).

    Operations name departments by plan key. ``department_ids`` maps the keys of departments
    that exist live to their ids; an executor adds the id of each department it creates.
    ``AssignRole.role_id`` is None for a role that is created in the same run.
    ``extra_*`` list what exists only live under the plan's departments or in its role group.
    """

    operations: tuple[Operation, ...]
    department_ids: Mapping[str, int]
    extra_departments: tuple[LiveDepartment, ...]
    extra_users: tuple[LiveUser, ...]
    extra_roles: tuple[LiveRole, ...]
    remove_extra: bool
    # Display names for describe(): plan key -> department name, userid -> user name.
    department_names: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    user_names: Mapping[str, str] = attrs.field(factory=dict, repr=False)

    @property
    def is_empty(self) -> bool:
        """True when nothing has to be sent to DingTalk."""
        return not self.operations

    def of_type(self, kind: type[_OperationT]) -> list[_OperationT]:
        """Return the operations of one type, in order."""
        return [operation for operation in self.operations if isinstance(operation, kind)]

    def summary(self) -> DiffSummary:
        """Count the operations by kind and the live-only objects."""
        return DiffSummary(
            departments_to_create=len(self.of_type(CreateDepartment)),
            departments_to_update=len(self.of_type(UpdateDepartment)),
            departments_to_delete=len(self.of_type(DeleteDepartment)),
            users_to_create=len(self.of_type(CreateUser)),
            users_to_update=len(self.of_type(UpdateUser)),
            users_to_delete=len(self.of_type(DeleteUser)),
            role_groups_to_create=len(self.of_type(CreateRoleGroup)),
            roles_to_create=len(self.of_type(CreateRole)),
            role_members_to_add=sum(len(op.userids) for op in self.of_type(AssignRole)),
            role_members_to_remove=sum(len(op.userids) for op in self.of_type(UnassignRole)),
            roles_to_delete=len(self.of_type(DeleteRole)),
            extra_departments=len(self.extra_departments),
            extra_users=len(self.extra_users),
            extra_roles=len(self.extra_roles),
        )

    def describe(self, lang: Language = "zh", *, limit: int | None = 50) -> str:
        """Render the diff for a dry run; each section lists at most ``limit`` lines."""
        return describe_diff(self, lang, limit=limit)


def _live_mobile(user: LiveUser) -> str | None:
    if not user.mobile:
        return None
    try:
        return normalize_mobile(user.mobile)
    except CellError:
        return user.mobile


def _text(value: str | None) -> str:
    return value or ""


@attrs.define
class _DepartmentState:
    """Matching of planned departments to live ones, and the live-only departments below them."""

    matched: dict[str, LiveDepartment]
    managed_ids: dict[int, str]
    extra: list[LiveDepartment]
    by_id: dict[int, LiveDepartment]

    def name_of(self, dept_id: int | None) -> str:
        if dept_id is None:
            return "-"
        department = self.by_id.get(dept_id)
        return department.name if department is not None else str(dept_id)


def _match_departments(plan: OrgPlan, live: LiveOrg) -> _DepartmentState:
    by_id = {department.dept_id: department for department in live.departments}
    ordered = sorted(live.departments, key=lambda department: department.dept_id)
    planned_keys = {department.key for department in plan.departments}

    by_source: dict[str, LiveDepartment] = {}
    children: dict[int | None, list[LiveDepartment]] = {}
    for department in ordered:
        key = department.source_identifier
        if key and key in planned_keys and key not in by_source:
            by_source[key] = department
        children.setdefault(department.parent_id, []).append(department)

    matched: dict[str, LiveDepartment] = {}
    used: set[int] = set()
    for planned in plan.departments:
        found = by_source.get(planned.key)
        if found is None:
            # A department made by hand or by an older tool: same name under the same parent,
            # and no key of this plan. Its source_identifier is set by the update.
            parent_id: int | None = ROOT_DEPT_ID
            if planned.parent_key is not None:
                parent = matched.get(planned.parent_key)
                parent_id = parent.dept_id if parent is not None else None
            for candidate in children.get(parent_id, []) if parent_id is not None else []:
                if candidate.dept_id in used or candidate.name != planned.name:
                    continue
                if candidate.source_identifier in planned_keys:
                    continue
                found = candidate
                break
        if found is not None:
            matched[planned.key] = found
            used.add(found.dept_id)

    managed_ids = {department.dept_id: key for key, department in matched.items()}
    extra = [
        department
        for department in ordered
        if department.dept_id not in managed_ids
        and _has_managed_ancestor(department, by_id, managed_ids)
    ]
    return _DepartmentState(matched, managed_ids, extra, by_id)


def _has_managed_ancestor(
    department: LiveDepartment, by_id: dict[int, LiveDepartment], managed: Mapping[int, str]
) -> bool:
    seen: set[int] = set()
    parent_id = department.parent_id
    while parent_id is not None and parent_id not in seen:
        if parent_id in managed:
            return True
        seen.add(parent_id)
        parent = by_id.get(parent_id)
        parent_id = parent.parent_id if parent is not None else None
    return False


def _depth(department: LiveDepartment, by_id: dict[int, LiveDepartment]) -> int:
    depth = 0
    seen: set[int] = set()
    parent_id = department.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        depth += 1
        parent = by_id.get(parent_id)
        parent_id = parent.parent_id if parent is not None else None
    return depth


def _department_operations(
    plan: OrgPlan, state: _DepartmentState
) -> tuple[list[CreateDepartment], list[UpdateDepartment]]:
    names = {planned.key: planned.name for planned in plan.departments}
    creates: list[CreateDepartment] = []
    updates: list[UpdateDepartment] = []
    for planned in plan.departments:
        current = state.matched.get(planned.key)
        if current is None:
            creates.append(
                CreateDepartment(planned.key, planned.name, planned.parent_key, planned.order)
            )
            continue

        changes: list[FieldChange] = []
        if current.name != planned.name:
            changes.append(FieldChange("name", current.name, planned.name))
        expected_parent_id: int | None = ROOT_DEPT_ID
        if planned.parent_key is not None:
            parent = state.matched.get(planned.parent_key)
            expected_parent_id = parent.dept_id if parent is not None else None
        if expected_parent_id is None or current.parent_id != expected_parent_id:
            new_parent = names[planned.parent_key] if planned.parent_key else state.name_of(1)
            old_parent = state.name_of(current.parent_id)
            changes.append(FieldChange("parent", old_parent, new_parent))
        if current.order is not None and current.order != planned.order:
            changes.append(FieldChange("order", str(current.order), str(planned.order)))
        if current.source_identifier != planned.key:
            old_key = _text(current.source_identifier)
            changes.append(FieldChange("source_identifier", old_key, planned.key))
        if changes:
            updates.append(
                UpdateDepartment(
                    dept_id=current.dept_id,
                    key=planned.key,
                    name=planned.name,
                    parent_key=planned.parent_key,
                    order=planned.order,
                    changes=tuple(changes),
                )
            )
    return creates, updates


@attrs.define
class _UserState:
    """Matching of planned users to live ones, and the userid each planned user ends up with."""

    matched: dict[str, LiveUser]
    userids: dict[str, str]
    unmatched_live: list[LiveUser]


def _match_users(plan: OrgPlan, live: LiveOrg) -> _UserState:
    by_mobile: dict[str, LiveUser] = {}
    by_userid: dict[str, LiveUser] = {}
    for user in live.users:
        mobile = _live_mobile(user)
        if mobile is not None:
            by_mobile.setdefault(mobile, user)
        by_userid.setdefault(user.userid, user)

    matched: dict[str, LiveUser] = {}
    used: set[str] = set()
    for planned in plan.users:
        found = by_mobile.get(planned.mobile)
        if found is not None and found.userid not in used:
            matched[planned.mobile] = found
            used.add(found.userid)
    # Without the mobile permission DingTalk returns no mobiles; the derived userid still matches.
    for planned in plan.users:
        if planned.mobile in matched:
            continue
        found = by_userid.get(planned.userid)
        if found is not None and found.userid not in used:
            matched[planned.mobile] = found
            used.add(found.userid)

    used_userids = set(by_userid)
    userids: dict[str, str] = {}
    for planned in plan.users:
        current = matched.get(planned.mobile)
        if current is not None:
            userids[planned.mobile] = current.userid
            continue
        userid = _free_userid(planned, used_userids)
        used_userids.add(userid)
        userids[planned.mobile] = userid

    unmatched = [user for user in live.users if user.userid not in used]
    return _UserState(matched, userids, unmatched)


def _free_userid(planned: PlannedUser, used_userids: set[str]) -> str:
    """Return the planned userid, or a deterministic alternative when a live user has it."""
    from censusdt.census.plan import mobile_userid

    if planned.userid not in used_userids:
        return planned.userid
    fallback = mobile_userid(planned.mobile)
    candidate = fallback
    suffix = 2
    while candidate in used_userids:
        candidate = f"{fallback}x{suffix}"
        suffix += 1
    return candidate


def _user_operations(
    plan: OrgPlan, departments: _DepartmentState, users: _UserState
) -> tuple[list[CreateUser], list[UpdateUser]]:
    names = {planned.key: planned.name for planned in plan.departments}
    extra_ids = {department.dept_id for department in departments.extra}
    creates: list[CreateUser] = []
    updates: list[UpdateUser] = []
    for planned in plan.users:
        userid = users.userids[planned.mobile]
        current = users.matched.get(planned.mobile)
        if current is None:
            creates.append(
                CreateUser(
                    userid=userid,
                    mobile=planned.mobile,
                    name=planned.name,
                    title=planned.title,
                    department_keys=planned.department_keys,
                    job_number=planned.job_number,
                    email=planned.email,
                    remark=planned.remark,
                )
            )
            continue

        changes: list[FieldChange] = []
        live_mobile = _live_mobile(current)
        if live_mobile is not None and live_mobile != planned.mobile:
            changes.append(FieldChange("mobile", live_mobile, planned.mobile))
        fields = (
            ("name", current.name, planned.name),
            ("title", current.title, planned.title),
            ("job_number", current.job_number, planned.job_number),
            ("email", current.email, planned.email),
            ("remark", current.remark, planned.remark),
        )
        for field, old, new in fields:
            if _text(old) != _text(new):
                changes.append(FieldChange(field, _text(old), _text(new)))

        managed = departments.managed_ids
        live_keys = [managed[i] for i in current.dept_id_list if i in managed]
        in_extra = [i for i in current.dept_id_list if i in extra_ids]
        kept = tuple(i for i in current.dept_id_list if i not in managed and i not in extra_ids)
        if set(live_keys) != set(planned.department_keys) or in_extra:
            old_names = [names[key] for key in live_keys]
            old_names += [departments.name_of(i) for i in in_extra]
            new_names = [names[key] for key in planned.department_keys]
            change = FieldChange("departments", "、".join(old_names), "、".join(new_names))
            changes.append(change)
        if changes:
            updates.append(
                UpdateUser(
                    userid=userid,
                    mobile=planned.mobile,
                    name=planned.name,
                    title=planned.title,
                    department_keys=planned.department_keys,
                    kept_dept_ids=kept,
                    job_number=planned.job_number,
                    email=planned.email,
                    remark=planned.remark,
                    changes=tuple(changes),
                )
            )
    return creates, updates


def _extra_user_operations(
    departments: _DepartmentState, users: _UserState
) -> tuple[list[LiveUser], list[UpdateUser], list[DeleteUser]]:
    """Find live users who are not planned but sit in the plan's departments.

    Returns them, the updates that take them out of those departments when they also belong
    elsewhere, and the deletes for those who belong nowhere else.
    """
    inside_ids = set(departments.managed_ids) | {d.dept_id for d in departments.extra}
    extra: list[LiveUser] = []
    updates: list[UpdateUser] = []
    deletes: list[DeleteUser] = []
    for user in users.unmatched_live:
        inside = [i for i in user.dept_id_list if i in inside_ids]
        if not inside:
            continue
        extra.append(copy.deepcopy(user))
        outside = tuple(i for i in user.dept_id_list if i not in inside_ids)
        if not outside:
            deletes.append(DeleteUser(user.userid, user.name))
            continue
        old = "、".join(departments.name_of(i) for i in user.dept_id_list)
        new = "、".join(departments.name_of(i) for i in outside)
        updates.append(
            UpdateUser(
                userid=user.userid,
                mobile=_text(_live_mobile(user)),
                name=user.name,
                title=user.title,
                department_keys=(),
                kept_dept_ids=outside,
                job_number=user.job_number,
                email=user.email,
                remark=user.remark,
                changes=(FieldChange("departments", old, new),),
            )
        )
    return extra, updates, deletes


@attrs.define
class _RoleOperations:
    creates: list[CreateRoleGroup | CreateRole] = attrs.Factory(list)
    assigns: list[AssignRole] = attrs.Factory(list)
    unassigns: list[UnassignRole] = attrs.Factory(list)
    extra_unassigns: list[UnassignRole] = attrs.Factory(list)
    deletes: list[DeleteRole] = attrs.Factory(list)
    extra: list[LiveRole] = attrs.Factory(list)


def _live_roles_of_group(
    plan: OrgPlan, live: LiveOrg, result: _RoleOperations
) -> dict[str, LiveRole]:
    """Return the roles of the plan's role group by name, queueing the group's creation if absent.

    A second live role with the same name counts as an extra role.
    """
    groups = sorted(
        (group for group in live.role_groups if group.name == plan.role_group),
        key=lambda group: group.group_id,
    )
    if not groups:
        if plan.roles:
            result.creates.append(CreateRoleGroup(plan.role_group))
        return {}

    live_roles: dict[str, LiveRole] = {}
    for role in sorted(live.roles, key=lambda role: role.role_id):
        if role.group_id != groups[0].group_id:
            continue
        if role.name in live_roles:
            result.extra.append(copy.deepcopy(role))
        else:
            live_roles[role.name] = role
    return live_roles


def _role_operations(plan: OrgPlan, live: LiveOrg, users: _UserState) -> _RoleOperations:
    result = _RoleOperations()
    live_roles = _live_roles_of_group(plan, live, result)

    planned_userids = set(users.userids.values())
    for planned in plan.roles:
        current = live_roles.get(planned.name)
        if current is None:
            result.creates.append(CreateRole(planned.name, plan.role_group))
        desired = [users.userids[mobile] for mobile in planned.member_mobiles]
        present = set(current.userids) if current is not None else set()
        to_add = tuple(userid for userid in desired if userid not in present)
        if to_add:
            role_id = current.role_id if current is not None else None
            result.assigns.append(AssignRole(planned.name, role_id, to_add))
        if current is None:
            continue

        # Planned users lose a tag that the roster no longer gives them; other members go
        # only when extras are removed.
        desired_set = set(desired)
        lost = [userid for userid in current.userids if userid not in desired_set]
        to_remove = tuple(userid for userid in lost if userid in planned_userids)
        extra_members = tuple(userid for userid in lost if userid not in planned_userids)
        if to_remove:
            result.unassigns.append(UnassignRole(planned.name, current.role_id, to_remove))
        if extra_members:
            unassign = UnassignRole(planned.name, current.role_id, extra_members)
            result.extra_unassigns.append(unassign)

    planned_names = {planned.name for planned in plan.roles}
    result.extra += [
        copy.deepcopy(role) for name, role in live_roles.items() if name not in planned_names
    ]
    for role in result.extra:
        if role.userids:
            unassign = UnassignRole(role.name, role.role_id, tuple(role.userids))
            result.extra_unassigns.append(unassign)
        result.deletes.append(DeleteRole(role.role_id, role.name))
    return result


def compute_diff(plan: OrgPlan, live: LiveOrg, *, remove_extra: bool = False) -> OrgDiff:
    """Compare a plan with a live org and return the operations in execution order."""
    departments = _match_departments(plan, live)
    department_creates, department_updates = _department_operations(plan, departments)
    users = _match_users(plan, live)
    user_creates, user_updates = _user_operations(plan, departments, users)
    extra_users, extra_user_updates, user_deletes = _extra_user_operations(departments, users)
    roles = _role_operations(plan, live, users)

    operations: list[Operation] = [
        *department_creates,
        *department_updates,
        *user_creates,
        *user_updates,
        *roles.creates,
        *roles.assigns,
        *roles.unassigns,
    ]
    if remove_extra:
        by_id = departments.by_id
        deepest_first = sorted(departments.extra, key=lambda department: -_depth(department, by_id))
        operations += [
            *roles.extra_unassigns,
            *roles.deletes,
            *extra_user_updates,
            *user_deletes,
            *(
                DeleteDepartment(department.dept_id, department.name)
                for department in deepest_first
            ),
        ]

    user_names = {users.userids[planned.mobile]: planned.name for planned in plan.users}
    for user in live.users:
        user_names.setdefault(user.userid, user.name)
    return OrgDiff(
        operations=tuple(operations),
        department_ids={key: department.dept_id for key, department in departments.matched.items()},
        extra_departments=tuple(copy.deepcopy(department) for department in departments.extra),
        extra_users=tuple(extra_users),
        extra_roles=tuple(roles.extra),
        remove_extra=remove_extra,
        department_names={planned.key: planned.name for planned in plan.departments},
        user_names=user_names,
    )
