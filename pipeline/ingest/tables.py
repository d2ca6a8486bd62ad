"""Turn the bytes of a CSV/TSV/TXT or a spreadsheet into rows of text, each with its visible row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import InputError
from pipeline.ingest.encoding import SNIFF_BYTES, DecodedText, decode_text
from pipeline.ingest.salvage import salvage_broken_quotes
from pipeline.ingest.spreadsheet_limits import ZIP_ERRORS, check_spreadsheet, native_reader

__all__ = ["DecodedText", "RawTable", "decode_text", "read_text_table", "sniff_delimiter"]

# A single cell may legitimately hold a long multi-line message (LinkedIn messages.csv).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

DELIMITERS = (",", ";", "\t", "|")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", "")
_EXPORT_AGAIN = "Export the list again as .xlsx or .csv and pass that file."
# Files people pick by mistake, known by their first bytes: (magic, what it is, how to fix).
FOREIGN_FORMATS = (
    (b"%PDF", "a PDF document", "Ask for the list as a spreadsheet (.xlsx or .csv); tables "
     "inside a PDF cannot be read reliably."),
    (b"\x89PNG", "an image (PNG)", _EXPORT_AGAIN),
    (b"\xff\xd8\xff", "an image (JPEG)", _EXPORT_AGAIN),
    (b"GIF8", "an image (GIF)", _EXPORT_AGAIN),
    (b"\x1f\x8b", "a gzip archive", "Extract it and pass the spreadsheet inside."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Extract it and pass the spreadsheet inside."),
    (b"Rar!", "a RAR archive", "Extract it and pass the spreadsheet inside."),
    (b"SQLite format 3", "an SQLite database", _EXPORT_AGAIN),
    (b"{\\rtf", "a Rich Text (RTF) document", _EXPORT_AGAIN),
)  # fmt: skip
_MARKUP_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype html|html|\?xml[^>]*>\s*<\?mso-application|table)",
    re.IGNORECASE,
)


@dataclass
class RawTable:
    """All rows of one sheet or text file as strings, with the row number a person sees."""

    name: str
    format: str
    rows: list[list[str]]
    line_numbers: list[int]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    # Merged cell ranges as (first row, first column, last row, last column), 0-based.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    # Rows (by index in `rows`) that are not read, with the reason: lines of a broken quote.
    skip_reasons: dict[int, str] = field(default_factory=dict)


def sniff_format(data: bytes, name: str) -> str:
    """Return 'zip', 'ole', 'text' or 'empty' from a file's first bytes, whatever its name says."""
    if not data:
        return "empty"
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return "text"


def check_not_foreign(data: bytes, name: str) -> None:
    """Refuse, with the reason, a file that is an image, a PDF, a web page or an archive."""
    for magic, what, fix in FOREIGN_FORMATS:
        if data.startswith(magic):
            raise InputError(f"this is {what}, not a spreadsheet or CSV", where=name, fix=fix)
    if _MARKUP_RE.match(data[:4096]):
        # 'Export to Excel' buttons often save a web page or Excel 2003 XML with an .xls name.
        raise InputError(
            "this is a web page or Excel 2003 XML file, not a real spreadsheet",
            where=name,
            fix="Open it in Excel and save it as .xlsx (File > Save As > Excel Workbook).",
        )


def zip_kind(data: bytes) -> str:
    """Say what a zip holds: 'spreadsheet', 'document', 'numbers', 'archive' or 'damaged'."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except ZIP_ERRORS:
        return "damaged"
    if {"xl/workbook.xml", "xl/workbook.bin"} & names or b"spreadsheet" in mimetype:
        return "spreadsheet"
    if "word/document.xml" in names or "ppt/presentation.xml" in names or mimetype:
        return "document"
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        return "numbers"
    return "archive"


def is_spreadsheet_zip(data: bytes) -> bool:
    """Tell an .xlsx/.ods (a zip with a workbook inside) from any other zip."""
    return zip_kind(data) == "spreadsheet"


def sniff_delimiter(text: str) -> str:
    """Choose the delimiter that splits the opening lines into the most consistent columns."""
    sample_lines = text[:SNIFF_BYTES].splitlines()[:200]
    if len(text) > SNIFF_BYTES and len(sample_lines) > 1:
        sample_lines = sample_lines[:-1]  # the last line may be cut in the middle
    sample = "\n".join(sample_lines)
    best, best_score = ",", 0.0
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row
            ]
        except csv.Error:
            continue
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = hits / len(counts) * min(width, 12)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_delimited(text: str, delimiter: str, name: str) -> tuple[list[list[str]], list[int]]:
    """Parse RFC 4180 text, returning the rows and the 1-based line where each row starts."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(
            f"cannot be parsed as delimited text near line {start} ({error})",
            where=name,
            fix="Open it in a spreadsheet program, check that quotes are balanced, and save it "
            "again as CSV.",
        ) from error
    return rows, lines


