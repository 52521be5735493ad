"""Attachment of 职业分类大典 2022 rows to GB/T 6565-2015 occupation codes by name agreement."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz

# NOTE: this is not an official concordance between the 2022 大典 and GB/T 6565-2015. A 2022 group
# is attached to a 2015 code only when their names agree (the naive code-prefix match of the data
# file disagrees for about one group in five, e.g. 2-08-03 幼儿园教师 against 20803 中小学教育教师),
# and unmatched groups (new 2022 groups such as 网约配送员) are left out of the evidence.
_NAME_NOISE_RE = re.compile(r"[\s、，,（）()和及与]")
_ROLE_SUFFIX_RE = re.compile(r"(人员|工人|工|员|师)$")
_SAME_NAME_RATIO = 80.0
_SAME_STEM_RATIO = 60.0
_SAME_GROUP_RATIO = 70.0


def _plain(name: str) -> str:
    return _NAME_NOISE_RE.sub("", name)


def names_agree(name_2022: str, name_2015: str) -> bool:
    """Whether two occupation names denote the same group, allowing small wording changes."""
    a, b = _plain(name_2022), _plain(name_2015)
    if not a or not b:
        return False
    if a == b or a in b or b in a:
        return True
    if fuzz.ratio(a, b) >= _SAME_NAME_RATIO:
        return True
    stem_a, stem_b = _ROLE_SUFFIX_RE.sub("", a), _ROLE_SUFFIX_RE.sub("", b)
    if not stem_a or not stem_b:
        return False
    return stem_a in stem_b or stem_b in stem_a or fuzz.ratio(stem_a, stem_b) >= _SAME_STEM_RATIO


def group_code_of(code_2022: str) -> str:
    """Return the 2022 group (小类, or 中类 where no 小类 exists) that a 大典 code belongs to."""
    major, medium, minor, _ = code_2022.split("-")
    return f"{major}-{medium}-{minor}-00"


def attach_groups(
    groups: Iterable[Mapping[str, str]], names_2015: Mapping[str, str]
) -> dict[str, str]:
    """Map 2022 group codes to 2015 leaf codes where the names agree.

    `groups` are rows of the 大典 table whose code ends in "-00" (中类, 小类, or a 小类 without
    细类); `names_2015` maps each 2015 leaf code to its name. The prefix code given in the row is
    tried first, then a 2015 leaf with the same name anywhere, then the closest name within the
    same 2015 中类.
    """
    by_plain_name = {_plain(name): code for code, name in names_2015.items()}
    attached: dict[str, str] = {}
    for row in groups:
        code_2022 = row["code"]
        name_2022 = row["name"]
        prefix_code = row.get("gbt6565_2015_code_by_prefix", "")

        if prefix_code in names_2015 and names_agree(name_2022, names_2015[prefix_code]):
            attached[code_2022] = prefix_code
            continue
        if code_2022.endswith("-00-00"):
            # A 中类 counts only where GB/T 6565-2015 codes it as a leaf (10500 and the like).
            continue
        same_name = by_plain_name.get(_plain(name_2022))
        if same_name is not None:
            attached[code_2022] = same_name
            continue
        if not prefix_code:
            continue
        siblings = [code for code in names_2015 if code[:3] == prefix_code[:3]]
        scored = [(fuzz.ratio(_plain(name_2022), _plain(names_2015[c])), c) for c in siblings]
        if scored:
            ratio, closest = max(scored)
            if ratio >= _SAME_GROUP_RATIO:
                attached[code_2022] = closest
    return attached
