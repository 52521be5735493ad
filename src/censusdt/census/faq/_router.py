"""FAQ router: matches a chat question to a knowledge-base entry or abstains."""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Iterable, Sequence

import attrs
from rapidfuzz import fuzz

from ._data import load_term_pairs, load_word_list
from ._index import Bm25Index
from ._models import FaqAnswer, FaqCandidate, FaqEntry
from ._text import Analysis, TermMap, analyze, sound_of
from ._words import Segmenter

DEFAULT_THRESHOLD = 0.35
"""Confidence below which `FaqRouter.ask` abstains; tuned on the dev half of the evaluation set."""

# Retrieval looks at this many entries by BM25 before the slower evidence check re-ranks them.
_SHORTLIST = 12
# On a large knowledge base, retrieval skips features found in more than this many entries (or
# this share of them, if larger). Such common characters and bigrams barely change BM25 scores,
# but they make up most of the postings read per question.
_MAX_POSTINGS = 200
_MAX_POSTINGS_SHARE = 0.05
# Answer text helps retrieval (a question may name a detail that only the answer states) but
# counts for less than the question, whose wording is what staff paraphrase.
_ANSWER_FIELD_WEIGHT = 0.3
# Weights of the three kinds of evidence in the confidence, and the credit for a query word that
# is found only in the answer or only by its sound.
_COVERAGE_WEIGHT = 0.6
_QUESTION_COVERAGE_WEIGHT = 0.25
_FUZZY_WEIGHT = 0.15
_ANSWER_CREDIT = 0.6
_SOUND_CREDIT = 0.8
# A one-character word ("的", "在", "哪"), the way a question is asked and function words carry
# little information about the topic, so they count for less than topic words.
_SINGLE_CHAR_FACTOR = 0.3
_FUNCTION_WORD_FACTOR = 0.35
# A space-separated string keeps these 55 words readable, where a list literal takes 55 lines.
_FUNCTION_WORDS = frozenset(
    # ways of asking
    "什么 怎么 怎么办 何时 哪里 哪些 多少 多久 多大 是否 是不是 可以 能不能 能否 要不要 需要 "  # noqa: SIM905
    "还要 应该 如何 怎样 有没有 谁 "
    # pronouns, adverbs, conjunctions and measure words
    "我们 咱们 你们 他们 我 你 他 她 自己 人家 这个 那个 这次 这回 一下 一些 一个 还是 具体 "
    "一般 主要 大概 到底 已经 一直 现在 时候 的话 就是 还有 或者 以及 然后".split()
)
# A longer word that is not found whole still earns this share of credit per bigram found.
_PARTIAL_CREDIT = 0.7


@attrs.frozen
class _Phrasing:
    compact: str
    words: tuple[str, ...]
    sound: str
    # The sound of each word, computed once here so a question only computes its own.
    word_sounds: tuple[str, ...]


@attrs.frozen
class _IndexedEntry:
    entry: FaqEntry
    phrasings: tuple[_Phrasing, ...]
    answer_compact: str
    answer_sound: str
    question_words: frozenset[str]


def default_chat_terms() -> TermMap:
    """Return the shipped table of colloquial words and their knowledge-base spelling."""
    return TermMap((row[0], row[1]) for row in load_term_pairs("faq", "chat-terms.tsv"))


@functools.cache
def default_segmenter() -> Segmenter:
    """Return the shared segmenter that contains the shipped census vocabulary.

    One instance serves every router in the process, because each jieba dictionary takes tens of
    megabytes and about half a second to load.
    """
    return Segmenter(load_word_list("faq", "domain-words.txt"))


@attrs.frozen
class Evidence:
    """Evidence that one entry matches a question: the three parts of the confidence."""

    coverage: float
    question_coverage: float
    fuzzy: float

    @property
    def confidence(self) -> float:
        value = (
            _COVERAGE_WEIGHT * self.coverage
            + _QUESTION_COVERAGE_WEIGHT * self.question_coverage
            + _FUZZY_WEIGHT * self.fuzzy
        )
        return min(1.0, max(0.0, value))


