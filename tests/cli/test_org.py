"""``censusdt org`` against the fake over real HTTP, and ``censusdt rehearse --fast``."""

from __future__ import annotations

import json

import attrs
import pytest
from click.testing import CliRunner

from censusdt.census.divisions import Division, DivisionLevel
from censusdt.census.roster import write_roster
from censusdt.census.rostergen import generate_roster
from censusdt.cli import cli
from censusdt.cli._i18n import set_language
from censusdt_fake.models.contacts import ContactsState

COUNTY = "370772000000"
_CSV_HEADER = "code,level,name,parent_code\n"


@pytest.fixture(autouse=True)
def chinese_output():
    set_language("zh")
    yield
    set_language("zh")


@pytest.fixture
def roster_files(tmp_path):
    """A three-village division table and a roster generated for it."""
    from censusdt.census.divisions import DivisionTable

    rows = [
        Division(COUNTY, DivisionLevel.COUNTY, "滨海区", "370700000000"),
        Division("370772004000", DivisionLevel.TOWN, "央子街道", COUNTY),
        Division("370772004200", DivisionLevel.VILLAGE, "崔家央子村委会", "370772004000"),
        Division("370772004201", DivisionLevel.VILLAGE, "新立村委会", "370772004000"),
        Division("370772004203", DivisionLevel.VILLAGE, "丰台农业村委会", "370772004000"),
    ]
    divisions_file = tmp_path / "divisions.csv"
    lines = [f"{row.code},{row.level.value},{row.name},{row.parent_code}\n" for row in rows]
    divisions_file.write_text(_CSV_HEADER + "".join(lines), encoding="utf-8")
    roster = generate_roster(DivisionTable(rows), COUNTY, seed=5, staff_per_section=(1, 1))
    roster_file = tmp_path / "花名册.xlsx"
    write_roster(roster, roster_file)
    return roster_file, divisions_file, roster


def _connection(server, fake):
    app = fake.default_app
    return ["--app-key", app.app_key, "--app-secret", app.app_secret, "--base-url", server.url]


def test_plan_prints_counts_in_chinese(roster_files):
    roster_file, divisions_file, roster = roster_files
    result = CliRunner().invoke(
        cli, ["org", "plan", str(roster_file), "--divisions", str(divisions_file)]
    )
    assert result.exit_code == 0, result.output
    assert "组织架构计划" in result.output
    assert "人员" in result.output
    assert str(len(roster)) in result.output


def test_plan_in_english(roster_files):
    roster_file, divisions_file, _ = roster_files
    result = CliRunner().invoke(
        cli, ["--lang", "en", "org", "plan", str(roster_file), "--divisions", str(divisions_file)]
    )
    assert result.exit_code == 0, result.output
    assert "Org plan" in result.output


def test_plan_without_county_fails_with_hint(roster_files):
    roster_file, _, _ = roster_files
    result = CliRunner().invoke(cli, ["org", "plan", str(roster_file)])
    assert result.exit_code == 2
    assert "--county" in result.output


def test_apply_dry_run_sends_no_writes(roster_files, dingtalk_server, dingtalk_fake):
    roster_file, divisions_file, _ = roster_files
    arguments = ["org", "apply", str(roster_file), "--divisions", str(divisions_file)]
    result = CliRunner().invoke(
        cli, [*arguments, "--dry-run", *_connection(dingtalk_server, dingtalk_fake)]
    )
    assert result.exit_code == 0, result.output
    assert "试运行" in result.output
    state = dingtalk_fake.default_corp.ext(ContactsState)
    assert len(state.departments) == 1
    assert state.users == {}


