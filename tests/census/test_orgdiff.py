"""Org diff: applied to a live org it yields the plan, twice yields nothing, and resumes."""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from inmemory_org import MemoryExecutor, apply_diff, mismatches

from censusdt.census.divisions import DivisionLevel, DivisionTable
from censusdt.census.live import ROOT_DEPT_ID, LiveDepartment, LiveOrg, LiveRole, LiveUser
from censusdt.census.orgdiffops import (
    AssignRole,
    CreateDepartment,
    CreateUser,
    DeleteDepartment,
    DeleteUser,
    UnassignRole,
    UpdateDepartment,
    UpdateUser,
)
from censusdt.census.plan import OrgPlan, derive_userid
from censusdt.census.roster import Post, Roster, StaffMember
from censusdt.census.rostergen import generate_roster
from censusdt.census.rosterissues import Language

COUNTY = "370783000000"
TAG_POOL = ("党员", "业务骨干", "长表普查员", "培训讲师", "联络员")
PROJECT_GROUPS = ("质量抽查组",)


def small_table(rename_village: bool = False) -> DivisionTable:
    """Shouguang with two towns of three villages each; optionally one village renamed."""
    full = DivisionTable.builtin("370783")
    rows = [full.get(COUNTY)]
    for town in full.towns(COUNTY)[:2]:
        rows.append(town)
        rows.extend(full.villages(town.code)[:3])
    if rename_village:
        village = rows[2]
        rows[2] = attrs.evolve(village, name=village.name + "新")
    return DivisionTable(rows)


TABLE = small_table()
RENAMED_TABLE = small_table(rename_village=True)
TOWNS = [d for d in TABLE if d.level is DivisionLevel.TOWN]
VILLAGES = [d for d in TABLE if d.level is DivisionLevel.VILLAGE]


def base_roster(seed: int) -> Roster:
    return generate_roster(TABLE, COUNTY, seed, project_groups=PROJECT_GROUPS)


@st.composite
def codes_for(draw: st.DrawFn, post: Post) -> tuple[str, ...]:
    if post is Post.ENUMERATOR:
        return (draw(st.sampled_from(VILLAGES)).code,)
    if post is Post.SUPERVISOR:
        town = draw(st.sampled_from(TOWNS))
        villages = [v.code for v in VILLAGES if v.parent_code == town.code]
        chosen = draw(st.lists(st.sampled_from(villages), min_size=1, max_size=3, unique=True))
        return tuple(chosen) if draw(st.booleans()) else (town.code,)
    if post is Post.TOWN_STAFF:
        return (draw(st.sampled_from(TOWNS)).code,)
    return (COUNTY,)


@st.composite
def edited(draw: st.DrawFn, roster: Roster) -> Roster:
    """Apply random roster edits: add and remove people, move them, change tags and sections."""
    members = list(roster.members)
    sections = (*roster.sections, *roster.project_groups)
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(
            st.sampled_from(["add", "remove", "move", "tags", "sections", "post", "fields"])
        )
        if kind == "add" or not members:
            mobile = f"154{draw(st.integers(0, 10**8 - 1)):08d}"
            if any(member.mobile == mobile for member in members):
                continue
            post = draw(st.sampled_from(list(Post)))
            members.append(
                StaffMember(
                    name=draw(st.sampled_from(["新人甲", "新人乙", "欧阳明", "买买提·艾力"])),
                    mobile=mobile,
                    post=post,
                    division_codes=draw(codes_for(post)),
                    sections=tuple(
                        draw(st.lists(st.sampled_from(sections), max_size=2, unique=True))
                    ),
                    tags=tuple(draw(st.lists(st.sampled_from(TAG_POOL), max_size=3, unique=True))),
                    job_number=f"JN{mobile}" if draw(st.booleans()) else None,
                )
            )
            continue

        index = draw(st.integers(0, len(members) - 1))
        member = members[index]
        if kind == "remove":
            del members[index]
        elif kind == "move":
            members[index] = attrs.evolve(member, division_codes=draw(codes_for(member.post)))
        elif kind == "tags":
            tags = draw(st.lists(st.sampled_from(TAG_POOL), max_size=3, unique=True))
            members[index] = attrs.evolve(member, tags=tuple(tags))
        elif kind == "sections":
            chosen = draw(st.lists(st.sampled_from(sections), max_size=3, unique=True))
            members[index] = attrs.evolve(member, sections=tuple(chosen))
        elif kind == "post":
            post = draw(st.sampled_from(list(Post)))
            members[index] = attrs.evolve(member, post=post, division_codes=draw(codes_for(post)))
        else:
            members[index] = attrs.evolve(
                member,
                name=member.name + draw(st.sampled_from(["", "华"])),
                email=draw(st.sampled_from([None, f"m{member.mobile}@example.com"])),
                job_number=draw(st.sampled_from([None, member.job_number, f"JX{member.mobile}"])),
                remark=draw(st.sampled_from([None, "调岗", member.remark])),
            )
    result = attrs.evolve(roster, members=tuple(members))
    result.check(TABLE)
    return result


