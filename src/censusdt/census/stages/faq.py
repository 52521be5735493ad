"""Rehearsal stage "faq": the knowledge base on the fake, and the FAQ robot answering staff.

The stage imports a small Markdown folder and the shipped FAQ into the knowledge base (twice, to
show the second import writes nothing), serves the robot on 127.0.0.1, and lets simulated
enumerators ask twenty questions through signed callbacks. It also sends one forged and one
stale callback, which the robot must reject.
"""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
from rich.table import Table

from censusdt.census._sync.kb import KbImportResult, import_knowledge_base
from censusdt.census.faq import FaqRobot
from censusdt.census.faqbot import FaqBot, FaqBotServer, Turn
from censusdt.census.kb import CATEGORIES, KbState, read_source
from censusdt.census.rehearsal import Rehearsal, stage
from censusdt.census.roster import Post, StaffMember
from censusdt.cli._i18n import text

__all__ = ["QUESTIONS", "run_faq_stage", "write_sample_sources"]

#: Questions enumerators ask in the rehearsal: rules, codes, and topics the knowledge base lacks.
QUESTIONS = (
    "普查标准时点是哪天几点？",
    "长表啥时候登记",
    "外国人来出差要登记吗",
    "户口在外地、人住在我们村，要登记几次？",
    "住校的初中生在哪登记",
    "工地上住工棚的工人怎么登",
    "11月1号以后生的孩子还登记吗",
    "自主填报截止到哪天",
    "上门时家里没人怎么办",
    "居民不配合登记怎么办",
    "能把住户信息截图发到群里吗",
    "短表和长表各有多少项",
    "卖菜的行业代码是多少",
    "开滴滴的职业怎么编",
    "送外卖的职业代码",
    "在家种大棚蔬菜的农民行业怎么填",
    "修手机的行业代码",
    "今天中午食堂吃什么",
    "普查员的补贴什么时候发",
    "PAD登不上去了怎么办",
)

_SAMPLE_DOCUMENTS = {
    ("指标解释", "现住地.md"): (
        "# 现住地\n\n现住地是标准时点（2020年11月1日零时）被登记人经常居住的地方。"
        "住本地的人在本地登记，不看户口在哪里。\n"
    ),
    ("指标解释", "人户分离.md"): (
        "# 人户分离\n\n现住地与户口登记地不在同一个乡镇街道的人，称为人户分离人口。"
        "现住地登记时要同时填写户口登记地。\n"
    ),
    ("软件操作手册", "PAD数据上报.md"): (
        "# PAD 数据上报\n\n1. 每天登记结束后连上网络。\n2. 在“数据管理”中选择“上报”。\n"
        "3. 上报成功后核对已上报户数，与纸质底册一致再关机。\n"
    ),
}
_OUTCOME_LABELS = {
    "answered": ("已回答", "answered"),
    "codes": ("编码候选", "code candidates"),
    "handed_over": ("转人工", "handed over"),
    "ignored": ("非文字", "not text"),
}
_CHANNEL_LABELS = {
    "session": ("会话回复", "sessionWebhook"),
    "robot": ("机器人单聊", "robot message"),
    "none": ("未送达", "not delivered"),
}


def write_sample_sources(folder: Path) -> Path:
    """Write the sample Markdown documents and the shipped FAQ into ``folder``; return it."""
    for (category, name), body in _SAMPLE_DOCUMENTS.items():
        path = folder / category / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    sample = resources.files("censusdt.data") / "faq" / "census-faq.sample.jsonl"
    faq = sample.read_text(encoding="utf-8")
    (folder / CATEGORIES[2]).mkdir(parents=True, exist_ok=True)
    (folder / CATEGORIES[2] / "census-faq.jsonl").write_text(faq, encoding="utf-8")
    return folder


def _people(rehearsal: Rehearsal) -> tuple[str, list[str], list[str]]:
    """The curator's userid, the operations group's people on duty, and enumerators' userids."""
    org: dict[str, Any] = rehearsal.results["org"]
    userids: dict[str, str] = org["userids"]
    inactive = set(org.get("inactive_userids") or ())
    members: tuple[StaffMember, ...] = org["roster"].members

    def active(member: StaffMember) -> bool:
        userid = userids.get(member.mobile)
        return userid is not None and userid not in inactive

    county = [member for member in members if member.post is Post.COUNTY_STAFF and active(member)]
    operations = [member for member in county if "业务组" in member.sections]
    if not county or not operations:
        raise AssertionError("the org stage left no active county staff in 业务组")
    enumerators = [
        userids[member.mobile]
        for member in members
        if member.post is Post.ENUMERATOR and active(member)
    ]
    curator = userids[county[0].mobile]
    duty = [userids[member.mobile] for member in operations[:3]]
    return curator, duty, enumerators


