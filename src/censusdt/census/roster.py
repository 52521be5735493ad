"""Rosters (花名册): the staff model and reading/writing .xlsx and .csv files with full validation."""

from __future__ import annotations

import csv
import enum
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from censusdt._masking import mask_mobiles
from censusdt.census.divisions import DivisionLevel, DivisionTable
from censusdt.census.rostercells import (
    CellError,
    cell_text,
    normalize_code,
    normalize_email,
    normalize_identifier,
    normalize_mobile,
    normalize_name,
    split_values,
)
from censusdt.census.rosterissues import DetailValue, IssueReason, RosterError, RosterIssue

__all__ = [
    "DEFAULT_SECTIONS",
    "Post",
    "Roster",
    "StaffMember",
    "parse_roster_rows",
    "read_roster",
    "roster_rows",
    "write_roster",
]

# The county census office's sections (科室): 办公室, 业务组, 数据处理组, 业务主任组.
DEFAULT_SECTIONS: tuple[str, ...] = ("办公室", "业务组", "数据处理组", "业务主任组")

# DingTalk limits for topapi/v2/user/create (characters): name 80, job_number 50, email 50,
# remark 2000; at most 100 departments per user (dept_id_list).
NAME_MAX = 80
JOB_NUMBER_MAX = 50
EMAIL_MAX = 50
REMARK_MAX = 2000
DEPARTMENTS_PER_USER_MAX = 100
# NOTE: DingTalk documents no length limit for role names (role/add_role roleName); 64 is the
# department-name limit, assumed here for tags until the real limit is known.
TAG_MAX = 64


class Post(enum.Enum):
    """A staff member's post (岗位); the value is the label written in rosters and used as title."""

    ENUMERATOR = "普查员"
    SUPERVISOR = "普查指导员"
    TOWN_STAFF = "乡镇普查办工作人员"
    COUNTY_STAFF = "县普查办工作人员"

    @property
    def label_en(self) -> str:
        """English name of the post."""
        return _POST_LABELS_EN[self]

    @property
    def levels(self) -> tuple[DivisionLevel, ...]:
        """Division levels whose codes the post may name in 区划代码."""
        return _POST_LEVELS[self]

    @classmethod
    def parse(cls, text: str) -> Post | None:
        """Return the post a roster cell names (label or common variant), or None."""
        key = "".join(text.split())
        return _POST_ALIASES.get(key)


_POST_LABELS_EN = {
    Post.ENUMERATOR: "enumerator",
    Post.SUPERVISOR: "supervisor",
    Post.TOWN_STAFF: "town census office staff",
    Post.COUNTY_STAFF: "county census office staff",
}
_POST_LEVELS = {
    Post.ENUMERATOR: (DivisionLevel.VILLAGE,),
    Post.SUPERVISOR: (DivisionLevel.VILLAGE, DivisionLevel.TOWN),
    Post.TOWN_STAFF: (DivisionLevel.TOWN,),
    Post.COUNTY_STAFF: (DivisionLevel.COUNTY,),
}
_POST_ALIASES: dict[str, Post] = {
    "普查员": Post.ENUMERATOR,
    "普查指导员": Post.SUPERVISOR,
    "指导员": Post.SUPERVISOR,
    "乡镇普查办工作人员": Post.TOWN_STAFF,
    "乡镇普查办人员": Post.TOWN_STAFF,
    "镇街普查办工作人员": Post.TOWN_STAFF,
    "乡级普查机构工作人员": Post.TOWN_STAFF,
    "县普查办工作人员": Post.COUNTY_STAFF,
    "县普查办人员": Post.COUNTY_STAFF,
    "县人普办工作人员": Post.COUNTY_STAFF,
    "县级普查机构工作人员": Post.COUNTY_STAFF,
}


def _mask_repr(mobile: str) -> str:
    return repr(mask_mobiles(mobile))


@attrs.frozen
class StaffMember:
    """One person of the census organisation, as a valid roster row describes them.

    ``mobile`` is 11 digits and identifies the person. ``division_codes`` are 12-digit codes of
    the level the post needs. ``sections`` names county sections and project groups.
    """

    name: str
    mobile: str = attrs.field(repr=_mask_repr)
    post: Post
    division_codes: tuple[str, ...]
    sections: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    job_number: str | None = None
    email: str | None = None
    remark: str | None = None


