"""The benchmark's evaluation set: size, splits and labels that exist in the shipped tables."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from censusdt.census.faq import load_sample_faq
from censusdt.census.faq._data import load_csv

EVAL_PATH = Path(__file__).parents[3] / "bench" / "data" / "faq-eval.jsonl"


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    with EVAL_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_evaluation_set_size_and_kinds(items: list[dict[str, Any]]) -> None:
    kinds = Counter(item["expect"] for item in items)

    assert len(items) >= 200
    assert kinds["abstain"] >= 40
    assert kinds["faq"] >= 100
    assert kinds["code"] >= 30
    assert set(kinds) == {"faq", "code", "abstain"}


def test_evaluation_set_has_both_splits_per_kind(items: list[dict[str, Any]]) -> None:
    for kind in ("faq", "code", "abstain"):
        splits = Counter(item["split"] for item in items if item["expect"] == kind)
        assert set(splits) == {"dev", "test"}, kind
        assert abs(splits["dev"] - splits["test"]) <= 1, kind


def test_evaluation_labels_exist(items: list[dict[str, Any]]) -> None:
    faq_ids = {entry.id for entry in load_sample_faq()}
    groups = {
        r["code"] for r in load_csv("codes", "gbt4754-2017-industry.csv") if r["level"] == "group"
    }
    leaves = {
        r["code"]
        for r in load_csv("codes", "gbt6565-2015-occupation.csv")
        if r["is_leaf"] == "true"
    }

    assert len({item["id"] for item in items}) == len(items)
    assert len({item["text"] for item in items}) == len(items)
    for item in items:
        if item["expect"] == "faq":
            assert set(item["faq_ids"]) <= faq_ids, item["id"]
        if item["expect"] == "code":
            assert "industry" in item or "occupation" in item, item["id"]
            assert set(item.get("industry", [])) <= groups, item["id"]
            assert set(item.get("occupation", [])) <= leaves, item["id"]


def test_evaluation_questions_are_not_knowledge_base_questions(
    items: list[dict[str, Any]],
) -> None:
    questions = {entry.question for entry in load_sample_faq()}

    assert not [item["text"] for item in items if item["text"] in questions]
