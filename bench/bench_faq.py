"""Benchmark the census FAQ robot: routing accuracy, abstention, code lookup and latency.

Run from the repository root with the project installed:

    python bench/bench_faq.py            # all metrics, human-readable
    python bench/bench_faq.py --json     # the same numbers as JSON

Accuracy is measured on the hand-written evaluation set in bench/data/faq-eval.jsonl, split into
a dev half (used for tuning) and a test half (reported, never tuned on). Latency is measured with
the knowledge base padded to 5,000 entries with seeded synthetic entries built from the shipped
classification tables and software-manual templates.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from censusdt.census.faq import (
    CodeLookupResult,
    FaqAnswer,
    FaqEntry,
    FaqRobot,
    FaqRouter,
    load_sample_faq,
)
from censusdt.census.faq._data import load_csv
from censusdt.census.faq._text import char_readings, sound_of

EVAL_PATH = Path(__file__).parent / "data" / "faq-eval.jsonl"
SCALED_SIZE = 5_000
SEED = 20201101
LATENCY_PASSES = 5


def load_eval(path: Path = EVAL_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _manual_entries(rng: random.Random, count: int) -> list[FaqEntry]:
    devices = [
        "PAD",
        "平板电脑",
        "手机",
        "办公电脑",
        "数据处理平台",
        "钉钉",
        "采集程序",
        "小程序",
        "管理端",
    ]
    actions = [
        "登录",
        "同步数据",
        "上传数据",
        "下载普查小区图",
        "扫描身份证",
        "修改户信息",
        "删除重复户",
        "导出汇总表",
        "切换普查小区",
        "补录死亡人口",
        "查看审核错误",
        "重置密码",
        "更新版本",
        "绑定设备",
        "离线登记",
        "恢复误删记录",
        "打印户主姓名底册",
    ]
    problems = [
        "失败怎么办",
        "提示网络错误怎么办",
        "在哪里操作",
        "要多长时间",
        "需要谁审批",
        "提示没有权限怎么办",
        "一直转圈怎么办",
        "可以批量操作吗",
    ]
    combos = [(d, a, p) for d in devices for a in actions for p in problems]
    rng.shuffle(combos)
    entries = []
    for number, (device, action, problem) in enumerate(combos[:count], start=1):
        entries.append(
            FaqEntry(
                id=f"manual-{number:04d}",
                category="软件操作手册",
                question=f"在{device}上{action}{problem}？",
                answer=(
                    f"{device}上的“{action}”在主菜单中进入；如遇异常，先检查网络和账号权限，"
                    f"仍不能解决的截图报告乡镇普查办技术人员。"
                ),
            )
        )
    return entries


def synthetic_entries(count: int, seed: int = SEED) -> list[FaqEntry]:
    """Build `count` realistic knowledge-base entries (指标解释 and 软件操作手册), seeded."""
    rng = random.Random(seed)
    industry = load_csv("codes", "gbt4754-2017-industry.csv")
    occupation = load_csv("codes", "gbt6565-2015-occupation.csv")
    details = load_csv("codes", "csco2022-occupation-detail.csv")
    names = {row["code"]: row["name"] for row in industry}

    pool: list[FaqEntry] = []
    for row in industry:
        if row["level"] == "class":
            pool.append(
                FaqEntry(
                    id=f"ind-{row['code']}",
                    category="指标解释",
                    question=f"{row['name']}属于哪个行业中类？",
                    answer=(
                        f"{row['name']}（{row['code']}）属于{names.get(row['division'], '')}大类下的"
                        f"{names.get(row['group'], '')}中类（{row['group']}）。{row['description']}"
                    ),
                )
            )
        elif row["level"] == "group":
            pool.append(
                FaqEntry(
                    id=f"grp-{row['code']}",
                    category="指标解释",
                    question=f"行业中类{row['code']}“{row['name']}”包括哪些活动？",
                    answer=row["description"] or f"{row['name']}的各项活动。",
                )
            )
    for row in occupation:
        if row["level"] == "minor":
            pool.append(
                FaqEntry(
                    id=f"occ-{row['code']}",
                    category="指标解释",
                    question=f"职业小类{row['code']}“{row['name']}”指哪些人员？",
                    answer=row["description"],
                )
            )
    for row in details:
        if row["level"] == "4" and row["definition"]:
            pool.append(
                FaqEntry(
                    id=f"csco-{row['code']}",
                    category="指标解释",
                    question=f"{row['name']}是做什么工作的？",
                    answer=f"{row['definition']}（2022年版职业分类大典{row['code']}）",
                )
            )
    # The 2022 table repeats a few codes; one entry per id is enough.
    unique = list({entry.id: entry for entry in pool}.values())
    rng.shuffle(unique)
    chosen = unique[:count]
    if len(chosen) < count:
        chosen.extend(_manual_entries(rng, count - len(chosen)))
    return chosen


def scaled_knowledge_base(size: int = SCALED_SIZE) -> list[FaqEntry]:
    sample = load_sample_faq()
    return sample + synthetic_entries(size - len(sample))


def _faq_hit(result: FaqAnswer | CodeLookupResult, expected: Sequence[str]) -> bool:
    answer = result.related if isinstance(result, CodeLookupResult) else result
    if answer is None or answer.abstained or answer.entry is None:
        return False
    return answer.entry.id in expected


def _code_checks(
    result: FaqAnswer | CodeLookupResult, item: dict[str, Any]
) -> list[tuple[str, bool, bool, list[str]]]:
    """Return (scheme, top-1 hit, top-3 hit, codes) for each classification the item labels."""
    checks = []
    for scheme in ("industry", "occupation"):
        if scheme not in item:
            continue
        codes: list[str] = []
        if isinstance(result, CodeLookupResult):
            codes = [candidate.code for candidate in getattr(result, scheme)]
        top1 = bool(codes) and codes[0] in item[scheme]
        top3 = any(code in item[scheme] for code in codes[:3])
        checks.append((scheme, top1, top3, codes[:3]))
    return checks


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def evaluate(robot: FaqRobot, items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return the accuracy metrics of `robot` on evaluation items."""
    counts = dict.fromkeys(
        ("faq", "faq_hit", "abstain", "abstain_hit", "code", "code_top1", "code_top3"), 0
    )
    misses: list[str] = []
    for item in items:
        result = robot.route(item["text"])
        if item["expect"] == "faq":
            hit = _faq_hit(result, item["faq_ids"])
            counts["faq"] += 1
            counts["faq_hit"] += hit
            if not hit:
                misses.append(f"faq   {item['id']} {item['text']}")
        elif item["expect"] == "abstain":
            counts["abstain"] += 1
            counts["abstain_hit"] += result.abstained
            if not result.abstained:
                misses.append(f"abst  {item['id']} {item['text']}")
        else:
            for scheme, top1, top3, codes in _code_checks(result, item):
                counts["code"] += 1
                counts["code_top1"] += top1
                counts["code_top3"] += top3
                if not top1:
                    misses.append(f"code  {item['id']} {scheme} {item['text']} -> {codes}")

    return {
        "faq_top1": _ratio(counts["faq_hit"], counts["faq"]),
        "faq_questions": counts["faq"],
        "abstention": _ratio(counts["abstain_hit"], counts["abstain"]),
        "abstain_questions": counts["abstain"],
        "code_top1": _ratio(counts["code_top1"], counts["code"]),
        "code_top3": _ratio(counts["code_top3"], counts["code"]),
        "code_checks": counts["code"],
        "misses": misses,
    }


