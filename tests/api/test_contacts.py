"""Contacts and roles calls against the fake, sync and async, including DingTalk's error codes."""

from __future__ import annotations

import datetime as dt

import pytest

from censusdt import ConflictError, InvalidRequestError, NotFoundError, ValidationError
from censusdt_fake.models.contacts import ContactsState


def _state(fake) -> ContactsState:
    return fake.default_corp.ext(ContactsState)


# Departments.


def test_department_create_get_listsub(dingtalk, dingtalk_fake):
    town = dingtalk.contacts.create_department("圣城街道", 1, source_identifier="370783001000")
    village = dingtalk.contacts.create_department("东关社区", town, order=3)

    department = dingtalk.contacts.get_department(town)
    assert department.name == "圣城街道"
    assert department.parent_id == 1
    assert department.source_identifier == "370783001000"

    children = dingtalk.contacts.list_sub_departments(town)
    assert [child.dept_id for child in children] == [village]
    assert dingtalk.contacts.list_sub_department_ids(1) == [town]
    assert dingtalk.contacts.list_parent_departments(village) == [village, town, 1]


def test_department_duplicate_name_60021(dingtalk):
    dingtalk.contacts.create_department("办公室", 1)
    with pytest.raises(ConflictError) as caught:
        dingtalk.contacts.create_department("办公室", 1)
    assert caught.value.code == "60021"
    assert caught.value.message == "该部门下已存在同名部门"


def test_department_missing_parent_60004(dingtalk):
    with pytest.raises(NotFoundError) as caught:
        dingtalk.contacts.create_department("办公室", 999)
    assert caught.value.code == "60004"


def test_department_name_rejected_before_sending(dingtalk, dingtalk_fake):
    with pytest.raises(ValidationError) as caught:
        dingtalk.contacts.create_department("业务-组", 0)
    fields = [error.field for error in caught.value.errors]
    assert fields == ["name", "parent_id"]
    assert dingtalk_fake.calls("/topapi/v2/department/create") == []


def test_department_delete_rules(dingtalk):
    town = dingtalk.contacts.create_department("洛城街道", 1)
    village = dingtalk.contacts.create_department("一村", town)
    with pytest.raises(ConflictError) as children:
        dingtalk.contacts.delete_department(town)
    assert children.value.code == "60006"

    dingtalk.contacts.create_user(name="张三", mobile="15400000001", dept_ids=[village])
    with pytest.raises(ConflictError) as members:
        dingtalk.contacts.delete_department(village)
    assert members.value.code == "60005"


def test_department_update_moves_and_renames(dingtalk):
    first = dingtalk.contacts.create_department("甲镇", 1)
    second = dingtalk.contacts.create_department("乙镇", 1)
    village = dingtalk.contacts.create_department("一村", first)

    dingtalk.contacts.update_department(village, parent_id=second, name="二村")

    moved = dingtalk.contacts.get_department(village)
    assert moved.parent_id == second
    assert moved.name == "二村"
    assert dingtalk.contacts.list_sub_department_ids(first) == []


def test_department_move_into_child_60010(dingtalk):
    town = dingtalk.contacts.create_department("甲镇", 1)
    village = dingtalk.contacts.create_department("一村", town)
    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.contacts.update_department(town, parent_id=village)
    assert caught.value.code == "60010"


def test_department_get_unknown_60003(dingtalk):
    with pytest.raises(NotFoundError) as caught:
        dingtalk.contacts.get_department(12345)
    assert caught.value.code == "60003"
    assert caught.value.message == "部门不存在"


# Users.


def test_user_create_get_and_union_id(dingtalk, dingtalk_fake):
    dept = dingtalk.contacts.create_department("办公室", 1)
    created = dingtalk.contacts.create_user(
        userid="u1", name="李四", mobile="15400000002", dept_ids=[dept], title="普查员"
    )
    assert created.userid == "u1"
    assert created.union_id

    user = dingtalk.contacts.get_user("u1")
    assert user.union_id == created.union_id
    assert user.dept_id_list == [dept]
    assert user.title == "普查员"

    calls_before = len(dingtalk_fake.calls("/topapi/v2/user/get"))
    assert dingtalk.contacts.union_id("u1") == created.union_id
    assert len(dingtalk_fake.calls("/topapi/v2/user/get")) == calls_before


