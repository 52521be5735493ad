"""Value classes for knowledge-base entries, FAQ answers and code candidates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

CodeScheme = Literal["industry", "occupation"]


def _not_blank(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} is empty; give a non-blank string")


def _phrasing_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(item) for item in value)
    raise TypeError(f"phrasings={value!r} is invalid; give a string or a list of strings")


@attrs.frozen
class FaqEntry:
    """One knowledge-base entry: a question, its answer and extra ways to ask it."""

    id: str = attrs.field(validator=_not_blank)
    category: str
    question: str = attrs.field(validator=_not_blank)
    answer: str = attrs.field(validator=_not_blank)
    phrasings: tuple[str, ...] = attrs.field(default=(), converter=_phrasing_tuple)


@attrs.frozen
class FaqCandidate:
    """A knowledge-base entry with its confidence for one question."""

    entry: FaqEntry
    confidence: float


@attrs.frozen
class FaqAnswer:
    """The router's verdict on one question.

    `entry` is the best match even when `abstained` is true, so the person on duty can see what
    the router considered; a reply to staff must not present it as the answer in that case.
    """

    text: str
    entry: FaqEntry | None
    confidence: float
    candidates: tuple[FaqCandidate, ...]
    abstained: bool


@attrs.frozen
class MatchReason:
    """One piece of evidence for a code: the query term and the field text it matched."""

    term: str
    field: str
    matched: str


@attrs.frozen
class CodeCandidate:
    """A candidate industry or occupation code with its score and the evidence for it."""

    scheme: CodeScheme
    code: str
    name: str
    score: float
    reasons: tuple[MatchReason, ...]


@attrs.frozen
class CodeLookupResult:
    """Code candidates for a request such as "卖菜的行业代码是多少".

    `schemes` lists the classifications the request asked for; a scheme that was not asked for
    has no candidates. `abstained` is true when no asked-for classification has a candidate with
    enough evidence, so a person should confirm. `related` is a knowledge-base answer on the same
    topic when the router is confident about one (for example the entry on coding delivery riders).
    """

    text: str
    subject: str
    schemes: tuple[CodeScheme, ...]
    industry: tuple[CodeCandidate, ...]
    occupation: tuple[CodeCandidate, ...]
    abstained: bool = False
    related: FaqAnswer | None = None
