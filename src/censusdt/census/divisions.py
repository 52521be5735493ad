"""Division tables: the county, town and village codes that the census org tree is built from."""

from __future__ import annotations

import csv
import enum
import functools
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources

import attrs

from censusdt._errors import DingTalkError

__all__ = [
    "BUILTIN_DIVISION_TABLES",
    "Division",
    "DivisionIssue",
    "DivisionLevel",
    "DivisionTable",
    "DivisionTableError",
]

# Package data under censusdt/data/divisions, keyed by the short code a caller passes to builtin().
BUILTIN_DIVISION_TABLES: dict[str, str] = {
    "370783": "admin-divisions-2020-shouguang-370783.csv",
    "3707": "admin-divisions-2020-weifang-3707.csv",
}

_REQUIRED_COLUMNS = ("code", "level", "name", "parent_code")

# Code layout: province 2, city 2, county 2, town 3, village 3 digits.
CODE_LENGTH = 12


class DivisionLevel(enum.Enum):
    """Level of a division in the census organisation tree."""

    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"

    @property
    def label_zh(self) -> str:
        """Chinese name of the level as the code tables write it (县级, 乡级, 村级)."""
        return _LEVEL_LABELS_ZH[self]

    @property
    def depth(self) -> int:
        """Depth below the county: 0 for a county, 1 for a town, 2 for a village."""
        return _LEVEL_DEPTHS[self]


_LEVEL_LABELS_ZH = {
    DivisionLevel.COUNTY: "县级",
    DivisionLevel.TOWN: "乡级",
    DivisionLevel.VILLAGE: "村级",
}
_LEVEL_DEPTHS = {DivisionLevel.COUNTY: 0, DivisionLevel.TOWN: 1, DivisionLevel.VILLAGE: 2}


def level_of_code(code: str) -> DivisionLevel | None:
    """Return the level that a well-formed 12-digit code has by its shape, or None if it has none.

    County codes end in ``000000``, town codes in ``000`` (but not ``000000``), and village codes
    have a non-zero village part. A code with a zero county part is a province or city code.
    """
    if len(code) != CODE_LENGTH or not code.isdigit():
        return None
    if code[4:6] == "00":
        return None
    if code.endswith("000000"):
        return DivisionLevel.COUNTY
    if code.endswith("000"):
        return DivisionLevel.TOWN
    return DivisionLevel.VILLAGE


def expected_parent_code(code: str, level: DivisionLevel) -> str:
    """Return the parent code that the digits of ``code`` imply (the city for a county)."""
    if level is DivisionLevel.VILLAGE:
        return code[:9] + "000"
    if level is DivisionLevel.TOWN:
        return code[:6] + "000000"
    return code[:4] + "00000000"


@attrs.frozen
class Division:
    """One row of a division table."""

    code: str
    level: DivisionLevel
    name: str
    parent_code: str
    # 城乡分类代码 (3 digits) where the table has one; the built-in tables carry the 2016 edition's.
    urban_rural_code: str | None = None


@attrs.frozen
class DivisionIssue:
    """One problem in a division table: the CSV line (header = line 1) when known, the code, why."""

    line: int | None
    code: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "entry"
        return f"{where}, code {self.code!r}: {self.reason}"


