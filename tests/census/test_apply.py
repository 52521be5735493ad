"""Org apply against the fake: convergence, no writes on a second run, resume after a kill."""

from __future__ import annotations

import asyncio

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from censusdt import AsyncDingTalk
from censusdt.census._async.apply import apply_plan as async_apply_plan
from censusdt.census._async.apply import plan_role_batches
from censusdt.census._async.livesnapshot import read_live_org
from censusdt.census._sync.apply import apply_plan
from censusdt.census._sync.livesnapshot import read_live_org as sync_read_live_org
from censusdt.census.applyjournal import ApplyJournal
from censusdt.census.divisions import Division, DivisionLevel, DivisionTable
from censusdt.census.orgseed import seed_org, seed_small_county
from censusdt.census.plan import OrgPlan
from censusdt.census.roster import Roster
from censusdt.census.rostergen import generate_roster
from censusdt_fake import FakeDingTalk, VirtualClock
from censusdt_fake.models.contacts import ContactsState

COUNTY = "370772000000"
WRITE_PATHS = {
    "/topapi/v2/department/create",
    "/topapi/v2/department/update",
    "/topapi/v2/department/delete",
    "/topapi/v2/user/create",
    "/topapi/v2/user/update",
    "/topapi/v2/user/delete",
    "/role/add_role_group",
    "/role/add_role",
    "/role/update_role",
    "/topapi/role/deleterole",
    "/topapi/role/addrolesforemps",
    "/topapi/role/removerolesforemps",
}


def _tiny_divisions() -> DivisionTable:
    """One county, two towns, five villages: small enough for property tests."""
    rows = [
        Division(COUNTY, DivisionLevel.COUNTY, "滨海区", "370700000000"),
        Division("370772004000", DivisionLevel.TOWN, "央子街道", COUNTY),
        Division("370772100000", DivisionLevel.TOWN, "大家洼街道", COUNTY),
        Division("370772004200", DivisionLevel.VILLAGE, "崔家央子村委会", "370772004000"),
        Division("370772004201", DivisionLevel.VILLAGE, "新立村委会", "370772004000"),
        Division("370772004203", DivisionLevel.VILLAGE, "丰台农业村委会", "370772004000"),
        Division("370772100201", DivisionLevel.VILLAGE, "东村委会", "370772100000"),
        Division("370772100202", DivisionLevel.VILLAGE, "西村委会", "370772100000"),
    ]
    return DivisionTable(rows, source="tiny")


DIVISIONS = _tiny_divisions()
POOL = generate_roster(DIVISIONS, COUNTY, seed=11, staff_per_section=(1, 2))


def _roster(members) -> Roster:
    return Roster(members=tuple(members), sections=POOL.sections, project_groups=POOL.project_groups)


def _plan(members) -> OrgPlan:
    return OrgPlan.build(DIVISIONS, _roster(members), county_code=COUNTY)


def _fresh_fake() -> FakeDingTalk:
    return FakeDingTalk(clock=VirtualClock(start=1_600_000_000, frozen=True))


def _client(fake: FakeDingTalk) -> AsyncDingTalk:
    app = fake.default_app
    return AsyncDingTalk(
        app.app_key,
        app.app_secret,
        transport=fake.transport(),
        clock=fake.clock,
        sleep=fake.clock.async_sleep,
    )


def _writes(fake: FakeDingTalk) -> list[str]:
    return [entry.path for entry in fake.calls() if entry.path in WRITE_PATHS]


async def _live_diff(fake: FakeDingTalk, plan: OrgPlan, *, remove_extra: bool = False):
    async with _client(fake) as client:
        live = await read_live_org(client, role_group=plan.role_group)
    return live, plan.diff(live, remove_extra=remove_extra)


def _assert_matches_plan(fake: FakeDingTalk, plan: OrgPlan) -> None:
    _, diff = asyncio.run(_live_diff(fake, plan, remove_extra=True))
    assert diff.is_empty, diff.describe("en")
    state = fake.default_corp.ext(ContactsState)
    assert sorted(user.mobile for user in state.users.values()) == sorted(
        user.mobile for user in plan.users
    )
    keys = [d.source_identifier for d in state.departments.values() if d.dept_id != 1]
    assert sorted(keys) == sorted(department.key for department in plan.departments)


def test_apply_builds_org_then_sends_nothing(dingtalk, dingtalk_fake):
    plan = _plan(POOL.members)

    _, result = apply_plan(dingtalk, plan)

    assert result.writes["department"] == len(plan.departments)
    assert result.writes["user"] == len(plan.users)
    assert result.writes["role"] == len(plan.roles)
    assert len(result.userids) == len(plan.users)
    _assert_matches_plan(dingtalk_fake, plan)

    writes_before = len(_writes(dingtalk_fake))
    second_diff, second = apply_plan(dingtalk, plan)
    assert second_diff.is_empty
    assert second.write_calls == 0
    assert len(_writes(dingtalk_fake)) == writes_before


@pytest.mark.anyio
async def test_async_apply_matches_sync(async_dingtalk, dingtalk_fake):
    plan = _plan(POOL.members)
    _, result = await async_apply_plan(async_dingtalk, plan)
    assert result.write_calls == len(_writes(dingtalk_fake))
    live = await read_live_org(async_dingtalk, role_group=plan.role_group)
    assert plan.diff(live).is_empty
    await async_dingtalk.aclose()


def test_seeded_org_needs_no_writes(dingtalk, dingtalk_fake):
    plan = seed_org(dingtalk_fake, DIVISIONS, _roster(POOL.members), county_code=COUNTY)
    assert _writes(dingtalk_fake) == []

    diff, result = apply_plan(dingtalk, plan)

    assert diff.is_empty
    assert result.write_calls == 0
    assert _writes(dingtalk_fake) == []