def tamper(data: st.DataObject, live: LiveOrg, role_group: str) -> None:
    """Change the live org by hand the way office staff do: renames, moves, strays, deletions."""
    draw = data.draw
    managed = [d for d in live.departments if d.dept_id != ROOT_DEPT_ID]
    villages = [d for d in managed if d.source_identifier in {v.code for v in VILLAGES}]
    towns = [d for d in managed if d.source_identifier in {t.code for t in TOWNS}]
    group = next(g for g in live.role_groups if g.name == role_group)
    next_id = 900_000
    for _ in range(draw(st.integers(0, 6))):
        next_id += 1
        kind = draw(
            st.sampled_from(
                [
                    "rename",
                    "move",
                    "forget_key",
                    "order",
                    "title",
                    "role",
                    "stray_user",
                    "stray_department",
                    "join_stray",
                    "stray_role",
                    "delete_user",
                    "move_user",
                ]
            )
        )
        note(f"tamper: {kind}")
        if kind == "rename":
            department = draw(st.sampled_from(managed))
            department.name += "旧"
        elif kind == "move":
            village = draw(st.sampled_from(villages))
            town = draw(st.sampled_from(towns))
            siblings = {d.name for d in live.departments if d.parent_id == town.dept_id}
            if village.name not in siblings:
                village.parent_id = town.dept_id
        elif kind == "forget_key":
            # The county keeps its key: a county that loses key and name is a foreign tree
            # (see test_unrecognised_county_is_foreign).
            below_county = [d for d in managed if d.source_identifier != COUNTY]
            draw(st.sampled_from(below_county)).source_identifier = None
        elif kind == "order":
            draw(st.sampled_from(managed)).order = 99
        elif kind == "title" and live.users:
            draw(st.sampled_from(live.users)).title = "临时工"
        elif kind == "role" and live.roles:
            role = draw(st.sampled_from(live.roles))
            if role.userids:
                role.userids.pop(0)
        elif kind == "stray_user":
            village = draw(st.sampled_from(villages))
            live.users.append(
                LiveUser(
                    f"stray{next_id}", "路人", f"1550000{next_id % 10000:04d}", [village.dept_id]
                )
            )
        elif kind == "stray_department":
            parent = draw(st.sampled_from(towns))
            live.departments.append(LiveDepartment(next_id, f"临时部门{next_id}", parent.dept_id))
        elif kind == "join_stray" and live.users:
            parent = draw(st.sampled_from(towns))
            live.departments.append(LiveDepartment(next_id, f"兼职部门{next_id}", parent.dept_id))
            draw(st.sampled_from(live.users)).dept_id_list.append(next_id)
        elif kind == "stray_role":
            members = [live.users[0].userid] if live.users else []
            live.roles.append(LiveRole(next_id, f"旧标签{next_id}", group.group_id, members))
        elif kind == "delete_user" and live.users:
            user = draw(st.sampled_from(live.users))
            live.users.remove(user)
            for role in live.roles:
                if user.userid in role.userids:
                    role.userids.remove(user.userid)
        elif kind == "move_user" and live.users:
            draw(st.sampled_from(live.users)).dept_id_list = [
                draw(st.sampled_from(villages)).dept_id
            ]


