"""Roster generator: valid, realistic, deterministic rosters that survive a file round trip."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from censusdt.census.divisions import DivisionLevel, DivisionTable
from censusdt.census.roster import DEFAULT_SECTIONS, Post, Roster, read_roster, write_roster
from censusdt.census.rostercells import normalize_mobile
from censusdt.census.rostergen import SYNTHETIC_MOBILE_PREFIX, generate_roster

SHOUGUANG = DivisionTable.builtin("370783")
WEIFANG = DivisionTable.builtin("3707")
COUNTY = "370783000000"
GROUPS = ("质量抽查组", "宣传组")


@pytest.fixture(scope="module")
def shouguang_roster() -> Roster:
    return generate_roster(SHOUGUANG, "370783", seed=7, project_groups=GROUPS)


def test_same_seed_same_roster() -> None:
    first = generate_roster(SHOUGUANG, "370783", seed=3)
    second = generate_roster(SHOUGUANG, "370783000000", seed=3)
    other = generate_roster(SHOUGUANG, "370783", seed=4)
    assert first == second
    assert first != other


def test_generated_roster_validates(shouguang_roster: Roster) -> None:
    shouguang_roster.check(SHOUGUANG)
    assert shouguang_roster.sections == DEFAULT_SECTIONS
    assert shouguang_roster.project_groups == GROUPS


def test_mobiles_unique_and_synthetic(shouguang_roster: Roster) -> None:
    mobiles = [member.mobile for member in shouguang_roster]
    assert len(set(mobiles)) == len(mobiles)
    for mobile in mobiles:
        assert mobile.startswith(SYNTHETIC_MOBILE_PREFIX)
        assert normalize_mobile(mobile) == mobile


def test_every_village_has_enumerators(shouguang_roster: Roster) -> None:
    enumerators = Counter(
        code
        for member in shouguang_roster
        if member.post is Post.ENUMERATOR
        for code in member.division_codes
    )
    villages = {d.code for d in SHOUGUANG if d.level is DivisionLevel.VILLAGE}
    assert set(enumerators) == villages
    assert min(enumerators.values()) >= 1
    assert max(enumerators.values()) <= 3


def test_supervisors_guide_four_or_five(shouguang_roster: Roster) -> None:
    members = list(shouguang_roster)
    sizes: list[int] = []
    for index, member in enumerate(members):
        if member.post is not Post.SUPERVISOR:
            continue
        group = []
        for follower in members[index + 1 :]:
            if follower.post is not Post.ENUMERATOR:
                break
            group.append(follower)
        sizes.append(len(group))

        towns = {SHOUGUANG.get(code).parent_code for code in member.division_codes}
        levels = {SHOUGUANG.get(code).level for code in member.division_codes}
        if levels == {DivisionLevel.VILLAGE}:
            assert len(towns) == 1
            covered = {code for follower in group for code in follower.division_codes}
            assert covered == set(member.division_codes)
        else:
            assert levels == {DivisionLevel.TOWN}
            assert len(group) < 4
        assert member.remark == f"指导 {len(group)} 名普查员"

    share = sum(size in (4, 5) for size in sizes) / len(sizes)
    assert share > 0.95
    assert any(len(m.division_codes) > 1 for m in members if m.post is Post.SUPERVISOR)


def test_staff_of_sections_and_towns(shouguang_roster: Roster) -> None:
    county_staff = [m for m in shouguang_roster if m.post is Post.COUNTY_STAFF]
    assert {s for m in county_staff for s in m.sections} >= set(DEFAULT_SECTIONS)
    assert all(m.division_codes == (COUNTY,) for m in county_staff)
    assert all(m.job_number for m in county_staff)

    town_staff = [m for m in shouguang_roster if m.post is Post.TOWN_STAFF]
    assert {m.division_codes[0] for m in town_staff} == {t.code for t in SHOUGUANG.towns(COUNTY)}

    in_groups = [m for m in shouguang_roster if set(m.sections) & set(GROUPS)]
    assert {g for m in in_groups for g in m.sections if g in GROUPS} == set(GROUPS)


def test_several_tags_and_departments(shouguang_roster: Roster) -> None:
    assert any(len(m.tags) >= 2 for m in shouguang_roster)
    assert any(len(m.sections) >= 2 for m in shouguang_roster)
    names = [m.name for m in shouguang_roster]
    assert all(2 <= len(name) <= 3 for name in names)
    surnames = Counter(name[0] for name in names)
    assert surnames.most_common(1)[0][0] in "王张李刘"


@pytest.mark.parametrize(
    ("suffix", "encoding"), [(".xlsx", "utf-8"), (".csv", "utf-8-sig"), (".csv", "gb18030")]
)
def test_round_trip(tmp_path: Path, shouguang_roster: Roster, suffix: str, encoding: str) -> None:
    path = tmp_path / f"roster{suffix}"
    write_roster(shouguang_roster, path, encoding=encoding)
    assert read_roster(path, SHOUGUANG, project_groups=GROUPS) == shouguang_roster


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32), county=st.sampled_from([c.code for c in WEIFANG.counties()]))
def test_any_weifang_county_validates(seed: int, county: str) -> None:
    roster = generate_roster(WEIFANG, county, seed, enumerators_per_village=(1, 1))
    roster.check(WEIFANG)
    codes = {code for member in roster for code in member.division_codes}
    assert {WEIFANG.county_of(code).code for code in codes} == {county}


def test_rejects_non_county() -> None:
    with pytest.raises(ValueError, match="is a town, not a county"):
        generate_roster(SHOUGUANG, "370783001000", seed=1)
    with pytest.raises(ValueError, match="invalid county code"):
        generate_roster(SHOUGUANG, "37", seed=1)
