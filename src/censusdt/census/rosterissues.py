"""Roster problems: one issue per bad cell, rendered in Chinese or English, raised together."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs

from censusdt._errors import DingTalkError
from censusdt._masking import mask_mobiles

__all__ = ["IssueReason", "Language", "RosterError", "RosterIssue"]

Language = Literal["zh", "en"]


class IssueReason(enum.Enum):
    """Reason a roster row, column or file was rejected."""

    UNREADABLE_FILE = "unreadable_file"
    NOT_XLSX = "not_xlsx"
    XLSX_NAMED_CSV = "xlsx_named_csv"
    UNKNOWN_ENCODING = "unknown_encoding"
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    EMPTY_ROSTER = "empty_roster"
    MISSING_NAME = "missing_name"
    NAME_TOO_LONG = "name_too_long"
    MISSING_MOBILE = "missing_mobile"
    INVALID_MOBILE = "invalid_mobile"
    MOBILE_DIGITS_LOST = "mobile_digits_lost"
    DUPLICATE_MOBILE = "duplicate_mobile"
    MISSING_POST = "missing_post"
    UNKNOWN_POST = "unknown_post"
    MISSING_DIVISION = "missing_division"
    INVALID_DIVISION_CODE = "invalid_division_code"
    DIVISION_DIGITS_LOST = "division_digits_lost"
    UNKNOWN_DIVISION = "unknown_division"
    WRONG_LEVEL = "wrong_level"
    UNKNOWN_SECTION = "unknown_section"
    INVALID_EMAIL = "invalid_email"
    EMAIL_TOO_LONG = "email_too_long"
    DUPLICATE_EMAIL = "duplicate_email"
    JOB_NUMBER_TOO_LONG = "job_number_too_long"
    DUPLICATE_JOB_NUMBER = "duplicate_job_number"
    TAG_TOO_LONG = "tag_too_long"
    REMARK_TOO_LONG = "remark_too_long"
    TOO_MANY_DEPARTMENTS = "too_many_departments"


# (Chinese, English) templates; {placeholders} come from RosterIssue.details.
_TEMPLATES: dict[IssueReason, tuple[str, str]] = {
    IssueReason.UNREADABLE_FILE: ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    IssueReason.NOT_XLSX: (
        "文件不是有效的 Excel 工作簿（.xlsx），请在 Excel 中另存为 .xlsx 后重试",
        "the file is not a valid Excel workbook (.xlsx); save it as .xlsx in Excel and try again",
    ),
    IssueReason.XLSX_NAMED_CSV: (
        "这是一个 Excel 文件，请把扩展名改为 .xlsx，或在 Excel 中另存为 CSV",
        "this is an Excel file; rename it to .xlsx or save it as CSV in Excel",
    ),
    IssueReason.UNKNOWN_ENCODING: (
        "无法识别 CSV 的文字编码，请另存为“CSV UTF-8”或 GB18030 编码",
        "the CSV encoding is not recognised; save it as CSV UTF-8 or GB18030",
    ),
    IssueReason.UNSUPPORTED_FILE_TYPE: (
        "不支持 {suffix} 文件，请另存为 .xlsx 或 .csv（.xls 文件请在 Excel 中另存为 .xlsx）",
        "{suffix} files are not supported; save the roster as .xlsx or .csv (open an .xls file in Excel and save it as .xlsx)",
    ),
    IssueReason.MISSING_COLUMN: (
        "缺少必填列，请在表头加上「{column}」",
        "missing required column; add a header named {column}",
    ),
    IssueReason.DUPLICATE_COLUMN: (
        "表头中有两列都表示「{field}」（第 {first} 列和第 {second} 列），请删除一列",
        "two header columns both mean {field} (columns {first} and {second}); delete one",
    ),
    IssueReason.EMPTY_ROSTER: ("花名册没有任何人员行", "the roster has no data rows"),
    IssueReason.MISSING_NAME: ("姓名为空", "missing name"),
    IssueReason.NAME_TOO_LONG: (
        "姓名超过钉钉上限 {limit} 个字符",
        "name is longer than DingTalk's limit of {limit} characters",
    ),
    IssueReason.MISSING_MOBILE: ("手机号为空", "missing mobile number"),
    IssueReason.INVALID_MOBILE: (
        "不是有效的中国大陆手机号（11 位数字，以 1 开头）",
        "not a valid mainland mobile number (11 digits starting with 1)",
    ),
    IssueReason.MOBILE_DIGITS_LOST: (
        "手机号被 Excel 存成科学计数法，末尾数字已丢失；请把该列设为文本格式后重新填写",
        "Excel stored the mobile number in scientific notation and lost its last digits; "
        "format the column as text and type the number again",
    ),
    IssueReason.DUPLICATE_MOBILE: (
        "手机号重复，另见第 {other_rows} 行（{other_names}）；钉钉内手机号必须唯一",
        "duplicate mobile number, also in row {other_rows} ({other_names}); "
        "DingTalk requires unique mobiles",
    ),
    IssueReason.MISSING_POST: ("岗位为空，可填：{choices}", "missing post; use one of: {choices}"),
    IssueReason.UNKNOWN_POST: ("未知岗位，可填：{choices}", "unknown post; use one of: {choices}"),
    IssueReason.MISSING_DIVISION: ("区划代码为空", "missing division code"),
    IssueReason.INVALID_DIVISION_CODE: (
        "区划代码「{code}」应为 12 位数字（统计用区划代码）",
        "division code {code!r} must be 12 digits (statistical division code)",
    ),
    IssueReason.DIVISION_DIGITS_LOST: (
        "区划代码被 Excel 存成科学计数法，末尾数字已丢失；请把该列设为文本格式后重新填写",
        "Excel stored the division code in scientific notation and lost its last digits; "
        "format the column as text and type the code again",
    ),
    IssueReason.UNKNOWN_DIVISION: (
        "区划代码 {code} 不在区划表 {table} 中",
        "division code {code} is not in the division table {table}",
    ),
    IssueReason.WRONG_LEVEL: (
        "岗位「{post}」应填{expected}区划代码，{code}（{division}）是{actual}",
        "post {post} needs a {expected} division code, but {code} ({division}) is a {actual}",
    ),
    IssueReason.UNKNOWN_SECTION: (
        "未知科室或项目组「{section}」，可填：{choices}",
        "unknown section or project group {section}; use one of: {choices}",
    ),
    IssueReason.INVALID_EMAIL: ("邮箱格式不正确", "invalid email address"),
    IssueReason.EMAIL_TOO_LONG: (
        "邮箱超过钉钉上限 {limit} 个字符",
        "email is longer than DingTalk's limit of {limit} characters",
    ),
    IssueReason.DUPLICATE_EMAIL: (
        "邮箱重复，另见第 {other_rows} 行（{other_names}）；钉钉内邮箱必须唯一",
        "duplicate email, also in row {other_rows} ({other_names}); "
        "DingTalk requires unique emails",
    ),
    IssueReason.JOB_NUMBER_TOO_LONG: (
        "工号超过钉钉上限 {limit} 个字符",
        "job number is longer than DingTalk's limit of {limit} characters",
    ),
    IssueReason.DUPLICATE_JOB_NUMBER: (
        "工号重复，另见第 {other_rows} 行（{other_names}）",
        "duplicate job number, also in row {other_rows} ({other_names})",
    ),
    IssueReason.TAG_TOO_LONG: (
        "标签「{tag}」超过 {limit} 个字符",
        "tag {tag} is longer than {limit} characters",
    ),
    IssueReason.REMARK_TOO_LONG: (
        "备注超过钉钉上限 {limit} 个字符",
        "remark is longer than DingTalk's limit of {limit} characters",
    ),
    IssueReason.TOO_MANY_DEPARTMENTS: (
        "此人将属于 {count} 个部门，超过钉钉上限 {limit} 个",
        "this person would belong to {count} departments, more than DingTalk's limit of {limit}",
    ),
}

# Reasons whose value is a mobile number, masked wherever an issue is shown.
_MOBILE_REASONS = frozenset(
    {
        IssueReason.MISSING_MOBILE,
        IssueReason.INVALID_MOBILE,
        IssueReason.MOBILE_DIGITS_LOST,
        IssueReason.DUPLICATE_MOBILE,
    }
)

# Reasons whose message already names the value.
_VALUE_IN_MESSAGE = frozenset(
    {
        IssueReason.INVALID_DIVISION_CODE,
        IssueReason.UNKNOWN_DIVISION,
        IssueReason.WRONG_LEVEL,
        IssueReason.UNKNOWN_SECTION,
        IssueReason.TAG_TOO_LONG,
    }
)

_LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "county": ("县级", "county"),
    "town": ("乡级", "town"),
    "village": ("村级", "village"),
}

DetailValue = str | int | tuple[str, ...]

_MOBILE_DIGITS = re.compile(r"1[3-9]\d{9}")


@attrs.frozen
class RosterIssue:
    """One problem in a roster: the spreadsheet row (header = row 1), the column, the value, why.

    ``details`` contains what the message names besides the value (other rows, allowed choices,
    limits). ``describe()`` renders the issue in Chinese by default and masks mobile numbers.
    """

    row: int
    column: str
    value: str = attrs.field(repr=lambda value: repr(_mask_if_mobile(value)))
    reason: IssueReason
    details: Mapping[str, DetailValue] = attrs.field(factory=dict, hash=False)

    def describe(self, lang: Language = "zh") -> str:
        """Render the issue as one line for the person who fixes the spreadsheet."""
        zh_template, en_template = _TEMPLATES[self.reason]
        template = zh_template if lang == "zh" else en_template
        fields = {key: _render_detail(key, value, lang) for key, value in self.details.items()}
        fields.setdefault("column", self.column)
        message = template.format_map(_Fields(fields))

        value = self._shown_value()
        if lang == "zh":
            where = f"第 {self.row} 行「{self.column}」" if self.column else f"第 {self.row} 行"
            text = f"{where}：{message}"
            return f"{text}：{value}" if value else text
        where = f"row {self.row}, {self.column}" if self.column else f"row {self.row}"
        text = f"{where}: {message}"
        return f"{text}: {value!r}" if value else text

    def _shown_value(self) -> str:
        if self.reason in _MOBILE_REASONS:
            return _mask_any_mobile(self.value)
        # A reason whose template names the value already does not repeat it.
        if self.reason in _VALUE_IN_MESSAGE:
            return ""
        # A mobile typed into another column is still a mobile.
        return _mask_if_mobile(self.value)

    def __str__(self) -> str:
        return self.describe("en")


class _Fields(dict[str, str]):
    """Template fields that render a detail missing from the issue as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def _render_detail(key: str, value: DetailValue, lang: Language) -> str:
    index = 0 if lang == "zh" else 1
    if key in ("expected", "actual"):
        parts = value if isinstance(value, tuple) else (str(value),)
        words = [_LEVEL_WORDS.get(part, (part, part))[index] for part in parts]
        return "或".join(words) if lang == "zh" else " or ".join(words)
    if isinstance(value, tuple):
        return "、".join(value) if lang == "zh" else ", ".join(value)
    return str(value)