@pytest.mark.dingtalk_seed(seed_small_county)
def test_seed_marker_loads_small_county(dingtalk, dingtalk_fake):
    state = dingtalk_fake.default_corp.ext(ContactsState)
    live = sync_read_live_org(dingtalk)
    assert len(live.departments) == len(state.departments)
    assert len(live.users) == len(state.users)
    inactive = [user for user in state.users.values() if not user.active]
    assert len(inactive) == round(len(state.users) * 0.2)
    assert dingtalk.contacts.count_users(only_active=True) == len(state.users) - len(inactive)


def test_removed_member_deleted_only_when_asked(dingtalk, dingtalk_fake):
    apply_plan(dingtalk, _plan(POOL.members))
    smaller = _plan(POOL.members[1:])

    diff, _ = apply_plan(dingtalk, smaller)
    state = dingtalk_fake.default_corp.ext(ContactsState)
    assert POOL.members[0].mobile in {user.mobile for user in state.users.values()}
    assert len(diff.extra_users) == 1

    apply_plan(dingtalk, smaller, remove_extra=True)
    _assert_matches_plan(dingtalk_fake, smaller)


def test_lost_create_reply_is_adopted(dingtalk, dingtalk_fake):
    # The server creates the department but the reply never arrives; the apply must find it.
    dingtalk_fake.add_fault(
        "disconnect", path="/topapi/v2/department/create", once=True, after=True
    )
    dingtalk_fake.add_fault("disconnect", path="/topapi/v2/user/create", once=True, after=True)
    plan = _plan(POOL.members)

    _, result = apply_plan(dingtalk, plan)

    assert result.adopted == 2
    _assert_matches_plan(dingtalk_fake, plan)


def test_role_batches_stay_within_limits():
    wanted = {role: [f"u{index}" for index in range(45)] for role in range(1, 4)}
    batches = plan_role_batches(wanted, max_roles=20, max_users=20)
    assert all(len(batch.role_ids) <= 20 and len(batch.userids) <= 20 for batch in batches)
    # 45 users sharing the same three roles: 3 calls of 20/20/5 users instead of 9.
    assert len(batches) == 3
    covered = {(role, user) for batch in batches for role in batch.role_ids for user in batch.userids}
    assert covered == {(role, user) for role, users in wanted.items() for user in users}


class _Killed(Exception):
    """Stands for the process being killed in the middle of an apply."""


def _apply_until_killed(fake: FakeDingTalk, plan: OrgPlan, journal: ApplyJournal, after: int):
    def progress(done: int, total: int) -> None:
        if done >= after:
            raise _Killed

    async def run():
        async with _client(fake) as client:
            await async_apply_plan(client, plan, journal=journal, progress=progress)

    with pytest.raises(_Killed):
        asyncio.run(run())


@settings(max_examples=15)
@given(kill_after=st.integers(min_value=1, max_value=40), data=st.data())
def test_killed_apply_resumes_without_duplicates(tmp_path_factory, kill_after, data):
    fake = _fresh_fake()
    plan = _plan(POOL.members)
    journal_path = tmp_path_factory.mktemp("journal") / "apply.jsonl"
    lose_reply = data.draw(st.sampled_from([None, "/topapi/v2/department/create", "/role/add_role_group"]))
    if lose_reply:
        fake.add_fault("disconnect", path=lose_reply, once=True, after=True)

    _apply_until_killed(fake, plan, ApplyJournal(journal_path), kill_after)
    fake.clear_faults()
    resumed = ApplyJournal(journal_path)
    assert resumed.resumed

    async def run():
        async with _client(fake) as client:
            return await async_apply_plan(client, plan, journal=resumed)

    asyncio.run(run())

    _assert_matches_plan(fake, plan)
    state = fake.default_corp.ext(ContactsState)
    groups = [group for group in state.role_groups.values() if group.name == plan.role_group]
    assert len(groups) == 1
    assert ApplyJournal(journal_path).resumed is False


_MEMBER_INDEXES = st.lists(
    st.integers(min_value=0, max_value=len(POOL.members) - 1), min_size=1, unique=True
)


@st.composite
def _edited_roster(draw):
    """A subset of the pool with some people renamed, retagged or moved to another village."""
    members = [POOL.members[index] for index in sorted(draw(_MEMBER_INDEXES))]
    villages = [division.code for division in DIVISIONS if division.level is DivisionLevel.VILLAGE]
    edited = []
    for member in members:
        change = draw(st.sampled_from(["keep", "rename", "retag", "move"]))
        changed = member
        if change == "rename":
            changed = attrs.evolve(member, name=member.name + "新")
        elif change == "retag":
            tags = draw(st.lists(st.sampled_from(["党员", "业务骨干", "培训讲师"]), unique=True))
            changed = attrs.evolve(member, tags=tuple(tags))
        elif change == "move" and member.post.value == "普查员":
            changed = attrs.evolve(member, division_codes=(draw(st.sampled_from(villages)),))
        edited.append(changed)
    return edited


@settings(max_examples=20)
@given(first=_edited_roster(), second=_edited_roster())
def test_random_roster_edits_converge(first, second):
    fake = _fresh_fake()

    async def run():
        async with _client(fake) as client:
            await async_apply_plan(client, _plan(first))
            await async_apply_plan(client, _plan(second), remove_extra=True)
            writes = len(_writes(fake))
            _, again = await async_apply_plan(client, _plan(second), remove_extra=True)
            return writes, again

    writes, again = asyncio.run(run())

    _assert_matches_plan(fake, _plan(second))
    assert again.write_calls == 0
    assert len(_writes(fake)) == writes
