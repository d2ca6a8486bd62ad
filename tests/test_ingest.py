"""Ingest reads real shapes: preambles, title rows, code pages, delimiters, header traps."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from pipeline.errors import InputError
from pipeline.ingest import read_inputs, read_table_file
from pipeline.ingest.headers import map_columns, score_header
from pipeline.ingest.sources import LoadedFile
from pipeline.ingest.tables import decode_text, sniff_delimiter
from tests.conftest import connections_csv

ROWS = [
    "Maya,Chen,https://www.linkedin.com/in/maya-chen,,Spotify,Data Scientist,12 Mar 2024",
    '"Linh","Nguyen, PhD",https://www.linkedin.com/in/linhn,,Pfizer,Scientist,9-Sep-22',
]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("First Name", "first_name"),
        ("CnBio_First_Name", "first_name"),
        ("hed__WorkEmail__c", "email"),
        ("Preferred E-mail", "email"),
        ("CL YR", "grad_year"),
        ("Entity Pref Class Year", "grad_year"),
        ("CnPrBs_Org_Name", "company"),
        ("Current Employer", "company"),
        ("Job Title", "title"),
        ("LinkedIn Profile URL", "linkedin"),
        ("Name", "full_name"),
        ("Frist Name", "first_name"),
    ],
)
def test_headers_map_to_fields(header: str, field: str) -> None:
    found, confidence, _ = score_header(header)
    assert found == field
    assert confidence >= 0.75


@pytest.mark.parametrize(
    ("header", "not_field"),
    [
        ("Supplier number", "phone"),
        ("Email Opt Out", "email"),
        ("Employer City", "company"),
        ("Spouse Name", "full_name"),
        ("Name Suffix", "full_name"),
        ("Spouse Email", "email"),
        ("Email Type", "email"),
    ],
)
def test_header_traps_are_not_used_as_the_tempting_field(header: str, not_field: str) -> None:
    mappings = map_columns([header], [["x"]], {})
    assert mappings[0].field != not_field


def test_preferred_email_holding_labels_is_not_used() -> None:
    rows = [["Ann", "Work Email"], ["Bo", "University Email"], ["Cy", "Work Email"]]
    mappings = map_columns(["Name", "Preferred Email"], rows, {})
    assert mappings[1].field is None
    assert "labels" in mappings[1].note


def test_profile_override_wins() -> None:
    mappings = map_columns(["Pref Mail", "Who"], [["a@b.co", "Ann Lee"]], {"Who": "full_name"})
    assert mappings[1].field == "full_name"
    assert mappings[1].how == "set in profile.toml"


def _connections(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("preamble", [True, False])
@pytest.mark.parametrize("bom", [True, False])
def test_connections_with_and_without_preamble_and_bom(
    tmp_path: Path, preamble: bool, bom: bool
) -> None:
    path = _connections(tmp_path, connections_csv(ROWS, preamble=preamble, bom=bom))
    ingested = read_inputs([path], [], {})
    assert len(ingested.records) == 2
    first_line = 5 if preamble else 2
    assert list(ingested.records["row"]) == [first_line, first_line + 1]
    assert list(ingested.records["last_name"]) == ["Chen", "Nguyen, PhD"]


def test_excel_resaved_connections_crlf(tmp_path: Path) -> None:
    text = "\r\n".join(
        [
            "First Name,Last Name,Email Address,Company,Position,Connected On",
            "Maya,Chen,,Spotify,Data Scientist,9-Sep-22",
        ]
    )
    path = _connections(tmp_path, text.encode("cp1252") + b"\r\n")
    ingested = read_inputs([path], [], {})
    assert ingested.records.loc[0, "connected_on"] == "9-Sep-22"


def test_zip_folder_and_csv_give_the_same_records(tmp_path: Path) -> None:
    data = connections_csv(ROWS)
    folder = tmp_path / "Complete_LinkedInDataExport_08-26-2025"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(data)
    archive = tmp_path / "Basic_LinkedInDataExport_08-26-2025.zip.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("Connections.csv", data)
        handle.writestr("Jobs/Job Applications.csv", "Application Date\n")
    columns = ["file", "row", "first_name", "last_name", "linkedin"]
    frames = [
        read_inputs([source], [], {}).records[columns]
        for source in (folder / "Connections.csv", folder, archive)
    ]
    assert frames[0].equals(frames[1])
    assert frames[0].equals(frames[2])


def test_zip_without_connections_is_a_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("Profile.csv", "First Name,Last Name\nAlex,Rivera\n")
    with pytest.raises(InputError, match=r"no Connections\.csv"):
        read_inputs([archive], [], {})


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "alumni.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_inputs([], [path], {})


def test_file_without_a_name_column_says_what_it_found(tmp_path: Path) -> None:
    path = tmp_path / "alumni.csv"
    path.write_text("ID,Amount,Fund\n1,100,General\n2,50,Library\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_inputs([], [path], {})
    assert "no column looks like a name" in str(error.value)
    assert "outreach inspect" in str(error.value)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16-le", b"\xff\xfe")],
)
def test_alumni_csv_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "First;Last;Grad Year;Current Company\r\nJosé;García;’19;Müller GmbH\r\n"
    path = tmp_path / "alumni.csv"
    path.write_bytes(bom + text.encode(encoding))
    records = read_inputs([], [path], {}).records
    assert records.loc[0, "first_name"] == "José"
    assert records.loc[0, "company"] == "Müller GmbH"
    assert records.loc[0, "grad_year"] == "’19"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_sniff_delimiter(delimiter: str) -> None:
    text = delimiter.join(["First Name", "Last Name", "Company"]) + "\n"
    text += delimiter.join(["Ann", "Lee", "Acme, Inc." if delimiter != "," else "Acme"]) + "\n"
    assert sniff_delimiter(text) == delimiter


def test_cp1252_typographic_apostrophe_is_not_macroman() -> None:
    decoded = decode_text("Smith, Jane ’18;Deloitte\n".encode("cp1252"), "x.csv")
    assert decoded.encoding == "cp1252"
    assert "’18" in decoded.text


def test_xlsx_with_title_row_and_float_years(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Northfield University — Alumni Directory export 2026-10-01"])
    sheet.append([])
    sheet.append(["Constituent ID", "Name", "Class Year", "Employer", "Preferred E-mail"])
    sheet.append(["A1", "Chen, Maya", 2019.0, "Spotify", " Maya.Chen@Example.com "])
    sheet.append([None, None, None, None, None])
    sheet.append(["A2", "Okafor, Bob", 2015, "Acme", "bob@example.org"])
    path = tmp_path / "alumni.xlsx"
    book.save(path)
    ingested = read_inputs([], [path], {})
    records = ingested.records
    assert list(records["row"]) == [4, 6]
    assert list(records["grad_year"]) == ["2019", "2015"]
    assert ingested.reports[0].header_row == 3
    assert list(ingested.skipped["row"]) == [5]


def test_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["First Name", "Last Name", "Company"])
    book.active.append(["Ann", "Lee", "Acme"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "alumni.csv"
    path.write_bytes(buffer.getvalue())
    ingested = read_inputs([], [path], {})
    assert ingested.records.loc[0, "last_name"] == "Lee"
    assert any("really a workbook" in note for note in ingested.reports[0].notes)


def test_repeated_header_and_duplicate_headers(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,Email,Email\n"
        "Ann,Lee,ann@a.com,ann@b.com\n"
        "First Name,Last Name,Email,Email\n"
        "Bo,Kim,,bo@b.com\n"
    )
    path = tmp_path / "alumni.csv"
    path.write_text(text, encoding="utf-8")
    ingested = read_inputs([], [path], {})
    assert list(ingested.records["email"]) == ["ann@a.com; ann@b.com", "bo@b.com"]
    assert list(ingested.skipped["reason"]) == ["repeated header row"]
    assert list(ingested.skipped["row"]) == [3]


def test_cp1250_czech_is_not_read_as_cp1252() -> None:
    decoded = decode_text("Dvořák;Černá;Růžička;Plzeň\n".encode("cp1250"), "x.csv")
    assert decoded.encoding == "cp1250"
    assert "Dvořák" in decoded.text


def test_mostly_utf8_file_with_a_pasted_cp1252_line() -> None:
    data = "Name\nJosé García\nZoë Ødegaard\nAnn Lee\n".encode() + "Renée\n".encode("cp1252")
    decoded = decode_text(data, "x.csv")
    assert decoded.text.splitlines() == ["Name", "José García", "Zoë Ødegaard", "Ann Lee", "Renée"]
    assert "1 line is in another encoding" in decoded.notes[0]


def test_group_label_over_the_header_names_the_column(tmp_path: Path) -> None:
    text = ",Spouse,,\nEmail,First,Last,Name\na@x.com,Bo,Lee,Ann Lee\n"
    path = tmp_path / "alumni.csv"
    path.write_text(text, encoding="utf-8")
    ingested = read_inputs([], [path], {})
    headers = [m.header for m in ingested.reports[0].columns]
    assert headers == ["Email", "Spouse / First", "Spouse / Last", "Spouse / Name"]
    assert ingested.records.loc[0, "first_name"] == ""
    assert ingested.records.loc[0, "full_name"] == ""
    mapped = read_inputs([], [path], {"alumni.csv": {"Spouse / Name": "full_name"}})
    assert mapped.records.loc[0, "full_name"] == "Ann Lee"


def test_profile_mapping_a_missing_column_names_it(tmp_path: Path) -> None:
    path = tmp_path / "alumni.csv"
    path.write_text("Name,Email\nAnn Lee,a@x.com\n", encoding="utf-8")
    with pytest.raises(InputError, match=r'maps column "Pref Mail".*"Name", "Email"'):
        read_inputs([], [path], {"alumni.csv": {"Pref Mail": "email"}})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["", " ", "Ann Lee", "a@x.com", "Total: 3", "Name", "x,y"]),
                 min_size=3, max_size=3),
        min_size=1, max_size=12,
    )
)  # fmt: skip
def test_every_data_row_is_kept_or_skipped_once(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Email", "Notes"])
    writer.writerows(rows)
    loaded = LoadedFile("alumni.csv", buffer.getvalue().encode(), "alumni.csv")
    try:
        parts = read_table_file(loaded, "alumni", {})
    except InputError:
        return  # no usable row at all: an error, which is also an honest answer
    for part in parts:
        lines = list(part.records["row"]) + list(part.skipped["row"])
        assert len(lines) == len(set(lines)) == part.report.rows_read


def test_connections_passed_as_alumni_are_read_as_connections(tmp_path: Path) -> None:
    path = _connections(tmp_path, connections_csv(ROWS))
    ingested = read_inputs([], [path], {})
    assert set(ingested.records["source"]) == {"connection"}
    assert any("read as connections, not alumni" in n for n in ingested.reports[0].notes)


def test_alumni_list_passed_as_connections_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "alumni.csv"
    path.write_text("Name,Email\nAnn Lee,ann@example.com\n", encoding="utf-8")
    ingested = read_inputs([path], [], {})
    assert any("no 'Connected On' column" in n for n in ingested.reports[0].notes)


def test_two_title_cells_above_the_header_are_not_group_labels(tmp_path: Path) -> None:
    path = tmp_path / "alumni.csv"
    path.write_text("Report:,Alumni 2026,,\nName,Email,Employer,City\nAnn Lee,a@x.com,Acme,Oslo\n")
    ingested = read_inputs([], [path], {"alumni.csv": {"Employer": "ignore"}})
    assert [m.header for m in ingested.reports[0].columns] == ["Name", "Email", "Employer", "City"]
    assert ingested.records.loc[0, "company"] == ""


def test_a_lone_name_starting_with_a_report_word_is_a_person(tmp_path: Path) -> None:
    path = tmp_path / "alumni.csv"
    path.write_text("Name,Email,Employer\nAnn Lee,a@x.com,Acme\nCount Basie,,\nTotal: 2,,\n")
    ingested = read_inputs([], [path], {})
    assert list(ingested.records["full_name"]) == ["Ann Lee", "Count Basie"]
    assert list(ingested.skipped["reason"]) == ["a note or total line, not a person"]


@pytest.mark.parametrize("chunk", [7, 64, 4 * 1024**2])
def test_a_sheet_without_dimension_is_measured_by_its_value_cells(monkeypatch, chunk) -> None:
    import io

    from pipeline.ingest import spreadsheet_limits as limits

    monkeypatch.setattr(limits, "_SCAN_CHUNK", chunk)
    rows = [b'<row r="1"><c r="AB1" s="2"/></row>']  # formatting only: not a value
    for row in range(3, 3000):
        rows.append(
            f'<row r="{row}"><c r="C{row}" t="s"><v>1</v></c><c r="E{row}"><v>2</v></c></row>'
            .encode()
        )  # fmt: skip
    rows.append(b'<row r="3001"><x:c r="AA3001" t="inlineStr"><is><t>z</t></is></x:c></row>')
    rows.append(b'<row r="9000"><c r="ZZ9000" s="1"></c></row>')  # an empty pair of tags
    xml = b"<worksheet><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"
    handle = io.BytesIO(xml)
    extent = limits._scan_values(handle, handle.read(100), "People")
    # Rows 3..9000 (ZZ9000 is a tag pair, as Excel writes a value cell), columns C..ZZ.
    assert extent == limits.SheetExtent("People", 9000 - 3 + 1, 702 - 3 + 1, "ZZ9000")
