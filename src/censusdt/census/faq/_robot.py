"""The FAQ robot's decision: answer from the knowledge base, look up codes, or hand over."""

from __future__ import annotations

from collections.abc import Iterable

from ._codes import CodeLookup, default_colloquial_terms
from ._data import load_sample_faq
from ._intent import CodeRequestDetector
from ._models import CodeCandidate, CodeLookupResult, FaqAnswer, FaqEntry
from ._router import DEFAULT_THRESHOLD, FaqRouter

CODE_CANDIDATES = 5
"""How many candidates per classification a code lookup returns."""

CODE_MIN_SCORE = 0.4
"""Share of a request that the best code must explain; below it the robot hands over."""


class FaqRobot:
    """Routes each chat message to the knowledge base or to the code lookup.

    A message that asks for a code ("卖菜的行业代码是多少", "职业怎么填 开滴滴的") or that is
    just a job description ("开滴滴") gets code candidates, with the knowledge-base answer on the
    same topic attached when the router is confident about one. A message that only asks how to
    fill in 行业/职业 for a general case ("一个人干好几份工作职业填哪个") goes to the knowledge
    base when it has a confident answer. Everything else is a FAQ question.
    """

    def __init__(
        self,
        router: FaqRouter | None = None,
        lookup: CodeLookup | None = None,
        detector: CodeRequestDetector | None = None,
    ) -> None:
        self.router = router if router is not None else FaqRouter(load_sample_faq())
        self.lookup = lookup if lookup is not None else CodeLookup()
        if detector is None:
            detector = CodeRequestDetector(phrase for phrase, _, _ in default_colloquial_terms())
        self.detector = detector

    @classmethod
    def from_entries(
        cls, entries: Iterable[FaqEntry], *, threshold: float = DEFAULT_THRESHOLD
    ) -> FaqRobot:
        """Build a robot over the given knowledge base with the shipped code tables."""
        return cls(router=FaqRouter(entries, threshold=threshold))

    def route(self, text: str) -> FaqAnswer | CodeLookupResult:
        """Answer one chat message with a FAQ answer (possibly abstained) or code candidates."""
        request = self.detector.detect(text)
        answer = self.router.ask(text)
        if request is None:
            return answer
        if request.strength == "weak" and not answer.abstained:
            return answer

        industry: tuple[CodeCandidate, ...] = ()
        occupation: tuple[CodeCandidate, ...] = ()
        if "industry" in request.schemes:
            industry = tuple(self.lookup.industry(request.subject, top=CODE_CANDIDATES))
        if "occupation" in request.schemes:
            occupation = tuple(self.lookup.occupation(request.subject, top=CODE_CANDIDATES))
        best_scores = [candidates[0].score for candidates in (industry, occupation) if candidates]
        return CodeLookupResult(
            text=text,
            subject=request.subject,
            schemes=request.schemes,
            industry=industry,
            occupation=occupation,
            abstained=not best_scores or max(best_scores) < CODE_MIN_SCORE,
            related=None if answer.abstained else answer,
        )
