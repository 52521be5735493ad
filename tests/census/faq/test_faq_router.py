"""FaqRouter: paraphrases, abstention, traditional characters, homophones and chat noise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from censusdt.census.faq import DEFAULT_THRESHOLD, FaqEntry, FaqRouter

# Paraphrases written for these tests, in the way staff type in chat; none is a knowledge-base
# question and none is in the benchmark's evaluation set.
PARAPHRASES = [
    ("人户分离到底指的是啥", "faq-023"),
    ("保姆住雇主家里的 登在谁家", "faq-038"),
    ("住户自主填报最晚哪天截止", "faq-061"),
    ("普查员能不能把住户资料截图发到微信群", "faq-070"),
    ("老人常年住养老院 在哪登记", "faq-039"),
    ("11月1号零点以后生的小孩还登吗", "faq-055"),
    ("高中生住校的在哪里登", "faq-035"),
    ("七普的标准时点是几号", "faq-001"),
]

# NOTE: known gaps. These paraphrases share too few words with their entry (外地/租户 for 甲地/乙地,
# 多少比例 for 10%), so the router abstains or picks another entry. Lexical matching cannot bridge
# them; extra phrasings on the entry can.
HARD_PARAPHRASES = [
    ("户口在外地的租户要在我们这登记吗 还是回户口那边登", "faq-022"),
    ("长表大概多少比例的户要填", "faq-042"),
]

OUT_OF_SCOPE = [
    "普查员的交通补贴怎么报销",
    "明天下午的培训改到几点了",
    "食堂今天中午有饺子吗",
    "钉钉群里怎么设置免打扰",
    "打印机卡纸了找谁",
    "我们组谁负责统计进度表",
]


@pytest.mark.parametrize(("text", "expected"), PARAPHRASES)
def test_router_answers_paraphrase(router: FaqRouter, text: str, expected: str) -> None:
    answer = router.ask(text)

    assert answer.entry is not None
    assert answer.entry.id == expected
    assert not answer.abstained


@pytest.mark.xfail(reason="paraphrase shares too few words with the entry", strict=True)
@pytest.mark.parametrize(("text", "expected"), HARD_PARAPHRASES)
def test_router_answers_hard_paraphrase(router: FaqRouter, text: str, expected: str) -> None:
    answer = router.ask(text)

    assert answer.entry is not None
    assert answer.entry.id == expected
    assert not answer.abstained


@pytest.mark.parametrize("text", OUT_OF_SCOPE)
def test_router_abstains_out_of_scope(router: FaqRouter, text: str) -> None:
    answer = router.ask(text)

    assert answer.abstained
    assert answer.confidence < DEFAULT_THRESHOLD


def test_router_answers_each_entry_question(router: FaqRouter) -> None:
    for entry in router.entries:
        answer = router.ask(entry.question)
        assert answer.entry == entry, entry.id
        assert not answer.abstained, entry.id


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("人戶分離是什麼意思", "人户分离是什么意思"),
        ("長表登記從幾號開始", "长表登记从几号开始"),
        ("港澳臺居民用什麼表登記", "港澳台居民用什么表登记"),
    ],
)
def test_router_folds_traditional_characters(
    router: FaqRouter, traditional: str, simplified: str
) -> None:
    from_traditional = router.ask(traditional)
    from_simplified = router.ask(simplified)

    assert from_traditional.entry == from_simplified.entry
    assert from_traditional.confidence == from_simplified.confidence
    assert not from_traditional.abstained


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("人户分理是什么意思", "faq-023"),  # 理 for 离
        ("自主天报的截至时间是哪天", "faq-061"),  # 天 for 填, 截至 for 截止
        ("常驻人口按什么口径统计", "faq-025"),  # 驻 for 住
        ("普差员上门出示什么证件", "faq-068"),  # 差 for 查
    ],
)
def test_router_matches_homophone_typos(router: FaqRouter, typo: str, expected: str) -> None:
    answer = router.ask(typo)

    assert answer.entry is not None
    assert answer.entry.id == expected
    assert not answer.abstained


def test_router_reads_pinyin_typed_in_latin_letters(router: FaqRouter) -> None:
    answer = router.ask("renhufenli是什么意思")

    assert answer.entry is not None
    assert answer.entry.id == "faq-023"


def test_router_returns_ranked_runners_up(router: FaqRouter) -> None:
    answer = router.ask("短表长表分别谁来填", candidates=3)

    assert answer.entry is not None
    assert len(answer.candidates) == 3
    assert answer.entry not in [candidate.entry for candidate in answer.candidates]
    confidences = [answer.confidence] + [candidate.confidence for candidate in answer.candidates]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= value <= 1.0 for value in confidences)


@pytest.mark.parametrize("text", ["", "   ", "？？！！", "你好", "谢谢老师"])
def test_router_abstains_on_empty_message(router: FaqRouter, text: str) -> None:
    answer = router.ask(text)

    assert answer.abstained
    assert answer.confidence == 0.0


def test_router_threshold_decides_abstention(sample_entries: list[FaqEntry]) -> None:
    strict = FaqRouter(sample_entries, threshold=1.0)
    lenient = FaqRouter(sample_entries, threshold=0.0)
    text = "住户不配合登记怎么办"

    assert strict.ask(text).abstained
    assert not lenient.ask(text).abstained
    assert strict.ask(text).entry == lenient.ask(text).entry


@pytest.mark.parametrize("threshold", [-0.1, 1.5])
def test_router_rejects_threshold_outside_unit_range(
    sample_entries: list[FaqEntry], threshold: float
) -> None:
    with pytest.raises(ValueError, match="threshold"):
        FaqRouter(sample_entries, threshold=threshold)


def test_router_rejects_duplicate_ids() -> None:
    entry = FaqEntry(id="k-1", category="问题解答", question="短表几号开始", answer="11月1日。")

    with pytest.raises(ValueError, match="duplicate FAQ id 'k-1'"):
        FaqRouter([entry, entry])


def test_router_matches_extra_phrasing() -> None:
    entries = [
        FaqEntry(
            id="kb-pad",
            category="软件操作手册",
            question="采集设备无法同步数据怎么处理？",
            answer="检查网络后在设置中重新同步。",
            phrasings=("平板上传不上去", "PAD数据传不上去"),
        ),
        FaqEntry(
            id="kb-leave",
            category="问题解答",
            question="普查员请假找谁审批？",
            answer="找所在乡镇普查办。",
        ),
    ]
    router = FaqRouter(entries)

    answer = router.ask("pad数据一直传不上去咋办")

    assert answer.entry is not None
    assert answer.entry.id == "kb-pad"


def test_entry_rejects_blank_question() -> None:
    with pytest.raises(ValueError, match="question is empty"):
        FaqEntry(id="x", category="", question="  ", answer="a")


_GREETINGS = ["你好", "您好，", "请问一下", "老师好！", "谢谢", "在吗？", "hi "]
_NOISE = [" ", "，", "。", "？", "！", "、", "  ", "~", "…", ",", "?"]


_CLAUSE_ENDS = set("，。？！、；：“”（）")


@st.composite
def noisy_questions(draw: st.DrawFn, entries: list[FaqEntry]) -> tuple[FaqEntry, str]:
    """Draw a knowledge-base question with greetings at clause boundaries and stray noise."""
    entry = draw(st.sampled_from(entries))
    chars = list(entry.question)

    boundaries = [0, len(chars)] + [i + 1 for i, c in enumerate(chars) if c in _CLAUSE_ENDS]
    chosen = draw(st.lists(st.sampled_from(boundaries), max_size=3, unique=True))
    for position in sorted(chosen, reverse=True):
        chars.insert(position, draw(st.sampled_from(_GREETINGS)))

    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=len(chars)))
        chars.insert(position, draw(st.sampled_from(_NOISE)))
    return entry, "".join(chars)


@given(data=st.data())
def test_router_ignores_greetings_and_punctuation(
    router: FaqRouter, sample_entries: list[FaqEntry], data: st.DataObject
) -> None:
    entry, noisy = data.draw(noisy_questions(sample_entries))

    clean_answer = router.ask(entry.question)
    noisy_answer = router.ask(noisy)

    assert noisy_answer.entry == clean_answer.entry
    assert noisy_answer.entry == entry
    assert not noisy_answer.abstained
