"""Rehearsal stage "tasks": a to-do for every enumerator, a training meeting, the census calendar."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any

from rich.table import Table

from censusdt.census._async.meetings import AsyncMeeting, schedule
from censusdt.census._async.milestones import (
    MilestoneCalendar,
    calendar_events,
    publish_milestones,
)
from censusdt.census._async.tasks import AsyncTaskHandle, Reminder, assign
from censusdt.census.audience import AudienceError, ContactsSnapshot, Tag
from censusdt.census.calendar import Milestone, agenda
from censusdt.census.meetingreport import MeetingStatus
from censusdt.census.rehearsal import Rehearsal, stage
from censusdt.census.taskreport import TaskStatus, completion_by_group
from censusdt.cli._i18n import current_language, text
from censusdt.timeutil import SHANGHAI

__all__ = ["run_tasks_stage"]

#: Share of enumerators who finish the to-do before its deadline, in the simulation.
FINISH_SHARE = 0.7
DEADLINE_DAYS = 3
#: Shares of training responses in the simulation: accepted, declined, tentative; the rest do not respond.
ANSWER_SHARES = (0.6, 0.1, 0.1)
ENUMERATOR_TAG = "普查员"
SUPERVISOR_TAG = "普查指导员"


@stage(
    "tasks",
    title_zh="待办与日程：普查员待办、完成统计、提醒未完成、培训会、普查日历",
    title_en="To-dos and calendar: enumerator to-do, completion, reminders, training, calendar",
    order=30,
)
def run_tasks_stage(rehearsal: Rehearsal) -> None:
    """Assign, simulate, report and remind a to-do; schedule training; publish the calendar."""
    snapshot = ContactsSnapshot.from_fake(rehearsal.fake)
    enumerators = _tagged(snapshot, ENUMERATOR_TAG)
    supervisors = _tagged(snapshot, SUPERVISOR_TAG)
    if not enumerators:
        raise RuntimeError(
            f"the tasks stage needs users tagged {ENUMERATOR_TAG!r}; run it after the org stage"
        )
    field_staff = set(enumerators) | set(supervisors)
    office = sorted(set(snapshot.users) - field_staff) or sorted(snapshot.users)
    owner = office[0]
    towns = _town_of_users(rehearsal, snapshot)
    lang = current_language()

    async def run() -> dict[str, Any]:
        async with rehearsal.async_client() as client:
            # The fake's virtual clock, not the client's, decides when the deadline has passed.
            now = _fake_now(rehearsal).replace(microsecond=0)
            handle = await assign(
                client,
                enumerators,
                text("提交摸底进度表", "Submit the listing progress sheet"),
                now + timedelta(days=DEADLINE_DAYS),
                owner_userid=owner,
                description=text(
                    "请在钉钉表格中填写本普查小区的摸底户数和人数，完成后点击“完成”。",
                    "Fill in your enumeration area's listed households and people, then mark done.",
                ),
                source_id=f"rehearsal-listing-{rehearsal.seed}",
            )
            _simulate_completion(rehearsal, handle)
            # Nobody finishes after the deadline here, so one read of every executor's list
            # serves both views: the status just before the deadline and just after it.
            before_deadline = _fake_now(rehearsal)
            rehearsal.fake.clock.advance(DEADLINE_DAYS * 86_400 + 3600)
            after = await handle.status(now=_fake_now(rehearsal))
            before = after.judged_at(before_deadline)
            reminder = await handle.remind(status=after, lang=lang)

            start = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0)
            meeting = await schedule(
                client,
                owner,
                [*enumerators, *supervisors],
                text("普查员入户登记业务培训", "Enumerator training: household enumeration"),
                start=start,
                end=start + timedelta(hours=3),
                location=text("县人普办视频会议", "County census office video meeting"),
                online_meeting=True,
            )
            _simulate_answers(rehearsal, meeting)
            answers = await meeting.status()

            deadline = Milestone(
                text("摸底进度表上报截止", "Listing progress sheet due"),
                (now + timedelta(days=DEADLINE_DAYS)).date(),
                key=f"office-listing-{rehearsal.seed}",
            )
            published = await publish_milestones(
                client,
                owner,
                sorted(snapshot.users),
                office_deadlines=[deadline],
                corp_id=rehearsal.fake.default_corp.corp_id,
                lang=lang,
            )
            events = await calendar_events(
                client, enumerators[0], calendar_id=published.calendar_id
            )
            return {
                "handle": handle,
                "before": before,
                "after": after,
                "reminder": reminder,
                "meeting": meeting,
                "answers": answers,
                "calendar": published,
                "events": events,
            }

    results = asyncio.run(run())
    _report_tasks(
        rehearsal,
        results["handle"],
        before=results["before"],
        after=results["after"],
        reminder=results["reminder"],
        towns=towns,
    )
    _report_meeting(rehearsal, results["meeting"], results["answers"])
    _report_calendar(rehearsal, results["calendar"], results["events"])

    handle: AsyncTaskHandle = results["handle"]
    handle_path = rehearsal.workdir / "task.json"
    handle.save(handle_path)
    rehearsal.results["tasks"] = {**results, "handle_path": handle_path}


def _fake_now(rehearsal: Rehearsal) -> datetime:
    return datetime.fromtimestamp(rehearsal.fake.clock.time(), SHANGHAI)


def _tagged(snapshot: ContactsSnapshot, tag: str) -> list[str]:
    try:
        return sorted(Tag(tag).userids(snapshot))
    except AudienceError:
        return []


def _town_of_users(rehearsal: Rehearsal, snapshot: ContactsSnapshot) -> dict[str, str]:
    """Map each userid to the name of the town department above them, from the org stage."""
    org: dict[str, Any] = rehearsal.results.get("org") or {}
    department_ids: dict[str, int] = org.get("department_ids") or {}
    # Division codes: county 6 digits, town 3, village 3; a town's village part is 000.
    town_ids = {
        dept_id: snapshot.departments[dept_id].name
        for code, dept_id in department_ids.items()
        if len(code) == 12
        and code[6:9] != "000"
        and code[9:] == "000"
        and dept_id in snapshot.departments
    }
    if not town_ids:
        # Without the org stage's codes: the departments two levels below the root.
        counties = {d.dept_id for d in snapshot.departments.values() if d.parent_id == 1}
        town_ids = {
            d.dept_id: d.name for d in snapshot.departments.values() if d.parent_id in counties
        }
    county = text("县直", "county sections")
    towns: dict[str, str] = {}
    for userid, user in snapshot.users.items():
        towns[userid] = county
        for dept_id in user.dept_ids:
            found = [town_ids[item] for item in snapshot.ancestors(dept_id) if item in town_ids]
            if found:
                towns[userid] = found[0]
                break
    return towns


def _simulate_completion(rehearsal: Rehearsal, handle: AsyncTaskHandle) -> None:
    from censusdt_fake.models.todo import TodoState

    state = rehearsal.fake.default_corp.ext(TodoState)
    for task_id in handle.task_ids:
        state.simulate(
            task_id,
            probability=FINISH_SHARE,
            seed=rehearsal.seed,
            now_ms=rehearsal.fake.clock.now_ms(),
        )


def _simulate_answers(rehearsal: Rehearsal, meeting: AsyncMeeting) -> None:
    from censusdt_fake.models.calendar import CalendarState

    accept, decline, tentative = ANSWER_SHARES
    rehearsal.fake.default_corp.ext(CalendarState).simulate_responses(
        meeting.event_id,
        accept=accept,
        decline=decline,
        tentative=tentative,
        seed=rehearsal.seed,
        now_ms=rehearsal.fake.clock.now_ms(),
    )


def _dinged(rehearsal: Rehearsal, reminder: Reminder) -> set[str]:
    """Who the fake delivered the DINGs to, or rejected as not found: its own record."""
    from censusdt_fake.models.robot import RobotState

    dings = rehearsal.fake.default_corp.ext(RobotState).dings
    reached = {userid for key in reminder.open_ding_ids for userid in dings[key].deliveries}
    rejected = {userid for users in reminder.failed.values() for userid in users}
    return reached | rejected


def _report_tasks(
    rehearsal: Rehearsal,
    handle: AsyncTaskHandle,
    *,
    before: TaskStatus,
    after: TaskStatus,
    reminder: Reminder,
    towns: dict[str, str],
) -> None:
    console = rehearsal.console
    lang = current_language()
    console.print(
        text(
            f"待办《{after.subject}》已派给 {len(after.people)} 名普查员"
            f"（每个待办至多100名执行人，共 {len(handle.task_ids)} 个）。",
            f"To-do “{after.subject}” assigned to {len(after.people)} enumerators "
            f"({len(handle.task_ids)} to-dos of at most 100 executors).",
        )
    )
    console.print(before.summary(lang))

    table = Table(
        title=text("各镇街待办完成情况（截止后）", "Completion by town (after the deadline)")
    )
    for header in (
        text("镇街", "Town"),
        text("人数", "People"),
        text("已完成", "Done"),
        text("已逾期", "Overdue"),
        text("完成率", "Rate"),
    ):
        table.add_column(header, justify="left" if header in {"镇街", "Town"} else "right")
    for row in completion_by_group(after, towns):
        table.add_row(row.group, str(row.total), str(row.done), str(row.overdue), f"{row.rate:.0%}")
    console.print(table)

    dinged = _dinged(rehearsal, reminder)
    unfinished = set(after.unfinished)
    if dinged != unfinished or dinged & set(after.done):
        raise AssertionError(
            f"the reminder reached {len(dinged)} people, but {len(unfinished)} had not finished"
        )
    console.print(
        text(
            f"截止后 {len(after.overdue)} 人逾期；已对这 {len(unfinished)} 人发送 DING 提醒"
            f"（{len(reminder.open_ding_ids)} 次调用）。核对：提醒名单与未完成名单完全一致，"
            f"已完成的 {len(after.done)} 人无一收到。",
            f"{len(after.overdue)} people are overdue; DINGed these {len(unfinished)} people "
            f"({len(reminder.open_ding_ids)} calls). Check: the reminder list equals the "
            f"unfinished list, and none of the {len(after.done)} who finished got one.",
        )
    )


def _report_meeting(rehearsal: Rehearsal, meeting: AsyncMeeting, answers: MeetingStatus) -> None:
    people = len(meeting.record.union_ids)
    calls = (people + 499) // 500
    rehearsal.console.print(
        text(
            f"培训会《{meeting.record.summary}》已进入 {people} 人的日程"
            f"（每次调用至多500名参会人，共 {calls} 次）。",
            f"Training “{meeting.record.summary}” is in {people} people's calendars "
            f"({calls} calls of at most 500 attendees).",
        )
    )
    rehearsal.console.print(answers.summary_line(current_language()))


def _report_calendar(rehearsal: Rehearsal, published: MilestoneCalendar, events: list[Any]) -> None:
    rehearsal.console.print(
        text(
            f"公共日历《{published.name}》已发布：{len(published.event_ids)} 个节点，"
            f"{len(published.subscribers)} 人已订阅。以下为2020年11月月视图：",
            f"Public calendar “{published.name}” published: {len(published.event_ids)} "
            f"milestones, {len(published.subscribers)} subscribers. November 2020:",
        )
    )
    month = agenda(events, "month", date(2020, 11, 1), current_language())
    rehearsal.console.print(month)
