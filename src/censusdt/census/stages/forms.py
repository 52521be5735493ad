"""Rehearsal stage "forms": villages fill a daily listing-progress table; the office totals it.

Every village gets a row in one online sheet, and simulated villages fill it in: most
correctly, some with mistakes, some late. The office reads it back, checks every cell, totals
it by town, lists the violations and the villages behind, reminds their people and exports the
.xlsx. The same values submitted as smart-form instances must give the same totals.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table

from censusdt.census._sync.collection import (
    CollectionResult,
    CollectionTable,
    collect_form,
    collect_table,
    create_table,
    export_result,
    remind,
)
from censusdt.census.collect.records import Village, villages_from_divisions
from censusdt.census.collect.template import Column, TableTemplate
from censusdt.census.collect.values import ColumnType
from censusdt.census.divisions import DivisionTable
from censusdt.census.rehearsal import Rehearsal, stage
from censusdt.cli._i18n import current_language, text

__all__ = ["format_summary", "listing_progress_template", "run"]

#: Shares of villages that fill correctly, with a mistake, or not at all on the first day.
_SHARE_CORRECT = 0.78
_SHARE_MISTAKE = 0.10
#: Share of the villages behind that catch up in the hours after the reminder.
_SHARE_CATCH_UP = 0.6
#: Hours between the reminder and the second collection.
_HOURS_TO_SECOND_COLLECTION = 4
#: How many violations and late villages the report lists before summarising the rest.
_LISTED = 12


def listing_progress_template() -> TableTemplate:
    """Build the daily pre-enumeration listing progress table (摸底进度日报)."""
    return TableTemplate.build(
        "摸底进度日报",
        [
            Column("应摸底户数", ColumnType.INTEGER, required=True, unit="户"),
            Column("户数", ColumnType.INTEGER, required=True, unit="户"),
            Column("人数", ColumnType.INTEGER, required=True, unit="人"),
            Column("完成率", ColumnType.PERCENT, required=True, total_formula="户数 / 应摸底户数"),
        ],
        ["户数 ≤ 应摸底户数", "完成率 = 户数 / 应摸底户数", "人数 ≥ 户数"],
    )


def _headers(template: TableTemplate) -> dict[str, str]:
    return {column.name: column.header() for column in template.columns}


def _answer(rng: random.Random) -> dict[str, object]:
    planned = rng.randint(120, 900)
    listed = rng.randint(planned // 2, planned)
    persons = listed * rng.randint(22, 34) // 10
    return {
        "应摸底户数": planned,
        "户数": listed,
        "人数": persons,
        "完成率": f"{listed / planned:.1%}",
    }


def _mistake(rng: random.Random, answer: dict[str, object]) -> dict[str, object]:
    kind = rng.randrange(4)
    wrong = dict(answer)
    if kind == 0:
        wrong["户数"] = int(str(answer["应摸底户数"])) + rng.randint(5, 60)
    elif kind == 1:
        wrong["人数"] = f"约{answer['人数']}"
    elif kind == 2:
        wrong["完成率"] = "150%"
    else:
        del wrong["户数"]
    return wrong


def _divisions(rehearsal: Rehearsal) -> DivisionTable:
    org = rehearsal.results.get("org")
    found = org.get("divisions") if isinstance(org, Mapping) else getattr(org, "divisions", None)
    if isinstance(found, DivisionTable):
        return found
    return DivisionTable.builtin(rehearsal.county_code)


def _people(rehearsal: Rehearsal, villages: Sequence[Village]) -> tuple[str, dict[str, list[str]]]:
    """Return the office operator's unionId and the userids responsible for each village.

    Village people are the members of the department whose source identifier is the village
    code (as the org stage builds it). When the org has no such departments, one data clerk
    per village is added to the fake directly, so the stage can run on its own.
    """
    from censusdt_fake.models.contacts import ROOT_DEPT_ID, ContactsState

    contacts = rehearsal.fake.default_corp.ext(ContactsState)
    by_code: dict[str, list[str]] = {}
    for department in contacts.departments.values():
        code = department.source_identifier
        if code:
            members = [user.userid for user in contacts.members(department.dept_id)]
            by_code.setdefault(code, []).extend(members)

    people = {village.code: by_code.get(village.code, []) for village in villages}
    if not any(people.values()):
        for index, village in enumerate(villages):
            clerk = contacts.create_user(
                name=f"{village.name[:6]}填报员",
                mobile=f"1770000{index:04d}",
                dept_id_list=[ROOT_DEPT_ID],
            )
            people[village.code] = [clerk.userid]

    office = contacts.user_by_mobile("13700000000") or contacts.create_user(
        name="人普办统计员", mobile="13700000000", dept_id_list=[ROOT_DEPT_ID]
    )
    return office.unionid, people


def format_summary(result: CollectionResult, title: str) -> Table:
    """Render the town totals as a table: villages, submitted, behind, households, people, rate."""
    table = Table(title=title)
    headers = text("乡镇 村数 已报 未报 未完成 应摸底户数 户数 人数 完成率", "Town Villages Submitted Missing "
                   "Unfinished Planned Households People Rate").split()  # fmt: skip
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right")

    def row(group: Any) -> list[str]:
        totals = group.totals
        rate = totals.get("完成率")
        return [
            group.name,
            str(group.villages),
            str(group.submitted),
            str(group.not_submitted),
            str(group.unfinished),
            str(totals.get("应摸底户数", "")),
            str(totals.get("户数", "")),
            str(totals.get("人数", "")),
            "-" if rate is None else f"{rate:.1%}",
        ]

    for group in result.summary.groups:
        table.add_row(*row(group))
    table.add_row(*row(result.summary.county), style="bold")
    return table


def _simulate_fill(
    rehearsal: Rehearsal, table: CollectionTable, rng: random.Random
) -> tuple[dict[str, dict[str, object]], list[Village]]:
    from censusdt_fake.sheets import fill_row

    headers = _headers(table.template)
    answers: dict[str, dict[str, object]] = {}
    late: list[Village] = []
    for village in table.villages:
        draw = rng.random()
        if draw >= _SHARE_CORRECT + _SHARE_MISTAKE:
            late.append(village)
            continue
        answer = _answer(rng)
        if draw >= _SHARE_CORRECT:
            answer = _mistake(rng, answer)
        answers[village.code] = answer
        fill_row(
            rehearsal.fake.default_corp,
            table.workbook_id,
            sheet=table.sheets[0].name,
            key=village.code,
            values={headers[name]: value for name, value in answer.items()},
        )
    return answers, late


def _catch_up(
    rehearsal: Rehearsal, table: CollectionTable, behind: Sequence[Village], rng: random.Random
) -> list[Village]:
    """Let some villages behind fill their rows correctly after the reminder."""
    from censusdt_fake.sheets import fill_row

    headers = _headers(table.template)
    caught_up = [village for village in behind if rng.random() < _SHARE_CATCH_UP]
    for village in caught_up:
        fill_row(
            rehearsal.fake.default_corp,
            table.workbook_id,
            sheet=table.sheets[0].name,
            key=village.code,
            values={headers[name]: value for name, value in _answer(rng).items()},
        )
    return caught_up


def _submit_forms(
    rehearsal: Rehearsal,
    template: TableTemplate,
    operator: str,
    answers: Mapping[str, Mapping[str, object]],
    people: Mapping[str, Sequence[str]],
) -> str:
    from censusdt_fake.models.forms import FormsState

    forms = rehearsal.fake.default_corp.ext(FormsState)
    labels = ["区划代码", *(column.name for column in template.columns)]
    form = forms.add_form(
        template.name, creator=operator, labels=labels, now_ms=rehearsal.fake.clock.now_ms()
    )
    for code, answer in answers.items():
        userid = (people.get(code) or ["unknown"])[0]
        forms.submit(
            form.form_code,
            user_id=userid,
            user_name=userid,
            values={"区划代码": code, **answer},
            now_ms=rehearsal.fake.clock.now_ms(),
        )
    return form.form_code


@stage(
    "forms",
    title_zh="协同填表：摸底进度日报",
    title_en="Collaborative tables: listing progress",
    order=40,
)
def run(rehearsal: Rehearsal) -> None:
    """Create, fill, collect, check, total, remind and export the listing-progress table."""
    console = rehearsal.console
    lang = current_language()
    rng = random.Random(rehearsal.seed + 40)
    template = listing_progress_template()
    county = _divisions(rehearsal).get(f"{rehearsal.county_code[:6]}000000")
    villages = villages_from_divisions(_divisions(rehearsal), county.code)
    operator, people = _people(rehearsal, villages)
    client = rehearsal.client

    table = create_table(client, template, villages, operator_id=operator)
    console.print(
        text(
            f"已创建在线表格“{template.name}”：{len(villages)} 个村，按乡镇分组，预填区划代码和村名。",
            f"Created the online sheet “{template.name}”: {len(villages)} villages grouped by "
            "town, with codes and names filled in.",
        )
    )

    answers, late = _simulate_fill(rehearsal, table, rng)
    result = collect_table(client, table, county_name=county.name)
    console.print(
        text(
            f"读取用了 {result.calls} 次区域读取（单次上限允许的最少次数为 {result.minimum_calls}）。",
            f"Reading took {result.calls} range calls (the per-call limit allows no fewer than "
            f"{result.minimum_calls}).",
        )
    )
    console.print(format_summary(result, text(f"{county.name}摸底进度（按乡镇）", f"{county.name} "
                                              "listing progress by town")))  # fmt: skip

    console.print(
        text(f"校验问题 {len(result.violations)} 处：", f"{len(result.violations)} violations:")
    )
    for violation in result.violations[:_LISTED]:
        console.print(f"  · {violation.message(lang)}")
    if len(result.violations) > _LISTED:
        more = len(result.violations) - _LISTED
        console.print(text(f"  …… 另有 {more} 处，见导出文件。", f"  … {more} more in the export."))

    behind = result.behind
    names = "、".join(f"{village.town}{village.name}" for village in behind[:_LISTED])
    console.print(
        text(
            f"未报 {len(result.summary.not_submitted)} 个村、未完成 {len(result.summary.unfinished)}"
            f" 个村：{names}{' 等' if len(behind) > _LISTED else ''}",
            f"{len(result.summary.not_submitted)} villages not submitted and "
            f"{len(result.summary.unfinished)} unfinished: {names}"
            f"{' …' if len(behind) > _LISTED else ''}",
        )
    )

    reminder = remind(
        client, template.name, behind, people, agent_id=rehearsal.fake.default_app.agent_id,
        lang=lang,
    )  # fmt: skip
    console.print(
        text(
            f"已向 {len(reminder.userids)} 名负责人发送工作通知提醒（{len(reminder.village_codes)} 个村）。",
            f"Reminded {len(reminder.userids)} people by work notification "
            f"({len(reminder.village_codes)} villages).",
        )
    )

    rehearsal.fake.clock.advance(_HOURS_TO_SECOND_COLLECTION * 3600)
    caught_up = _catch_up(rehearsal, table, behind, rng)
    second = collect_table(client, table, county_name=county.name)
    console.print(
        text(
            f"提醒 {_HOURS_TO_SECOND_COLLECTION} 小时后，{len(caught_up)} 个村补报；再次汇总："
            f"未报 {len(result.summary.not_submitted)} → {len(second.summary.not_submitted)} 个村，"
            f"未完成 {len(result.summary.unfinished)} → {len(second.summary.unfinished)} 个村，"
            f"全县户数 {result.summary.county.totals['户数']} → "
            f"{second.summary.county.totals['户数']}。",
            f"{_HOURS_TO_SECOND_COLLECTION} hours after the reminder {len(caught_up)} villages "
            f"caught up. Second collection: not submitted {len(result.summary.not_submitted)} → "
            f"{len(second.summary.not_submitted)}, unfinished {len(result.summary.unfinished)} → "
            f"{len(second.summary.unfinished)}, county households "
            f"{result.summary.county.totals['户数']} → {second.summary.county.totals['户数']}.",
        )
    )

    path = export_result(
        rehearsal.workdir / f"{template.name}.xlsx", template, second, villages, lang=lang
    )
    console.print(text(f"已导出：{path}", f"Exported: {path}"))

    form_code = _submit_forms(rehearsal, template, operator, answers, people)
    from_form = collect_form(client, form_code, template, villages, county_name=county.name)
    same = from_form.summary.county.totals == result.summary.county.totals
    console.print(
        text(
            f"同样的数据以智能填表提交：{from_form.calls} 次调用读取 {len(from_form.records)} 份，"
            f"全县合计{'与在线表格一致' if same else '与在线表格不一致'}。",
            f"The same answers as smart-form instances: {len(from_form.records)} read in "
            f"{from_form.calls} calls; county totals {'match' if same else 'differ from'} the sheet.",
        )
    )

    rehearsal.results["forms"] = {
        "table": table,
        "result": result,
        "late": late,
        "reminder": reminder,
        "caught_up": caught_up,
        "second": second,
        "export": path,
        "form_result": from_form,
    }
