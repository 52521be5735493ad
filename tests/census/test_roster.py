"""Roster import: every bad row reported at once, in .xlsx and in CSV of three encodings."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import attrs
import openpyxl
import pytest

from censusdt.census.divisions import DivisionTable
from censusdt.census.roster import (
    DEFAULT_SECTIONS,
    Post,
    Roster,
    StaffMember,
    parse_roster_rows,
    read_roster,
    write_roster,
)
from censusdt.census.rosterissues import IssueReason, RosterError, RosterIssue

TABLE = DivisionTable.builtin("370783")
COUNTY = "370783000000"
TOWN = "370783001000"  # 圣城街道
VILLAGE = "370783001001"  # 城里居委会
VILLAGE_2 = "370783001002"  # 南关居委会
HEADER = ["姓名", "手机号", "岗位", "区划代码", "科室", "标签", "工号", "邮箱", "备注"]
FORMATS = ["xlsx", "utf-8", "utf-8-sig", "gb18030"]


def write_rows(directory: Path, rows: Sequence[Sequence[object]], fmt: str) -> Path:
    """Write rows as a spreadsheet the way an office would save it."""
    if fmt == "xlsx":
        path = directory / "roster.xlsx"
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return path
    path = directory / f"roster-{fmt}.csv"
    with open(path, "w", encoding=fmt, newline="") as handle:
        csv.writer(handle).writerows(["" if cell is None else cell for cell in row] for row in rows)
    return path


def row(
    name: str,
    mobile: object,
    *,
    post: str = "普查员",
    code: object = VILLAGE,
    sections: str = "",
    tags: str = "",
    job_number: object = "",
    email: str = "",
    remark: str = "",
) -> list[object]:
    return [name, mobile, post, code, sections, tags, job_number, email, remark]


# Each entry: the row, and the (column, reason) pairs it must produce. Row numbers follow from
# the position: the header is row 1, the first entry row 2.
BAD_ROSTER: list[tuple[list[object], list[tuple[str, IssueReason]]]] = [
    (row("张伟", "15400000002", tags="党员"), []),
    (row("", "15400000003"), [("姓名", IssueReason.MISSING_NAME)]),
    (row("李娜", ""), [("手机号", IssueReason.MISSING_MOBILE)]),
    (row("王芳", "1540000005"), [("手机号", IssueReason.INVALID_MOBILE)]),
    (row("刘洋", "15400000006"), [("手机号", IssueReason.DUPLICATE_MOBILE)]),
    (row("陈静", "154-0000-0006"), [("手机号", IssueReason.DUPLICATE_MOBILE)]),
    (row("杨磊", "15400000008", code="370783999999"), [("区划代码", IssueReason.UNKNOWN_DIVISION)]),
    (row("赵军", "15400000009", code=TOWN), [("区划代码", IssueReason.WRONG_LEVEL)]),
    (
        row("孙勇", "15400000010", post="县普查办工作人员", code=COUNTY, sections="财务科"),
        [("科室", IssueReason.UNKNOWN_SECTION)],
    ),
    (row("周艳", "15400000011", email="zhouyan@"), [("邮箱", IssueReason.INVALID_EMAIL)]),
    (row("吴杰", "15400000012", job_number="RP9"), [("工号", IssueReason.DUPLICATE_JOB_NUMBER)]),
    (row("徐娟", "15400000013", job_number="RP9"), [("工号", IssueReason.DUPLICATE_JOB_NUMBER)]),
    (row("朱涛", "15400000014", post="村长"), [("岗位", IssueReason.UNKNOWN_POST)]),
    (row("马" * 81, "15400000015"), [("姓名", IssueReason.NAME_TOO_LONG)]),
    (row("胡明", "15400000016", tags="党员、" + "长" * 65), [("标签", IssueReason.TAG_TOO_LONG)]),
    (row("郭超", "1.54E+10"), [("手机号", IssueReason.MOBILE_DIGITS_LOST)]),
    (
        row("", "15400000018", post="", code="123"),
        [
            ("姓名", IssueReason.MISSING_NAME),
            ("岗位", IssueReason.MISSING_POST),
            ("区划代码", IssueReason.INVALID_DIVISION_CODE),
        ],
    ),
    (row("何秀英", "15400000019", email="he@example.com"), [("邮箱", IssueReason.DUPLICATE_EMAIL)]),
    (row("高霞", "15400000020", email="HE@example.com"), [("邮箱", IssueReason.DUPLICATE_EMAIL)]),
    (
        row("林平", "15400000021", code="3.70783E+11"),
        [("区划代码", IssueReason.DIVISION_DIGITS_LOST)],
    ),
    (row("罗刚", "15400000022", code=""), [("区划代码", IssueReason.MISSING_DIVISION)]),
    (row("郑桂英", "15400000023", remark="备" * 2001), [("备注", IssueReason.REMARK_TOO_LONG)]),
    (row("梁华", "15400000024", job_number="J" * 51), [("工号", IssueReason.JOB_NUMBER_TOO_LONG)]),
    (
        row("谢玉兰", "15400000025", email="a" * 40 + "@example.com"),
        [("邮箱", IssueReason.EMAIL_TOO_LONG)],
    ),
    (row("宋鹏", "15400000026", post="指导员", code=f"{VILLAGE}、{VILLAGE_2}"), []),
]


def expected_issues() -> set[tuple[int, str, IssueReason]]:
    return {
        (index + 2, column, reason)
        for index, (_, issues) in enumerate(BAD_ROSTER)
        for column, reason in issues
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_roster_reports_every_row(tmp_path: Path, fmt: str) -> None:
    path = write_rows(tmp_path, [HEADER, *(cells for cells, _ in BAD_ROSTER)], fmt)

    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)

    found = {(issue.row, issue.column, issue.reason) for issue in caught.value.issues}
    assert found == expected_issues()
    assert len(caught.value.issues) == len(expected_issues())
    assert caught.value.source == path.name


def test_duplicate_mobile_names_both_rows(tmp_path: Path) -> None:
    path = write_rows(tmp_path, [HEADER, *(cells for cells, _ in BAD_ROSTER)], "xlsx")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)

    duplicates = {
        issue.row: issue
        for issue in caught.value.issues
        if issue.reason is IssueReason.DUPLICATE_MOBILE
    }
    assert set(duplicates) == {6, 7}
    assert duplicates[6].details["other_rows"] == ("7",)
    assert duplicates[6].details["other_names"] == ("陈静",)
    assert duplicates[7].details["other_names"] == ("刘洋",)
    assert duplicates[6].describe() == (
        "第 6 行「手机号」：手机号重复，另见第 7 行（陈静）；钉钉内手机号必须唯一：154****0006"
    )
    assert duplicates[7].describe("en") == (
        "row 7, 手机号: duplicate mobile number, also in row 6 (刘洋); "
        "DingTalk requires unique mobiles: '154-****-**06'"
    )


def test_issue_messages_in_both_languages(tmp_path: Path) -> None:
    path = write_rows(tmp_path, [HEADER, *(cells for cells, _ in BAD_ROSTER)], "utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    error = caught.value
    by_reason = {issue.reason: issue for issue in error.issues}

    wrong_level = by_reason[IssueReason.WRONG_LEVEL]
    assert wrong_level.describe() == (
        "第 9 行「区划代码」：岗位「普查员」应填村级区划代码，370783001000（圣城街道）是乡级"
    )
    assert wrong_level.describe("en") == (
        "row 9, 区划代码: post 普查员 needs a village division code, "
        "but 370783001000 (圣城街道) is a town"
    )
    unknown_post = by_reason[IssueReason.UNKNOWN_POST]
    assert "可填：普查员、普查指导员、乡镇普查办工作人员、县普查办工作人员：村长" in (
        unknown_post.describe()
    )

    report = error.describe()
    assert report.startswith(f"花名册 {path.name} 有 {len(error.issues)} 处问题，未导入任何人员：")
    assert error.describe("en").startswith(f"The roster {path.name} has {len(error.issues)}")
    assert isinstance(error, ValueError)
    assert "15400000006" not in str(error)
    assert "15400000006" not in report
    assert "15400000006" not in repr(error.issues)


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_roster(tmp_path: Path, fmt: str) -> None:
    path = write_rows(tmp_path, [HEADER, [None] * len(HEADER)], fmt)
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    (issue,) = caught.value.issues
    assert issue.reason is IssueReason.EMPTY_ROSTER
    assert issue.describe() == "第 1 行：花名册没有任何人员行"


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_columns(tmp_path: Path, fmt: str) -> None:
    header = ["姓名", "手机号", "岗位", "科室"]
    path = write_rows(tmp_path, [header, ["张伟", "15400000002", "普查员", ""]], fmt)
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    found = {(issue.row, issue.column, issue.reason) for issue in caught.value.issues}
    assert found == {
        (1, "区划代码", IssueReason.MISSING_COLUMN),
        (1, "标签", IssueReason.MISSING_COLUMN),
    }
    assert (
        caught.value.issues[0].describe()
        == "第 1 行「区划代码」：缺少必填列，请在表头加上「区划代码」"
    )


def test_no_header_at_all(tmp_path: Path) -> None:
    path = write_rows(tmp_path, [["a", "b"], ["c", "d"]], "utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    assert {issue.reason for issue in caught.value.issues} == {IssueReason.MISSING_COLUMN}
    assert len(caught.value.issues) == 6


def test_duplicate_header_column(tmp_path: Path) -> None:
    header = [*HEADER, "联系电话"]
    path = write_rows(tmp_path, [header, [*row("张伟", "15400000002"), "15400000003"]], "utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    (issue,) = caught.value.issues
    assert issue.reason is IssueReason.DUPLICATE_COLUMN
    assert issue.column == "联系电话"
    assert "第 2 列和第 10 列" in issue.describe()


def excel_mess_rows() -> list[list[object]]:
    """Header variants, a title row, and cells as Excel and people write them."""
    return [
        ["寿光市第七次全国人口普查人员花名册"],
        [
            "序号",
            " 姓 名 ",
            "手机",
            "角色",
            "区划代码（12位）",
            "科室*",
            "人员标签",
            "员工编号",
            "电子邮箱",
        ],
        [1, "张　伟", 15400000001, "普查员", 370783001001, "", "党员，长表普查员", "", ""],
        [2, "王 芳", 15400000002.0, " 普查指导员 ", "370783001001；370783001002", "", "", "", ""],
        [3, "李娜", "1.54000000030E10", "普查员", "'370783001002", "", "", "", ""],
        [],
        [4, "刘洋", "+86 154-0000-0004", "乡镇普查办工作人员", "370783001", "", "", 1001.0, ""],
        [
            5,
            "陈静",
            "１５４０００００００５",
            "县普查办工作人员",
            "370783",
            "业务组;质量抽查组",
            "",
            "",
            " chen@example.com ",
        ],
        [6, "杨磊", "0086 15400000006\u00a0", "普查员", "３７０７８３００１００１", "", "", "", ""],
    ]


EXPECTED_MEMBERS = (
    StaffMember("张伟", "15400000001", Post.ENUMERATOR, (VILLAGE,), tags=("党员", "长表普查员")),
    StaffMember("王芳", "15400000002", Post.SUPERVISOR, (VILLAGE, VILLAGE_2)),
    StaffMember("李娜", "15400000003", Post.ENUMERATOR, (VILLAGE_2,)),
    StaffMember("刘洋", "15400000004", Post.TOWN_STAFF, (TOWN,), job_number="1001"),
    StaffMember(
        "陈静",
        "15400000005",
        Post.COUNTY_STAFF,
        (COUNTY,),
        sections=("业务组", "质量抽查组"),
        email="chen@example.com",
    ),
    StaffMember("杨磊", "15400000006", Post.ENUMERATOR, (VILLAGE,)),
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_excel_mess_normalised(tmp_path: Path, fmt: str) -> None:
    path = write_rows(tmp_path, excel_mess_rows(), fmt)
    roster = read_roster(path, TABLE, project_groups=("质量抽查组",))
    assert roster.members == EXPECTED_MEMBERS
    assert roster.sections == DEFAULT_SECTIONS
    assert roster.project_groups == ("质量抽查组",)


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_numbers_follow_title_and_blank_rows(tmp_path: Path, fmt: str) -> None:
    rows = excel_mess_rows()
    rows[4][2] = "1.54E+10"
    rows[8][3] = "组长"
    path = write_rows(tmp_path, rows, fmt)
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE, project_groups=("质量抽查组",))
    found = {(issue.row, issue.column, issue.reason) for issue in caught.value.issues}
    assert found == {
        (5, "手机", IssueReason.MOBILE_DIGITS_LOST),
        (9, "角色", IssueReason.UNKNOWN_POST),
    }


def test_unknown_project_group_without_configuration(tmp_path: Path) -> None:
    path = write_rows(tmp_path, excel_mess_rows(), "xlsx")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    (issue,) = caught.value.issues
    assert issue.reason is IssueReason.UNKNOWN_SECTION
    assert issue.row == 8
    assert issue.value == "质量抽查组"


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    (issue,) = caught.value.issues
    assert issue.reason is IssueReason.UNSUPPORTED_FILE_TYPE
    assert "save the roster as .xlsx or .csv" in issue.describe("en")
    assert "不支持 .xls 文件" in issue.describe("zh")


def test_corrupt_workbook(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    assert caught.value.issues[0].reason is IssueReason.NOT_XLSX
    assert "Error" not in caught.value.issues[0].describe("zh")


def test_workbook_named_csv(tmp_path: Path) -> None:
    workbook = tmp_path / "good.xlsx"
    workbook.write_bytes(b"PK\x03\x04rest of a zip archive")
    renamed = tmp_path / "roster.csv"
    renamed.write_bytes(workbook.read_bytes() + bytes(range(128, 256)))
    with pytest.raises(RosterError) as caught:
        read_roster(renamed, TABLE)
    assert caught.value.issues[0].reason is IssueReason.XLSX_NAMED_CSV


def test_utf16_csv_reports_encoding(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes("姓名,手机号\n".encode("utf-16") + bytes([0x95, 0xFF, 0x80]))
    with pytest.raises(RosterError) as caught:
        read_roster(path, TABLE)
    assert caught.value.issues[0].reason is IssueReason.UNKNOWN_ENCODING


def test_gb18030_csv_detected(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    lines = ["姓名,手机号,岗位,区划代码,科室,标签", "欧阳明,15400000001,普查员,370783001001,,党员"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    roster = read_roster(path, TABLE)
    assert roster.members[0].name == "欧阳明"
    assert roster.members[0].tags == ("党员",)


def test_tab_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "tabs.csv"
    lines = [
        "姓名\t手机号\t岗位\t区划代码\t科室\t标签",
        "张伟\t15400000001\t普查员\t370783001001\t\t",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert read_roster(path, TABLE).members[0].mobile == "15400000001"


def test_parse_rows_in_memory() -> None:
    roster = parse_roster_rows([HEADER, row("张伟", 15400000001)], TABLE)
    assert roster.members == (StaffMember("张伟", "15400000001", Post.ENUMERATOR, (VILLAGE,)),)


def test_check_finds_problems_of_edited_roster() -> None:
    member = StaffMember("张伟", "15400000001", Post.ENUMERATOR, (VILLAGE,))
    twin = attrs.evolve(member, name="张伟二")
    roster = Roster(members=(member, twin))
    with pytest.raises(RosterError) as caught:
        roster.check(TABLE)
    assert [(i.row, i.reason) for i in caught.value.issues] == [
        (2, IssueReason.DUPLICATE_MOBILE),
        (3, IssueReason.DUPLICATE_MOBILE),
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_write_then_read(tmp_path: Path, suffix: str) -> None:
    roster = Roster(EXPECTED_MEMBERS, project_groups=("质量抽查组",))
    path = tmp_path / f"out{suffix}"
    write_roster(roster, path)
    assert read_roster(path, TABLE, project_groups=("质量抽查组",)) == roster


def test_written_workbook_cells_are_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_roster(Roster(EXPECTED_MEMBERS, project_groups=("质量抽查组",)), path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B2"].value == "15400000001"
    assert sheet["B2"].number_format == "@"
    assert sheet["D2"].value == VILLAGE


def test_write_rejects_other_suffix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"use a \.xlsx or \.csv suffix"):
        write_roster(Roster(EXPECTED_MEMBERS), tmp_path / "out.xls")


def test_roster_lookup_masks_mobile() -> None:
    roster = Roster(EXPECTED_MEMBERS)
    assert roster.by_mobile("15400000003").name == "李娜"
    assert "15400000003" not in repr(roster.members[2])
    with pytest.raises(KeyError, match=r"154\*\*\*\*9999"):
        roster.by_mobile("15400009999")


def test_post_aliases() -> None:
    assert Post.parse("指导员") is Post.SUPERVISOR
    assert Post.parse(" 普 查 员 ") is Post.ENUMERATOR
    assert Post.parse("县级普查机构工作人员") is Post.COUNTY_STAFF
    assert Post.parse("组长") is None
    assert Post.SUPERVISOR.label_en == "supervisor"


@pytest.mark.parametrize("reason", list(IssueReason))
def test_every_reason_renders(reason: IssueReason) -> None:
    issue = RosterIssue(4, "手机号", "15400000004", reason)
    chinese = issue.describe()
    english = issue.describe("en")
    assert chinese.startswith("第 4 行「手机号」：")
    assert english.startswith("row 4, 手机号: ")
    assert chinese != english
    assert "15400000004" not in chinese + english + repr(issue)
