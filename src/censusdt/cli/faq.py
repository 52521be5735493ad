"""``censusdt faq ask | serve | import``: the FAQ robot and the census knowledge base."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click
from rich.table import Table

from censusdt._errors import ValidationError
from censusdt.cli._common import (
    connection_options,
    console,
    error_console,
    handle_errors,
    make_client,
)
from censusdt.cli._i18n import current_language, text

if TYPE_CHECKING:
    from censusdt.census.faq import FaqRobot

__all__ = ["command"]


def _robot(faq_file: Path | None) -> FaqRobot:
    """The router over ``faq_file``, or over the shipped sample knowledge base."""
    from censusdt.census.faq import FaqRobot
    from censusdt.census.kb import read_faq_file

    if faq_file is None:
        return FaqRobot()
    try:
        return FaqRobot.from_entries(read_faq_file(faq_file))
    except (ValidationError, ValueError) as error:
        error_console.print(f"{text('错误', 'Error')}: {error}")
        raise SystemExit(1) from None


_FAQ_FILE = click.option(
    "--faq",
    "faq_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="FAQ file (.jsonl or .xlsx) to answer from; the shipped sample by default.",
)


@click.group("faq")
def command() -> None:
    """The FAQ robot: answer staff questions, serve its DingTalk callback, import the knowledge base."""


@command.command("ask")
@click.argument("question")
@_FAQ_FILE
def ask(question: str, faq_file: Path | None) -> None:
    """Answer QUESTION as the robot would (knowledge base or industry/occupation codes)."""
    from censusdt.census.faq import CodeLookupResult, format_reply

    if not question.strip():
        raise click.BadParameter(
            text("问题不能为空。", "the question is empty."), param_hint="QUESTION"
        )
    result = _robot(faq_file).route(question)
    if isinstance(result, CodeLookupResult) or not result.abstained:
        console.print(format_reply(result, current_language()), markup=False, soft_wrap=True)
        if not result.abstained:
            return
    elif result.entry is not None:
        console.print(
            text(
                f"没有把握回答这个问题。最接近的条目：{result.entry.id} {result.entry.question}"
                f"（置信度 {result.confidence:.2f}）。",
                f"Not confident enough to answer. Closest entry: {result.entry.id} "
                f"{result.entry.question} (confidence {result.confidence:.2f}).",
            ),
            markup=False,
            soft_wrap=True,
        )
    console.print(
        text(
            "在钉钉中，机器人会把这个问题转给业务组的值班同事；命令行不转交。",
            "In DingTalk the robot passes this question to the operations group's person on "
            "duty; the command line passes it to nobody.",
        ),
        soft_wrap=True,
    )


@command.command("serve")
@click.option("--port", default=8080, show_default=True, help="TCP port on 127.0.0.1.")
@click.option(
    "--duty",
    "duty_userids",
    multiple=True,
    required=True,
    help="userid of a person on duty in the operations group (业务组); repeat to rotate daily.",
)
@click.option(
    "--handover-by",
    type=click.Choice(["ding", "robot"]),
    default="ding",
    show_default=True,
    help="How a question the robot cannot answer reaches the person on duty.",
)
@click.option(
    "--handover-log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("faq-handover.jsonl"),
    show_default=True,
    help="JSONL file where handed-over questions are appended for the curators.",
)
@_FAQ_FILE
@connection_options
@handle_errors
def serve(
    *,
    port: int,
    duty_userids: tuple[str, ...],
    handover_by: Literal["ding", "robot"],
    handover_log: Path,
    faq_file: Path | None,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Run the robot's HTTP callback endpoint on 127.0.0.1 until interrupted."""
    from censusdt.census.faqbot import FaqBot, FaqBotServer

    client = make_client(app_key, app_secret, base_url)
    assert app_secret is not None  # make_client has checked it
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # httpx logs every URL at INFO, and a sessionWebhook URL carries its session token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    bot = FaqBot(
        client,
        app_secret=app_secret,
        duty_userids=duty_userids,
        robot=_robot(faq_file),
        handover_log=handover_log,
        handover_by=handover_by,
        lang=current_language(),
    )
    server = FaqBotServer(bot, port=port)
    console.print(
        text(
            f"问答机器人已启动，回调地址：{server.callback_url}（按 Ctrl+C 停止）",
            f"FAQ robot running; callback URL: {server.callback_url} (Ctrl+C stops it)",
        )
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        bot.close()
        client.close()


@command.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--operator",
    "operator_id",
    required=True,
    help="unionId of the person who owns the knowledge base (the census office's curator).",
)
@click.option("--name", default=None, help="Knowledge base name; 人口普查知识库 by default.")
@click.option(
    "--state",
    "state_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Sync state file; SOURCE/.censusdt-kb.json (or SOURCE.kb.json for a file) by default.",
)
@connection_options
@handle_errors
def import_(
    *,
    source: Path,
    operator_id: str,
    name: str | None,
    state_file: Path | None,
    app_key: str | None,
    app_secret: str | None,
    base_url: str | None,
) -> None:
    """Create or update the knowledge base from a Markdown folder or a FAQ file."""
    from censusdt.census._sync.kb import import_knowledge_base
    from censusdt.census.kb import DEFAULT_KB_NAME, KbState, read_source

    try:
        documents = read_source(source)
    except (ValidationError, ValueError) as error:
        error_console.print(f"{text('错误', 'Error')}: {error}")
        raise SystemExit(1) from None
    if state_file is None:
        state_file = (
            source / ".censusdt-kb.json" if source.is_dir() else source.with_suffix(".kb.json")
        )
    state = KbState.load(state_file)
    with make_client(app_key, app_secret, base_url) as client:
        result = import_knowledge_base(
            client,
            documents,
            operator_id=operator_id,
            state=state,
            name=name or DEFAULT_KB_NAME,
        )
    state.save(state_file)

    table = Table(title=text("知识库导入结果", "Knowledge base import"))
    table.add_column(text("项目", "Item"))
    table.add_column(text("数量", "Count"), justify="right")
    table.add_row(text("新建文件夹", "Folders created"), str(len(result.folders_created)))
    table.add_row(text("新建文档", "Documents created"), str(len(result.created)))
    table.add_row(text("更新文档", "Documents updated"), str(len(result.updated)))
    table.add_row(text("未变文档", "Documents unchanged"), str(len(result.unchanged)))
    table.add_row(
        text("知识库中其他文档（保留）", "Other documents (kept)"), str(len(result.extra))
    )
    table.add_row(text("写入调用", "Write calls"), str(result.writes))
    console.print(table)
    console.print(
        text(
            f"知识库 {result.workspace_id}；同步状态已保存到 {state_file}",
            f"Knowledge base {result.workspace_id}; sync state saved to {state_file}",
        )
    )
