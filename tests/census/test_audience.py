"""Audiences: set algebra over tags, departments and people, checked against plain sets."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from censusdt.census.audience import (
    Audience,
    AudienceError,
    ContactsSnapshot,
    Dept,
    Everyone,
    People,
    SnapshotDepartment,
    SnapshotUser,
    Tag,
)

TAGS = ["普查员", "普查指导员", "长表普查员", "业务组"]


@st.composite
def snapshots(draw: st.DrawFn) -> ContactsSnapshot:
    count = draw(st.integers(min_value=1, max_value=8))
    departments = [SnapshotDepartment(1, "寿光市", None)]
    for number in range(count):
        parent = draw(st.sampled_from([d.dept_id for d in departments]))
        departments.append(SnapshotDepartment(100 + number, f"部门{number}", parent))
    dept_ids = [d.dept_id for d in departments]
    users = []
    for number in range(draw(st.integers(min_value=1, max_value=25))):
        users.append(
            SnapshotUser(
                f"u{number}",
                f"人{number}",
                tuple(
                    draw(st.lists(st.sampled_from(dept_ids), min_size=1, max_size=2, unique=True))
                ),
                frozenset(draw(st.lists(st.sampled_from(TAGS), max_size=3))),
            )
        )
    # Every tag exists on someone, so any Tag in an expression resolves.
    users.append(SnapshotUser("tagged", "全标签", (1,), frozenset(TAGS)))
    return ContactsSnapshot.build(departments, users)


def _below(snapshot: ContactsSnapshot, dept_id: int) -> set[int]:
    # Independent of ContactsSnapshot.descendants: walk each department's parents upward.
    found = set()
    for candidate in snapshot.departments.values():
        current: int | None = candidate.dept_id
        while current is not None:
            if current == dept_id:
                found.add(candidate.dept_id)
                break
            current = snapshot.departments[current].parent_id
    return found


def _leaf(snapshot: ContactsSnapshot, draw: st.DrawFn) -> tuple[Audience, set[str]]:
    kind = draw(st.sampled_from(["tag", "dept", "dept_only", "people"]))
    if kind == "tag":
        tag = draw(st.sampled_from(TAGS))
        return Tag(tag), {u.userid for u in snapshot.users.values() if tag in u.tags}
    if kind in {"dept", "dept_only"}:
        dept_id = draw(st.sampled_from(sorted(snapshot.departments)))
        covered = _below(snapshot, dept_id) if kind == "dept" else {dept_id}
        members = {u.userid for u in snapshot.users.values() if set(u.dept_ids) & covered}
        return Dept(dept_id, include_sub=kind == "dept"), members
    chosen = draw(
        st.lists(st.sampled_from(sorted(snapshot.users)), min_size=1, max_size=4, unique=True)
    )
    return People(*chosen), set(chosen)


@st.composite
def expressions(
    draw: st.DrawFn, snapshot: ContactsSnapshot, depth: int = 3
) -> tuple[Audience, set[str]]:
    if depth == 0 or draw(st.booleans()):
        return _leaf(snapshot, draw)
    left, left_set = draw(expressions(snapshot, depth - 1))
    right, right_set = draw(expressions(snapshot, depth - 1))
    operator = draw(st.sampled_from(["|", "&", "-"]))
    if operator == "|":
        return left | right, left_set | right_set
    if operator == "&":
        return left & right, left_set & right_set
    return left - right, left_set - right_set


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_resolution_matches_set_model(data: Any) -> None:
    snapshot = data.draw(snapshots())
    audience, expected = data.draw(expressions(snapshot))
    userids = audience.userids(snapshot)
    assert set(userids) == expected
    assert len(userids) == len(set(userids))
    # Members come in the snapshot's order.
    order = list(snapshot.users)
    assert userids == sorted(userids, key=order.index)
    explained = audience.explain(snapshot)
    assert set(explained) == expected
    assert all(explained.values())


@settings(max_examples=50, deadline=None)
@given(snapshot=snapshots())
def test_snapshot_json_round_trip(snapshot: ContactsSnapshot) -> None:
    assert ContactsSnapshot.from_json(snapshot.to_json()) == snapshot


def _town_snapshot() -> ContactsSnapshot:
    return ContactsSnapshot.build(
        [
            SnapshotDepartment(1, "寿光市", None),
            SnapshotDepartment(2, "圣城街道", 1),
            SnapshotDepartment(3, "东关村", 2),
            SnapshotDepartment(4, "古城街道", 1),
            SnapshotDepartment(5, "东关村", 4),
        ],
        [
            SnapshotUser("zhang", "张三", (2,), frozenset({"普查指导员"})),
            SnapshotUser("li", "李四", (3,), frozenset({"普查员"})),
            SnapshotUser("wang", "王五", (5,), frozenset({"普查员"})),
        ],
    )


def test_explain_says_why_in_chinese() -> None:
    snapshot = _town_snapshot()
    audience = (Tag("普查员") & Dept("圣城街道")) | People("zhang")
    assert audience.explain(snapshot) == {
        "zhang": "点名",
        "li": "标签「普查员」，且部门「圣城街道/东关村」属于「圣城街道」",
    }
    assert audience.explain(snapshot, lang="en")["zhang"] == "named"


def test_dept_without_sub_departments() -> None:
    snapshot = _town_snapshot()
    assert Dept("圣城街道", include_sub=False).userids(snapshot) == ["zhang"]
    assert Dept("圣城街道").userids(snapshot) == ["zhang", "li"]


def test_ambiguous_department_name_lists_paths() -> None:
    snapshot = _town_snapshot()
    with pytest.raises(AudienceError) as caught:
        Dept("东关村").userids(snapshot)
    assert "圣城街道/东关村 (3)" in str(caught.value)
    assert "古城街道/东关村 (5)" in str(caught.value)
    assert Dept("古城街道/东关村").userids(snapshot) == ["wang"]


def test_unknown_names_rejected() -> None:
    snapshot = _town_snapshot()
    with pytest.raises(AudienceError, match="no user has the tag '普查长'"):
        Tag("普查长").userids(snapshot)
    with pytest.raises(AudienceError, match="no department '不存在街道'"):
        Dept("不存在街道").userids(snapshot)
    with pytest.raises(AudienceError, match="ghost"):
        People("ghost").userids(snapshot)


def test_everyone_minus_tag() -> None:
    snapshot = _town_snapshot()
    assert (Everyone() - Tag("普查员")).userids(snapshot) == ["zhang"]
    assert str(Everyone() - Tag("普查员")) == "(全员 - 标签「普查员」)"
