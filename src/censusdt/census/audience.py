"""Audiences: who a notice is for, as tags, departments and people combined with | & -.

An audience is an expression resolved against a :class:`ContactsSnapshot` (departments with
parents, users with departments and tags), so resolving needs no API call and the same snapshot
gives the same people. ``explain`` gives the reasons each person is in, in Chinese by default::

    audience = (Tag("普查指导员") & Dept("圣城街道")) | Tag("普查员") - People("u42")
    audience.userids(snapshot)
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from censusdt.census.live import LiveOrg

__all__ = [
    "Audience",
    "AudienceError",
    "ContactsSnapshot",
    "Dept",
    "Everyone",
    "People",
    "SnapshotDepartment",
    "SnapshotUser",
    "Tag",
]

ROOT_DEPT_ID = 1


class AudienceError(ValueError):
    """An audience names a tag, department or person the snapshot does not have.

    ``zh`` is the same message in Chinese, for command output; ``str()`` is English.
    """

    def __init__(self, message: str, *, zh: str) -> None:
        super().__init__(message)
        self.zh = zh

    def describe(self, lang: str = "zh") -> str:
        """Return the message in Chinese (``"zh"``) or English."""
        return self.zh if lang == "zh" else str(self)


@attrs.frozen
class SnapshotDepartment:
    dept_id: int
    name: str
    parent_id: int | None


@attrs.frozen
class SnapshotUser:
    userid: str
    name: str
    dept_ids: tuple[int, ...] = ()
    #: Tag (role) names.
    tags: frozenset[str] = frozenset()
    #: Whether the person has activated DingTalk; ``None`` when the source does not record it.
    active: bool | None = None


@attrs.frozen
class ContactsSnapshot:
    """Departments and users as they were when read; an audience resolves against this."""

    departments: Mapping[int, SnapshotDepartment]
    users: Mapping[str, SnapshotUser]
    _children: Mapping[int, tuple[int, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        children: dict[int, list[int]] = {}
        for department in self.departments.values():
            if department.parent_id is not None:
                children.setdefault(department.parent_id, []).append(department.dept_id)
        object.__setattr__(
            self, "_children", {key: tuple(value) for key, value in children.items()}
        )

    @classmethod
    def build(
        cls, departments: Iterable[SnapshotDepartment], users: Iterable[SnapshotUser]
    ) -> ContactsSnapshot:
        return cls(
            {department.dept_id: department for department in departments},
            {user.userid: user for user in users},
        )

    @classmethod
    def from_live_org(cls, org: LiveOrg) -> ContactsSnapshot:
        """Build from what ``read_live_org`` read through the contacts API."""
        tags: dict[str, set[str]] = {}
        for role in org.roles:
            for userid in role.userids:
                tags.setdefault(userid, set()).add(role.name)
        return cls.build(
            (SnapshotDepartment(d.dept_id, d.name, d.parent_id) for d in org.departments),
            (
                SnapshotUser(
                    u.userid, u.name, tuple(u.dept_id_list), frozenset(tags.get(u.userid, ()))
                )
                for u in org.users
            ),
        )

    @classmethod
    def from_fake(cls, fake: Any, corp: Any = None) -> ContactsSnapshot:
        """Build straight from a ``censusdt_fake.FakeDingTalk``'s contacts state (tests, rehearsal)."""
        from censusdt_fake.models.contacts import ContactsState

        contacts = (corp or fake.default_corp).ext(ContactsState)
        role_names = {role.role_id: role.name for role in contacts.roles.values()}
        return cls.build(
            (
                SnapshotDepartment(
                    d.dept_id, d.name, d.parent_id if d.dept_id != ROOT_DEPT_ID else None
                )
                for d in contacts.departments.values()
            ),
            (
                SnapshotUser(
                    u.userid,
                    u.name,
                    tuple(u.dept_id_list),
                    frozenset(
                        role_names[role_id] for role_id in u.role_ids if role_id in role_names
                    ),
                    u.active,
                )
                for u in contacts.users.values()
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "departments": [attrs.asdict(d) for d in self.departments.values()],
            "users": [
                {
                    "userid": u.userid,
                    "name": u.name,
                    "dept_ids": list(u.dept_ids),
                    "tags": sorted(u.tags),
                    "active": u.active,
                }
                for u in self.users.values()
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ContactsSnapshot:
        return cls.build(
            (SnapshotDepartment(**item) for item in data["departments"]),
            (
                SnapshotUser(
                    item["userid"],
                    item["name"],
                    tuple(item["dept_ids"]),
                    frozenset(item["tags"]),
                    item.get("active"),
                )
                for item in data["users"]
            ),
        )

    # Lookups.

    def path(self, dept_id: int) -> str:
        """The department's names from below the root down to it, joined by "/"."""
        names: list[str] = []
        current = self.departments.get(dept_id)
        while current is not None and current.parent_id is not None:
            names.append(current.name)
            current = self.departments.get(current.parent_id)
        return "/".join(reversed(names)) or (current.name if current else str(dept_id))

    def descendants(self, dept_id: int) -> set[int]:
        """The department and every department below it."""
        found = {dept_id}
        frontier = [dept_id]
        while frontier:
            for child in self._children.get(frontier.pop(), ()):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
        return found

    def ancestors(self, dept_id: int) -> list[int]:
        """The department and its ancestors up to the root."""
        chain: list[int] = []
        current = self.departments.get(dept_id)
        while current is not None and current.dept_id not in chain:
            chain.append(current.dept_id)
            current = self.departments.get(current.parent_id) if current.parent_id else None
        return chain

    def find_departments(self, key: int | str) -> list[int]:
        """Departments matching an id, a name, or a "/"-separated path ending in a name."""
        if isinstance(key, int):
            return [key] if key in self.departments else []
        if "/" in key:
            return [d for d in self.departments if self.path(d).endswith(key)]
        return [d.dept_id for d in self.departments.values() if d.name == key]

    def tags(self) -> set[str]:
        return {tag for user in self.users.values() for tag in user.tags}


def _zh(lang: str) -> bool:
    return lang != "en"


class Audience(abc.ABC):
    """A set of people to reach; combine with ``|`` (union), ``&`` (intersection), ``-``."""

    @abc.abstractmethod
    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        """Each member's userid and the reasons it is in, in snapshot order."""

    @abc.abstractmethod
    def describe(self, lang: str = "zh") -> str:
        """The expression in words."""

    def userids(self, snapshot: ContactsSnapshot) -> list[str]:
        """Members in the snapshot's user order."""
        members = self.reasons(snapshot)
        return [userid for userid in snapshot.users if userid in members]

    def explain(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, str]:
        """Each member's userid and one sentence saying why they are in."""
        joiner = "；" if _zh(lang) else "; "
        return {
            userid: joiner.join(reasons) for userid, reasons in self.reasons(snapshot, lang).items()
        }

    def __or__(self, other: Audience) -> Audience:
        return Union(self, other)

    def __and__(self, other: Audience) -> Audience:
        return Intersection(self, other)

    def __sub__(self, other: Audience) -> Audience:
        return Difference(self, other)

    def __str__(self) -> str:
        return self.describe()


@attrs.frozen
class Tag(Audience):
    """Everyone with a tag (a DingTalk role), e.g. ``Tag("普查员")``."""

    name: str

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        if self.name not in snapshot.tags():
            known = "、".join(sorted(snapshot.tags())) or "(none)"
            raise AudienceError(
                f"no user has the tag {self.name!r}; known tags: {known}",
                zh=f"没有人带有标签「{self.name}」；现有标签：{known}",
            )
        reason = self.describe(lang)
        return {u.userid: [reason] for u in snapshot.users.values() if self.name in u.tags}

    def describe(self, lang: str = "zh") -> str:
        return f"标签「{self.name}」" if _zh(lang) else f"tag '{self.name}'"


@attrs.frozen
class Dept(Audience):
    """Members of a department given by id, name or path; with its sub-departments by default.

    A name shared by several departments (two villages called 东关村) raises
    :class:`AudienceError` listing their paths; give the path ("圣城街道/东关村") or the id.
    """

    key: int | str
    include_sub: bool = True

    def _dept_id(self, snapshot: ContactsSnapshot) -> int:
        found = snapshot.find_departments(self.key)
        if not found:
            raise AudienceError(
                f"no department {self.key!r} in the contacts snapshot",
                zh=f"通讯录中没有部门「{self.key}」",
            )
        if len(found) > 1:
            paths = ", ".join(f"{snapshot.path(d)} ({d})" for d in found)
            raise AudienceError(
                f"department name {self.key!r} is ambiguous: {paths}; give the path or the id",
                zh=f"部门名称「{self.key}」有多个：{paths}；请写完整路径（如 圣城街道/东关村）或部门 ID",
            )
        return found[0]

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        dept_id = self._dept_id(snapshot)
        covered = snapshot.descendants(dept_id) if self.include_sub else {dept_id}
        result: dict[str, list[str]] = {}
        for user in snapshot.users.values():
            hits = [d for d in user.dept_ids if d in covered]
            if not hits:
                continue
            if hits == [dept_id] or not self.include_sub:
                where = snapshot.path(dept_id)
                result[user.userid] = [
                    f"部门「{where}」成员" if _zh(lang) else f"member of '{where}'"
                ]
            else:
                where = snapshot.path(hits[0])
                top = snapshot.path(dept_id)
                result[user.userid] = [
                    f"部门「{where}」属于「{top}」" if _zh(lang) else f"'{where}' is under '{top}'"
                ]
        return result

    def describe(self, lang: str = "zh") -> str:
        if _zh(lang):
            return f"部门「{self.key}」" + (
                "（含下级部门）" if self.include_sub else "（不含下级部门）"
            )
        return f"department '{self.key}'" + (" and below" if self.include_sub else " only")


@attrs.frozen(init=False)
class People(Audience):
    """Named people by userid."""

    userids_: tuple[str, ...]

    def __init__(self, *userids: str) -> None:
        object.__setattr__(self, "userids_", tuple(userids))

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        unknown = [userid for userid in self.userids_ if userid not in snapshot.users]
        if unknown:
            raise AudienceError(
                f"userids not in the contacts snapshot: {', '.join(unknown)}",
                zh=f"通讯录中没有这些 userid：{'、'.join(unknown)}",
            )
        reason = "点名" if _zh(lang) else "named"
        return {userid: [reason] for userid in self.userids_}

    def describe(self, lang: str = "zh") -> str:
        names = "、".join(self.userids_)
        return f"人员 {names}" if _zh(lang) else f"people {', '.join(self.userids_)}"


@attrs.frozen
class Everyone(Audience):
    """Every user of the snapshot."""

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        reason = "全员" if _zh(lang) else "everyone"
        return {userid: [reason] for userid in snapshot.users}

    def describe(self, lang: str = "zh") -> str:
        return "全员" if _zh(lang) else "everyone"


@attrs.frozen
class Union(Audience):
    left: Audience
    right: Audience

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        result = {
            userid: list(reasons) for userid, reasons in self.left.reasons(snapshot, lang).items()
        }
        for userid, reasons in self.right.reasons(snapshot, lang).items():
            result.setdefault(userid, []).extend(r for r in reasons if r not in result[userid])
        return result

    def describe(self, lang: str = "zh") -> str:
        return f"({self.left.describe(lang)} | {self.right.describe(lang)})"


@attrs.frozen
class Intersection(Audience):
    left: Audience
    right: Audience

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        right = self.right.reasons(snapshot, lang)
        joiner = "，且" if _zh(lang) else ", and "
        return {
            userid: [joiner.join([*reasons, *right[userid]])]
            for userid, reasons in self.left.reasons(snapshot, lang).items()
            if userid in right
        }

    def describe(self, lang: str = "zh") -> str:
        return f"({self.left.describe(lang)} & {self.right.describe(lang)})"


@attrs.frozen
class Difference(Audience):
    left: Audience
    right: Audience

    def reasons(self, snapshot: ContactsSnapshot, lang: str = "zh") -> dict[str, list[str]]:
        excluded = self.right.reasons(snapshot, lang)
        return {
            userid: reasons
            for userid, reasons in self.left.reasons(snapshot, lang).items()
            if userid not in excluded
        }

    def describe(self, lang: str = "zh") -> str:
        return f"({self.left.describe(lang)} - {self.right.describe(lang)})"
