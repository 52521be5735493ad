"""Load a county's census organisation straight into a fake DingTalk, for tests and rehearsals.

This is test support: it imports ``censusdt_fake``, which production code never does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from censusdt.census.divisions import DivisionTable
from censusdt.census.plan import OrgPlan
from censusdt.census.roster import Roster
from censusdt.census.rostergen import generate_roster

if TYPE_CHECKING:
    from censusdt_fake import FakeDingTalk
    from censusdt_fake._state import Corp

__all__ = [
    "CountySeed",
    "divisions_for_county",
    "plan_seed_data",
    "seed_org",
    "seed_shouguang",
    "seed_small_county",
]

#: 潍坊滨海经济技术开发区: the Weifang county with the fewest divisions (55), for quick tests.
SMALL_COUNTY = "370772"


def divisions_for_county(county_code: str) -> DivisionTable:
    """Return the built-in division table holding a county: 寿光市's own or 潍坊市's."""
    code = county_code.strip()[:6]
    if code == "370783":
        return DivisionTable.builtin("370783")
    if code.startswith("3707"):
        return DivisionTable.builtin("3707")
    raise ValueError(
        f"no built-in division table holds county {county_code!r}; the built-in tables are "
        "370783 (寿光市) and the counties of 3707 (潍坊市); pass a division table file instead"
    )


def plan_seed_data(
    plan: OrgPlan, *, inactive_mobiles: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Convert a plan to the plain data that the fake's ``seed_contacts`` and its HTTP route load."""
    userids = {user.mobile: user.userid for user in plan.users}
    return {
        "departments": [
            {
                "key": department.key,
                "name": department.name,
                "parent_key": department.parent_key,
                "order": department.order,
            }
            for department in plan.departments
        ],
        "users": [
            {
                "userid": user.userid,
                "name": user.name,
                "mobile": user.mobile,
                "department_keys": list(user.department_keys),
                "title": user.title,
                "job_number": user.job_number,
                "email": user.email,
                "remark": user.remark,
                "active": user.mobile not in inactive_mobiles,
            }
            for user in plan.users
        ],
        "role_group": plan.role_group,
        "roles": [
            {"name": role.name, "userids": [userids[mobile] for mobile in role.member_mobiles]}
            for role in plan.roles
        ],
    }


def seed_org(
    fake: FakeDingTalk,
    divisions: DivisionTable,
    roster: Roster,
    *,
    county_code: str | None = None,
    inactive_share: float = 0.0,
    seed: int = 0,
    corp: Corp | None = None,
) -> OrgPlan:
    """Create the org that applying ``roster`` would create, directly in the fake's state.

    ``inactive_share`` of the users (picked with ``seed``) are marked as not having activated
    DingTalk. Returns the plan, so a test can apply it and expect no write calls.
    """
    import random

    from censusdt_fake.handlers.contacts import seed_contacts
    from censusdt_fake.models.contacts import ContactsState

    if not 0 <= inactive_share <= 1:
        raise ValueError(f"inactive_share must be between 0 and 1, got {inactive_share}")
    plan = OrgPlan.build(divisions, roster, county_code=county_code)
    mobiles = sorted(user.mobile for user in plan.users)
    inactive = random.Random(seed).sample(mobiles, round(len(mobiles) * inactive_share))
    state = (corp or fake.default_corp).ext(ContactsState)
    seed_contacts(
        state,
        plan_seed_data(plan, inactive_mobiles=frozenset(inactive)),
        now_ms=fake.clock.now_ms(),
    )
    return plan


@attrs.frozen
class CountySeed:
    """Seeds a built-in county with a generated roster; a callable for ``dingtalk_seed``.

    An instance rather than a function, because ``@pytest.mark.dingtalk_seed(function)`` with a
    lone function would make pytest treat the marker as a decorator of that function.
    """

    county_code: str
    seed: int = 7
    inactive_share: float = 0.2

    def __call__(self, fake: FakeDingTalk) -> OrgPlan:
        divisions = divisions_for_county(self.county_code)
        roster = generate_roster(divisions, self.county_code, seed=self.seed)
        return seed_org(
            fake,
            divisions,
            roster,
            county_code=self.county_code,
            inactive_share=self.inactive_share,
            seed=self.seed,
        )


#: 潍坊滨海经济技术开发区 with 20 % of its staff not activated:
#: ``@pytest.mark.dingtalk_seed(seed_small_county)``.
seed_small_county = CountySeed(SMALL_COUNTY)
#: 寿光市 (1,028 divisions) with 20 % of its staff not activated.
seed_shouguang = CountySeed("370783")
