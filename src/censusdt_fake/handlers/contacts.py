"""Contacts and roles endpoints (legacy host) and the contacts control plane."""

from __future__ import annotations

import random
from typing import Any

from censusdt_fake._errors import LegacyError
from censusdt_fake._routing import Call, Router
from censusdt_fake.models.contacts import (
    ContactsState,
    Department,
    Role,
    User,
    page_slice,
)

router = Router()

_ORDER_FIELDS = {"entry_asc", "entry_desc", "modify_asc", "modify_desc", "custom"}
# topapi/v2/user/list and listsimple: size 1-100, cursor 0-100000 (Java SDK checks).
_USER_PAGE_MAX = 100
_CURSOR_MAX = 100_000
_ROLE_LIST_MAX = 200
_ROLE_MEMBERS_MAX = 100
_INACTIVE_PAGE_MAX = 100
# topapi/role/addrolesforemps: 20 roles x 20 users; removerolesforemps: 20 roles x 100 users.
_ADD_ROLES_MAX, _ADD_USERS_MAX = 20, 20
_REMOVE_ROLES_MAX, _REMOVE_USERS_MAX = 20, 100


def _state(call: Call) -> ContactsState:
    return call.tenant.ext(ContactsState)


def _int_list(call: Call, name: str, *, required: bool = False) -> list[int]:
    values = []
    for value in call.array(name, required=required):
        try:
            values.append(int(value))
        except (TypeError, ValueError):
            raise call.invalid(name, value) from None
    return values


def _page_args(call: Call, name: str, maximum: int, *, default_size: int) -> tuple[int, int]:
    """Read ``name`` (cursor or offset) and ``size``; 40068/40069 for values out of range."""
    offset = call.integer(name, default=0)
    size = call.integer("size", default=default_size)
    if offset < 0 or offset > _CURSOR_MAX:
        raise LegacyError(40068, "不合法的偏移量")
    if size < 1 or size > maximum:
        raise LegacyError(40069, "不合法的分页大小")
    return offset, size


# Departments.


def _department_brief(department: Department) -> dict[str, Any]:
    return {
        "dept_id": department.dept_id,
        "name": department.name,
        "parent_id": department.parent_id,
        "create_dept_group": department.create_dept_group,
        "auto_add_user": department.auto_add_user,
        "source_identifier": department.source_identifier,
    }


@router.post("/topapi/v2/department/create")
def department_create(call: Call) -> dict[str, Any]:
    department = _state(call).create_department(
        call.string("name", required=True),
        call.integer("parent_id", required=True),
        order=call.integer("order"),
        source_identifier=call.string("source_identifier"),
        hide_dept=call.boolean("hide_dept"),
        create_dept_group=call.boolean("create_dept_group"),
    )
    return {"result": {"dept_id": department.dept_id}}


@router.post("/topapi/v2/department/update")
def department_update(call: Call) -> dict[str, Any]:
    dept_id = call.integer("dept_id", required=True)
    if dept_id < 1:
        raise LegacyError(40009, "不合法的部门id")
    order = call.integer("order")
    if order is not None and order < 0:
        raise LegacyError(40011, "不合法的排序值")
    _state(call).update_department(
        dept_id,
        name=call.string("name"),
        parent_id=call.integer("parent_id"),
        order=order,
        source_identifier=call.string("source_identifier"),
    )
    return {}


@router.post("/topapi/v2/department/delete")
def department_delete(call: Call) -> dict[str, Any]:
    _state(call).delete_department(call.integer("dept_id", required=True))
    return {}


@router.post("/topapi/v2/department/get")
def department_get(call: Call) -> dict[str, Any]:
    dept_id = call.integer("dept_id", required=True)
    state = _state(call)
    department = state.department(dept_id)
    below = _departments_below(state, dept_id)
    member_ids = {user.userid for dept in below for user in state.members(dept)}
    result = {
        **_department_brief(department),
        "order": department.order,
        "hide_dept": department.hide_dept,
        "dept_manager_userid_list": list(department.dept_manager_userid_list),
        "group_contain_sub_dept": False,
        "outer_dept": False,
        "member_count": len(member_ids),
        "owning_member_count": len(state.members(dept_id)),
    }
    if dept_id == 1:
        result.pop("parent_id")
    return {"result": result}


