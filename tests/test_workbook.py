"""The workbook is safe to open and safe to re-run: text stays text, the user's edits survive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline.errors import WorkbookError
from pipeline.workbook.cells import CELL_LIMIT, clean_cell_text, safe_link
from pipeline.workbook.writer import check_writable
from tests.conftest import read_sheet

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "=1+1", "#N/A"]


def run_with_alumni(run_cli, tmp_path: Path, rows: list[str], out: Path | None = None):
    alumni = tmp_path / "alumni.csv"
    alumni.write_text("First Name,Last Name,Company,Job Title,Email\n" + "\n".join(rows) + "\n",
                      encoding="utf-8")  # fmt: skip
    profile = tmp_path / "profile.toml"
    if not profile.exists():
        profile.write_text('[me]\nname = "Alex Rivera"\n[target]\nfield = "Data Science"\n')
    out = out or tmp_path / "out.xlsx"
    result = run_cli("run", "--alumni", str(alumni), "--profile", str(profile),
                     "--out", str(out), "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_formula_injection_is_written_as_plain_text(run_cli, tmp_path: Path) -> None:
    rows = [f'Ann{i},Lee{i},"{value.replace(chr(34), chr(34) * 2)}",Analyst,a{i}@x.com'
            for i, value in enumerate(HOSTILE)]  # fmt: skip
    out = run_with_alumni(run_cli, tmp_path, rows)
    companies = {row["Company"] for row in read_sheet(out, "Contacts")}
    assert set(HOSTILE) <= companies
    book = load_workbook(out)
    sheet = book["Contacts"]
    column = [c.value for c in sheet[1]].index("Company") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, column)
        assert cell.data_type == "s", cell.value


def test_control_characters_are_removed(run_cli, tmp_path: Path) -> None:
    out = run_with_alumni(run_cli, tmp_path, ["Ann,Lee,Ac\x07me\x0b Corp\ufffe,Analyst,a@x.com"])
    assert read_sheet(out, "Contacts")[0]["Company"] == "Acme Corp"


def test_long_value_is_cut_at_excel_limit_and_marked() -> None:
    text, cut = clean_cell_text("😀" * 20_000)
    assert cut
    assert len(text.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert text.endswith("limit]")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.linkedin.com/in/maya", True),
        ("mailto:a@b.co", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://x.com/" + "a" * 3000, False),
    ],
)
def test_only_http_and_mailto_become_links(url: str, ok: bool) -> None:
    assert bool(safe_link(url)) is ok


def test_rerun_keeps_status_notes_and_makes_a_backup(run_cli, tmp_path: Path) -> None:
    rows = ["Maya,Chen,Spotify,Data Scientist,maya@x.com", "Bo,Kim,Acme,Analyst,bo@y.org"]
    out = run_with_alumni(run_cli, tmp_path, rows)
    book = load_workbook(out)
    sheet = book["Contacts"]
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, header.index("Name") + 1).value == "Maya Chen":
            sheet.cell(row, header.index("Status") + 1).value = "Sent"
            sheet.cell(row, header.index("Date Sent") + 1).value = dt.date(2026, 11, 2)
            sheet.cell(
                row, header.index("Notes") + 1
            ).value = "met at the career fair; ask about the ML team"
    book.save(out)
    run_with_alumni(run_cli, tmp_path, [*reversed(rows), "Cy,Diaz,Pfizer,Scientist,cy@z.com"])
    contacts = {row["Name"]: row for row in read_sheet(out, "Contacts")}
    assert contacts["Maya Chen"]["Status"] == "Sent"
    assert contacts["Maya Chen"]["Date Sent"] == dt.datetime(2026, 11, 2)
    assert contacts["Maya Chen"]["Notes"] == "met at the career fair; ask about the ML team"
    assert (tmp_path / "out.backup.xlsx").exists()
    changes = read_sheet(out, "Changes")
    assert [(c["Change"], c["Name"]) for c in changes] == [("New", "Cy Diaz")]


def test_workbook_open_elsewhere_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "outreach.xlsx"
    out.write_bytes(b"placeholder")
    (tmp_path / "~$outreach.xlsx").write_bytes(b"")
    with pytest.raises(WorkbookError, match="open in another program"):
        check_writable(out)


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
