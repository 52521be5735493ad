"""Tests for reading village records from grids, sheets, .xlsx files and smart-form instances."""

from __future__ import annotations

import pathlib

import openpyxl
import pytest

from censusdt.census.collect.records import (
    Record,
    SheetLayoutError,
    Village,
    blank_sheets,
    records_from_form_instances,
    records_from_grid,
    records_from_sheets,
    records_from_xlsx,
    to_records,
    villages_from_divisions,
)
from censusdt.census.collect.template import Column, Layout, TableTemplate
from censusdt.census.collect.values import ColumnType
from censusdt.census.divisions import DivisionTable

VILLAGES = [
    Village("370783001001", "圣城街道", "城里居委会"),
    Village("370783001002", "圣城街道", "南关居委会"),
    Village("370783002001", "文家街道", "文家村"),
]


def template(layout: Layout = Layout.ROWS_BY_TOWN) -> TableTemplate:
    return TableTemplate.build(
        "登记进度",
        [
            Column("户数", ColumnType.INTEGER, required=True),
            Column("总人口", ColumnType.INTEGER, required=True),
        ],
        layout=layout,
    )


def test_grid_rows_get_sheet_addresses() -> None:
    grid: list[list[object]] = [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        ["370783001001", "圣城街道", "城里居委会", 120, 300],
        ["370783001002", "圣城街道", "南关居委会", "", None],
    ]

    records = records_from_grid(template(), grid, sheet="进度")

    assert [record.village for record in records] == VILLAGES[:2]
    assert records[0].values == {"户数": 120, "总人口": 300}
    assert records[0].cell("户数") == "D2"
    assert records[1].cell("总人口") == "E3"
    assert records[1].cell("区划代码") == "A3"
    assert records[1].row == 3
    assert records[1].location("户数") == "进度!D3"


def test_grid_origin_offsets_addresses() -> None:
    grid: list[list[object]] = [
        ["村", "户数", "区划代码", "乡镇", "总人口"],
        ["城里居委会", 1, "370783001001", "圣城街道", 2],
    ]

    records = records_from_grid(template(), grid, first_row=4, first_column=2)

    assert records[0].cell("村") == "C6"
    assert records[0].cell("总人口") == "G6"
    assert records[0].village == VILLAGES[0]


def test_type_row_blank_and_subtotal_rows_are_skipped() -> None:
    grid: list[list[object]] = [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        ["文本", "文本", "文本", "整数，必填", "整数，必填"],
        ["370783001001", "圣城街道", "城里居委会", 1, 2],
        [None, None, None, None, None],
        ["", "圣城街道", "小计", 1, 2],
        ["370783002001", "文家街道", "文家村", 3, 4],
        ["合计", "", "", 4, 6],
    ]

    records = records_from_grid(template(), grid)

    assert [record.village.name for record in records] == ["城里居委会", "文家村"]
    assert records[1].row == 6


def test_merged_town_cells_fill_down() -> None:
    grid: list[list[object]] = [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        ["370783001001", "圣城街道", "城里居委会", 1, 2],
        ["370783001002", None, "南关居委会", 1, 2],
        ["370783002001", "文家街道", "文家村", 3, 4],
    ]

    records = records_from_grid(template(), grid)

    assert [record.village.town for record in records] == ["圣城街道", "圣城街道", "文家街道"]


def test_code_written_by_excel_is_normalised() -> None:
    grid: list[list[object]] = [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        [370783001001.0, "圣城街道", "城里居委会", 1, 2],
        ["３７０７８３００１００２", "圣城街道", "南关居委会", 1, 2],
        ["3707830", "圣城街道", "错码村", 1, 2],
    ]

    records = records_from_grid(template(), grid)

    assert records[0].village.code == "370783001001"
    assert records[1].village.code == "370783001002"
    assert records[1].code_valid
    assert records[2].village.code == "3707830"
    assert not records[2].code_valid


def test_village_list_fills_missing_names() -> None:
    grid: list[list[object]] = [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        ["370783002001", "", "", 3, 4],
    ]

    records = records_from_grid(template(), grid, villages=VILLAGES)

    assert records[0].village == VILLAGES[2]


def test_missing_columns_are_listed() -> None:
    grid: list[list[object]] = [["区划代码", "村", "户数", "户数", "备注"]]

    with pytest.raises(SheetLayoutError) as caught:
        records_from_grid(template(), grid, sheet="进度")

    message = str(caught.value)
    assert "sheet 进度 does not match template '登记进度'" in message
    assert "missing columns 乡镇、总人口" in message
    assert "columns given twice: 户数" in message
    assert "header found: 区划代码、村、户数、户数、备注" in message


def test_empty_grid_is_rejected() -> None:
    with pytest.raises(SheetLayoutError, match="is empty"):
        records_from_grid(template(), [])


