"""A LinkedIn export gives the same contacts as a zip, a folder or a bare Connections.csv."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline.errors import InputError
from pipeline.ingest import read_inputs
from pipeline.ingest.linkedin import read_linkedin_context
from pipeline.ingest.sources import LoadedFile, export_files
from tests.conftest import PROFILE, read_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CONNECTIONS = (FIXTURES / "connections_2025_preamble_bom.csv").read_bytes()
PROFILE_CSV = (
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
    "Geo Location,Twitter Handles,Websites,Instant Messengers\n"
    "Alex,Rivera,,,,Statistics student,,Higher Education,,New York,,,\n"
)
EDUCATION_CSV = (
    "School Name,Start Date,End Date,Notes,Degree Name,Activities\n"
    "Lakeside High School,2018,2022,,,\n"
    "Northfield University,Sep 2022,May 2026,,BS Statistics,\n"
)
MESSAGES_CSV = (
    '"CONVERSATION ID","CONVERSATION TITLE","FROM","SENDER PROFILE URL","TO",'
    '"RECIPIENT PROFILE URLS","DATE","SUBJECT","CONTENT","FOLDER","IS MESSAGE DRAFT",'
    '"IS CONVERSATION DRAFT","ATTACHMENTS"\n'
    '"c1","","Alex Rivera","https://www.linkedin.com/in/alex-rivera-0","Maya Castellano",'
    '"https://www.linkedin.com/in/maya-castellano-4b1a2","2025-01-10 14:03:22 UTC","",'
    '"Hi Maya!","INBOX","false","false",""\n'
    '"c1","","Maya Castellano","https://www.linkedin.com/in/maya-castellano-4b1a2",'
    '"Alex Rivera","https://www.linkedin.com/in/alex-rivera-0","2025-01-11 09:00:00 UTC","",'
    '"Happy to chat.\nThursday?","INBOX","false","false",""\n'
    '"c2","Study group","Alex Rivera","https://www.linkedin.com/in/alex-rivera-0",'
    '"Ann A; Bo B; Cy C; Di D; Priya Ramaswamy","https://www.linkedin.com/in/ann-a '
    "https://www.linkedin.com/in/bo-b https://www.linkedin.com/in/cy-c "
    'https://www.linkedin.com/in/di-d https://www.linkedin.com/in/priya-ramaswamy-88",'
    '"2025-02-01 10:00:00 UTC","","Welcome all","INBOX","false","false",""\n'
    '"c3","","Tobenna Okeke, PhD","https://www.linkedin.com/in/tobenna-okeke","Alex Rivera",'
    '"https://www.linkedin.com/in/alex-rivera-0","2025-03-01 10:00:00 UTC","",'
    '"Saw your post","INBOX","false","false",""\n'
    '"c4","","Alex Rivera","https://www.linkedin.com/in/alex-rivera-0","Zoë Åberg",'
    '"https://www.linkedin.com/in/zo%C3%AB-%C3%A5berg","2025-03-02 10:00:00 UTC","",'
    '"Draft","INBOX","true","true",""\n'
)
INVITATIONS_CSV = (
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    'Alex Rivera,Beatrix Hollis,"3/4/26, 9:15 AM",,OUTGOING,'
    "https://www.linkedin.com/in/alex-rivera-0,https://www.linkedin.com/in/beatrix-hollis\n"
)
ALUMNI_CSV = (
    "Name,Class Year,Employer,Email,LinkedIn\n"
    "Beatrix Hollis,2019,Ivy Lane,b.hollis@example.com,linkedin.com/in/beatrix-hollis/\n"
    '"Castellano, Maya ’18",,Brightwave Analytics,maya@example.com,\n'
    "Margaret Olsen P’15,,Sterling Cooper Ads,peggy.olsen@example,\n"
)
EXPORT = {
    "Connections.csv": CONNECTIONS,
    "Profile.csv": PROFILE_CSV.encode(),
    "Education.csv": EDUCATION_CSV.encode(),
    "messages.csv": MESSAGES_CSV.encode(),
    "Invitations.csv": INVITATIONS_CSV.encode(),
    "LearningCoachMessages.csv": b"No conversations found\n\n\n",
    "Jobs/Saved Jobs.csv": b"Saved Date,Job Url,Job Title,Company Name\n",
}
IDENTITY = ("Name", "Title", "Company", "Email", "LinkedIn", "Sources", "Contact ID")


def _write_zip(path: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in EXPORT.items():
            archive.writestr(prefix + name, data)
    return path


def _write_folder(folder: Path) -> Path:
    for name, data in EXPORT.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    """The same export as LinkedIn's zips (root and folder layouts), unzipped, and bare."""
    folder = _write_folder(tmp_path / "Complete_LinkedInDataExport_08-26-2025 (1)")
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "Connections.csv").write_bytes(CONNECTIONS)
    nested = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(nested, "w") as archive:
        archive.write(_write_zip(tmp_path / "inner.zip"), "Basic_LinkedInDataExport_08-26-2025.zip")
    return {
        "zip": _write_zip(tmp_path / "Complete_LinkedInDataExport_08-26-2025.zip.zip"),
        "zip with a folder": _write_zip(
            tmp_path / "Basic_LinkedInDataExport_08-26-2025 (1).zip",
            prefix="Basic_LinkedInDataExport_08-26-2025/",
        ),
        "zip of the zip": nested,
        "folder": folder,
        "csv": bare / "Connections.csv",
    }


