"""Approval (OA 审批, ``workflow_1.0``) endpoints, models and limits."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from censusdt._endpoint import Endpoint
from censusdt.timeutil import from_epoch_ms, parse_iso8601

__all__ = [
    "GET_INSTANCE",
    "LIST_INSTANCE_IDS",
    "MAX_APPROVER_NODES",
    "MAX_CC_USERS",
    "MAX_FORM_VALUES",
    "MAX_LIST_RESULTS",
    "MAX_LIST_USER_IDS",
    "MAX_VALUE_LENGTH",
    "MAX_WINDOW_DAYS",
    "START_INSTANCE",
    "TERMINATE_INSTANCE",
    "ApprovalTask",
    "ApproverNode",
    "InstanceResult",
    "InstanceStatus",
    "OperationRecord",
    "ProcessInstance",
    "approver_nodes",
]

START_INSTANCE = Endpoint.new("POST", "/v1.0/workflow/processInstances", idempotent=False)
GET_INSTANCE = Endpoint.new("GET", "/v1.0/workflow/processInstances", idempotent=True)
LIST_INSTANCE_IDS = Endpoint.new(
    "POST", "/v1.0/workflow/processes/instanceIds/query", idempotent=True
)
TERMINATE_INSTANCE = Endpoint.new(
    "POST", "/v1.0/workflow/processInstances/terminate", idempotent=True
)

#: A start request takes at most 150 form values, each value at most 65535 characters.
MAX_FORM_VALUES = 150
MAX_VALUE_LENGTH = 65535
#: At most 20 approver nodes and 50 people on copy.
MAX_APPROVER_NODES = 20
MAX_CC_USERS = 50
#: Listing instance ids: at most 20 per page and 10 originators per query.
MAX_LIST_RESULTS = 20
MAX_LIST_USER_IDS = 10
#: Listing instance ids: a window of at most 120 days, starting at most 365 days ago.
MAX_WINDOW_DAYS = 120
MAX_START_AGE_DAYS = 365


class InstanceStatus(str, enum.Enum):
    """Status of an approval instance; an approved one is COMPLETED with result ``agree``."""

    NEW = "NEW"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    TERMINATED = "TERMINATED"


class InstanceResult(str, enum.Enum):
    AGREE = "agree"
    REFUSE = "refuse"
    NONE = ""


@attrs.frozen
class ApproverNode:
    """One approval step: ``action_type`` AND (everyone), OR (anyone) or NONE (a single person)."""

    user_ids: tuple[str, ...]
    action_type: str = "NONE"

    def to_wire(self) -> dict[str, Any]:
        return {"actionType": self.action_type, "userIds": list(self.user_ids)}


def _time(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        return from_epoch_ms(int(value))
    return parse_iso8601(str(value))


@attrs.frozen
class ApprovalTask:
    """One approver's task: NEW (a later step), RUNNING (waiting on them), then finished."""

    task_id: int
    user_id: str
    status: str
    result: str
    create_time: dt.datetime | None = None
    finish_time: dt.datetime | None = None
    activity_id: str = ""

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> ApprovalTask:
        return cls(
            task_id=int(item.get("taskId") or 0),
            user_id=str(item.get("userId") or ""),
            status=str(item.get("status") or ""),
            result=str(item.get("result") or ""),
            create_time=_time(item.get("createTime")),
            finish_time=_time(item.get("finishTime")),
            activity_id=str(item.get("activityId") or ""),
        )


@attrs.frozen
class OperationRecord:
    user_id: str
    type: str
    result: str
    date: dt.datetime | None = None
    remark: str = ""

    @classmethod
    def from_wire(cls, item: Mapping[str, Any]) -> OperationRecord:
        return cls(
            user_id=str(item.get("userId") or ""),
            type=str(item.get("type") or ""),
            result=str(item.get("result") or ""),
            date=_time(item.get("date")),
            remark=str(item.get("remark") or ""),
        )


@attrs.frozen
class ProcessInstance:
    """An approval instance as ``GET /v1.0/workflow/processInstances`` returns it."""

    instance_id: str
    title: str
    status: InstanceStatus
    result: InstanceResult
    originator_user_id: str
    originator_dept_id: str
    create_time: dt.datetime | None
    finish_time: dt.datetime | None
    approver_user_ids: tuple[str, ...]
    cc_user_ids: tuple[str, ...]
    business_id: str
    form_component_values: tuple[Mapping[str, Any], ...]
    tasks: tuple[ApprovalTask, ...]
    operation_records: tuple[OperationRecord, ...]

    @classmethod
    def from_wire(cls, instance_id: str, result: Mapping[str, Any]) -> ProcessInstance:
        return cls(
            instance_id=instance_id,
            title=str(result.get("title") or ""),
            status=InstanceStatus(result.get("status") or "NEW"),
            result=InstanceResult(result.get("result") or ""),
            originator_user_id=str(result.get("originatorUserId") or ""),
            originator_dept_id=str(result.get("originatorDeptId") or ""),
            create_time=_time(result.get("createTime")),
            finish_time=_time(result.get("finishTime")),
            approver_user_ids=tuple(str(u) for u in result.get("approverUserIds") or []),
            cc_user_ids=tuple(str(u) for u in result.get("ccUserIds") or []),
            business_id=str(result.get("businessId") or ""),
            form_component_values=tuple(dict(v) for v in result.get("formComponentValues") or []),
            tasks=tuple(ApprovalTask.from_wire(t) for t in result.get("tasks") or []),
            operation_records=tuple(
                OperationRecord.from_wire(r) for r in result.get("operationRecords") or []
            ),
        )

    @property
    def finished(self) -> bool:
        return self.status in (InstanceStatus.COMPLETED, InstanceStatus.TERMINATED)

    @property
    def approved(self) -> bool:
        return self.status is InstanceStatus.COMPLETED and self.result is InstanceResult.AGREE

    def waiting_on(self) -> list[str]:
        """Userids whose task is RUNNING: the approvers the instance waits for now."""
        return [task.user_id for task in self.tasks if task.status == "RUNNING"]

    def running_since(self) -> dict[str, dt.datetime | None]:
        """For each approver it waits on, when their task was created."""
        return {t.user_id: t.create_time for t in self.tasks if t.status == "RUNNING"}


def approver_nodes(nodes: Sequence[ApproverNode | Sequence[str] | str]) -> list[ApproverNode]:
    """Read approvers given as nodes, userid lists (an AND step) or single userids."""
    result: list[ApproverNode] = []
    for node in nodes:
        if isinstance(node, ApproverNode):
            result.append(node)
        elif isinstance(node, str):
            result.append(ApproverNode((node,), "NONE"))
        else:
            ids = tuple(node)
            result.append(ApproverNode(ids, "NONE" if len(ids) == 1 else "AND"))
    return result