class DivisionTableError(DingTalkError, ValueError):
    """A division table that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, source: str, issues: Sequence[DivisionIssue]) -> None:
        self.source = source
        self.issues = list(issues)
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"invalid division table {source} ({len(self.issues)} problems):\n{lines}")


class DivisionTable:
    """An immutable, validated set of divisions with lookups by code and by parent.

    The table may contain several counties (the Weifang table contains 13). A county's parent,
    the city, need not be in the table, but every town and village must have its parent in it.
    """

    def __init__(self, divisions: Iterable[Division], *, source: str = "<memory>") -> None:
        self._build(((None, division) for division in divisions), source=source)

    def _build(self, rows: Iterable[tuple[int | None, Division]], *, source: str) -> None:
        entries = list(rows)
        issues: list[DivisionIssue] = []
        by_code: dict[str, Division] = {}
        first_line: dict[str, int | None] = {}

        for line, division in entries:
            issues.extend(_shape_issues(line, division))
            if division.code in by_code:
                first = first_line[division.code]
                where = f"line {first}" if first is not None else "an earlier entry"
                reason = f"duplicate code, first at {where}"
                issues.append(DivisionIssue(line, division.code, reason))
                continue
            by_code[division.code] = division
            first_line[division.code] = line

        for line, division in entries:
            if by_code.get(division.code) is not division:
                continue
            issues.extend(_parent_issues(line, division, by_code))

        if issues:
            raise DivisionTableError(source, issues)

        self.source = source
        self._by_code = by_code
        self._children: dict[str, list[Division]] = {}
        for division in by_code.values():
            self._children.setdefault(division.parent_code, []).append(division)
        for children in self._children.values():
            children.sort(key=lambda child: child.code)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> DivisionTable:
        """Read and validate a CSV in the built-in tables' format (UTF-8, header row).

        Required columns: ``code``, ``level`` (county/town/village), ``name``, ``parent_code``;
        ``ur_code_2016`` is read as the urban-rural code when present. Raises DivisionTableError
        listing every bad row.
        """
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
        return cls._from_csv_text(text, source=os.fspath(path))

    @classmethod
    def builtin(cls, code: str) -> DivisionTable:
        """Return a table shipped with censusdt: ``"370783"`` (寿光市) or ``"3707"`` (潍坊市).

        The 12-digit form of the same code (``"370783000000"``) is accepted too.
        """
        return _load_builtin(_builtin_key(code))

    @classmethod
    def _from_csv_text(cls, text: str, *, source: str) -> DivisionTable:
        reader = csv.DictReader(io.StringIO(text))
        header = reader.fieldnames or []
        missing = [column for column in _REQUIRED_COLUMNS if column not in header]
        if missing:
            issue = DivisionIssue(1, "", f"missing column(s): {', '.join(missing)}")
            raise DivisionTableError(source, [issue])

        rows: list[tuple[int | None, Division]] = []
        bad_levels: list[DivisionIssue] = []
        # DictReader counts records, not physical lines; the tables have no quoted newlines.
        for line, record in enumerate(reader, start=2):
            code = (record.get("code") or "").strip()
            level_text = (record.get("level") or "").strip()
            try:
                level = DivisionLevel(level_text)
            except ValueError:
                reason = f"unknown level {level_text!r}; expected county, town or village"
                bad_levels.append(DivisionIssue(line, code, reason))
                continue
            urban_rural = (record.get("ur_code_2016") or "").strip() or None
            division = Division(
                code=code,
                level=level,
                name=(record.get("name") or "").strip(),
                parent_code=(record.get("parent_code") or "").strip(),
                urban_rural_code=urban_rural,
            )
            rows.append((line, division))

        table = cls.__new__(cls)
        try:
            table._build(rows, source=source)
        except DivisionTableError as error:
            raise DivisionTableError(source, bad_levels + error.issues) from None
        if bad_levels:
            raise DivisionTableError(source, bad_levels)
        return table

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(sorted(self._by_code.values(), key=lambda division: division.code))

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __repr__(self) -> str:
        return f"<DivisionTable {self.source} with {len(self)} divisions>"

    def get(self, code: str) -> Division:
        """Return the division with this 12-digit code; raise KeyError naming it if absent."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"division code {code!r} is not in {self.source}") from None

    def find(self, code: str) -> Division | None:
        """Return the division with this code, or None."""
        return self._by_code.get(code)

    def counties(self) -> list[Division]:
        """Return the county rows, ordered by code."""
        return [division for division in self if division.level is DivisionLevel.COUNTY]

    def children(self, code: str) -> list[Division]:
        """Return the divisions directly below ``code``, ordered by code."""
        self.get(code)
        return list(self._children.get(code, ()))

    def towns(self, county_code: str) -> list[Division]:
        """Return the towns of a county, ordered by code."""
        self._require_level(county_code, DivisionLevel.COUNTY)
        return self.children(county_code)

    def villages(self, town_code: str) -> list[Division]:
        """Return the villages of a town, ordered by code."""
        self._require_level(town_code, DivisionLevel.TOWN)
        return self.children(town_code)

    def ancestors(self, code: str) -> list[Division]:
        """Return the parent chain of ``code``, from its parent up to its county.

        The chain of a county is empty.
        """
        chain: list[Division] = []
        current = self.get(code)
        while current.level is not DivisionLevel.COUNTY:
            current = self._by_code[current.parent_code]
            chain.append(current)
        return chain

    def county_of(self, code: str) -> Division:
        """Return the county that ``code`` belongs to (the division itself for a county)."""
        division = self.get(code)
        chain = self.ancestors(code)
        return chain[-1] if chain else division

    def subtree(self, county_code: str) -> list[Division]:
        """Return a county with all its towns and villages: each town followed by its villages."""
        county = self._require_level(county_code, DivisionLevel.COUNTY)
        result = [county]
        for town in self.towns(county_code):
            result.append(town)
            result.extend(self.villages(town.code))
        return result

    def _require_level(self, code: str, level: DivisionLevel) -> Division:
        division = self.get(code)
        if division.level is not level:
            actual = division.level.value
            message = f"division {code!r} ({division.name}) is a {actual}, not a {level.value}"
            raise ValueError(message)
        return division


