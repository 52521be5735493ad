"""Loading of the data files that ship in `censusdt.data` (knowledge base, term tables, codes)."""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from importlib import resources

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

from ._models import FaqEntry

_PACKAGE = "censusdt.data"


def data_file(folder: str, name: str) -> Traversable:
    """Return a file inside `censusdt.data`, found through importlib.resources."""
    return resources.files(_PACKAGE) / folder / name


def _read_text(folder: str, name: str) -> str:
    return data_file(folder, name).read_text(encoding="utf-8")


def _content_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(line.rstrip("\r\n"))
    return lines


def parse_faq_jsonl(text: str, *, source: str = "<string>") -> list[FaqEntry]:
    """Parse knowledge-base entries, one JSON object per line.

    Each object needs `id`, `question` and `answer`; `category` and `phrasings` (a list of
    extra ways to ask) are optional and other keys are ignored. Raises ValueError naming the
    line of the first malformed record.
    """
    entries: list[FaqEntry] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            entry = FaqEntry(
                id=str(record["id"]),
                category=str(record.get("category", "")),
                question=str(record["question"]),
                answer=str(record["answer"]),
                phrasings=record.get("phrasings", ()),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{source} line {number}: invalid FAQ record: {error!r}") from error
        if entry.id in seen:
            raise ValueError(f"{source} line {number}: duplicate FAQ id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    return entries


@functools.cache
def _sample_entries() -> tuple[FaqEntry, ...]:
    name = "census-faq.sample.jsonl"
    return tuple(parse_faq_jsonl(_read_text("faq", name), source=name))


def load_sample_faq() -> list[FaqEntry]:
    """Return the 101 sample knowledge-base entries on the 7th census rules that ship with censusdt."""
    return list(_sample_entries())


@functools.cache
def load_term_pairs(folder: str, name: str) -> tuple[tuple[str, ...], ...]:
    """Read a tab-separated term table, skipping blank lines and "#" comments."""
    rows = []
    for line in _content_lines(_read_text(folder, name)):
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@functools.cache
def load_word_list(folder: str, name: str) -> tuple[str, ...]:
    """Read a list of words, one per line, skipping blank lines and "#" comments."""
    return tuple(line.strip() for line in _content_lines(_read_text(folder, name)))


@functools.cache
def load_csv(folder: str, name: str) -> tuple[dict[str, str], ...]:
    """Read a UTF-8 CSV file with a header row into dictionaries."""
    reader = csv.DictReader(io.StringIO(_read_text(folder, name)))
    return tuple(dict(row) for row in reader)