@stage(
    "faq",
    title_zh="知识库与问答机器人：导入、提问、转人工",
    title_en="Knowledge base and FAQ robot: import, questions, hand-over",
    order=50,
)
def run_faq_stage(rehearsal: Rehearsal) -> None:
    """Build the knowledge base, serve the robot, ask twenty questions, and report."""
    from censusdt_fake.conversation import Conversation

    console = rehearsal.console
    client = rehearsal.client
    curator, duty, enumerators = _people(rehearsal)
    operator = client.contacts.union_id(curator)

    source = write_sample_sources(rehearsal.workdir / "知识库")
    documents = read_source(source)
    state = KbState()
    first = import_knowledge_base(client, documents, operator_id=operator, state=state)
    second = import_knowledge_base(client, documents, operator_id=operator, state=state)
    if second.writes:
        raise AssertionError(f"the second knowledge base import sent {second.writes} writes")
    state.save(source / ".censusdt-kb.json")
    _report_import(rehearsal, first, second)

    fake = rehearsal.fake
    app = fake.default_app
    log_path = rehearsal.workdir / "faq-handover.jsonl"
    http = httpx.Client(transport=fake.transport())
    bot = FaqBot(
        client,
        app_secret=app.app_secret,
        duty_userids=duty,
        robot=FaqRobot(),
        handover_log=log_path,
        clock=fake.clock,
        http=http,
    )
    rng = random.Random(rehearsal.seed)
    statuses: list[int] = []
    with FaqBotServer(bot) as server, Conversation(fake, server.callback_url) as conversation:
        for question in QUESTIONS:
            outcome = conversation.ask(rng.choice(enumerators), question)
            statuses.append(outcome.status)
        asker = enumerators[0]
        forged = conversation.ask(asker, "伪造的请求", secret="not-the-app-secret")
        stale_ms = fake.clock.now_ms() - 2 * 3_600_000
        stale = conversation.ask(asker, "过期的请求", timestamp_ms=stale_ms)
    http.close()
    if any(status != 200 for status in statuses):
        raise AssertionError(f"the robot returned HTTP {statuses} to genuine callbacks")
    if forged.status != 403 or stale.status != 403:
        raise AssertionError(
            f"forged/stale callbacks got HTTP {forged.status}/{stale.status}; expected 403"
        )
    _report_turns(rehearsal, bot.turns, log_path)
    console.print(
        text(
            f"伪造签名和过期时间戳的回调均被拒绝（HTTP {forged.status}、{stale.status}）。",
            f"Forged and stale callbacks were rejected (HTTP {forged.status}, {stale.status}).",
        )
    )
    rehearsal.results["faq"] = {
        "workspace_id": first.workspace_id,
        "turns": list(bot.turns),
        "handover_log": log_path,
        "duty_userids": duty,
    }


def _report_import(rehearsal: Rehearsal, first: KbImportResult, second: KbImportResult) -> None:
    rehearsal.console.print(
        text(
            f"知识库已建立：{len(first.folders_created)} 个文件夹（{'、'.join(CATEGORIES)} 及问题分类），"
            f"{len(first.created)} 篇文档，{first.writes} 次写入；"
            f"再次导入：{len(second.unchanged)} 篇未变，{second.writes} 次写入。",
            f"Knowledge base built: {len(first.folders_created)} folders ({', '.join(CATEGORIES)} "
            f"and question categories), {len(first.created)} documents, {first.writes} writes; "
            f"second import: {len(second.unchanged)} unchanged, {second.writes} writes.",
        )
    )


def _label(labels: dict[str, tuple[str, str]], key: str) -> str:
    zh, en = labels[key]
    return text(zh, en)


def _detail(turn: Turn, names: dict[str, str]) -> str:
    if turn.codes:
        return turn.codes[0]
    if turn.outcome == "answered" and turn.entry_id:
        return (
            f"{turn.entry_id}（{turn.confidence:.2f}）"
            if turn.confidence is not None
            else turn.entry_id
        )
    if turn.notified:
        person = names.get(turn.notified[0], turn.notified[0])
        return text(f"已 DING 值班人 {person}", f"DING sent to {person}")
    return ""


def _names(rehearsal: Rehearsal) -> dict[str, str]:
    org: dict[str, Any] = rehearsal.results["org"]
    by_mobile = {member.mobile: member.name for member in org["roster"].members}
    return {userid: by_mobile.get(mobile, userid) for mobile, userid in org["userids"].items()}


def _report_turns(rehearsal: Rehearsal, turns: list[Turn], log_path: Path) -> None:
    names = _names(rehearsal)
    table = Table(title=text("问答机器人：20 个问题", "FAQ robot: 20 questions"))
    table.add_column("#", justify="right")
    table.add_column(text("问题", "Question"))
    table.add_column(text("处理", "Outcome"))
    table.add_column(text("匹配条目 / 首选代码 / 转交", "Entry / best code / hand-over"))
    table.add_column(text("回复方式", "Reply by"))
    genuine = [turn for turn in turns if turn.question in QUESTIONS]
    for number, turn in enumerate(genuine, start=1):
        table.add_row(
            str(number),
            turn.question,
            _label(_OUTCOME_LABELS, turn.outcome),
            _detail(turn, names),
            _label(_CHANNEL_LABELS, turn.channel),
        )
    rehearsal.console.print(table)
    counts = {key: sum(turn.outcome == key for turn in genuine) for key in _OUTCOME_LABELS}
    rehearsal.console.print(
        text(
            f"已回答 {counts['answered']} 个，给出编码候选 {counts['codes']} 个，"
            f"转人工 {counts['handed_over']} 个；转人工记录见 {log_path.name}。",
            f"{counts['answered']} answered, {counts['codes']} with code candidates, "
            f"{counts['handed_over']} handed over; hand-overs are logged in {log_path.name}.",
        )
    )