def _departments_below(state: ContactsState, dept_id: int) -> list[int]:
    found = [dept_id]
    index = 0
    while index < len(found):
        found.extend(child.dept_id for child in state.children(found[index]))
        index += 1
    return found


@router.post("/topapi/v2/department/listsub")
def department_listsub(call: Call) -> dict[str, Any]:
    state = _state(call)
    dept_id = call.integer("dept_id", default=1)
    state.department(dept_id)
    return {"result": [_department_brief(child) for child in state.children(dept_id)]}


@router.post("/topapi/v2/department/listsubid")
def department_listsubid(call: Call) -> dict[str, Any]:
    state = _state(call)
    dept_id = call.integer("dept_id", required=True)
    state.department(dept_id)
    return {"result": {"dept_id_list": [child.dept_id for child in state.children(dept_id)]}}


@router.post("/topapi/v2/department/listparentbydept")
def department_listparentbydept(call: Call) -> dict[str, Any]:
    chain = _state(call).ancestors(call.integer("dept_id", required=True))
    return {"result": {"parent_id_list": chain}}


@router.post("/topapi/v2/department/listparentbyuser")
def department_listparentbyuser(call: Call) -> dict[str, Any]:
    state = _state(call)
    userid = call.string("userid", required=True)
    user = state.users.get(userid)
    if user is None:
        raise LegacyError(33012, "无效的USERID")
    parents = [{"parent_dept_id_list": state.ancestors(dept_id)} for dept_id in user.dept_id_list]
    return {"result": {"parent_list": parents}}


# Users.


_USER_TEXT_FIELDS = ("title", "job_number", "email", "remark", "telephone", "work_place")


def _user_fields(call: Call) -> dict[str, Any]:
    return {name: call.string(name) for name in _USER_TEXT_FIELDS}


@router.post("/topapi/v2/user/create")
def user_create(call: Call) -> dict[str, Any]:
    name = call.string("name", required=True)
    mobile = call.string("mobile", required=True)
    dept_ids = _int_list(call, "dept_id_list", required=True)
    user = _state(call).create_user(
        name=name,
        mobile=mobile,
        dept_id_list=dept_ids,
        userid=call.string("userid"),
        created_ms=call.now_ms,
        **_user_fields(call),
    )
    # The create reply spells it unionId; user/get and user/list spell it unionid.
    return {"result": {"userid": user.userid, "unionId": user.unionid}}


@router.post("/topapi/v2/user/update")
def user_update(call: Call) -> dict[str, Any]:
    dept_ids = _int_list(call, "dept_id_list") if call.raw("dept_id_list") else None
    fields = _user_fields(call)
    _state(call).update_user(
        call.string("userid", required=True),
        name=call.string("name"),
        mobile=call.string("mobile"),
        email=fields.pop("email"),
        dept_id_list=dept_ids,
        **fields,
    )
    return {}


@router.post("/topapi/v2/user/delete")
def user_delete(call: Call) -> dict[str, Any]:
    _state(call).delete_user(call.string("userid", required=True))
    return {}


def _user_brief(user: User) -> dict[str, Any]:
    return {
        "userid": user.userid,
        "unionid": user.unionid,
        "name": user.name,
        "state_code": "86",
        "mobile": user.mobile,
        "hide_mobile": False,
        "title": user.title or "",
        "job_number": user.job_number or "",
        "email": user.email or "",
        "remark": user.remark or "",
        "work_place": user.work_place or "",
        "dept_id_list": list(user.dept_id_list),
        "active": user.active,
        "admin": user.admin,
        "boss": user.boss,
    }


@router.post("/topapi/v2/user/get")
def user_get(call: Call) -> dict[str, Any]:
    state = _state(call)
    user = state.user(call.string("userid", required=True))
    roles = [state.roles[role_id] for role_id in user.role_ids if role_id in state.roles]
    result = {
        **_user_brief(user),
        "real_authed": user.active,
        "senior": False,
        "role_list": [
            {"id": role.role_id, "name": role.name, "group_name": _group_name(state, role)}
            for role in roles
        ],
        "leader_in_dept": [{"dept_id": dept_id, "leader": False} for dept_id in user.dept_id_list],
        "dept_order_list": [{"dept_id": dept_id, "order": 0} for dept_id in user.dept_id_list],
    }
    return {"result": result}


def _group_name(state: ContactsState, role: Role) -> str:
    group = state.role_groups.get(role.group_id)
    return group.name if group is not None else ""


