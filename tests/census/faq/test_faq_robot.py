"""FaqRobot.route and format_reply: what staff see for answers, codes and hand-overs."""

from __future__ import annotations

import pytest

from censusdt.census.faq import (
    CodeLookupResult,
    FaqAnswer,
    FaqEntry,
    FaqRobot,
    format_reply,
)


def test_route_answers_faq_question(robot: FaqRobot) -> None:
    result = robot.route("你好，请问户口在甲地人住在乙地要登记几次？")

    assert isinstance(result, FaqAnswer)
    assert result.entry is not None
    assert result.entry.id == "faq-022"


def test_route_looks_up_codes(robot: FaqRobot) -> None:
    result = robot.route("卖菜的行业代码是多少")

    assert isinstance(result, CodeLookupResult)
    assert result.schemes == ("industry",)
    assert result.occupation == ()
    assert result.industry[0].code == "522"
    assert not result.abstained


def test_route_attaches_related_answer(robot: FaqRobot) -> None:
    result = robot.route("送外卖的行业和职业怎么编")

    assert isinstance(result, CodeLookupResult)
    assert result.industry[0].code == "624"
    assert result.occupation[0].code == "40207"
    assert result.related is not None
    assert result.related.entry is not None
    assert result.related.entry.id == "faq-092"


def test_route_prefers_answer_for_general_fill_question(robot: FaqRobot) -> None:
    result = robot.route("一个人干好几份工作职业填哪个")

    assert isinstance(result, FaqAnswer)
    assert result.entry is not None
    assert result.entry.id == "faq-085"


def test_route_abstains_out_of_scope(robot: FaqRobot) -> None:
    result = robot.route("普查员的交通补贴什么时候发")

    assert isinstance(result, FaqAnswer)
    assert result.abstained


def test_reply_for_answer_quotes_entry(robot: FaqRobot) -> None:
    result = robot.route("人户分离是什么意思")
    assert isinstance(result, FaqAnswer)
    assert result.entry is not None

    reply = format_reply(result)

    assert reply.startswith(result.entry.answer)
    assert result.entry.question in reply


def test_reply_for_abstention_hands_over(robot: FaqRobot) -> None:
    result = robot.route("食堂今天中午有饺子吗")

    chinese = format_reply(result)
    english = format_reply(result, lang="en")

    assert "值班" in chinese
    assert "转给" in chinese
    assert "on duty" in english
    assert all(ord(char) < 0x3000 for char in english)


def test_reply_for_codes_lists_candidates(robot: FaqRobot) -> None:
    result = robot.route("开滴滴的职业代码")
    assert isinstance(result, CodeLookupResult)

    chinese = format_reply(result)
    english = format_reply(result, lang="en")

    assert "职业代码候选" in chinese
    assert "40202 道路运输服务人员" in chinese
    assert "“开滴滴”" in chinese
    assert "行业代码候选" not in chinese
    assert "Occupation code candidates" in english
    assert "40202 道路运输服务人员" in english
    assert english.count("\n") == chinese.count("\n")


def test_reply_for_weak_code_match_hands_over() -> None:
    robot = FaqRobot.from_entries(
        [FaqEntry(id="k", category="问题解答", question="短表几号开始登记", answer="11月1日。")]
    )
    result = robot.route("量子纠缠观测的职业代码")
    assert isinstance(result, CodeLookupResult)

    assert result.abstained
    assert "值班" in format_reply(result)


def test_reply_rejects_unknown_language(robot: FaqRobot) -> None:
    result = robot.route("人户分离是什么意思")

    with pytest.raises(ValueError, match="lang='fr'"):
        format_reply(result, lang="fr")  # type: ignore[arg-type]
