"""Operations of an org diff: one frozen class per change an executor sends to DingTalk."""

from __future__ import annotations

from typing import TypeAlias

import attrs

from censusdt._masking import mask_mobiles

__all__ = [
    "AssignRole",
    "CreateDepartment",
    "CreateRole",
    "CreateRoleGroup",
    "CreateUser",
    "DeleteDepartment",
    "DeleteRole",
    "DeleteUser",
    "FieldChange",
    "Operation",
    "UnassignRole",
    "UpdateDepartment",
    "UpdateUser",
]


def _mask_repr(mobile: str) -> str:
    return repr(mask_mobiles(mobile))


@attrs.frozen
class FieldChange:
    """One changed field of an update, with the old and new values as display text.

    Department fields: ``name``, ``parent``, ``order``, ``source_identifier``. User fields:
    ``mobile``, ``name``, ``title``, ``job_number``, ``email``, ``remark``, ``departments``.
    """

    field: str
    old: str = attrs.field(repr=_mask_repr)
    new: str = attrs.field(repr=_mask_repr)


@attrs.frozen
class CreateDepartment:
    """Create a department and set its ``source_identifier`` to ``key``.

    ``parent_key`` None means under the root department (id 1).
    """

    key: str
    name: str
    parent_key: str | None
    order: int


@attrs.frozen
class UpdateDepartment:
    """Rename, move or reorder a department, or set its ``source_identifier``.

    The fields hold the desired state; only the fields named in ``changes`` need sending.
    """

    dept_id: int
    key: str
    name: str
    parent_key: str | None
    order: int
    changes: tuple[FieldChange, ...]

    @property
    def changed_fields(self) -> frozenset[str]:
        """Names of the fields in ``changes``."""
        return frozenset(change.field for change in self.changes)


@attrs.frozen
class DeleteDepartment:
    """Delete a department that exists only live; its members and children are gone by then."""

    dept_id: int
    name: str


@attrs.frozen
class CreateUser:
    """Create a user in the departments with these plan keys."""

    userid: str
    mobile: str = attrs.field(repr=_mask_repr)
    name: str
    title: str
    department_keys: tuple[str, ...]
    job_number: str | None = None
    email: str | None = None
    remark: str | None = None


@attrs.frozen
class UpdateUser:
    """Change a user's fields or departments.

    The fields hold the desired state; only the fields named in ``changes`` need sending. The
    new ``dept_id_list`` is the ids of ``department_keys`` followed by ``kept_dept_ids``, the
    departments outside the plan that the user keeps.
    """

    userid: str
    mobile: str = attrs.field(repr=_mask_repr)
    name: str
    title: str | None
    department_keys: tuple[str, ...]
    kept_dept_ids: tuple[int, ...]
    job_number: str | None
    email: str | None
    remark: str | None
    changes: tuple[FieldChange, ...]

    @property
    def changed_fields(self) -> frozenset[str]:
        """Names of the fields in ``changes``."""
        return frozenset(change.field for change in self.changes)


@attrs.frozen
class DeleteUser:
    """Delete a user who exists only live and belongs to no department outside the plan."""

    userid: str
    name: str


@attrs.frozen
class CreateRoleGroup:
    """Create the plan's role group."""

    name: str


@attrs.frozen
class CreateRole:
    """Create a role (one tag) in the plan's role group."""

    name: str
    group_name: str


@attrs.frozen
class AssignRole:
    """Give a role to users; ``role_id`` is None when the role is created in the same run."""

    role_name: str
    role_id: int | None
    userids: tuple[str, ...]


@attrs.frozen
class UnassignRole:
    """Take a role away from users."""

    role_name: str
    role_id: int
    userids: tuple[str, ...]


@attrs.frozen
class DeleteRole:
    """Delete a role of the plan's group that no tag uses; it has no members by then."""

    role_id: int
    name: str


Operation: TypeAlias = (
    CreateDepartment
    | UpdateDepartment
    | DeleteDepartment
    | CreateUser
    | UpdateUser
    | DeleteUser
    | CreateRoleGroup
    | CreateRole
    | AssignRole
    | UnassignRole
    | DeleteRole
)
