"""Approval state: process templates, instances and simulated approvers on the virtual clock."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from typing import Any

import attrs

from censusdt_fake._errors import NewApiError

__all__ = ["ApproverBehaviour", "ApproverModel", "Instance", "Process", "Task", "WorkflowState"]

_SHANGHAI = dt.timezone(dt.timedelta(hours=8))
_DAY_MS = 86_400_000
MAX_FORM_VALUES = 150
MAX_VALUE_LENGTH = 65535
MAX_APPROVER_NODES = 20
MAX_CC_USERS = 50
MAX_LIST_RESULTS = 20
MAX_LIST_USER_IDS = 10
MAX_LIST_TOTAL = 10_000


def iso(ms: int | None) -> str | None:
    """Workflow responses carry times as ISO 8601 text in minutes, e.g. ``2026-12-04T09:30Z``."""
    if ms is None:
        return None
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def bad(code: str, message: str, status: int = 400) -> NewApiError:
    # NOTE: DingTalk documents these codes but not their messages; the messages are ours.
    return NewApiError(status, code, message)


@attrs.define
class Process:
    """An approval form in the corp: its code, name, field labels and default approvers."""

    process_code: str
    name: str
    #: Labels of the form's controls; an empty tuple accepts any label.
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    #: Default flow: list of (actionType, userids) nodes, used when a start gives no approvers.
    flow: list[tuple[str, list[str]]] = attrs.field(factory=list)


@attrs.define
class ApproverBehaviour:
    """An approver's simulated decision (agree, refuse or never) and its delay after their turn."""

    decision: str
    delay_seconds: float


@attrs.define
class ApproverModel:
    """Approvers agree with probability ``agree_share`` after a random delay (mean given)."""

    agree_share: float
    mean_delay_seconds: float
    seed: int

    def behaviour(self, instance_id: str, task_id: int, userid: str) -> ApproverBehaviour:
        key = f"{self.seed}:{instance_id}:{task_id}:{userid}".encode()
        rng = random.Random(zlib.crc32(key))
        decision = "agree" if rng.random() < self.agree_share else "refuse"
        return ApproverBehaviour(decision, rng.expovariate(1 / max(self.mean_delay_seconds, 1)))


@attrs.define
class Task:
    task_id: int
    userid: str
    node: int
    activity_id: str
    status: str = "NEW"
    result: str = "NONE"
    create_ms: int | None = None
    finish_ms: int | None = None
    #: When the simulated approver acts, and how; None: only the control plane acts.
    act_at_ms: int | None = None
    decision: str | None = None

    def to_wire(self, instance_id: str) -> dict[str, Any]:
        return {
            "taskId": self.task_id,
            "userId": self.userid,
            "status": self.status,
            "result": self.result,
            "createTime": iso(self.create_ms),
            "finishTime": iso(self.finish_ms),
            "processInstanceId": instance_id,
            "activityId": self.activity_id,
            "mobileUrl": f"https://aflow.dingtalk.com/dingtalk/mobile/homepage.htm#/approval?procInsId={instance_id}&taskId={self.task_id}",
            "pcUrl": f"https://aflow.dingtalk.com/dingtalk/pc/query/pchomepage.htm#/approval?procInsId={instance_id}&taskId={self.task_id}",
        }


@attrs.define
class Instance:
    instance_id: str
    process_code: str
    title: str
    originator: str
    dept_id: int
    dept_name: str
    create_ms: int
    form_values: list[dict[str, Any]]
    nodes: list[tuple[str, list[str]]]
    cc_list: list[str]
    business_id: str
    status: str = "NEW"
    result: str = ""
    finish_ms: int | None = None
    tasks: list[Task] = attrs.field(factory=list)
    records: list[dict[str, Any]] = attrs.field(factory=list)
    current_node: int = -1

    def to_wire(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "createTime": iso(self.create_ms),
            "finishTime": iso(self.finish_ms),
            "originatorUserId": self.originator,
            "originatorDeptId": str(self.dept_id),
            "originatorDeptName": self.dept_name,
            "status": self.status,
            "result": self.result,
            "approverUserIds": [userid for _, users in self.nodes for userid in users],
            "ccUserIds": list(self.cc_list),
            "businessId": self.business_id,
            "bizAction": "NONE",
            "formComponentValues": [dict(value) for value in self.form_values],
            "operationRecords": [dict(record) for record in self.records],
            "tasks": [task.to_wire(self.instance_id) for task in self.tasks],
            "attachedProcessInstanceIds": [],
        }


