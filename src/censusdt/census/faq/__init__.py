"""Census FAQ robot core: knowledge-base routing and industry/occupation code lookup."""

from ._data import load_sample_faq
from ._models import (
    CodeCandidate,
    CodeLookupResult,
    FaqAnswer,
    FaqCandidate,
    FaqEntry,
    MatchReason,
)
from ._router import FaqRouter

__all__ = [
    "CodeCandidate",
    "CodeLookupResult",
    "FaqAnswer",
    "FaqCandidate",
    "FaqEntry",
    "FaqRouter",
    "MatchReason",
    "load_sample_faq",
]
