"""Tests for validation: every kind of violation, reported at its exact cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.api.a1 import cell_address
from censusdt.census.collect.records import Village, records_from_grid
from censusdt.census.collect.template import Column, TableTemplate
from censusdt.census.collect.validate import ViolationKind, validate
from censusdt.census.collect.values import ColumnType
from censusdt_fake.models.sheets import Workbook

K = ViolationKind

TEMPLATE = TableTemplate.build(
    "人口登记进度",
    [
        Column("户数", ColumnType.INTEGER, required=True, unit="户"),
        Column("男", ColumnType.INTEGER, required=True),
        Column("女", ColumnType.INTEGER, required=True),
        Column("总人口", ColumnType.INTEGER, required=True),
        Column("完成率", ColumnType.PERCENT),
        Column("登记日期", ColumnType.DATE),
    ],
    ["户数 ≥ 0", "男 + 女 = 总人口"],
)
HEADER: list[object] = [*TEMPLATE.header]
VILLAGES = [
    Village(f"3707830010{index:02d}", "圣城街道" if index < 5 else "文家街道", f"第{index}村")
    for index in range(1, 10)
]


def row(village: Village, *values: object) -> list[object]:
    return [village.code, village.town, village.name, *values]


def kinds_and_cells(
    grid: list[list[object]], **options: object
) -> list[tuple[ViolationKind, str | None]]:
    return [(v.kind, v.cell) for v in validate(TEMPLATE, grid, **options)]  # type: ignore[arg-type]


def test_valid_row_has_no_violation() -> None:
    grid = [HEADER, row(VILLAGES[0], "１２０户", 130, "120", "250", "85%", "2020年11月1日")]

    assert validate(TEMPLATE, grid) == []


def test_each_kind_at_its_cell() -> None:
    grid = [
        HEADER,
        row(VILLAGES[0], "-3", 1, 1, 2, "", ""),
        row(VILLAGES[1], "abc", 1, "", 2, "x%", "2020-13-01"),
        row(VILLAGES[2], "12.5", 120, 130, 240, "", ""),
        row(VILLAGES[3], "", "", "", "", "", ""),
    ]

    assert kinds_and_cells(grid) == [
        (K.RULE, "D2"),
        (K.NOT_A_NUMBER, "D3"),
        (K.MISSING, "F3"),
        (K.INVALID_PERCENT, "H3"),
        (K.INVALID_DATE, "I3"),
        (K.NOT_AN_INTEGER, "D4"),
        (K.RULE, "E4"),
        (K.NOT_SUBMITTED, "D5"),
    ]


def test_violation_carries_village_value_and_rule() -> None:
    grid = [HEADER, row(VILLAGES[0], 5, 120, 130, 240, "", "")]

    (violation,) = validate(TEMPLATE, grid)

    assert violation.village == VILLAGES[0]
    assert violation.column == "男"
    assert violation.value == 120
    assert violation.rule == "男 + 女 = 总人口"
    assert violation.comparison is not None
    assert violation.comparison.left_value == Decimal(250)
    assert violation.message() == (
        "E2（圣城街道第1村）「男」不满足规则“男 + 女 = 总人口”：男 + 女 = 250，总人口 = 240"
    )
    assert violation.message("en") == (
        "E2 (圣城街道 第1村) 男: breaks rule '男 + 女 = 总人口': 男 + 女 = 250, 总人口 = 240"
    )


@pytest.mark.parametrize(
    ("values", "kind", "zh", "en"),
    [
        (("", 1, 1, 2, "", ""), K.MISSING, "为必填项，未填写", "is required but empty"),
        (("x", 1, 1, 2, "", ""), K.NOT_A_NUMBER, "应填数字，实际填写“x”", "must be a number"),
        (("1.5", 1, 1, 2, "", ""), K.NOT_AN_INTEGER, "应填整数", "must be a whole number"),
        ((1, 1, 1, 2, "百", ""), K.INVALID_PERCENT, "应填百分比", "must be a percentage"),
        ((1, 1, 1, 2, "", "昨天"), K.INVALID_DATE, "应填日期", "must be a date"),
        ((-1, 1, 1, 2, "", ""), K.RULE, "不满足规则“户数 ≥ 0”：户数 = -1", "breaks rule"),
        (("", "", "", "", "", ""), K.NOT_SUBMITTED, "尚未填报", "has not been submitted"),
    ],
)
def test_messages_in_both_languages(
    values: tuple[object, ...], kind: ViolationKind, zh: str, en: str
) -> None:
    (violation,) = validate(TEMPLATE, [HEADER, row(VILLAGES[0], *values)])

    assert violation.kind is kind
    assert zh in violation.message()
    assert en in violation.message("en")
    assert violation.message().startswith(violation.location)
    assert kind.label() != kind.label("en")


def test_key_problems() -> None:
    grid = [
        HEADER,
        ["", "圣城街道", "无码村", 1, 1, 1, 2, "", ""],
        ["3707830", "圣城街道", "短码村", 1, 1, 1, 2, "", ""],
        ["370783999999", "圣城街道", "外县村", 1, 1, 1, 2, "", ""],
        row(VILLAGES[0], 1, 1, 1, 2, "", ""),
        row(VILLAGES[0], 2, 1, 1, 2, "", ""),
    ]

    violations = validate(TEMPLATE, grid, villages=VILLAGES)

    assert [(v.kind, v.cell) for v in violations] == [
        (K.MISSING, "A2"),
        (K.INVALID_CODE, "A3"),
        (K.UNKNOWN_VILLAGE, "A4"),
        (K.DUPLICATE, "A5"),
    ]
    assert violations[1].value == "3707830"
    assert violations[3].other == "A6"
    assert "汇总以 A6 为准" in violations[3].message()


def test_form_instance_violation_has_no_cell() -> None:
    instances = [
        {
            "formInstanceId": "inst-7",
            "forms": [
                {"key": "a", "label": "区划代码", "value": VILLAGES[0].code},
                {"key": "b", "label": "户数", "value": "很多"},
                {"key": "c", "label": "男", "value": "1"},
                {"key": "d", "label": "女", "value": "1"},
                {"key": "e", "label": "总人口", "value": "2"},
            ],
        }
    ]

    (violation,) = validate(TEMPLATE, instances, villages=VILLAGES)

    assert violation.kind is K.NOT_A_NUMBER
    assert violation.cell is None
    assert violation.instance_id == "inst-7"
    assert violation.village == VILLAGES[0]
    assert violation.message().startswith("填表实例 inst-7（圣城街道第1村）「户数」")


def test_addresses_from_fake_sheet_values() -> None:
    sheet = Workbook("wb-collect").sheet("Sheet1")
    sheet.update_range("C3:K3", values=[[str(cell) for cell in HEADER]])
    sheet.update_range(
        "C4:K4", values=[[str(cell) for cell in row(VILLAGES[0], 1, 1, 1, 3, "", "")]]
    )
    sheet.update_range(
        "C5:K5", values=[[str(cell) for cell in row(VILLAGES[1], "1.5", 1, 1, 2, "", "")]]
    )

    grid = sheet.values("C3:K5")
    records = records_from_grid(TEMPLATE, grid, sheet="Sheet1", first_row=2, first_column=2)
    violations = validate(TEMPLATE, records)

    assert [(v.kind, v.location) for v in violations] == [
        (K.RULE, "Sheet1!G4"),
        (K.NOT_AN_INTEGER, "Sheet1!F5"),
    ]
    assert violations[1].value == 1.5


# Random fills: every injected problem is reported at its exact address, and nothing else.

INTEGER_CELLS = st.one_of(
    st.tuples(st.just("valid"), st.integers(-5, 500)),
    st.tuples(st.just("blank"), st.sampled_from(["", None, "  "])),
    st.tuples(st.just("text"), st.sampled_from(["abc", "无", "x12", "1,23"])),
    st.tuples(st.just("fraction"), st.sampled_from(["12.5", 0.5, "3.25 "])),
)
PERCENT_CELLS = st.one_of(
    st.tuples(st.just("valid"), st.sampled_from(["85%", 0.5, "100％", "1"])),
    st.tuples(st.just("blank"), st.just("")),
    st.tuples(st.just("bad"), st.sampled_from(["x%", "八成"])),
)
DATE_CELLS = st.one_of(
    st.tuples(st.just("valid"), st.sampled_from(["2020年11月1日", "2020/11/2", 44136])),
    st.tuples(st.just("blank"), st.just(None)),
    st.tuples(st.just("bad"), st.sampled_from(["2020-13-01", "上周"])),
)
ROWS = st.tuples(
    INTEGER_CELLS, INTEGER_CELLS, INTEGER_CELLS, INTEGER_CELLS, PERCENT_CELLS, DATE_CELLS
)


@given(st.lists(ROWS, min_size=1, max_size=8), st.integers(0, 30), st.integers(0, 5))
def test_random_faults_reported_at_exact_cells(
    rows: list[tuple[tuple[str, object], ...]], top: int, left: int
) -> None:
    grid: list[list[object]] = [list(HEADER)]
    expected: list[tuple[ViolationKind, str]] = []
    for index, cells in enumerate(rows):
        grid.append(row(VILLAGES[index], *(value for _, value in cells)))
        sheet_row = top + 1 + index

        def address(offset: int, sheet_row: int = sheet_row) -> str:
            return cell_address(sheet_row, left + 3 + offset)

        if all(state == "blank" for state, _ in cells):
            expected.append((K.NOT_SUBMITTED, address(0)))
            continue
        for offset, (state, _) in enumerate(cells):
            if state == "blank" and offset < 4:
                expected.append((K.MISSING, address(offset)))
            elif state == "text":
                expected.append((K.NOT_A_NUMBER, address(offset)))
            elif state == "fraction":
                expected.append((K.NOT_AN_INTEGER, address(offset)))
            elif state == "bad":
                kind = K.INVALID_PERCENT if offset == 4 else K.INVALID_DATE
                expected.append((kind, address(offset)))

        households, men, women, total = (cells[i] for i in range(4))
        if households[0] == "valid" and int(households[1]) < 0:  # type: ignore[call-overload]
            expected.append((K.RULE, address(0)))
        sums_known = all(cell[0] == "valid" for cell in (men, women, total))
        if sums_known and int(men[1]) + int(women[1]) != int(total[1]):  # type: ignore[call-overload]
            expected.append((K.RULE, address(1)))

    records = records_from_grid(TEMPLATE, grid, first_row=top, first_column=left)
    found = [(violation.kind, violation.cell) for violation in validate(TEMPLATE, records)]

    assert sorted(found, key=str) == sorted(expected, key=str)
