"""``censusdt faq`` commands: ask offline, import against the fake over real HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from censusdt.census.faq import FaqRobot, load_sample_faq
from censusdt.cli import cli
from censusdt.cli._i18n import set_language
from censusdt_fake import FakeDingTalk, FakeServer
from censusdt_fake.models.contacts import ContactsState


@pytest.fixture(autouse=True)
def chinese_output() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("zh")


def test_ask_answers_in_chinese() -> None:
    result = CliRunner().invoke(cli, ["faq", "ask", "长表啥时候登记"])
    expected = FaqRobot().route("长表啥时候登记")
    assert result.exit_code == 0, result.output
    assert expected.entry is not None
    assert "匹配问题" in result.output
    assert expected.entry.question in result.output.replace("\n", "")


def test_ask_in_english() -> None:
    result = CliRunner().invoke(cli, ["--lang", "en", "faq", "ask", "今天中午食堂吃什么"])
    assert result.exit_code == 0, result.output
    assert "Not confident enough to answer" in result.output
    assert "passes it to nobody" in result.output


def test_ask_with_own_faq_file(tmp_path: Path) -> None:
    faq = tmp_path / "faq.jsonl"
    record = {
        "id": "x1",
        "category": "后勤",
        "question": "普查员工作证在哪领？",
        "answer": "到镇普查办领取。",
    }
    faq.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["faq", "ask", "工作证在哪领", "--faq", str(faq)])
    assert result.exit_code == 0, result.output
    assert "到镇普查办领取。" in result.output


def test_serve_needs_duty() -> None:
    result = CliRunner().invoke(cli, ["faq", "serve", "--app-key", "k", "--app-secret", "s"])
    assert result.exit_code == 2
    assert "--duty" in result.output


def test_import_twice_writes_once(
    dingtalk_server: FakeServer, dingtalk_fake: FakeDingTalk, tmp_path: Path
) -> None:
    curator = dingtalk_fake.default_corp.ext(ContactsState).create_user(
        name="王主任", mobile="13800000001", dept_id_list=[1]
    )
    faq = tmp_path / "faq.jsonl"
    lines = [
        json.dumps(
            {"id": e.id, "category": e.category, "question": e.question, "answer": e.answer},
            ensure_ascii=False,
        )
        for e in load_sample_faq()[:5]
    ]
    faq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = dingtalk_fake.default_app
    args = [
        "faq",
        "import",
        str(faq),
        "--operator",
        curator.unionid,
        "--app-key",
        app.app_key,
        "--app-secret",
        app.app_secret,
        "--base-url",
        dingtalk_server.url,
    ]

    first = CliRunner().invoke(cli, args)
    writes_after_first = len(
        dingtalk_fake.calls("/v1.0/doc/suites/documents/{docKey}/overwriteContent")
    )
    second = CliRunner().invoke(cli, args)

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "知识库导入结果" in first.output
    assert writes_after_first == 5
    assert len(dingtalk_fake.calls("/v1.0/doc/suites/documents/{docKey}/overwriteContent")) == 5
    assert (tmp_path / "faq.kb.json").exists()


def test_import_rejects_misplaced_markdown(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.md").write_text("# a", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "faq",
            "import",
            str(tmp_path / "src"),
            "--operator",
            "u",
            "--app-key",
            "k",
            "--app-secret",
            "s",
        ],
    )
    assert result.exit_code == 1
    assert "a.md" in result.output


def test_rehearse_faq_stage(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["rehearse", "--fast", "--county", "370772", "--only", "faq", "--workdir", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert "问答机器人：20 个问题" in result.output
    assert "再次导入" in result.output
    assert "HTTP 403、403" in result.output
    records = (tmp_path / "faq-handover.jsonl").read_text(encoding="utf-8").splitlines()
    summary = re.search(r"转人工 (\d+) 个", result.output)
    assert summary is not None
    assert int(summary.group(1)) == len(records)
    assert (tmp_path / "知识库" / ".censusdt-kb.json").exists()


def test_ask_empty_question_is_usage_error() -> None:
    from click.testing import CliRunner

    from censusdt.cli import cli

    result = CliRunner().invoke(cli, ["faq", "ask", "  "])

    assert result.exit_code == 2
    assert "问题不能为空" in result.output
