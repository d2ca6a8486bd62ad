"""Decode a text file's bytes: BOMs, UTF-8, UTF-16, and the 8-bit code pages Excel writes."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from charset_normalizer import from_bytes

from pipeline.datafiles import load_toml
from pipeline.errors import InputError

# Code pages that Excel and alumni databases really write (FORMATS.md section 6).
EIGHT_BIT_CANDIDATES = ["cp1252", "mac_roman", "cp1250", "cp1251", "latin_1", "iso8859_15"]
# Detectors cannot tell these apart on short names; they are re-ranked by how the names read.
WESTERN = {"cp1252", "mac_roman", "latin_1", "iso8859_15", "cp1250"}
RERANKED = ("cp1252", "cp1250", "mac_roman")
SNIFF_BYTES = 256 * 1024
# More replaced characters than this share means the guess is wrong, not a few stray bytes.
MAX_REPLACED_SHARE = 0.01
# Text with more NUL bytes than this share is a binary file (or UTF-16 without its pattern).
MAX_NUL_SHARE = 0.01
_WORD_RE = re.compile(r"[^\W\d_]+")
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
_EOL_RE = re.compile(rb"[\r\n]")
_EOL_RUN_RE = re.compile(rb"\r\n|\r|\n")
_NUL_RUN_RE = re.compile(rb"\x00+")
_CONTROL_RE = re.compile(rb"[\x01-\x08\x0e-\x1f\x7f]")
_BOUNDARY_PUNCTUATION = set("’‘“”–—…«»°€•")
_ENCODING_FIX = (
    "Open it in a spreadsheet program and save it as 'CSV UTF-8' or as .xlsx, then pass that file."
)


@dataclass
class DecodedText:
    """Text decoded from bytes, with the encoding that was detected and how."""

    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def decode_text(data: bytes, name: str) -> DecodedText:
    """Decode CSV bytes: BOMs first, then strict UTF-8, then the most likely 8-bit code page."""
    for bom, codec, label in (
        (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
    ):
        if data.startswith(bom):
            return _decode_or_replace(data, codec, label, name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        decoded = _decode_or_replace(data, utf16, utf16, name)
        decoded.notes.append(f"no byte-order mark; the byte pattern says {utf16}")
        return decoded
    sample = data[:SNIFF_BYTES]
    nuls = sample.count(b"\x00")
    if nuls > MAX_NUL_SHARE * len(sample) and not _text_around_nuls(sample):
        raise InputError(
            "this is a binary file, not a spreadsheet or CSV",
            where=name,
            fix="Export the data as .csv or .xlsx and pass that file instead.",
        )
    notes = []
    if nuls or b"\x00" in data:
        notes.append(_nul_note(data, heavy=nuls > MAX_NUL_SHARE * len(sample)))
        data = data.replace(b"\x00", b"")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError:
        pass
    spans = list(_non_ascii_lines(data))
    foreign = [(start, end) for start, end in spans if not _decodes(data[start:end], "utf-8")]
    if len(foreign) * 2 < len(spans):
        # Mostly UTF-8 with a few lines in a code page: two exports pasted together.
        sample = b"\n".join(data[start:end] for start, end in foreign[:2000])
        decoded = _mostly_utf8(data, foreign, guess_code_page(sample, name))
    else:
        encoding = guess_code_page(_non_ascii_sample(data, spans), name)
        decoded = _decode_or_replace(data, encoding, encoding, name, note="not UTF-8")
    decoded.notes[:0] = notes
    return decoded


def _text_around_nuls(sample: bytes) -> bool:
    """Tell a text file with runs of NUL bytes (a save cut short by a crash) from a binary.

    A crash while saving leaves blocks of zeros in place of text; around them the file is
    still text. A binary file has other control bytes too.
    """
    rest = sample.replace(b"\x00", b"")
    if len(rest) < 16:
        return False
    controls = len(_CONTROL_RE.findall(rest))
    return controls <= MAX_NUL_SHARE * len(rest)


def _nul_note(data: bytes, heavy: bool) -> str:
    """Say where NUL bytes were found, by line, so the rows around them can be checked."""
    if not heavy:
        # A few NUL bytes pad the fields of some database extracts; they carry no text.
        return "NUL bytes (padding from a database extract) were removed"
    lines: list[int] = []
    line, position = 1, 0
    for match in _NUL_RUN_RE.finditer(data):
        line += len(_EOL_RUN_RE.findall(data, position, match.start()))
        position = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
        if len(lines) > 5:
            break
    shown = ", ".join(map(str, lines[:5])) + (" and more" if len(lines) > 5 else "")
    count = data.count(b"\x00")
    return (
        f"{count:,} NUL bytes on line{'s' if len(lines) > 1 else ''} {shown}: the file looks "
        "damaged (a save cut short?); they were removed and the text around them read — check "
        "those rows, or export the file again"
    )


def guess_code_page(sample: bytes, name: str) -> str:
    """Pick the 8-bit code page whose reading of the non-ASCII lines makes sense as names."""
    best = from_bytes(sample, cp_isolation=EIGHT_BIT_CANDIDATES).best()
    if best is None:
        raise InputError(
            "cannot tell which text encoding this file uses (it reads as gibberish in every "
            "encoding a spreadsheet program writes)",
            where=name,
            fix=_ENCODING_FIX,
        )
    encoding = str(best.encoding)
    if encoding not in WESTERN:
        return encoding
    readable = [e for e in RERANKED if _decodes(sample, e)]
    # max() keeps the first of equals: Windows-1252 wins a tie, being by far the most common.
    return max(readable, key=lambda e: plausibility(sample.decode(e)), default="latin_1")


@cache
def _alphabets() -> tuple[frozenset[str], ...]:
    """Load the letters of each language from alphabets.toml."""
    return tuple(
        frozenset(letters) for letters in load_toml("alphabets.toml")["alphabets"].values()
    )


def plausibility(text: str) -> float:
    """Score how much a decoding reads like names: each word's letters from one language."""
    alphabets = _alphabets()
    score = 0.0
    for match in _WORD_RE.finditer(text):
        word = match.group(0).lower()
        extra = {char for char in word if ord(char) > 0x7F}
        if not extra:
            continue
        if len(word) == 1:
            score -= 1.0  # a lone accented letter between digits or spaces is a misread symbol
        elif any(extra <= alphabet for alphabet in alphabets):
            score += 1.0
        elif all(ord(char) > 0x24F for char in extra):
            score += 0.5  # another script (Cyrillic, Greek): not ours to judge here
        else:
            score -= 2.0
    for index, char in enumerate(text):
        if ord(char) < 0x80 or char.isalpha():
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in _BOUNDARY_PUNCTUATION:
            score += 1.5 if not (before.isalpha() and after.isalpha()) or char == "’" else 0.0
        elif not char.isspace():
            score -= 1.0
    return score


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(data: bytes, foreign: list[tuple[int, int]], fallback: str) -> DecodedText:
    """Decode UTF-8 text whose listed line spans are in an 8-bit code page instead."""
    parts: list[str] = []
    position = 0
    for start, end in foreign:
        parts.append(data[position:start].decode("utf-8", errors="replace"))
        parts.append(data[start:end].decode(fallback, errors="replace"))
        position = end
    parts.append(data[position:].decode("utf-8", errors="replace"))
    count = len(foreign)
    note = (
        f"mostly UTF-8, but {count} line{'s are' if count > 1 else ' is'} in another "
        f"encoding and {'were' if count > 1 else 'was'} read as {fallback}"
    )
    return DecodedText("".join(parts), "utf-8", [note])