@given(seed=st.integers(0, 1000), data=st.data())
def test_diff_applied_matches_plan(seed: int, data: st.DataObject) -> None:
    roster = base_roster(seed)
    plan = OrgPlan.build(TABLE, roster)
    live = LiveOrg.empty("寿光市人普办")
    apply_diff(plan, live)
    assert mismatches(live, plan, exact=True) == []
    assert plan.diff(live, remove_extra=True).is_empty

    tamper(data, live, plan.role_group)
    new_roster = data.draw(edited(roster))
    table = RENAMED_TABLE if data.draw(st.booleans()) else TABLE
    new_plan = OrgPlan.build(table, new_roster)
    diff = apply_diff(new_plan, live, remove_extra=True)
    note(diff.describe("en", limit=None))

    assert mismatches(live, new_plan, exact=True) == []
    again = new_plan.diff(live, remove_extra=True)
    assert again.is_empty, again.describe("en")
    assert again.extra_users == ()
    assert again.extra_departments == ()


@given(seed=st.integers(0, 1000), data=st.data())
def test_diff_without_removal_keeps_extras(seed: int, data: st.DataObject) -> None:
    roster = base_roster(seed)
    plan = OrgPlan.build(TABLE, roster)
    live = LiveOrg.empty()
    apply_diff(plan, live)
    tamper(data, live, plan.role_group)
    new_plan = OrgPlan.build(TABLE, data.draw(edited(roster)))
    planned_mobiles = {user.mobile for user in new_plan.users}
    unplanned = {user.userid for user in live.users if user.mobile not in planned_mobiles}
    departments_before = {department.dept_id for department in live.departments}

    diff = apply_diff(new_plan, live, remove_extra=False)

    assert diff.of_type(DeleteUser) == []
    assert diff.of_type(DeleteDepartment) == []
    assert unplanned <= {user.userid for user in live.users}
    assert departments_before <= {department.dept_id for department in live.departments}
    assert mismatches(live, new_plan, exact=False) == []
    again = new_plan.diff(live)
    assert again.is_empty, again.describe("en")


@given(seed=st.integers(0, 1000), data=st.data())
def test_interrupted_apply_resumes(seed: int, data: st.DataObject) -> None:
    roster = base_roster(seed)
    plan = OrgPlan.build(TABLE, roster)
    live = LiveOrg.empty()
    first = plan.diff(live)
    stop_after = data.draw(st.integers(0, len(first.operations)))
    MemoryExecutor(live, plan.role_group).run(first, stop_after=stop_after)

    second = plan.diff(live)
    MemoryExecutor(live, plan.role_group).run(second)

    assert mismatches(live, plan, exact=True) == []
    sent = first.operations[:stop_after]
    created = {op.userid for op in sent if isinstance(op, CreateUser)}
    assert not created & {op.userid for op in second.of_type(CreateUser)}
    assert plan.diff(live).is_empty


def built_org(roster: Roster) -> tuple[OrgPlan, LiveOrg]:
    plan = OrgPlan.build(TABLE, roster)
    live = LiveOrg.empty()
    apply_diff(plan, live)
    return plan, live


def test_department_creates_come_parents_first() -> None:
    plan = OrgPlan.build(TABLE, base_roster(1))
    diff = plan.diff(LiveOrg.empty())
    created: set[str] = set()
    for op in diff.of_type(CreateDepartment):
        assert op.parent_key is None or op.parent_key in created
        created.add(op.key)
    assert created == {department.key for department in plan.departments}


def test_unchanged_plan_diffs_to_nothing() -> None:
    plan, live = built_org(base_roster(2))
    diff = plan.diff(live, remove_extra=True)
    assert diff.is_empty
    assert diff.summary().describe("en") == "Summary: no changes"
    assert diff.describe() == "钉钉与计划一致，没有需要同步的变更。"


def test_hidden_mobiles_match_by_userid() -> None:
    plan, live = built_org(base_roster(3))
    for user in live.users:
        user.mobile = None
    assert plan.diff(live, remove_extra=True).is_empty