def read_text_table(data: bytes, name: str) -> RawTable:
    """Decode, sniff and parse a delimited text file."""
    decoded = decode_text(data, name)
    delimiter = sniff_delimiter(decoded.text)
    rows, lines = parse_delimited(decoded.text, delimiter, name)
    rows, lines, broken = salvage_broken_quotes(decoded.text, delimiter, rows, lines)
    return RawTable(
        name=name,
        format="text",
        rows=rows,
        line_numbers=lines,
        encoding=decoded.encoding,
        delimiter=delimiter,
        notes=decoded.notes,
        skip_reasons=broken,
    )


def read_spreadsheet_tables(data: bytes, name: str) -> list[RawTable]:
    """Read every worksheet of an .xlsx/.xls/.ods workbook with calamine, one table each."""
    import python_calamine
    from python_calamine import CalamineWorkbook

    kind = sniff_format(data, name)
    password = InputError(
        "this workbook is password-protected",
        where=name,
        fix="Open it in Excel, remove the password (File > Info > Protect Workbook), and save a "
        "copy.",
    )
    if kind == "ole" and is_encrypted_ooxml(data):
        raise password
    if kind == "zip" and zip_kind(data) == "damaged":
        raise InputError(
            "this workbook is damaged or incomplete (its zip structure is broken)",
            where=name,
            fix="Download or copy it again; if it still fails, open it in Excel, which can "
            "often repair it, and save a copy.",
        )
    check_spreadsheet(data, name, kind)
    try:
        with native_reader():
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as error:
        raise password from error
    except Exception as error:  # calamine raises several unrelated types for corrupt files
        raise InputError(
            f"this workbook cannot be read ({type(error).__name__}: {error})",
            where=name,
            fix="Open it in a spreadsheet program and save it again as .xlsx, or export it as CSV.",
        ) from error
    visible = {
        meta.name: meta.visible == python_calamine.SheetVisibleEnum.Visible
        for meta in workbook.sheets_metadata
        if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    }
    tables: list[RawTable] = []
    for sheet_name in workbook.sheet_names:
        if sheet_name not in visible:
            continue  # a chart sheet holds no cells
        try:
            with native_reader():
                sheet = workbook.get_sheet_by_name(sheet_name)
                # skip_empty_area=False keeps leading blank rows, so row N is the sheet's row N.
                values = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
        except Exception as error:
            raise InputError(
                f"sheet '{sheet_name}' cannot be read ({error})",
                where=name,
                fix="Open it in a spreadsheet program and save it again as .xlsx.",
            ) from error
        # Text, most cells, is kept as it is without a call per cell.
        rows = [[v if type(v) is str else cell_text(v) for v in row] for row in values]
        tables.append(
            RawTable(
                name=name,
                format=_spreadsheet_format(kind, name),
                rows=rows,
                line_numbers=list(range(1, len(rows) + 1)),
                sheet=sheet_name,
                merged=[(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged],
                hidden=not visible[sheet_name],
            )
        )
    return tables


def _spreadsheet_format(kind: str, name: str) -> str:
    lowered = name.lower()
    for suffix in SPREADSHEET_SUFFIXES:
        if lowered.endswith(suffix):
            return suffix.lstrip(".")
    return "xls" if kind == "ole" else "xlsx"


def is_encrypted_ooxml(data: bytes) -> bool:
    """An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    return "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]


def cell_text(value: Any) -> str:
    """Render a spreadsheet cell as the text a person sees: 2019.0 is '2019', dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