def _run(run_cli: Callable[..., Result], tmp_path: Path, source: Path, name: str) -> list[dict]:
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    alumni = tmp_path / "alumni.csv"
    alumni.write_text(ALUMNI_CSV, encoding="utf-8")
    out = tmp_path / f"{name.replace(' ', '_')}.xlsx"
    result = run_cli(
        "run", "--connections", str(source), "--alumni", str(alumni),
        "--profile", str(profile), "--out", str(out), "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return read_sheet(out, "Contacts")


def test_zip_folder_and_csv_give_the_same_contacts(
    run_cli: Callable[..., Result], tmp_path: Path, exports: dict[str, Path]
) -> None:
    sheets = {name: _run(run_cli, tmp_path, path, name) for name, path in exports.items()}
    whole = sheets["zip"]
    for name in ("zip with a folder", "zip of the zip", "folder"):
        assert sheets[name] == whole, name
    # A bare Connections.csv has the same people from the same rows; only what messages and
    # invitations add (the Relationship note and the warmth it brings) can differ.
    bare = sheets["csv"]

    def identity(rows: list[dict]) -> list[tuple]:
        return sorted(tuple(row[c] for c in IDENTITY) for row in rows)

    assert identity(bare) == identity(whole)
    sources = sorted(s for row in whole for s in row["Sources"].split("; "))
    assert sources == [
        "Connections.csv:5", "Connections.csv:6", "Connections.csv:7", "Connections.csv:9",
        "alumni.csv:2", "alumni.csv:3", "alumni.csv:4",
    ]  # fmt: skip
    # An invalid email is kept where a person can see and fix it, never silently dropped.
    olsen = next(row for row in whole if row["Name"] == "Margaret Olsen")
    assert olsen["Email"] is None
    assert "kept as written: peggy.olsen@example" in olsen["Data Notes"]
    assert "parent's class year" in olsen["Data Notes"]
    assert olsen["Class Year"] is None
    relationship = {row["Name"]: row["Relationship"] for row in whole}
    assert relationship["Maya Castellano"] == "Connection + Alum · messaging"
    assert relationship["Tobenna Okeke"] == "Connection · messaging"
    assert relationship["Priya Ramaswamy"] == "Connection"  # only in a group chat
    assert relationship["Zoë Åberg"] == "Connection"  # only a draft
    assert relationship["Beatrix Hollis"] == "Alum · invite pending"
    assert {row["Name"]: row["Relationship"] for row in bare}["Maya Castellano"] == (
        "Connection + Alum"
    )


def test_export_side_files_give_the_owner_and_school(tmp_path: Path) -> None:
    files = export_files(_write_zip(tmp_path / "export.zip"))
    context = read_linkedin_context([files])
    assert context.owner_name == "Alex Rivera"
    assert context.schools[0] == ("Northfield University", 2026)
    assert "https://www.linkedin.com/in/alex-rivera-0" not in context.conversation_urls
    assert set(context.conversation_names) == {"Maya Castellano", "Tobenna Okeke, PhD"}


def test_messages_without_a_profile_find_the_owner_by_presence() -> None:
    rows = MESSAGES_CSV.replace("Alex Rivera", "A. Rivera 🎓").encode()
    context = read_linkedin_context([{"messages": LoadedFile("messages.csv", rows, "m")}])
    assert "A. Rivera 🎓" not in context.conversation_names
    assert "https://www.linkedin.com/in/alex-rivera-0" not in context.conversation_urls
    assert "https://www.linkedin.com/in/maya-castellano-4b1a2" in context.conversation_urls


def test_2018_messages_use_direction() -> None:
    rows = (
        b"From,To,Date,Subject,Content,Direction,Folder\n"
        b'Alex Rivera,"Okeke, PhD",2018-03-01,,Hi,OUTGOING,SENT\n'
        b"Harriet Vance,Alex Rivera,2018-03-02,,Hello,INCOMING,INBOX\n"
    )
    context = read_linkedin_context([{"messages": LoadedFile("Messages.csv", rows, "m")}])
    assert set(context.conversation_names) == {"Okeke, PhD", "Harriet Vance"}


def test_folder_with_two_exports_is_ambiguous(tmp_path: Path) -> None:
    for name in ("Basic_LinkedInDataExport_01-01-2025", "Basic_LinkedInDataExport_02-01-2026"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Connections.csv").write_bytes(CONNECTIONS)
    with pytest.raises(InputError, match="2 LinkedIn exports"):
        read_inputs([tmp_path], [], {})


def test_folder_holding_the_zip_points_at_it(tmp_path: Path) -> None:
    _write_zip(tmp_path / "Basic_LinkedInDataExport_08-26-2025.zip")
    with pytest.raises(InputError, match="pass that zip file instead"):
        read_inputs([tmp_path], [], {})