def _shape_issues(line: int | None, division: Division) -> list[DivisionIssue]:
    issues: list[DivisionIssue] = []
    code = division.code
    if len(code) != CODE_LENGTH or not code.isdigit():
        issues.append(DivisionIssue(line, code, "code must be 12 digits"))
        return issues
    shape = level_of_code(code)
    if shape is None:
        reason = "code is a province or city code, not a county or below"
        issues.append(DivisionIssue(line, code, reason))
    elif shape is not division.level:
        reason = f"wrong level {division.level.value!r}: the code's digits make it a {shape.value}"
        issues.append(DivisionIssue(line, code, reason))
    if not division.name:
        issues.append(DivisionIssue(line, code, "missing name"))
    return issues


def _parent_issues(
    line: int | None, division: Division, by_code: dict[str, Division]
) -> list[DivisionIssue]:
    code = division.code
    if level_of_code(code) is not division.level:
        return []

    expected = expected_parent_code(code, division.level)
    if division.parent_code != expected:
        reason = f"parent code {division.parent_code!r} does not fit the code, expected {expected}"
        return [DivisionIssue(line, code, reason)]
    if division.level is DivisionLevel.COUNTY:
        return []

    parent = by_code.get(division.parent_code)
    if parent is None:
        return [DivisionIssue(line, code, f"unknown parent {division.parent_code}")]
    if parent.level.depth != division.level.depth - 1:
        reason = f"wrong level: parent {parent.code} is a {parent.level.value}"
        return [DivisionIssue(line, code, reason)]
    return []


def _builtin_key(code: str) -> str:
    key = code.strip()
    if len(key) == CODE_LENGTH and key.isdigit():
        key = key.rstrip("0")
        # "370700000000" strips to "3707"; "370783000000" to "370783"; keep even lengths.
        if len(key) % 2:
            key += "0"
    if key not in BUILTIN_DIVISION_TABLES:
        available = ", ".join(sorted(BUILTIN_DIVISION_TABLES))
        raise ValueError(f"no built-in division table for {code!r}; available: {available}")
    return key


@functools.cache
def _load_builtin(key: str) -> DivisionTable:
    filename = BUILTIN_DIVISION_TABLES[key]
    resource = resources.files("censusdt") / "data" / "divisions" / filename
    text = resource.read_text(encoding="utf-8")
    return DivisionTable._from_csv_text(text, source=f"censusdt:data/divisions/{filename}")
