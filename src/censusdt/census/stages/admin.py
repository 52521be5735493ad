"""Rehearsal stage "admin": a live training with replay reminder, two approvals, inactive staff."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from rich.table import Table

from censusdt.api.robot import MAX_DING_RECEIVERS, RemindType
from censusdt.census._sync.approvaltrack import (
    approval_statuses,
    approval_table,
    remind_late_approvers,
    submit_approval,
    waiting_by_approver,
)
from censusdt.census._sync.inactivestaff import (
    inactive_staff,
    inactive_table,
    remind_inactive,
    town_departments,
)
from censusdt.census._sync.towngroups import create_town_groups
from censusdt.census._sync.training import (
    remind_unwatched,
    schedule_training,
    training_report,
    training_table,
)
from censusdt.census.admin.approvals import LEAVE, SUPPLIES_REQUEST
from censusdt.census.audience import ContactsSnapshot
from censusdt.census.rehearsal import Rehearsal, stage
from censusdt.cli._i18n import current_language, text
from censusdt.timeutil import SHANGHAI

__all__ = ["run_admin_stage"]

SUPERVISOR_TAG = "普查指导员"
ENUMERATOR_TAG = "普查员"
TRAINING_TOWNS = 3
#: Viewers: this share watches live; of the rest, this share watches the replay, about a day later.
LIVE_SHARE = 0.55
REPLAY_SHARE = 0.5
REPLAY_MEAN_DELAY_SECONDS = 86_400
#: Approvers act after these delays; the second approver is late and gets a DING.
FIRST_APPROVER_SECONDS = 3_600
SECOND_APPROVER_SECONDS = 30 * 3_600
LATE_AFTER = dt.timedelta(hours=8)
#: Inactive staff rows shown on screen; the rest are counted per town.
INACTIVE_ROWS_SHOWN = 12


def _fake_now(rehearsal: Rehearsal) -> dt.datetime:
    return dt.datetime.fromtimestamp(rehearsal.fake.clock.time(), SHANGHAI)


def _towns(rehearsal: Rehearsal, snapshot: ContactsSnapshot) -> dict[int, str]:
    """Town departments: from the org stage's division codes, else by shape."""
    org = rehearsal.results.get("org") or {}
    department_ids: dict[str, int] = org.get("department_ids") or {}
    by_code = {
        dept_id: snapshot.departments[dept_id].name
        for code, dept_id in sorted(department_ids.items())
        if len(code) == 12
        and code[6:9] != "000"
        and code[9:] == "000"
        and dept_id in snapshot.departments
    }
    return by_code or town_departments(snapshot)


@stage(
    "admin",
    title_zh="办公管理：培训直播与回放提醒、审批、未激活人员",
    title_en="Office admin: live training and replay reminder, approvals, unactivated staff",
    order=60,
)
def run_admin_stage(rehearsal: Rehearsal) -> None:
    """Train the town groups live, run two approvals to completion, list unactivated staff."""
    snapshot = ContactsSnapshot.from_fake(rehearsal.fake)
    towns = _towns(rehearsal, snapshot)
    if not towns:
        raise RuntimeError(
            "the admin stage needs the org stage's towns; run it after the org stage"
        )
    rehearsal.results["admin"] = {
        "training": _training(rehearsal, snapshot, towns),
        "approvals": _approvals(rehearsal, snapshot),
        "inactive": _inactive(rehearsal, snapshot, towns),
    }


