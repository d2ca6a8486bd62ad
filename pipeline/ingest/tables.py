"""Turn the bytes of a CSV/TSV/TXT or a spreadsheet into rows of text, each with its visible row."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from charset_normalizer import from_bytes

from pipeline.errors import InputError

# A single cell may legitimately hold a long multi-line message (LinkedIn messages.csv).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

DELIMITERS = (",", ";", "\t", "|")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", "")
# Code pages that Excel and alumni databases really write (FORMATS.md section 6).
EIGHT_BIT_CANDIDATES = ["cp1252", "mac_roman", "cp1250", "cp1251", "latin_1", "iso8859_15"]
SNIFF_BYTES = 256 * 1024


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


@dataclass
class DecodedText:
    """Text decoded from bytes, with the encoding that was detected and how."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def sniff_format(data: bytes, name: str) -> str:
    """Return 'zip', 'ole', 'text' or 'empty' from a file's first bytes, whatever its name says."""
    if not data:
        return "empty"
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    return "text"


def decode_text(data: bytes, name: str) -> DecodedText:
    """Decode CSV bytes: BOMs first, then strict UTF-8, then the most likely 8-bit code page."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_or_replace(data[len(codecs.BOM_UTF8) :], "utf-8", "utf-8-sig", name)
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_or_replace(data, "utf-16", "utf-16", name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        decoded = _decode_or_replace(data, utf16, utf16, name)
        decoded.notes.append(f"no byte-order mark; the byte pattern says {utf16}")
        return decoded
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(
            "this is a binary file, not a spreadsheet or CSV",
            where=name,
            fix="Export the data as .csv or .xlsx and pass that file instead.",
        )
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    sample = _non_ascii_sample(data)
    best = from_bytes(sample, cp_isolation=EIGHT_BIT_CANDIDATES).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in WESTERN:
        # Detectors cannot tell Windows-1252 from MacRoman on short names ('’' vs 'í'); read
        # the sample both ways and keep the one that reads like names and punctuation.
        readable = [e for e in ("cp1252", "mac_roman", "cp1250") if _decodes(sample, e)]
        encoding = max(readable, key=lambda e: _plausibility(sample.decode(e)), default="latin_1")
    return _decode_or_replace(data, encoding, encoding, name, note="not UTF-8")


WESTERN = {"cp1252", "mac_roman", "latin_1", "iso8859_15", "cp1250"}
_COMMON_ACCENTED = set(
    "áàâäãåæçéèêëíìîïñóòôöõøúùûüýÿÁÀÂÄÃÅÇÉÈÊËÍÎÏÑÓÔÖÕØÚÙÛÜßŁłőűŚśŻżĆćŃńŠšŽžČčŘřĚěŮů"
)
_BOUNDARY_PUNCTUATION = set("’‘“”–—…«»°€")


def _plausibility(text: str) -> float:
    """Score how much a decoding reads like names: accented letters in words, quotes at edges."""
    score = 0.0
    for index, char in enumerate(text):
        if ord(char) < 0x80:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        in_word = before.isalpha() or after.isalpha()
        if char in _COMMON_ACCENTED:
            score += 2.0 if in_word else -1.0
        elif char in _BOUNDARY_PUNCTUATION:
            score += 1.5 if not (before.isalpha() and after.isalpha()) or char == "’" else 0.0
        elif char.isalpha():
            score += 0.3 if in_word else -1.0
        else:
            score -= 1.0
    return score


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode_or_replace(
    data: bytes, codec: str, label: str, name: str, note: str | None = None
) -> DecodedText:
    notes = [note] if note else []
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        text = data.decode(codec, errors="replace")
        notes.append(
            f"bytes at offset {error.start} are not valid {label}; they were replaced with '\ufffd'"
        )
    if label == "utf-16" and text.startswith("\ufeff"):
        text = text[1:]
    return DecodedText(text, label, notes)


def _utf16_without_bom(data: bytes) -> str | None:
    """Recognise UTF-16 text without a BOM by its NUL byte on every other position."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return None


def _non_ascii_sample(data: bytes, limit: int = 64 * 1024) -> bytes:
    """Collect the lines that hold non-ASCII bytes: the only ones that tell code pages apart."""
    picked: list[bytes] = []
    size = 0
    for line in data.splitlines():
        if any(byte > 0x7F for byte in line):
            picked.append(line)
            size += len(line)
            if size >= limit:
                break
    return b"\n".join(picked) or data[:limit]


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
    return RawTable(
        name=name,
        format="text",
        rows=rows,
        line_numbers=lines,
        encoding=decoded.encoding,
        delimiter=delimiter,
        notes=decoded.notes,
    )


def read_spreadsheet_tables(data: bytes, name: str) -> list[RawTable]:
    """Read every sheet of an .xlsx/.xls/.ods workbook with calamine, one table per sheet."""
    from python_calamine import CalamineWorkbook

    kind = sniff_format(data, name)
    if kind == "ole" and _is_encrypted_ooxml(data):
        raise InputError(
            "this workbook is password-protected",
            where=name,
            fix="Open it in Excel, remove the password (File > Info > Protect Workbook), and "
            "save a copy.",
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises several unrelated types for corrupt files
        raise InputError(
            f"this workbook cannot be read ({type(error).__name__}: {error})",
            where=name,
            fix="Open it in a spreadsheet program and save it again as .xlsx, or export it as CSV.",
        ) from error
    tables: list[RawTable] = []
    for sheet_name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
            values = sheet.to_python(skip_empty_area=False)
        except Exception as error:
            raise InputError(
                f"sheet '{sheet_name}' cannot be read ({error})",
                where=name,
                fix="Open it in a spreadsheet program and save it again as .xlsx.",
            ) from error
        rows = [[cell_text(value) for value in row] for row in values]
        tables.append(
            RawTable(
                name=name,
                format=_spreadsheet_format(kind, name),
                rows=rows,
                line_numbers=list(range(1, len(rows) + 1)),
                sheet=sheet_name,
            )
        )
    return tables


def _spreadsheet_format(kind: str, name: str) -> str:
    lowered = name.lower()
    for suffix in SPREADSHEET_SUFFIXES:
        if lowered.endswith(suffix):
            return suffix.lstrip(".")
    return "xls" if kind == "ole" else "xlsx"


def _is_encrypted_ooxml(data: bytes) -> bool:
    """An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    return "EncryptedPackage".encode("utf-16-le") in data[:1_000_000]


def is_spreadsheet_zip(data: bytes) -> bool:
    """Tell an .xlsx/.ods (a zip with a workbook inside) from any other zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names or "content.xml" in names or "mimetype" in names


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
