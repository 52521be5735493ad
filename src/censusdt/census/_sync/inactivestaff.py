# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Staff who have not activated DingTalk: list them per town with their supervisor, remind by SMS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
from rich.table import Table

from censusdt.api.robot import MAX_DING_RECEIVERS, DingResult, RemindType
from censusdt.census.audience import ContactsSnapshot

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = [
    "InactivePerson",
    "inactive_staff",
    "inactive_table",
    "remind_inactive",
    "town_departments",
    "town_of",
]

SUPERVISOR_TAG = "普查指导员"
#: Town name for people outside every town (county sections and offices).
COUNTY_LEVEL = "县直"


@attrs.frozen
class InactivePerson:
    userid: str
    name: str
    town: str
    #: Names of the supervisors (普查指导员) nearest to the person: same department, else town.
    supervisors: tuple[str, ...]


def town_departments(snapshot: ContactsSnapshot) -> dict[int, str]:
    """Town departments: those whose sub-departments (villages) all have none of their own."""
    children: dict[int, list[int]] = {}
    for department in snapshot.departments.values():
        if department.parent_id is not None:
            children.setdefault(department.parent_id, []).append(department.dept_id)
    return {
        dept_id: snapshot.departments[dept_id].name
        for dept_id, kids in sorted(children.items())
        if dept_id != 1 and all(kid not in children for kid in kids)
    }


def town_of(snapshot: ContactsSnapshot, towns: Mapping[int, str], userid: str) -> str:
    user = snapshot.users.get(userid)
    for dept_id in user.dept_ids if user else ():
        for ancestor in [dept_id, *snapshot.ancestors(dept_id)]:
            if ancestor in towns:
                return towns[ancestor]
    return COUNTY_LEVEL


def _supervisors(
    snapshot: ContactsSnapshot, towns: Mapping[int, str], userid: str, tag: str
) -> tuple[str, ...]:
    user = snapshot.users[userid]
    tagged = [u for u in snapshot.users.values() if tag in u.tags and u.userid != userid]
    same_dept = [u.name for u in tagged if set(u.dept_ids) & set(user.dept_ids)]
    if same_dept:
        return tuple(sorted(same_dept))
    town = town_of(snapshot, towns, userid)
    if town == COUNTY_LEVEL:
        return ()
    return tuple(sorted(u.name for u in tagged if town_of(snapshot, towns, u.userid) == town))


def inactive_staff(
    client: DingTalk,
    snapshot: ContactsSnapshot,
    *,
    query_date: dt.date | None = None,
    towns: Mapping[int, str] | None = None,
    supervisor_tag: str = SUPERVISOR_TAG,
) -> list[InactivePerson]:
    """People DingTalk lists as not activated on ``query_date`` (today), by town then name."""
    day = query_date or dt.datetime.fromtimestamp(client.clock.time()).date()
    town_map = dict(towns) if towns is not None else town_departments(snapshot)
    userids = client.contacts.list_inactive_users(day).collect()
    people = []
    for userid in dict.fromkeys(userids):
        user = snapshot.users.get(userid)
        if user is None:
            continue
        people.append(
            InactivePerson(
                userid,
                user.name,
                town_of(snapshot, town_map, userid),
                _supervisors(snapshot, town_map, userid, supervisor_tag),
            )
        )
    order = {name: index for index, name in enumerate(town_map.values())}
    return sorted(people, key=lambda p: (order.get(p.town, len(order)), p.town, p.name))


def remind_inactive(
    client: DingTalk, userids: Sequence[str], *, lang: str = "zh"
) -> list[DingResult]:
    """DING by SMS, which reaches people who have not installed DingTalk; 20 per call."""
    content = (
        "您已被加入本县人口普查工作组织，请下载并登录钉钉，以便接收通知和参加培训。"
        if lang != "en"
        else "You have been added to the county census organisation on DingTalk; please install "
        "DingTalk and sign in to receive notices and join training."
    )
    batch = MAX_DING_RECEIVERS[RemindType.SMS]
    unique = list(dict.fromkeys(userids))
    results = []
    for index in range(0, len(unique), batch):
        results.append(
            client.robot.send_ding(
                unique[index : index + batch], content, remind_type=RemindType.SMS
            )
        )
    return results


def inactive_table(people: Sequence[InactivePerson], lang: str = "zh") -> Table:
    zh = lang != "en"
    table = Table(title="未激活钉钉人员" if zh else "Staff who have not activated DingTalk")
    for header in (("镇街", "Town"), ("姓名", "Name"), ("普查指导员", "Supervisor")):
        table.add_column(header[0] if zh else header[1])
    for person in people:
        town = person.town if zh or person.town != COUNTY_LEVEL else "County level"
        supervisors = ("、" if zh else ", ").join(person.supervisors) or "—"
        table.add_row(town, person.name, supervisors)
    return table
