"""Reply text for staff: FAQ answers, code candidates and hand-over notes, in Chinese or English."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ._codes import FIELD_LABELS_ZH
from ._models import CodeCandidate, CodeLookupResult, FaqAnswer, MatchReason

Language = Literal["zh", "en"]

_FIELD_LABELS_EN = {
    "name": "name",
    "class": "classes within",
    "detail": "2022 detailed occupation",
    "alias": "job title",
    "description": "notes",
    "definition": "2022 definition",
    "parent": "parent category",
    "colloquial": "colloquial table",
}
_REASONS_SHOWN = 3
# A chat reply lists the best three codes per classification; the result object keeps all.
_CANDIDATES_SHOWN = 3
_LOW_SCORE = 0.4

_TEXT = {
    "zh": {
        "handover": "这个问题我暂时无法准确回答，已转给今天的值班同事，请稍候，他们会尽快回复您。",
        "matched": "（匹配问题：{question}）",
        "see_also": "相关问题：{questions}",
        "industry": "行业代码候选（GB/T 4754-2017 中类）：",
        "occupation": "职业代码候选（GB/T 6565-2015 小类）：",
        "none": "未找到合适的代码。",
        "basis": "依据：{reasons}",
        "low": "匹配度较低",
        "confirm": "以上为候选代码，请结合被登记人所在单位的主要活动和本人具体工作确认。",
        "code_handover": "这条描述我没把握编码，已转给今天的值班同事确认，请稍候。",
        "related": "相关解答：{answer}",
        "reason": "“{term}”→{field}“{matched}”",
        "sep": "；",
    },
    "en": {
        "handover": (
            "I cannot answer this with confidence, so I have passed it to the colleague on duty "
            "today. They will reply soon."
        ),
        "matched": "(Matched question: {question})",
        "see_also": "Related questions: {questions}",
        "industry": "Industry code candidates (GB/T 4754-2017 groups):",
        "occupation": "Occupation code candidates (GB/T 6565-2015 minor groups):",
        "none": "No suitable code found.",
        "basis": "because {reasons}",
        "low": "weak match",
        "confirm": (
            "These are candidates: confirm them against the main activity of the person's "
            "workplace and the work the person actually does."
        ),
        "code_handover": (
            "I am not confident about a code for this description, so I have passed it to the "
            "colleague on duty today for confirmation."
        ),
        "related": "Related answer: {answer}",
        "reason": '"{term}" matched the {field} "{matched}"',
        "sep": "; ",
    },
}


def _reason_text(reason: MatchReason, lang: Language) -> str:
    labels = FIELD_LABELS_ZH if lang == "zh" else _FIELD_LABELS_EN
    field = labels.get(reason.field, reason.field)
    return _TEXT[lang]["reason"].format(term=reason.term, field=field, matched=reason.matched)


def _candidate_lines(
    heading: str, candidates: Sequence[CodeCandidate], lang: Language
) -> list[str]:
    text = _TEXT[lang]
    lines = [text[heading]]
    if not candidates:
        lines.append(text["none"])
        return lines
    for number, candidate in enumerate(candidates[:_CANDIDATES_SHOWN], start=1):
        reasons = text["sep"].join(
            _reason_text(reason, lang) for reason in candidate.reasons[:_REASONS_SHOWN]
        )
        line = f"{number}. {candidate.code} {candidate.name}"
        notes = []
        if candidate.score < _LOW_SCORE:
            notes.append(text["low"])
        if reasons:
            notes.append(text["basis"].format(reasons=reasons))
        if notes:
            line += (
                ("（" + "，".join(notes) + "）")
                if lang == "zh"
                else (" (" + ", ".join(notes) + ")")
            )
        lines.append(line)
    return lines


def _faq_reply(answer: FaqAnswer, lang: Language) -> str:
    text = _TEXT[lang]
    if answer.abstained or answer.entry is None:
        return text["handover"]
    lines = [answer.entry.answer, text["matched"].format(question=answer.entry.question)]
    others = [candidate.entry.question for candidate in answer.candidates[:2]]
    if others:
        lines.append(text["see_also"].format(questions=text["sep"].join(others)))
    return "\n".join(lines)


def _code_reply(result: CodeLookupResult, lang: Language) -> str:
    text = _TEXT[lang]
    lines: list[str] = []
    if "industry" in result.schemes:
        lines.extend(_candidate_lines("industry", result.industry, lang))
    if "occupation" in result.schemes:
        lines.extend(_candidate_lines("occupation", result.occupation, lang))
    lines.append(text["code_handover"] if result.abstained else text["confirm"])
    if result.related is not None and result.related.entry is not None:
        lines.append(text["related"].format(answer=result.related.entry.answer))
    return "\n".join(lines)


def format_reply(result: FaqAnswer | CodeLookupResult, lang: Language = "zh") -> str:
    """Render a routing result as the message staff see, in Simplified Chinese or English.

    Knowledge-base answers and the standards' code names stay in Chinese in both languages,
    because they are the office's own text; only the robot's framing is translated.
    """
    if lang not in _TEXT:
        raise ValueError(f"lang={lang!r} is not supported; use 'zh' or 'en'")
    if isinstance(result, CodeLookupResult):
        return _code_reply(result, lang)
    return _faq_reply(result, lang)