def test_union_id_fetches_once(dingtalk, dingtalk_fake):
    dept = dingtalk.contacts.create_department("办公室", 1)
    _state(dingtalk_fake).create_user(
        userid="seeded", name="王五", mobile="15400000003", dept_id_list=[dept]
    )
    first = dingtalk.contacts.union_id("seeded")
    second = dingtalk.contacts.union_id("seeded")
    assert first == second == _state(dingtalk_fake).users["seeded"].unionid
    assert len(dingtalk_fake.calls("/topapi/v2/user/get")) == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [({"userid": "u1"}, "60102"), ({"mobile": "15400000004"}, "60104")],
)
def test_user_duplicates(dingtalk, change, code):
    dept = dingtalk.contacts.create_department("办公室", 1)
    dingtalk.contacts.create_user(userid="u1", name="甲", mobile="15400000004", dept_ids=[dept])
    arguments = {"userid": "u2", "name": "乙", "mobile": "15400000005", "dept_ids": [dept]}
    arguments.update(change)
    with pytest.raises(ConflictError) as caught:
        dingtalk.contacts.create_user(**arguments)
    assert caught.value.code == code


def test_user_bad_mobile_60103(dingtalk):
    dept = dingtalk.contacts.create_department("办公室", 1)
    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.contacts.create_user(name="甲", mobile="abc", dept_ids=[dept])
    assert caught.value.code == "60103"


def test_user_update_replaces_departments(dingtalk):
    first = dingtalk.contacts.create_department("甲", 1)
    second = dingtalk.contacts.create_department("乙", 1)
    dingtalk.contacts.create_user(userid="u1", name="甲", mobile="15400000006", dept_ids=[first])

    dingtalk.contacts.update_user("u1", dept_ids=[second], name="甲改", remark="调动")

    user = dingtalk.contacts.get_user("u1")
    assert user.dept_id_list == [second]
    assert user.name == "甲改"
    assert user.remark == "调动"
    assert dingtalk.contacts.list_user_ids(first) == []


def test_user_get_unknown_60121(dingtalk):
    with pytest.raises(NotFoundError) as caught:
        dingtalk.contacts.get_user("nobody")
    assert caught.value.code == "60121"
    assert caught.value.message == "找不到该用户"


def test_user_delete_and_getbymobile(dingtalk):
    dept = dingtalk.contacts.create_department("办公室", 1)
    dingtalk.contacts.create_user(userid="u1", name="甲", mobile="15400000007", dept_ids=[dept])
    assert dingtalk.contacts.get_userid_by_mobile("15400000007") == "u1"

    dingtalk.contacts.delete_user("u1")

    with pytest.raises(NotFoundError) as caught:
        dingtalk.contacts.get_userid_by_mobile("15400000007")
    assert caught.value.code == "60121"


def test_user_list_pages_with_cursor(dingtalk, dingtalk_fake):
    dept = dingtalk.contacts.create_department("办公室", 1)
    state = _state(dingtalk_fake)
    for index in range(7):
        state.create_user(
            userid=f"u{index}", name=f"人{index}", mobile=f"1540000010{index}", dept_id_list=[dept]
        )

    users = list(dingtalk.contacts.list_users(dept, size=3))
    simple = list(dingtalk.contacts.list_simple_users(dept, size=3))

    assert [user.userid for user in users] == [f"u{index}" for index in range(7)]
    assert [user.userid for user in simple] == [f"u{index}" for index in range(7)]
    assert len(dingtalk_fake.calls("/topapi/v2/user/list")) == 3
    assert len(dingtalk_fake.calls("/topapi/user/listsimple")) == 3


