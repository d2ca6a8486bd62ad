"""A real spreadsheet program opens the workbook: LibreOffice converts it, computes formulas."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from pipeline.workbook.layout import CONTACT_COLUMNS, SHEETS
from tests.conftest import REPO

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui); "
    ".ci/run installs it so CI runs these tests",
)
DEMO = REPO / "tests" / "fixtures" / "demo"
FOLLOW_UP = "No reply by the due date? Send the follow-up (Drafts)"
HOSTILE = ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)", "#N/A"]
# LibreOffice's own settings: recalculate every formula on load, whatever the file has cached.
RECALCULATE_ALWAYS = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throw-away LibreOffice user profile, so the test neither reads nor changes the user's."""
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ALWAYS)
    return profile


def convert(workbook: Path, office_profile: Path, target: str = "xlsx") -> Path:
    """Open the workbook in LibreOffice and save it again; return the file LibreOffice wrote."""
    outdir = workbook.parent / f"converted-{target}"
    outdir.mkdir(exist_ok=True)
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE, "--headless", "--norestore", "--nolockcheck",
            f"-env:UserInstallation={office_profile.as_uri()}",
            "--convert-to", target, "--outdir", str(outdir), str(workbook),
        ],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    converted = outdir / f"{workbook.stem}.{target}"
    assert converted.exists(), f"LibreOffice did not convert: {done.stdout} {done.stderr}"
    return converted


def rows_of(path: Path, sheet: str) -> list[dict[str, Any]]:
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


@pytest.fixture
def demo_workbook(run_cli, tmp_path: Path) -> Path:
    hostile = tmp_path / "hostile.csv"
    lines = ["First Name,Last Name,Company,Job Title"]
    for number, value in enumerate(HOSTILE):
        quoted = '"' + value.replace('"', '""') + '"'
        lines.append(f"Pat{'abcde'[number]},{quoted},{quoted},{quoted}")
    hostile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run_demo(run_cli, tmp_path)


def run_demo(run_cli, tmp_path: Path) -> Path:
    hostile = tmp_path / "hostile.csv"
    out = tmp_path / "outreach.xlsx"
    result = run_cli(
        "run", "--connections", str(DEMO / "linkedin_export"), "--alumni", str(DEMO / "alumni.csv"),
        "--alumni", str(hostile), "--profile", str(DEMO / "profile.toml"), "--out", str(out),
        "--quiet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_libreoffice_opens_every_sheet_and_keeps_text_literal(
    demo_workbook: Path, office_profile: Path
) -> None:
    converted = convert(demo_workbook, office_profile)
    book = CalamineWorkbook.from_path(str(converted))
    assert book.sheet_names == list(SHEETS)
    contacts = rows_of(converted, "Contacts")
    assert list(contacts[0]) == [h for h, _ in CONTACT_COLUMNS]
    maya = next(row for row in contacts if row["Name"] == "Maya Chen")
    assert maya["Rank"] == 1
    assert maya["Tier"] == "A"
    assert maya["Relationship"] == "Connection + Alum"
    assert maya["Next Action"] == "Send the first message (LinkedIn message)"
    companies = {row["Company"] for row in contacts}
    assert set(HOSTILE) <= companies  # still text after a spreadsheet program re-saved it
    summary = CalamineWorkbook.from_path(str(converted)).get_sheet_by_name("Summary").to_python()
    assert summary[0][0] == "Your outreach plan: run report"
    # LibreOffice kept the dropdown and the links.
    sheet = load_workbook(converted)["Contacts"]
    assert any("Replied" in (v.formula1 or "") for v in sheet.data_validations.dataValidation)
    links = [c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink]
    assert "https://www.linkedin.com/in/maya-chen-1a2b" in links
    assert "mailto:jun.park@example.com" in links


def test_libreoffice_computes_next_action_and_due_from_status(
    demo_workbook: Path, office_profile: Path
) -> None:
    book = load_workbook(demo_workbook)
    sheet = book["Contacts"]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    sent = dt.datetime(2026, 11, 2)  # a Monday
    typed = {
        2: ("Sent", sent),
        3: ("Sent", None),
        4: ("Not now", sent),
        5: ("Met", None),
        6: ("Replied", None),
        7: ("Scheduled", sent),
        8: ("sent", sent),  # spreadsheets compare text ignoring case
    }
    for row, (status, date) in typed.items():
        sheet.cell(row, column["Status"]).value = status
        sheet.cell(row, column["Date Sent"]).value = date
    channel_of_9 = sheet.cell(9, column["Channel"]).value
    book.save(demo_workbook)

    rows = rows_of(convert(demo_workbook, office_profile), "Contacts")
    computed = {n: (rows[n - 2]["Next Action"], rows[n - 2]["Due"]) for n in [*typed, 9]}
    assert computed == {
        2: (FOLLOW_UP, dt.date(2026, 11, 11)),  # 7 working days
        3: ("Add the date you sent it", ""),
        4: ("Check back in about 3 months", dt.date(2027, 2, 2)),
        5: ("Send the thank-you note today (Drafts)", ""),
        6: ("Agree on a time to talk", ""),
        7: ("Prepare: see the Questions sheet", ""),
        8: (FOLLOW_UP, dt.date(2026, 11, 11)),
        9: (f"Send the first message ({channel_of_9})", ""),
    }


def test_a_workbook_saved_by_libreoffice_keeps_the_users_work(
    run_cli, demo_workbook: Path, office_profile: Path
) -> None:
    book = load_workbook(demo_workbook)
    sheet = book["Contacts"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value == "Jun Park")
    typed = {"Status": "Scheduled", "Date Sent": dt.datetime(2026, 10, 1),
             "Notes": "Thursday 3pm\nask about _x0041_ tests"}  # fmt: skip
    for column, value in typed.items():
        sheet.cell(row, header.index(column) + 1).value = value
    book.save(demo_workbook)
    # The user's spreadsheet program saves the file its own way: shared strings, cached values.
    shutil.copyfile(convert(demo_workbook, office_profile), demo_workbook)

    out = run_demo(run_cli, demo_workbook.parent)
    jun = next(r for r in rows_of(out, "Contacts") if r["Name"] == "Jun Park")
    assert (jun["Status"], jun["Date Sent"], jun["Notes"]) == (
        "Scheduled",
        dt.date(2026, 10, 1),
        "Thursday 3pm\nask about _x0041_ tests",
    )
    assert rows_of(out, "Changes") == []
    assert list(rows_of(out, "Contacts")[0]) == [h for h, _ in CONTACT_COLUMNS]
