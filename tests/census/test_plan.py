"""Org plan: departments from division codes and sections, users, and tags as roles."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest

from censusdt.census.divisions import Division, DivisionLevel, DivisionTable
from censusdt.census.plan import (
    DEFAULT_ROLE_GROUP,
    DepartmentKind,
    OrgPlan,
    PlanError,
    derive_userid,
    validate_department_name,
)
from censusdt.census.roster import (
    DEFAULT_SECTIONS,
    Post,
    Roster,
    StaffMember,
    read_roster,
    write_roster,
)
from censusdt.census.rostergen import generate_roster

SHOUGUANG = DivisionTable.builtin("370783")
WEIFANG = DivisionTable.builtin("3707")
COUNTY = "370783000000"
TOWN = "370783001000"
VILLAGE = "370783001001"
VILLAGE_2 = "370783001002"


def member(**changes: Any) -> StaffMember:
    base = StaffMember("张伟", "15400000001", Post.ENUMERATOR, (VILLAGE,))
    return attrs.evolve(base, **changes)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_generated_shouguang_plan(tmp_path: Path, suffix: str) -> None:
    generated = generate_roster(SHOUGUANG, "370783", seed=2020)
    path = tmp_path / f"shouguang{suffix}"
    write_roster(generated, path)
    roster = read_roster(path, SHOUGUANG)

    plan = OrgPlan.build(SHOUGUANG, roster)

    kinds = Counter(department.kind for department in plan.departments)
    division_kinds = (DepartmentKind.COUNTY, DepartmentKind.TOWN, DepartmentKind.VILLAGE)
    assert sum(kinds[kind] for kind in division_kinds) == 1028
    assert kinds[DepartmentKind.SECTION] == len(DEFAULT_SECTIONS)
    assert len(plan.departments) == 1028 + len(DEFAULT_SECTIONS)
    assert len(plan.users) == len(roster)
    assert {d.key for d in plan.departments if d.kind is DepartmentKind.SECTION} == set(
        DEFAULT_SECTIONS
    )


def test_departments_parents_first_with_keys() -> None:
    plan = OrgPlan.build(SHOUGUANG, Roster((member(),)), project_groups=("质量抽查组",))
    seen: set[str] = set()
    for department in plan.departments:
        assert department.parent_key is None or department.parent_key in seen
        seen.add(department.key)

    county = plan.department(COUNTY)
    assert county.parent_key is None
    assert county.name == "寿光市"
    assert plan.department(TOWN).parent_key == COUNTY
    assert plan.department(VILLAGE).parent_key == TOWN
    assert plan.department("办公室").parent_key == COUNTY
    assert plan.department("质量抽查组").kind is DepartmentKind.PROJECT_GROUP


def test_sibling_order_follows_codes() -> None:
    plan = OrgPlan.build(SHOUGUANG, Roster((member(),)))
    towns = [d for d in plan.departments if d.kind is DepartmentKind.TOWN]
    assert [t.order for t in towns] == list(range(1, 16))
    assert [t.key for t in towns] == sorted(t.key for t in towns)
    sections = [d for d in plan.departments if d.kind is DepartmentKind.SECTION]
    assert [s.order for s in sections] == [16, 17, 18, 19]


def test_user_departments_by_post() -> None:
    roster = Roster(
        (
            member(sections=("质量抽查组",)),
            member(mobile="15400000002", post=Post.SUPERVISOR, division_codes=(VILLAGE, VILLAGE_2)),
            member(mobile="15400000003", post=Post.TOWN_STAFF, division_codes=(TOWN,)),
            member(
                mobile="15400000004",
                post=Post.COUNTY_STAFF,
                division_codes=(COUNTY,),
                sections=("业务组", "业务主任组"),
            ),
            member(mobile="15400000005", post=Post.COUNTY_STAFF, division_codes=(COUNTY,)),
        ),
        project_groups=("质量抽查组",),
    )
    plan = OrgPlan.build(SHOUGUANG, roster)
    keys = [user.department_keys for user in plan.users]
    assert keys == [
        (VILLAGE, "质量抽查组"),
        (VILLAGE, VILLAGE_2),
        (TOWN,),
        ("业务组", "业务主任组"),
        (COUNTY,),
    ]
    assert [user.title for user in plan.users] == [m.post.value for m in roster]


def test_tags_become_roles() -> None:
    roster = Roster(
        (
            member(tags=("党员", "长表普查员")),
            member(mobile="15400000002", tags=("党员",)),
        )
    )
    plan = OrgPlan.build(SHOUGUANG, roster)
    assert plan.role_group == DEFAULT_ROLE_GROUP == "人口普查"
    roles = {role.name: role.member_mobiles for role in plan.roles}
    assert roles == {
        "党员": ("15400000001", "15400000002"),
        "长表普查员": ("15400000001",),
        "普查员": ("15400000001", "15400000002"),
    }
    without_posts = OrgPlan.build(SHOUGUANG, roster, post_tags=False, role_group="七人普")
    assert {role.name for role in without_posts.roles} == {"党员", "长表普查员"}
    assert without_posts.role_group == "七人普"


def test_userid_derivation() -> None:
    plain = member()
    numbered = member(job_number="RP0001")
    assert derive_userid(plain) == derive_userid(member(name="别名"))
    assert derive_userid(numbered) == derive_userid(
        member(mobile="15400000009", job_number="RP0001")
    )
    assert derive_userid(plain) != derive_userid(numbered)
    for userid in (derive_userid(plain), derive_userid(numbered)):
        assert userid.isascii()
        assert userid.isalnum()
        assert len(userid) <= 64
        assert "15400000001" not in userid


def test_plan_fields_copied_from_roster() -> None:
    roster = Roster((member(job_number="RP1", email="z@example.com", remark="兼职"),))
    (user,) = OrgPlan.build(SHOUGUANG, roster).users
    assert (user.name, user.mobile, user.job_number, user.email, user.remark) == (
        "张伟",
        "15400000001",
        "RP1",
        "z@example.com",
        "兼职",
    )
    assert "15400000001" not in repr(user)


def test_county_needed_for_several_counties() -> None:
    roster = Roster((member(), member(mobile="15400000002", division_codes=("370702001001",))))
    with pytest.raises(PlanError, match="has 13 counties and the roster names 2; pass county_code"):
        OrgPlan.build(WEIFANG, roster)


def test_county_inferred_from_roster() -> None:
    plan = OrgPlan.build(WEIFANG, Roster((member(),)))
    assert plan.county_code == COUNTY
    assert len(plan.departments) == 1028 + len(DEFAULT_SECTIONS)


def test_member_outside_county_rejected() -> None:
    roster = Roster((member(), member(mobile="15400000002", division_codes=("370702001001",))))
    with pytest.raises(PlanError) as caught:
        OrgPlan.build(WEIFANG, roster, county_code="370783")
    (problem,) = caught.value.problems
    assert "division 370702001001 is not in county 370783000000" in problem
    assert "154****0002" in problem


def test_bad_department_names_all_reported() -> None:
    with pytest.raises(PlanError) as caught:
        OrgPlan.build(
            SHOUGUANG,
            Roster((member(sections=("宣传组",)),)),
            sections=("办公室", "业务-组", "数据,处理组", ""),
            project_groups=("办公室", "x" * 65),
        )
    problems = caught.value.problems
    assert any("'业务-组' contains -" in p for p in problems)
    assert any("contains ," in p for p in problems)
    assert any("department name is empty" in p for p in problems)
    assert any("longer than 64" in p for p in problems)
    assert any("key '办公室' is used twice" in p for p in problems)
    assert any("same name '办公室'" in p for p in problems)
    assert any("'宣传组' is not planned" in p for p in problems)


def test_duplicate_village_names_rejected() -> None:
    rows = [SHOUGUANG.get(COUNTY), SHOUGUANG.get(TOWN), *SHOUGUANG.villages(TOWN)[:2]]
    rows[3] = attrs.evolve(rows[3], name=rows[2].name)
    table = DivisionTable(rows)
    with pytest.raises(PlanError, match="same name"):
        OrgPlan.build(table, Roster((member(),)))


def test_duplicate_members_rejected() -> None:
    roster = Roster((member(job_number="A"), member(mobile="15400000002", job_number="A")))
    with pytest.raises(PlanError, match="same userid"):
        OrgPlan.build(SHOUGUANG, roster)
    with pytest.raises(PlanError, match="planned twice"):
        OrgPlan.build(SHOUGUANG, Roster((member(), member(name="李娜"))))


def test_validate_department_name() -> None:
    assert validate_department_name("圣城街道") is None
    assert validate_department_name("a" * 64) is None
    assert validate_department_name("a" * 65) is not None
    for name in ("A-B", "A，B", "A,B", ""):
        assert validate_department_name(name) is not None


def test_custom_table_plan() -> None:
    county = Division(COUNTY, DivisionLevel.COUNTY, "寿光市", "370700000000")
    town = Division(TOWN, DivisionLevel.TOWN, "圣城街道", COUNTY)
    plan = OrgPlan.build(
        DivisionTable([county, town]),
        Roster((member(post=Post.TOWN_STAFF, division_codes=(TOWN,)),), sections=()),
    )
    assert [d.key for d in plan.departments] == [COUNTY, TOWN]


def test_plan_error_flags_other_county():
    from censusdt.census.plan import PlanError

    inside = PlanError(["张三 (154****0001): section or project group '组' is not planned"])
    outside = PlanError(["张三 (154****0001): division 370783001001 is not in county 370703000000"])

    assert not inside.outside_county
    assert outside.outside_county