def test_user_list_size_limit(dingtalk, dingtalk_fake):
    with pytest.raises(ValidationError) as caught:
        dingtalk.contacts.list_users(1, size=101)
    assert caught.value.errors[0].field == "size"
    assert dingtalk_fake.calls("/topapi/v2/user/list") == []


def test_user_list_bad_size_on_wire_40069(dingtalk):
    from censusdt.api.contacts import USER_LIST_SIMPLE

    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.request(USER_LIST_SIMPLE, json={"dept_id": 1, "cursor": 0, "size": 500})
    assert caught.value.code == "40069"


def test_user_count_and_inactive(dingtalk, dingtalk_fake):
    dept = dingtalk.contacts.create_department("办公室", 1)
    for index in range(5):
        dingtalk.contacts.create_user(
            userid=f"u{index}", name="甲", mobile=f"1540000020{index}", dept_ids=[dept]
        )
    _state(dingtalk_fake).set_active(["u1", "u3"], False)

    assert dingtalk.contacts.count_users() == 5
    assert dingtalk.contacts.count_users(only_active=True) == 3
    inactive = list(dingtalk.contacts.list_inactive_users(dt.date(2020, 11, 1), size=1))
    assert sorted(inactive) == ["u1", "u3"]
    assert len(dingtalk_fake.calls("/topapi/inactive/user/v2/get")) == 2


def test_listparentbyuser(dingtalk):
    town = dingtalk.contacts.create_department("甲镇", 1)
    village = dingtalk.contacts.create_department("一村", town)
    section = dingtalk.contacts.create_department("办公室", 1)
    dingtalk.contacts.create_user(
        userid="u1", name="甲", mobile="15400000301", dept_ids=[village, section]
    )
    assert dingtalk.contacts.list_user_parent_departments("u1") == [
        [village, town, 1],
        [section, 1],
    ]


# Roles.


def test_roles_create_assign_list(dingtalk):
    dept = dingtalk.contacts.create_department("办公室", 1)
    for index in range(3):
        dingtalk.contacts.create_user(
            userid=f"u{index}", name="甲", mobile=f"1540000040{index}", dept_ids=[dept]
        )
    group = dingtalk.contacts.add_role_group("人口普查")
    role = dingtalk.contacts.add_role("普查员", group)

    dingtalk.contacts.add_roles_to_users([role], ["u0", "u1", "u2"])
    dingtalk.contacts.remove_roles_from_users([role], ["u1"])

    members = list(dingtalk.contacts.list_role_members(role, size=1))
    assert [member.userid for member in members] == ["u0", "u2"]
    assert dingtalk.contacts.get_role(role).name == "普查员"
    assert dingtalk.contacts.get_role(role).group_id == group
    detail = dingtalk.contacts.get_role_group(group)
    assert detail.group_name == "人口普查"
    assert [item.role_id for item in detail.roles] == [role]
    groups = list(dingtalk.contacts.list_role_groups(size=1))
    assert [item.name for item in groups] == ["默认", "人口普查"]
    user = dingtalk.contacts.get_user("u0")
    assert [item.name for item in user.role_list] == ["普查员"]


def test_role_rename_and_delete(dingtalk):
    group = dingtalk.contacts.add_role_group("人口普查")
    role = dingtalk.contacts.add_role("普查员", group)
    dingtalk.contacts.update_role(role, "两员")
    assert dingtalk.contacts.get_role(role).name == "两员"

    dingtalk.contacts.delete_role(role)

    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.contacts.get_role(role)
    assert caught.value.code == "33011"


def test_role_duplicate_name_34021(dingtalk):
    group = dingtalk.contacts.add_role_group("人口普查")
    dingtalk.contacts.add_role("普查员", group)
    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.contacts.add_role("普查员", group)
    assert caught.value.code == "34021"
    assert caught.value.message == "角色名称已存在"


