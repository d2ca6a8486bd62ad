"""Keep a hostile workbook from crashing the native reader: size limits and crash isolation.

calamine (Rust) reads .xlsx/.xls/.ods. Three things about it shape this module:
- it builds a dense grid from the first to the last cell holding a value, so one value typed
  in XFD1048576 asks for 17 billion cells, and the process is killed by the allocator;
- a corrupt .xls container can make it ask for terabytes while still opening the file;
- on other corrupt input it panics, which Python sees as a BaseException, not an Exception.
An abort cannot be caught, so the grid is measured before calamine reads a sheet, and an
.xls (small by format: at most 65,536 rows) is first opened in a child process.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from pipeline.errors import InputError

# A million rows of 100 columns: more than any alumni directory, well within memory.
MAX_SHEET_CELLS = 100_000_000
# Uncompressed parts of one workbook; a 1M-row sheet is about 1-2 GB of XML.
MAX_WORKBOOK_EXPANDED = 8 * 1024**3
BOMB_RATIO = 1000
BOMB_BYTES = 256 * 1024**2
PROBE_TIMEOUT_SECONDS = 300
_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?\"")
# A cell holding something: not self-closing ('<c r="B2" s="1"/>' is formatting only).
_VALUE_CELL_RE = re.compile(rb"<(?:\w+:)?c\s+r=\"([A-Z]{1,3})(\d{1,7})\"[^>]*?(?<!/)>")
_SHEET_RE = re.compile(rb"<(?:\w+:)?sheet\s[^>]*?name=\"([^\"]*)\"[^>]*?r:id=\"([^\"]*)\"")
_REL_RE = re.compile(rb"<Relationship\s[^>]*?Id=\"([^\"]*)\"[^>]*?Target=\"([^\"]*)\"")
_REL_RE_REVERSED = re.compile(rb"<Relationship\s[^>]*?Target=\"([^\"]*)\"[^>]*?Id=\"([^\"]*)\"")
_SCAN_CHUNK = 4 * 1024**2
_PROBE = """
import io, sys
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
for name in book.sheet_names:
    book.get_sheet_by_name(name)
