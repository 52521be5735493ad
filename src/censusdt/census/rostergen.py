"""Seeded synthetic rosters for rehearsals: realistic names, unassigned mobiles, a full county."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import attrs

from censusdt.census.divisions import Division, DivisionLevel, DivisionTable
from censusdt.census.roster import DEFAULT_SECTIONS, Post, Roster, StaffMember
from censusdt.census.rostercells import CellError, normalize_code

__all__ = ["SYNTHETIC_MOBILE_PREFIX", "generate_roster"]

# Generated mobiles are "154" followed by 8 digits. No operator has been assigned the 154 block:
# libphonenumber's metadata for China (version 8.13.48, October 2024) lists the mobile ranges
# 13x, 145, 147, 150-153, 155-159, 162, 165-167, 170-173, 175-178, 18x, 190-193, 195-199 and
# 1740[0-5], and leaves 154 out. So no subscriber can receive a rehearsal notice or DING, while
# the roster validator, which checks the mainland shape 1[3-9] plus 9 digits, still accepts them.
# NOTE: if the ministry ever assigns the 154 block, this prefix must move to another free block.
SYNTHETIC_MOBILE_PREFIX = "154"

# Common surnames in an approximate frequency order (王, 张, 李 and 刘 lead in Shandong); the
# weights below are rough.
_SURNAMES = (
    "王张李刘陈杨赵孙徐马高于郭周吴朱宋胡林韩孟姜崔董曹许杜田丁袁梁石魏范郑邢"
    "任薛谭苏卢程贾何罗付尹冯葛秦牛侯邵"
)
_SURNAME_WEIGHTS = tuple(1.0 / (rank + 3) for rank in range(len(_SURNAMES)))

# Characters that are common in given names.
_GIVEN_NAME_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞辉建国志文海峰宇浩凯俊帅"
    "慧婷雪琳晨阳欣悦佳怡梅凤春燕丹亮斌波宁欢晓庆成东新利云翠荣立倩颖瑞鑫娇彤永金德振"
)

_TAG_PARTY_MEMBER = "党员"
_TAG_LONG_FORM = "长表普查员"
_TAG_BACKBONE = "业务骨干"
_TAG_TRAINER = "培训讲师"


class _Builder:
    """State of one generation run: the random source, used mobiles, and job-number counter."""

    def __init__(self, seed: int, size_hint: int) -> None:
        self.random = random.Random(seed)
        # Sampling from a range draws distinct numbers without building the range.
        self._mobiles = iter(self.random.sample(range(10**8), max(size_hint, 1) * 2 + 100))
        self._job_numbers = 0
        self.members: list[StaffMember] = []

    def name(self) -> str:
        surname = self.random.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        length = 1 if self.random.random() < 0.3 else 2
        given_name = "".join(self.random.choice(_GIVEN_NAME_CHARACTERS) for _ in range(length))
        return surname + given_name

    def mobile(self) -> str:
        return f"{SYNTHETIC_MOBILE_PREFIX}{next(self._mobiles):08d}"

    def job_number(self) -> str:
        self._job_numbers += 1
        return f"RP{self._job_numbers:04d}"

    def tags(self, *extra: tuple[str, float]) -> tuple[str, ...]:
        tags: list[str] = []
        if self.random.random() < 0.25:
            tags.append(_TAG_PARTY_MEMBER)
        for tag, probability in extra:
            if self.random.random() < probability:
                tags.append(tag)
        return tuple(tags)

    def add(self, member: StaffMember) -> None:
        self.members.append(member)


def generate_roster(
    divisions: DivisionTable,
    county_code: str,
    seed: int,
    *,
    enumerators_per_village: tuple[int, int] = (1, 3),
    staff_per_section: tuple[int, int] = (3, 6),
    staff_per_town: tuple[int, int] = (1, 2),
    sections: Sequence[str] = DEFAULT_SECTIONS,
    project_groups: Sequence[str] = (),
) -> Roster:
    """Generate a valid roster for one county, the same for the same seed and arguments.

    Every village gets between ``enumerators_per_village`` enumerators. Each town's enumerators
    are split into groups of four or five, or of other sizes where the count allows no such split.
    Each group gets a supervisor who covers the group's villages, or the whole town when it has
    fewer than four enumerators. Each town gets town census office staff, and each section gets
    county staff. A few people get two sections, a project group, or several tags.
    Mobiles start with ``SYNTHETIC_MOBILE_PREFIX``, which no subscriber can hold.
    """
    county = _county(divisions, county_code)
    towns = divisions.towns(county.code)
    size_hint = len(divisions.subtree(county.code)) * (enumerators_per_village[1] + 1)
    builder = _Builder(seed, size_hint)

    county_staff = _add_county_staff(builder, county, sections, staff_per_section)
    supervisors: list[int] = []
    for town in towns:
        _add_town(
            builder,
            divisions,
            town,
            enumerators_per_village=enumerators_per_village,
            staff_per_town=staff_per_town,
            supervisors=supervisors,
        )

    members = builder.members
    if project_groups:
        candidates = county_staff + supervisors
        for group in project_groups:
            size = min(len(candidates), builder.random.randint(2, 4))
            for index in builder.random.sample(candidates, size):
                member = members[index]
                members[index] = attrs.evolve(member, sections=(*member.sections, group))

    return Roster(
        members=tuple(members),
        sections=tuple(sections),
        project_groups=tuple(project_groups),
    )


def _county(divisions: DivisionTable, county_code: str) -> Division:
    try:
        code = normalize_code(county_code)
    except CellError:
        raise ValueError(f"invalid county code {county_code!r}: use 6 or 12 digits") from None
    county = divisions.get(code)
    if county.level is not DivisionLevel.COUNTY:
        raise ValueError(f"{code} ({county.name}) is a {county.level.value}, not a county")
    return county


def _add_county_staff(
    builder: _Builder,
    county: Division,
    sections: Sequence[str],
    staff_per_section: tuple[int, int],
) -> list[int]:
    indexes: list[int] = []
    for section in sections:
        for _ in range(builder.random.randint(*staff_per_section)):
            job_number = builder.job_number()
            assigned: tuple[str, ...] = (section,)
            others = [other for other in sections if other != section]
            if others and builder.random.random() < 0.15:
                assigned = (section, builder.random.choice(others))
            email = None
            if builder.random.random() < 0.5:
                email = f"{job_number.lower()}@example.com"
            indexes.append(len(builder.members))
            builder.add(
                StaffMember(
                    name=builder.name(),
                    mobile=builder.mobile(),
                    post=Post.COUNTY_STAFF,
                    division_codes=(county.code,),
                    sections=assigned,
                    tags=builder.tags((_TAG_BACKBONE, 0.3), (_TAG_TRAINER, 0.1)),
                    job_number=job_number,
                    email=email,
                )
            )
    return indexes


def _add_town(
    builder: _Builder,
    divisions: DivisionTable,
    town: Division,
    *,
    enumerators_per_village: tuple[int, int],
    staff_per_town: tuple[int, int],
    supervisors: list[int],
) -> None:
    for _ in range(builder.random.randint(*staff_per_town)):
        builder.add(
            StaffMember(
                name=builder.name(),
                mobile=builder.mobile(),
                post=Post.TOWN_STAFF,
                division_codes=(town.code,),
                tags=builder.tags((_TAG_BACKBONE, 0.2)),
                job_number=builder.job_number(),
            )
        )

    # One village code per enumerator, in village order, so that groups cover neighbouring villages.
    enumerator_villages: list[str] = []
    for village in divisions.villages(town.code):
        count = builder.random.randint(*enumerators_per_village)
        enumerator_villages.extend([village.code] * count)

    start = 0
    for size in _group_sizes(len(enumerator_villages), builder.random):
        group = enumerator_villages[start : start + size]
        start += size
        covered = tuple(dict.fromkeys(group))
        if len(group) < 4:
            covered = (town.code,)
        supervisors.append(len(builder.members))
        builder.add(
            StaffMember(
                name=builder.name(),
                mobile=builder.mobile(),
                post=Post.SUPERVISOR,
                division_codes=covered,
                tags=builder.tags((_TAG_BACKBONE, 0.15)),
                remark=f"指导 {len(group)} 名普查员",
            )
        )
        for village_code in group:
            builder.add(
                StaffMember(
                    name=builder.name(),
                    mobile=builder.mobile(),
                    post=Post.ENUMERATOR,
                    division_codes=(village_code,),
                    tags=builder.tags((_TAG_LONG_FORM, 0.1)),
                )
            )


def _group_sizes(count: int, rng: random.Random) -> list[int]:
    """Split ``count`` enumerators into groups of four or five, in a random order of sizes.

    Counts that are no sum of fours and fives (1-3, 6, 7, 11) get groups as even as possible.
    """
    if count == 0:
        return []
    fives = [five for five in range(count // 5 + 1) if (count - 5 * five) % 4 == 0]
    if fives:
        five_count = rng.choice(fives)
        sizes = [5] * five_count + [4] * ((count - 5 * five_count) // 4)
    else:
        groups = math.ceil(count / 5)
        base, extra = divmod(count, groups)
        sizes = [base + 1] * extra + [base] * (groups - extra)
    rng.shuffle(sizes)
    return sizes
