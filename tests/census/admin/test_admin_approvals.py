"""Tests for approval templates: formComponentValues encoding, validation and parsing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from censusdt import ValidationError
from censusdt.census.admin.approvals import (
    BUSINESS_TRIP,
    LEAVE,
    SEAL_REQUEST,
    SUPPLIES_REQUEST,
    TEMPLATES,
    ApprovalTemplate,
    ComponentType,
    FormComponent,
    get_template,
)
from censusdt.timeutil import SHANGHAI


def by_name(items: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {item["name"]: item for item in items}


def error_fields(error: ValidationError) -> list[str]:
    return [field_error.field for field_error in error.errors]


def leave_values() -> dict[str, object]:
    return {
        "请假类型": "病假",
        "请假时间": (
            datetime(2020, 11, 2, 8, 30, tzinfo=SHANGHAI),
            datetime(2020, 11, 3, 17, 30, tzinfo=SHANGHAI),
        ),
        "请假天数": Decimal("1.5"),
        "请假事由": "发烧就医",
        "工作交接人": ["manager4220", "0147282552401293909"],
    }


def test_leave_form_values() -> None:
    items = by_name(LEAVE.form_component_values(leave_values()))

    assert items["请假类型"] == {
        "name": "请假类型",
        "value": "病假",
        "componentType": "DDSelectField",
    }
    date_range = items['["开始时间","结束时间"]']
    assert date_range["value"] == '["2020-11-02 08:30","2020-11-03 17:30"]'
    assert date_range["componentType"] == "DDDateRangeField"
    assert items["请假天数"]["value"] == "1.5"
    assert items["请假事由"]["value"] == "发烧就医"
    assert json.loads(items["工作交接人"]["value"]) == ["manager4220", "0147282552401293909"]


def test_leave_round_trip() -> None:
    values = leave_values()

    parsed = LEAVE.parse_form_values(LEAVE.form_component_values(values))

    assert parsed["请假类型"] == "病假"
    assert parsed["请假时间"] == values["请假时间"]
    assert parsed["请假天数"] == Decimal("1.5")
    assert parsed["工作交接人"] == ("manager4220", "0147282552401293909")


def test_optional_empty_fields_left_out() -> None:
    values = leave_values()
    values["工作交接人"] = []

    items = by_name(LEAVE.form_component_values(values))

    assert "工作交接人" not in items
    assert LEAVE.parse_form_values(list(items.values()))["工作交接人"] is None


def test_datetime_in_other_zone_converted() -> None:
    values = leave_values()
    values["请假时间"] = (
        datetime(2020, 11, 2, 0, 30, tzinfo=timezone.utc),
        datetime(2020, 11, 2, 9, 30, tzinfo=timezone.utc),
    )

    items = by_name(LEAVE.form_component_values(values))

    assert items['["开始时间","结束时间"]']["value"] == '["2020-11-02 08:30","2020-11-02 17:30"]'


def test_day_date_range_format() -> None:
    values = {
        "出差事由": "赴市普查办参加业务培训",
        "出差时间": (date(2020, 9, 7), date(2020, 9, 9)),
        "出差天数": 3,
        "行程明细": [
            {
                "出发城市": "寿光",
                "目的城市": "潍坊",
                "出发日期": date(2020, 9, 7),
                "交通工具": "公务用车",
            },
        ],
    }

    items = by_name(BUSINESS_TRIP.form_component_values(values))

    assert items['["出发日期","返回日期"]']["value"] == '["2020-09-07","2020-09-09"]'
    rows = json.loads(items["行程明细"]["value"])
    assert rows == [
        [
            {"name": "出发城市", "value": "寿光"},
            {"name": "目的城市", "value": "潍坊"},
            {"name": "出发日期", "value": "2020-09-07"},
            {"name": "交通工具", "value": "公务用车"},
            {"name": "备注", "value": ""},
        ]
    ]


def test_every_error_named_at_once() -> None:
    values = {
        "申领事由": "",
        "物资明细": [
            {"物资名称": "普查员证", "数量": "二十"},
            {"规格型号": "A4"},
            {},
            {"物资名称": "帽子", "数量": 3, "颜色": "红"},
        ],
        "期望领取日期": "2020-10-08",
        "紧急程度": "高",
    }

    with pytest.raises(ValidationError) as info:
        SUPPLIES_REQUEST.form_component_values(values)

    assert sorted(error_fields(info.value)) == sorted(
        [
            "紧急程度",
            "申领事由",
            "物资明细[1].数量",
            "物资明细[2].物资名称",
            "物资明细[2].数量",
            "物资明细[3]",
            "物资明细[4].颜色",
            "期望领取日期",
        ]
    )
    assert isinstance(info.value, ValueError)
    assert "8 invalid value(s)" in str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("请假类型", "旷工", "is not an option"),
        ("请假类型", ["事假"], "expected one option"),
        ("请假天数", True, "expected a number"),
        ("请假天数", float("nan"), "finite"),
        ("请假天数", "一天", "is not a number"),
        ("请假事由", 42, "expected text"),
        ("工作交接人", "manager4220", "expected a list"),
        ("工作交接人", ["manager4220", ""], "non-empty"),
        ("请假时间", (date(2020, 11, 2), date(2020, 11, 3)), "aware datetime"),
        (
            "请假时间",
            (datetime(2020, 11, 2, 8, 30), datetime(2020, 11, 2, 9, 30)),
            "naive datetime",
        ),
        (
            "请假时间",
            (
                datetime(2020, 11, 2, 8, 30, 15, tzinfo=SHANGHAI),
                datetime(2020, 11, 2, 9, 30, tzinfo=SHANGHAI),
            ),
            "keeps minutes",
        ),
        (
            "请假时间",
            (
                datetime(2020, 11, 3, 8, 30, tzinfo=SHANGHAI),
                datetime(2020, 11, 2, 9, 30, tzinfo=SHANGHAI),
            ),
            "end is before the start",
        ),
        ("请假时间", datetime(2020, 11, 3, 8, 30, tzinfo=SHANGHAI), "(start, end) pair"),
    ],
)
def test_invalid_value_reported(field: str, value: object, reason: str) -> None:
    values = leave_values()
    values[field] = value

    with pytest.raises(ValidationError) as info:
        LEAVE.form_component_values(values)

    assert len(info.value.errors) == 1
    error = info.value.errors[0]
    assert error.field.startswith(field)
    assert reason in error.reason


def test_required_field_missing() -> None:
    values = leave_values()
    del values["请假事由"]

    with pytest.raises(ValidationError, match="请假事由=None: is required"):
        LEAVE.validate(values)


def test_multi_select_is_json_array_even_for_one() -> None:
    template = ApprovalTemplate(
        "培训报名",
        components=(
            FormComponent(
                "培训内容", ComponentType.MULTI_SELECT, required=True, options=("短表", "长表")
            ),
        ),
    )

    items = template.form_component_values({"培训内容": ["长表"]})

    assert items[0]["value"] == '["长表"]'
    assert template.parse_form_values(items) == {"培训内容": ("长表",)}


def test_parse_ignores_unknown_items() -> None:
    items = [
        *LEAVE.form_component_values(leave_values()),
        {"name": "说明", "value": "", "componentType": "TextNote"},
        {"name": "审批编号", "value": "202011020001", "componentType": "TextField"},
    ]

    parsed = LEAVE.parse_form_values(items)

    assert set(parsed) == {component.name for component in LEAVE.components}


def test_parse_instance_detail_shapes() -> None:
    # Values as an instance detail returns them: extra keys, a date range followed by its
    # duration, numbers with decimals, and detail rows wrapped in rowValue objects.
    items = [
        {"id": "TextareaField_1", "name": "申领事由", "value": "补发", "extValue": ""},
        {
            "name": "物资明细",
            "componentType": "TableField",
            "value": json.dumps(
                [
                    {
                        "rowValue": [
                            {"label": "物资名称", "value": "普查员证", "key": "TextField_1"},
                            {"label": "数量", "value": "2.0", "key": "NumberField_1"},
                        ],
                    },
                ],
                ensure_ascii=False,
            ),
        },
    ]

    parsed = SUPPLIES_REQUEST.parse_form_values(items)

    assert parsed["申领事由"] == "补发"
    assert parsed["物资明细"] == (
        {
            "物资名称": "普查员证",
            "规格型号": None,
            "数量": Decimal("2"),
            "单位": None,
            "备注": None,
        },
    )


def test_parse_date_range_with_duration() -> None:
    items = [
        {"name": "出差事由", "value": "培训"},
        {"name": '["出发日期","返回日期"]', "value": '["2020-09-07","2020-09-09",3,"day"]'},
        {"name": "出差天数", "value": "3"},
        {"name": "行程明细", "value": "[]"},
    ]

    parsed = BUSINESS_TRIP.parse_form_values(items)

    assert parsed["出差时间"] == (date(2020, 9, 7), date(2020, 9, 9))
    assert parsed["行程明细"] == ()


def test_parse_reports_every_problem() -> None:
    items = [
        {"name": "印章类型", "value": "单位公章"},
        {"name": "用印日期", "value": "2020/10/08"},
        {
            "name": "文件明细",
            "value": '[[{"name":"文件名称","value":"通知"},{"name":"份数","value":"三"}]]',
        },
    ]

    with pytest.raises(ValidationError) as info:
        SEAL_REQUEST.parse_form_values(items)

    assert sorted(error_fields(info.value)) == ["文件明细[1].份数", "用印事由", "用印日期"]


def test_parse_malformed_table_json() -> None:
    items = [{"name": "申领事由", "value": "补发"}, {"name": "物资明细", "value": "[[{"}]

    with pytest.raises(ValidationError, match="物资明细='\\[\\[\\{': is not a JSON array"):
        SUPPLIES_REQUEST.parse_form_values(items)


def test_value_length_limit() -> None:
    values = leave_values()
    values["请假事由"] = "因" * 65536

    with pytest.raises(ValidationError, match="65535"):
        LEAVE.form_component_values(values)


def test_form_schema() -> None:
    schema = SEAL_REQUEST.form_schema()

    assert [item["componentType"] for item in schema] == [
        "DDSelectField",
        "DDDateField",
        "TextareaField",
        "TableField",
    ]
    select_props = schema[0]["props"]
    assert select_props["label"] == "印章类型"
    assert select_props["required"] is True
    assert [option["value"] for option in select_props["options"]] == list(
        SEAL_REQUEST.component("印章类型").options
    )
    assert schema[1]["props"]["format"] == "yyyy-MM-dd"
    children = schema[3]["children"]
    assert [child["props"]["label"] for child in children] == ["文件名称", "份数", "备注"]
    ids = [item["props"]["componentId"] for item in schema]
    ids += [child["props"]["componentId"] for child in children]
    assert len(set(ids)) == len(ids)


def test_builtin_templates() -> None:
    assert [template.name for template in TEMPLATES] == ["请假", "出差", "用印申请", "物资申领"]
    assert get_template("Seal request") is SEAL_REQUEST
    assert get_template("物资申领") is SUPPLIES_REQUEST
    with pytest.raises(KeyError, match="加班"):
        get_template("加班")


def test_component_definition_errors() -> None:
    with pytest.raises(ValueError, match="needs options"):
        FormComponent("类型", ComponentType.SELECT)
    with pytest.raises(ValueError, match="only a TableField takes columns"):
        FormComponent("名称", ComponentType.TEXT, columns=(FormComponent("a", "TextField"),))
    with pytest.raises(ValueError, match="column names"):
        FormComponent(
            "明细",
            ComponentType.TABLE,
            columns=(FormComponent("a", "TextField"), FormComponent("a", "NumberField")),
        )
    with pytest.raises(ValueError, match="duplicate component names"):
        ApprovalTemplate(
            "x", components=(FormComponent("a", "TextField"), FormComponent("a", "TextField"))
        )
    with pytest.raises(ValueError, match="is not a valid ComponentType"):
        FormComponent("a", "DDHolidayField")


def test_component_lookup() -> None:
    assert LEAVE.component("请假天数").unit == "天"
    with pytest.raises(KeyError, match="请假原因"):
        LEAVE.component("请假原因")


# --- property: detail-table values survive encoding and parsing ----------------------

DETAIL = FormComponent(
    "明细",
    ComponentType.TABLE,
    columns=(
        FormComponent("名称", ComponentType.TEXT, required=True),
        FormComponent("说明", ComponentType.TEXTAREA),
        FormComponent("数量", ComponentType.NUMBER),
        FormComponent("金额", ComponentType.MONEY),
        FormComponent("类别", ComponentType.SELECT, options=("纸质", "电子", "其他")),
        FormComponent("日期", ComponentType.DATE),
        FormComponent("时间", ComponentType.DATE, date_unit="hour"),
    ),
)
DETAIL_TEMPLATE = ApprovalTemplate("明细测试", components=(DETAIL,))

chinese_text = st.text(
    alphabet=st.sampled_from(
        list('普查员入户登记表格物资名称笔纸袋，。、；：“”"\\[]{}, abc123\n\t ')
    ),
    min_size=1,
    max_size=20,
)
numbers = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
)
hours = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(SHANGHAI)
).map(lambda value: value.replace(second=0, microsecond=0))


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


rows = st.fixed_dictionaries(
    {
        "名称": chinese_text,
        "说明": optional(chinese_text),
        "数量": optional(st.integers(min_value=-(10**12), max_value=10**12).map(Decimal) | numbers),
        "金额": optional(numbers),
        "类别": optional(st.sampled_from(["纸质", "电子", "其他"])),
        "日期": optional(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))),
        "时间": optional(hours),
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, min_size=1, max_size=8))
def test_detail_table_round_trip(table: list[dict[str, object]]) -> None:
    items = DETAIL_TEMPLATE.form_component_values({"明细": table})

    parsed = DETAIL_TEMPLATE.parse_form_values(items)

    assert parsed["明细"] == tuple(table)
    assert json.loads(items[0]["value"])[0][0]["name"] == "名称"


@settings(max_examples=50, deadline=None)
@given(st.lists(rows, min_size=1, max_size=4), st.integers(min_value=0, max_value=3))
def test_detail_table_missing_name_reported(table: list[dict[str, object]], index: int) -> None:
    index = index % len(table)
    # Another cell keeps the row non-empty, so the error is about the missing name.
    table[index] = {**table[index], "名称": None, "说明": "补充"}

    with pytest.raises(ValidationError) as info:
        DETAIL_TEMPLATE.form_component_values({"明细": table})

    assert f"明细[{index + 1}].名称" in error_fields(info.value)


def test_hour_date_keeps_zone() -> None:
    value = datetime(2020, 11, 2, 8, 30, tzinfo=SHANGHAI)
    row = {"名称": "交接", "时间": value + timedelta(hours=1)}

    items = DETAIL_TEMPLATE.form_component_values({"明细": [row]})
    parsed = DETAIL_TEMPLATE.parse_form_values(items)

    parsed_rows = parsed["明细"]
    assert isinstance(parsed_rows, tuple)
    assert parsed_rows[0]["时间"] == datetime(2020, 11, 2, 9, 30, tzinfo=SHANGHAI)