def test_changed_job_number_keeps_live_user() -> None:
    roster = base_roster(4)
    _plan, live = built_org(roster)
    member = next(m for m in roster if m.job_number)
    changed = attrs.evolve(member, job_number="NEW-001")
    members = tuple(changed if m is member else m for m in roster.members)
    new_plan = OrgPlan.build(TABLE, attrs.evolve(roster, members=members))

    diff = new_plan.diff(live)

    assert diff.of_type(CreateUser) == []
    (update,) = diff.of_type(UpdateUser)
    assert update.userid == derive_userid(member)
    assert update.changed_fields == {"job_number"}


def test_taken_userid_gets_fallback() -> None:
    roster = base_roster(5)
    _plan, live = built_org(roster)
    holder = next(m for m in roster if m.job_number)
    newcomer = StaffMember(
        name="新人",
        mobile="15400000001",
        post=Post.COUNTY_STAFF,
        division_codes=(COUNTY,),
        job_number=holder.job_number,
    )
    members = tuple(
        attrs.evolve(m, job_number="MOVED-1") if m is holder else m for m in roster.members
    )
    new_plan = OrgPlan.build(TABLE, attrs.evolve(roster, members=(*members, newcomer)))

    diff = new_plan.diff(live)

    (create,) = diff.of_type(CreateUser)
    assert new_plan.user(newcomer.mobile).userid == derive_userid(holder)
    assert create.userid not in {user.userid for user in live.users}
    MemoryExecutor(live, new_plan.role_group).run(diff)
    assert mismatches(live, new_plan, exact=True) == []
    assert new_plan.diff(live).is_empty


def test_changed_mobile_matched_by_userid() -> None:
    roster = base_roster(5)
    plan, live = built_org(roster)
    member = roster.members[0]
    user = live.user(derive_userid(member))
    assert user is not None
    user.mobile = "15400000002"

    diff = plan.diff(live)

    assert diff.of_type(CreateUser) == []
    (update,) = diff.of_type(UpdateUser)
    assert update.changed_fields == {"mobile"}
    assert update.mobile == member.mobile
    assert "154****0002" in diff.describe()


def test_unrecognised_county_is_foreign() -> None:
    plan, live = built_org(base_roster(6))
    county = next(d for d in live.departments if d.source_identifier == COUNTY)
    county.source_identifier = None
    county.name = "寿光市（旧）"

    diff = plan.diff(live, remove_extra=True)

    assert COUNTY in {op.key for op in diff.of_type(CreateDepartment)}
    assert county.dept_id not in {d.dept_id for d in diff.extra_departments}
    assert county.dept_id not in {op.dept_id for op in diff.of_type(DeleteDepartment)}


def test_hand_made_department_is_adopted_by_name() -> None:
    plan = OrgPlan.build(TABLE, base_roster(6))
    live = LiveOrg.empty()
    live.departments.append(LiveDepartment(500, "寿光市", ROOT_DEPT_ID))

    diff = plan.diff(live)

    assert diff.department_ids[COUNTY] == 500
    assert COUNTY not in {op.key for op in diff.of_type(CreateDepartment)}
    (update,) = [op for op in diff.of_type(UpdateDepartment) if op.key == COUNTY]
    assert update.changed_fields == {"source_identifier"}


def test_renamed_village_is_updated_not_recreated() -> None:
    _plan, live = built_org(base_roster(7))
    new_plan = OrgPlan.build(RENAMED_TABLE, base_roster(7))

    diff = new_plan.diff(live)

    assert diff.of_type(CreateDepartment) == []
    (update,) = diff.of_type(UpdateDepartment)
    assert update.changed_fields == {"name"}
    assert update.name.endswith("新")
    assert f"名称 {update.name[:-1]} → {update.name}" in diff.describe()
    assert f"name {update.name[:-1]} → {update.name}" in diff.describe("en")