"""


# What zipfile raises on damaged bytes, besides BadZipFile: a bad header field gives a
# negative seek (ValueError) or an unknown version (NotImplementedError), bad data zlib.error.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    struct.error,
    zlib.error,
)


class ReaderCrash(Exception):
    """The native spreadsheet reader panicked on a damaged file."""


@dataclass
class SheetExtent:
    """How far the cells holding values reach in one sheet (1-based)."""

    sheet: str
    rows: int
    columns: int
    last_cell: str

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def check_spreadsheet(data: bytes, name: str, kind: str) -> None:
    """Refuse a workbook the reader would die on; say which sheet and cell, and the fix."""
    if kind == "zip":
        _check_zip_workbook(data, name)
    elif kind == "ole":
        _probe_in_child(data, name)


@contextlib.contextmanager
def native_reader() -> Iterator[None]:
    """Turn a calamine panic into ReaderCrash, and keep its Rust message off the terminal."""
    with _quiet_stderr_fd():
        try:
            yield
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except Exception:
            raise
        except BaseException as error:  # pyo3's PanicException derives from BaseException
            raise ReaderCrash(f"the spreadsheet reader failed: {error}") from error


@contextlib.contextmanager
def _quiet_stderr_fd() -> Iterator[None]:
    """Send what native code writes to file descriptor 2 to a scratch file meanwhile."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    try:
        with tempfile.TemporaryFile() as scratch:
            os.dup2(scratch.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _check_zip_workbook(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return  # the reader says it is damaged, with its own message
    with archive:
        infos = archive.infolist()
        _check_expansion(infos, name)
        sheets = _sheet_names(archive)
        for info in infos:
            if not re.match(r"xl/worksheets/[^/]+\.xml$", info.filename):
                continue
            sheet = sheets.get(info.filename, info.filename.rsplit("/", 1)[-1])
            extent = _sheet_extent(archive, info, sheet)
            if extent is not None and extent.cells > MAX_SHEET_CELLS:
                raise InputError(
                    f"sheet '{extent.sheet}' has a value in cell {extent.last_cell}, far from the "
                    f"rest of the table: reading it would take {extent.rows:,} rows by "
                    f"{extent.columns:,} columns",
                    where=name,
                    fix="Open it, press Ctrl+End to jump to that cell, delete the stray rows and "
                    "columns, save, and run again.",
                )


def _check_expansion(infos: list[zipfile.ZipInfo], name: str) -> None:
    total = sum(info.file_size for info in infos)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > BOMB_BYTES and ratio > BOMB_RATIO:
            raise InputError(
                f"part '{info.filename}' would expand {ratio:,.0f} to 1, to "
                f"{info.file_size / 1024**2:,.0f} MB: the workbook is damaged or made to "
                "exhaust memory (a zip bomb)",
                where=name,
                fix="Ask for the file again, or export the list as CSV.",
            )
    if total > MAX_WORKBOOK_EXPANDED:
        raise InputError(
            f"the workbook would expand to {total / 1024**3:,.1f} GB, more than any alumni list",
            where=name,
            fix="Export the list as CSV, or split it into smaller workbooks.",
        )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Map each worksheet part ('xl/worksheets/sheet1.xml') to the sheet's name."""
    try:
        workbook = archive.read("xl/workbook.xml")[:4_000_000]
        rels = archive.read("xl/_rels/workbook.xml.rels")[:4_000_000]
    except ZIP_ERRORS:
        return {}
    targets = {rid: target for rid, target in _REL_RE.findall(rels)}
    targets.update({rid: target for target, rid in _REL_RE_REVERSED.findall(rels)})
    names = {}
    for sheet, rid in _SHEET_RE.findall(workbook):
        target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        names[part] = sheet.decode("utf-8", "replace")
    return names


def _sheet_extent(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str
) -> SheetExtent | None:
    """Measure a sheet: trust a small <dimension>, else scan the cells that hold values."""
    try:
        with archive.open(info) as handle:
            head = handle.read(64 * 1024)
            match = _DIMENSION_RE.search(head)
            if match and match.group(4):
                rows, columns = _dimension_size(match)
                if rows * columns <= MAX_SHEET_CELLS:
                    return None
            # Missing, or large only because of formatting: measure the real values.
            return _scan_values(handle, head, sheet)
    except ZIP_ERRORS:
        return None  # damaged: the reader says so with its own message


def _dimension_size(match: re.Match[bytes]) -> tuple[int, int]:
    first_col, first_row, last_col, last_row = match.groups()
    start_col = column_number(first_col.decode()) if first_col else 1
    start_row = int(first_row) if first_row else 1
    rows = int(last_row) - start_row + 1
    columns = column_number(last_col.decode()) - start_col + 1
    return max(rows, 1), max(columns, 1)


def _scan_values(handle: IO[bytes], head: bytes, sheet: str) -> SheetExtent | None:
    letters: set[bytes] = set()
    min_row, max_row = sys.maxsize, 0
    pending = head
    while True:
        more = handle.read(_SCAN_CHUNK)
        if more:
            # Cut at the last '<' so no cell tag is split between two chunks.
            cut = pending.rfind(b"<")
            if cut <= 0:
                pending += more  # no whole tag yet
                continue
            chunk, pending = pending[:cut], pending[cut:] + more
        else:
            chunk, pending = pending, b""
        cells = _VALUE_CELL_RE.findall(chunk)
        if cells:
            # A sheet has few distinct columns and a million cells: count columns once each.
            letters.update(column for column, _ in cells)
            rows = [int(number) for _, number in cells]
            min_row, max_row = min(min_row, min(rows)), max(max_row, max(rows))
        if not more:
            break
    if not max_row:
        return None
    columns = [column_number(column.decode()) for column in letters]
    min_col, max_col = min(columns), max(columns)
    last = f"{column_letters(max_col)}{max_row}"
    return SheetExtent(sheet, max_row - min_row + 1, max_col - min_col + 1, last)


def column_number(letters: str) -> int:
    """'A' is 1, 'Z' 26, 'AA' 27, 'XFD' 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """1 is 'A', 16,384 'XFD'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _probe_in_child(data: bytes, name: str) -> None:
    """Open a legacy .xls in a child process first: a corrupt one can abort the reader."""
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    try:
        probe = subprocess.run(
            [sys.executable, "-c", _PROBE],
            input=data,
            capture_output=True,
            timeout=PROBE_TIMEOUT_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise InputError(
            f"this workbook could not be opened in {PROBE_TIMEOUT_SECONDS // 60} minutes; it "
            "is damaged",
            where=name,
            fix="Open it in Excel or LibreOffice and save it again as .xlsx, or export it as CSV.",
        ) from error
    except OSError:
        return  # no child process here: read it in this one, as before
    if probe.returncode < 0 or probe.returncode > 1:
        raise InputError(
            "this workbook is damaged: the spreadsheet reader crashed on it",
            where=name,
            fix="Open it in Excel or LibreOffice, which can often repair it, and save it again "
            "as .xlsx, or export it as CSV.",
        )