@attrs.frozen
class Roster:
    """A validated roster: the members in sheet order, and the sections and project groups
    that their 科室 cells were checked against."""

    members: tuple[StaffMember, ...]
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    project_groups: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.members)

    def __iter__(self) -> Iterator[StaffMember]:
        return iter(self.members)

    def by_mobile(self, mobile: str) -> StaffMember:
        """Return the member with this 11-digit mobile; raise KeyError if there is none."""
        for member in self.members:
            if member.mobile == mobile:
                return member
        raise KeyError(f"no roster member has mobile {mask_mobiles(mobile)}")

    def check(self, divisions: DivisionTable) -> None:
        """Raise RosterError if a file written from this roster would not read back as valid.

        Runs the reader's checks on the members, for rosters built or edited in code.
        """
        parse_roster_rows(
            roster_rows(self),
            divisions,
            sections=self.sections,
            project_groups=self.project_groups,
            source="roster",
        )


# Canonical header of each field, then the variants that offices write.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "人员姓名"),
    "mobile": (
        "手机号",
        "手机",
        "手机号码",
        "联系电话",
        "电话",
        "电话号码",
        "移动电话",
        "联系方式",
    ),
    "post": ("岗位", "角色", "岗位名称", "岗位类别", "人员类别"),
    "division": ("区划代码", "统计用区划代码", "行政区划代码", "区划"),
    "sections": ("科室", "部门", "所在科室", "科室/项目组", "项目组"),
    "tags": ("标签", "人员标签"),
    "job_number": ("工号", "员工工号", "员工编号"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "email", "e-mail"),
    "remark": ("备注", "说明"),
}
_REQUIRED_FIELDS = ("name", "mobile", "post", "division", "sections", "tags")
_HEADER_ALIASES = {alias: field for field, aliases in _COLUMNS.items() for alias in aliases}
# A title row above the header (寿光市第七次全国人口普查人员花名册) is common; look this far down.
_HEADER_SEARCH_ROWS = 10


def _header_key(text: str) -> str:
    key = "".join(text.split()).lower().replace("＊", "").replace("*", "")
    for opening, closing in (("（", "）"), ("(", ")")):
        start = key.find(opening)
        if start > 0 and key.endswith(closing):
            key = key[:start]
    return key


@attrs.define
class _Columns:
    """Positions of the fields in the sheet: field -> (0-based index, header text as written)."""

    header_row: int
    positions: dict[str, tuple[int, str]]

    def label(self, field: str) -> str:
        position = self.positions.get(field)
        return position[1] if position else _COLUMNS[field][0]


def _find_header(rows: Sequence[Sequence[object]]) -> tuple[_Columns | None, list[RosterIssue]]:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, list[tuple[int, str]]] = {}
        for column, value in enumerate(row):
            text = cell_text(value)
            field = _HEADER_ALIASES.get(_header_key(text))
            if field is not None:
                found.setdefault(field, []).append((column, text))
        if len(found) < 2:
            continue

        row_number = index + 1
        issues: list[RosterIssue] = []
        positions: dict[str, tuple[int, str]] = {}
        for field, places in found.items():
            positions[field] = places[0]
            for column, text in places[1:]:
                details: dict[str, str | int | tuple[str, ...]] = {
                    "field": _COLUMNS[field][0],
                    "first": places[0][0] + 1,
                    "second": column + 1,
                }
                issues.append(
                    RosterIssue(row_number, text, "", IssueReason.DUPLICATE_COLUMN, details)
                )
        for field in _REQUIRED_FIELDS:
            if field not in positions:
                label = _COLUMNS[field][0]
                issues.append(RosterIssue(row_number, label, "", IssueReason.MISSING_COLUMN))
        return _Columns(row_number, positions), issues

    missing = [
        RosterIssue(1, _COLUMNS[field][0], "", IssueReason.MISSING_COLUMN)
        for field in _REQUIRED_FIELDS
    ]
    return None, missing


