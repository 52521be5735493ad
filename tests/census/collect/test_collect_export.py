"""Tests for the .xlsx export: three sheets with raw data, violations and the summary."""

from __future__ import annotations

import pathlib
from decimal import Decimal

import openpyxl
import pytest

from censusdt.census.collect.export import export_xlsx
from censusdt.census.collect.records import Village
from censusdt.census.collect.template import Column, TableTemplate
from censusdt.census.collect.validate import validate
from censusdt.census.collect.values import ColumnType

TEMPLATE = TableTemplate.build(
    "登记进度",
    [
        Column("总人口", ColumnType.INTEGER, required=True, unit="人"),
        Column("登记人数", ColumnType.INTEGER, required=True),
        Column("完成率", ColumnType.PERCENT, total_formula="登记人数 / 总人口"),
    ],
    ["登记人数 <= 总人口"],
)
VILLAGES = [
    Village("370783001001", "圣城街道", "城里居委会"),
    Village("370783001002", "圣城街道", "南关居委会"),
    Village("370783002001", "文家街道", "文家村"),
    Village("370783002002", "文家街道", "桂河村"),
]
GRID: list[list[object]] = [
    [*TEMPLATE.header],
    ["370783001001", "圣城街道", "城里居委会", 200, 180, "90%"],
    ["370783001002", "圣城街道", "南关居委会", 100, 120, ""],
    ["370783002001", "文家街道", "文家村", "很多", 10, ""],
]


def rows_of(sheet: object) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_export_writes_three_sheets(tmp_path: pathlib.Path) -> None:
    path = export_xlsx(tmp_path / "进度.xlsx", TEMPLATE, GRID, villages=VILLAGES)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["原始数据", "校验问题", "汇总"]

    raw = rows_of(workbook["原始数据"])
    assert raw[0] == ("区划代码", "乡镇", "村", "总人口（人）", "登记人数", "完成率", "位置")
    assert raw[1] == ("370783001001", "圣城街道", "城里居委会", 200, 180, "90%", "第 2 行")
    assert raw[3][3] == "很多"
    assert len(raw) == 4


def test_export_violations_match_validate(tmp_path: pathlib.Path) -> None:
    path = export_xlsx(tmp_path / "进度.xlsx", TEMPLATE, GRID, villages=VILLAGES)
    expected = validate(TEMPLATE, GRID, villages=VILLAGES)

    rows = rows_of(openpyxl.load_workbook(path)["校验问题"])

    assert rows[0] == ("区划代码", "乡镇", "村", "位置", "列", "值", "问题", "说明")
    assert len(rows) == len(expected) + 1
    assert [(row[3], row[6]) for row in rows[1:]] == [("E3", "不满足规则"), ("D4", "不是数字")]
    assert [row[7] for row in rows[1:]] == [violation.message() for violation in expected]


def test_export_marks_problem_cells(tmp_path: pathlib.Path) -> None:
    path = export_xlsx(tmp_path / "进度.xlsx", TEMPLATE, GRID, villages=VILLAGES)

    raw = openpyxl.load_workbook(path)["原始数据"]

    assert raw["D4"].comment is not None
    assert "应填数字" in raw["D4"].comment.text
    assert raw["D4"].fill.fgColor.rgb == "FFF4CCCC"
    assert raw["E3"].comment is not None
    assert raw["D2"].comment is None


def test_export_summary(tmp_path: pathlib.Path) -> None:
    path = export_xlsx(tmp_path / "进度.xlsx", TEMPLATE, GRID, villages=VILLAGES)

    summary = openpyxl.load_workbook(path)["汇总"]
    rows = rows_of(summary)

    assert rows[0] == (
        "乡镇",
        "村数",
        "已提交",
        "未提交",
        "未完成",
        "总人口（人）",
        "登记人数",
        "完成率",
    )
    assert rows[1][:7] == ("圣城街道", 2, 2, 0, 0, 300, 300)
    assert rows[1][7] == pytest.approx(1.0)
    assert rows[2][:7] == ("文家街道", 2, 1, 1, 0, 0, 10)
    assert rows[2][7] is None
    assert rows[3][:7] == ("全县合计", 4, 3, 1, 0, 300, 310)
    assert Decimal(str(rows[3][7])).quantize(Decimal("0.0001")) == Decimal("1.0333")
    assert summary.cell(row=4, column=8).number_format == "0.00%"
    assert rows[5][:1] == ("未提交的村",)
    assert rows[7][:3] == ("370783002002", "文家街道", "桂河村")
    labels = [row[0] for row in rows]
    assert "未完成的村（必填项未填）" in labels
    assert labels[-1] == "无"


def test_export_in_english(tmp_path: pathlib.Path) -> None:
    path = export_xlsx(tmp_path / "progress.xlsx", TEMPLATE, GRID, lang="en")

    workbook = openpyxl.load_workbook(path)

    assert workbook.sheetnames == ["Raw data", "Violations", "Summary"]
    assert rows_of(workbook["Summary"])[3][0] == "County total"
    assert rows_of(workbook["Violations"])[1][6] == "Rule broken"


def test_export_custom_sheet_names(tmp_path: pathlib.Path) -> None:
    path = export_xlsx(tmp_path / "a.xlsx", TEMPLATE, GRID, sheet_names=("数据", "问题", "合计"))

    assert openpyxl.load_workbook(path).sheetnames == ["数据", "问题", "合计"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"lang": "fr"}, "invalid lang 'fr'"),
        ({"sheet_names": ("a", "a", "b")}, "three different names"),
    ],
)
def test_export_rejects_bad_options(
    tmp_path: pathlib.Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        export_xlsx(tmp_path / "x.xlsx", TEMPLATE, GRID, **options)  # type: ignore[arg-type]

    assert not (tmp_path / "x.xlsx").exists()


def test_export_form_instances(tmp_path: pathlib.Path) -> None:
    instances: list[dict[str, object]] = [{"formInstanceId": "i-1", "forms": [
        {"key": "a", "label": "区划代码", "value": "370783001001"},
        {"key": "b", "label": "总人口", "value": "10"},
        {"key": "c", "label": "登记人数", "value": "20"},
    ]}]  # fmt: skip

    path = export_xlsx(tmp_path / "forms.xlsx", TEMPLATE, instances, villages=VILLAGES)

    workbook = openpyxl.load_workbook(path)
    raw = rows_of(workbook["原始数据"])
    assert raw[1][-1] == "填表实例 i-1"
    assert raw[1][1] == "圣城街道"
    violations = rows_of(workbook["校验问题"])
    assert violations[1][3] == "填表实例 i-1"
    assert workbook["原始数据"]["E2"].comment is not None
