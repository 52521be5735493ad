"""Rehearsal stage "notices": a notice with receipts, a read-rate table by town, DING the unread."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.table import Table

from censusdt.api.messaging import MarkdownMessage
from censusdt.census._sync.broadcast import send_notice
from censusdt.census._sync.towngroups import create_town_groups, send_group_notice
from censusdt.census.audience import Audience, ContactsSnapshot, Dept, Tag
from censusdt.census.notices import NoticeState, NoticeStatus
from censusdt.census.rehearsal import Rehearsal, stage
from censusdt.cli._i18n import text

__all__ = ["run_notices_stage"]

#: Share of recipients who read within the simulated time, and their mean delay.
READ_SHARE = 0.75
MEAN_READ_DELAY_SECONDS = 1800
#: Virtual time the staff get to read before the status is taken.
READING_WINDOW_SECONDS = 90 * 60
TOWNS_WITH_SUPERVISORS = 3


@stage(
    "notices",
    title_zh="通知回执：定向通知、已读统计、DING 提醒未读",
    title_en="Notices: targeted notice, read receipts, DING the unread",
    order=20,
)
def run_notices_stage(rehearsal: Rehearsal) -> None:
    """Notify three towns' supervisors and all enumerators, let people read, remind the rest."""
    from censusdt_fake.messaging import set_reading_model

    console = rehearsal.console
    fake = rehearsal.fake
    snapshot = ContactsSnapshot.from_fake(fake)
    towns = _towns(rehearsal, snapshot)
    if len(towns) < TOWNS_WITH_SUPERVISORS:
        raise RuntimeError(
            "the notices stage needs the org stage's towns; run the rehearsal with the org stage"
        )
    chosen = towns[:TOWNS_WITH_SUPERVISORS]
    in_towns: Audience = Dept(chosen[0][0])
    for dept_id, _ in chosen[1:]:
        in_towns = in_towns | Dept(dept_id)
    audience = (Tag("普查指导员") & in_towns) | Tag("普查员")

    set_reading_model(
        fake, READ_SHARE, mean_delay_seconds=MEAN_READ_DELAY_SECONDS, seed=rehearsal.seed
    )
    message = MarkdownMessage(
        "关于开展入户登记的通知",
        "### 关于开展入户登记的通知\n"
        "请各位普查员于11月1日起开展入户登记，普查指导员做好质量检查。\n"
        "阅读后无需回复“收到”，系统自动记录已读。",
    )
    broadcast = send_notice(
        rehearsal.client,
        audience,
        message,
        agent_id=fake.default_app.agent_id,
        snapshot=snapshot,
        send_log=rehearsal.workdir / "notice-send-log.json",
    )
    console.print(
        text(
            f"通知《{broadcast.title}》已发给 {len(broadcast.userids)} 人"
            f"（{'、'.join(name for _, name in chosen)} 的普查指导员和全部普查员），"
            f"分 {len(broadcast.task_ids)} 个发送任务，每个不超过100人以便查询回执。",
            f"Notice “{broadcast.title}” sent to {len(broadcast.userids)} people (supervisors of "
            f"{', '.join(name for _, name in chosen)} and every enumerator) in "
            f"{len(broadcast.task_ids)} tasks of at most 100, so each result stays queryable.",
        )
    )

    # Simulated staff read on the fake's virtual clock.
    fake.clock.advance(READING_WINDOW_SECONDS)
    status = broadcast.status()
    console.print(_town_table(snapshot, towns, status))

    unread_before = set(status.userids(NoticeState.UNREAD))
    reminder = broadcast.remind(by="ding")
    dinged = _ding_receivers(rehearsal, reminder.ids)
    readers = set(status.userids(NoticeState.READ))
    if dinged != unread_before or dinged & readers:
        raise AssertionError(
            f"the DING reached {len(dinged)} people, but {len(unread_before)} were unread "
            f"({len(dinged & readers)} readers were DINGed)"
        )
    console.print(
        text(
            f"已对 {len(dinged)} 名未读人员发送 DING（{len(reminder.ids)} 次调用，每次至多200人）；"
            f"核对：收到 DING 的人与未读名单完全一致，已读的 {len(readers)} 人无一收到。",
            f"DINGed {len(dinged)} unread people ({len(reminder.ids)} calls of at most 200); "
            f"check: the DING receivers equal the unread list, and none of the "
            f"{len(readers)} readers got one.",
        )
    )

    handle_path = broadcast.save(rehearsal.workdir / "notice.json")
    export_path = status.to_xlsx(rehearsal.workdir / "通知回执.xlsx")
    console.print(
        text(
            f"回执句柄：{handle_path.name}（可用 censusdt notify status 再查）；明细：{export_path.name}",
            f"Handle: {handle_path.name} (query again with censusdt notify status); "
            f"details: {export_path.name}",
        )
    )
    group_summary = _town_groups(rehearsal, snapshot, chosen)
    rehearsal.results["notices"] = {
        "broadcast": broadcast,
        "status": status,
        "reminder": reminder,
        "handle_path": handle_path,
        "group_read": group_summary,
    }