@attrs.define
class _RowCheck:
    """Validation of one data row; collects issues and builds the member when there are none."""

    row: int
    cells: dict[str, str]
    columns: _Columns
    divisions: DivisionTable
    known_sections: tuple[str, ...]
    issues: list[RosterIssue] = attrs.Factory(list)

    def add(self, field: str, value: str, reason: IssueReason, **details: object) -> None:
        clean = {key: _detail(value) for key, value in details.items()}
        self.issues.append(RosterIssue(self.row, self.columns.label(field), value, reason, clean))

    def run(self) -> StaffMember | None:
        name = self._name()
        mobile = self._mobile()
        post = self._post()
        codes = self._codes(post)
        sections = self._sections()
        tags = self._tags()
        job_number = self._limited("job_number", JOB_NUMBER_MAX, IssueReason.JOB_NUMBER_TOO_LONG)
        email = self._email()
        remark = self._limited("remark", REMARK_MAX, IssueReason.REMARK_TOO_LONG)

        departments = len(sections) + (0 if post is Post.COUNTY_STAFF and sections else len(codes))
        if departments > DEPARTMENTS_PER_USER_MAX:
            self.add(
                "division",
                self.cells.get("division", ""),
                IssueReason.TOO_MANY_DEPARTMENTS,
                count=departments,
                limit=DEPARTMENTS_PER_USER_MAX,
            )

        if self.issues or post is None:
            return None
        return StaffMember(
            name=name,
            mobile=mobile,
            post=post,
            division_codes=codes,
            sections=sections,
            tags=tags,
            job_number=job_number or None,
            email=email or None,
            remark=remark or None,
        )

    def _name(self) -> str:
        raw = self.cells.get("name", "")
        name = normalize_name(raw)
        if not name:
            self.add("name", raw, IssueReason.MISSING_NAME)
        elif len(name) > NAME_MAX:
            self.add("name", raw, IssueReason.NAME_TOO_LONG, limit=NAME_MAX)
        return name

    def _mobile(self) -> str:
        if "mobile" not in self.columns.positions:
            return ""
        raw = self.cells.get("mobile", "")
        try:
            return normalize_mobile(raw)
        except CellError as error:
            reason = {
                "missing": IssueReason.MISSING_MOBILE,
                "digits_lost": IssueReason.MOBILE_DIGITS_LOST,
            }.get(error.reason, IssueReason.INVALID_MOBILE)
            self.add("mobile", raw, reason)
            return ""

    def _post(self) -> Post | None:
        if "post" not in self.columns.positions:
            return None
        raw = self.cells.get("post", "")
        choices = tuple(post.value for post in Post)
        if not raw.strip():
            self.add("post", raw, IssueReason.MISSING_POST, choices=choices)
            return None
        post = Post.parse(raw)
        if post is None:
            self.add("post", raw, IssueReason.UNKNOWN_POST, choices=choices)
        return post

    def _codes(self, post: Post | None) -> tuple[str, ...]:
        if "division" not in self.columns.positions:
            return ()
        raw = self.cells.get("division", "")
        parts = split_values(raw)
        if not parts:
            self.add("division", raw, IssueReason.MISSING_DIVISION)
            return ()

        codes: list[str] = []
        for part in parts:
            try:
                code = normalize_code(part)
            except CellError as error:
                if error.reason == "digits_lost":
                    self.add("division", part, IssueReason.DIVISION_DIGITS_LOST)
                else:
                    self.add("division", part, IssueReason.INVALID_DIVISION_CODE, code=part)
                continue
            division = self.divisions.find(code)
            if division is None:
                table = self.divisions.source
                self.add("division", part, IssueReason.UNKNOWN_DIVISION, code=code, table=table)
                continue
            if post is not None and division.level not in post.levels:
                self.add(
                    "division",
                    part,
                    IssueReason.WRONG_LEVEL,
                    post=post.value,
                    expected=tuple(level.value for level in post.levels),
                    actual=division.level.value,
                    code=code,
                    division=division.name,
                )
                continue
            if code not in codes:
                codes.append(code)
        return tuple(codes)

    def _sections(self) -> tuple[str, ...]:
        raw = self.cells.get("sections", "")
        sections: list[str] = []
        for part in split_values(raw):
            section = "".join(part.split())
            if section not in self.known_sections:
                self.add(
                    "sections",
                    part,
                    IssueReason.UNKNOWN_SECTION,
                    section=part,
                    choices=self.known_sections,
                )
                continue
            sections.append(section)
        return tuple(sections)

    def _tags(self) -> tuple[str, ...]:
        tags: list[str] = []
        for tag in split_values(self.cells.get("tags", "")):
            if len(tag) > TAG_MAX:
                self.add("tags", tag, IssueReason.TAG_TOO_LONG, tag=tag, limit=TAG_MAX)
                continue
            tags.append(tag)
        return tuple(tags)

    def _limited(self, field: str, limit: int, reason: IssueReason) -> str:
        raw = self.cells.get(field, "")
        value = normalize_identifier(raw) if field == "job_number" else raw.strip()
        if len(value) > limit:
            self.add(field, raw, reason, limit=limit)
        return value

    def _email(self) -> str:
        raw = self.cells.get("email", "")
        try:
            email = normalize_email(raw)
        except CellError:
            self.add("email", raw, IssueReason.INVALID_EMAIL)
            return ""
        if len(email) > EMAIL_MAX:
            self.add("email", raw, IssueReason.EMAIL_TOO_LONG, limit=EMAIL_MAX)
        return email


