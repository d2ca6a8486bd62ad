"""The workbook is safe to open and safe to re-run: text stays text, the user's edits survive."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

import pipeline.workbook.writer as writer
from pipeline.errors import WorkbookError
from pipeline.workbook.cells import CELL_LIMIT, CellMaker, clean_cell_text, safe_link, utf16_len
from pipeline.workbook.layout import (
    DECISIONS,
    MOTIVATION_CHOICES,
    POSTING_CHOICES,
    SHEETS,
    STATUSES,
    TABLE_NAMES,
)
from pipeline.workbook.previous import parse_date_sent
from pipeline.workbook.rules import (
    check_sheet_names,
    check_table_name,
    inline_list,
    sheet_name_problem,
    unique_headers,
)
from pipeline.workbook.writer import check_writable
from tests.conftest import read_sheet

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "=1+1", "#N/A"]


def run_with_alumni(run_cli, tmp_path: Path, rows: list[str], *extra: str) -> Path:
    alumni = tmp_path / "alumni.csv"
    alumni.write_text("First Name,Last Name,Company,Job Title,Email\n" + "\n".join(rows) + "\n",
                      encoding="utf-8")  # fmt: skip
    profile = tmp_path / "profile.toml"
    if not profile.exists():
        profile.write_text('[me]\nname = "Alex Rivera"\n[target]\nfield = "Data Science"\n')
    out = tmp_path / "out.xlsx"
    result = run_cli("run", "--alumni", str(alumni), "--profile", str(profile),
                     "--out", str(out), "--quiet", *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def summary_notes(out: Path) -> list[str]:
    """The text of the first column of Summary, where its notes are."""
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Summary").to_python()
    return [row[0] for row in rows if row and isinstance(row[0], str)]


def csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


# Safety -------------------------------------------------------------------------------------


def test_formula_injection_is_written_as_plain_text(run_cli, tmp_path: Path) -> None:
    rows = [f"Ann{i},{csv_field(v)},{csv_field(v)},{csv_field(v)},a{i}@x.com"
            for i, v in enumerate(HOSTILE)]  # fmt: skip
    out = run_with_alumni(run_cli, tmp_path, rows)
    contacts = read_sheet(out, "Contacts")
    for column in ("Company", "Title"):
        assert set(HOSTILE) <= {row[column] for row in contacts}, column
    assert all(isinstance(row["Company"], str) for row in contacts)
    # The XML holds no formula but our own Next Action and Due, and every hostile cell is text.
    sheet = load_workbook(out)["Contacts"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for cell, name in zip(row, header, strict=False):
            if cell.data_type == "f":
                assert name in ("Next Action", "Due"), (name, cell.value)
            if cell.value in HOSTILE:
                assert cell.data_type == "s", (name, cell.value)
    # calamine reads what Excel would show: the literal text.
    values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Contacts").to_python()
    assert set(HOSTILE) <= {row[header.index("Company")] for row in values}


def test_a_users_formula_like_note_stays_text_through_a_rerun(run_cli, tmp_path: Path) -> None:
    out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Acme,Analyst,a@x.com"])
    book = load_workbook(out)
    book["Contacts"]["P2"].value = "=1+1 is what she said"
    book["Contacts"]["P2"].data_type = "s"
    assert book["Contacts"]["P1"].value == "Notes"
    book.save(out)
    out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Acme,Analyst,a@x.com"])
    assert read_sheet(out, "Contacts")[0]["Notes"] == "=1+1 is what she said"


def test_control_characters_are_removed(run_cli, tmp_path: Path) -> None:
    out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Ac\x07me\x0b Corp\ufffe,Analyst,a@x.com"])
    assert read_sheet(out, "Contacts")[0]["Company"] == "Acme Corp"


def test_long_value_is_cut_at_excel_limit_and_marked() -> None:
    text, cut = clean_cell_text("😀" * 20_000)
    assert cut
    assert utf16_len(text) <= CELL_LIMIT
    assert text.endswith("limit]")
    assert clean_cell_text("short") == ("short", False)


def test_escape_lookalikes_round_trip_through_reruns(run_cli, tmp_path: Path) -> None:
    """Excel reads '_x0041_' in a cell as 'A'; a note that says '_x0041_' must stay as typed."""
    typed = "ref _x0041_ and _x005F_ and C:\\temp\\_x000D_"
    out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Acme _x0042_,Analyst,a@x.com"])
    book = load_workbook(out)
    # What Excel itself writes for a typed '_x0041_': its escape for '_', then the rest.
    book["Contacts"]["P2"].value = re.sub(r"_(x[0-9A-F]{4}_)", r"_x005F_\1", typed)
    book.save(out)
    for _ in range(3):
        out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Acme _x0042_,Analyst,a@x.com"])
        values = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Contacts").to_python()
        header = values[0]
        assert values[1][header.index("Notes")] == typed
        assert values[1][header.index("Company")] == "Acme _x0042_"
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "Acme _x005F_x0042_" in xml  # escaped once, not once per run


def test_cut_never_leaves_half_an_escape() -> None:
    text, cut = clean_cell_text("a" * (CELL_LIMIT - 60) + "_x0041_" * 20)
    assert cut
    body = text.removesuffix(" [cut: over Excel's 32,767-character cell limit]")
    assert not body.endswith(("_x005F", "_x005", "_x00", "_x0", "_x", "_"))


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.linkedin.com/in/maya", True),
        ("http://example.com/a", True),
        ("mailto:a@b.co", True),
        ("MAILTO:a@b.co?subject=Hi%20there", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("ftp://example.com", False),
        ('https://x.com/"onmouseover', False),
        ("https://x.com/" + "a" * 3000, False),
    ],
)
def test_only_http_and_mailto_become_links(url: str, ok: bool) -> None:
    assert bool(safe_link(url)) is ok


def test_hyperlinks_stop_at_the_sheet_budget() -> None:
    book = Workbook(write_only=True)
    maker = CellMaker(book.create_sheet("S"), link_budget=2)
    cells = [maker.link(f"p{i}", f"https://example.com/{i}") for i in range(3)]
    assert [getattr(c, "hyperlink", None) is not None for c in cells] == [True, True, False]
    assert maker.links_dropped == 1


# Excel's rules ------------------------------------------------------------------------------


def test_contract_names_follow_excels_rules() -> None:
    check_sheet_names(SHEETS)
    for name in TABLE_NAMES.values():
        check_table_name(name)
    assert len(set(TABLE_NAMES.values())) == len(TABLE_NAMES)
    for choices in (STATUSES, DECISIONS, MOTIVATION_CHOICES, POSTING_CHOICES):
        assert len(inline_list(choices)) <= 255 + 2


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Contacts", ""),
        ("x" * 32, "longer than 31"),
        ("a/b", "contains"),
        ("'quoted", "apostrophe"),
        ("History", "reserved"),
        ("  ", "blank"),
    ],
)
def test_sheet_name_rules(name: str, problem: str) -> None:
    found = sheet_name_problem(name)
    assert (problem in found) if problem else found == ""


def test_sheet_names_must_differ_beyond_case() -> None:
    with pytest.raises(ValueError, match="repeat"):
        check_sheet_names(["Notes", "NOTES"])


@pytest.mark.parametrize("name", ["A1", "R1C1", "has space", "1table", "C"])
def test_bad_table_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        check_table_name(name)


def test_table_headers_are_made_unique_ignoring_case() -> None:
    assert unique_headers(["Notes", "notes", "", "Notes", "Follow-up\ndate"]) == [
        "Notes",
        "notes (2)",
        "Column",
        "Notes (3)",
        "Follow-up date",
    ]


def test_a_dropdown_over_255_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="255"):
        inline_list([f"choice number {i}" for i in range(20)])


# The Contacts sheet -------------------------------------------------------------------------


def test_contacts_sheet_is_ready_to_review(run_cli, tmp_path: Path) -> None:
    rows = [
        "Maya,Chen,Spotify,Senior Data Scientist,maya@x.com",
        "Bo,Kim,Acme,Analyst,bo@y.org",
    ]
    out = run_with_alumni(run_cli, tmp_path, rows)
    sheet = load_workbook(out)["Contacts"]
    header = [c.value for c in sheet[1]]
    letter = {h: sheet.cell(1, i + 1).column_letter for i, h in enumerate(header)}
    assert sheet.freeze_panes == "E2"  # header and Rank..Name stay in view
    table = sheet.tables["ContactsTable"]
    assert table.ref == f"A1:{letter[header[-1]]}3"
    assert [c.name for c in table.tableColumns] == header
    assert sheet.column_dimensions[letter["Match Keys"]].hidden
    assert not sheet.column_dimensions[letter["Name"]].hidden
    # Widths fit: a short column is narrower than a long one, and every header fits.
    widths = {h: sheet.column_dimensions[letter[h]].width for h in header}
    assert widths["Tier"] < widths["Name"] < widths["Why"]
    assert all(widths[h] >= len(h) for h in header)
    assert sheet[f"{letter['Why']}2"].alignment.wrap_text
    validation = next(v for v in sheet.data_validations.dataValidation if "Sent" in v.formula1)
    assert validation.formula1 == inline_list(STATUSES)
    assert f"{letter['Status']}2:{letter['Status']}3" in str(validation.sqref)
    assert sheet[f"{letter['Date Sent']}2"].number_format == "yyyy-mm-dd"
    assert sheet[f"{letter['Due']}2"].number_format == "yyyy-mm-dd"
    assert sheet[f"{letter['Email']}2"].hyperlink.target.startswith("mailto:")
    rules = {str(r.sqref) for r in sheet.conditional_formatting}
    assert {
        f"{letter['Score']}2:{letter['Score']}3",
        f"{letter['Tier']}2:{letter['Tier']}3",
    } <= rules


def test_every_cell_of_a_tall_row_sits_at_the_top(run_cli, tmp_path: Path) -> None:
    # Why wraps over several lines, so the row is tall; the plain cells beside it (Name, Title,
    # the formula in Next Action, Rank) carry no style of their own and must still be at the
    # top, as must a value the user types later into an empty cell or a new row.
    title = "Senior Data Scientist for Experimentation and Causal Inference in Personalization"
    out = run_with_alumni(run_cli, tmp_path, [f"Maya,Chen,Spotify,{title},maya@x.com"])
    sheet = load_workbook(out)["Contacts"]
    header = [c.value for c in sheet[1]]
    row = {h: sheet.cell(2, i + 1) for i, h in enumerate(header)}
    assert sheet.row_dimensions[2].height > 20, row["Why"].value  # tall
    assert row["Name"].style_id == 0  # no style of its own
    for name in ("Name", "Title", "Next Action", "Rank", "Email", "Tier", "Why"):
        assert row[name].alignment.vertical == "top", name
    assert row["Tier"].alignment.horizontal == "center"
    # An empty cell (Status, or any cell of a new row) is not in the file: Excel gives it the
    # default format, the first of cellXfs, unless its column or row names another.
    assert row["Status"].value is None
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    default = re.search(r"<cellXfs[^>]*>(<xf .*?</xf>)", styles)
    assert default and '<alignment vertical="top"' in default.group(1)
    assert ' style="' not in xml.split("<sheetData>")[0]
    assert not re.search(r'<row [^>]* s="', xml)


def test_row_cap_keeps_the_best_rows_and_writes_the_full_list(run_cli, tmp_path: Path) -> None:
    rows = [f"P{i},Q{i},Acme,Analyst,p{i}@x.com" for i in range(12)]
    out = run_with_alumni(run_cli, tmp_path, rows, "--row-cap", "5")
    assert len(read_sheet(out, "Contacts")) == 5
    full = (tmp_path / "out-all-contacts.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(full) == 13
    notes = summary_notes(out)
    assert any("out-all-contacts.csv" in n and "best 5" in n for n in notes)
    # A person below the cap the user wrote about stays in the sheet.
    book = load_workbook(out)
    book["Contacts"]["P3"].value = "keep me"
    book.save(out)
    name = read_sheet(out, "Contacts")[1]["Name"]
    out = run_with_alumni(run_cli, tmp_path, rows, "--row-cap", "2")
    contacts = read_sheet(out, "Contacts")
    assert [c["Name"] for c in contacts][-1] == name
    assert contacts[-1]["Notes"] == "keep me"


def test_changes_past_the_row_cap_keep_job_changes_first(run_cli, tmp_path: Path) -> None:
    run_with_alumni(run_cli, tmp_path, ["P0,Q0,Acme,Analyst,p0@x.com"], "--row-cap", "3")
    rows = [f"P{i},Q{i},Acme,Data Scientist,p{i}@x.com" for i in range(1, 9)]
    out = run_with_alumni(
        run_cli, tmp_path, ["P0,Q0,Globex,Analyst,p0@x.com", *rows], "--row-cap", "3"
    )
    changes = read_sheet(out, "Changes")  # the job change and the two best new people, by rank
    assert sorted(c["Change"] for c in changes) == ["Changed job", "New", "New"]
    ranked = [c["Name"] for c in read_sheet(out, "Contacts") if c["Name"] != "P0 Q0"]
    assert [c["Name"] for c in changes if c["Change"] == "New"] == ranked[:2]
    assert next(c["Name"] for c in changes if c["Change"] == "Changed job") == "P0 Q0"
    notes = summary_notes(out)
    assert any(n.startswith("Changes lists 3 of 9 changes (the row cap is 3)") for n in notes)


def test_skipped_rows_past_excels_limit_go_to_a_csv(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "EXCEL_ROWS", 4)  # a sheet of a header and 3 rows
    rows = [f"P{i},Q{i},Acme,Analyst,p{i}@x.com" for i in range(2)]
    rows += [f",,Initech {i},Analyst," for i in range(5)]
    out = run_with_alumni(run_cli, tmp_path, rows)
    assert [s["Row"] for s in read_sheet(out, "Skipped")] == [4, 5, 6]
    with (tmp_path / "out-skipped.csv").open(encoding="utf-8-sig", newline="") as handle:
        every = list(csv.DictReader(handle))
    assert [r["Row"] for r in every] == ["4", "5", "6", "7", "8"]
    assert list(every[0]) == ["File", "Row", "Reason", "Raw Values"]
    assert "Initech 4" in every[-1]["Raw Values"] and every[-1]["File"] == "alumni.csv"
    notes = summary_notes(out)
    assert any("5 rows were skipped" in n and "out-skipped.csv" in n for n in notes)
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_csv_left_from_a_bigger_run_is_kept_and_called_out_of_date(
    run_cli, tmp_path: Path
) -> None:
    rows = [f"P{i},Q{i},Acme,Analyst,p{i}@x.com" for i in range(3)]
    run_with_alumni(run_cli, tmp_path, rows, "--row-cap", "1")
    old = (tmp_path / "out-all-contacts.csv").read_bytes()
    out = run_with_alumni(run_cli, tmp_path, rows)
    assert (tmp_path / "out-all-contacts.csv").read_bytes() == old
    notes = summary_notes(out)
    assert any(n.startswith("out-all-contacts.csv beside this workbook is from an earlier run")
               for n in notes)  # fmt: skip
    assert not any("out-skipped.csv" in n for n in notes)


def test_csv_overflow_quotes_formula_like_values(run_cli, tmp_path: Path) -> None:
    rows = [f"Ann{i},Lee,{csv_field(v)},Analyst,a{i}@x.com" for i, v in enumerate(HOSTILE)]
    run_with_alumni(run_cli, tmp_path, rows, "--row-cap", "1")
    text = (tmp_path / "out-all-contacts.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1" in text and "'-2" in text and "'@SUM(A1)" in text


def test_csv_overflow_leaves_an_unknown_class_year_blank(run_cli, tmp_path: Path) -> None:
    rows = [f"P{i},Q{i},Acme,Analyst,p{i}@x.com" for i in range(3)]
    run_with_alumni(run_cli, tmp_path, rows, "--row-cap", "1")
    with (tmp_path / "out-all-contacts.csv").open(encoding="utf-8-sig", newline="") as handle:
        years = [row["Class Year"] for row in csv.DictReader(handle)]
    assert years == ["", "", ""]


# Replacing the file -------------------------------------------------------------------------


def test_workbook_open_elsewhere_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "outreach.xlsx"
    out.write_bytes(b"placeholder")
    (tmp_path / "~$outreach.xlsx").write_bytes(b"")
    with pytest.raises(WorkbookError, match="open in another program"):
        check_writable(out)
    (tmp_path / "~$outreach.xlsx").unlink()
    (tmp_path / ".~lock.outreach.xlsx#").write_bytes(b"")
    with pytest.raises(WorkbookError, match="lock file"):
        check_writable(out)


def test_read_only_workbook_gives_a_clear_error_and_changes_nothing(
    run_cli, tmp_path: Path
) -> None:
    out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Acme,Analyst,a@x.com"])
    before = out.read_bytes()
    os.chmod(out, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        alumni = tmp_path / "alumni.csv"
        result = run_cli("run", "--alumni", str(alumni), "--profile",
                         str(tmp_path / "profile.toml"), "--out", str(out))  # fmt: skip
    finally:
        os.chmod(out, stat.S_IRUSR | stat.S_IWUSR)
    assert result.exit_code == 1
    assert "read-only" in result.output and "nothing was changed" in result.output
    assert out.read_bytes() == before
    assert not (tmp_path / "out.backup.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_unreadable_previous_workbook_stops_the_run_untouched(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"not a workbook")
    alumni = tmp_path / "alumni.csv"
    alumni.write_text("First Name,Last Name\nAnn,Lee\n", encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text('[me]\nname = "A"\n[target]\nfield = "Law"\n', encoding="utf-8")
    result = run_cli("run", "--alumni", str(alumni), "--profile", str(profile), "--out", str(out))
    assert result.exit_code == 1
    assert "cannot be read" in result.output
    assert out.read_bytes() == b"not a workbook"


# Reading what the user typed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (dt.datetime(2026, 3, 4), dt.date(2026, 3, 4)),
        ("2026-03-04", dt.date(2026, 3, 4)),
        ("4 Mar 2026", dt.date(2026, 3, 4)),
        ("March 4, 2026", dt.date(2026, 3, 4)),
        ("25/3/2026", dt.date(2026, 3, 25)),
        ("3/25/2026", dt.date(2026, 3, 25)),
        ("3/4/2026", "3/4/2026"),  # March or April: kept as typed, Summary asks for a clear date
        (46085.0, dt.date(2026, 3, 4)),  # a date cell that lost its format
        ("last Tuesday", "last Tuesday"),
    ],
)
def test_date_sent_is_read_as_a_date_when_it_surely_is_one(typed: object, read: object) -> None:
    assert parse_date_sent(typed) == read


@pytest.mark.parametrize("name", ["outreach.csv", "outreach.xls", "outreach"])
def test_the_workbook_must_be_named_xlsx(tmp_path: Path, name: str) -> None:
    with pytest.raises(WorkbookError, match=r"\.xlsx"):
        check_writable(tmp_path / name)