class FaqRouter:
    """Routes chat questions to knowledge-base entries.

    Build it once from the entries; the index lives in memory and `ask` only reads it, so one
    router can serve several threads. Retrieval is BM25 over characters, character bigrams and
    pinyin bigrams (so typos and homophones still share features), after folding traditional
    characters, width, greetings and colloquial words. The shortlist is then re-ranked by how
    much of the question's wording (by words, weighted by rarity) the entry covers, how much of
    the entry's question the message covers, and a fuzzy string ratio.
    """

    def __init__(
        self,
        entries: Iterable[FaqEntry],
        *,
        threshold: float = DEFAULT_THRESHOLD,
        terms: TermMap | None = None,
        segmenter: Segmenter | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold={threshold!r} is outside [0, 1]; pass a confidence")
        self.threshold = threshold
        self._terms = terms if terms is not None else default_chat_terms()
        self._segmenter = segmenter if segmenter is not None else default_segmenter()
        self._entries: list[_IndexedEntry] = []
        documents: list[dict[str, float]] = []
        word_frequency: dict[str, int] = {}

        seen: set[str] = set()
        for entry in entries:
            if entry.id in seen:
                raise ValueError(f"duplicate FAQ id {entry.id!r}; ids must be unique")
            seen.add(entry.id)
            indexed, document, words = self._index_entry(entry)
            self._entries.append(indexed)
            documents.append(document)
            for word in words:
                word_frequency[word] = word_frequency.get(word, 0) + 1

        self._index = Bm25Index(documents)
        size = len(self._entries)
        self._word_idf = {
            word: math.log(1.0 + (size - count + 0.5) / (count + 0.5))
            for word, count in word_frequency.items()
        }
        self._unseen_word_idf = math.log(1.0 + (size + 0.5) / 0.5)

    def _index_entry(self, entry: FaqEntry) -> tuple[_IndexedEntry, dict[str, float], set[str]]:
        document: dict[str, float] = {}
        phrasings = []
        all_words: set[str] = set()
        for text in (entry.question, *entry.phrasings):
            analysis = analyze(text, self._terms)
            words = tuple(self._segmenter.words(analysis.compact))
            sounds = tuple(sound_of(word) if len(word) > 1 else "" for word in words)
            phrasings.append(_Phrasing(analysis.compact, words, sound_of(analysis.compact), sounds))
            all_words.update(words)
            for feature, weight in analysis.features.items():
                document[feature] = max(document.get(feature, 0.0), weight)

        answer = analyze(entry.answer, self._terms)
        for feature, weight in answer.features.items():
            document[feature] = document.get(feature, 0.0) + _ANSWER_FIELD_WEIGHT * weight
        all_words.update(self._segmenter.words(answer.compact))

        indexed = _IndexedEntry(
            entry=entry,
            phrasings=tuple(phrasings),
            answer_compact=answer.compact,
            answer_sound=sound_of(answer.compact),
            question_words=frozenset(w for p in phrasings for w in p.words),
        )
        return indexed, document, all_words

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> list[FaqEntry]:
        """The knowledge-base entries, in the order given."""
        return [indexed.entry for indexed in self._entries]

    def _word_weight(self, word: str) -> float:
        weight = self._word_idf.get(word, self._unseen_word_idf)
        if word in _FUNCTION_WORDS:
            return weight * _FUNCTION_WORD_FACTOR
        return weight * _SINGLE_CHAR_FACTOR if len(word) == 1 else weight

    def _evidence(
        self, query: Analysis, query_words: Sequence[str], indexed: _IndexedEntry
    ) -> Evidence:
        total = 0.0
        covered = 0.0
        for word in query_words:
            weight = self._word_weight(word)
            total += weight
            covered += weight * self._word_credit(word, indexed)
        coverage = covered / total if total else 0.0

        best_question = 0.0
        best_fuzzy = 0.0
        for phrasing in indexed.phrasings:
            best_question = max(best_question, self._question_coverage(query, phrasing))
            best_fuzzy = max(best_fuzzy, fuzz.ratio(query.compact, phrasing.compact) / 100.0)
        return Evidence(coverage, best_question, best_fuzzy)

    def _word_credit(self, word: str, indexed: _IndexedEntry) -> float:
        if word in indexed.question_words:
            return 1.0
        if any(word in phrasing.compact for phrasing in indexed.phrasings):
            return 1.0
        if word in indexed.answer_compact:
            return _ANSWER_CREDIT
        sound = sound_of(word) if len(word) > 1 else ""
        if sound and any(sound in phrasing.sound for phrasing in indexed.phrasings):
            return _SOUND_CREDIT
        if sound and sound in indexed.answer_sound:
            return _SOUND_CREDIT * _ANSWER_CREDIT
        # A named concept such as 经济普查 is a different thing from 普查, so it earns no credit
        # for sharing a bigram.
        if len(word) < 3 or self._segmenter.is_added_word(word):
            return 0.0
        bigrams = [word[i : i + 2] for i in range(len(word) - 1)]
        in_question = sum(any(b in p.compact for p in indexed.phrasings) for b in bigrams)
        in_answer = sum(b in indexed.answer_compact for b in bigrams)
        share = max(in_question, in_answer * _ANSWER_CREDIT) / len(bigrams)
        return _PARTIAL_CREDIT * share

    def _question_coverage(self, query: Analysis, phrasing: _Phrasing) -> float:
        total = 0.0
        covered = 0.0
        query_sound = sound_of(query.compact)
        for word, sound in zip(phrasing.words, phrasing.word_sounds, strict=True):
            weight = self._word_weight(word)
            total += weight
            if word in query.compact:
                covered += weight
            elif sound and sound in query_sound:
                covered += weight * _SOUND_CREDIT
        return covered / total if total else 0.0

    def ask(self, text: str, *, candidates: int = 3) -> FaqAnswer:
        """Return the entry that matches `text` best, abstaining when its confidence is too low.

        `candidates` is how many runners-up to return after the best entry.
        """
        query = analyze(text, self._terms)
        if not query.symbols or not self._entries:
            return FaqAnswer(text=text, entry=None, confidence=0.0, candidates=(), abstained=True)

        limit = max(_MAX_POSTINGS, int(_MAX_POSTINGS_SHARE * len(self._entries)))
        scores = self._index.scores(query.features, max_postings=limit)
        shortlist = heapq.nlargest(_SHORTLIST, scores.items(), key=lambda item: item[1])
        query_words = self._segmenter.words(query.compact)
        ranked = sorted(
            (
                (self._evidence(query, query_words, self._entries[doc_id]).confidence, doc_id)
                for doc_id, _ in shortlist
            ),
            key=lambda item: (-item[0], item[1]),
        )
        if not ranked:
            return FaqAnswer(text=text, entry=None, confidence=0.0, candidates=(), abstained=True)

        best_confidence, best_id = ranked[0]
        runners_up = tuple(
            FaqCandidate(self._entries[doc_id].entry, round(confidence, 4))
            for confidence, doc_id in ranked[1 : 1 + candidates]
        )
        return FaqAnswer(
            text=text,
            entry=self._entries[best_id].entry,
            confidence=round(best_confidence, 4),
            candidates=runners_up,
            abstained=best_confidence < self.threshold,
        )

    def explain(self, text: str, entry_id: str) -> Evidence:
        """Return the evidence for one entry, for tuning and for the person on duty."""
        query = analyze(text, self._terms)
        query_words = self._segmenter.words(query.compact)
        for indexed in self._entries:
            if indexed.entry.id == entry_id:
                return self._evidence(query, query_words, indexed)
        raise KeyError(f"FAQ id {entry_id!r} not found in this router")
