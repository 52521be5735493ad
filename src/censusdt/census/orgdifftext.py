"""Dry-run text of an org diff in Chinese or English, with mobile numbers masked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from censusdt._masking import mask_mobiles
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
    UnassignRole,
    UpdateDepartment,
    UpdateUser,
)
from censusdt.census.rosterissues import Language

if TYPE_CHECKING:
    from censusdt.census.orgdiff import DiffSummary, OrgDiff

__all__ = ["describe_diff", "describe_summary"]

_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"),
    "parent": ("上级部门", "parent"),
    "order": ("排序", "order"),
    "source_identifier": ("外部标识", "source identifier"),
    "mobile": ("手机号", "mobile"),
    "title": ("职位", "title"),
    "job_number": ("工号", "job number"),
    "email": ("邮箱", "email"),
    "remark": ("备注", "remark"),
    "departments": ("部门", "departments"),
}

# (Chinese, English) section headings; {count} is the number of entries.
_HEADINGS: dict[str, tuple[str, str]] = {
    "create_departments": ("新建部门（{count}）：", "Departments to create ({count}):"),
    "update_departments": ("修改部门（{count}）：", "Departments to update ({count}):"),
    "create_users": ("新建人员（{count}）：", "Users to create ({count}):"),
    "update_users": ("修改人员（{count}）：", "Users to update ({count}):"),
    "create_roles": ("新建角色（{count}）：", "Roles to create ({count}):"),
    "assign_roles": ("添加角色成员（{count} 人次）：", "Role members to add ({count}):"),
    "unassign_roles": ("移除角色成员（{count} 人次）：", "Role members to remove ({count}):"),
    "delete_roles": ("删除角色（{count}）：", "Roles to delete ({count}):"),
    "delete_users": ("删除人员（{count}）：", "Users to delete ({count}):"),
    "delete_departments": ("删除部门（{count}）：", "Departments to delete ({count}):"),
    "extra": (
        "仅存在于钉钉、本次不删除（{count}）：",
        "Only in DingTalk, kept this time ({count}):",
    ),
}


# Role member lines name this many people, then give the count.
_NAMES_PER_LINE = 10


def _pick(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _change(change: FieldChange, lang: Language) -> str:
    label = _pick(_FIELD_LABELS.get(change.field, (change.field, change.field)), lang)
    empty = "（空）" if lang == "zh" else "(empty)"
    return f"{label} {change.old or empty} → {change.new or empty}"


def _changes(changes: tuple[FieldChange, ...], lang: Language) -> str:
    separator = "；" if lang == "zh" else "; "
    return separator.join(_change(change, lang) for change in changes)


def _section(
    key: str, lines: list[str], count: int, lang: Language, limit: int | None
) -> list[str]:
    if not lines:
        return []
    visible = lines if limit is None else lines[:limit]
    result = [_pick(_HEADINGS[key], lang).format(count=count), *visible]
    hidden = len(lines) - len(visible)
    if hidden:
        result.append(f"  … 另有 {hidden} 项" if lang == "zh" else f"  … and {hidden} more")
    return result


def describe_diff(diff: OrgDiff, lang: Language, *, limit: int | None) -> str:
    """Render every operation and live-only object, grouped by kind."""
    names = diff.department_names
    users = diff.user_names
    colon = "：" if lang == "zh" else ": "
    comma = "、" if lang == "zh" else ", "

    def dept(key: str | None) -> str:
        if key is None:
            return "钉钉根部门" if lang == "zh" else "DingTalk root"
        return names.get(key, key)

    def people(userids: tuple[str, ...]) -> str:
        named = comma.join(users.get(userid, userid) for userid in userids[:_NAMES_PER_LINE])
        if len(userids) <= _NAMES_PER_LINE:
            return named
        return (
            f"{named}…等 {len(userids)} 人" if lang == "zh" else f"{named}… ({len(userids)} in all)"
        )

    created_departments = [
        f"  + {op.name}（{dept(op.parent_key)}）"
        if lang == "zh"
        else f"  + {op.name} (under {dept(op.parent_key)})"
        for op in diff.of_type(CreateDepartment)
    ]
    updated_departments = [
        f"  ~ {op.name}{colon}{_changes(op.changes, lang)}" for op in diff.of_type(UpdateDepartment)
    ]
    created_users = [
        f"  + {op.name}（{op.title}，{op.mobile}）{colon}{comma.join(map(dept, op.department_keys))}"
        if lang == "zh"
        else f"  + {op.name} ({op.title}, {op.mobile}){colon}"
        f"{comma.join(map(dept, op.department_keys))}"
        for op in diff.of_type(CreateUser)
    ]
    updated_users = [
        f"  ~ {op.name}{colon}{_changes(op.changes, lang)}" for op in diff.of_type(UpdateUser)
    ]
    created_roles = [f"  + {op.name}" for op in diff.of_type(CreateRole)]
    assigned = [f"  + {op.role_name}{colon}{people(op.userids)}" for op in diff.of_type(AssignRole)]
    unassigned = [
        f"  - {op.role_name}{colon}{people(op.userids)}" for op in diff.of_type(UnassignRole)
    ]
    deleted_roles = [f"  - {op.name}" for op in diff.of_type(DeleteRole)]
    deleted_users = [f"  - {op.name}" for op in diff.of_type(DeleteUser)]
    deleted_departments = [f"  - {op.name}" for op in diff.of_type(DeleteDepartment)]

    summary = diff.summary()
    lines: list[str] = []
    for group in diff.of_type(CreateRoleGroup):
        lines.append(
            f"新建角色组：{group.name}" if lang == "zh" else f"Role group to create: {group.name}"
        )
    lines += _section(
        "create_departments", created_departments, len(created_departments), lang, limit
    )
    lines += _section(
        "update_departments", updated_departments, len(updated_departments), lang, limit
    )
    lines += _section("create_users", created_users, len(created_users), lang, limit)
    lines += _section("update_users", updated_users, len(updated_users), lang, limit)
    lines += _section("create_roles", created_roles, len(created_roles), lang, limit)
    lines += _section("assign_roles", assigned, summary.role_members_to_add, lang, limit)
    lines += _section("unassign_roles", unassigned, summary.role_members_to_remove, lang, limit)
    lines += _section("delete_roles", deleted_roles, len(deleted_roles), lang, limit)
    lines += _section("delete_users", deleted_users, len(deleted_users), lang, limit)
    lines += _section(
        "delete_departments", deleted_departments, len(deleted_departments), lang, limit
    )

    if not diff.remove_extra:
        department_word, user_word, role_word = (
            ("部门", "人员", "角色") if lang == "zh" else ("department", "user", "role")
        )
        extra = [f"  · {department_word}{colon}{d.name}" for d in diff.extra_departments]
        extra += [f"  · {user_word}{colon}{u.name}" for u in diff.extra_users]
        extra += [f"  · {role_word}{colon}{r.name}" for r in diff.extra_roles]
        lines += _section("extra", extra, len(extra), lang, limit)

    if not lines:
        return (
            "钉钉与计划一致，没有需要同步的变更。"
            if lang == "zh"
            else ("DingTalk matches the plan; nothing to change.")
        )
    lines.insert(0, describe_summary(summary, lang))
    return mask_mobiles("\n".join(lines))


def describe_summary(summary: DiffSummary, lang: Language) -> str:
    """Render the counts of a diff on one line, leaving out the zeros."""
    counts = (
        (summary.departments_to_create, "新建部门", "department(s) to create"),
        (summary.departments_to_update, "修改部门", "department(s) to update"),
        (summary.departments_to_delete, "删除部门", "department(s) to delete"),
        (summary.users_to_create, "新建人员", "user(s) to create"),
        (summary.users_to_update, "修改人员", "user(s) to update"),
        (summary.users_to_delete, "删除人员", "user(s) to delete"),
        (summary.role_groups_to_create, "新建角色组", "role group(s) to create"),
        (summary.roles_to_create, "新建角色", "role(s) to create"),
        (summary.role_members_to_add, "添加角色成员", "role member(s) to add"),
        (summary.role_members_to_remove, "移除角色成员", "role member(s) to remove"),
        (summary.roles_to_delete, "删除角色", "role(s) to delete"),
        (summary.extra_departments, "仅钉钉有的部门", "department(s) only in DingTalk"),
        (summary.extra_users, "仅钉钉有的人员", "user(s) only in DingTalk"),
        (summary.extra_roles, "仅钉钉有的角色", "role(s) only in DingTalk"),
    )
    if lang == "zh":
        parts = [f"{label} {count}" for count, label, _ in counts if count]
        return "汇总：" + ("、".join(parts) if parts else "无变更")
    parts = [f"{count} {label}" for count, _, label in counts if count]
    return "Summary: " + (", ".join(parts) if parts else "no changes")
