"""Census FAQ robot core: knowledge-base routing and industry/occupation code lookup.

`FaqRouter` matches chat questions to knowledge-base entries and abstains when unsure,
`CodeLookup` suggests GB/T 4754-2017 and GB/T 6565-2015 codes for a job description, and
`FaqRobot.route` decides between the two; `format_reply` renders the result for staff.
Everything here is in-memory: no network access.
"""

from ._codes import CodeLookup
from ._data import load_sample_faq, parse_faq_jsonl
from ._intent import CodeRequest, CodeRequestDetector
from ._models import (
    CodeCandidate,
    CodeLookupResult,
    CodeScheme,
    FaqAnswer,
    FaqCandidate,
    FaqEntry,
    MatchReason,
)
from ._reply import format_reply
from ._robot import FaqRobot
from ._router import DEFAULT_THRESHOLD, Evidence, FaqRouter

__all__ = [
    "DEFAULT_THRESHOLD",
    "CodeCandidate",
    "CodeLookup",
    "CodeLookupResult",
    "CodeRequest",
    "CodeRequestDetector",
    "CodeScheme",
    "Evidence",
    "FaqAnswer",
    "FaqCandidate",
    "FaqEntry",
    "FaqRobot",
    "FaqRouter",
    "MatchReason",
    "format_reply",
    "load_sample_faq",
    "parse_faq_jsonl",
]