def _training(
    rehearsal: Rehearsal, snapshot: ContactsSnapshot, towns: dict[int, str]
) -> dict[str, object]:
    from censusdt_fake.admin import simulate_viewers
    from censusdt_fake.models.im import DEFAULT_TEMPLATE_ID
    from censusdt_fake.models.robot import RobotState

    fake, client, console = rehearsal.fake, rehearsal.client, rehearsal.console
    chosen = list(towns)[:TRAINING_TOWNS]
    groups = create_town_groups(client, snapshot, chosen, template_id=DEFAULT_TEMPLATE_ID)
    anchor = next(
        u.userid for u in snapshot.users.values() if SUPERVISOR_TAG in u.tags and u.active
    )
    tomorrow = (_fake_now(rehearsal) + dt.timedelta(days=1)).date()
    start = dt.datetime.combine(tomorrow, dt.time(14, 0), SHANGHAI)
    training = schedule_training(
        client,
        anchor,
        text("普查表填报业务培训", "Training: filling in the census forms"),
        start,
        start + dt.timedelta(hours=2),
        groups=groups,
        lang=current_language(),
    )
    members = [m for group in groups for m in group.members if snapshot.users[m].active]
    unionids = [client.contacts.union_id(userid) for userid in members]
    simulate_viewers(
        fake,
        training.live_id,
        unionids,
        live_share=LIVE_SHARE,
        replay_share=REPLAY_SHARE,
        replay_mean_delay_seconds=REPLAY_MEAN_DELAY_SECONDS,
        seed=rehearsal.seed,
    )
    console.print(
        text(
            f"直播“{training.title}”定于 {start:%m月%d日 %H:%M}，已由机器人分享到"
            f"{'、'.join(g.town for g in groups)} {len(groups)} 个镇街群。",
            f"Live “{training.title}” set for {start:%d %b %H:%M}, shared by the robot to "
            f"{len(groups)} town groups: {', '.join(g.town for g in groups)}.",
        )
    )
    # The session ends; a day later some have watched the replay.
    fake.clock.advance(max(0.0, (training.end - _fake_now(rehearsal)).total_seconds()) + 86_400)
    report = training_report(client, training)
    console.print(training_table(report, current_language()))
    deadline = training.end + dt.timedelta(days=3)
    ding_ids = remind_unwatched(client, report, deadline=deadline, lang=current_language())
    dings = fake.default_corp.ext(RobotState).dings
    dinged = {userid for ding_id in ding_ids for userid in dings[ding_id].deliveries}
    expected = {p.userid for p in report.not_watched() if snapshot.users[p.userid].active}
    if dinged != expected:
        raise AssertionError(
            f"the replay reminder reached {len(dinged)} people; {len(expected)} active people "
            "had not watched"
        )
    console.print(
        text(
            f"已 DING 提醒 {len(report.not_watched())} 名未观看人员于 {deadline:%m月%d日 %H:%M} 前看回放；"
            f"核对：收到 DING 的 {len(dinged)} 名已激活人员正是未观看者（未激活者需先激活钉钉）。",
            f"DINGed the {len(report.not_watched())} who had not watched to see the replay by "
            f"{deadline:%d %b %H:%M}; check: the {len(dinged)} active receivers are exactly the "
            "non-viewers (unactivated people must activate DingTalk first).",
        )
    )
    return {"training": training, "report": report, "dinged": dinged}


