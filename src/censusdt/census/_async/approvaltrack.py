"""Approvals from the templates on someone's behalf: submit, track, list who they wait on, remind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
from rich.table import Table

from censusdt._concurrency import async_map
from censusdt.api.robot import DingResult, RemindType
from censusdt.api.workflow import ApproverNode, InstanceResult, InstanceStatus, ProcessInstance
from censusdt.census.admin.approvals import ApprovalTemplate
from censusdt.timeutil import SHANGHAI

if TYPE_CHECKING:
    from censusdt._async.client import AsyncDingTalk

__all__ = [
    "ApprovalStatus",
    "approval_statuses",
    "approval_table",
    "remind_late_approvers",
    "submit_approval",
    "waiting_by_approver",
]

#: Instances read at once when tracking many.
READ_CONCURRENCY = 10

_STATUS_ZH = {
    InstanceStatus.NEW: "新建",
    InstanceStatus.RUNNING: "审批中",
    InstanceStatus.COMPLETED: "已结束",
    InstanceStatus.TERMINATED: "已撤销",
}
_RESULT_ZH = {InstanceResult.AGREE: "同意", InstanceResult.REFUSE: "拒绝", InstanceResult.NONE: ""}


@attrs.frozen
class ApprovalStatus:
    """Status of one approval: its result, the approvers it waits on, and since when."""

    instance_id: str
    title: str
    originator: str
    status: InstanceStatus
    result: InstanceResult
    waiting_on: tuple[str, ...]
    waiting_since: dt.datetime | None
    created: dt.datetime | None

    @classmethod
    def from_instance(cls, instance: ProcessInstance) -> ApprovalStatus:
        since = [t for t in instance.running_since().values() if t is not None]
        return cls(
            instance.instance_id,
            instance.title,
            instance.originator_user_id,
            instance.status,
            instance.result,
            tuple(instance.waiting_on()),
            min(since) if since else None,
            instance.create_time,
        )

    def label(self, lang: str = "zh") -> str:
        """``审批中``, ``已结束（同意）`` ... or the English status and result."""
        if lang == "en":
            suffix = f" ({self.result.value})" if self.result.value else ""
            return self.status.value.lower() + suffix
        suffix = f"（{_RESULT_ZH[self.result]}）" if self.result.value else ""
        return _STATUS_ZH[self.status] + suffix


async def submit_approval(
    client: AsyncDingTalk,
    template: ApprovalTemplate,
    process_code: str,
    originator: str,
    values: Mapping[str, object],
    *,
    approvers: Sequence[ApproverNode | Sequence[str] | str] = (),
    dept_id: int | None = None,
    cc_list: Sequence[str] = (),
) -> str:
    """Submit ``template`` filled with ``values`` on ``originator``'s behalf; return the id.

    The values are checked against the template first (one ValidationError naming every bad
    field), so nothing is sent for a form DingTalk would refuse.
    """
    form = template.form_component_values(values)
    return await client.workflow.start_instance(
        process_code,
        originator,
        form,
        approvers=approvers,
        dept_id=dept_id if dept_id is not None or approvers else -1,
        cc_list=cc_list,
    )


async def approval_statuses(
    client: AsyncDingTalk, instance_ids: Sequence[str]
) -> list[ApprovalStatus]:
    """Read each instance and return its status, in the given order."""

    async def one(instance_id: str) -> ApprovalStatus:
        return ApprovalStatus.from_instance(await client.workflow.get_instance(instance_id))

    return await async_map(one, list(dict.fromkeys(instance_ids)), concurrency=READ_CONCURRENCY)


def waiting_by_approver(statuses: Sequence[ApprovalStatus]) -> dict[str, list[ApprovalStatus]]:
    """Approver userid -> the running approvals waiting on them, oldest first."""
    waiting: dict[str, list[ApprovalStatus]] = {}
    for status in statuses:
        if status.status is not InstanceStatus.RUNNING:
            continue
        for userid in status.waiting_on:
            waiting.setdefault(userid, []).append(status)
    floor = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return {
        userid: sorted(items, key=lambda s: s.waiting_since or floor)
        for userid, items in sorted(waiting.items())
    }


async def remind_late_approvers(
    client: AsyncDingTalk,
    statuses: Sequence[ApprovalStatus],
    *,
    older_than: dt.timedelta,
    now: dt.datetime | None = None,
    lang: str = "zh",
) -> dict[str, DingResult]:
    """DING every approver holding an approval for longer than ``older_than``.

    One DING per approver, listing their late approvals. Returns approver -> DING result.
    """
    moment = now or dt.datetime.fromtimestamp(client.clock.time(), tz=dt.timezone.utc)
    sent: dict[str, DingResult] = {}
    for userid, items in waiting_by_approver(statuses).items():
        late = [
            s
            for s in items
            if s.waiting_since is not None and moment - s.waiting_since > older_than
        ]
        if not late:
            continue
        titles = (
            "、".join(s.title for s in late) if lang != "en" else "; ".join(s.title for s in late)
        )
        content = (
            f"您有 {len(late)} 条审批待处理：{titles}。请尽快在钉钉“审批”中办理。"
            if lang != "en"
            else f"{len(late)} approval(s) are waiting for you: {titles}. Please act on them in DingTalk."
        )
        sent[userid] = await client.robot.send_ding(
            [userid], content, remind_type=RemindType.IN_APP
        )
    return sent


def approval_table(
    statuses: Sequence[ApprovalStatus], names: Mapping[str, str], lang: str = "zh"
) -> Table:
    """Build a table with one row per approval: title, status, approvers it waits on, since when."""
    zh = lang != "en"
    table = Table(title="审批进度" if zh else "Approvals")
    for header in (
        ("审批", "Approval"),
        ("发起人", "Originator"),
        ("状态", "Status"),
        ("待谁审批", "Waiting on"),
        ("等待自", "Waiting since"),
    ):
        table.add_column(header[0] if zh else header[1])
    for status in statuses:
        since = status.waiting_since
        table.add_row(
            status.title,
            names.get(status.originator, status.originator),
            status.label(lang),
            "、".join(names.get(u, u) for u in status.waiting_on),
            since.astimezone(SHANGHAI).strftime("%m-%d %H:%M") if since else "",
        )
    return table
