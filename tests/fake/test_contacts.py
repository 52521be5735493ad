"""The fake's contacts handlers on the wire: DingTalk's forms, codes and the control plane."""

from __future__ import annotations

import httpx
import pytest

from censusdt.census.orgseed import plan_seed_data
from censusdt.census.plan import OrgPlan
from censusdt_fake.models.contacts import ContactsState


def _token(fake) -> str:
    return fake.issue_token(fake.default_corp, fake.default_app).value


def _post(fake, path, body=None, *, form=False):
    client = httpx.Client(transport=fake.transport(), base_url="https://oapi.dingtalk.com")
    params = {"access_token": _token(fake)}
    if form:
        response = client.post(path, params=params, data=body)
    else:
        response = client.post(path, params=params, json=body)
    assert response.status_code == 200
    return response.json()


def _state(fake) -> ContactsState:
    return fake.default_corp.ext(ContactsState)


def test_numbers_and_booleans_as_strings(dingtalk_fake):
    # DingTalk's Java SDK sends every scalar as a string.
    reply = _post(
        dingtalk_fake,
        "/topapi/v2/department/create",
        {"name": "办公室", "parent_id": "1", "create_dept_group": "false", "order": "5"},
    )
    assert reply["errcode"] == 0
    dept_id = reply["result"]["dept_id"]
    assert _state(dingtalk_fake).departments[dept_id].order == 5


def test_form_encoded_body(dingtalk_fake):
    reply = _post(
        dingtalk_fake, "/topapi/v2/department/create", {"name": "业务组", "parent_id": "1"}, form=True
    )
    assert reply["errcode"] == 0


def test_create_user_reply_spells_union_id_camel(dingtalk_fake):
    dept = _state(dingtalk_fake).create_department("办公室", 1).dept_id
    reply = _post(
        dingtalk_fake,
        "/topapi/v2/user/create",
        {"name": "张三", "mobile": "15400000001", "dept_id_list": f"{dept}"},
    )
    assert set(reply["result"]) == {"userid", "unionId"}
    got = _post(dingtalk_fake, "/topapi/v2/user/get", {"userid": reply["result"]["userid"]})
    assert got["result"]["unionid"] == reply["result"]["unionId"]
    assert "unionId" not in got["result"]


