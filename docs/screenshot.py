"""Render the Contacts sheet through LibreOffice into docs/contacts.png for the README.

Run from the repository root: `.venv/bin/python docs/screenshot.py`. Needs LibreOffice
(`soffice`) and poppler (`pdftoppm`); on Debian: `apt-get install libreoffice-calc-nogui
poppler-utils fonts-crosextra-carlito` (Carlito has Calibri's metrics, so columns look as in Excel).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.cli import outreach

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"
DEMO = REPO / "tests" / "fixtures" / "demo"
ROWS = 16  # contacts in the picture
# What a user has typed after a week, so Status, Next Action and Due show what they do.
TODAY = dt.datetime.combine(dt.date.today(), dt.time())
USER_WORK = {
    1: ("Sent", TODAY - dt.timedelta(days=12), "Met at the alumni panel; asked about the ML team"),
    2: ("Replied", TODAY - dt.timedelta(days=6), "Free Thursdays after 4"),
    3: ("Scheduled", TODAY - dt.timedelta(days=5), "Call next Tuesday, 10:00"),
    5: ("Not now", TODAY - dt.timedelta(days=20), "Busy until the spring launch"),
    6: ("Sent", TODAY - dt.timedelta(days=2), ""),
    8: ("Sent", None, ""),
}


def inputs() -> list[str]:
    """Use sample_data/ when it exists, else the small fictional fixture of the tests."""
    if (SAMPLE / "profile.toml").exists():
        return [
            "--connections", str(SAMPLE / "linkedin_export"),
            "--alumni", str(SAMPLE / "alumni_directory.xlsx"),
            "--alumni", str(SAMPLE / "alumni_career_office.csv"),
            "--profile", str(SAMPLE / "profile.toml"),
        ]  # fmt: skip
    return [
        "--connections", str(DEMO / "linkedin_export"),
        "--alumni", str(DEMO / "alumni.csv"),
        "--profile", str(DEMO / "profile.toml"),
    ]  # fmt: skip


def main() -> int:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        print("needs LibreOffice (soffice) and poppler (pdftoppm)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        out = work / "outreach.xlsx"
        result = CliRunner().invoke(outreach, ["run", *inputs(), "--out", str(out), "--quiet"])
        if result.exit_code != 0:
            print(result.output, file=sys.stderr)
            return 1
        book = load_workbook(out)
        sheet = book["Contacts"]
        header = [c.value for c in sheet[1]]
        for row, (status, sent, notes) in USER_WORK.items():
            for column, value in (("Status", status), ("Date Sent", sent), ("Notes", notes)):
                sheet.cell(row + 1, header.index(column) + 1).value = value or None
        # Only what a user works with: hide the columns after Notes and the rows after ROWS.
        for column in range(header.index("Notes") + 2, len(header) + 1):
            sheet.column_dimensions[get_column_letter(column)].hidden = True
        for row in range(ROWS + 2, sheet.max_row + 1):
            sheet.row_dimensions[row].hidden = True
        for other in book.sheetnames[1:]:
            book[other].sheet_state = "hidden"
        book.save(out)
        subprocess.run(
            [
                soffice, "--headless", "--norestore",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}',
                "--outdir", str(work), str(out),
            ],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        subprocess.run(
            [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
             str(work / "outreach.pdf"), str(work / "contacts")],
            check=True, timeout=120,
        )  # fmt: skip
        target = REPO / "docs" / "contacts.png"
        shutil.copyfile(work / "contacts.png", target)
    print(f"wrote {target.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
