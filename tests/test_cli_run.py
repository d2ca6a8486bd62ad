"""`outreach run` end to end: exit codes, then the workbook's cells read back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.workbook.layout import (
    CHANGE_COLUMNS,
    CONTACT_COLUMNS,
    DRAFT_COLUMNS,
    EMPLOYER_COLUMNS,
    REVIEW_COLUMNS,
    SHEETS,
    SKIPPED_COLUMNS,
)
from tests.conftest import SAMPLE, read_sheet, run_workspace, sheet_headers

SPEC_CONTACT_COLUMNS = [
    "Rank", "Tier", "Score", "Name", "Title", "Company", "Relationship", "Why", "Email",
    "LinkedIn", "Status", "Date Sent", "Next Action", "Due", "Notes", "Sources", "Contact ID",
]  # fmt: skip
SPEC_DRAFT_COLUMNS = [
    "Contact ID", "Name", "Channel", "Step", "Subject", "Message", "Characters", "Limit", "Flags",
]  # fmt: skip


def test_run_writes_every_sheet_with_contract_columns(run_cli, workspace: Path) -> None:
    result = run_workspace(run_cli, workspace)
    assert result.exit_code == 0, result.output
    out = workspace / "out.xlsx"
    assert load_workbook(out, read_only=True).sheetnames == list(SHEETS)
    contacts_header = sheet_headers(out, "Contacts")
    for column in SPEC_CONTACT_COLUMNS:
        assert column in contacts_header
    assert contacts_header == [h for h, _ in CONTACT_COLUMNS]
    for column in SPEC_DRAFT_COLUMNS:
        assert column in sheet_headers(out, "Drafts")
    assert sheet_headers(out, "Drafts") == [h for h, _ in DRAFT_COLUMNS]
    assert sheet_headers(out, "Employers") == [h for h, _ in EMPLOYER_COLUMNS]
    assert sheet_headers(out, "Review") == [h for h, _ in REVIEW_COLUMNS]
    assert sheet_headers(out, "Skipped") == [h for h, _ in SKIPPED_COLUMNS]
    assert sheet_headers(out, "Changes") == [h for h, _ in CHANGE_COLUMNS]


def test_run_merges_ranks_and_explains(run_cli, workspace: Path) -> None:
    assert run_workspace(run_cli, workspace).exit_code == 0
    contacts = read_sheet(workspace / "out.xlsx", "Contacts")
    by_name = {row["Name"]: row for row in contacts}
    # Maya is a connection and an alum at a target company, in the field: first or second.
    assert by_name["Maya Chen"]["Relationship"] == "Connection + Alum"
    assert by_name["Maya Chen"]["Sources"] == "Connections.csv:5; alumni.csv:4"
    assert by_name["Maya Chen"]["Email"] == "maya.chen@example.com"
    assert by_name["Maya Chen"]["Rank"] <= 2
    assert "alum '19" in by_name["Maya Chen"]["Why"]
    # The percent-encoded profile and the accent-less alumni row are one person.
    assert by_name["José García"]["Sources"] == "Connections.csv:8; alumni.csv:6"
    # A science teacher is not a data-science contact, whatever the fuzzy overlap.
    assert by_name["Robert Okafor"]["Tier"] == "C"
    assert by_name["Robert Okafor"]["Score"] < by_name["Linh Nguyen"]["Score"]
    scores = [row["Score"] for row in contacts]
    assert scores == sorted(scores, reverse=True)
    assert [row["Rank"] for row in contacts] == list(range(1, len(contacts) + 1))


def test_every_input_row_is_in_sources_or_skipped_exactly_once(run_cli, workspace: Path) -> None:
    assert run_workspace(run_cli, workspace).exit_code == 0
    out = workspace / "out.xlsx"
    seen = []
    for row in read_sheet(out, "Contacts"):
        seen.extend(part.strip() for part in row["Sources"].split(";"))
    seen.extend(f"{row['File']}:{row['Row']}" for row in read_sheet(out, "Skipped"))
    expected = [f"Connections.csv:{line}" for line in range(5, 10)] + [
        f"alumni.csv:{line}" for line in range(4, 9)
    ]
    assert sorted(seen) == sorted(expected)
    skipped = {f"{r['File']}:{r['Row']}": r["Reason"] for r in read_sheet(out, "Skipped")}
    assert skipped["Connections.csv:7"].startswith("hidden LinkedIn member")
    assert skipped["alumni.csv:7"] == "blank row"


def test_dry_run_writes_nothing(run_cli, workspace: Path) -> None:
    result = run_workspace(run_cli, workspace, "--dry-run")
    assert result.exit_code == 0, result.output
    assert not (workspace / "out.xlsx").exists()


def test_missing_input_is_exit_1_with_one_line(run_cli, workspace: Path) -> None:
    result = run_cli(
        "run", "--alumni", str(workspace / "nope.csv"),
        "--profile", str(workspace / "profile.toml"), "--out", str(workspace / "o.xlsx"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "nope.csv: file not found" in result.output
    assert "Traceback" not in result.output


def test_no_input_is_usage_error(run_cli, workspace: Path) -> None:
    result = run_cli("run", "--profile", str(workspace / "profile.toml"))
    assert result.exit_code == 2


@pytest.mark.skipif(not (SAMPLE / "profile.toml").exists(), reason="sample data not generated")
def test_sample_data_every_row_accounted_for(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "sample.xlsx"
    result = run_cli(
        "run",
        "--connections", str(SAMPLE / "linkedin_export"),
        "--alumni", str(SAMPLE / "alumni_directory.xlsx"),
        "--alumni", str(SAMPLE / "alumni_career_office.csv"),
        "--profile", str(SAMPLE / "profile.toml"),
        "--out", str(out),
        "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    seen: list[str] = []
    for row in read_sheet(out, "Contacts"):
        seen.extend(part.strip() for part in row["Sources"].split(";"))
    seen.extend(f"{row['File']}:{row['Row']}" for row in read_sheet(out, "Skipped"))
    assert len(seen) == len(set(seen)), "a row appears twice"
    assert set(seen) == set(_sample_data_rows())
    contacts = read_sheet(out, "Contacts")
    scores = [row["Score"] for row in contacts]
    assert scores == sorted(scores, reverse=True)
    assert sum(1 for row in contacts if row["Relationship"] == "Connection + Alum") > 0
    assert read_sheet(out, "Drafts")


def _sample_data_rows() -> list[str]:
    """Every data row of the sample inputs as FILE:ROW, found independently of the pipeline."""
    rows = []
    text = (SAMPLE / "linkedin_export" / "Connections.csv").read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text))
    start, header_seen = 1, False
    for record in reader:
        if header_seen:
            rows.append(f"Connections.csv:{start}")
        elif record[:2] == ["First Name", "Last Name"]:
            header_seen = True
        start = reader.line_num + 1
    book = load_workbook(SAMPLE / "alumni_directory.xlsx", read_only=True)
    sheet = book.worksheets[0]
    header_row = None
    after_header: list[tuple[int, bool]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        filled = any(v not in (None, "") for v in values)
        if header_row is None:
            if sum(1 for v in values if v not in (None, "")) >= 4:
                header_row = number
            continue
        after_header.append((number, filled))
    while after_header and not after_header[-1][1]:
        after_header.pop()  # trailing formatted-but-empty rows are not data rows
    rows.extend(f"alumni_directory.xlsx:{number}" for number, _ in after_header)
    text = (SAMPLE / "alumni_career_office.csv").read_bytes().decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    start, header_seen = 1, False
    for record in reader:
        if header_seen:
            rows.append(f"alumni_career_office.csv:{start}")
        elif record:
            header_seen = True
        start = reader.line_num + 1
    return rows
