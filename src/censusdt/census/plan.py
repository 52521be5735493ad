"""Org plans: the desired departments, users and tags of a county's census organisation."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence

import attrs

from censusdt._errors import DingTalkError
from censusdt._masking import mask_mobiles
from censusdt.census.divisions import Division, DivisionLevel, DivisionTable
from censusdt.census.live import LiveOrg
from censusdt.census.orgdiff import OrgDiff, compute_diff
from censusdt.census.roster import DEPARTMENTS_PER_USER_MAX, TAG_MAX, Post, Roster, StaffMember
from censusdt.census.rostercells import CellError, normalize_code

__all__ = [
    "DEFAULT_ROLE_GROUP",
    "DepartmentKind",
    "OrgPlan",
    "PlanError",
    "PlannedDepartment",
    "PlannedRole",
    "PlannedUser",
    "derive_userid",
    "validate_department_name",
]

DEFAULT_ROLE_GROUP = "人口普查"

# topapi/v2/department/create: name is 1-64 characters and must not contain "-", "，" or ",".
DEPARTMENT_NAME_MAX = 64
_DEPARTMENT_NAME_FORBIDDEN = ("-", "，", ",")


class DepartmentKind(enum.Enum):
    """Kind of division or county unit that a planned department represents."""

    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"
    SECTION = "section"
    PROJECT_GROUP = "project_group"


_KIND_OF_LEVEL = {
    DivisionLevel.COUNTY: DepartmentKind.COUNTY,
    DivisionLevel.TOWN: DepartmentKind.TOWN,
    DivisionLevel.VILLAGE: DepartmentKind.VILLAGE,
}


def _mask_repr(mobile: str) -> str:
    return repr(mask_mobiles(mobile))


def _mask_tuple_repr(mobiles: tuple[str, ...]) -> str:
    return repr(tuple(mask_mobiles(mobile) for mobile in mobiles))


@attrs.frozen
class PlannedDepartment:
    """A department the plan wants, with the stable key stored in its ``source_identifier``.

    The key is the 12-digit division code, or the name of a section or project group.
    ``parent_key`` None means directly under DingTalk's root department (id 1).
    ``order`` sorts siblings (smaller first, as DingTalk sorts departments).
    """

    key: str
    name: str
    parent_key: str | None
    kind: DepartmentKind
    order: int


@attrs.frozen
class PlannedUser:
    """A user the plan wants, identified by mobile.

    ``userid`` is the id to create the user with; a live user found by mobile keeps its own.
    ``title`` is the post label. ``department_keys`` are keys of planned departments.
    """

    mobile: str = attrs.field(repr=_mask_repr)
    userid: str
    name: str
    title: str
    department_keys: tuple[str, ...]
    tags: tuple[str, ...] = ()
    job_number: str | None = None
    email: str | None = None
    remark: str | None = None


@attrs.frozen
class PlannedRole:
    """A tag as a DingTalk role in the plan's role group, with its members' mobiles."""

    name: str
    member_mobiles: tuple[str, ...] = attrs.field(repr=_mask_tuple_repr)


_OUTSIDE_COUNTY = "is not in county"


class PlanError(DingTalkError, ValueError):
    """A plan that cannot be built; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"cannot build the org plan ({len(self.problems)} problems):\n{lines}")

    @property
    def outside_county(self) -> bool:
        """True when some roster division codes lie outside the chosen county."""
        return any(_OUTSIDE_COUNTY in problem for problem in self.problems)


def derive_userid(member: StaffMember) -> str:
    """Return the userid to create a member with: the same for the same 工号, else mobile.

    A run that stops after creating some users and is started again derives the same ids, so it
    finds those users instead of creating them twice. Only ASCII letters and digits are used,
    because DingTalk does not document which characters a userid may contain.
    """
    if member.job_number:
        return _hashed_userid(f"job_number:{member.job_number}")
    return mobile_userid(member.mobile)


def mobile_userid(mobile: str) -> str:
    """Return the userid derived from a mobile number alone."""
    # NOTE: the hash hides the mobile from casual readers of logs, but anyone can recover it by
    # hashing every possible mobile number. Treat these userids as pseudonyms, not as secrets.
    return _hashed_userid(f"mobile:{mobile}")


def _hashed_userid(basis: str) -> str:
    return "census" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]