def _detail(value: object) -> str | int | tuple[str, ...]:
    if isinstance(value, int | str):
        return value
    if isinstance(value, tuple | list):
        return tuple(str(item) for item in value)
    return str(value)


def _duplicate_issues(
    field: str,
    reason: IssueReason,
    keyed: Iterable[tuple[int, str, str, str]],
    columns: _Columns,
) -> list[RosterIssue]:
    """Report every row whose key another row also has; ``keyed`` contains (row, key, raw, name)."""
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for row, key, raw, name in keyed:
        if key:
            groups.setdefault(key, []).append((row, raw, name))

    issues: list[RosterIssue] = []
    for entries in groups.values():
        if len(entries) < 2:
            continue
        for row, raw, _name in entries:
            others = [entry for entry in entries if entry[0] != row]
            details: dict[str, str | int | tuple[str, ...]] = {
                "other_rows": tuple(str(other[0]) for other in others),
                "other_names": tuple(other[2] or "?" for other in others),
            }
            issues.append(RosterIssue(row, columns.label(field), raw, reason, details))
    return issues


def parse_roster_rows(
    rows: Iterable[Sequence[object]],
    divisions: DivisionTable,
    *,
    sections: Sequence[str] = DEFAULT_SECTIONS,
    project_groups: Sequence[str] = (),
    source: str = "roster",
) -> Roster:
    """Validate spreadsheet rows (the header row included) and return the roster.

    Row numbers in issues count from 1 at the first row given, as the spreadsheet shows them.
    Raises RosterError listing every problem of every row; nothing is returned unless all rows
    are valid.
    """
    table = [list(row) for row in rows]
    columns, issues = _find_header(table)
    known_sections = tuple(dict.fromkeys([*sections, *project_groups]))

    members: list[StaffMember] = []
    mobiles: list[tuple[int, str, str, str]] = []
    job_numbers: list[tuple[int, str, str, str]] = []
    emails: list[tuple[int, str, str, str]] = []
    if columns is not None:
        for index in range(columns.header_row, len(table)):
            row_number = index + 1
            cells = {
                field: cell_text(table[index][column]) if column < len(table[index]) else ""
                for field, (column, _text) in columns.positions.items()
            }
            if not any(cells.values()):
                continue

            check = _RowCheck(row_number, cells, columns, divisions, known_sections)
            member = check.run()
            issues.extend(check.issues)
            if member is not None:
                members.append(member)

            name = normalize_name(cells.get("name", ""))
            mobile = _normalized_or_empty(normalize_mobile, cells.get("mobile", ""))
            mobiles.append((row_number, mobile, cells.get("mobile", ""), name))
            job_number = normalize_identifier(cells.get("job_number", ""))
            job_numbers.append((row_number, job_number, cells.get("job_number", ""), name))
            email = _normalized_or_empty(normalize_email, cells.get("email", "")).lower()
            emails.append((row_number, email, cells.get("email", ""), name))

        if not mobiles:
            issues.append(RosterIssue(columns.header_row, "", "", IssueReason.EMPTY_ROSTER))

        issues += _duplicate_issues("mobile", IssueReason.DUPLICATE_MOBILE, mobiles, columns)
        issues += _duplicate_issues(
            "job_number", IssueReason.DUPLICATE_JOB_NUMBER, job_numbers, columns
        )
        issues += _duplicate_issues("email", IssueReason.DUPLICATE_EMAIL, emails, columns)

    if issues:
        rank = {}
        if columns is not None:
            rank = {label: index for index, label in columns.positions.values()}
        issues.sort(key=lambda issue: (issue.row, rank.get(issue.column, -1)))
        raise RosterError(issues, source=source)
    return Roster(
        members=tuple(members),
        sections=tuple(sections),
        project_groups=tuple(project_groups),
    )


def _normalized_or_empty(normalize: Callable[[object], str], value: str) -> str:
    try:
        return normalize(value)
    except CellError:
        return ""