@attrs.define
class WorkflowState:
    """Processes and instances of one corp.

    Instances move on lazily: every read first lets the simulated approvers whose time has come
    act, in the order of their times, so the state is what it would be at ``now_ms``.
    """

    processes: dict[str, Process] = attrs.field(factory=dict)
    instances: dict[str, Instance] = attrs.field(factory=dict)
    model: ApproverModel | None = None
    behaviours: dict[str, ApproverBehaviour] = attrs.field(factory=dict)
    next_task_id: int = 60_000_001
    next_instance: int = 1
    next_business: int = 1

    # Control plane.

    def add_process(
        self,
        name: str,
        *,
        process_code: str | None = None,
        fields: tuple[str, ...] = (),
        required: tuple[str, ...] = (),
        flow: list[tuple[str, list[str]]] | None = None,
    ) -> Process:
        code = (
            process_code
            or f"PROC-FAKE{len(self.processes) + 1:04d}-{zlib.crc32(name.encode()):08X}"
        )
        process = Process(code, name, tuple(fields), tuple(required), list(flow or []))
        self.processes[code] = process
        return process

    def act(
        self, instance_id: str, userid: str, decision: str, now_ms: int, remark: str = ""
    ) -> None:
        """``userid`` agrees or refuses their running task on ``instance_id`` now."""
        instance = self._instance_or_key_error(instance_id)
        self.settle(now_ms)
        task = next(
            (t for t in instance.tasks if t.userid == userid and t.status == "RUNNING"), None
        )
        if task is None:
            raise LookupError(f"{userid} has no running task on {instance_id}")
        self._finish_task(instance, task, decision, now_ms, remark)

    # API.

    def start(
        self,
        body: dict[str, Any],
        now_ms: int,
        users: dict[str, tuple[str, list[int]]],
        dept_names: dict[int, str],
    ) -> Instance:
        code = body.get("processCode")
        if not code:
            raise bad("invalidParameter", "processCode is mandatory")
        process = self.processes.get(str(code))
        if process is None:
            raise bad("processCodeError", f"process code {code} does not exist")
        originator = body.get("originatorUserId")
        if not originator or str(originator) not in users:
            raise bad(
                "invalidParameter",
                f"originatorUserId {originator} is not a member of the organization",
            )
        stored = _form_values(process, body.get("formComponentValues"))
        nodes = _nodes(process, body, users)
        cc_list = [str(u) for u in body.get("ccList") or []]
        if len(cc_list) > MAX_CC_USERS:
            raise bad("invalidParameter", f"ccList takes at most {MAX_CC_USERS} users")

        own_depts = users[str(originator)][1]
        given_dept = body.get("deptId")
        if given_dept is not None:
            dept_id = int(given_dept)
        elif own_depts:
            dept_id = own_depts[0]
        else:
            dept_id = -1
        name = users[str(originator)][0]
        instance_id = f"{zlib.crc32(f'{code}:{self.next_instance}'.encode()):08x}-fake-{self.next_instance:04d}-{now_ms % 10**8:08d}"
        self.next_instance += 1
        business_id = f"{dt.datetime.fromtimestamp(now_ms / 1000, tz=_SHANGHAI):%Y%m%d%H%M}{self.next_business:06d}"
        self.next_business += 1
        instance = Instance(
            instance_id=instance_id,
            process_code=str(code),
            title=f"{name}提交的{process.name}",
            originator=str(originator),
            dept_id=dept_id,
            dept_name=dept_names.get(dept_id, "") if dept_id != -1 else "",
            create_ms=now_ms,
            form_values=stored,
            nodes=nodes,
            cc_list=cc_list,
            business_id=business_id,
        )
        instance.records.append(
            {
                "userId": instance.originator,
                "date": iso(now_ms),
                "type": "START_PROCESS_INSTANCE",
                "result": "NONE",
                "showName": "发起审批",
            }
        )
        for node_index, (_, ids) in enumerate(nodes):
            for userid in ids:
                instance.tasks.append(
                    Task(self.next_task_id, userid, node_index, f"node_{node_index + 1}")
                )
                self.next_task_id += 1
        self.instances[instance_id] = instance
        self._enter_node(instance, 0, now_ms)
        return instance

    def get(self, instance_id: str | None, now_ms: int) -> Instance:
        if not instance_id:
            raise bad("processInstanceIdError", "processInstanceId is mandatory")
        self.settle(now_ms)
        instance = self.instances.get(instance_id)
        if instance is None:
            raise bad("processInstanceNotExist", f"process instance {instance_id} does not exist")
        return instance

    def terminate(
        self, instance_id: str | None, now_ms: int, operator: str | None, remark: str
    ) -> None:
        instance = self.get(instance_id, now_ms)
        if instance.status not in ("NEW", "RUNNING"):
            raise bad(
                "invalidParameter", f"process instance {instance_id} is already {instance.status}"
            )
        instance.status = "TERMINATED"
        instance.finish_ms = now_ms
        for task in instance.tasks:
            if task.status in ("NEW", "RUNNING"):
                task.status = "CANCELED"
        instance.records.append(
            {
                "userId": operator or instance.originator,
                "date": iso(now_ms),
                "type": "TERMINATE_PROCESS_INSTANCE",
                "result": "NONE",
                "remark": remark,
                "showName": "撤销",
            }
        )

    def list_ids(self, body: dict[str, Any], now_ms: int) -> tuple[list[str], int | None]:
        self.settle(now_ms)
        code = body.get("processCode")
        if not code or str(code) not in self.processes:
            raise bad("invalidProcessCode", f"process code {code} is invalid")
        start = body.get("startTime")
        if start is None or isinstance(start, bool):
            raise bad("invalidInstanceListIdsStartTime", "startTime is mandatory")
        start = int(start)
        end = body.get("endTime")
        if end is None:
            if now_ms - start > 120 * _DAY_MS:
                raise bad(
                    "invalidInstanceListIdsStartTime",
                    "startTime must be within 120 days before now",
                )
            end_ms = now_ms
        else:
            end_ms = int(end)
            if end_ms < start or end_ms - start > 120 * _DAY_MS:
                raise bad(
                    "invalidEndTime", "endTime must be after startTime and within 120 days of it"
                )
            if now_ms - start > 365 * _DAY_MS:
                raise bad(
                    "invalidInstanceListIdsStartTime",
                    "startTime must be within 365 days before now",
                )
        token = body.get("nextToken")
        try:
            offset = int(str(token))
        except (TypeError, ValueError):
            raise bad("invalidNextToken", f"nextToken {token!r} is invalid") from None
        if offset < 0 or offset >= MAX_LIST_TOTAL:
            raise bad("invalidNextToken", f"nextToken {token!r} is invalid")
        size = body.get("maxResults")
        if (
            isinstance(size, bool)
            or not isinstance(size, (int, str))
            or not str(size).isdigit()
            or not 1 <= int(size) <= MAX_LIST_RESULTS
        ):
            raise bad("invalidMaxResults", f"maxResults must be 1..{MAX_LIST_RESULTS}")
        userids = body.get("userIds") or []
        if not isinstance(userids, list) or len(userids) > MAX_LIST_USER_IDS:
            raise bad("invalidUserIds", f"userIds takes at most {MAX_LIST_USER_IDS} users")
        statuses = body.get("statuses") or []
        if any(s not in ("RUNNING", "TERMINATED", "COMPLETED") for s in statuses):
            raise bad("invalidParameter", f"statuses {statuses} is invalid")
        matching = [
            instance.instance_id
            # Creation order: sorted() is stable and the dict keeps insertion order.
            for instance in sorted(self.instances.values(), key=lambda i: i.create_ms)
            if instance.process_code == str(code)
            and start <= instance.create_ms <= end_ms
            and (not userids or instance.originator in userids)
            and (not statuses or instance.status in statuses)
        ][:MAX_LIST_TOTAL]
        page = matching[offset : offset + int(size)]
        following = offset + int(size)
        return page, following if following < len(matching) else None

    # Movement.

    def settle(self, now_ms: int) -> None:
        """Let every simulated approver whose time has come act, earliest first."""
        while True:
            due = [
                (task.act_at_ms, task.task_id, instance, task)
                for instance in self.instances.values()
                if instance.status == "RUNNING"
                for task in instance.tasks
                if task.status == "RUNNING"
                and task.act_at_ms is not None
                and task.act_at_ms <= now_ms
            ]
            if not due:
                return
            act_at, _, instance, task = min(due, key=lambda item: (item[0], item[1]))
            assert act_at is not None
            assert task.decision is not None
            self._finish_task(instance, task, task.decision, act_at, "")

    def _enter_node(self, instance: Instance, node: int, now_ms: int) -> None:
        instance.current_node = node
        instance.status = "RUNNING"
        for task in instance.tasks:
            if task.node != node:
                continue
            task.status = "RUNNING"
            task.create_ms = now_ms
            behaviour = self.behaviours.get(task.userid)
            if behaviour is None and self.model is not None:
                behaviour = self.model.behaviour(instance.instance_id, task.task_id, task.userid)
            if behaviour is not None and behaviour.decision in ("agree", "refuse"):
                task.decision = behaviour.decision
                task.act_at_ms = now_ms + max(1, int(behaviour.delay_seconds * 1000))

    def _finish_task(
        self, instance: Instance, task: Task, decision: str, now_ms: int, remark: str
    ) -> None:
        if decision not in ("agree", "refuse"):
            raise ValueError(f"decision must be agree or refuse, got {decision!r}")
        task.status = "COMPLETED"
        task.result = decision.upper()
        task.finish_ms = now_ms
        instance.records.append(
            {
                "userId": task.userid,
                "date": iso(now_ms),
                "type": "EXECUTE_TASK_NORMAL",
                "result": decision.upper(),
                "remark": remark,
                "showName": "审批人",
                "activityId": task.activity_id,
            }
        )
        action, _ = instance.nodes[task.node]
        siblings = [t for t in instance.tasks if t.node == task.node and t is not task]
        if decision == "refuse":
            self._cancel_open(instance)
            self._finish(instance, "refuse", now_ms)
            return
        if action == "AND" and any(t.status == "RUNNING" for t in siblings):
            return
        for sibling in siblings:
            if sibling.status == "RUNNING":
                sibling.status = "CANCELED"
        if task.node + 1 < len(instance.nodes):
            self._enter_node(instance, task.node + 1, now_ms)
        else:
            self._finish(instance, "agree", now_ms)

    def _cancel_open(self, instance: Instance) -> None:
        for task in instance.tasks:
            if task.status in ("NEW", "RUNNING"):
                task.status = "CANCELED"

    def _finish(self, instance: Instance, result: str, now_ms: int) -> None:
        instance.status = "COMPLETED"
        instance.result = result
        instance.finish_ms = now_ms
        instance.records.append(
            {
                "userId": instance.originator,
                "date": iso(now_ms),
                "type": "FINISH_PROCESS_INSTANCE",
                "result": "NONE",
                "showName": "审批结束",
            }
        )

    def _instance_or_key_error(self, instance_id: str) -> Instance:
        instance = self.instances.get(instance_id)
        if instance is None:
            raise KeyError(f"no approval instance {instance_id!r}")
        return instance