def validate_department_name(name: str) -> str | None:
    """Return why DingTalk would reject ``name`` as a department name, or None if it is valid."""
    if not name:
        return "department name is empty"
    if len(name) > DEPARTMENT_NAME_MAX:
        return f"department name {name!r} is longer than {DEPARTMENT_NAME_MAX} characters"
    # NOTE: DingTalk rejects more characters than these with errcode 60009 and does not list them.
    forbidden = [character for character in _DEPARTMENT_NAME_FORBIDDEN if character in name]
    if forbidden:
        return f"department name {name!r} contains {' '.join(forbidden)}, which DingTalk rejects"
    return None


@attrs.frozen
class OrgPlan:
    """The desired census organisation of one county.

    ``departments`` are ordered parents first: the county under DingTalk's root, each town
    followed by its villages, then the sections and project groups under the county.
    """

    county_code: str
    departments: tuple[PlannedDepartment, ...]
    users: tuple[PlannedUser, ...]
    role_group: str
    roles: tuple[PlannedRole, ...]

    @classmethod
    def build(
        cls,
        divisions: DivisionTable,
        roster: Roster,
        *,
        county_code: str | None = None,
        sections: Sequence[str] | None = None,
        project_groups: Sequence[str] | None = None,
        role_group: str = DEFAULT_ROLE_GROUP,
        post_tags: bool = True,
    ) -> OrgPlan:
        """Build the plan for a county from its division table and a validated roster.

        ``county_code`` may be omitted when the table or the roster names one county only.
        ``sections`` and ``project_groups`` default to those the roster was read with; every one
        becomes a department under the county, even without members. With ``post_tags`` each
        user is also tagged with the post (普查员, 普查指导员, ...) so notices can target a post.
        Raises PlanError listing every problem.
        """
        problems: list[str] = []
        county = _resolve_county(divisions, roster, county_code, problems)
        if county is None:
            raise PlanError(problems)

        section_names = tuple(roster.sections if sections is None else sections)
        group_names = tuple(roster.project_groups if project_groups is None else project_groups)
        departments = _plan_departments(divisions, county, section_names, group_names, problems)
        known_keys = {department.key for department in departments}
        users = tuple(
            _plan_user(
                member,
                divisions=divisions,
                county=county,
                known_keys=known_keys,
                post_tags=post_tags,
                problems=problems,
            )
            for member in roster.members
        )

        _check_unique_users(users, problems)
        if not role_group.strip():
            problems.append("role group name is empty")
        roles = _plan_roles(users, problems)
        if problems:
            raise PlanError(problems)
        return cls(
            county_code=county.code,
            departments=departments,
            users=users,
            role_group=role_group,
            roles=roles,
        )

    def department(self, key: str) -> PlannedDepartment:
        """Return the planned department with this key; raise KeyError if there is none."""
        for department in self.departments:
            if department.key == key:
                return department
        raise KeyError(f"no planned department has key {key!r}")

    def user(self, mobile: str) -> PlannedUser:
        """Return the planned user with this mobile; raise KeyError if there is none."""
        for user in self.users:
            if user.mobile == mobile:
                return user
        raise KeyError(f"no planned user has mobile {mask_mobiles(mobile)}")

    def diff(self, live: LiveOrg, *, remove_extra: bool = False) -> OrgDiff:
        """Return the operations that turn ``live`` into this plan.

        Departments are recognised by ``source_identifier`` (or, the first time, by name under
        the same parent), users by mobile (or by userid when DingTalk hides mobiles), roles by
        name inside the plan's role group. What exists only live under the county's departments
        is listed, and removed only when ``remove_extra`` is true.
        """
        return compute_diff(self, live, remove_extra=remove_extra)


def _resolve_county(
    divisions: DivisionTable, roster: Roster, county_code: str | None, problems: list[str]
) -> Division | None:
    if county_code is not None:
        try:
            code = normalize_code(county_code)
        except CellError:
            problems.append(f"invalid county code {county_code!r}: use 6 or 12 digits")
            return None
        county = divisions.find(code)
        if county is None or county.level is not DivisionLevel.COUNTY:
            problems.append(f"{code} is not a county in {divisions.source}")
            return None
        return county

    counties = divisions.counties()
    if len(counties) == 1:
        return counties[0]
    found = {
        divisions.county_of(code).code
        for member in roster.members
        for code in member.division_codes
        if code in divisions
    }
    if len(found) == 1:
        return divisions.get(found.pop())
    problems.append(
        f"{divisions.source} has {len(counties)} counties and the roster names {len(found)}; "
        "pass county_code"
    )
    return None


