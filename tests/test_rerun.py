"""Re-runs behave like a user's month: edit the workbook, export again, run again, lose nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import connections_csv, read_sheet

PROFILE = """\
[me]
name = "Alex Rivera"
school = "Northfield University"
grad_year = 2026

[target]
field = "Data Science"
roles = ["data scientist"]
companies = ["Spotify"]
"""
CONNECTIONS = [
    "Maya,Chen,https://www.linkedin.com/in/maya-chen,,Spotify,Senior Data Scientist,12 Mar 2024",
    "Sam,Taylor,https://www.linkedin.com/in/samtaylor,,Google,Data Scientist,01 Feb 2023",
    "Priya,Raman,https://www.linkedin.com/in/priya-raman,,Etsy,Data Analyst,20 Jan 2025",
    "Tom,Becker,https://www.linkedin.com/in/tbecker,,Datadog,Analytics Engineer,03 Sep 2023",
]
ALUMNI_HEADER = "Name,Class Year,Employer,Job Title,Email"
ALUMNI = [
    '"Taylor, Sam",2015,Meta,Research Scientist,sam.t@example.com',
    '"Osei, Kwame",2017,Capital One,Machine Learning Engineer,kwame.osei@example.com',
    '"Haddad, Omar",2016,Mount Sinai,Biostatistician,omar.haddad@example.com',
]


def write_inputs(folder: Path, connections: list[str], alumni: list[str]) -> None:
    export = folder / "export"
    export.mkdir(exist_ok=True)
    (export / "Connections.csv").write_bytes(connections_csv(connections))
    (folder / "alumni.csv").write_text("\n".join([ALUMNI_HEADER, *alumni]) + "\n")
    (folder / "profile.toml").write_text(PROFILE)


def run(run_cli, folder: Path) -> Path:
    out = folder / "outreach.xlsx"
    result = run_cli(
        "run", "--connections", str(folder / "export"), "--alumni", str(folder / "alumni.csv"),
        "--profile", str(folder / "profile.toml"), "--out", str(out), "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def edit(book: Any, sheet: str, where: dict[str, Any], changes: dict[str, Any]) -> None:
    """Type into the first row of a sheet whose cells match `where`, as a user would."""
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        values = {h: ws.cell(row, i + 1).value for i, h in enumerate(header)}
        if all(values.get(k) == v for k, v in where.items()):
            for column, value in changes.items():
                ws.cell(row, header.index(column) + 1).value = value
            return
    raise AssertionError(f"no row in {sheet} matching {where}")


def by_name(out: Path, sheet: str = "Contacts") -> dict[str, dict[str, Any]]:
    return {row["Name"]: row for row in read_sheet(out, sheet)}


def test_a_users_edits_survive_a_rerun_on_changed_inputs(run_cli, tmp_path: Path) -> None:
    write_inputs(tmp_path, CONNECTIONS, [a for a in ALUMNI if "Kwame" not in a])
    out = run(run_cli, tmp_path)
    first = by_name(out)
    review = read_sheet(out, "Review")
    assert [r["Outcome"] for r in review] == ["not merged"], review
    maya_draft = next(d for d in read_sheet(out, "Drafts") if d["Name"] == "Maya Chen")

    # The user works in the workbook.
    book = load_workbook(out)
    edit(book, "Contacts", {"Name": "Maya Chen"}, {
        "Status": "Sent", "Date Sent": dt.datetime(2026, 11, 2),
        "Notes": "Met at the career fair; ask about the ML team =not a formula",
    })  # fmt: skip
    edit(book, "Contacts", {"Name": "Tom Becker"}, {"Status": "replied", "Notes": "Call on Friday"})
    edit(book, "Contacts", {"Name": "Omar Haddad"}, {"Date Sent": "2026-10-15"})
    edit(book, "Review", {"Outcome": "not merged"}, {"Decision": "separate"})
    edited = "Hi Maya, my own words: could we talk for 15 minutes about your team?"
    edit(book, "Drafts", {"Name": "Maya Chen", "Step": maya_draft["Step"]}, {"Message": edited})
    edit(book, "Employers", {"Employer": "Spotify"}, {"Motivation": 3, "Posting": 2})
    book.save(out)

    # A month later: Kwame is new, Priya moved to Duolingo, Tom left the inputs.
    connections = [c for c in CONNECTIONS if "Becker" not in c]
    connections = [c.replace("Etsy,Data Analyst", "Duolingo,Data Scientist") for c in connections]
    write_inputs(tmp_path, connections, ALUMNI)
    out = run(run_cli, tmp_path)

    assert (tmp_path / "outreach.backup.xlsx").exists()
    contacts = by_name(out)
    maya = contacts["Maya Chen"]
    assert maya["Status"] == "Sent"
    assert maya["Date Sent"] == dt.datetime(2026, 11, 2)
    assert maya["Notes"] == "Met at the career fair; ask about the ML team =not a formula"
    assert maya["Contact ID"] == first["Maya Chen"]["Contact ID"]
    # A lower-case status is tidied to the dropdown's spelling; a date typed as text is a date.
    assert contacts["Omar Haddad"]["Date Sent"] == dt.datetime(2026, 10, 15)
    # Tom left the inputs but holds the user's notes: kept, marked, never dropped.
    tom = contacts["Tom Becker"]
    assert (tom["Status"], tom["Notes"]) == ("Replied", "Call on Friday")
    assert tom["Data Notes"].startswith("No longer in your inputs")
    assert tom["Rank"] is None
    assert [r["Decision"] for r in read_sheet(out, "Review")] == ["separate"]
    drafts = [d for d in read_sheet(out, "Drafts") if d["Name"] == "Maya Chen"]
    assert edited in [d["Message"] for d in drafts]
    spotify = next(e for e in read_sheet(out, "Employers") if e["Employer"] == "Spotify")
    assert (spotify["Motivation"], spotify["Posting"]) == (3, 2)
    changes = {(c["Change"], c["Name"]) for c in read_sheet(out, "Changes")}
    assert changes == {
        ("New", "Kwame Osei"),
        ("Changed job", "Priya Raman"),
        ("No longer in inputs", "Tom Becker"),
    }
    priya = next(c for c in read_sheet(out, "Changes") if c["Name"] == "Priya Raman")
    assert (priya["Before"], priya["After"]) == ("Data Analyst, Etsy", "Data Scientist, Duolingo")

    # A third run on the same inputs changes nothing the user typed and reports no changes.
    out = run(run_cli, tmp_path)
    again = by_name(out)
    for name in ("Maya Chen", "Tom Becker", "Omar Haddad"):
        for column in ("Status", "Date Sent", "Notes", "Contact ID"):
            assert again[name][column] == contacts[name][column], (name, column)
    assert read_sheet(out, "Changes") == []


def summary_notes(out: Path) -> list[str]:
    return [
        str(row.get("Your outreach plan: run report") or "") for row in read_sheet(out, "Summary")
    ]


def test_separating_a_fuzzy_merge_holds_on_every_later_run(run_cli, tmp_path: Path) -> None:
    alumni = ['"Taylor, Samuel",2015,Google,Data Scientist,']
    write_inputs(tmp_path, CONNECTIONS[:2], alumni)
    out = run(run_cli, tmp_path)
    assert [r["Outcome"] for r in read_sheet(out, "Review")] == ["merged"]
    assert "Samuel Taylor" not in by_name(out)
    book = load_workbook(out)
    edit(book, "Review", {"Outcome": "merged"}, {"Decision": "separate"})
    book.save(out)
    for _ in range(2):
        out = run(run_cli, tmp_path)
        review = read_sheet(out, "Review")
        assert [(r["Outcome"], r["Decision"]) for r in review] == [("not merged", "separate")]
        assert {"Sam Taylor", "Samuel Taylor"} <= set(by_name(out))


def test_a_decision_on_records_that_changed_is_shown_not_lost(run_cli, tmp_path: Path) -> None:
    alumni = ['"Taylor, Sam",2015,Meta,Research Scientist,']  # no email: keyed by name and job
    write_inputs(tmp_path, CONNECTIONS[:2], alumni)
    out = run(run_cli, tmp_path)
    book = load_workbook(out)
    edit(book, "Review", {"Outcome": "not merged"}, {"Decision": "merge"})
    book.save(out)
    write_inputs(tmp_path, CONNECTIONS[:2], ['"Taylor, Sam",2015,OpenAI,Research Scientist,'])
    out = run(run_cli, tmp_path)
    review = {r["Outcome"]: r for r in read_sheet(out, "Review")}
    assert review["records changed"]["Decision"] == "merge"
    assert review["records changed"]["Evidence"].startswith("Not applied")
    assert review["not merged"]["Decision"] is None  # the changed pair waits for a new decision
    assert any("could not be applied" in note for note in summary_notes(out))


def test_everything_else_the_user_typed_is_kept(run_cli, tmp_path: Path) -> None:
    write_inputs(tmp_path, CONNECTIONS, ALUMNI)
    out = run(run_cli, tmp_path)
    book = load_workbook(out)
    contacts = book["Contacts"]
    # A column of their own, a person they met at a fair, an employer, a question, odd values.
    extra = contacts.max_column + 1
    contacts.cell(1, extra).value = "Referred by"
    contacts.cell(1, extra + 1).value = "title"  # the same name as ours, but another column
    contacts.cell(1, extra + 2).value = "Follow-up\ndate"
    edit(book, "Contacts", {"Name": "Maya Chen"},
         {"Referred by": "Prof. Diaz", "title": "mine", "Follow-up\ndate": "June"})  # fmt: skip
    header = [c.value for c in contacts[1]]
    fair = contacts.max_row + 1
    for column, value in {"Name": "Rosa Diaz", "Company": "Etsy", "Notes": "career fair",
                          "Date Sent": "3/4/2026"}.items():  # fmt: skip
        contacts.cell(fair, header.index(column) + 1).value = value
    employers = book["Employers"]
    employers.cell(employers.max_row + 1, 1).value = "Duolingo"
    employers.cell(employers.max_row, 7).value = 3
    edit(book, "Employers", {"Employer": "Spotify"}, {"Motivation": "very"})
    questions = book["Questions"]
    first_question = questions.cell(2, 2).value
    questions.cell(2, 3).value = "ask about on-call"
    questions.cell(questions.max_row + 1, 1).value = "Mine"
    questions.cell(questions.max_row, 2).value = "What would you do differently?"
    book.save(out)

    for _ in range(2):
        out = run(run_cli, tmp_path)
        contacts_now = by_name(out)
        assert contacts_now["Maya Chen"]["Referred by"] == "Prof. Diaz"
        assert contacts_now["Maya Chen"]["title (2)"] == "mine"
        assert contacts_now["Maya Chen"]["Follow-up date"] == "June"
        assert contacts_now["Maya Chen"]["Title"] == "Senior Data Scientist"
        rosa = contacts_now["Rosa Diaz"]
        assert (rosa["Company"], rosa["Notes"], rosa["Date Sent"]) == (
            "Etsy",
            "career fair",
            "3/4/2026",
        )
        assert rosa["Contact ID"].startswith("U")
        employers_now = {e["Employer"]: e for e in read_sheet(out, "Employers")}
        assert employers_now["Duolingo"]["Motivation"] == 3
        assert employers_now["Spotify"]["Motivation"] == "very"
        questions_now = {q["Question"]: q for q in read_sheet(out, "Questions")}
        assert questions_now[first_question]["Your Notes"] == "ask about on-call"
        assert questions_now["What would you do differently?"]["Topic"] == "Mine"
        notes = " ".join(summary_notes(out))
        assert "Motivation 'very' for Spotify" in notes
        assert "Date Sent '3/4/2026' for Rosa Diaz" in notes
        assert read_sheet(out, "Changes") == []


@pytest.mark.parametrize("status", ["", "To contact"])
def test_people_without_user_data_who_left_are_removed_and_listed(
    run_cli, tmp_path: Path, status: str
) -> None:
    write_inputs(tmp_path, CONNECTIONS, ALUMNI)
    out = run(run_cli, tmp_path)
    if status:
        book = load_workbook(out)
        edit(book, "Contacts", {"Name": "Tom Becker"}, {"Status": status})
        book.save(out)
    write_inputs(tmp_path, [c for c in CONNECTIONS if "Becker" not in c], ALUMNI)
    out = run(run_cli, tmp_path)
    assert "Tom Becker" not in by_name(out)
    change = read_sheet(out, "Changes")
    assert [(c["Change"], c["Name"], c["After"]) for c in change] == [
        ("No longer in inputs", "Tom Becker", "removed")
    ]


def test_a_rerun_on_the_same_inputs_changes_no_id(run_cli, tmp_path: Path) -> None:
    """A bare name (no email, profile, employer or year) used to swap ids with itself."""
    write_inputs(tmp_path, CONNECTIONS, [*ALUMNI, '"Sahin, Özge",,,,'])
    first = {r["Name"]: r["Contact ID"] for r in read_sheet(run(run_cli, tmp_path), "Contacts")}
    for _ in range(2):
        out = run(run_cli, tmp_path)
        assert {r["Name"]: r["Contact ID"] for r in read_sheet(out, "Contacts")} == first
        assert read_sheet(out, "Changes") == []


def test_a_person_the_user_typed_in_joins_their_record_when_it_arrives(
    run_cli, tmp_path: Path
) -> None:
    write_inputs(tmp_path, CONNECTIONS, ALUMNI)
    out = run(run_cli, tmp_path)
    book = load_workbook(out)
    sheet = book["Contacts"]
    header = [c.value for c in sheet[1]]
    row = sheet.max_row + 1
    typed = {"Name": "Rosa Diaz", "Email": "Rosa.Diaz@example.com", "Notes": "met at the fair"}
    for column, value in typed.items():
        sheet.cell(row, header.index(column) + 1).value = value
    book.save(out)
    user_id = by_name(run(run_cli, tmp_path))["Rosa Diaz"]["Contact ID"]

    write_inputs(
        tmp_path,
        CONNECTIONS,
        [*ALUMNI, '"Diaz, Rosa",2019,Etsy,Data Scientist,rosa.diaz@example.com'],
    )
    out = run(run_cli, tmp_path)
    rosas = [r for r in read_sheet(out, "Contacts") if r["Name"] == "Rosa Diaz"]
    assert len(rosas) == 1
    assert (rosas[0]["Contact ID"], rosas[0]["Notes"]) == (user_id, "met at the fair")
    assert rosas[0]["Company"] == "Etsy" and rosas[0]["Rank"] is not None