def test_apply_then_reapply_over_http(roster_files, dingtalk_server, dingtalk_fake, tmp_path):
    roster_file, divisions_file, roster = roster_files
    journal = tmp_path / "apply.jsonl"
    arguments = [
        "org",
        "apply",
        str(roster_file),
        "--divisions",
        str(divisions_file),
        "--journal",
        str(journal),
        *_connection(dingtalk_server, dingtalk_fake),
    ]

    first = CliRunner().invoke(cli, arguments)
    assert first.exit_code == 0, first.output
    assert "新建部门" in first.output
    state = dingtalk_fake.default_corp.ext(ContactsState)
    assert len(state.users) == len(roster)
    assert len(state.departments) == 1 + 5 + len(roster.sections)
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert entries[-1]["state"] == "complete"
    done = [entry for entry in entries if entry["state"] == "done"]
    assert len(done) == sum(1 for entry in entries if entry["state"] == "begin")

    writes_before = [entry.path for entry in dingtalk_fake.calls() if "create" in entry.path]
    second = CliRunner().invoke(cli, arguments)
    assert second.exit_code == 0, second.output
    assert "无需任何更改" in second.output
    writes_after = [entry.path for entry in dingtalk_fake.calls() if "create" in entry.path]
    assert writes_after == writes_before


def test_apply_reports_dingtalk_error(roster_files, dingtalk_server, dingtalk_fake):
    roster_file, divisions_file, _ = roster_files
    dingtalk_fake.add_fault("invalid_token", path="/topapi/v2/department/get")
    result = CliRunner().invoke(
        cli,
        [
            "org",
            "apply",
            str(roster_file),
            "--divisions",
            str(divisions_file),
            *_connection(dingtalk_server, dingtalk_fake),
        ],
    )
    assert result.exit_code == 1
    assert "40014" in result.output


def test_rehearse_fast_small_county(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["rehearse", "--fast", "--county", "370772", "--only", "org", "--workdir", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert "组织架构演练结果" in result.output
    assert "再次应用写入调用" in result.output
    assert list(tmp_path.glob("花名册-*.xlsx"))


def test_plan_with_credentials_lists_changes_in_english(roster_files, dingtalk_server, dingtalk_fake):
    roster_file, divisions_file, _ = roster_files
    result = CliRunner().invoke(
        cli,
        [
            "--lang",
            "en",
            "org",
            "plan",
            str(roster_file),
            "--divisions",
            str(divisions_file),
            *_connection(dingtalk_server, dingtalk_fake),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Org plan" in result.output
    assert "滨海区" in result.output
    creates = [entry for entry in dingtalk_fake.calls() if entry.path.endswith("/create")]
    assert creates == []


def test_dry_run_points_to_remove_extra(roster_files, dingtalk_server, dingtalk_fake, tmp_path):
    roster_file, divisions_file, roster = roster_files
    connection = _connection(dingtalk_server, dingtalk_fake)
    applied = CliRunner().invoke(
        cli, ["org", "apply", str(roster_file), "--divisions", str(divisions_file), *connection]
    )
    assert applied.exit_code == 0, applied.output
    shorter = tmp_path / "少一人.xlsx"
    write_roster(attrs.evolve(roster, members=roster.members[1:]), shorter)

    result = CliRunner().invoke(
        cli,
        ["org", "apply", str(shorter), "--divisions", str(divisions_file), "--dry-run", *connection],
    )

    assert result.exit_code == 0, result.output
    assert "无需任何更改" not in result.output
    assert "--remove-extra" in result.output
    assert "1 名人员" in result.output


def test_plan_accepts_project_groups(tmp_path):
    from censusdt.census.divisions import DivisionTable

    divisions = DivisionTable.builtin("370783")
    roster = generate_roster(divisions, "370783", seed=3, project_groups=["质量抽查组"])
    roster_file = tmp_path / "花名册.csv"
    write_roster(roster, roster_file)
    base = ["org", "plan", str(roster_file), "--county", "370783"]

    rejected = CliRunner().invoke(cli, base)
    accepted = CliRunner().invoke(cli, [*base, "--project-group", "质量抽查组"])

    assert rejected.exit_code == 1
    assert "质量抽查组" in rejected.output
    assert accepted.exit_code == 0, accepted.output
