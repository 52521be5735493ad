"""Industry (GB/T 4754-2017 中类) and occupation (GB/T 6565-2015 小类) code lookup for free text."""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ._concordance import attach_groups, group_code_of
from ._data import load_csv, load_term_pairs
from ._index import Bm25Index
from ._models import CodeCandidate, CodeScheme, MatchReason
from ._text import features_of, simplify, strip_chatter, symbols_of
from ._words import Segmenter

# Field weights: the code's own name is the strongest evidence, the names below it (小类 names for
# an industry group, 大典 细类 names and job titles for an occupation) come next, and definitions
# and the parent's name are context.
_FIELD_WEIGHTS: Mapping[str, float] = {
    "name": 3.0,
    "class": 2.0,
    "detail": 2.0,
    "alias": 1.5,
    "description": 1.0,
    "definition": 0.8,
    "parent": 0.5,
}
# Credit for a query word found in a field, for the displayed score (share of the request
# explained by the code).
_FIELD_CREDIT: Mapping[str, float] = {
    "name": 1.0,
    "class": 0.9,
    "detail": 0.9,
    "alias": 0.8,
    "description": 0.6,
    "definition": 0.6,
    "parent": 0.4,
}
FIELD_LABELS_ZH: Mapping[str, str] = {
    "name": "名称",
    "class": "所含小类",
    "detail": "大典细类",
    "alias": "常见岗位名",
    "description": "说明",
    "definition": "大典定义",
    "parent": "上级类别",
    "colloquial": "口语对照",
}
_SINGLE_CHAR_FACTOR = 0.3
# Words of a request that describe no work ("在工地上搬砖的" → 工地, 搬砖).
_FILLER_WORDS = frozenset(
    {"的", "在", "是", "了", "和", "做", "干", "搞", "当", "个", "人", "上", "里"}
)
_UNIT_SPLIT_RE = re.compile(r"[，。；、,;]|包括")


@attrs.frozen
class _CodeDocument:
    code: str
    name: str
    fields: Mapping[str, tuple[str, ...]]


@attrs.frozen
class _Colloquial:
    phrase: str
    industry: str
    occupation: str


def _units(text: str) -> tuple[str, ...]:
    return tuple(unit.strip() for unit in _UNIT_SPLIT_RE.split(text) if unit.strip())


def _industry_documents(rows: Sequence[Mapping[str, str]]) -> list[_CodeDocument]:
    names = {row["code"]: row["name"] for row in rows}
    classes: dict[str, list[str]] = {}
    class_notes: dict[str, list[str]] = {}
    for row in rows:
        if row["level"] == "class":
            classes.setdefault(row["group"], []).append(row["name"])
            if row["description"]:
                class_notes.setdefault(row["group"], []).extend(_units(row["description"]))

    documents = []
    for row in rows:
        if row["level"] != "group":
            continue
        code = row["code"]
        own_classes = [name for name in classes.get(code, []) if name != row["name"]]
        fields = {
            "name": (row["name"],),
            "class": tuple(own_classes),
            "description": _units(row["description"]) + tuple(class_notes.get(code, [])),
            "parent": (names.get(row["division"], ""),),
        }
        documents.append(_CodeDocument(code, row["name"], fields))
    return documents


def _occupation_documents(
    rows_2015: Sequence[Mapping[str, str]], rows_2022: Sequence[Mapping[str, str]]
) -> list[_CodeDocument]:
    names = {row["code"]: row["name"] for row in rows_2015}
    leaves = {row["code"]: row["name"] for row in rows_2015 if row["is_leaf"] == "true"}
    groups = [row for row in rows_2022 if row["code"].endswith("-00") and row["level"] != "1"]
    attached = attach_groups(groups, leaves)

    details: dict[str, list[str]] = {}
    definitions: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for row in rows_2022:
        code_2015 = attached.get(group_code_of(row["code"]))
        if code_2015 is None:
            continue
        if row["level"] == "4":
            details.setdefault(code_2015, []).append(row["name"])
        if row["definition"]:
            definitions.setdefault(code_2015, []).append(row["definition"].rstrip("。"))
        if row["aliases"]:
            aliases.setdefault(code_2015, []).extend(row["aliases"].split("|"))

    documents = []
    for row in rows_2015:
        code = row["code"]
        if code not in leaves:
            continue
        fields = {
            "name": (row["name"],),
            "detail": tuple(dict.fromkeys(details.get(code, []))),
            "alias": tuple(dict.fromkeys(a.strip() for a in aliases.get(code, []) if a.strip())),
            "description": _units(row["description"]),
            "definition": tuple(definitions.get(code, [])),
            "parent": (names.get(row["parent_code"], ""),),
        }
        documents.append(_CodeDocument(code, row["name"], fields))
    return documents


