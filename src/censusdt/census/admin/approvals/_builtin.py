"""The census office's approval templates: leave, business trip, seal and supplies requests.

These are starting points. An office whose form differs (other leave types, other
seals) copies one with ``attrs.evolve`` and its own components, because the labels
must match the form in its DingTalk approval app exactly.
"""

from __future__ import annotations

from censusdt.census.admin.approvals._components import ComponentType, FormComponent
from censusdt.census.admin.approvals._template import ApprovalTemplate

__all__ = [
    "BUSINESS_TRIP",
    "LEAVE",
    "SEAL_REQUEST",
    "SUPPLIES_REQUEST",
    "TEMPLATES",
    "get_template",
]

_T = ComponentType

LEAVE = ApprovalTemplate(
    "请假",
    name_en="Leave",
    components=(
        FormComponent(
            "请假类型",
            _T.SELECT,
            required=True,
            options=("事假", "病假", "年假", "调休", "婚假", "产假", "陪产假", "丧假"),
        ),
        # NOTE: the start-instance documentation shows date ranges only as yyyy-MM-dd,
        # while the form documentation gives yyyy-MM-dd HH:mm for hour units. The hour
        # form sent here has not been checked against DingTalk.
        FormComponent(
            "请假时间",
            _T.DATE_RANGE,
            required=True,
            date_unit="hour",
            range_labels=("开始时间", "结束时间"),
        ),
        FormComponent("请假天数", _T.NUMBER, required=True, unit="天"),
        FormComponent("请假事由", _T.TEXTAREA, required=True),
        FormComponent("工作交接人", _T.CONTACT),
    ),
)

BUSINESS_TRIP = ApprovalTemplate(
    "出差",
    name_en="Business trip",
    components=(
        FormComponent("出差事由", _T.TEXTAREA, required=True),
        FormComponent(
            "出差时间",
            _T.DATE_RANGE,
            required=True,
            range_labels=("出发日期", "返回日期"),
        ),
        FormComponent("出差天数", _T.NUMBER, required=True, unit="天"),
        FormComponent(
            "行程明细",
            _T.TABLE,
            required=True,
            columns=(
                FormComponent("出发城市", _T.TEXT, required=True),
                FormComponent("目的城市", _T.TEXT, required=True),
                FormComponent("出发日期", _T.DATE, required=True),
                FormComponent(
                    "交通工具",
                    _T.SELECT,
                    required=True,
                    options=("火车", "飞机", "长途汽车", "公务用车", "其他"),
                ),
                FormComponent("备注", _T.TEXT),
            ),
        ),
        FormComponent("同行人员", _T.CONTACT),
        FormComponent("预计费用（元）", _T.MONEY),
    ),
)

SEAL_REQUEST = ApprovalTemplate(
    "用印申请",
    name_en="Seal request",
    components=(
        FormComponent(
            "印章类型",
            _T.SELECT,
            required=True,
            options=("单位公章", "人普办公章", "财务专用章", "法定代表人章"),
        ),
        FormComponent("用印日期", _T.DATE, required=True),
        FormComponent("用印事由", _T.TEXTAREA, required=True),
        FormComponent(
            "文件明细",
            _T.TABLE,
            required=True,
            columns=(
                FormComponent("文件名称", _T.TEXT, required=True),
                FormComponent("份数", _T.NUMBER, required=True, unit="份"),
                FormComponent("备注", _T.TEXT),
            ),
        ),
    ),
)

SUPPLIES_REQUEST = ApprovalTemplate(
    "物资申领",
    name_en="Supplies request",
    components=(
        FormComponent("申领事由", _T.TEXTAREA, required=True),
        FormComponent(
            "物资明细",
            _T.TABLE,
            required=True,
            columns=(
                FormComponent("物资名称", _T.TEXT, required=True),
                FormComponent("规格型号", _T.TEXT),
                FormComponent("数量", _T.NUMBER, required=True),
                FormComponent("单位", _T.TEXT),
                FormComponent("备注", _T.TEXT),
            ),
        ),
        FormComponent("期望领取日期", _T.DATE),
    ),
)

TEMPLATES: tuple[ApprovalTemplate, ...] = (LEAVE, BUSINESS_TRIP, SEAL_REQUEST, SUPPLIES_REQUEST)


def get_template(name: str) -> ApprovalTemplate:
    """Return the built-in template with the Chinese or English ``name``."""
    for template in TEMPLATES:
        if name in (template.name, template.name_en):
            return template
    names = [template.name for template in TEMPLATES]
    raise KeyError(f"no approval template {name!r}; built-in templates are {names}")
