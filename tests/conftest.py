"""Shared test helpers: small real-shaped inputs, a CLI runner, and workbook readers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from devtools.linkedin_export import NOTES_PREAMBLE
from pipeline.cli import outreach

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data"

# LinkedIn's exact Notes: preamble (2021-2026), shared with the fictional-data generator.
LINKEDIN_PREAMBLE = NOTES_PREAMBLE
CONNECTIONS_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"

PROFILE = """\
[me]
name = "Alex Rivera"
school = "Northfield University"
grad_year = 2026
intro = "a senior studying statistics"

[target]
field = "Data Science"
roles = ["data scientist"]
companies = ["Spotify", "Duolingo"]
locations = ["New York"]
"""


def connections_csv(rows: list[str], *, preamble: bool = True, bom: bool = False) -> bytes:
    """A Connections.csv as LinkedIn writes it: preamble, header, LF, no final newline."""
    text = (LINKEDIN_PREAMBLE if preamble else "") + "\n".join([CONNECTIONS_HEADER, *rows])
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder holding a profile.toml, a LinkedIn export folder and an alumni CSV."""
    (tmp_path / "profile.toml").write_text(PROFILE, encoding="utf-8")
    export = tmp_path / "export"
    export.mkdir()
    (export / "Connections.csv").write_bytes(
        connections_csv(
            [
                "Maya,Chen,https://www.linkedin.com/in/maya-chen-1a2b,,Spotify,"
                "Senior Data Scientist,12 Mar 2024",
                "Robert,Okafor,https://www.linkedin.com/in/rokafor,,Acme Inc.,Science Teacher,"
                "01 Feb 2023",
                ",,,,,,03 Jan 2022",
                "José,García,https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa,,Duolingo,"
                "ML Engineer,5 Jun 2025",
                '"Linh","Nguyen, PhD",https://www.linkedin.com/in/linhn,,Pfizer,Research Scientist,'
                "10 Oct 2020",
            ]
        )
    )
    alumni = (
        "Northfield Alumni export\n\n"
        "Name;Class Year;Employer;Job Title;Preferred E-mail;LinkedIn\r\n"
        "Chen, Maya;2019;Spotify AB;Data Scientist;maya.chen@example.com;\r\n"
        "Okafor, Bob;2015;Acme;Teacher;bob.okafor@example.org;\r\n"
        "Garcia, Jose;2020;Duolingo, Inc.;Machine Learning Engineer;;"
        "linkedin.com/in/jos%C3%A9-garc%C3%ADa/\r\n"
        ";;;;;\r\n"
        "Smith, Jane ’18;2018;Deloitte;Consultant;jane@deloitte.com;\r\n"
    )
    (tmp_path / "alumni.csv").write_bytes(alumni.encode("cp1252"))
    return tmp_path


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the `outreach` command in-process and return its result."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(outreach, list(args), catch_exceptions=False)

    return invoke


def run_workspace(run_cli: Callable[..., Result], workspace: Path, *extra: str) -> Result:
    """Run `outreach run` quietly on the `workspace` fixture's files, writing out.xlsx there."""
    return run_cli(
        "run",
        "--connections", str(workspace / "export"),
        "--alumni", str(workspace / "alumni.csv"),
        "--profile", str(workspace / "profile.toml"),
        "--out", str(workspace / "out.xlsx"),
        "--quiet",
        *extra,
    )  # fmt: skip


def read_sheet(path: Path, sheet: str) -> list[dict[str, Any]]:
    """Read one sheet of a workbook as dictionaries keyed by header."""
    book = load_workbook(path, read_only=True)
    try:
        rows = book[sheet].iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        return [
            dict(zip(header, row, strict=False))
            for row in rows
            if any(value is not None for value in row)
        ]
    finally:
        book.close()


def sheet_headers(path: Path, sheet: str) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        return [str(h) for h in next(book[sheet].iter_rows(values_only=True))]
    finally:
        book.close()
