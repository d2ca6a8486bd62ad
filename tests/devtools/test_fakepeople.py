"""Tests for the fictional-people generator and the file writers (devtools/)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from devtools.fakepeople import (
    generate_population,
    make_dataset,
    same_person_pairs,
    write_alumni_csv,
    write_linkedin_export,
)
from devtools.pools import ascii_fold

CONNECTIONS = "Connections.csv"
DIRECTORY = "alumni_directory.xlsx"
CAREER = "alumni_career_office.csv"


def _fold(text: str) -> str:
    return ascii_fold(text).casefold().strip()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    folder = tmp_path_factory.mktemp("dataset")
    truth = make_dataset(
        folder,
        n_connections=300,
        n_alumni_csv=250,
        n_alumni_xlsx=400,
        overlap=0.3,
        seed=7,
        hidden_members=4,
        conversations=5,
        invitations=4,
        people_name="people.csv",
    )
    people = pd.read_csv(folder / "people.csv", keep_default_na=False, dtype=str).set_index(
        "person_id"
    )
    return folder, truth, people


def test_population_is_deterministic_by_seed() -> None:
    a = generate_population(400, seed=3)
    b = generate_population(400, seed=3)
    c = generate_population(400, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a["last"].equals(c["last"])


def test_population_is_diverse_and_has_unique_handles() -> None:
    people = generate_population(5000, seed=1)
    assert people["person_id"].is_unique
    assert people["linkedin_slug"].is_unique
    assert people["personal_email"].is_unique
    assert people["origin"].nunique() >= 15
    assert people["field"].nunique() >= 20
    assert (~people["last"].map(str.isascii)).mean() > 0.05  # accents where real
    assert people["linkedin_slug"].str.contains("%C3%").any()  # percent-encoded slugs
    assert (people["nickname"] != "").mean() > 0.1
    assert (people["maiden"] != "").any()
    work = people.loc[people["work_email"] != "", "work_email"]
    assert work.str.endswith(".example").all()  # never a deliverable address by default
    assert people["personal_email"].str.contains(r"@example\.(?:com|net|org)$").all()
    assert (people["employer"] == "Spotify").sum() >= 6
    assert (people["employer"] == "Duolingo").sum() >= 6


def test_dataset_is_deterministic(tmp_path: Path) -> None:
    kwargs = dict(n_connections=60, n_alumni_csv=40, n_alumni_xlsx=50, seed=99)
    make_dataset(tmp_path / "a", **kwargs)  # type: ignore[arg-type]
    make_dataset(tmp_path / "b", **kwargs)  # type: ignore[arg-type]
    for name in ("linkedin_export/Connections.csv", DIRECTORY, CAREER, "truth.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_connections_file_shape_and_rows_match_truth(
    dataset: tuple[Path, pd.DataFrame, pd.DataFrame],
) -> None:
    folder, truth, people = dataset
    raw = (folder / "linkedin_export" / CONNECTIONS).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert not raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == "Notes:"
    assert lines[1].startswith('"When exporting') and len(lines[1]) == 366
    assert lines[2] == ""
    assert lines[3] == "First Name,Last Name,URL,Email Address,Company,Position,Connected On"

    rows = truth[truth["file"] == CONNECTIONS]
    assert len(rows) == 304 and rows["row"].min() == 5 and rows["row"].max() == len(lines)
    for row, pid in zip(rows["row"], rows["person_id"], strict=True):
        record = next(csv.reader([lines[row - 1]]))
        assert len(record) == 7
        assert len(record[6]) == 11 and record[6][2] == " "  # 12 Mar 2024
        if pd.isna(pid):
            assert record[:6] == [""] * 6
        else:
            assert record[2] == "https://www.linkedin.com/in/" + people.loc[pid, "linkedin_slug"]
    assert truth.loc[truth["file"] == CONNECTIONS, "person_id"].isna().sum() == 4
    emails = [next(csv.reader([x]))[3] for x in lines[4:]]
    assert sum(e == "" for e in emails) / len(emails) > 0.9


def test_linkedin_quirks_appear(tmp_path: Path) -> None:
    people = generate_population(3000, seed=5)
    write_linkedin_export(tmp_path, people, seed=1)
    with (tmp_path / CONNECTIONS).open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))[4:]
    last_names = [r[1] for r in records]
    assert any(", " in n for n in last_names)  # "Okafor, PhD"
    assert any(n.isupper() and len(n) > 2 for n in last_names)
    assert any(len(n) == 2 and n.endswith(".") for n in last_names)  # "B."
    assert any(" @ " in r[5] or " | " in r[5] for r in records)


def test_alumni_xlsx_rows_match_truth(dataset: tuple[Path, pd.DataFrame, pd.DataFrame]) -> None:
    folder, truth, people = dataset
    ws = openpyxl.load_workbook(folder / DIRECTORY, read_only=True).active
    assert ws is not None
    sheet = list(ws.iter_rows(values_only=True))
    assert str(sheet[0][0]).startswith("Northfield University — Alumni Directory export")
    assert all(v is None for v in sheet[1])
    header = list(sheet[2])
    assert header[:3] == ["Constituent ID", "Name", "Class Year"]
    rows = truth[truth["file"] == DIRECTORY]
    assert rows["row"].min() == 4 and rows["row"].max() == len(sheet)
    for row, pid in zip(rows["row"], rows["person_id"], strict=True):
        record = dict(zip(header, sheet[row - 1], strict=True))
        person = people.loc[pid]
        if record["Class Year"] is not None:
            assert record["Class Year"] == int(person["grad_year"])
        name = _fold(str(record["Name"]))
        given = [_fold(person["first"]), _fold(person["nickname"])]
        assert "," in name and any(g and g in name for g in given), (name, given)


def test_career_csv_is_cp1252_crlf_and_rows_match_truth(
    dataset: tuple[Path, pd.DataFrame, pd.DataFrame],
) -> None:
    folder, truth, people = dataset
    raw = (folder / CAREER).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    lines = text.split("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert (
        lines[0] == "First;Last;Grad Year;Program;Current Company;Position;Email Address;Location"
    )
    rows = truth[truth["file"] == CAREER]
    for row, pid in zip(rows["row"], rows["person_id"], strict=True):
        record = next(csv.reader([lines[row - 1]], delimiter=";"))
        person = people.loc[pid]
        if record[2]:
            assert record[2][-2:] == person["grad_year"][-2:]
        candidates = {
            _fold(x.encode("cp1252", errors="replace").decode("cp1252").replace("?", "_"))
            for x in (person["first"], person["nickname"])
            if x
        } | {_fold(person["first"]), _fold(person["nickname"])}
        assert _fold(record[0]) in candidates, (record[0], candidates)


def test_cp1252_replaces_what_it_cannot_hold(tmp_path: Path) -> None:
    people = generate_population(50, seed=2)
    people.loc[0, ["first", "nickname"]] = ["Thảo", ""]
    truth = write_alumni_csv(tmp_path / "x.csv", people, seed=1)
    lines = (tmp_path / "x.csv").read_bytes().decode("cp1252").split("\r\n")
    row = int(truth.loc[truth["person_id"] == people.loc[0, "person_id"], "row"].iloc[0])
    first = next(csv.reader([lines[row - 1]], delimiter=";"))[0]
    assert first.casefold() in {"th_o", "thao"}


def test_multi_line_messages_are_numbered_by_physical_line(
    dataset: tuple[Path, pd.DataFrame, pd.DataFrame],
) -> None:
    folder, truth, _ = dataset
    text = (folder / "linkedin_export" / "messages.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].startswith('"CONVERSATION ID","CONVERSATION TITLE"')
    starts = truth.loc[truth["file"] == "messages.csv", "row"].tolist()
    records = list(csv.reader(io.StringIO(text)))[1:]
    assert len(records) == len(starts)
    assert any("\n" in field for record in records for field in record)
    for start, record in zip(starts, records, strict=True):
        assert lines[start - 1].startswith('"' + record[0] + '"')


def test_overlap_hard_negatives_and_pairs(dataset: tuple[Path, pd.DataFrame, pd.DataFrame]) -> None:
    _, truth, people = dataset
    main = truth[truth["file"].isin([CONNECTIONS, DIRECTORY, CAREER])].dropna()
    per_person = main.groupby("person_id")["file"].nunique()
    assert 0.15 < (per_person > 1).mean() < 0.4
    assert (per_person == 3).any()

    in_files = people.loc[per_person.index]
    namesakes = in_files[in_files["namesake_of"] != ""]
    assert len(namesakes) >= 3
    for pid, person in namesakes.iterrows():
        original = people.loc[person["namesake_of"]]
        assert pid != person["namesake_of"]
        assert (person["first"], person["last"]) == (original["first"], original["last"])
        assert person["linkedin_slug"] != original["linkedin_slug"]
        different = [person[c] != original[c] for c in ("employer", "grad_year", "city")]
        assert any(different)

    pairs = same_person_pairs(truth)
    assert len(pairs) >= (per_person > 1).sum()
    assert (pairs["person_id"].notna()).all()


def test_invitations_go_to_people_who_are_not_connections(
    dataset: tuple[Path, pd.DataFrame, pd.DataFrame],
) -> None:
    folder, truth, _ = dataset
    invited = set(truth.loc[truth["file"] == "Invitations.csv", "person_id"])
    connected = set(truth.loc[truth["file"] == CONNECTIONS, "person_id"].dropna())
    assert invited and not invited & connected
    text = (folder / "linkedin_export" / "Invitations.csv").read_text(encoding="utf-8")
    assert text.startswith(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    )


def test_zip_export_holds_the_same_files_at_its_root(tmp_path: Path) -> None:
    people = generate_population(40, seed=8)
    write_linkedin_export(
        tmp_path / "export", people, seed=2, zip_path=tmp_path / "export.zip", conversations=2
    )
    with zipfile.ZipFile(tmp_path / "export.zip") as zf:
        names = zf.namelist()
        assert set(names) == {CONNECTIONS, "Profile.csv", "Education.csv", "messages.csv"}
        for name in names:
            assert zf.read(name) == (tmp_path / "export" / name).read_bytes()


def test_old_era_has_no_preamble_and_no_url_column(tmp_path: Path) -> None:
    people = generate_population(30, seed=9)
    truth = write_linkedin_export(tmp_path, people, era="2020", seed=3)
    lines = (tmp_path / CONNECTIONS).read_text(encoding="utf-8").split("\n")
    assert lines[0] == "First Name,Last Name,Email Address,Company,Position,Connected On"
    assert truth["row"].min() == 2
    assert np.array_equal(truth["row"].to_numpy(), np.arange(2, len(lines) + 1))
