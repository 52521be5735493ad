"""Detection of code-lookup requests ("卖菜的行业代码是多少") among FAQ questions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

import attrs

from ._models import CodeScheme
from ._text import simplify, strip_chatter

RequestStrength = Literal["strong", "weak"]

_SCHEME_RE = re.compile(r"行业|职业|工种")
_CODE_RE = re.compile(r"代码|编码|代号|几位码|码是|码多少")
_FILL_RE = re.compile(
    r"怎么填|填什么|怎么编|编什么|怎么写|写什么|怎么选|选什么|选哪|填哪|归哪|归到|归入|属于|算哪|"
    r"算什么|是哪个|对应|怎么归类|怎么分类|怎么算|咋填|咋编|啥行业|啥职业|什么行业|什么职业|"
    r"哪个行业|哪个职业|哪类|哪一类"
)
# Phrases that make up the request around the subject; what is left is the work described.
_REQUEST_RE = re.compile(
    r"行业代码|职业代码|行业编码|职业编码|行业和职业|职业和行业|行业职业|职业行业|行业|职业|工种|"
    r"代码|编码|代号|是多少|多少|是什么|是啥|什么|怎么填|怎么编码|怎么编|怎么写|怎么选|怎么归类|"
    r"怎么分类|怎么算|咋填|咋编|帮我查一下|帮我查|帮忙查|查一下|哪一类|哪类|哪个|属于|对应|分别|"
    r"一样吗|一样不|应该"
)
_SUBJECT_EDGE_RE = re.compile(
    r"^(?:的|是|和|及|与|跟|都|该|要|填|编|写|选|算|归|到)+|(?:的|是|和|及|与|跟|都|该|要|填|编|写|选|算|归|码|吗|呢|啊|呀)+$"
)
# Words that name a form or a rule rather than somebody's work, so "长表的行业怎么填" stays a
# knowledge-base question.
_GENERIC_RE = re.compile(
    r"长表|短表|普查表|普查|七普|六普|人口|这次|以前|一项|一栏|这一栏|那一栏|那一项|那|这|该|本人|"
    r"一个人|单位|一级|几位|哪一级|标准|依据|区别|的|人|要|编到|到|填|编|码|吗"
)
_JOB_CUE_RE = re.compile(
    r"司机|老师|教师|师傅|工人|医生|护士|农民|保安|保姆|[工员师匠]$|"
    r"^(?:在|卖|开|送|种|养|做|干|修|当|跑|搞|教|拉|搬|收|摆|杀|打|扫|看)"
)
_QUESTION_MARK_RE = re.compile(
    r"[?？吗呢么谁]|怎么|什么|哪|多少|几|是否|要不要|能不能|可以|咋|啥|如何|怎样|为什么|是不是|有没有"
)
# Census procedure words: a short message that uses them is about the rules, not about a job.
_PROCEDURE_RE = re.compile(r"登记|普查|户口|填报|入户|住户|表")
_BARE_MAX_LENGTH = 12


@attrs.frozen
class CodeRequest:
    """A request to look up codes: the work described and the classifications asked for.

    `strength` is "strong" when the message names a code (代码, 编码) or describes a concrete job,
    and "weak" when it only asks how to fill in 行业/职业 for something, which a knowledge-base
    entry may answer better.
    """

    subject: str
    schemes: tuple[CodeScheme, ...]
    strength: RequestStrength


def _subject_of(compact: str) -> str:
    chunks = [_SUBJECT_EDGE_RE.sub("", chunk) for chunk in _REQUEST_RE.split(compact)]
    chunks = [chunk for chunk in chunks if chunk]
    return max(chunks, key=len) if chunks else ""


def _schemes_of(compact: str) -> tuple[CodeScheme, ...]:
    industry = "行业" in compact
    occupation = "职业" in compact or "工种" in compact
    if industry and not occupation:
        return ("industry",)
    if occupation and not industry:
        return ("occupation",)
    return ("industry", "occupation")


class CodeRequestDetector:
    """Tells code-lookup requests from FAQ questions with a few lexical rules.

    `job_phrases` are spoken job descriptions (the colloquial table's phrases) that mark a
    message as describing somebody's work even without a job suffix.
    """

    def __init__(self, job_phrases: Iterable[str] = ()) -> None:
        phrases = sorted({simplify(p) for p in job_phrases if p}, key=len, reverse=True)
        self._phrase_re = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def _has_job_cue(self, subject: str) -> bool:
        if _JOB_CUE_RE.search(subject):
            return True
        return self._phrase_re is not None and self._phrase_re.search(subject) is not None

    def detect(self, text: str) -> CodeRequest | None:
        """Return the code request in `text`, or None for a knowledge-base question."""
        simplified = simplify(text)
        compact = strip_chatter(simplified)
        if not compact:
            return None
        names_code = _CODE_RE.search(compact) is not None
        names_scheme = _SCHEME_RE.search(compact) is not None
        asks_fill = _FILL_RE.search(compact) is not None

        subject = _subject_of(compact)
        if len(_GENERIC_RE.sub("", subject)) < 2:
            return None
        job_cue = self._has_job_cue(subject)
        schemes = _schemes_of(compact)

        if names_code and (names_scheme or job_cue):
            return CodeRequest(subject, schemes, "strong")
        if names_scheme and asks_fill:
            return CodeRequest(subject, schemes, "strong" if job_cue else "weak")
        is_bare = (
            len(compact) <= _BARE_MAX_LENGTH
            and not names_scheme
            and _QUESTION_MARK_RE.search(simplified) is None
            and _PROCEDURE_RE.search(compact) is None
        )
        if is_bare and job_cue:
            return CodeRequest(subject, schemes, "strong")
        return None