def _department_members(call: Call) -> list[User]:
    state = _state(call)
    dept_id = call.integer("dept_id", required=True)
    if dept_id < 1:
        raise LegacyError(40035, "不合法的参数 dept_id")
    state.department(dept_id)
    order_field = call.string("order_field", default="custom")
    if order_field not in _ORDER_FIELDS:
        raise LegacyError(40035, "不合法的参数 order_field")
    members = state.members(dept_id)
    # NOTE: "custom" (DingTalk's default) sorts by a manual order or pinyin; the fake uses the
    # join order for it, as for entry_asc. modify_* also follow the join order.
    if order_field in {"entry_desc", "modify_desc"}:
        members.reverse()
    return members


@router.post("/topapi/v2/user/list")
def user_list(call: Call) -> dict[str, Any]:
    cursor, size = _page_args(call, "cursor", _USER_PAGE_MAX, default_size=_USER_PAGE_MAX)
    members = _department_members(call)
    chunk, has_more, next_cursor = page_slice(members, cursor, size)
    items = [{**_user_brief(user), "dept_order": 0, "leader": False} for user in chunk]
    result: dict[str, Any] = {"has_more": has_more, "list": items}
    if next_cursor is not None:
        result["next_cursor"] = next_cursor
    return {"result": result}


@router.post("/topapi/user/listsimple")
def user_listsimple(call: Call) -> dict[str, Any]:
    cursor, size = _page_args(call, "cursor", _USER_PAGE_MAX, default_size=_USER_PAGE_MAX)
    members = _department_members(call)
    chunk, has_more, next_cursor = page_slice(members, cursor, size)
    result: dict[str, Any] = {
        "has_more": has_more,
        "list": [{"userid": user.userid, "name": user.name} for user in chunk],
    }
    if next_cursor is not None:
        result["next_cursor"] = next_cursor
    return {"result": result}


@router.post("/topapi/user/listid")
def user_listid(call: Call) -> dict[str, Any]:
    state = _state(call)
    dept_id = call.integer("dept_id", required=True)
    state.department(dept_id)
    return {"result": {"userid_list": [user.userid for user in state.members(dept_id)]}}


@router.post("/topapi/v2/user/getbymobile")
def user_getbymobile(call: Call) -> dict[str, Any]:
    mobile = call.string("mobile", required=True)
    if len(mobile) > 15:
        raise LegacyError(40104, "无效手机号")
    user = _state(call).user_by_mobile(mobile)
    if user is None:
        raise LegacyError(60121, "找不到该用户")
    return {"result": {"userid": user.userid, "exclusive_account_userid_list": []}}


@router.post("/topapi/user/count")
def user_count(call: Call) -> dict[str, Any]:
    if call.raw("only_active") is None:
        raise call.missing("only_active")
    only_active = call.boolean("only_active")
    users = _state(call).users.values()
    count = sum(1 for user in users if user.active or not only_active)
    return {"result": {"count": count}}


@router.post("/topapi/inactive/user/v2/get")
def inactive_user_get(call: Call) -> dict[str, Any]:
    for name in ("is_active", "query_date"):
        if call.raw(name) is None:
            raise call.missing(name)
    query_date = call.string("query_date")
    if len(query_date) != 8 or not query_date.isdigit():
        raise LegacyError(40035, "不合法的参数 query_date")
    offset, size = _page_args(call, "offset", _INACTIVE_PAGE_MAX, default_size=_INACTIVE_PAGE_MAX)
    dept_ids = _int_list(call, "dept_ids")
    if len(dept_ids) > _INACTIVE_PAGE_MAX:
        raise LegacyError(40035, "不合法的参数 dept_ids")
    state = _state(call)
    # NOTE: the fake keeps one activation flag per user, not a login history, so query_date
    # selects nothing; is_active=true lists the activated users instead.
    if call.boolean("is_active"):
        chosen = [user for user in state.users.values() if user.active]
        if dept_ids:
            chosen = [user for user in chosen if set(dept_ids).intersection(user.dept_id_list)]
    else:
        chosen = state.inactive_users(dept_ids)
    chunk, has_more, next_cursor = page_slice(chosen, offset, size)
    result: dict[str, Any] = {"has_more": has_more, "list": [user.userid for user in chunk]}
    if next_cursor is not None:
        result["next_cursor"] = next_cursor
    return {"result": result}


# Roles. The three writes outside /topapi/ take camelCase keys and reply at the top level.


