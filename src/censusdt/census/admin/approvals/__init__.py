"""Approval templates (请假, 出差, 用印申请, 物资申领) and their formComponentValues.

A template describes a form as components. ``form_component_values`` builds the list a
start request takes, and ``parse_form_values`` reads an instance's list back into
Python values. Both raise one ValidationError that names every bad field.
"""

from censusdt.census.admin.approvals._builtin import (
    BUSINESS_TRIP,
    LEAVE,
    SEAL_REQUEST,
    SUPPLIES_REQUEST,
    TEMPLATES,
    get_template,
)
from censusdt.census.admin.approvals._components import (
    ComponentType,
    DateUnit,
    FormComponent,
    InvalidValue,
)
from censusdt.census.admin.approvals._template import ApprovalTemplate

__all__ = [
    "BUSINESS_TRIP",
    "LEAVE",
    "SEAL_REQUEST",
    "SUPPLIES_REQUEST",
    "TEMPLATES",
    "ApprovalTemplate",
    "ComponentType",
    "DateUnit",
    "FormComponent",
    "InvalidValue",
    "get_template",
]
