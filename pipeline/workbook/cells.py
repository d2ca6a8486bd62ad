"""Make values safe for a cell: text stays text, illegal characters go, links are checked."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# XML 1.0 forbids these; openpyxl misses U+FFFE, U+FFFF and lone surrogates (FORMATS.md 4.2).
_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel decodes '_x0041_' in cell text to 'A'; '_x005F_' is its escape for '_', so text that
# merely looks like an escape is written '_x005F_x0041_' and Excel shows it as typed. calamine
# decodes both forms the way Excel does (previous.py reads with it), so the text round-trips.
_ESCAPE_LOOKALIKE_RE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NEEDS_CLEANING_RE = re.compile(f"{_ILLEGAL_RE.pattern}|{_ESCAPE_LOOKALIKE_RE.pattern}")
CELL_LIMIT = 32_767
URL_LIMIT = 2_079
HYPERLINK_LIMIT = 65_530
ERROR_CODES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
TRUNCATION_MARK = " [cut: over Excel's 32,767-character cell limit]"

# openpyxl leaves a new font nameless, and LibreOffice then draws it in a serif face.
FONT_NAME = "Calibri"
LINK_FONT = Font(name=FONT_NAME, color="0563C1", underline="single")
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
TOP = Alignment(vertical="top")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"


def align_top_by_default(book: Workbook) -> None:
    """Make the workbook's default cell format top-aligned, so a plain value needs no style.

    A row grows when one of its cells wraps, and Excel puts every other cell of it at the bottom
    unless told otherwise. Giving each cell the top alignment as its own style cost about half of
    the time to write a big Contacts sheet; the default format (the first of the cell formats,
    which every cell without a style uses, and the Normal style behind it) costs nothing. Cells
    with a style of their own get the top alignment too unless they ask for another (CellMaker).
    """
    # openpyxl keeps the formats in these lists and writes them out in order; it has no public
    # way to change the default one, so the lists are set up before any cell is made. Column
    # and row settings ask for the plain format (all zeros): that is the default one too, or
    # they would name a bottom-aligned format that a value typed later in Excel would take.
    top = StyleArray()
    top.alignmentId = book._alignments.add(TOP)  # type: ignore[attr-defined]
    formats = IndexedList([top])
    formats._rebuild_dict()  # type: ignore[attr-defined]
    formats._dict[StyleArray()] = 0  # type: ignore[attr-defined]
    book._cell_styles = formats  # type: ignore[attr-defined]
    book._named_styles["Normal"].alignment = TOP  # type: ignore[attr-defined]


def utf16_len(text: str) -> int:
    """Count UTF-16 code units, the unit of Excel's text limits."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def clean_cell_text(value: str) -> tuple[str, bool]:
    """Remove characters XML cannot hold; cut at Excel's limit (in UTF-16 units); say if cut."""
    if len(value) <= CELL_LIMIT // 2 and not _NEEDS_CLEANING_RE.search(value):
        return value, False  # nearly every value: at most 2 UTF-16 units per character
    text = _ILLEGAL_RE.sub("", value)
    text = _ESCAPE_LOOKALIKE_RE.sub(r"_x005F_\1", text)
    if utf16_len(text) <= CELL_LIMIT:
        return text, False
    budget = CELL_LIMIT - len(TRUNCATION_MARK)
    cut = text[:budget]
    while utf16_len(cut) > budget:
        cut = cut[:-1]
    # Never end on half of an escape: Excel would show '_x005F' where the user typed '_'.
    cut = re.sub(r"_(x(?:0(?:0(?:5F?)?)?)?)?$", "", cut)
    return cut + TRUNCATION_MARK, True


def needs_text_guard(text: str) -> bool:
    """Tell whether openpyxl would turn this string into a formula or an error cell."""
    return text.startswith("=") or text in ERROR_CODES


def safe_link(url: str) -> str:
    """Return the URL if it may become a hyperlink (http, https, mailto, short enough), else ''."""
    target = url.strip()
    if not target.lower().startswith(("https://", "http://", "mailto:")):
        return ""
    if any(c in target for c in '\r\n\t"<> ') or utf16_len(target) > URL_LIMIT:
        return ""
    if _ILLEGAL_RE.search(target):
        return ""
    return target


def is_blank(value: Any) -> bool:
    """Tell whether a value is empty: None, NaN, NaT or blank text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaT and NaN-likes are not equal to themselves
    except TypeError:
        return True  # pandas.NA refuses to be a bool


def whole_number(value: Any) -> int | None:
    """Read a Rank or a Class Year as a whole number (2019.0 is 2019), or None."""
    if is_blank(value):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


class CellMaker:
    """Turn Python values into write-only cells for one sheet, counting hyperlinks and cuts."""

    def __init__(self, sheet: WriteOnlyWorksheet, link_budget: int = HYPERLINK_LIMIT) -> None:
        self.sheet = sheet
        self.link_budget = link_budget
        self.links = 0
        self.links_dropped = 0
        self.cut = 0
        self._styles: dict[tuple[tuple[str, int], ...], tuple[StyleArray, tuple[Any, ...]]] = {}

    def value(self, value: Any) -> Any:
        """Return a plain value or a guarded cell: text stays text, numbers and dates stay typed."""
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, str) and is_blank(value):
            return None
        if isinstance(value, bool | int | float | dt.date | dt.datetime):
            return value
        text, cut = clean_cell_text(str(value))
        if cut:
            self.cut += 1
        if not text:
            return None
        if needs_text_guard(text):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"
            return cell
        return text

    def styled(self, value: Any, **style: Any) -> Cell:
        """Make a cell with a style (font, fill, number_format, alignment), empty ones too."""
        plain = self.value(value)
        cell = plain if isinstance(plain, Cell) else WriteOnlyCell(self.sheet, value=plain)
        self._apply(cell, style)
        return cell

    def formula(self, formula: str, **style: Any) -> Cell:
        """Make a cell of our own formula (never input data): the only way one gets in."""
        cell = WriteOnlyCell(self.sheet, value=formula)
        self._apply(cell, style)
        return cell

    def link(self, text: Any, url: str, **style: Any) -> Any:
        """Make a clickable cell when the URL is safe and the sheet's hyperlink budget allows."""
        if is_blank(text):
            return None
        target = safe_link(url)
        if not target:
            return self.styled(text, **style) if style else self.value(text)
        if self.links >= self.link_budget:
            self.links_dropped += 1
            return self.styled(text, **style) if style else self.value(text)
        cell = self.styled(text, font=LINK_FONT, **style)
        cell.hyperlink = target
        self.links += 1
        return cell

    def _apply(self, cell: Cell, style: dict[str, Any]) -> None:
        # Setting a style attribute looks it up in the workbook's lists, hashing the style
        # object; with a million cells that dominates the write. So each distinct style is
        # built once and copied, keyed by the identity of the (module-level) style objects,
        # which the cache also holds so an identity is never reused for another object.
        if not style:
            return
        if "alignment" not in style:
            # Like a cell without a style (see align_top_by_default).
            style = {**style, "alignment": TOP}
        key = tuple((name, id(setting)) for name, setting in style.items())
        cached = self._styles.get(key)
        if cached is None:
            for name, setting in style.items():
                setattr(cell, name, setting)
            array = StyleArray(cell._style)  # type: ignore[attr-defined]
            self._styles[key] = (array, tuple(style.values()))
        else:
            cell._style = StyleArray(cached[0])  # type: ignore[attr-defined]
