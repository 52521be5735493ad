"""Org apply benchmark: calls and wall time against DingTalk's minimum, and the fake's memory.

Run: ``python bench/bench_apply.py`` (about five minutes: the fake enforces DingTalk's 20 calls/s,
so the apply runs at real speed). ``--skip-apply`` or ``--skip-memory`` runs one half.

1. Applies the generated roster of a county (寿光市 370783 by default) to an empty fake that
   enforces 20 calls/s per app per API, with the async client, then applies it again.
2. Seeds Weifang's whole organisation (7,175 departments, about 40,000 users) into one fake and
   reports the traced memory of its contacts state.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import time
import tracemalloc
from typing import Any

from censusdt import AsyncDingTalk
from censusdt.census._async.apply import apply_plan
from censusdt.census.divisions import DivisionTable
from censusdt.census.orgdiffops import AssignRole
from censusdt.census.orgseed import divisions_for_county, plan_seed_data
from censusdt.census.plan import OrgPlan
from censusdt.census.rostergen import generate_roster
from censusdt_fake import FakeDingTalk
from censusdt_fake.handlers.contacts import seed_contacts
from censusdt_fake.models.contacts import ContactsState

RATE = 20
#: topapi/role/addrolesforemps: at most 20 roles and 20 users per call.
ROLES_PER_CALL = 20
USERS_PER_CALL = 20


def minimum_writes(plan: OrgPlan) -> dict[str, int]:
    """The fewest write calls DingTalk's API allows for building ``plan`` in an empty org.

    One create per department, user, role and the role group. Role assignments need at least
    max(ceil(n_r / 20) for each role r, ceil(tagged users / 20), ceil(pairs / 400)) calls,
    because one call names at most 20 roles and 20 users.
    """
    pairs = sum(len(role.member_mobiles) for role in plan.roles)
    tagged = len({mobile for role in plan.roles for mobile in role.member_mobiles})
    per_role = max(
        (math.ceil(len(role.member_mobiles) / USERS_PER_CALL) for role in plan.roles), default=0
    )
    assign = max(
        per_role,
        math.ceil(tagged / USERS_PER_CALL),
        math.ceil(pairs / (ROLES_PER_CALL * USERS_PER_CALL)),
    )
    return {
        "department": len(plan.departments),
        "user": len(plan.users),
        "role_group": 1 if plan.roles else 0,
        "role": len(plan.roles),
        "role_assign": assign,
    }


def ideal_seconds(minimum: dict[str, int], plan: OrgPlan) -> float:
    """Wall time at 20 calls/s per API when each dependent phase runs alone at the limit.

    Departments go level by level (a child needs its parent's id), users need departments, and
    assignments need users; roles overlap with departments, as they are a different API.
    """
    depth: dict[str, int] = {}
    for department in plan.departments:
        parent = department.parent_key
        depth[department.key] = 0 if parent is None else depth[parent] + 1
    levels: dict[int, int] = {}
    for level in depth.values():
        levels[level] = levels.get(level, 0) + 1
    departments = sum(math.ceil(count / RATE) for count in levels.values())
    return departments + minimum["user"] / RATE + minimum["role_assign"] / RATE


def bench_apply(county: str, seed: int) -> dict[str, Any]:
    divisions = divisions_for_county(county)
    roster = generate_roster(divisions, county, seed=seed)
    plan = OrgPlan.build(divisions, roster, county_code=county)
    fake = FakeDingTalk(seed=seed)
    fake.enforce_rate_limit(RATE)
    app = fake.default_app

    async def run() -> tuple[Any, Any, Any]:
        async with AsyncDingTalk(app.app_key, app.app_secret, transport=fake.transport()) as client:
            diff, first = await apply_plan(client, plan)
            _, second = await apply_plan(client, plan)
        return diff, first, second

    diff, first, second = asyncio.run(run())
    minimum = minimum_writes(plan)
    planned_assign_pairs = sum(len(op.userids) for op in diff.of_type(AssignRole))
    return {
        "county": county,
        "departments": len(plan.departments),
        "users": len(plan.users),
        "tags": len(plan.roles),
        "tag_assignments": planned_assign_pairs,
        "writes": dict(first.writes),
        "write_calls": first.write_calls,
        "minimum": minimum,
        "minimum_total": sum(minimum.values()),
        "all_calls": first.calls,
        "throttled": first.throttled + second.throttled,
        "seconds": first.elapsed,
        "ideal_seconds": ideal_seconds(minimum, plan),
        "second_writes": second.write_calls,
        "second_calls": second.calls,
        "second_seconds": second.elapsed,
    }


def bench_memory(seed: int) -> dict[str, Any]:
    """Traced memory of one fake holding every county of Weifang (built-in table 3707)."""
    table = DivisionTable.builtin("3707")
    seeds: list[dict[str, Any]] = []
    mobiles: set[str] = set()
    userids: set[str] = set()
    dropped = 0
    for index, county in enumerate(table.counties()):
        roster = generate_roster(
            table, county.code, seed=seed + index, enumerators_per_village=(4, 6)
        )
        plan = OrgPlan.build(table, roster, county_code=county.code)
        data = plan_seed_data(plan)
        # Generated mobiles are random per county, so two counties can draw the same one, and
        # job numbers (which userids derive from) restart in every county.
        users = []
        for user in data["users"]:
            if user["mobile"] in mobiles or user["userid"] in userids:
                dropped += 1
                continue
            mobiles.add(user["mobile"])
            userids.add(user["userid"])
            users.append(user)
        kept = {user["userid"] for user in users}
        data["users"] = users
        for role in data["roles"]:
            role["userids"] = [userid for userid in role["userids"] if userid in kept]
        data["role_group"] = f"人口普查-{county.name}"
        seeds.append(data)

    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    fake = FakeDingTalk(seed=seed)
    state = fake.default_corp.ext(ContactsState)
    for data in seeds:
        seed_contacts(state, data)
    seconds = time.perf_counter() - started
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "departments": len(state.departments) - 1,
        "users": len(state.users),
        "dropped_duplicates": dropped,
        "current_mib": (current - baseline) / 2**20,
        "peak_mib": (peak - baseline) / 2**20,
        "seed_seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", default="370783", help="county to apply (default 寿光市)")
    parser.add_argument("--seed", type=int, default=2020, help="seed of the generated rosters")
    parser.add_argument("--skip-apply", action="store_true", help="only measure memory")
    parser.add_argument("--skip-memory", action="store_true", help="only measure the apply")
    arguments = parser.parse_args()

    if not arguments.skip_apply:
        result = bench_apply(arguments.county, arguments.seed)
        print(
            f"apply {result['county']}: {result['departments']} departments, {result['users']} users, {result['tags']} tags, {result['tag_assignments']} tag assignments"
        )
        for kind in sorted(set(result["writes"]) | set(result["minimum"])):
            print(
                f"  {kind:>12}: {result['writes'].get(kind, 0):>6} calls, minimum {result['minimum'].get(kind, 0):>6}"
            )
        print(
            f"  write calls {result['write_calls']} vs minimum {result['minimum_total']} (ratio {result['write_calls'] / result['minimum_total']:.3f}); all calls with reads {result['all_calls']}"
        )
        print(
            f"  wall {result['seconds']:.1f} s vs ideal {result['ideal_seconds']:.1f} s (ratio {result['seconds'] / result['ideal_seconds']:.3f}); throttled {result['throttled']}"
        )
        print(
            f"  second apply: {result['second_writes']} writes, {result['second_calls']} read calls, {result['second_seconds']:.1f} s"
        )

    if not arguments.skip_memory:
        memory = bench_memory(arguments.seed)
        print(
            f"memory: {memory['departments']} departments, {memory['users']} users (dropped {memory['dropped_duplicates']} generated people whose mobile or userid repeated)"
        )
        print(
            f"  traced {memory['current_mib']:.1f} MiB held, {memory['peak_mib']:.1f} MiB peak; seeded in {memory['seed_seconds']:.1f} s"
        )


if __name__ == "__main__":
    main()
