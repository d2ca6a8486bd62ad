"""Drafts end to end: --top, the Drafts sheet's cells, preview, and edits that survive re-runs."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.conftest import read_sheet, run_workspace


def test_top_limits_who_gets_drafts_and_cells_are_complete(run_cli, workspace: Path) -> None:
    result = run_workspace(run_cli, workspace, "--top", "2")
    assert result.exit_code == 0, result.output
    drafts = read_sheet(workspace / "out.xlsx", "Drafts")
    contacts = read_sheet(workspace / "out.xlsx", "Contacts")
    assert {d["Contact ID"] for d in drafts} == {c["Contact ID"] for c in contacts[:2]}
    for draft in drafts:
        assert draft["Step"] in ("First message", "Follow-up", "Thank-you")
        assert draft["Characters"] == len(draft["Message"])
        assert "{{" not in draft["Message"] and "[Name]" not in draft["Message"]
    book = load_workbook(workspace / "out.xlsx")
    sheet = book["Drafts"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        values = dict(zip(header, (c.value for c in row), strict=True))
        link = row[header.index("Open Email")].hyperlink
        if values["Channel"] == "Email":
            assert link is not None and link.target.startswith("mailto:")
            body = unquote(link.target.split("body=")[1])
            assert body == values["Message"].replace("\n", "\r\n")
        else:
            assert link is None


def test_profile_top_and_preview(run_cli, workspace: Path) -> None:
    profile = workspace / "profile.toml"
    profile.write_text(profile.read_text() + "\n[drafts]\ntop = 1\n", encoding="utf-8")
    assert run_workspace(run_cli, workspace).exit_code == 0
    drafts = read_sheet(workspace / "out.xlsx", "Drafts")
    assert len({d["Contact ID"] for d in drafts}) == 1
    name = drafts[0]["Name"]
    shown = run_cli("preview", name, "--workbook", str(workspace / "out.xlsx"))
    assert shown.exit_code == 0, shown.output
    assert drafts[0]["Message"] in shown.output
    assert "Follow-up" in shown.output and "Thank-you" in shown.output
    by_rank = run_cli("preview", "1", "--workbook", str(workspace / "out.xlsx"))
    assert by_rank.exit_code == 0 and by_rank.output == shown.output
    no_drafts = run_cli("preview", "2", "--workbook", str(workspace / "out.xlsx"))
    second = read_sheet(workspace / "out.xlsx", "Contacts")[1]["Name"]
    assert no_drafts.exit_code == 1 and f"{second} has no drafts" in no_drafts.output


def test_an_edited_draft_survives_and_is_checked_again(run_cli, workspace: Path) -> None:
    out = workspace / "out.xlsx"
    assert run_workspace(run_cli, workspace).exit_code == 0
    book = load_workbook(out)
    sheet = book["Drafts"]
    header = [c.value for c in sheet[1]]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[header.index("Step")].value == "Follow-up"
    )
    edited = "Hi! Following up. Is your team hiring? " + "Really. " * 5
    row[header.index("Message")].value = edited
    contact_id = row[header.index("Contact ID")].value
    book.save(out)
    assert run_workspace(run_cli, workspace).exit_code == 0
    again = [
        d for d in read_sheet(out, "Drafts")
        if d["Contact ID"] == contact_id and d["Step"] == "Follow-up"
    ]  # fmt: skip
    assert [d["Message"] for d in again] == [edited]
    assert "your edited text" in again[0]["Flags"] and "asks for a job" in again[0]["Flags"]
