"""CodeRequestDetector: code-lookup requests against knowledge-base questions."""

from __future__ import annotations

import pytest

from censusdt.census.faq import CodeRequestDetector
from censusdt.census.faq._codes import default_colloquial_terms


@pytest.fixture(scope="module")
def detector() -> CodeRequestDetector:
    return CodeRequestDetector(phrase for phrase, _, _ in default_colloquial_terms())


@pytest.mark.parametrize(
    ("text", "subject", "schemes"),
    [
        ("卖菜的行业代码是多少", "卖菜", ("industry",)),
        ("职业怎么填 开滴滴的", "开滴滴", ("occupation",)),
        ("在菜市场卖菜的行业和职业代码是多少？", "在菜市场卖菜", ("industry", "occupation")),
        ("幼儿园老师行业怎么填", "幼儿园老师", ("industry",)),
        ("麻烦查一下网约车司机的职业编码", "网约车司机", ("occupation",)),
        ("開滴滴的職業代碼", "开滴滴", ("occupation",)),
        ("开滴滴", "开滴滴", ("industry", "occupation")),
        ("工地上搬砖的", "工地上搬砖", ("industry", "occupation")),
    ],
)
def test_detector_finds_code_request(
    detector: CodeRequestDetector, text: str, subject: str, schemes: tuple[str, ...]
) -> None:
    request = detector.detect(text)

    assert request is not None
    assert request.subject.endswith(subject)
    assert request.schemes == schemes
    assert request.strength == "strong"


@pytest.mark.parametrize(
    "text",
    [
        "长表的“行业”一项应该怎么填？",
        "行业和职业有什么区别？",
        "七普的行业、职业编码要编到哪一级？",
        "城乡分类代码111是什么意思",
        "统计用区划代码是怎么编的？",
        "保姆住在雇主家算谁家的",
        "户口在甲地人住在乙地要登记几次",
        "你好",
        "",
    ],
)
def test_detector_leaves_faq_questions(detector: CodeRequestDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_detector_marks_general_fill_question_weak(detector: CodeRequestDetector) -> None:
    request = detector.detect("一个人干好几份工作职业填哪个")

    assert request is not None
    assert request.strength == "weak"
    assert request.schemes == ("occupation",)
