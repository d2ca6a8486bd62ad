"""Make values safe for a cell: text stays text, illegal characters go, links are checked."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# XML 1.0 forbids these; openpyxl misses U+FFFE, U+FFFF and lone surrogates (FORMATS.md 4.2).
_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel reads '_x0041_' in cell text as an escaped character; escape the underscore to keep it.
_ESCAPE_LOOKALIKE_RE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
CELL_LIMIT = 32_767
URL_LIMIT = 2_079
HYPERLINK_LIMIT = 65_000  # Excel allows 65,530 per sheet
ERROR_CODES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
LINK_FONT = Font(color="0563C1", underline="single")
TRUNCATION_MARK = " [cut: over Excel's 32,767-character cell limit]"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def clean_cell_text(value: str) -> tuple[str, bool]:
    """Remove characters XML cannot hold; cut at Excel's limit (in UTF-16 units); say if cut."""
    text = _ILLEGAL_RE.sub("", value)
    text = _ESCAPE_LOOKALIKE_RE.sub(r"_x005F_\1", text)
    if utf16_len(text) <= CELL_LIMIT:
        return text, False
    budget = CELL_LIMIT - len(TRUNCATION_MARK)
    cut = text[:budget]
    while utf16_len(cut) > budget:
        cut = cut[:-1]
    return cut + TRUNCATION_MARK, True


def needs_text_guard(text: str) -> bool:
    """True when openpyxl would turn this string into a formula or an error cell."""
    return text.startswith("=") or text in ERROR_CODES


def safe_link(url: str) -> str:
    """Return the URL if it may become a hyperlink (http, https, mailto, short enough), else ''."""
    lowered = url.strip().lower()
    if not lowered.startswith(("https://", "http://", "mailto:")):
        return ""
    if any(c in url for c in '\r\n\t"<> ') or len(url) > URL_LIMIT:
        return ""
    return url.strip()


class CellMaker:
    """Turn Python values into write-only cells for one sheet, counting hyperlinks and cuts."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.links = 0
        self.links_dropped = 0
        self.cut = 0

    def value(self, value: Any) -> Any:
        """A plain value or a guarded cell: text is always text, numbers and dates stay typed."""
        if value is None:
            return None
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, bool | int | float | dt.date | dt.datetime):
            return value
        text, cut = clean_cell_text(str(value))
        if cut:
            self.cut += 1
        if needs_text_guard(text):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"
            return cell
        return text

    def styled(self, value: Any, **style: Any) -> Cell:
        """A cell with a style (font, fill, number format, alignment)."""
        plain = self.value(value)
        cell = plain if isinstance(plain, Cell) else WriteOnlyCell(self.sheet, value=plain)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def formula(self, formula: str, **style: Any) -> Cell:
        """A formula of our own (never input data): the only way a formula enters the workbook."""
        cell = WriteOnlyCell(self.sheet, value=formula)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def link(self, text: str, url: str) -> Any:
        """A clickable cell when the URL is safe and the sheet's hyperlink budget allows."""
        target = safe_link(url)
        if not text:
            return None
        if not target:
            return self.value(text)
        if self.links >= HYPERLINK_LIMIT:
            self.links_dropped += 1
            return self.value(text)
        cell = self.styled(text, font=LINK_FONT)
        cell.hyperlink = target
        self.links += 1
        return cell
