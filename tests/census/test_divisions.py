"""Division tables: built-in data, lookups, and validation that reports every bad row."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from censusdt.census.divisions import (
    Division,
    DivisionLevel,
    DivisionTable,
    DivisionTableError,
)

SHOUGUANG = "370783000000"
SHENGCHENG = "370783001000"  # 圣城街道
CHENGLI = "370783001001"  # 城里居委会
HEADER = ["code", "level", "level_zh", "name", "parent_code", "ur_code_2016"]


def write_table(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_builtin_shouguang_levels() -> None:
    table = DivisionTable.builtin("370783")
    levels = Counter(division.level for division in table)
    assert len(table) == 1028
    assert levels[DivisionLevel.COUNTY] == 1
    assert levels[DivisionLevel.TOWN] == 15
    assert levels[DivisionLevel.VILLAGE] == 1012


def test_builtin_weifang_levels() -> None:
    table = DivisionTable.builtin("3707")
    levels = Counter(division.level for division in table)
    assert len(table) == 7175
    assert levels[DivisionLevel.COUNTY] == 13
    assert levels[DivisionLevel.TOWN] == 122
    assert levels[DivisionLevel.VILLAGE] == 7040


def test_weifang_contains_shouguang_rows() -> None:
    shouguang = DivisionTable.builtin("370783")
    weifang = DivisionTable.builtin("3707")
    for division in shouguang:
        assert weifang.get(division.code) == division
    assert weifang.subtree(SHOUGUANG) == list(shouguang.subtree(SHOUGUANG))


def test_builtin_accepts_twelve_digits() -> None:
    assert DivisionTable.builtin("370783000000") is DivisionTable.builtin("370783")
    assert DivisionTable.builtin("370700000000") is DivisionTable.builtin("3707")


def test_builtin_unknown_code() -> None:
    with pytest.raises(ValueError, match="no built-in division table for '370784'"):
        DivisionTable.builtin("370784")


def test_lookups() -> None:
    table = DivisionTable.builtin("370783")
    town = table.get(SHENGCHENG)
    assert town.name == "圣城街道"
    assert town.level is DivisionLevel.TOWN
    assert town.parent_code == SHOUGUANG
    assert CHENGLI in table
    assert "370783999999" not in table
    assert table.find("370783999999") is None
    with pytest.raises(KeyError, match="370783999999"):
        table.get("370783999999")


def test_towns_and_villages() -> None:
    table = DivisionTable.builtin("370783")
    towns = table.towns(SHOUGUANG)
    assert len(towns) == 15
    assert [t.code for t in towns] == sorted(t.code for t in towns)
    villages = table.villages(SHENGCHENG)
    assert villages[0].code == CHENGLI
    assert all(v.parent_code == SHENGCHENG for v in villages)
    assert sum(len(table.villages(t.code)) for t in towns) == 1012


def test_towns_of_a_town_rejected() -> None:
    table = DivisionTable.builtin("370783")
    with pytest.raises(ValueError, match="is a town, not a county"):
        table.towns(SHENGCHENG)
    with pytest.raises(ValueError, match="is a village, not a town"):
        table.villages(CHENGLI)


def test_parent_chain() -> None:
    table = DivisionTable.builtin("370783")
    assert [d.code for d in table.ancestors(CHENGLI)] == [SHENGCHENG, SHOUGUANG]
    assert [d.code for d in table.ancestors(SHENGCHENG)] == [SHOUGUANG]
    assert table.ancestors(SHOUGUANG) == []
    assert table.county_of(CHENGLI).code == SHOUGUANG
    assert table.county_of(SHOUGUANG).code == SHOUGUANG


def test_subtree_lists_towns_before_their_villages() -> None:
    table = DivisionTable.builtin("370783")
    subtree = table.subtree(SHOUGUANG)
    assert len(subtree) == 1028
    seen: set[str] = set()
    for division in subtree:
        if division.level is not DivisionLevel.COUNTY:
            assert division.parent_code in seen
        seen.add(division.code)


def test_urban_rural_code_read() -> None:
    table = DivisionTable.builtin("370783")
    assert table.get(CHENGLI).urban_rural_code == "111"
    assert table.get(SHENGCHENG).urban_rural_code is None


def test_load_equals_builtin(tmp_path: Path) -> None:
    source = Path(__file__).parents[2] / "src/censusdt/data/divisions"
    table = DivisionTable.load(source / "admin-divisions-2020-shouguang-370783.csv")
    assert list(table) == list(DivisionTable.builtin("370783"))


def test_load_small_table(tmp_path: Path) -> None:
    path = write_table(
        tmp_path / "t.csv",
        [
            ["370783000000", "county", "县级", "寿光市", "370700000000", ""],
            ["370783001000", "town", "乡级", "圣城街道", "370783000000", ""],
            ["370783001001", "village", "村级", "城里居委会", "370783001000", "111"],
        ],
    )
    table = DivisionTable.load(path)
    assert len(table) == 3
    assert table.villages("370783001000") == [
        Division("370783001001", DivisionLevel.VILLAGE, "城里居委会", "370783001000", "111")
    ]


def test_load_reports_every_problem(tmp_path: Path) -> None:
    path = write_table(
        tmp_path / "bad.csv",
        [
            ["370783000000", "county", "县级", "寿光市", "370700000000", ""],
            ["370783001000", "town", "乡级", "圣城街道", "370783000000", ""],
            ["370783001000", "town", "乡级", "圣城街道", "370783000000", ""],
            ["370783002001", "village", "村级", "无主村", "370783002000", ""],
            ["370783001002", "town", "乡级", "错级村", "370783001000", ""],
            ["37078300100", "village", "村级", "短码村", "370783001000", ""],
            ["370783001003", "hamlet", "", "未知级", "370783001000", ""],
            ["370783001004", "village", "村级", "错父村", "370783003000", ""],
            ["370783001005", "village", "村级", "", "370783001000", ""],
        ],
    )
    with pytest.raises(DivisionTableError) as caught:
        DivisionTable.load(path)

    problems = {(issue.line, issue.code): issue.reason for issue in caught.value.issues}
    assert len(problems) == 7
    assert "duplicate code, first at line 3" in problems[(4, "370783001000")]
    assert "unknown parent 370783002000" in problems[(5, "370783002001")]
    assert "wrong level 'town'" in problems[(6, "370783001002")]
    assert "12 digits" in problems[(7, "37078300100")]
    assert "unknown level 'hamlet'" in problems[(8, "370783001003")]
    assert "expected 370783001000" in problems[(9, "370783001004")]
    assert problems[(10, "370783001005")] == "missing name"
    assert str(path) in str(caught.value)


def test_load_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("code,name\n370783000000,寿光市\n", encoding="utf-8")
    with pytest.raises(DivisionTableError, match=r"missing column.*level, parent_code"):
        DivisionTable.load(path)


def test_constructor_validates() -> None:
    village = Division("370783001001", DivisionLevel.VILLAGE, "城里居委会", "370783001000")
    with pytest.raises(DivisionTableError, match="unknown parent 370783001000") as caught:
        DivisionTable([village])
    assert caught.value.issues[0].line is None