def test_extras_deleted_children_first() -> None:
    plan, live = built_org(base_roster(8))
    town = next(d for d in live.departments if d.source_identifier == TOWNS[0].code)
    live.departments.append(LiveDepartment(700, "旧片区", town.dept_id))
    live.departments.append(LiveDepartment(701, "旧片区一组", 700))
    live.users.append(LiveUser("old1", "旧人员", "15500000001", [701]))

    kept = plan.diff(live)
    removed = plan.diff(live, remove_extra=True)

    assert kept.is_empty
    assert {d.dept_id for d in kept.extra_departments} == {700, 701}
    assert [u.userid for u in kept.extra_users] == ["old1"]
    assert "旧片区一组" in kept.describe()
    deletes = [op.dept_id for op in removed.of_type(DeleteDepartment)]
    assert deletes == [701, 700]
    assert removed.of_type(DeleteUser) == [DeleteUser("old1", "旧人员")]
    MemoryExecutor(live, plan.role_group).run(removed)
    assert mismatches(live, plan, exact=True) == []


def test_foreign_user_keeps_outside_departments() -> None:
    plan, live = built_org(base_roster(9))
    village = next(d for d in live.departments if d.source_identifier == VILLAGES[0].code)
    live.users.append(LiveUser("boss", "局长", "15500000002", [ROOT_DEPT_ID, village.dept_id]))

    diff = plan.diff(live, remove_extra=True)

    (update,) = [op for op in diff.of_type(UpdateUser) if op.userid == "boss"]
    assert update.department_keys == ()
    assert update.kept_dept_ids == (ROOT_DEPT_ID,)
    assert diff.of_type(DeleteUser) == []
    MemoryExecutor(live, plan.role_group).run(diff)
    boss = live.user("boss")
    assert boss is not None
    assert boss.dept_id_list == [ROOT_DEPT_ID]


def test_lost_tag_unassigns_only_planned_users() -> None:
    roster = base_roster(10)
    _plan, live = built_org(roster)
    member = next(m for m in roster if "党员" in m.tags)
    role = next(r for r in live.roles if r.name == "党员")
    role.userids.append("outsider")
    live.users.append(LiveUser("outsider", "外人", "15500000003", [ROOT_DEPT_ID]))
    members = tuple(
        attrs.evolve(m, tags=tuple(t for t in m.tags if t != "党员")) if m is member else m
        for m in roster.members
    )
    new_plan = OrgPlan.build(TABLE, attrs.evolve(roster, members=members))

    kept = new_plan.diff(live)
    removed = new_plan.diff(live, remove_extra=True)

    assert kept.of_type(UnassignRole) == [
        UnassignRole("党员", role.role_id, (derive_userid(member),))
    ]
    assert {u for op in removed.of_type(UnassignRole) for u in op.userids} == {
        derive_userid(member),
        "outsider",
    }


def test_new_role_assignment_waits_for_role() -> None:
    plan = OrgPlan.build(TABLE, base_roster(11))
    diff = plan.diff(LiveOrg.empty())
    assignments = diff.of_type(AssignRole)
    assert assignments
    assert all(op.role_id is None for op in assignments)
    assert {op.role_name for op in assignments} == {role.name for role in plan.roles}


def test_describe_masks_mobiles() -> None:
    plan = OrgPlan.build(TABLE, base_roster(12))
    diff = plan.diff(LiveOrg.empty())
    languages: tuple[Language, ...] = ("zh", "en")
    for lang in languages:
        text = diff.describe(lang, limit=None)
        assert not re.search(r"1[3-9]\d{9}", text)
        assert "154****" in text


def test_summary_counts() -> None:
    plan = OrgPlan.build(TABLE, base_roster(13))
    summary = plan.diff(LiveOrg.empty()).summary()
    assert summary.departments_to_create == len(plan.departments)
    assert summary.users_to_create == len(plan.users)
    assert summary.role_groups_to_create == 1
    assert summary.roles_to_create == len(plan.roles)
    assert summary.role_members_to_add == sum(len(r.member_mobiles) for r in plan.roles)
    assert summary.describe().startswith(f"汇总：新建部门 {len(plan.departments)}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_describe_limit_hides_rest(lang: str) -> None:
    plan = OrgPlan.build(TABLE, base_roster(14))
    text = plan.diff(LiveOrg.empty()).describe(lang, limit=2)  # type: ignore[arg-type]
    hidden = len(plan.users) - 2
    expected = f"另有 {hidden} 项" if lang == "zh" else f"and {hidden} more"
    assert expected in text
