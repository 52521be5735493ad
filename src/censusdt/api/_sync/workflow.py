# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Typed calls for approvals (OA 审批): start, get, list instance ids, terminate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from censusdt._sync.pagination import Paginator
from censusdt._errors import FieldError, ValidationError
from censusdt._pages import Page
from censusdt.api.workflow import (
    GET_INSTANCE,
    LIST_INSTANCE_IDS,
    MAX_APPROVER_NODES,
    MAX_CC_USERS,
    MAX_FORM_VALUES,
    MAX_LIST_RESULTS,
    MAX_LIST_USER_IDS,
    MAX_START_AGE_DAYS,
    MAX_VALUE_LENGTH,
    MAX_WINDOW_DAYS,
    START_INSTANCE,
    TERMINATE_INSTANCE,
    ApproverNode,
    InstanceStatus,
    ProcessInstance,
    approver_nodes,
)
from censusdt.timeutil import to_epoch_ms

if TYPE_CHECKING:
    from censusdt._sync.client import DingTalk

__all__ = ["Workflow"]

_DAY = dt.timedelta(days=1)


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(errors)


def _form_errors(values: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    errors: list[FieldError] = []
    if not values:
        errors.append(FieldError("form_component_values", [], "needs at least one value"))
    if len(values) > MAX_FORM_VALUES:
        errors.append(
            FieldError(
                "form_component_values",
                f"{len(values)} items",
                f"at most {MAX_FORM_VALUES} per instance",
            )
        )
    for index, item in enumerate(values):
        name, value = item.get("name"), item.get("value")
        if not name:
            errors.append(FieldError(f"form_component_values[{index}].name", name, "is required"))
        if value is None or not isinstance(value, str):
            errors.append(
                FieldError(
                    f"form_component_values[{index}].value",
                    value,
                    "must be a string; encode lists and tables as JSON",
                )
            )
        elif len(value) > MAX_VALUE_LENGTH:
            errors.append(
                FieldError(
                    f"form_component_values[{index}].value",
                    f"{len(value)} characters",
                    f"at most {MAX_VALUE_LENGTH} characters",
                )
            )
    return errors


class Workflow:
    """Approval instances of the app's corp (``client.workflow``); people are userids."""

    def __init__(self, client: DingTalk) -> None:
        self._client = client

    def start_instance(
        self,
        process_code: str,
        originator_user_id: str,
        form_component_values: Sequence[Mapping[str, Any]],
        *,
        dept_id: int | None = None,
        approvers: Sequence[ApproverNode | Sequence[str] | str] = (),
        cc_list: Sequence[str] = (),
        cc_position: str | None = None,
    ) -> str:
        """Start an approval on ``originator_user_id``'s behalf and return its instance id.

        ``form_component_values`` is a template's ``form_component_values(...)`` (or the same
        shape). ``approvers`` overrides the template's flow; without it ``dept_id`` is required
        (-1 for the root department).
        """
        nodes = approver_nodes(approvers)
        errors = _form_errors(form_component_values)
        if not process_code:
            errors.append(FieldError("process_code", process_code, "is required (PROC-...)"))
        if not originator_user_id:
            errors.append(FieldError("originator_user_id", originator_user_id, "is required"))
        if not nodes and dept_id is None:
            errors.append(
                FieldError("dept_id", None, "is required when approvers is empty; -1 is the root")
            )
        if len(nodes) > MAX_APPROVER_NODES:
            errors.append(
                FieldError("approvers", f"{len(nodes)} nodes", f"at most {MAX_APPROVER_NODES}")
            )
        for index, node in enumerate(nodes):
            if not node.user_ids:
                errors.append(FieldError(f"approvers[{index}]", node, "needs at least one userid"))
        if len(cc_list) > MAX_CC_USERS:
            errors.append(FieldError("cc_list", f"{len(cc_list)} users", f"at most {MAX_CC_USERS}"))
        if cc_position not in (None, "START", "FINISH", "START_FINISH"):
            errors.append(
                FieldError("cc_position", cc_position, "must be START, FINISH or START_FINISH")
            )
        _raise_if(errors)

        body: dict[str, Any] = {
            "processCode": process_code,
            "originatorUserId": originator_user_id,
            "formComponentValues": [dict(item) for item in form_component_values],
        }
        if dept_id is not None:
            body["deptId"] = dept_id
        if nodes:
            body["approvers"] = [node.to_wire() for node in nodes]
        if cc_list:
            body["ccList"] = list(cc_list)
        if cc_position:
            body["ccPosition"] = cc_position
        reply = self._client.request(START_INSTANCE, json=body)
        return str(reply["instanceId"])

    def get_instance(self, instance_id: str) -> ProcessInstance:
        """Read an instance: status, result, form values, tasks and operation records."""
        _raise_if(
            [FieldError("instance_id", instance_id, "is required")] if not instance_id else []
        )
        reply = self._client.request(GET_INSTANCE, params={"processInstanceId": instance_id})
        return ProcessInstance.from_wire(instance_id, reply.get("result") or {})

    def list_instance_ids(
        self,
        process_code: str,
        start: dt.datetime,
        end: dt.datetime | None = None,
        *,
        user_ids: Sequence[str] = (),
        statuses: Sequence[InstanceStatus | str] = (),
        max_results: int = MAX_LIST_RESULTS,
        now: dt.datetime | None = None,
    ) -> Paginator[str]:
        """Page through the ids of instances of ``process_code`` started in [start, end].

        DingTalk's window: at most 120 days long, starting at most 365 days ago (120 when
        ``end`` is omitted). ``now`` defaults to the client's clock.
        """
        moment = now or dt.datetime.fromtimestamp(self._client.clock.time(), tz=dt.timezone.utc)
        errors: list[FieldError] = []
        if not process_code:
            errors.append(FieldError("process_code", process_code, "is required"))
        if not 1 <= max_results <= MAX_LIST_RESULTS:
            errors.append(FieldError("max_results", max_results, f"must be 1..{MAX_LIST_RESULTS}"))
        if len(user_ids) > MAX_LIST_USER_IDS:
            errors.append(
                FieldError("user_ids", f"{len(user_ids)} users", f"at most {MAX_LIST_USER_IDS}")
            )
        status_values = [InstanceStatus(s).value for s in statuses]
        if InstanceStatus.NEW.value in status_values:
            errors.append(FieldError("statuses", "NEW", "must be RUNNING, TERMINATED or COMPLETED"))
        if end is None:
            if moment - start > MAX_WINDOW_DAYS * _DAY:
                errors.append(
                    FieldError("start", start, f"without end, at most {MAX_WINDOW_DAYS} days ago")
                )
        else:
            if end < start:
                errors.append(FieldError("end", end, "is before start"))
            elif end - start > MAX_WINDOW_DAYS * _DAY:
                errors.append(
                    FieldError("end", end, f"the window is at most {MAX_WINDOW_DAYS} days")
                )
            if moment - start > MAX_START_AGE_DAYS * _DAY:
                errors.append(FieldError("start", start, f"at most {MAX_START_AGE_DAYS} days ago"))
        _raise_if(errors)

        def fetch(cursor: Any) -> Page[str]:
            body: dict[str, Any] = {
                "processCode": process_code,
                "startTime": to_epoch_ms(start),
                "nextToken": int(cursor or 0),
                "maxResults": max_results,
            }
            if end is not None:
                body["endTime"] = to_epoch_ms(end)
            if user_ids:
                body["userIds"] = list(user_ids)
            if status_values:
                body["statuses"] = status_values
            reply = self._client.request(LIST_INSTANCE_IDS, json=body)
            result = reply.get("result") or {}
            token = result.get("nextToken")
            return Page([str(i) for i in result.get("list") or []], token if token else None)

        return Paginator(fetch)

    def terminate_instance(
        self, instance_id: str, *, operating_user_id: str | None = None, remark: str = ""
    ) -> None:
        """Revoke a running instance (as the system, or as ``operating_user_id``)."""
        body: dict[str, Any] = {
            "processInstanceId": instance_id,
            "isSystem": operating_user_id is None,
        }
        if operating_user_id:
            body["operatingUserId"] = operating_user_id
        if remark:
            body["remark"] = remark
        self._client.request(TERMINATE_INSTANCE, json=body)
