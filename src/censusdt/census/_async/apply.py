"""Org apply: send an org diff to DingTalk in dependency order, concurrently, resumably."""

from __future__ import annotations

import collections
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from censusdt._concurrency import async_map
from censusdt._errors import APIError, ConflictError, NotFoundError, TransportError
from censusdt.api.contacts import (
    ROLES_ADD_ROLES_MAX,
    ROLES_ADD_USERS_MAX,
    ROLES_REMOVE_ROLES_MAX,
    ROLES_REMOVE_USERS_MAX,
)
from censusdt.census._async.livesnapshot import DEFAULT_CONCURRENCY, read_live_org
from censusdt.census.applyjournal import ApplyJournal
from censusdt.census.live import ROOT_DEPT_ID, LiveOrg
from censusdt.census.orgdiffops import (
    AssignRole,
    CreateDepartment,
    CreateRole,
    CreateRoleGroup,
    CreateUser,
    DeleteDepartment,
    DeleteRole,
    DeleteUser,
    UnassignRole,
    UpdateDepartment,
    UpdateUser,
)
from censusdt.census.rostercells import CellError, normalize_mobile

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk
    from censusdt.census.orgdiff import OrgDiff
    from censusdt.census.plan import OrgPlan

__all__ = [
    "ApplyResult",
    "ProgressCallback",
    "RoleBatch",
    "apply_diff",
    "apply_plan",
    "plan_role_batches",
]

logger = logging.getLogger("censusdt")

#: Called after each write with (writes finished, writes planned).
ProgressCallback = Callable[[int, int], None]

T = TypeVar("T")


@attrs.define
class ApplyResult:
    """Outcome of an apply: write calls by kind, ids it learned, calls and time spent."""

    writes: collections.Counter[str] = attrs.Factory(collections.Counter)
    #: Writes the journal of an interrupted run already recorded as done.
    skipped: int = 0
    #: Creates whose object already existed (found after a lost reply or a conflict).
    adopted: int = 0
    department_ids: dict[str, int] = attrs.Factory(dict)
    role_ids: dict[str, int] = attrs.Factory(dict)
    role_group_id: int | None = None
    #: Planned mobile -> userid, when the apply started from a plan.
    userids: dict[str, str] = attrs.Factory(dict)
    calls: int = 0
    throttled: int = 0
    retries: int = 0
    elapsed: float = 0.0

    @property
    def write_calls(self) -> int:
        return sum(self.writes.values())


@attrs.frozen
class RoleBatch:
    """One ``addrolesforemps`` or ``removerolesforemps`` call."""

    role_ids: tuple[int, ...]
    userids: tuple[str, ...]


def _chunks(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]


def plan_role_batches(
    wanted: Mapping[int, Sequence[str]], *, max_roles: int, max_users: int
) -> list[RoleBatch]:
    """Split role→users changes into as few calls as two strategies find, within the limits.

    Per role: each role's users in chunks of ``max_users``. Per role set: users who get the
    same set of roles share calls, ``max_roles`` × ``max_users`` at a time. The shorter list
    of calls wins (a census roster mostly gives many people the same one or two tags).
    """
    per_role = [
        RoleBatch((role_id,), chunk)
        for role_id, userids in wanted.items()
        for chunk in _chunks(list(dict.fromkeys(userids)), max_users)
    ]

    roles_of: dict[str, list[int]] = {}
    for role_id, userids in wanted.items():
        for userid in dict.fromkeys(userids):
            roles_of.setdefault(userid, []).append(role_id)
    users_of_set: dict[tuple[int, ...], list[str]] = {}
    for userid, role_ids in roles_of.items():
        users_of_set.setdefault(tuple(sorted(role_ids)), []).append(userid)
    per_set = [
        RoleBatch(role_chunk, user_chunk)
        for role_set, userids in users_of_set.items()
        for role_chunk in _chunks(role_set, max_roles)
        for user_chunk in _chunks(userids, max_users)
    ]
    return per_set if len(per_set) < len(per_role) else per_role


