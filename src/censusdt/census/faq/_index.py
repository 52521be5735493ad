"""An inverted index with BM25 term weights over weighted feature bags."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

# Scoring is written here rather than taken from bm25s or rank-bm25, because both score every
# document per query term through numpy (and bm25s adds scipy). This index instead adds up the
# precomputed postings of the few terms a chat question has, with no dependency.
_K1 = 1.2
_B = 0.75
_MIN_FEATURES = 3


class Bm25Index:
    """BM25 over documents given as feature → weight mappings.

    The weight of a feature in a document plays the role of its term frequency, so a bigram can
    count more than a single character. Postings store the final per-document term score, so a
    query only adds numbers.
    """

    def __init__(self, documents: Sequence[Mapping[str, float]]) -> None:
        self._size = len(documents)
        lengths = [sum(document.values()) for document in documents]
        average = (sum(lengths) / self._size) if self._size else 1.0

        frequency: dict[str, int] = {}
        for document in documents:
            for feature in document:
                frequency[feature] = frequency.get(feature, 0) + 1
        self._idf = {
            feature: math.log(1.0 + (self._size - count + 0.5) / (count + 0.5))
            for feature, count in frequency.items()
        }
        self._unseen_idf = math.log(1.0 + (self._size + 0.5) / 0.5)

        self._postings: dict[str, list[tuple[int, float]]] = {}
        for doc_id, document in enumerate(documents):
            norm = _K1 * (1.0 - _B + _B * lengths[doc_id] / average) if average else _K1
            for feature, weight in document.items():
                score = self._idf[feature] * weight * (_K1 + 1.0) / (weight + norm)
                self._postings.setdefault(feature, []).append((doc_id, score))

    def __len__(self) -> int:
        return self._size

    def idf(self, feature: str) -> float:
        """Inverse document frequency; a feature no document has gets the highest value."""
        return self._idf.get(feature, self._unseen_idf)

    def scores(
        self, query: Mapping[str, float], *, max_postings: int | None = None
    ) -> dict[int, float]:
        """Return the BM25 score of every document that shares a feature with the query.

        With `max_postings`, features found in more documents than that are skipped, because
        their IDF, and so their share of any score, is small. They are kept when fewer than
        three features would remain. This bounds the work per query on a large index.
        """
        present = [
            (feature, weight, postings)
            for feature, weight in query.items()
            if (postings := self._postings.get(feature)) is not None
        ]
        if max_postings is not None:
            present.sort(key=lambda item: len(item[2]))
            kept = [item for item in present if len(item[2]) <= max_postings]
            present = kept if len(kept) >= _MIN_FEATURES else present[:_MIN_FEATURES]

        totals: dict[int, float] = {}
        get = totals.get
        for _, weight, postings in present:
            for doc_id, score in postings:
                totals[doc_id] = get(doc_id, 0.0) + weight * score
        return totals