def _approvals(rehearsal: Rehearsal, snapshot: ContactsSnapshot) -> dict[str, object]:
    from censusdt_fake.admin import add_process, set_approver

    fake, client, console = rehearsal.fake, rehearsal.client, rehearsal.console
    rng = random.Random(rehearsal.seed)
    active = [u for u in snapshot.users.values() if u.active]
    enumerator = next(u for u in active if ENUMERATOR_TAG in u.tags)
    supervisor = next(
        u for u in active if SUPERVISOR_TAG in u.tags and u.userid != enumerator.userid
    )
    # The office head approves second; without office staff, another supervisor does.
    others = [u for u in active if u.userid not in (enumerator.userid, supervisor.userid)]
    office = next(
        (u for u in others if not u.tags & {ENUMERATOR_TAG, SUPERVISOR_TAG}),
        next(u for u in others if SUPERVISOR_TAG in u.tags),
    )
    names = {u.userid: u.name for u in snapshot.users.values()}
    codes = {
        template.name: add_process(
            fake, template.name, fields=[c.wire_name for c in template.components]
        )
        for template in (LEAVE, SUPPLIES_REQUEST)
    }
    set_approver(fake, supervisor.userid, "agree", FIRST_APPROVER_SECONDS)
    set_approver(
        fake, office.userid, rng.choice(["agree", "agree", "refuse"]), SECOND_APPROVER_SECONDS
    )

    day = (_fake_now(rehearsal) + dt.timedelta(days=2)).date()
    leave_id = submit_approval(
        client,
        LEAVE,
        codes[LEAVE.name],
        enumerator.userid,
        {
            "请假类型": "事假",
            "请假时间": (
                dt.datetime.combine(day, dt.time(9, 0), SHANGHAI),
                dt.datetime.combine(day, dt.time(17, 30), SHANGHAI),
            ),
            "请假天数": 1,
            "请假事由": "家中有事",
            "工作交接人": [supervisor.userid],
        },
        approvers=[supervisor.userid, office.userid],
    )
    supplies_id = submit_approval(
        client,
        SUPPLIES_REQUEST,
        codes[SUPPLIES_REQUEST.name],
        supervisor.userid,
        {
            "申领事由": "入户登记",
            "物资明细": [
                {"物资名称": "普查员证", "数量": 40, "单位": "个"},
                {"物资名称": "普查包", "数量": 40, "单位": "个"},
                {"物资名称": "签字笔", "规格型号": "0.5mm 黑色", "数量": 100, "单位": "支"},
            ],
            "期望领取日期": day,
        },
        approvers=[office.userid],
    )
    ids = [leave_id, supplies_id]
    fake.clock.advance(12 * 3_600)
    midway = approval_statuses(client, ids)
    console.print(approval_table(midway, names, current_language()))
    waiting = waiting_by_approver(midway)
    reminded = remind_late_approvers(
        client, midway, older_than=LATE_AFTER, now=_fake_now(rehearsal), lang=current_language()
    )
    console.print(
        text(
            f"待审批：{'；'.join(f'{names[u]} {len(v)} 条' for u, v in waiting.items())}；"
            f"已 DING 超过 {LATE_AFTER.seconds // 3600} 小时未审批的 {len(reminded)} 人。",
            f"Waiting: {'; '.join(f'{names[u]} {len(v)}' for u, v in waiting.items())}; DINGed the "
            f"{len(reminded)} approver(s) holding one for over {LATE_AFTER.seconds // 3600} hours.",
        )
    )
    fake.clock.advance(SECOND_APPROVER_SECONDS)
    final = approval_statuses(client, ids)
    if not all(status.status.value == "COMPLETED" for status in final):
        raise AssertionError(f"approvals did not finish: {[s.label('en') for s in final]}")
    console.print(approval_table(final, names, current_language()))
    return {"ids": ids, "midway": midway, "final": final, "reminded": set(reminded)}


def _inactive(
    rehearsal: Rehearsal, snapshot: ContactsSnapshot, towns: dict[int, str]
) -> dict[str, object]:
    from censusdt_fake.models.robot import RobotState

    client, console = rehearsal.client, rehearsal.console
    people = inactive_staff(client, snapshot, query_date=_fake_now(rehearsal).date(), towns=towns)
    expected = {u.userid for u in snapshot.users.values() if u.active is False}
    if {p.userid for p in people} != expected:
        raise AssertionError(f"{len(people)} listed as unactivated; the fake has {len(expected)}")
    per_town = Counter(person.town for person in people)
    table = Table(title=text("各镇街未激活人数", "Unactivated staff per town"))
    table.add_column(text("镇街", "Town"))
    table.add_column(text("人数", "People"), justify="right")
    for town, count in per_town.items():
        table.add_row(town, str(count))
    console.print(table)
    console.print(inactive_table(people[:INACTIVE_ROWS_SHOWN], current_language()))
    results = remind_inactive(client, [p.userid for p in people], lang=current_language())
    dings = rehearsal.fake.default_corp.ext(RobotState).dings
    batches = [len(dings[r.open_ding_id].deliveries) for r in results]
    limit = MAX_DING_RECEIVERS[RemindType.SMS]
    if sum(batches) != len(people) or any(size > limit for size in batches):
        raise AssertionError(f"SMS DING batches {batches} do not cover {len(people)} people")
    console.print(
        text(
            f"共 {len(people)} 人未激活（仅显示前 {min(len(people), INACTIVE_ROWS_SHOWN)} 行）；"
            f"已按每批至多 {limit} 人发送短信 DING {len(results)} 次。",
            f"{len(people)} people have not activated DingTalk (first "
            f"{min(len(people), INACTIVE_ROWS_SHOWN)} rows shown); sent {len(results)} SMS DINGs "
            f"of at most {limit} people.",
        )
    )
    return {"people": people, "per_town": dict(per_town), "sms_batches": batches}