def test_builtin_role_cannot_be_assigned(dingtalk):
    dept = dingtalk.contacts.create_department("办公室", 1)
    dingtalk.contacts.create_user(userid="u1", name="甲", mobile="15400000501", dept_ids=[dept])
    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.contacts.add_roles_to_users([1], ["u1"])
    assert caught.value.code == "23004"


def test_role_batch_limits_client_side(dingtalk, dingtalk_fake):
    with pytest.raises(ValidationError) as too_many_users:
        dingtalk.contacts.add_roles_to_users([1001], [f"u{index}" for index in range(21)])
    assert too_many_users.value.errors[0].field == "userids"
    assert "at most 20" in too_many_users.value.errors[0].reason

    with pytest.raises(ValidationError) as too_many_roles:
        dingtalk.contacts.remove_roles_from_users(list(range(1, 22)), ["u1"])
    assert too_many_roles.value.errors[0].field == "role_ids"

    # 100 users is within the removal limit, so only the unknown role fails, on the server.
    with pytest.raises(InvalidRequestError) as unknown:
        dingtalk.contacts.remove_roles_from_users([999], [f"u{index}" for index in range(100)])
    assert unknown.value.code == "33011"
    assert len(dingtalk_fake.calls("/topapi/role/addrolesforemps")) == 0


def test_role_batch_limit_on_wire(dingtalk):
    from censusdt.api.contacts import ROLE_ADD_FOR_USERS

    userids = ",".join(f"u{index}" for index in range(21))
    with pytest.raises(InvalidRequestError) as caught:
        dingtalk.request(ROLE_ADD_FOR_USERS, json={"roleIds": "1001", "userIds": userids})
    assert caught.value.code == "40032"


def test_role_unknown_user_33012(dingtalk):
    group = dingtalk.contacts.add_role_group("人口普查")
    role = dingtalk.contacts.add_role("普查员", group)
    with pytest.raises(NotFoundError) as caught:
        dingtalk.contacts.add_roles_to_users([role], ["ghost"])
    assert caught.value.code == "33012"


# Async twins.


@pytest.mark.anyio
async def test_async_departments_and_users(async_dingtalk, dingtalk_fake):
    contacts = async_dingtalk.contacts
    town = await contacts.create_department("圣城街道", 1)
    created = await contacts.create_user(name="赵六", mobile="15400000601", dept_ids=[town])
    users = await contacts.list_users(town, size=1).collect()
    assert [user.userid for user in users] == [created.userid]
    assert await contacts.union_id(created.userid) == created.union_id
    with pytest.raises(ConflictError) as caught:
        await contacts.create_department("圣城街道", 1)
    assert caught.value.code == "60021"
    await async_dingtalk.aclose()


@pytest.mark.anyio
async def test_async_roles(async_dingtalk):
    contacts = async_dingtalk.contacts
    dept = await contacts.create_department("办公室", 1)
    await contacts.create_user(userid="u1", name="甲", mobile="15400000701", dept_ids=[dept])
    group = await contacts.add_role_group("人口普查")
    role = await contacts.add_role("党员", group)
    await contacts.add_roles_to_users([role], ["u1"])
    members = [member async for member in contacts.list_role_members(role)]
    assert [member.userid for member in members] == ["u1"]
    groups = await contacts.list_role_groups().collect()
    assert "人口普查" in [item.name for item in groups]
    await async_dingtalk.aclose()


def test_contacts_namespace_is_cached(dingtalk):
    assert dingtalk.contacts is dingtalk.contacts


def test_union_id_cached_from_user_list(dingtalk, dingtalk_fake):
    dept = dingtalk.contacts.create_department("办公室", 1)
    _state(dingtalk_fake).create_user(
        userid="listed", name="钱七", mobile="15400000801", dept_id_list=[dept]
    )
    list(dingtalk.contacts.list_users(dept))
    assert dingtalk.contacts.union_id("listed") == _state(dingtalk_fake).users["listed"].unionid
    assert dingtalk_fake.calls("/topapi/v2/user/get") == []