def _decode_or_replace(
    data: bytes, codec: str, label: str, name: str, note: str | None = None
) -> DecodedText:
    notes = [note] if note else []
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        text = data.decode(codec, errors="replace")
        replaced = text.count("\ufffd")
        if replaced > max(3, MAX_REPLACED_SHARE * len(text)):
            raise InputError(
                f"the text is not valid {label} ({replaced:,} unreadable characters), although "
                "the file says it is",
                where=name,
                fix=_ENCODING_FIX,
            ) from error
        notes.append(
            f"bytes at offset {error.start} are not valid {label}; they were replaced with '\ufffd'"
        )
    if text.startswith("\ufeff"):
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


def _non_ascii_sample(data: bytes, spans: list[tuple[int, int]], limit: int = 64 * 1024) -> bytes:
    """Collect the lines that hold non-ASCII bytes: the only ones that tell code pages apart."""
    picked: list[bytes] = []
    size = 0
    for start, end in spans:
        picked.append(data[start:end])
        size += end - start
        if size >= limit:
            break
    return b"\n".join(picked) or data[:limit]


def _non_ascii_lines(data: bytes) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) byte span of each line that holds a byte above 0x7F."""
    position = 0
    while True:
        match = _HIGH_BYTE_RE.search(data, position)
        if match is None:
            return
        # Both searches are bounded, so the whole walk reads each byte about twice.
        start = 1 + max(
            data.rfind(b"\n", position, match.start()), data.rfind(b"\r", position, match.start())
        )
        start = max(start, position)
        eol = _EOL_RE.search(data, match.end())
        end = eol.start() if eol else len(data)
        yield start, end
        position = end
