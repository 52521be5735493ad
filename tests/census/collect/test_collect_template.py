"""Tests for collection templates: building them, header matching, and reading .xlsx headers."""

from __future__ import annotations

import pathlib

import openpyxl
import pytest

from censusdt.census.collect.specs import ColumnSpec, parse_spec, split_header
from censusdt.census.collect.template import Column, Layout, TableTemplate
from censusdt.census.collect.template_file import read_template, template_from_rows
from censusdt.census.collect.values import ColumnType


def progress_template(layout: Layout = Layout.ROWS_BY_TOWN) -> TableTemplate:
    return TableTemplate.build(
        "登记进度",
        [
            Column("户数", ColumnType.INTEGER, required=True, unit="户"),
            Column("总人口", ColumnType.INTEGER, required=True, unit="人"),
            Column("登记人数", ColumnType.INTEGER, required=True),
            Column("完成率", ColumnType.PERCENT, total_formula="登记人数 / 总人口"),
        ],
        ["户数 ≥ 0", "登记人数 <= 总人口"],
        layout=layout,
    )


def test_header_has_keys_then_columns() -> None:
    assert progress_template().header == [
        "区划代码",
        "乡镇",
        "村",
        "户数（户）",
        "总人口（人）",
        "登记人数",
        "完成率",
    ]
    assert progress_template(Layout.SHEET_PER_TOWN).header[:2] == ["区划代码", "村"]


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("户数", "户数"),
        ("户数（户）", "户数"),
        ("户数(户)", "户数"),
        (" 户 数 ", "户数"),
        ("户数（整数，必填）", "户数"),
        ("乡镇（街道）", "乡镇"),
        ("乡镇/街道", "乡镇"),
        ("村（居）委会", "村"),
        ("社区", "村"),
        ("统计用区划代码", "区划代码"),
        ("备注", None),
        (None, None),
        ("", None),
    ],
)
def test_match_header(header: object, column: str | None) -> None:
    assert progress_template().match_header(header) == column


def test_sheet_per_town_has_no_town_key() -> None:
    assert progress_template(Layout.SHEET_PER_TOWN).match_header("乡镇") is None


def test_column_accepts_type_words() -> None:
    assert Column("户数", "整数").type is ColumnType.INTEGER
    assert Column("户数", "integer").type is ColumnType.INTEGER
    assert Column("完成率", "百分比").type is ColumnType.PERCENT
    with pytest.raises(ValueError, match="invalid column type '整型'"):
        Column("户数", "整型")


def test_column_rejects_formula_on_text() -> None:
    with pytest.raises(ValueError, match="only integer, decimal and percent columns have totals"):
        Column("备注", ColumnType.TEXT, total_formula="户数 / 总人口")


def test_build_lists_every_problem() -> None:
    with pytest.raises(ValueError, match="invalid template") as caught:
        TableTemplate.build(
            "坏模板",
            [
                Column("户数", ColumnType.INTEGER),
                Column("户数", ColumnType.INTEGER),
                Column("村", ColumnType.TEXT),
                Column("完成率", ColumnType.PERCENT, total_formula="户口 / 户数"),
            ],
        )

    message = str(caught.value)
    assert "column '户数' appears twice" in message
    assert "column '村' is a key column" in message
    assert "unknown column '户口'" in message


def test_build_reports_bad_rules_together() -> None:
    with pytest.raises(ValueError, match="invalid template") as caught:
        TableTemplate.build(
            "坏规则", [Column("户数", ColumnType.INTEGER)], ["户数 >", "户口 > 0", "户数 ≥ 0"]
        )

    assert "expected a number or a column name" in str(caught.value)
    assert "unknown column '户口'" in str(caught.value)


def test_rule_on_text_column_is_rejected() -> None:
    with pytest.raises(ValueError, match="not numeric columns"):
        TableTemplate.build(
            "文本规则", [Column("户数", ColumnType.INTEGER), Column("备注")], ["备注 > 0"]
        )


def test_formula_must_use_summed_columns() -> None:
    with pytest.raises(ValueError, match="not summed columns"):
        TableTemplate.build(
            "比率套比率",
            [
                Column("户数", ColumnType.INTEGER),
                Column("甲率", ColumnType.PERCENT),
                Column("乙率", ColumnType.PERCENT, total_formula="甲率 / 户数"),
            ],
        )


