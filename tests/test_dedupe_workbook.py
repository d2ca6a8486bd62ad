"""Review decisions and Contact IDs survive re-runs: set them in the workbook, run again, check."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from pipeline.carryover import assign_contact_ids
from pipeline.workbook.previous import PreviousWorkbook
from tests.conftest import read_sheet, run_workspace

ALUMNI_HEADER = "Name;Class Year;Employer;Job Title;Preferred E-mail;LinkedIn"


def write_alumni(workspace: Path, *rows: str) -> None:
    text = "Northfield Alumni export\n\n" + "\r\n".join([ALUMNI_HEADER, *rows]) + "\r\n"
    (workspace / "alumni.csv").write_bytes(text.encode("cp1252"))


def run(run_cli, workspace: Path) -> None:
    result = run_workspace(run_cli, workspace)
    assert result.exit_code == 0, result.output


def contacts_by_name(workspace: Path) -> dict[str, dict]:
    return {row["Name"]: row for row in read_sheet(workspace / "out.xlsx", "Contacts")}


def set_decisions(path: Path, decide: dict[str, str]) -> None:
    """Type a Decision into each Review row whose Record B starts with a given name."""
    book = load_workbook(path)
    sheet = book["Review"]
    header = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        record_b = str(sheet.cell(row, header.index("Record B") + 1).value or "")
        for name, decision in decide.items():
            if record_b.startswith(name):
                sheet.cell(row, header.index("Decision") + 1).value = decision
    book.save(path)


def test_review_decisions_round_trip_through_the_workbook(run_cli, workspace: Path) -> None:
    write_alumni(
        workspace,
        "Chen, Maya;2019;Spotify AB;Data Scientist;maya.chen@example.com;",
        "Okafor, Bob;2015;Acme;Teacher;bob.okafor@example.org;",
        "Nguyen, Linh;2012;;;;",
    )
    run(run_cli, workspace)
    out = workspace / "out.xlsx"
    review = {row["Record B"].split(" —")[0]: row for row in read_sheet(out, "Review")}
    assert review["Bob Okafor"]["Outcome"] == "merged"
    assert "Robert ≈ Bob (given-name variant)" in review["Bob Okafor"]["Evidence"]
    assert review["Linh Nguyen"]["Outcome"] == "not merged"
    assert "nothing else to compare" in review["Linh Nguyen"]["Evidence"]
    assert "Bob Okafor" not in contacts_by_name(workspace)
    assert "Linh Nguyen" in contacts_by_name(workspace)

    set_decisions(out, {"Bob Okafor": "separate", "Linh Nguyen": "merge"})
    run(run_cli, workspace)
    contacts = contacts_by_name(workspace)
    assert contacts["Robert Okafor"]["Sources"] == "Connections.csv:6"
    assert contacts["Bob Okafor"]["Sources"] == "alumni.csv:5"
    assert contacts["Linh Nguyen"]["Sources"] == "Connections.csv:9; alumni.csv:6"
    review = {row["Record B"].split(" —")[0]: row for row in read_sheet(out, "Review")}
    assert (review["Bob Okafor"]["Outcome"], review["Bob Okafor"]["Decision"]) == (
        "not merged",
        "separate",
    )
    assert (review["Linh Nguyen"]["Outcome"], review["Linh Nguyen"]["Decision"]) == (
        "merged",
        "merge",
    )

    # The decisions are written back, so a third run still obeys them.
    run(run_cli, workspace)
    contacts = contacts_by_name(workspace)
    assert "Bob Okafor" in contacts and "Robert Okafor" in contacts
    assert contacts["Linh Nguyen"]["Sources"] == "Connections.csv:9; alumni.csv:6"


def test_contact_id_survives_while_any_identifier_does(run_cli, workspace: Path) -> None:
    write_alumni(workspace, "Chen, Maya;2019;Spotify AB;Data Scientist;maya.chen@example.com;")
    run(run_cli, workspace)
    first_id = contacts_by_name(workspace)["Maya Chen"]["Contact ID"]

    # Her LinkedIn connection goes away; the alumni row (same email) keeps her id.
    export = workspace / "export" / "Connections.csv"
    export.write_bytes(
        b"\n".join(line for line in export.read_bytes().split(b"\n") if b"maya-chen" not in line)
    )
    run(run_cli, workspace)
    assert contacts_by_name(workspace)["Maya Chen"]["Contact ID"] == first_id

    # Then a new address and a new job: name and class year still name her.
    write_alumni(workspace, "Chen, Maya;2019;Duolingo;ML Lead;maya@newmail.example;")
    run(run_cli, workspace)
    assert contacts_by_name(workspace)["Maya Chen"]["Contact ID"] == first_id


def test_a_profile_reclaims_its_id_before_a_namesake_matches_by_name() -> None:
    # Last run: Sam Lee (profile sam-lee, class of 2015) was C1. Now a namesake of the same
    # class, listed first, also carries the key 'ny:sam lee|2015'.
    previous = PreviousWorkbook(
        exists=True,
        contacts={"C1": {"Name": "Sam Lee"}},
        contact_order=["C1"],
        key_to_id={"li:sam-lee": "C1", "ny:sam lee|2015": "C1"},
    )
    people = pd.DataFrame(
        {
            "match_keys": ["ny:sam lee|2015", "li:sam-lee; ny:sam lee|2015"],
            "sources": ["a.csv:2", "b.csv:9"],
        }
    )
    ids = assign_contact_ids(people, previous)
    assert ids.iloc[1] == "C1"
    assert ids.iloc[0] != "C1"


def test_new_ids_come_from_the_strongest_key_and_never_repeat() -> None:
    from pipeline.carryover import new_contact_id

    # Two namesakes kept apart share their strongest key ('nc:'); the one whose source rows
    # sort first gets its id, the other its next key's; a third with only that key gets a
    # numbered id; a bare name is keyed by its sources. The index order does not matter.
    people = pd.DataFrame(
        {
            "match_keys": [
                "ny:sam lee|2015; nc:sam lee|acme",
                "nc:sam lee|acme",
                "nc:sam lee|acme; ny:sam lee|2012; li:sam-lee",
                "nc:sam lee|acme",
                "",
            ],
            "sources": ["a.csv:3", "a.csv:4", "z.csv:1", "a.csv:2", "a.csv:9"],
        },
        index=[10, 11, 12, 13, 14],
    )
    ids = assign_contact_ids(people, PreviousWorkbook())
    nc = new_contact_id("nc:sam lee|acme")
    assert ids[12] == new_contact_id("li:sam-lee")  # a profile beats name keys
    assert ids[13] == nc  # 'a.csv:2' sorts first
    assert ids[10] == new_contact_id("ny:sam lee|2015")
    assert ids[11] == f"{nc}-2"
    assert ids[14] == new_contact_id("a.csv:9")
    assert ids.is_unique and list(ids.index) == [10, 11, 12, 13, 14]


def test_a_decided_pair_no_longer_listed_keeps_its_row_with_the_outcome() -> None:
    from pipeline.carryover import carry_review
    from pipeline.dedupe import REVIEW_COLUMNS

    def decided(a: str, b: str, decision: str) -> dict[str, str]:
        return {"Decision": decision, "Evidence": "same name", "Record A": a, "Record B": b,
                "Where A": "old.csv:2", "Where B": "old.csv:3"}  # fmt: skip

    previous = PreviousWorkbook(
        exists=True,
        review_rows={
            ("k1", "k2"): decided("Sam Lee", "Sam Lee", "merge"),
            ("k3", "k4"): decided("Jo Park", "Jo Park", "separate"),
            ("k5", "gone"): decided("Al Kim", "Al Kim", "merge"),
            ("k6", "k7"): decided("Bo Yu", "Bo Yu", "separate"),  # still listed, reversed
        },
    )
    review = pd.DataFrame([{c: "" for c in REVIEW_COLUMNS} | {"key_a": "k7", "key_b": "k6"}])
    records = pd.DataFrame(
        {
            "record_key": ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k9"],
            "person": [0, 0, 1, 2, 3, 4, 5, 6],
            "file": ["a.csv"] * 8,
            "row": [2, 3, 4, 5, 6, 7, 8, 9],
        }
    )
    frame, notes = carry_review(review, records, previous)
    by_pair = {(r["key_a"], r["key_b"]): r for r in frame.to_dict("records")}
    assert by_pair[("k7", "k6")]["decision"] == "separate"
    assert by_pair[("k1", "k2")]["outcome"] == "merged"
    assert by_pair[("k1", "k2")]["where_a"] == "a.csv:2"  # where the record is now
    assert by_pair[("k3", "k4")]["outcome"] == "not merged"
    assert by_pair[("k5", "gone")]["outcome"] == "records changed"
    assert by_pair[("k5", "gone")]["where_b"] == "old.csv:3"
    assert len(frame) == 4 and len(notes) == 1
