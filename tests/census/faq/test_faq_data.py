"""Shipped data: loading through importlib.resources, parsing errors and the public names."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from censusdt.census import faq
from censusdt.census.faq import load_sample_faq, parse_faq_jsonl

SHIPPED = [
    ("faq", "census-faq.sample.jsonl"),
    ("faq", "chat-terms.tsv"),
    ("faq", "domain-words.txt"),
    ("codes", "gbt4754-2017-industry.csv"),
    ("codes", "gbt6565-2015-occupation.csv"),
    ("codes", "csco2022-occupation-detail.csv"),
    ("codes", "colloquial-terms.tsv"),
]


@pytest.mark.parametrize(("folder", "name"), SHIPPED)
def test_data_file_is_a_package_resource(folder: str, name: str) -> None:
    resource = resources.files("censusdt.data") / folder / name

    assert resource.is_file()
    assert resource.read_text(encoding="utf-8").strip()


def test_sample_faq_has_101_entries_in_13_categories() -> None:
    entries = load_sample_faq()

    assert len(entries) == 101
    assert len({entry.id for entry in entries}) == 101
    assert len({entry.category for entry in entries}) == 13
    assert entries[0].id == "faq-001"
    assert all(entry.answer for entry in entries)


def test_sample_faq_returns_fresh_list() -> None:
    first = load_sample_faq()
    first.clear()

    assert len(load_sample_faq()) == 101


def test_installed_package_loads_without_output(tmp_path: Path) -> None:
    # -I ignores the working directory and PYTHONPATH, so the data must come from the installed
    # package. The robot must also build without printing, although jieba logs to stderr by default.
    script = (
        "import json\n"
        "from censusdt.census.faq import FaqRobot, format_reply\n"
        "robot = FaqRobot()\n"
        "result = robot.route('开滴滴的职业代码')\n"
        "print(json.dumps([len(robot.router), result.occupation[0].code]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )

    assert completed.stderr == ""
    assert json.loads(completed.stdout) == [101, "40202"]


def test_parse_faq_jsonl_reads_phrasings() -> None:
    text = (
        '{"id": "a", "category": "c", "question": "q1", "answer": "x", "phrasings": ["p1", "p2"]}\n'
        "\n"
        '{"id": "b", "question": "q2", "answer": "y"}\n'
    )

    entries = parse_faq_jsonl(text)

    assert [entry.id for entry in entries] == ["a", "b"]
    assert entries[0].phrasings == ("p1", "p2")
    assert entries[1].category == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"id": "a", "question": "q"}\n', "line 1: invalid FAQ record"),
        ('{"id": "a", "question": "q", "answer": "x"}\nnot json\n', "line 2: invalid FAQ record"),
        (
            '{"id": "a", "question": "q", "answer": "x"}\n{"id": "a", "question": "r", "answer": "y"}\n',
            "line 2: duplicate FAQ id 'a'",
        ),
        ('{"id": "a", "question": " ", "answer": "x"}\n', "question is empty"),
    ],
)
def test_parse_faq_jsonl_names_bad_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_faq_jsonl(text, source="kb.jsonl")


def test_public_names_are_exported() -> None:
    required = {"FaqRouter", "FaqEntry", "FaqAnswer", "CodeLookup", "CodeCandidate"}

    assert required <= set(faq.__all__)
    assert "load_sample_faq" in faq.__all__
    assert len(faq.__all__) == len(set(faq.__all__))
    for name in faq.__all__:
        assert getattr(faq, name) is not None