class _SchemeIndex:
    """BM25 over one classification's code documents, with field-aware evidence."""

    def __init__(self, scheme: CodeScheme, documents: Sequence[_CodeDocument]) -> None:
        self.scheme = scheme
        self.documents = list(documents)
        bags: list[dict[str, float]] = []
        self._field_texts: list[dict[str, tuple[tuple[str, str], ...]]] = []
        for document in self.documents:
            bag: dict[str, float] = {}
            texts: dict[str, tuple[tuple[str, str], ...]] = {}
            for field, units in document.fields.items():
                weight = _FIELD_WEIGHTS[field]
                field_bag: dict[str, float] = {}
                normalised = []
                for unit in units:
                    compact = strip_chatter(simplify(unit))
                    if not compact:
                        continue
                    normalised.append((unit, compact))
                    for feature, value in features_of(symbols_of(compact)).items():
                        if feature.startswith("p"):
                            continue
                        field_bag[feature] = max(field_bag.get(feature, 0.0), value)
                for feature, value in field_bag.items():
                    bag[feature] = bag.get(feature, 0.0) + weight * value
                texts[field] = tuple(normalised)
            bags.append(bag)
            self._field_texts.append(texts)
        self._index = Bm25Index(bags)

    def word_weight(self, word: str) -> float:
        if len(word) == 1:
            return self._index.idf("u" + word) * _SINGLE_CHAR_FACTOR
        bigrams = [f"b{word[i]}\x1f{word[i + 1]}" for i in range(len(word) - 1)]
        return max(self._index.idf(bigram) for bigram in bigrams)

    def search(self, texts: Sequence[str], limit: int) -> list[tuple[int, float]]:
        # Each text (the request, then each colloquial expansion) is featurised on its own, so
        # no bigram spans the join between them. Pinyin features are left out: job descriptions
        # are short and a homophone there is more often another word than a typo.
        features: dict[str, float] = {}
        for text in texts:
            for key, value in features_of(symbols_of(text)).items():
                if key[0] != "p":
                    features[key] = features.get(key, 0.0) + value
        scores = self._index.scores(features)
        return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))

    def evidence(self, doc_id: int, words: Sequence[str]) -> tuple[float, list[MatchReason]]:
        texts = self._field_texts[doc_id]
        reasons: list[MatchReason] = []
        total = 0.0
        covered = 0.0
        for word in words:
            weight = self.word_weight(word)
            total += weight
            best_credit = 0.0
            best_reason: MatchReason | None = None
            for field, units in texts.items():
                for original, compact in units:
                    if word in compact and _FIELD_CREDIT[field] > best_credit:
                        best_credit = _FIELD_CREDIT[field]
                        best_reason = MatchReason(term=word, field=field, matched=original)
                        break
            covered += weight * best_credit
            if best_reason is not None and len(word) > 1:
                reasons.append(best_reason)
        score = covered / total if total else 0.0
        return score, reasons


@functools.cache
def _job_segmenter() -> Segmenter:
    # Shared by every CodeLookup on the shipped table: a jieba dictionary is large to load.
    return Segmenter(phrase for phrase, _, _ in default_colloquial_terms())


def default_colloquial_terms() -> list[tuple[str, str, str]]:
    """Return the shipped table of spoken job phrases and the standards' words for them."""
    table = []
    for row in load_term_pairs("codes", "colloquial-terms.tsv"):
        phrase, industry, occupation = (*row, "-", "-")[:3]
        table.append(
            (phrase, "" if industry == "-" else industry, "" if occupation == "-" else occupation)
        )
    return table