@router.post("/role/add_role_group")
def role_add_group(call: Call) -> dict[str, Any]:
    group = _state(call).add_role_group(call.string("name") or "")
    return {"groupId": group.group_id}


@router.post("/role/add_role")
def role_add(call: Call) -> dict[str, Any]:
    name = call.string("roleName")
    group_id = call.integer("groupId")
    if not name or group_id is None:
        raise LegacyError(34018, "角色名称或角色组不能为空")
    role = _state(call).add_role(name, group_id)
    return {"roleId": role.role_id}


@router.post("/role/update_role")
def role_update(call: Call) -> dict[str, Any]:
    role_id = call.integer("roleId")
    name = call.string("roleName")
    if role_id is None or not name:
        raise LegacyError(660000, "参数为空")
    _state(call).update_role(role_id, name)
    return {}


@router.post("/topapi/role/deleterole")
def role_delete(call: Call) -> dict[str, Any]:
    _state(call).delete_role(call.integer("role_id", required=True))
    return {}


@router.post("/topapi/role/list")
def role_list(call: Call) -> dict[str, Any]:
    # Both offset and size must be given to take effect; otherwise DingTalk uses 0 and 20.
    if call.raw("offset") is None or call.raw("size") is None:
        offset, size = 0, 20
    else:
        offset, size = _page_args(call, "offset", _ROLE_LIST_MAX, default_size=20)
    state = _state(call)
    groups = sorted(state.role_groups.values(), key=lambda group: group.group_id)
    chunk, has_more, _ = page_slice(groups, offset, size)
    roles_by_group: dict[int, list[Role]] = {}
    for role in sorted(state.roles.values(), key=lambda role: role.role_id):
        roles_by_group.setdefault(role.group_id, []).append(role)
    items = [
        {
            "groupId": group.group_id,
            "name": group.name,
            "roles": [
                {"id": role.role_id, "name": role.name}
                for role in roles_by_group.get(group.group_id, [])
            ],
        }
        for group in chunk
    ]
    return {"result": {"hasMore": has_more, "list": items}}


@router.post("/topapi/role/getrole")
def role_get(call: Call) -> dict[str, Any]:
    role_id = call.integer("roleId")
    if role_id is None:
        raise LegacyError(33011, "无效的角色ID")
    role = _state(call).role(role_id)
    return {"role": {"name": role.name, "groupId": role.group_id}}


@router.post("/topapi/role/getrolegroup")
def role_get_group(call: Call) -> dict[str, Any]:
    group_id = call.integer("group_id", required=True)
    state = _state(call)
    group = state.role_groups.get(group_id)
    if group is None:
        raise LegacyError(400002, "参数错误")
    roles = sorted(
        (role for role in state.roles.values() if role.group_id == group_id),
        key=lambda role: role.role_id,
    )
    return {
        "role_group": {
            "group_name": group.name,
            "roles": [{"role_id": role.role_id, "role_name": role.name} for role in roles],
        }
    }


def _role_batch(call: Call, role_max: int, user_max: int) -> tuple[list[int], list[str]]:
    role_ids = _int_list(call, "roleIds", required=True)
    userids = [str(userid) for userid in call.array("userIds", required=True)]
    # NOTE: DingTalk documents the per-call limits but not the code for exceeding them; 40032
    # ("bad list length" in the global table) is used.
    if len(role_ids) > role_max:
        raise LegacyError(40032, f"roleIds 超过上限 {role_max}")
    if len(userids) > user_max:
        raise LegacyError(40032, f"userIds 超过上限 {user_max}")
    return role_ids, userids


@router.post("/topapi/role/addrolesforemps")
def role_add_for_users(call: Call) -> dict[str, Any]:
    role_ids, userids = _role_batch(call, _ADD_ROLES_MAX, _ADD_USERS_MAX)
    _state(call).add_roles_to_users(role_ids, userids)
    return {}


@router.post("/topapi/role/removerolesforemps")
def role_remove_from_users(call: Call) -> dict[str, Any]:
    role_ids, userids = _role_batch(call, _REMOVE_ROLES_MAX, _REMOVE_USERS_MAX)
    _state(call).remove_roles_from_users(role_ids, userids)
    return {}