def read_roster(
    path: str | os.PathLike[str],
    divisions: DivisionTable,
    *,
    sections: Sequence[str] = DEFAULT_SECTIONS,
    project_groups: Sequence[str] = (),
) -> Roster:
    """Read and validate a roster file: ``.xlsx`` (the active sheet) or ``.csv``.

    CSV files may be UTF-8, UTF-8 with BOM, or GB18030 (what Excel on Chinese Windows writes);
    the encoding is detected. ``sections`` and ``project_groups`` are the names allowed in 科室.
    Raises RosterError listing every problem; returns a Roster only when every row is valid.
    """
    file = Path(path)
    rows = _read_rows(file)
    return parse_roster_rows(
        rows, divisions, sections=sections, project_groups=project_groups, source=file.name
    )


def _read_rows(file: Path) -> list[list[object]]:
    suffix = file.suffix.lower()
    try:
        if suffix == ".xlsx":
            return _read_xlsx(file)
        if suffix == ".csv":
            return _read_csv(file)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        issue = RosterIssue(1, "", "", *_unreadable_reason(file, suffix, error))
        raise RosterError([issue], source=file.name) from error
    shown = suffix or "(无扩展名 / no extension)"
    issue = RosterIssue(1, "", "", IssueReason.UNSUPPORTED_FILE_TYPE, {"suffix": shown})
    raise RosterError([issue], source=file.name)


def _unreadable_reason(
    file: Path, suffix: str, error: Exception
) -> tuple[IssueReason, dict[str, DetailValue]]:
    """Name the usual causes of an unreadable roster in words a clerk can act on."""
    if isinstance(error, OSError) and not isinstance(error, zipfile.BadZipFile):
        return IssueReason.UNREADABLE_FILE, {"detail": f"{type(error).__name__}: {error}"}
    if suffix == ".xlsx":
        return IssueReason.NOT_XLSX, {}
    with file.open("rb") as handle:
        # .xlsx files are zip archives, which start with "PK".
        if handle.read(2) == b"PK":
            return IssueReason.XLSX_NAMED_CSV, {}
    if isinstance(error, UnicodeDecodeError):
        return IssueReason.UNKNOWN_ENCODING, {}
    return IssueReason.UNREADABLE_FILE, {"detail": f"{type(error).__name__}: {error}"}


def _read_xlsx(file: Path) -> list[list[object]]:
    import openpyxl

    # Not read-only: read-only sheets report the stored dimension, which some writers get wrong.
    workbook = openpyxl.load_workbook(file, data_only=True)
    try:
        sheet = workbook.active
        if sheet is None or sheet.sheet_state != "visible":
            sheet = next(ws for ws in workbook.worksheets if ws.sheet_state == "visible")
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def decode_csv_bytes(data: bytes) -> str:
    """Decode a CSV file: UTF-8 with or without BOM, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # GB18030 is a superset of GBK and GB2312, the "ANSI" code page of Chinese Windows.
        return data.decode("gb18030")


def _read_csv(file: Path) -> list[list[object]]:
    text = decode_csv_bytes(file.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


_WRITE_FIELDS = (
    "name",
    "mobile",
    "post",
    "division",
    "sections",
    "tags",
    "job_number",
    "email",
    "remark",
)


def roster_rows(roster: Roster) -> list[list[str]]:
    """Return the roster as spreadsheet rows: the header, then one row per member."""
    rows = [[_COLUMNS[field][0] for field in _WRITE_FIELDS]]
    for member in roster.members:
        rows.append(
            [
                member.name,
                member.mobile,
                member.post.value,
                "、".join(member.division_codes),
                "、".join(member.sections),
                "、".join(member.tags),
                member.job_number or "",
                member.email or "",
                member.remark or "",
            ]
        )
    return rows


def write_roster(
    roster: Roster, path: str | os.PathLike[str], *, encoding: str = "utf-8-sig"
) -> None:
    """Write a roster as ``.xlsx`` or ``.csv`` (by suffix) that read_roster reads back unchanged.

    In the workbook every cell is text, so Excel keeps mobiles and division codes as typed.
    CSV files are written in ``encoding``: UTF-8 with BOM by default, which Excel opens correctly.
    """
    file = Path(path)
    rows = roster_rows(roster)
    suffix = file.suffix.lower()
    if suffix == ".csv":
        with open(file, "w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows(rows)
        return
    if suffix != ".xlsx":
        raise ValueError(f"cannot write a roster to {file.name}: use a .xlsx or .csv suffix")

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    for row in rows:
        sheet.append(row)
    for column_cells in sheet.iter_cols(min_row=2):
        for cell in column_cells:
            cell.number_format = "@"
    workbook.save(file)