class CodeLookup:
    """Suggests GB/T 4754-2017 industry groups and GB/T 6565-2015 occupation codes for free text.

    Industry candidates are 3-digit 中类 and occupation candidates are 5-digit 小类 (or a 中类
    without 小类, such as 10500), the levels the 7th census coded to. Occupation evidence includes
    the 2022 大典 细类 names, definitions and job-board aliases where a 2022 group's name agrees
    with the 2015 code. A colloquial table first rewrites spoken phrases (开滴滴, 搬砖) into the
    standards' vocabulary.
    """

    def __init__(
        self,
        *,
        industry_rows: Sequence[Mapping[str, str]] | None = None,
        occupation_rows: Sequence[Mapping[str, str]] | None = None,
        detail_rows: Sequence[Mapping[str, str]] | None = None,
        colloquial: Iterable[tuple[str, str, str]] | None = None,
        segmenter: Segmenter | None = None,
    ) -> None:
        industry = (
            industry_rows
            if industry_rows is not None
            else load_csv("codes", "gbt4754-2017-industry.csv")
        )
        occupation = (
            occupation_rows
            if occupation_rows is not None
            else load_csv("codes", "gbt6565-2015-occupation.csv")
        )
        details = (
            detail_rows
            if detail_rows is not None
            else load_csv("codes", "csco2022-occupation-detail.csv")
        )
        table = list(colloquial) if colloquial is not None else default_colloquial_terms()
        if segmenter is None:
            segmenter = _job_segmenter() if colloquial is None else Segmenter(r[0] for r in table)
        self._segmenter = segmenter
        self._industry = _SchemeIndex("industry", _industry_documents(industry))
        self._occupation = _SchemeIndex("occupation", _occupation_documents(occupation, details))

        self._colloquial: dict[str, _Colloquial] = {}
        for phrase, industry_words, occupation_words in table:
            key = simplify(phrase)
            self._colloquial[key] = _Colloquial(key, industry_words, occupation_words)
        phrases = sorted(self._colloquial, key=len, reverse=True)
        self._colloquial_re = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def industry(self, text: str, top: int = 5) -> list[CodeCandidate]:
        """Return up to `top` industry 中类 candidates for a description of work or a workplace."""
        return self._lookup(self._industry, text, top)

    def occupation(self, text: str, top: int = 5) -> list[CodeCandidate]:
        """Return up to `top` occupation 小类 candidates for a description of what a person does."""
        return self._lookup(self._occupation, text, top)

    def _expand(self, compact: str, scheme: CodeScheme) -> tuple[str, list[MatchReason]]:
        if self._colloquial_re is None:
            return "", []
        expansions = []
        reasons = []
        for match in self._colloquial_re.finditer(compact):
            entry = self._colloquial[match.group(0)]
            words = entry.industry if scheme == "industry" else entry.occupation
            if words:
                expansions.append(words)
                reasons.append(MatchReason(term=entry.phrase, field="colloquial", matched=words))
        return " ".join(expansions), reasons

    def _lookup(self, index: _SchemeIndex, text: str, top: int) -> list[CodeCandidate]:
        if top < 1:
            raise ValueError(f"top={top!r} must be at least 1")
        compact = strip_chatter(simplify(text))
        if not compact:
            return []
        expansion, colloquial_reasons = self._expand(compact, index.scheme)
        phrases = {reason.term for reason in colloquial_reasons}

        # The spoken phrase itself (开滴滴) is explained by the colloquial table, so only the rest
        # of the request and the table's words count towards the displayed score.
        remainder = compact
        for phrase in sorted(phrases, key=len, reverse=True):
            remainder = remainder.replace(phrase, " ")
        segmented = self._segmenter.words(remainder + " " + expansion)
        words = [word for word in dict.fromkeys(segmented) if word not in _FILLER_WORDS]

        texts = [compact, *(strip_chatter(simplify(words)) for words in expansion.split())]
        hits = index.search(texts, limit=max(top * 4, 20))
        candidates = []
        for doc_id, bm25 in hits:
            coverage, reasons = index.evidence(doc_id, words)
            document = index.documents[doc_id]
            rank_score = 0.5 * coverage + 0.5 * (bm25 / hits[0][1] if hits[0][1] else 0.0)
            candidates.append(
                (
                    rank_score,
                    CodeCandidate(
                        scheme=index.scheme,
                        code=document.code,
                        name=document.name,
                        score=round(coverage, 4),
                        reasons=tuple(colloquial_reasons) + tuple(reasons),
                    ),
                )
            )
        candidates.sort(key=lambda item: (-item[0], item[1].code))
        return [candidate for _, candidate in candidates[:top]]
