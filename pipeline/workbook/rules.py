"""Excel's rules that openpyxl does not enforce (FORMATS.md 4.1-4.2), checked before writing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pipeline.workbook.cells import utf16_len

SHEET_NAME_LIMIT = 31
INLINE_LIST_LIMIT = 255
VALIDATION_MESSAGE_LIMIT = 255
_SHEET_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
# 'A1', 'XFD1048576', 'R1C1', 'R', 'C': names Excel would read as a reference.
_CELL_REFERENCE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")
_TABLE_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.]*$")


def sheet_name_problem(name: str) -> str:
    """Say why Excel would refuse this sheet name, or '' when it is fine."""
    if not name.strip():
        return "is blank"
    if utf16_len(name) > SHEET_NAME_LIMIT:
        return f"is longer than {SHEET_NAME_LIMIT} characters"
    if _SHEET_FORBIDDEN.search(name):
        return "contains one of : \\ / ? * [ ]"
    if name.startswith("'") or name.endswith("'"):
        return "starts or ends with an apostrophe"
    if name.casefold() == "history":
        return "is reserved by Excel"
    return ""


def check_sheet_names(names: Sequence[str]) -> None:
    """Raise ValueError when a sheet name breaks Excel's rules or repeats (ignoring case)."""
    for name in names:
        if problem := sheet_name_problem(name):
            raise ValueError(f"sheet name {name!r} {problem}")
    folded = [n.casefold() for n in names]
    if len(set(folded)) != len(folded):
        raise ValueError(f"sheet names repeat when case is ignored: {list(names)}")


def check_table_name(name: str) -> None:
    """Raise ValueError for a table name Excel would reject (spaces, a cell reference, too long)."""
    if not _TABLE_NAME.match(name) or _CELL_REFERENCE.match(name) or len(name) > 255:
        raise ValueError(f"table name {name!r} is not valid in Excel")


def unique_headers(headers: Iterable[str]) -> list[str]:
    """Make table headers one-line and unique ignoring case, as Excel requires ('Notes (2)')."""
    seen: set[str] = set()
    result = []
    for header in headers:
        # A line break in a header (Alt+Enter) would need escaping in the table's XML; Excel
        # repairs the file when the table's column name and the header cell differ.
        text = " ".join(str(header).split()) or "Column"
        candidate, number = text, 2
        while candidate.casefold() in seen:
            candidate = f"{text} ({number})"
            number += 1
        seen.add(candidate.casefold())
        result.append(candidate)
    return result


def inline_list(choices: Iterable[object]) -> str:
    """Quote dropdown choices as a list formula; Excel refuses one over 255 characters."""
    items = [str(choice) for choice in choices]
    if any("," in item or '"' in item for item in items):
        raise ValueError(f"dropdown choices cannot contain commas or quotes: {items}")
    joined = ",".join(items)
    if utf16_len(joined) > INLINE_LIST_LIMIT:
        raise ValueError(
            f"dropdown list is {utf16_len(joined)} characters; Excel allows {INLINE_LIST_LIMIT}"
        )
    return f'"{joined}"'
