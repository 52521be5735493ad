"""Normalisation of chat text and its breakdown into matching features."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs
import zhconv
from pypinyin import Style, pinyin
from pypinyin.constants import PINYIN_DICT

# Greetings and courtesy phrases carry no topic, so they are removed wherever they appear.
_FILLERS = (
    "大家好",
    "你们好",
    "您好",
    "你好",
    "哈喽",
    "老师好",
    "领导好",
    "各位老师",
    "各位领导",
    "请问一下",
    "请问下",
    "请问",
    "想问一下",
    "想问下",
    "问一下",
    "咨询一下",
    "打扰一下",
    "打扰了",
    "谢谢你",
    "谢谢您",
    "谢谢",
    "多谢",
    "感谢",
    "辛苦了",
    "在吗",
)
_FILLER_RE = re.compile(
    "|".join(re.escape(phrase) for phrase in sorted(_FILLERS, key=len, reverse=True))
    + r"|(?<![a-z])(?:hello|hi)(?![a-z])"
)
# Forms of address and sentence-final particles at either end of a message ("…啊老师").
_EDGE_RE = re.compile(
    r"^(?:老师|领导|同志|[啊呀呢吧哦嘛哈啦么])+|(?:老师|领导|[啊呀呢吧哦嘛哈啦])+$"
)
_NOT_CONTENT_RE = re.compile(r"[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff]+")
_SYMBOL_RE = re.compile(r"[a-z]+[0-9]*|[0-9]+|[\u3400-\u4dbf\u4e00-\u9fff]")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# Chinese numerals are rewritten as digits only before a unit, so 十一月 matches 11月 while
# words such as 一下 or 统一 stay as they are.
_NUMERAL_RE = re.compile(r"([一二两三四五六七八九十]{1,3})(?=[月日号点时岁周年次户个位口人])")
_DAY_RE = re.compile(r"([0-9]+)号")
# "在哪登" is chat shorthand for 登记; 登录 (log in), 漏登 and 补登 (nouns) stay as they are.
_DENG_RE = re.compile(r"(?<![漏补攀刊摩])登(?![记录陆])")

# Feature weights: a bigram is the unit of Chinese meaning, a single character is weak evidence,
# and a pinyin bigram recovers a homophone typo (人户分理 for 人户分离).
UNIGRAM_WEIGHT = 0.2
BIGRAM_WEIGHT = 1.0
PINYIN_WEIGHT = 0.5
WORD_WEIGHT = 1.0


@attrs.frozen
class Analysis:
    """A normalised text: its symbols (characters and Latin or digit runs) and features."""

    compact: str
    symbols: tuple[str, ...]
    features: Mapping[str, float]


def _numeral_value(text: str) -> int | None:
    if text == "十":
        return 10
    if "十" not in text:
        return _NUMERALS.get(text) if len(text) == 1 else None
    tens_text, _, ones_text = text.partition("十")
    if "十" in ones_text:
        return None
    tens = _NUMERALS.get(tens_text, 0) if tens_text else 1
    ones = _NUMERALS.get(ones_text, 0) if ones_text else 0
    if (tens_text and tens == 0) or (ones_text and ones == 0):
        return None
    return tens * 10 + ones


def _replace_numeral(match: re.Match[str]) -> str:
    value = _numeral_value(match.group(1))
    return match.group(1) if value is None else str(value)


def simplify(text: str) -> str:
    """Fold width and case, and convert traditional characters to simplified ones."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return str(zhconv.convert(folded, "zh-cn"))


def strip_chatter(text: str) -> str:
    """Remove greetings, punctuation, spaces and trailing particles from simplified text."""
    without_fillers = _FILLER_RE.sub("", text)
    compact = _NOT_CONTENT_RE.sub("", without_fillers)
    return _EDGE_RE.sub("", compact)