@pytest.mark.parametrize(
    ("path", "body", "errcode"),
    [
        ("/topapi/v2/department/create", {"parent_id": 1}, 40035),
        ("/topapi/v2/department/create", {"name": "a,b", "parent_id": 1}, 60009),
        ("/topapi/v2/department/create", {"name": "x" * 65, "parent_id": 1}, 60001),
        ("/topapi/v2/department/update", {"dept_id": 1, "name": "新"}, 60018),
        ("/topapi/v2/department/delete", {"dept_id": 1}, 60007),
        ("/topapi/v2/department/listsub", {"dept_id": 424242}, 60003),
        ("/topapi/v2/user/create", {"name": "甲", "mobile": "15400000009"}, 40035),
        ("/topapi/user/count", {}, 40035),
        ("/topapi/user/listsimple", {"dept_id": 1, "cursor": -1, "size": 10}, 40068),
        ("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 0}, 40069),
        ("/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 10, "order_field": "x"}, 40035),
        ("/topapi/inactive/user/v2/get", {"is_active": False, "offset": 0, "size": 10}, 40035),
        ("/topapi/role/getrole", {"roleId": 987654}, 33011),
        ("/topapi/role/deleterole", {"role_id": 1}, 23004),
        ("/role/add_role", {"roleName": "", "groupId": 1}, 34018),
        ("/role/add_role", {"roleName": "x", "groupId": 1}, 34020),
        ("/role/update_role", {"roleId": 1}, 660000),
        ("/topapi/v2/department/listparentbyuser", {"userid": "ghost"}, 33012),
        ("/topapi/v2/user/getbymobile", {"mobile": "15400000000"}, 60121),
    ],
)
def test_error_codes(dingtalk_fake, path, body, errcode):
    reply = _post(dingtalk_fake, path, body)
    assert reply["errcode"] == errcode
    assert reply["errmsg"]
    assert reply["request_id"].startswith("FAKE")


def test_listsub_returns_direct_children_only(dingtalk_fake):
    state = _state(dingtalk_fake)
    town = state.create_department("甲镇", 1).dept_id
    state.create_department("一村", town)
    reply = _post(dingtalk_fake, "/topapi/v2/department/listsub", {"dept_id": 1})
    assert [item["dept_id"] for item in reply["result"]] == [town]


def test_listsub_defaults_to_root(dingtalk_fake):
    state = _state(dingtalk_fake)
    town = state.create_department("甲镇", 1).dept_id
    reply = _post(dingtalk_fake, "/topapi/v2/department/listsub", {})
    assert [item["dept_id"] for item in reply["result"]] == [town]


def test_department_get_counts_members_below(dingtalk_fake):
    state = _state(dingtalk_fake)
    town = state.create_department("甲镇", 1).dept_id
    village = state.create_department("一村", town).dept_id
    state.create_user(userid="a", name="甲", mobile="15400000011", dept_id_list=[town])
    state.create_user(userid="b", name="乙", mobile="15400000012", dept_id_list=[village, town])
    result = _post(dingtalk_fake, "/topapi/v2/department/get", {"dept_id": town})["result"]
    assert result["member_count"] == 2
    assert result["owning_member_count"] == 2
    village_result = _post(dingtalk_fake, "/topapi/v2/department/get", {"dept_id": village})
    assert village_result["result"]["owning_member_count"] == 1


def test_user_list_last_page_has_no_cursor(dingtalk_fake):
    state = _state(dingtalk_fake)
    for index in range(3):
        state.create_user(userid=f"u{index}", name="甲", mobile=f"1540000002{index}", dept_id_list=[1])
    first = _post(dingtalk_fake, "/topapi/v2/user/list", {"dept_id": 1, "cursor": 0, "size": 2})
    assert first["result"]["has_more"] is True
    assert first["result"]["next_cursor"] == 2
    last = _post(dingtalk_fake, "/topapi/v2/user/list", {"dept_id": 1, "cursor": 2, "size": 2})
    assert last["result"]["has_more"] is False
    assert "next_cursor" not in last["result"]
    descending = _post(
        dingtalk_fake,
        "/topapi/v2/user/list",
        {"dept_id": 1, "cursor": 0, "size": 3, "order_field": "entry_desc"},
    )
    assert [item["userid"] for item in descending["result"]["list"]] == ["u2", "u1", "u0"]


def test_role_list_needs_offset_and_size_together(dingtalk_fake):
    state = _state(dingtalk_fake)
    for index in range(25):
        state.add_role_group(f"组{index}")
    only_size = _post(dingtalk_fake, "/topapi/role/list", {"size": 200})
    assert len(only_size["result"]["list"]) == 20
    assert only_size["result"]["hasMore"] is True
    both = _post(dingtalk_fake, "/topapi/role/list", {"size": 200, "offset": 0})
    assert len(both["result"]["list"]) == 26
    assert both["result"]["hasMore"] is False


def test_role_remove_limit_is_100_users(dingtalk_fake):
    state = _state(dingtalk_fake)
    group = state.add_role_group("人口普查").group_id
    role = state.add_role("普查员", group).role_id
    userids = []
    for index in range(101):
        userid = f"u{index}"
        state.create_user(userid=userid, name="甲", mobile=f"154000{index:05d}", dept_id_list=[1])
        userids.append(userid)
    state.add_roles_to_users([role], userids)
    too_many = _post(
        dingtalk_fake,
        "/topapi/role/removerolesforemps",
        {"roleIds": str(role), "userIds": ",".join(userids)},
    )
    assert too_many["errcode"] == 40032
    allowed = _post(
        dingtalk_fake,
        "/topapi/role/removerolesforemps",
        {"roleIds": str(role), "userIds": ",".join(userids[:100])},
    )
    assert allowed["errcode"] == 0
    assert [user.userid for user in state.role_members(role)] == ["u100"]


def test_user_update_cannot_change_mobile(dingtalk_fake):
    state = _state(dingtalk_fake)
    state.create_user(userid="a", name="甲", mobile="15400000031", dept_id_list=[1])
    reply = _post(dingtalk_fake, "/topapi/v2/user/update", {"userid": "a", "mobile": "15400000032"})
    assert reply["errcode"] == 40022
    assert state.users["a"].mobile == "15400000031"


def test_update_is_all_or_nothing(dingtalk_fake):
    state = _state(dingtalk_fake)
    state.create_user(userid="a", name="甲", mobile="15400000041", dept_id_list=[1])
    reply = _post(
        dingtalk_fake, "/topapi/v2/user/update", {"userid": "a", "name": "乙", "dept_id_list": "999"}
    )
    assert reply["errcode"] == 60003
    assert state.users["a"].name == "甲"


def test_snapshot_restore_keeps_indexes(dingtalk_fake):
    state = _state(dingtalk_fake)
    state.create_user(userid="a", name="甲", mobile="15400000051", dept_id_list=[1])
    snapshot = dingtalk_fake.snapshot()
    state.delete_user("a")
    dingtalk_fake.restore(snapshot)
    restored = _state(dingtalk_fake)
    assert restored.user_by_mobile("15400000051").userid == "a"
    assert [user.userid for user in restored.members(1)] == ["a"]


# Control plane over HTTP.


def test_seed_and_activation_routes_over_http(dingtalk_server, dingtalk_fake):
    from censusdt.census.divisions import DivisionTable
    from censusdt.census.rostergen import generate_roster

    divisions = DivisionTable.builtin("3707")
    roster = generate_roster(divisions, "370772", seed=2)
    plan = OrgPlan.build(divisions, roster, county_code="370772")

    with httpx.Client(base_url=dingtalk_server.url) as client:
        seeded = client.post("/__fake__/contacts/seed", json=plan_seed_data(plan))
        assert seeded.status_code == 200
        assert len(seeded.json()["department_ids"]) == len(plan.departments)

        share = client.post("/__fake__/contacts/deactivate-share", json={"share": 0.5, "seed": 1})
        chosen = share.json()["userids"]
        assert len(chosen) == round(len(plan.users) * 0.5)

        back = client.post("/__fake__/contacts/activation", json={"userids": chosen[:3], "active": True})
        assert back.status_code == 200

        summary = client.get("/__fake__/contacts/summary").json()
    assert summary["users"] == len(plan.users)
    assert summary["departments"] == len(plan.departments) + 1
    assert summary["inactive_users"] == len(chosen) - 3
    assert summary["roles"] == len(plan.roles) + 4


def test_activation_route_rejects_unknown_user(dingtalk_server):
    with httpx.Client(base_url=dingtalk_server.url) as client:
        reply = client.post("/__fake__/contacts/activation", json={"userids": ["ghost"]})
    assert reply.status_code == 400
    assert "33012" in reply.json()["error"]