def _towns(rehearsal: Rehearsal, snapshot: ContactsSnapshot) -> list[tuple[int, str]]:
    """Town departments in division-code order, from the org stage's results when present."""
    org: dict[str, Any] = rehearsal.results.get("org") or {}
    department_ids: dict[str, int] = org.get("department_ids") or {}
    towns = [
        (dept_id, snapshot.departments[dept_id].name)
        for code, dept_id in sorted(department_ids.items())
        # Division codes: county 6 digits, town 3, village 3; a town's village part is 000.
        if len(code) == 12
        and code[6:9] != "000"
        and code[9:] == "000"
        and dept_id in snapshot.departments
    ]
    if towns:
        return towns
    # Without the org stage's mapping: the departments two levels below the root.
    counties = [d.dept_id for d in snapshot.departments.values() if d.parent_id == 1]
    return [
        (d.dept_id, d.name)
        for d in snapshot.departments.values()
        if d.parent_id in counties and len(snapshot.descendants(d.dept_id)) > 1
    ]


def _town_of(snapshot: ContactsSnapshot, town_ids: dict[int, str], userid: str) -> str:
    for dept_id in snapshot.users[userid].dept_ids:
        for ancestor in snapshot.ancestors(dept_id):
            if ancestor in town_ids:
                return town_ids[ancestor]
    return text("县直", "county sections")


def _town_table(
    snapshot: ContactsSnapshot, towns: list[tuple[int, str]], status: NoticeStatus
) -> Table:
    town_ids = dict(towns)
    counts: dict[str, Counter[NoticeState]] = {}
    for person in status.people:
        town = _town_of(snapshot, town_ids, person.userid)
        counts.setdefault(town, Counter())[person.state] += 1

    table = Table(title=text("各镇街已读情况", "Read rate by town"))
    for header in [
        text("镇街", "Town"),
        text("应收", "Recipients"),
        text("已读", "Read"),
        text("未读", "Unread"),
        text("未激活/无效", "Invalid"),
        text("被拦截", "Filtered"),
        text("已读率", "Read rate"),
    ]:
        table.add_column(header, justify="left" if header in {"镇街", "Town"} else "right")
    order = [name for _, name in towns] + sorted(set(counts) - {name for _, name in towns})
    for town in order:
        counter = counts.get(town)
        if not counter:
            continue
        total = sum(counter.values())
        read = counter[NoticeState.READ]
        table.add_row(
            town,
            str(total),
            str(read),
            str(counter[NoticeState.UNREAD]),
            str(counter[NoticeState.INVALID]),
            str(counter[NoticeState.FORBIDDEN]),
            f"{read / total:.0%}",
        )
    return table


def _ding_receivers(rehearsal: Rehearsal, ding_ids: tuple[str, ...]) -> set[str]:
    """Who the fake delivered the DINGs to: its own record, independent of the client."""
    from censusdt_fake.models.robot import RobotState

    dings = rehearsal.fake.default_corp.ext(RobotState).dings
    return {userid for ding_id in ding_ids for userid in dings[ding_id].deliveries}


def _town_groups(
    rehearsal: Rehearsal, snapshot: ContactsSnapshot, chosen: list[tuple[int, str]]
) -> dict[str, tuple[int, int]]:
    """One scene group per chosen town, a robot message, and who read it per town."""
    from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID

    groups = create_town_groups(
        rehearsal.client,
        snapshot,
        [dept_id for dept_id, _ in chosen],
        template_id=DEFAULT_TEMPLATE_ID,
    )
    notice = send_group_notice(
        rehearsal.client,
        groups,
        MarkdownMessage("今晚例会", "今晚8点在镇普查办召开进度例会，请准时参加。"),
    )
    rehearsal.fake.clock.advance(READING_WINDOW_SECONDS)
    table = Table(
        title=text("镇街普查群：机器人消息已读情况", "Town groups: robot message read status")
    )
    for header in [
        text("群", "Group"),
        text("成员", "Members"),
        text("已读", "Read"),
        text("未读", "Unread"),
    ]:
        table.add_column(header)
    summary: dict[str, tuple[int, int]] = {}
    for receipt in notice.status():
        summary[receipt.town] = (len(receipt.read), len(receipt.unread))
        table.add_row(
            receipt.town,
            str(len(receipt.members)),
            str(len(receipt.read)),
            str(len(receipt.unread)),
        )
    rehearsal.console.print(table)
    return summary