def _mask_if_mobile(value: str) -> str:
    """Mask a value whose digits contain a mobile number, however it is written; keep others."""
    digits = "".join(character for character in value if character.isdigit())
    return _mask_any_mobile(value) if _MOBILE_DIGITS.search(digits) else value


def _mask_any_mobile(value: str) -> str:
    """Mask a well-formed mobile number, or the middle of whatever digits an invalid one has."""
    masked = mask_mobiles(value)
    if masked != value:
        return masked
    digits = sum(character.isdigit() for character in value)
    if digits < 7:
        return value
    kept_front, kept_back = 3, 2
    seen = 0
    characters = []
    for character in value:
        if character.isdigit():
            seen += 1
            if kept_front < seen <= digits - kept_back:
                characters.append("*")
                continue
        characters.append(character)
    return "".join(characters)


class RosterError(DingTalkError, ValueError):
    """A roster with problems; nothing from it may be applied. ``issues`` lists every problem."""

    def __init__(self, issues: Sequence[RosterIssue], *, source: str = "roster") -> None:
        self.issues = sorted(issues, key=lambda issue: issue.row)
        self.source = source
        lines = "\n".join(f"  - {issue.describe('en')}" for issue in self.issues)
        super().__init__(f"{source} has {len(self.issues)} problem(s):\n{lines}")

    def describe(self, lang: Language = "zh") -> str:
        """Render the whole report: a heading line, then one line per issue."""
        if lang == "zh":
            heading = f"花名册 {self.source} 有 {len(self.issues)} 处问题，未导入任何人员："
        else:
            count = len(self.issues)
            heading = f"The roster {self.source} has {count} problem(s); nobody was imported:"
        lines = [heading, *(f"  - {issue.describe(lang)}" for issue in self.issues)]
        return "\n".join(lines)
