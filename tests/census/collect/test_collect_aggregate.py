"""Tests for totals by town and county, recomputed ratios, and villages behind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.census.collect.aggregate import aggregate
from censusdt.census.collect.records import Village
from censusdt.census.collect.template import Column, TableTemplate
from censusdt.census.collect.values import ColumnType

TEMPLATE = TableTemplate.build(
    "登记进度",
    [
        Column("总人口", ColumnType.INTEGER, required=True, unit="人"),
        Column("登记人数", ColumnType.INTEGER, required=True),
        Column("完成率", ColumnType.PERCENT, total_formula="登记人数 / 总人口"),
        Column("普查区", ColumnType.TEXT),
        Column("面积", ColumnType.DECIMAL),
    ],
)
TOWNS = ["圣城街道", "文家街道", "古城街道"]
VILLAGES = [
    Village(f"370783{town + 1:03d}{index:03d}", TOWNS[town], f"{TOWNS[town][:2]}{index}村")
    for town in range(3)
    for index in range(1, 5)
]


def grid(rows: list[tuple[Village, list[object]]]) -> list[list[object]]:
    return [[*TEMPLATE.header], *([v.code, v.town, v.name, *values] for v, values in rows)]


def test_ratio_is_recomputed_not_averaged() -> None:
    data = grid(
        [
            (VILLAGES[0], [100, 90, "90%", "", ""]),
            (VILLAGES[1], [10, 1, "10%", "", ""]),
        ]
    )

    summary = aggregate(TEMPLATE, data)

    town = summary.group("圣城街道")
    assert town.totals["总人口"] == 110
    assert town.totals["登记人数"] == 91
    assert town.totals["完成率"] == Decimal(91) / Decimal(110)
    assert town.totals["完成率"] != Decimal("0.5")
    assert summary.columns == ("总人口", "登记人数", "完成率", "面积")
    assert "普查区" not in town.totals


def test_ratio_with_zero_denominator_is_none() -> None:
    summary = aggregate(TEMPLATE, grid([(VILLAGES[0], [0, 0, "", "", ""])]))

    assert summary.county.totals["完成率"] is None


def test_counts_and_lists() -> None:
    data = grid(
        [
            (VILLAGES[0], [100, 90, "", "", ""]),
            (VILLAGES[1], ["", "", "", "", ""]),
            (VILLAGES[4], [50, "", "", "", "1.5"]),
            (VILLAGES[5], [50, 50, "", "", "2.25"]),
        ]
    )

    summary = aggregate(TEMPLATE, data, villages=VILLAGES[:6], county_name="寿光市")

    assert [group.name for group in summary.groups] == ["圣城街道", "文家街道"]
    first, second = summary.groups
    assert (first.villages, first.submitted, first.not_submitted, first.unfinished) == (4, 1, 3, 0)
    assert (second.villages, second.submitted, second.not_submitted, second.unfinished) == (
        2,
        2,
        0,
        1,
    )
    assert second.totals["面积"] == Decimal("3.75")
    assert summary.county.name == "寿光市"
    assert summary.county.villages == 6
    assert summary.county.not_submitted == 3
    assert summary.not_submitted == (VILLAGES[1], VILLAGES[2], VILLAGES[3])
    assert [item.village for item in summary.unfinished] == [VILLAGES[4]]
    assert summary.unfinished[0].missing == ("登记人数",)
    assert summary.unfinished[0].location == "A4"


def test_invalid_values_add_nothing() -> None:
    data = grid([(VILLAGES[0], ["很多", 5, "", "", ""]), (VILLAGES[1], [10, "5.5", "", "", ""])])

    summary = aggregate(TEMPLATE, data)

    assert summary.county.totals["总人口"] == 10
    assert summary.county.totals["登记人数"] == 5


def test_group_by_text_column() -> None:
    data = grid(
        [
            (VILLAGES[0], [10, 1, "", "一区", ""]),
            (VILLAGES[4], [20, 2, "", "二区", ""]),
            (VILLAGES[1], [30, 3, "", "一区", ""]),
        ]
    )

    summary = aggregate(TEMPLATE, data, by="普查区")

    assert [group.name for group in summary.groups] == ["一区", "二区"]
    assert summary.group("一区").totals["总人口"] == 40
    assert summary.by == "普查区"


def test_group_by_unknown_column_is_rejected() -> None:
    with pytest.raises(ValueError, match="cannot group by '总人口': expected one of town、普查区"):
        aggregate(TEMPLATE, grid([]), by="总人口")


def test_group_lookup_names_groups() -> None:
    summary = aggregate(TEMPLATE, grid([(VILLAGES[0], [1, 1, "", "", ""])]))

    with pytest.raises(KeyError, match="the groups are 圣城街道"):
        summary.group("文家街道")


def test_form_instances_latest_submission_counts() -> None:
    def instance(ident: str, modified: str, people: str) -> dict[str, object]:
        return {
            "formInstanceId": ident,
            "modifyTime": modified,
            "forms": [
                {"key": "code", "label": "区划代码", "value": VILLAGES[0].code},
                {"key": "p", "label": "总人口", "value": people},
                {"key": "r", "label": "登记人数", "value": "10"},
            ],
        }

    instances = [
        instance("late", "2020-11-06T09:00Z", "300"),
        instance("early", "2020-11-05T09:00Z", "100"),
    ]

    summary = aggregate(TEMPLATE, instances, villages=VILLAGES[:2])

    assert summary.county.totals["总人口"] == 300
    assert summary.county.submitted == 1
    assert summary.not_submitted == (VILLAGES[1],)


# Random fills: totals equal a direct computation over the same cells.

CELL = st.one_of(
    st.integers(0, 10_000),
    st.integers(0, 10_000).map(lambda number: f"{number:,}"),
    st.sampled_from(["", None, " ", "未知", "12.5"]),
)


def direct_number(value: object) -> int | None:
    """The value's whole number, computed without the module under test; None if not one."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.replace(",", "").isdigit():
        return int(value.replace(",", ""))
    return None


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@given(
    st.lists(
        st.tuples(st.sampled_from(VILLAGES), CELL, CELL, st.sampled_from(["", "备注"])),
        max_size=12,
        unique_by=lambda item: item[0],
    )
)
def test_totals_match_direct_computation(rows: list[tuple[Village, object, object, str]]) -> None:
    data = grid(
        [
            (village, [people, registered, "", "", note])
            for village, people, registered, note in rows
        ]
    )

    summary = aggregate(TEMPLATE, data, villages=VILLAGES)

    for town in TOWNS:
        members = [item for item in rows if item[0].town == town]
        people = sum(direct_number(item[1]) or 0 for item in members)
        registered = sum(direct_number(item[2]) or 0 for item in members)
        filled = [
            item for item in members if not (blank(item[1]) and blank(item[2]) and not item[3])
        ]
        unfinished = [item for item in filled if blank(item[1]) or blank(item[2])]
        present = {item[0] for item in members}
        absent = [
            village for village in VILLAGES if village.town == town and village not in present
        ]

        group = summary.group(town)
        assert group.totals["总人口"] == people
        assert group.totals["登记人数"] == registered
        expected_rate = Decimal(registered) / Decimal(people) if people else None
        assert group.totals["完成率"] == expected_rate
        assert group.villages == 4
        assert group.submitted == len(filled)
        assert group.unfinished == len(unfinished)
        assert group.not_submitted == 4 - len(filled)
        assert group.not_submitted == len(members) - len(filled) + len(absent)

    assert summary.county.totals["总人口"] == sum(direct_number(item[1]) or 0 for item in rows)
    assert summary.county.villages == len(VILLAGES)
    assert len(summary.not_submitted) == summary.county.not_submitted


@given(
    st.lists(
        st.tuples(st.sampled_from(VILLAGES), st.integers(0, 999), st.integers(0, 999)),
        min_size=1,
        max_size=12,
        unique_by=lambda item: item[0],
    )
)
def test_sheet_and_form_totals_agree(rows: list[tuple[Village, int, int]]) -> None:
    sheet = grid(
        [(village, [people, registered, "", "", ""]) for village, people, registered in rows]
    )
    instances = [
        {"区划代码": village.code, "总人口": str(people), "登记人数": str(registered)}
        for village, people, registered in rows
    ]

    from_sheet = aggregate(TEMPLATE, sheet, villages=VILLAGES)
    from_forms = aggregate(TEMPLATE, instances, villages=VILLAGES)

    assert from_sheet.groups == from_forms.groups
    assert from_sheet.county == from_forms.county