def _digest(values: Sequence[object]) -> str:
    return hashlib.sha1(",".join(map(str, values)).encode("utf-8")).hexdigest()[:16]


def _clean_mobile(mobile: str | None) -> str | None:
    if not mobile:
        return None
    try:
        return normalize_mobile(mobile)
    except CellError:
        return mobile


class _Executor:
    """Runs one diff; the phases follow the dependencies between DingTalk objects."""

    def __init__(
        self,
        client: AsyncDingTalk,
        diff: OrgDiff,
        *,
        live: LiveOrg | None,
        role_group: str | None,
        journal: ApplyJournal,
        progress: ProgressCallback | None,
        concurrency: int,
    ) -> None:
        self.client = client
        self.diff = diff
        self.journal = journal
        self.progress = progress
        self.concurrency = concurrency
        self.result = ApplyResult(department_ids=dict(diff.department_ids))
        self.done = 0
        self.total = 0
        self.role_group = role_group
        if live is not None and role_group is not None:
            groups = sorted(g.group_id for g in live.role_groups if g.name == role_group)
            if groups:
                self.result.role_group_id = groups[0]
                for role in live.roles:
                    if role.group_id == groups[0]:
                        self.result.role_ids.setdefault(role.name, role.role_id)

    # Bookkeeping.

    def _tick(self, kind: str, *, wrote: bool = True) -> None:
        if wrote:
            self.result.writes[kind] += 1
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def _skip(self, op_id: str) -> dict[str, Any] | None:
        """Return the recorded result if the journal has ``op_id`` done (counted as progress), else None."""
        if not self.journal.is_done(op_id):
            return None
        self.result.skipped += 1
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)
        return self.journal.result(op_id)

    # Phases.

    async def run(self) -> ApplyResult:
        operations = self.diff.operations
        group_creates = [op for op in operations if isinstance(op, CreateRoleGroup)]
        role_creates = [op for op in operations if isinstance(op, CreateRole)]
        department_creates = [op for op in operations if isinstance(op, CreateDepartment)]
        department_updates = [op for op in operations if isinstance(op, UpdateDepartment)]
        user_creates = [op for op in operations if isinstance(op, CreateUser)]
        user_updates = [op for op in operations if isinstance(op, UpdateUser)]
        assigns = [op for op in operations if isinstance(op, AssignRole)]
        unassigns = [op for op in operations if isinstance(op, UnassignRole)]
        role_deletes = [op for op in operations if isinstance(op, DeleteRole)]
        user_deletes = [op for op in operations if isinstance(op, DeleteUser)]
        department_deletes = [op for op in operations if isinstance(op, DeleteDepartment)]

        # Role batches are known once every role has an id; estimate them for the total now.
        self.total = len(operations) - len(assigns) - len(unassigns)
        self.total += sum(-(-len(op.userids) // ROLES_ADD_USERS_MAX) for op in assigns)
        self.total += sum(-(-len(op.userids) // ROLES_REMOVE_USERS_MAX) for op in unassigns)

        for group_op in group_creates:
            await self._create_role_group(group_op)
        await async_map(self._create_role, role_creates, concurrency=self.concurrency)
        await self._create_departments(department_creates)
        for update in department_updates:
            await self._update_department(update)
        await async_map(self._create_user, user_creates, concurrency=self.concurrency)
        await async_map(self._update_user, user_updates, concurrency=self.concurrency)
        await self._change_roles(assigns, unassigns)
        await async_map(self._delete_role, role_deletes, concurrency=self.concurrency)
        await async_map(self._delete_user, user_deletes, concurrency=self.concurrency)
        for delete in department_deletes:
            await self._delete_department(delete)
        # Role batches may come out fewer than estimated; finish the bar at what was done.
        self.total = self.done
        if self.progress is not None:
            self.progress(self.done, self.total)
        return self.result

    # Role group and roles.

    async def _find_role_group(self, name: str) -> tuple[int | None, dict[str, int]]:
        groups = await self.client.contacts.list_role_groups().collect()
        matching = sorted((g for g in groups if g.name == name), key=lambda g: g.group_id)
        if not matching:
            return None, {}
        return matching[0].group_id, {role.name: role.id for role in matching[0].roles}

    async def _create_role_group(self, op: CreateRoleGroup) -> None:
        op_id = f"role_group:create:{op.name}"
        recorded = self._skip(op_id)
        if recorded is not None:
            self.result.role_group_id = int(recorded["group_id"])
            return
        if self.journal.was_begun(op_id):
            # Role group names are not unique in DingTalk, so look before creating again.
            group_id, _ = await self._find_role_group(op.name)
            if group_id is not None:
                self._adopt(op_id, "role_group", {"group_id": group_id})
                self.result.role_group_id = group_id
                return
        self.journal.begin(op_id)
        try:
            group_id = await self.client.contacts.add_role_group(op.name)
        except TransportError as error:
            if not error.may_have_reached_server:
                raise
            found, _ = await self._find_role_group(op.name)
            group_id = (
                found if found is not None else await self.client.contacts.add_role_group(op.name)
            )
        self.result.role_group_id = group_id
        self.journal.finish(op_id, {"group_id": group_id})
        self._tick("role_group")

    async def _create_role(self, op: CreateRole) -> None:
        op_id = f"role:create:{op.group_name}:{op.name}"
        recorded = self._skip(op_id)
        if recorded is not None:
            self.result.role_ids[op.name] = int(recorded["role_id"])
            return
        group_id = self.result.role_group_id
        if group_id is None:
            group_id, _ = await self._find_role_group(op.group_name)
            if group_id is None:
                raise LookupError(
                    f"role group {op.group_name!r} does not exist and was not created"
                )
            self.result.role_group_id = group_id
        self.journal.begin(op_id)
        try:
            role_id = await self.client.contacts.add_role(op.name, group_id)
        except (APIError, TransportError) as error:
            # 34021: the role exists already (a lost reply of an earlier run); use it.
            duplicate = isinstance(error, APIError) and error.code == "34021"
            lost = isinstance(error, TransportError) and error.may_have_reached_server
            if not (duplicate or lost):
                raise
            _, roles = await self._find_role_group(op.group_name)
            if op.name not in roles:
                raise
            self.result.role_ids[op.name] = roles[op.name]
            self._adopt(op_id, "role", {"role_id": roles[op.name]})
            return
        self.result.role_ids[op.name] = role_id
        self.journal.finish(op_id, {"role_id": role_id})
        self._tick("role")

    def _adopt(self, op_id: str, kind: str, result: dict[str, Any]) -> None:
        self.result.adopted += 1
        self.journal.finish(op_id, result)
        self._tick(kind, wrote=False)

    # Departments.

    def _parent_id(self, parent_key: str | None) -> int:
        if parent_key is None:
            return ROOT_DEPT_ID
        return self.result.department_ids[parent_key]

    async def _create_departments(self, creates: list[CreateDepartment]) -> None:
        pending = list(creates)
        while pending:
            known = self.result.department_ids
            ready = [op for op in pending if op.parent_key is None or op.parent_key in known]
            if not ready:
                keys = sorted({str(op.parent_key) for op in pending})
                raise LookupError(f"parent departments {keys[:5]} are neither live nor planned")
            ready_keys = {op.key for op in ready}
            pending = [op for op in pending if op.key not in ready_keys]
            await async_map(self._create_department, ready, concurrency=self.concurrency)

    async def _find_department(self, parent_id: int, key: str, name: str) -> int | None:
        children = await self.client.contacts.list_sub_departments(parent_id)
        for child in children:
            if child.source_identifier == key:
                return child.dept_id
        for child in children:
            if child.name == name:
                await self.client.contacts.update_department(child.dept_id, source_identifier=key)
                self.result.writes["department_update"] += 1
                return child.dept_id
        return None

    async def _create_department(self, op: CreateDepartment) -> None:
        op_id = f"department:create:{op.key}"
        recorded = self._skip(op_id)
        if recorded is not None:
            self.result.department_ids[op.key] = int(recorded["dept_id"])
            return
        parent_id = self._parent_id(op.parent_key)
        if self.journal.was_begun(op_id):
            found = await self._find_department(parent_id, op.key, op.name)
            if found is not None:
                self.result.department_ids[op.key] = found
                self._adopt(op_id, "department", {"dept_id": found})
                return
        self.journal.begin(op_id)
        try:
            dept_id = await self.client.contacts.create_department(
                op.name, parent_id, order=op.order, source_identifier=op.key
            )
        except (ConflictError, TransportError) as error:
            # 60021: a department of that name exists under the parent, typically created by
            # a request whose reply was lost. A lost reply itself looks like a transport error.
            if isinstance(error, TransportError) and not error.may_have_reached_server:
                raise
            found = await self._find_department(parent_id, op.key, op.name)
            if found is None:
                if isinstance(error, ConflictError):
                    raise
                found = await self.client.contacts.create_department(
                    op.name, parent_id, order=op.order, source_identifier=op.key
                )
            self.result.department_ids[op.key] = found
            self._adopt(op_id, "department", {"dept_id": found})
            return
        self.result.department_ids[op.key] = dept_id
        self.journal.finish(op_id, {"dept_id": dept_id})
        self._tick("department")

    async def _update_department(self, op: UpdateDepartment) -> None:
        changed = op.changed_fields
        op_id = f"department:update:{op.dept_id}:{_digest([op.name, op.parent_key, op.order, op.key, *sorted(changed)])}"
        if self._skip(op_id) is not None:
            return
        self.journal.begin(op_id)
        await self.client.contacts.update_department(
            op.dept_id,
            name=op.name if "name" in changed else None,
            parent_id=self._parent_id(op.parent_key) if "parent" in changed else None,
            order=op.order if "order" in changed else None,
            source_identifier=op.key if "source_identifier" in changed else None,
        )
        self.journal.finish(op_id)
        self._tick("department_update")

    async def _delete_department(self, op: DeleteDepartment) -> None:
        op_id = f"department:delete:{op.dept_id}"
        if self._skip(op_id) is not None:
            return
        self.journal.begin(op_id)
        # NotFoundError: gone already, deleted by an earlier run whose reply was lost.
        with contextlib.suppress(NotFoundError):
            await self.client.contacts.delete_department(op.dept_id)
        self.journal.finish(op_id)
        self._tick("department_delete")

    # Users.

    def _dept_ids(self, keys: Sequence[str], kept: Sequence[int] = ()) -> list[int]:
        ids = [self.result.department_ids[key] for key in keys]
        return list(dict.fromkeys([*ids, *kept]))

    async def _userid_by_mobile(self, mobile: str) -> str | None:
        try:
            return await self.client.contacts.get_userid_by_mobile(mobile)
        except NotFoundError:
            return None

    async def _create_user(self, op: CreateUser) -> None:
        op_id = f"user:create:{op.userid}"
        recorded = self._skip(op_id)
        if recorded is not None:
            self.result.userids[op.mobile] = str(recorded["userid"])
            return
        if self.journal.was_begun(op_id):
            found = await self._userid_by_mobile(op.mobile)
            if found is not None:
                self.result.userids[op.mobile] = found
                self._adopt(op_id, "user", {"userid": found})
                return
        self.journal.begin(op_id)
        arguments: dict[str, Any] = {
            "userid": op.userid,
            "name": op.name,
            "mobile": op.mobile,
            "dept_ids": self._dept_ids(op.department_keys),
            "title": op.title,
            "job_number": op.job_number,
            "email": op.email,
            "remark": op.remark,
        }
        try:
            created = await self.client.contacts.create_user(**arguments)
        except (ConflictError, TransportError) as error:
            # 60102 userid taken / 60104 mobile taken: usually this user, created by a request
            # whose reply was lost. Only a user with the same mobile counts as this one.
            if isinstance(error, TransportError) and not error.may_have_reached_server:
                raise
            found = await self._userid_by_mobile(op.mobile)
            if found is None:
                if isinstance(error, ConflictError):
                    raise
                created = await self.client.contacts.create_user(**arguments)
                found = created.userid
            self.result.userids[op.mobile] = found
            self._adopt(op_id, "user", {"userid": found})
            return
        self.result.userids[op.mobile] = created.userid
        self.journal.finish(op_id, {"userid": created.userid})
        self._tick("user")

    async def _update_user(self, op: UpdateUser) -> None:
        changed = op.changed_fields
        fields = [op.name, op.title, op.job_number, op.email, op.remark, *op.department_keys]
        op_id = f"user:update:{op.userid}:{_digest([*fields, *op.kept_dept_ids, *sorted(changed)])}"
        if self._skip(op_id) is not None:
            return
        if "mobile" in changed:
            # NOTE: DingTalk does not change a login mobile through the API (errcode 40022). A new
            # mobile in the roster is left for the office to change in the admin console.
            logger.warning("user %s: mobile differs from the roster; not changed", op.userid)
        sendable = changed - {"mobile"}
        if not sendable:
            self._tick("user_update", wrote=False)
            return
        self.journal.begin(op_id)
        await self.client.contacts.update_user(
            op.userid,
            name=op.name if "name" in sendable else None,
            dept_ids=(
                self._dept_ids(op.department_keys, op.kept_dept_ids)
                if "departments" in sendable
                else None
            ),
            title=(op.title or "") if "title" in sendable else None,
            job_number=(op.job_number or "") if "job_number" in sendable else None,
            email=(op.email or "") if "email" in sendable else None,
            remark=(op.remark or "") if "remark" in sendable else None,
        )
        self.journal.finish(op_id)
        self._tick("user_update")

    async def _delete_user(self, op: DeleteUser) -> None:
        op_id = f"user:delete:{op.userid}"
        if self._skip(op_id) is not None:
            return
        self.journal.begin(op_id)
        with contextlib.suppress(NotFoundError):
            await self.client.contacts.delete_user(op.userid)
        self.journal.finish(op_id)
        self._tick("user_delete")

    # Role members.

    def _role_id(self, name: str, role_id: int | None) -> int:
        if role_id is not None:
            return role_id
        found = self.result.role_ids.get(name)
        if found is None:
            raise LookupError(f"role {name!r} has no id: it was neither live nor created")
        return found

    async def _change_roles(self, assigns: list[AssignRole], unassigns: list[UnassignRole]) -> None:
        adds: dict[int, list[str]] = {}
        for assign in assigns:
            adds.setdefault(self._role_id(assign.role_name, assign.role_id), []).extend(
                assign.userids
            )
        removals: dict[int, list[str]] = {}
        for unassign in unassigns:
            removals.setdefault(unassign.role_id, []).extend(unassign.userids)

        add_batches = plan_role_batches(
            adds, max_roles=ROLES_ADD_ROLES_MAX, max_users=ROLES_ADD_USERS_MAX
        )
        remove_batches = plan_role_batches(
            removals, max_roles=ROLES_REMOVE_ROLES_MAX, max_users=ROLES_REMOVE_USERS_MAX
        )

        async def add(batch: RoleBatch) -> None:
            op_id = f"role:assign:{_digest(batch.role_ids)}:{_digest(batch.userids)}"
            if self._skip(op_id) is not None:
                return
            self.journal.begin(op_id)
            await self.client.contacts.add_roles_to_users(batch.role_ids, batch.userids)
            self.journal.finish(op_id)
            self._tick("role_assign")

        async def remove(batch: RoleBatch) -> None:
            op_id = f"role:unassign:{_digest(batch.role_ids)}:{_digest(batch.userids)}"
            if self._skip(op_id) is not None:
                return
            self.journal.begin(op_id)
            await self.client.contacts.remove_roles_from_users(batch.role_ids, batch.userids)
            self.journal.finish(op_id)
            self._tick("role_unassign")

        await async_map(add, add_batches, concurrency=self.concurrency)
        await async_map(remove, remove_batches, concurrency=self.concurrency)

    async def _delete_role(self, op: DeleteRole) -> None:
        op_id = f"role:delete:{op.role_id}"
        if self._skip(op_id) is not None:
            return
        self.journal.begin(op_id)
        try:
            await self.client.contacts.delete_role(op.role_id)
        except APIError as error:
            # 33011: the role is gone already (an earlier run's lost reply).
            if error.code != "33011":
                raise
        self.journal.finish(op_id)
        self._tick("role_delete")


async def apply_diff(
    client: AsyncDingTalk,
    diff: OrgDiff,
    *,
    live: LiveOrg | None = None,
    role_group: str | None = None,
    journal: ApplyJournal | None = None,
    progress: ProgressCallback | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> ApplyResult:
    """Send ``diff`` to DingTalk and return what was done.

    Order: role group, roles, departments (parents first, one level at a time), department
    updates, users, user updates, then role members. Role members go in batches within
    DingTalk's limits (20 roles × 20 users to add, 20 × 100 to remove). Removals come last
    (roles, users, departments children first); the diff has them only with ``remove_extra``. Independent
    writes run ``concurrency`` at a time; the client paces each API at its rate limit. ``live``
    (the snapshot the diff was made from) supplies the ids of the existing role group and roles.
    """
    started = time.monotonic()
    stats = client.stats
    calls, throttled, retries = stats.total_calls, stats.throttled, stats.retries
    executor = _Executor(
        client,
        diff,
        live=live,
        role_group=role_group,
        journal=journal or ApplyJournal(),
        progress=progress,
        concurrency=concurrency,
    )
    result = await executor.run()
    executor.journal.complete()
    result.calls = stats.total_calls - calls
    result.throttled = stats.throttled - throttled
    result.retries = stats.retries - retries
    result.elapsed = time.monotonic() - started
    return result


async def apply_plan(
    client: AsyncDingTalk,
    plan: OrgPlan,
    *,
    remove_extra: bool = False,
    journal: ApplyJournal | None = None,
    progress: ProgressCallback | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> tuple[OrgDiff, ApplyResult]:
    """Read the live org, diff it against ``plan`` and apply the diff; return both.

    Calls and time include reading the live org. ``result.userids`` maps every planned mobile
    to its userid.
    """
    started = time.monotonic()
    stats = client.stats
    calls, throttled, retries = stats.total_calls, stats.throttled, stats.retries
    live = await read_live_org(client, role_group=plan.role_group, concurrency=concurrency)
    diff = plan.diff(live, remove_extra=remove_extra)
    result = await apply_diff(
        client,
        diff,
        live=live,
        role_group=plan.role_group,
        journal=journal,
        progress=progress,
        concurrency=concurrency,
    )
    result.userids = _planned_userids(plan, live, result)
    result.calls = stats.total_calls - calls
    result.throttled = stats.throttled - throttled
    result.retries = stats.retries - retries
    result.elapsed = time.monotonic() - started
    return diff, result


def _planned_userids(plan: OrgPlan, live: LiveOrg, result: ApplyResult) -> dict[str, str]:
    by_mobile: dict[str, str] = {}
    by_userid = {user.userid for user in live.users}
    for user in live.users:
        mobile = _clean_mobile(user.mobile)
        if mobile is not None:
            by_mobile.setdefault(mobile, user.userid)
    userids: dict[str, str] = {}
    for planned in plan.users:
        found = result.userids.get(planned.mobile) or by_mobile.get(planned.mobile)
        if found is None and planned.userid in by_userid:
            found = planned.userid
        userids[planned.mobile] = found or planned.userid
    return userids
