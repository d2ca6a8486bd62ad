"""Properties of hostile input, checked on generated files.

- Any bytes, under any name, through ingest raise nothing but the project's own error.
- Every data row of a random table ends in exactly one contact's Sources or in Skipped, through
  the whole pipeline: for valid CSV (quotes, separators and line breaks inside values, ragged
  rows), for broken text (no quotes, mixed line ends, NUL bytes, extra separators) and for
  text with a quote left open.
- Any Unicode text written to the workbook reads back equal, but for what XML cannot hold.

Example counts are per test, below; HOSTILE_EXAMPLES=N multiplies them all by N for a long run.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import re
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import pipeline.run as run_module
from pipeline.errors import OutreachError
from pipeline.ingest import read_table_file
from pipeline.ingest.sources import LoadedFile, export_files
from pipeline.run import RunOptions, run_pipeline
from pipeline.workbook.cells import CellMaker
from pipeline.workbook.previous import read_sheets
from tests.fixtures.hostile import make_hostile

SCALE = int(os.environ.get("HOSTILE_EXAMPLES", "1"))
INGEST = Path(__file__).parent / "fixtures" / "ingest"
PROFILE = Path(__file__).parent / "fixtures" / "hostile" / "profile_utf16_notepad.toml"
NAMES = ["a.csv", "a.txt", "a.tsv", "a.xlsx", "a.xls", "a.ods", "a", "Connections.csv"]
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def examples(count: int) -> Any:
    return settings(max_examples=count * SCALE, deadline=None, suppress_health_check=SLOW)


# --- Any bytes through ingest -------------------------------------------------------------


def _seed_files() -> list[bytes]:
    """Real files of every kind, to be damaged: a workbook, an .ods, an .xls, CSVs, a zip."""
    return [
        make_hostile.xlsx_of([["Name", "Email"], ["Ann Lee", "a@x.com"], ["Bo Ray", "b@x.com"]]),
        (INGEST / "alumni_libreoffice.ods").read_bytes(),
        (INGEST / "alumni_legacy.xls").read_bytes(),
        (INGEST / "alumni_quoted_multiline.csv").read_bytes(),
        (INGEST / "alumni_unicode_text.txt").read_bytes(),
        (INGEST / "connections_2025_preamble_bom.csv").read_bytes(),
        make_hostile.zip_of({"Connections.csv": make_hostile.connections_csv()}),
    ]


SEEDS = _seed_files()
MAGIC = [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
         b"\xfe\xff", b"%PDF", b"\x00\x00\xfe\xff", b'"', b"Name,Email\n"]  # fmt: skip


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A real file with bytes changed, cut short, or a known file's first bytes on noise."""
    how = draw(st.sampled_from(["flip", "cut", "magic", "noise"]))
    if how == "noise":
        return draw(st.binary(max_size=2048))
    if how == "magic":
        return draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=2048))
    data = bytearray(draw(st.sampled_from(SEEDS)))
    if how == "cut":
        return bytes(data[: draw(st.integers(0, len(data)))])
    rng = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 12))):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


@examples(300)
@given(data=damaged(), name=st.sampled_from(NAMES))
def test_any_bytes_through_ingest_raise_only_outreach_errors(data: bytes, name: str) -> None:
    # Anything else (a Python error, a native panic, a BaseException) fails the test.
    with contextlib.suppress(OutreachError):
        read_table_file(LoadedFile(name, data, name), "alumni", {})
    if data.startswith(b"PK"):
        path = _scratch() / "Basic_LinkedInDataExport.zip"
        path.write_bytes(data)
        with contextlib.suppress(OutreachError):
            export_files(path)


def _scratch() -> Path:
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = Path(tempfile.mkdtemp(prefix="outreach-fuzz-"))
    return _SCRATCH


_SCRATCH: Path | None = None


# --- The ledger through the whole pipeline ------------------------------------------------

HEADER = ["Name", "Email", "Company", "Title"]
PLAIN = st.sampled_from(
    ["Ann Lee", "Bo Ray", "Zoë Åberg", "李 美玲", "O'Neil", "Ann", "  ", "Acme",
     "Data Scientist", "Total: 3", "ann@x.com", "bo@x", ""]
)  # fmt: skip
TRICKY = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
).filter(lambda text: not re.search(r"[A-Za-z]{3}", text))  # no header words by chance


def _cells(extra: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.one_of(PLAIN, extra), min_size=0, max_size=6)


def _run_ledger(path: Path) -> tuple[list[int], list[int]]:
    """Run the pipeline on one alumni file; return the rows in Sources and in Skipped."""
    captured: dict[str, Any] = {}

    def capture(content: Any, out: Path, progress: Any = None) -> None:
        captured["content"] = content

    out = path.with_suffix(".xlsx")
    options = RunOptions(connections=[], alumni=[path], profile=PROFILE, out=out)
    with mock.patch.object(run_module, "write_workbook", capture):
        try:
            run_pipeline(options)
        except OutreachError as error:
            # A file may be refused as unusable, with its reason; the ledger check never fails.
            assert "internal check failed" not in str(error), error
            return [], []
    content = captured["content"]
    sources = [int(s.rsplit(":", 1)[1]) for cell in content.contacts["sources"]
               for s in str(cell).split("; ")]  # fmt: skip
    return sources, [int(row) for row in content.skipped["row"]]


