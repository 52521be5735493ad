"""A small county in the fake for the office-administration tests: towns, villages, staff."""

from __future__ import annotations

from censusdt_fake import FakeDingTalk
from censusdt_fake.messaging import add_staff
from censusdt_fake.models.contacts import ContactsState

TOWNS = ["城关镇", "东关街道"]


def seed_admin_county(fake: FakeDingTalk, *, per_village: int = 4, inactive_every: int = 3) -> None:
    """County → two towns → two villages each; a supervisor and enumerators per village.

    Every ``inactive_every``-th enumerator has not activated DingTalk. Userids are ``p0``, ``p1``...
    """
    contacts = fake.default_corp.ext(ContactsState)
    county = contacts.create_department("曲阜市", 1)
    contacts.create_department("综合组", county.dept_id)
    number = 0
    for town_name in TOWNS:
        town = contacts.create_department(town_name, county.dept_id)
        for village_number in range(2):
            village = contacts.create_department(f"{town_name[:2]}{village_number}村", town.dept_id)
            for position in range(per_village):
                supervisor = position == 0
                add_staff(
                    fake,
                    f"p{number}",
                    f"员工{number}",
                    [village.dept_id],
                    roles=["普查指导员" if supervisor else "普查员"],
                    active=supervisor or number % inactive_every != 0,
                )
                number += 1