def _percentiles(timings: list[float]) -> dict[str, float]:
    timings = sorted(timings)
    p99_index = min(len(timings) - 1, round(0.99 * (len(timings) - 1)))
    return {
        "samples": len(timings),
        "median_ms": round(statistics.median(timings) * 1000, 3),
        "p99_ms": round(timings[p99_index] * 1000, 3),
        "max_ms": round(timings[-1] * 1000, 3),
    }


def measure_latency(robot: FaqRobot, texts: Sequence[str], passes: int) -> dict[str, Any]:
    """Time `robot.route` per question, with warm and with cleared pinyin caches.

    The router caches the pinyin of characters and strings it has seen. "warm" repeats questions
    that were already asked once; "cold" clears those caches before every call, the worst case
    for a question nobody asked before.
    """
    for text in texts:
        robot.route(text)

    warm = []
    for _ in range(passes):
        for text in texts:
            start = time.perf_counter()
            robot.route(text)
            warm.append(time.perf_counter() - start)

    cold = []
    for text in texts:
        sound_of.cache_clear()
        char_readings.cache_clear()
        start = time.perf_counter()
        robot.route(text)
        cold.append(time.perf_counter() - start)
    return {"warm": _percentiles(warm), "cold": _percentiles(cold)}


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
    parser.add_argument(
        "--passes", type=int, default=LATENCY_PASSES, help="timed passes over the questions"
    )
    args = parser.parse_args(argv)

    items = load_eval()
    started = time.perf_counter()
    robot = FaqRobot()
    build_small = time.perf_counter() - started

    report: dict[str, Any] = {"machine": machine(), "knowledge_base": len(robot.router)}
    for split in ("dev", "test", "all"):
        chosen = [item for item in items if split == "all" or item["split"] == split]
        report[split] = evaluate(robot, chosen)

    started = time.perf_counter()
    scaled = FaqRobot(router=FaqRouter(scaled_knowledge_base()), lookup=robot.lookup)
    build_scaled = time.perf_counter() - started
    report["scaled_knowledge_base"] = len(scaled.router)
    report["scaled_all"] = evaluate(scaled, items)
    report["latency_scaled"] = measure_latency(scaled, [i["text"] for i in items], args.passes)
    report["build_seconds"] = {"sample": round(build_small, 2), "scaled": round(build_scaled, 2)}

    if args.json:
        if not args.misses:
            for key in ("dev", "test", "all", "scaled_all"):
                report[key].pop("misses")
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0

    print(f"machine: {report['machine']}")
    print(
        f"knowledge base: {report['knowledge_base']} entries (scaled: {report['scaled_knowledge_base']})"
    )
    header = f"{'split':<11}{'FAQ top-1':>10}{'abstain':>9}{'code top-1':>11}{'code top-3':>11}"
    print(header)
    for key in ("dev", "test", "all", "scaled_all"):
        row = report[key]
        print(
            f"{key:<11}{row['faq_top1']:>10}{row['abstention']:>9}"
            f"{row['code_top1']:>11}{row['code_top3']:>11}"
            f"   ({row['faq_questions']} FAQ, {row['abstain_questions']} abstain,"
            f" {row['code_checks']} code checks)"
        )
    for kind, latency in report["latency_scaled"].items():
        print(
            f"latency per question ({kind}), {report['scaled_knowledge_base']} entries: median "
            f"{latency['median_ms']} ms, p99 {latency['p99_ms']} ms, max {latency['max_ms']} ms "
            f"over {latency['samples']} calls"
        )
    print(f"build: {report['build_seconds']}")
    if args.misses:
        for key in ("dev", "test"):
            print(f"-- misses ({key})")
            for line in report[key]["misses"]:
                print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