def _check_ledger(path: Path, expected: list[int]) -> None:
    sources, skipped = _run_ledger(path)
    if not sources and not skipped:
        return
    ledger = sources + skipped
    assert len(ledger) == len(set(ledger)), "a row is in the ledger twice"
    assert sorted(ledger) == expected


def _data_lines(rows: list[list[str]], text_rows: list[str], first: int = 2) -> list[int]:
    """The line each data row starts on, without the blank rows after the last filled one."""
    lines, line = [], first
    for row, text in zip(rows, text_rows, strict=True):
        lines.append((line, any(cell.strip() for cell in row)))
        line += len(re.findall(r"\r\n|\r|\n", text)) + 1
    while lines and not lines[-1][1]:
        lines.pop()
    return [number for number, _ in lines]


@examples(60)
@given(rows=st.lists(_cells(TRICKY | st.sampled_from(['a "b"', "x,y", "two\nlines", "c\r\nd"])),
                     min_size=1, max_size=15))  # fmt: skip
def test_ledger_holds_for_random_valid_csv(tmp_path_factory: Any, rows: list[list[str]]) -> None:
    rendered = []
    for row in rows:
        buffer = io.StringIO()
        # With '\r\n' as terminator both characters make the writer quote a value.
        csv.writer(buffer, lineterminator="\r\n").writerow(row)
        rendered.append(buffer.getvalue()[:-2])
    path = tmp_path_factory.mktemp("ledger") / "alumni.csv"
    path.write_bytes(("\n".join([",".join(HEADER), *rendered]) + "\n").encode())
    _check_ledger(path, _data_lines(rows, rendered))


@examples(60)
@given(
    rows=st.lists(_cells(st.sampled_from(["x\x00y", "\x00", ";", "a\tb", "Ünï", "-"])),
                  min_size=1, max_size=15),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1),
)  # fmt: skip
def test_ledger_holds_for_broken_text(
    tmp_path_factory: Any, rows: list[list[str]], ends: list[str]
) -> None:
    """No quotes at all: each line is one row, however ragged, with NULs and mixed line ends."""
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    text = "".join(line + ends[n % len(ends)] for n, line in enumerate(lines))
    path = tmp_path_factory.mktemp("ledger") / "alumni.csv"
    path.write_bytes(text.encode())
    # '\r' ending one line and '\n' the next read as one '\r\n': count the breaks as written.
    lines_after_header = re.split(r"\r\n|\r|\n", text.replace("\x00", ""))[1:]
    numbered = [
        (n + 2, bool(line.replace(",", "").strip())) for n, line in enumerate(lines_after_header)
    ]
    while numbered and not numbered[-1][1]:
        numbered.pop()
    _check_ledger(path, [number for number, _ in numbered])


@examples(40)
@given(
    rows=st.lists(_cells(st.sampled_from(["Ünï", "x y"])), min_size=1, max_size=12),
    at=st.integers(0, 11),
    cell=st.integers(0, 3),
)
def test_ledger_holds_with_a_quote_left_open(
    tmp_path_factory: Any, rows: list[list[str]], at: int, cell: int
) -> None:
    """An opening quote that is never closed: every line is still in Sources or Skipped."""
    at = at % len(rows)
    broken = [list(row) for row in rows]
    broken[at] = [*broken[at], "", "", "", ""][:4]
    broken[at][cell] = '"' + broken[at][cell]
    lines = [",".join(HEADER), *(",".join(row) for row in broken)]
    path = tmp_path_factory.mktemp("ledger") / "alumni.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    expected = _data_lines(broken, [",".join(row) for row in broken])
    sources, skipped = _run_ledger(path)
    ledger = sources + skipped
    if ledger:
        assert len(ledger) == len(set(ledger))
        assert sorted(ledger) == expected


# --- Any text reads back from the workbook ---------------------------------------------------

XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# What XML cannot hold, what Excel reads as an escape or a formula, and what breaks a cell.
NASTY = st.sampled_from(["\x00", "\x0b", "\ud800", "\udfff", "\ufffe", "\uffff", "\r\n", "\r",
                         "_x0041_", "_x005F_", "=1+1", "+1", "-1", "@SUM(A1)", "#N/A", "'", " ",
                         "\t", "🚀", "\u200b", "\u0301", "1e5", "0012", "TRUE"])  # fmt: skip
TEXT = st.text(max_size=60) | st.lists(st.text(max_size=4) | NASTY, max_size=8).map("".join)


@examples(300)
@given(texts=st.lists(TEXT, min_size=1, max_size=20))
def test_any_text_reads_back_from_the_workbook(tmp_path_factory: Any, texts: list[str]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    maker = CellMaker(sheet)
    sheet.append(["Name"])
    for text in texts:
        sheet.append([maker.value(text)])
    path = tmp_path_factory.mktemp("roundtrip") / "book.xlsx"
    book.save(path)
    _, rows = read_sheets(path, ("Contacts",))["Contacts"]
    written = [XML_ILLEGAL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
               for text in texts]  # fmt: skip
    read = iter(rows)
    for text in written:
        if not text or not text.strip():
            continue  # blank cells are not rows anyone reads back
        assert next(read)["Name"] == text