def test_column_lookup_names_known_columns() -> None:
    with pytest.raises(KeyError, match="its columns are 户数、总人口"):
        progress_template().column("户口")


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("整数", ColumnSpec(type=ColumnType.INTEGER)),
        ("整数，必填", ColumnSpec(type=ColumnType.INTEGER, required=True)),
        ("小数;选填;单位:亩", ColumnSpec(type=ColumnType.DECIMAL, required=False, unit="亩")),
        (
            "百分比、汇总=登记人数/总人口",
            ColumnSpec(ColumnType.PERCENT, None, None, "登记人数/总人口"),
        ),
        ("日期,必填", ColumnSpec(type=ColumnType.DATE, required=True)),
        ("户", ColumnSpec(unit="户")),
        ("text", ColumnSpec(type=ColumnType.TEXT)),
        ("370783001001", None),
        ("城里居委会", None),
        ("整数，很重要", None),
        ("", None),
        (12, None),
    ],
)
def test_parse_spec(text: object, spec: ColumnSpec | None) -> None:
    assert parse_spec(text) == spec


@pytest.mark.parametrize(
    ("header", "name", "inferred"),
    [
        ("户数（整数，必填，单位：户）", "户数", ColumnType.INTEGER),
        ("总人口（人）", "总人口", ColumnType.INTEGER),
        ("面积(亩)", "面积", ColumnType.DECIMAL),
        ("完成率【百分比；汇总=登记人数/总人口】", "完成率", ColumnType.PERCENT),
        ("完成率(%)", "完成率", ColumnType.PERCENT),
        ("村（居）", "村（居）", None),
        ("备注", "备注", None),
    ],
)
def test_split_header(header: str, name: str, inferred: ColumnType | None) -> None:
    found_name, spec = split_header(header)

    assert found_name == name
    assert (spec.inferred_type if spec else None) == inferred


def test_template_from_type_row() -> None:
    template = template_from_rows(
        "普查区进度",
        [
            ["区划代码", "乡镇", "村", "户数", "完成率", "调查日期", "备注"],
            ["文本", "文本", "文本", "整数，必填，单位：户", "百分比", "日期", ""],
        ],
        rules=["户数 ≥ 0"],
    )

    assert template.layout is Layout.ROWS_BY_TOWN
    assert [column.name for column in template.columns] == ["户数", "完成率", "调查日期", "备注"]
    assert template.column("户数") == Column("户数", ColumnType.INTEGER, required=True, unit="户")
    assert template.column("完成率").type is ColumnType.PERCENT
    assert template.column("调查日期").type is ColumnType.DATE
    assert template.column("备注").type is ColumnType.TEXT
    assert [rule.text for rule in template.rules] == ["户数 ≥ 0"]


def test_bracket_specs_without_town() -> None:
    template = template_from_rows(
        "分镇表",
        [
            [
                "区划代码",
                "村",
                "户数（整数，必填）",
                "总人口（人）",
                "完成率【百分比；汇总=户数/总人口】",
            ]
        ],
    )

    assert template.layout is Layout.SHEET_PER_TOWN
    assert template.column("户数").required
    assert template.column("总人口") == Column("总人口", ColumnType.INTEGER, unit="人")
    assert template.column("完成率").total_formula == "户数/总人口"


def test_data_row_is_not_type_row() -> None:
    template = template_from_rows(
        "有数据",
        [["区划代码", "乡镇", "村", "户数"], ["370783001001", "圣城街道", "城里居委会", "120"]],
    )

    assert template.column("户数").type is ColumnType.TEXT


def test_template_without_header_is_rejected() -> None:
    with pytest.raises(ValueError, match="has no header row"):
        template_from_rows("空", [[None, ""]])


def test_read_template_from_xlsx(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "人口登记进度表.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "填报"
    sheet.append(
        ["区划代码", "乡镇（街道）", "村（居）委会", "户数（户）", "男", "女", "总人口", "完成率"]
    )
    sheet.append(
        [
            "",
            "",
            "",
            "整数，必填",
            "整数，必填",
            "整数，必填",
            "整数，必填",
            "百分比；汇总：男/总人口",
        ]
    )
    rules = workbook.create_sheet("规则")
    rules.append(["规则"])
    rules.append(["男 + 女 = 总人口"])
    rules.append(["户数 ≥ 0"])
    rules.append([None])
    workbook.save(path)

    template = read_template(path, rules=["完成率 <= 100%"])

    assert template.name == "人口登记进度表"
    assert template.layout is Layout.ROWS_BY_TOWN
    assert [column.name for column in template.columns] == ["户数", "男", "女", "总人口", "完成率"]
    assert template.column("户数").unit == "户"
    assert all(template.column(name).required for name in ("户数", "男", "女", "总人口"))
    assert template.column("完成率").total_formula == "男/总人口"
    assert [rule.text for rule in template.rules] == [
        "男 + 女 = 总人口",
        "户数 ≥ 0",
        "完成率 <= 100%",
    ]


def test_read_template_names_missing_sheet(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "t.xlsx"
    openpyxl.Workbook().save(path)

    with pytest.raises(ValueError, match="has no sheet '汇总'; its sheets are Sheet"):
        read_template(path, sheet="汇总")