def _plan_departments(
    divisions: DivisionTable,
    county: Division,
    sections: tuple[str, ...],
    project_groups: tuple[str, ...],
    problems: list[str],
) -> tuple[PlannedDepartment, ...]:
    departments: list[PlannedDepartment] = []
    sibling_counts: dict[str | None, int] = {}

    def add(key: str, name: str, parent_key: str | None, kind: DepartmentKind) -> None:
        order = sibling_counts.get(parent_key, 0) + 1
        sibling_counts[parent_key] = order
        departments.append(PlannedDepartment(key, name, parent_key, kind, order))

    for division in divisions.subtree(county.code):
        parent = None if division.level is DivisionLevel.COUNTY else division.parent_code
        add(division.code, division.name, parent, _KIND_OF_LEVEL[division.level])
    for section in sections:
        add(section, section, county.code, DepartmentKind.SECTION)
    for group in project_groups:
        add(group, group, county.code, DepartmentKind.PROJECT_GROUP)

    seen_keys: set[str] = set()
    seen_names: dict[tuple[str | None, str], str] = {}
    for department in departments:
        problem = validate_department_name(department.name)
        if problem:
            problems.append(f"{department.key}: {problem}")
        if department.key in seen_keys:
            problems.append(f"department key {department.key!r} is used twice")
        seen_keys.add(department.key)
        # topapi/v2/department/create fails with 60021 for a name already used under the parent.
        sibling = (department.parent_key, department.name)
        if sibling in seen_names:
            other = seen_names[sibling]
            problems.append(
                f"departments {other} and {department.key} have the same name "
                f"{department.name!r} under the same parent, which DingTalk rejects"
            )
        else:
            seen_names[sibling] = department.key
    return tuple(departments)


def _plan_user(
    member: StaffMember,
    *,
    divisions: DivisionTable,
    county: Division,
    known_keys: set[str],
    post_tags: bool,
    problems: list[str],
) -> PlannedUser:
    person = f"{member.name} ({mask_mobiles(member.mobile)})"
    for code in member.division_codes:
        division = divisions.find(code)
        if division is None or divisions.county_of(code).code != county.code:
            problems.append(f"{person}: division {code} {_OUTSIDE_COUNTY} {county.code}")
    for section in member.sections:
        if section not in known_keys:
            problems.append(f"{person}: section or project group {section!r} is not planned")

    keys: list[str] = []
    if not (member.post is Post.COUNTY_STAFF and member.sections):
        keys.extend(member.division_codes)
    keys.extend(member.sections)
    keys = list(dict.fromkeys(keys))
    if len(keys) > DEPARTMENTS_PER_USER_MAX:
        problems.append(f"{person}: {len(keys)} departments, DingTalk allows at most 100")

    tags = list(member.tags)
    if post_tags and member.post.value not in tags:
        tags.append(member.post.value)
    return PlannedUser(
        mobile=member.mobile,
        userid=derive_userid(member),
        name=member.name,
        title=member.post.value,
        department_keys=tuple(keys),
        tags=tuple(tags),
        job_number=member.job_number,
        email=member.email,
        remark=member.remark,
    )


def _check_unique_users(users: Sequence[PlannedUser], problems: list[str]) -> None:
    """Report users that share a mobile or a userid (a roster read from a file has none)."""
    seen_mobiles: set[str] = set()
    seen_userids: dict[str, str] = {}
    for user in users:
        if user.mobile in seen_mobiles:
            problems.append(f"mobile {mask_mobiles(user.mobile)} is planned twice")
        seen_mobiles.add(user.mobile)
        other = seen_userids.get(user.userid)
        if other is not None and other != user.mobile:
            problems.append(
                f"{user.name} and another member derive the same userid {user.userid}; "
                "their 工号 must differ"
            )
        seen_userids[user.userid] = user.mobile


def _plan_roles(users: Sequence[PlannedUser], problems: list[str]) -> tuple[PlannedRole, ...]:
    members: dict[str, list[str]] = {}
    for user in users:
        for tag in user.tags:
            members.setdefault(tag, []).append(user.mobile)
    for tag in members:
        if len(tag) > TAG_MAX:
            problems.append(f"tag {tag!r} is longer than {TAG_MAX} characters")
    return tuple(PlannedRole(tag, tuple(mobiles)) for tag, mobiles in members.items())