def test_sheet_per_town_takes_town_from_sheet_name() -> None:
    sheets: dict[str, list[list[object]]] = {
        "圣城街道": [["区划代码", "村", "户数", "总人口"], ["370783001001", "城里居委会", 1, 2]],
        "文家街道": [["区划代码", "村", "户数", "总人口"], ["370783002001", "文家村", 3, 4]],
    }

    records = records_from_sheets(template(Layout.SHEET_PER_TOWN), sheets)

    assert [record.village for record in records] == [VILLAGES[0], VILLAGES[2]]
    assert records[1].location("户数") == "文家街道!C2"


def test_blank_sheets_rows_by_town() -> None:
    sheets = blank_sheets(template(), reversed(VILLAGES))

    assert list(sheets) == ["登记进度"]
    assert sheets["登记进度"] == [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        ["370783001001", "圣城街道", "城里居委会", "", ""],
        ["370783001002", "圣城街道", "南关居委会", "", ""],
        ["370783002001", "文家街道", "文家村", "", ""],
    ]


def test_blank_sheets_per_town_read_back() -> None:
    per_town = template(Layout.SHEET_PER_TOWN)
    sheets = blank_sheets(per_town, VILLAGES)

    assert list(sheets) == ["圣城街道", "文家街道"]
    assert sheets["文家街道"] == [
        ["区划代码", "村", "户数", "总人口"],
        ["370783002001", "文家村", "", ""],
    ]
    assert [record.village for record in records_from_sheets(per_town, sheets)] == VILLAGES


def test_swform_instances() -> None:
    instances: list[dict[str, object]] = [
        {
            "formInstanceId": "inst-1",
            "modifyTime": "2020-11-05T10:00Z",
            "forms": [
                {"key": "TextField_1", "label": "区划代码", "value": "370783001001"},
                {"key": "NumberField_1", "label": "户数", "value": "120"},
                {"key": "NumberField_2", "label": "总人口", "value": "300"},
                {"key": "TextField_9", "label": "填报人", "value": "张三"},
            ],
        },
        {"success": True, "result": {"formInstanceId": "inst-2", "forms": [
            {"key": "a", "label": "乡镇", "value": "文家街道"},
            {"key": "b", "label": "村", "value": "文家村"},
            {"key": "c", "label": "户数（户）", "value": "3"},
        ]}},
    ]  # fmt: skip

    records = records_from_form_instances(template(), instances, villages=VILLAGES)

    assert records[0].village == VILLAGES[0]
    assert records[0].values == {"户数": "120", "总人口": "300"}
    assert records[0].instance_id == "inst-1"
    assert records[0].modified == "2020-11-05T10:00Z"
    assert records[0].cells == {}
    assert records[0].location("户数") == "instance inst-1"
    assert records[1].village == VILLAGES[2]
    assert records[1].code_valid
    assert records[1].values == {"户数": "3", "总人口": None}


def test_plain_dict_instances() -> None:
    records = records_from_form_instances(
        template(), [{"区划代码": "370783001002", "户数": 5, "总人口": 9}], villages=VILLAGES
    )

    assert records[0].village == VILLAGES[1]
    assert records[0].instance_id == "#1"


def test_bad_form_field_is_rejected() -> None:
    with pytest.raises(SheetLayoutError, match="form instance 0 field 1"):
        records_from_form_instances(template(), [{"forms": [{"label": "户数"}, "x"]}])


def test_to_records_dispatches_by_shape() -> None:
    grid: list[list[object]] = [
        ["区划代码", "乡镇", "村", "户数", "总人口"],
        ["370783001001", "圣城街道", "城里居委会", 1, 2],
    ]
    records = to_records(template(), grid)

    assert isinstance(records[0], Record)
    assert to_records(template(), records) == records
    assert to_records(template(), {"进度": grid})[0].sheet == "进度"
    assert to_records(template(), [{"区划代码": "370783001001"}])[0].instance_id == "#1"
    assert to_records(template(), []) == []
    with pytest.raises(TypeError, match="cannot read collection data from int"):
        to_records(template(), 3)  # type: ignore[arg-type]


def test_records_from_xlsx(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "filled.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["请按村填写"])
    sheet = workbook.create_sheet("进度")
    for row in blank_sheets(template(), VILLAGES)["登记进度"]:
        sheet.append(row)
    sheet["D2"] = 120
    workbook.save(path)

    records = records_from_xlsx(template(), path)

    assert [record.sheet for record in records] == ["进度"] * 3
    assert records[0].values["户数"] == 120
    assert records[0].location("户数") == "进度!D2"


def test_records_from_xlsx_without_matching_sheet(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)

    with pytest.raises(SheetLayoutError, match="has the header of template '登记进度'"):
        records_from_xlsx(template(), path)


def test_villages_from_builtin_divisions() -> None:
    table = DivisionTable.builtin("370783")

    villages = villages_from_divisions(table, "370783000000")

    assert len(villages) == 1012
    assert villages[0] == Village("370783001001", "圣城街道", "城里居委会")
    assert len({village.town for village in villages}) == 15