class TermMap:
    """Replaces colloquial words with the words the reference texts use, longest first."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._mapping: dict[str, str] = {}
        for variant, canonical in pairs:
            self._mapping[simplify(variant)] = simplify(canonical)
        variants = sorted(self._mapping, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(v) for v in variants)) if variants else None

    def __len__(self) -> int:
        return len(self._mapping)

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self._mapping[match.group(0)], text)


def canonical_text(text: str, terms: TermMap | None = None) -> str:
    """Reduce a question to its content characters in one canonical spelling."""
    compact = strip_chatter(simplify(text))
    if terms is not None:
        compact = terms.apply(compact)
    compact = _NUMERAL_RE.sub(_replace_numeral, compact)
    compact = _DAY_RE.sub(r"\1日", compact)
    return _DENG_RE.sub("登记", compact)


def _fold_syllable(syllable: str) -> str:
    # Many people type without distinguishing zh/z, ch/c, sh/s or -ng/-n, so these fold together.
    folded = syllable.replace("zh", "z").replace("ch", "c").replace("sh", "s")
    if folded.endswith("ng"):
        folded = folded[:-1]
    return folded


@functools.lru_cache(maxsize=65536)
def char_readings(char: str) -> tuple[str, ...]:
    """Return up to two toneless, folded readings of one character, most common first."""
    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    if not readings:
        return ()
    folded: list[str] = []
    for reading in readings[0]:
        syllable = _fold_syllable(reading)
        if syllable and syllable not in folded:
            folded.append(syllable)
    return tuple(folded[:2])


@functools.cache
def _syllables() -> frozenset[str]:
    found: set[str] = set()
    for value in PINYIN_DICT.values():
        for reading in value.split(","):
            plain = "".join(
                c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)
            )
            found.add(plain.replace("ü", "v"))
    return frozenset(found)


def split_pinyin(word: str) -> tuple[str, ...] | None:
    """Split a Latin run typed as toneless pinyin ("renhufenli") into syllables, if it is one.

    The split with the fewest syllables wins; a run that does not split completely, or that is a
    single syllable, returns None.
    """
    syllables = _syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            prefix = best[start]
            if prefix is None or word[start:end] not in syllables:
                continue
            candidate = (*prefix, word[start:end])
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    result = best[len(word)]
    if result is None or len(result) < 2:
        return None
    return result


def _pinyin_stream(symbols: tuple[str, ...]) -> list[tuple[str, ...]]:
    stream: list[tuple[str, ...]] = []
    for symbol in symbols:
        if _CJK_RE.fullmatch(symbol):
            stream.append(char_readings(symbol))
        elif symbol.isalpha():
            split = split_pinyin(symbol)
            if split is None:
                stream.append(())
            else:
                stream.extend((_fold_syllable(syllable),) for syllable in split)
        else:
            stream.append(())
    return stream


@functools.lru_cache(maxsize=65536)
def sound_of(text: str) -> str:
    """Return the first reading of each symbol of normalised text, as " syllable syllable ".

    A Latin run typed as pinyin contributes its syllables and any other Latin or digit run
    stands for itself. The padding spaces let a substring test match whole syllables only.
    """
    readings: list[str] = []
    for symbol in _SYMBOL_RE.findall(text):
        if _CJK_RE.fullmatch(symbol):
            options = char_readings(symbol)
            readings.append(options[0] if options else symbol)
            continue
        split = split_pinyin(symbol) if symbol.isalpha() else None
        if split is None:
            readings.append(symbol)
        else:
            readings.extend(_fold_syllable(syllable) for syllable in split)
    return " " + " ".join(readings) + " "


def symbols_of(compact: str) -> tuple[str, ...]:
    """Split normalised text into symbols: single characters and Latin or digit runs."""
    return tuple(_SYMBOL_RE.findall(compact))


def features_of(symbols: tuple[str, ...]) -> dict[str, float]:
    """Weighted features: characters, character bigrams, pinyin bigrams and Latin/digit runs."""
    features: dict[str, float] = {}

    def add(key: str, weight: float) -> None:
        features[key] = features.get(key, 0.0) + weight

    for index, symbol in enumerate(symbols):
        if _CJK_RE.fullmatch(symbol):
            add("u" + symbol, UNIGRAM_WEIGHT)
        else:
            add("w" + symbol, WORD_WEIGHT)
        if index + 1 < len(symbols):
            add("b" + symbol + "\x1f" + symbols[index + 1], BIGRAM_WEIGHT)

    stream = _pinyin_stream(symbols)
    for left, right in itertools.pairwise(stream):
        pairs = [(a, b) for a in left for b in right]
        for a, b in pairs:
            add("p" + a + " " + b, PINYIN_WEIGHT / len(pairs))
    return features


def analyze(text: str, terms: TermMap | None = None) -> Analysis:
    """Normalise text and compute its features."""
    compact = canonical_text(text, terms)
    symbols = symbols_of(compact)
    return Analysis(compact=compact, symbols=symbols, features=features_of(symbols))