def _form_values(process: Process, values: Any) -> list[dict[str, Any]]:
    if not isinstance(values, list) or not values:
        raise bad("invalidParameter", "formComponentValues is mandatory")
    if len(values) > MAX_FORM_VALUES:
        raise bad("invalidParameter", f"formComponentValues has more than {MAX_FORM_VALUES} items")
    stored: list[dict[str, Any]] = []
    for index, item in enumerate(values):
        if not isinstance(item, dict) or not item.get("name") or item.get("value") is None:
            raise bad("invalidParameter", f"formComponentValues[{index}] needs name and value")
        value = item["value"]
        if not isinstance(value, str):
            raise bad("formConverterError", f"value of {item['name']} must be a string")
        if len(value) > MAX_VALUE_LENGTH:
            raise bad(
                "invalidParameter", f"value of {item['name']} is longer than {MAX_VALUE_LENGTH}"
            )
        if process.fields and item["name"] not in process.fields:
            raise bad("illegalComponent", f"{item['name']} is not a component of {process.name}")
        stored.append(
            {
                "id": item.get("id") or f"field_{index + 1}",
                "name": item["name"],
                "value": value,
                "extValue": item.get("extValue"),
                "componentType": item.get("componentType") or "TextField",
                "bizAlias": item.get("bizAlias") or "",
            }
        )
    given = {item["name"] for item in stored}
    missing = [name for name in process.required if name not in given]
    if missing:
        raise bad(
            "processInstanceInvalidParameter", f"required components missing: {','.join(missing)}"
        )
    return stored


def _nodes(
    process: Process, body: dict[str, Any], users: dict[str, tuple[str, list[int]]]
) -> list[tuple[str, list[str]]]:
    approvers = body.get("approvers")
    if not approvers:
        if body.get("deptId") is None:
            raise bad("invalidParameter", "deptId is mandatory when approvers is empty")
        if not process.flow:
            raise bad("processInstanceStartFailed", f"{process.name} has no approvers")
        return [(action, list(ids)) for action, ids in process.flow]
    if not isinstance(approvers, list) or len(approvers) > MAX_APPROVER_NODES:
        raise bad("invalidParameter", f"approvers takes at most {MAX_APPROVER_NODES} nodes")
    nodes: list[tuple[str, list[str]]] = []
    for node in approvers:
        action = str(node.get("actionType") or "NONE")
        ids = [str(u) for u in node.get("userIds") or []]
        if action not in ("AND", "OR", "NONE") or not ids:
            raise bad("invalidParameter", f"invalid approver node {node}")
        unknown = [u for u in ids if u not in users]
        if unknown:
            raise bad("processInstanceStartFailed", f"approvers not found: {','.join(unknown)}")
        nodes.append((action, ids))
    return nodes