@router.post("/topapi/role/simplelist")
def role_simplelist(call: Call) -> dict[str, Any]:
    role_id = call.integer("role_id", required=True)
    offset, size = _page_args(call, "offset", _ROLE_MEMBERS_MAX, default_size=20)
    members = _state(call).role_members(role_id)
    chunk, has_more, _ = page_slice(members, offset, size)
    items = [{"userid": user.userid, "name": user.name, "manageScopes": []} for user in chunk]
    return {"result": {"hasMore": has_more, "list": items}}


# Control plane.


@router.post("/__fake__/contacts/activation", control=True)
def set_activation(call: Call) -> dict[str, Any]:
    """Mark ``userids`` as activated or not (``active``, default false) in the default corp."""
    corp = call.fake.default_corp
    userids = [str(userid) for userid in call.array("userids", required=True)]
    corp.ext(ContactsState).set_active(userids, call.boolean("active"))
    return {"userids": userids, "active": call.boolean("active")}


@router.post("/__fake__/contacts/deactivate-share", control=True)
def deactivate_share(call: Call) -> dict[str, Any]:
    """Mark a seeded random ``share`` (0-1) of the default corp's users as not activated."""
    share = float(call.raw("share", 0.2))
    seed = int(call.raw("seed", 0))
    userids = deactivate_random_share(call.fake.default_corp.ext(ContactsState), share, seed)
    return {"userids": userids}


@router.get("/__fake__/contacts/summary", control=True)
def contacts_summary(call: Call) -> dict[str, Any]:
    state = call.fake.default_corp.ext(ContactsState)
    return {
        "departments": len(state.departments),
        "users": len(state.users),
        "inactive_users": sum(1 for user in state.users.values() if not user.active),
        "role_groups": len(state.role_groups),
        "roles": len(state.roles),
    }


def deactivate_random_share(state: ContactsState, share: float, seed: int) -> list[str]:
    """Mark ``share`` of the users (picked with ``seed``) as not activated; return their ids."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    userids = sorted(state.users)
    chosen = random.Random(seed).sample(userids, round(len(userids) * share))
    state.set_active(chosen, False)
    return chosen


@router.post("/__fake__/contacts/seed", control=True)
def seed(call: Call) -> dict[str, Any]:
    """Load departments, users and roles given as plain JSON into the default corp."""
    data = call.body if isinstance(call.body, dict) else {}
    return seed_contacts(call.fake.default_corp.ext(ContactsState), data, now_ms=call.now_ms)


def seed_contacts(state: ContactsState, data: dict[str, Any], *, now_ms: int = 0) -> dict[str, Any]:
    """Create an organisation directly in the state, with DingTalk's rules but no API calls.

    ``data`` contains ``departments`` (``key``, ``name``, ``parent_key`` or null for the root,
    optional ``order``; parents before children; the key becomes ``source_identifier``),
    ``users`` (``userid``, ``name``, ``mobile``, ``department_keys``, optional ``title``,
    ``job_number``, ``email``, ``remark``, ``active``), and optionally ``role_group`` with
    ``roles`` (``name``, ``userids``). Returns the ids created: ``department_ids`` by key,
    ``role_group_id`` and ``role_ids`` by name.
    """
    department_ids: dict[str, int] = {}
    for item in data.get("departments") or []:
        parent_key = item.get("parent_key")
        parent_id = department_ids[parent_key] if parent_key is not None else 1
        department = state.create_department(
            str(item["name"]),
            parent_id,
            order=item.get("order"),
            source_identifier=str(item["key"]),
        )
        department_ids[str(item["key"])] = department.dept_id

    for item in data.get("users") or []:
        user = state.create_user(
            userid=str(item["userid"]),
            name=str(item["name"]),
            mobile=str(item["mobile"]),
            dept_id_list=[department_ids[key] for key in item["department_keys"]],
            created_ms=now_ms,
            title=item.get("title"),
            job_number=item.get("job_number"),
            email=item.get("email"),
            remark=item.get("remark"),
        )
        user.active = bool(item.get("active", True))

    role_ids: dict[str, int] = {}
    group_id = None
    if data.get("roles"):
        group_id = state.add_role_group(str(data.get("role_group") or "标签")).group_id
        for item in data["roles"]:
            role = state.add_role(str(item["name"]), group_id)
            role_ids[role.name] = role.role_id
            userids = [str(userid) for userid in item.get("userids") or []]
            if userids:
                state.add_roles_to_users([role.role_id], userids)
    return {"department_ids": department_ids, "role_group_id": group_id, "role_ids": role_ids}
