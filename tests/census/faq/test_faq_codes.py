"""CodeLookup: spoken job descriptions to GB/T 4754-2017 groups and GB/T 6565-2015 minor groups."""

from __future__ import annotations

import re

import pytest

from censusdt.census.faq import CodeLookup
from censusdt.census.faq._codes import FIELD_LABELS_ZH, default_colloquial_terms
from censusdt.census.faq._concordance import attach_groups, group_code_of, names_agree
from censusdt.census.faq._data import load_csv

# Expected codes come from the standards' own definitions: 522 includes 果品、蔬菜零售 (5223),
# 541 includes 网络预约出租汽车 under 出租车客运 (5413), 40202 includes 客运车辆驾驶员, and so on.
INDUSTRY_CASES = [
    ("在菜市场卖菜", {"522", "529"}),
    ("卖水果的", {"522", "529"}),
    ("开滴滴", {"541"}),
    ("网约车司机", {"541"}),
    ("送外卖", {"624"}),
    ("幼儿园老师", {"831"}),
    ("种大棚蔬菜", {"014"}),
    ("工地上搬砖的", {"471", "472", "479"}),
]
OCCUPATION_CASES = [
    ("在菜市场卖菜", {"40102"}),
    ("卖水果的", {"40102"}),
    ("开滴滴", {"40202"}),
    ("网约车司机", {"40202"}),
    ("送外卖", {"40207"}),
    ("幼儿园老师", {"20804"}),
    ("种大棚蔬菜", {"50102"}),
    ("工地上搬砖的", {"62901"}),
]


@pytest.mark.parametrize(("text", "expected"), INDUSTRY_CASES)
def test_industry_lookup_has_code_in_top_three(
    lookup: CodeLookup, text: str, expected: set[str]
) -> None:
    codes = [candidate.code for candidate in lookup.industry(text, top=3)]

    assert expected & set(codes), codes


@pytest.mark.parametrize(("text", "expected"), OCCUPATION_CASES)
def test_occupation_lookup_has_code_in_top_three(
    lookup: CodeLookup, text: str, expected: set[str]
) -> None:
    codes = [candidate.code for candidate in lookup.occupation(text, top=3)]

    assert expected & set(codes), codes


def test_industry_candidates_are_groups(lookup: CodeLookup) -> None:
    groups = {row["code"]: row["name"] for row in load_csv("codes", "gbt4754-2017-industry.csv")}
    candidates = lookup.industry("开饭馆炒菜", top=5)

    assert len(candidates) == 5
    for candidate in candidates:
        assert re.fullmatch(r"\d{3}", candidate.code)
        assert groups[candidate.code] == candidate.name
        assert candidate.scheme == "industry"
        assert 0.0 <= candidate.score <= 1.0


def test_occupation_candidates_are_leaf_codes(lookup: CodeLookup) -> None:
    rows = load_csv("codes", "gbt6565-2015-occupation.csv")
    leaves = {row["code"]: row["name"] for row in rows if row["is_leaf"] == "true"}
    candidates = lookup.occupation("村委会主任", top=5)

    assert candidates[0].code == "10500"
    for candidate in candidates:
        assert leaves[candidate.code] == candidate.name
        assert candidate.scheme == "occupation"


def test_candidates_explain_their_evidence(lookup: CodeLookup) -> None:
    best = lookup.occupation("开滴滴", top=1)[0]

    assert best.code == "40202"
    fields = {reason.field for reason in best.reasons}
    assert "colloquial" in fields
    assert fields <= set(FIELD_LABELS_ZH)
    colloquial = next(reason for reason in best.reasons if reason.field == "colloquial")
    assert colloquial.term == "开滴滴"
    assert "网约车" in colloquial.matched
    for reason in best.reasons:
        if reason.field != "colloquial":
            assert reason.term in reason.matched


def test_occupation_uses_2022_aliases(lookup: CodeLookup) -> None:
    # 保洁员 is a 2022 大典 细类 under 4-09-08, which agrees with 40908 环境卫生服务人员.
    best = lookup.occupation("保洁员", top=1)[0]

    assert best.code == "40908"
    assert any(reason.field == "detail" and reason.matched == "保洁员" for reason in best.reasons)


def test_lookup_handles_traditional_characters(lookup: CodeLookup) -> None:
    simplified = lookup.industry("开出租车", top=3)
    traditional = lookup.industry("開出租車", top=3)

    assert [c.code for c in traditional] == [c.code for c in simplified]
    assert traditional[0].code == "541"


def test_lookup_returns_nothing_for_empty_text(lookup: CodeLookup) -> None:
    assert lookup.industry("，。 ") == []
    assert lookup.occupation("") == []


def test_lookup_rejects_top_below_one(lookup: CodeLookup) -> None:
    with pytest.raises(ValueError, match="top=0"):
        lookup.industry("卖菜", top=0)


def test_colloquial_table_rows_are_complete() -> None:
    table = default_colloquial_terms()

    assert len(table) >= 100
    phrases = [phrase for phrase, _, _ in table]
    assert len(phrases) == len(set(phrases))
    for phrase, industry, occupation in table:
        assert phrase
        assert industry or occupation, phrase


@pytest.mark.parametrize(
    ("name_2022", "name_2015", "agree"),
    [
        ("保险服务人员", "保险服务人员", True),
        ("气体生产、 处理和输送人员", "气体生产、处理和输送人员", True),
        ("高等学校教师", "高等教育教师", True),
        ("幼儿园教师", "中小学教育教师", False),
        ("法官", "检察官", False),
    ],
)
def test_names_agree(name_2022: str, name_2015: str, agree: bool) -> None:
    assert names_agree(name_2022, name_2015) is agree


def test_attach_groups_follows_names_not_prefixes() -> None:
    rows_2015 = load_csv("codes", "gbt6565-2015-occupation.csv")
    leaves = {row["code"]: row["name"] for row in rows_2015 if row["is_leaf"] == "true"}
    rows_2022 = load_csv("codes", "csco2022-occupation-detail.csv")
    groups = [row for row in rows_2022 if row["code"].endswith("-00") and row["level"] != "1"]

    attached = attach_groups(groups, leaves)

    assert attached["4-02-02-00"] == "40202"  # same code, same name
    assert attached["2-08-03-00"] == "20804"  # 幼儿园教师: prefix 20803 names another group
    assert attached["4-05-03-00"] == "40504"  # 保险服务人员: prefix 40503 is 期货服务人员
    assert attached["1-05-00-00"] == "10500"  # a 中类 that GB/T 6565-2015 codes as a leaf
    assert "4-10-08-00" not in attached  # 社区生活服务人员 is new in 2022
    assert "2-01-00-00" not in attached  # a 中类 that has 小类 in 2015


def test_group_code_of_detail() -> None:
    assert group_code_of("4-02-02-01") == "4-02-02-00"
    assert group_code_of("1-01-00-02") == "1-01-00-00"
