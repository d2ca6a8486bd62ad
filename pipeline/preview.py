"""`outreach preview`: one contact's drafts, read from the workbook (with the user's edits)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from rapidfuzz import fuzz, process

from pipeline.errors import OutreachError, WorkbookError
from pipeline.normalize.values import fold
from pipeline.workbook.layout import CONTACTS, DRAFTS


def find_drafts(workbook: Path, name_or_id: str) -> tuple[str, list[dict[str, Any]]]:
    """Return a contact's name and draft rows: an ID matches exactly, else the closest name."""
    if not workbook.exists():
        raise WorkbookError(
            "workbook not found",
            where=str(workbook),
            fix="Run 'outreach run' first, or pass --workbook PATH.",
        )
    book = load_workbook(workbook, read_only=True, data_only=True)
    try:
        contacts = _sheet_rows(book, CONTACTS)
        drafts = _sheet_rows(book, DRAFTS)
    finally:
        book.close()
    wanted = name_or_id.strip()
    by_id = {str(c.get("Contact ID")): c for c in contacts if c.get("Contact ID")}
    contact = by_id.get(wanted) or by_id.get(wanted.upper())
    if contact is None:
        names = {str(c.get("Contact ID")): fold(str(c.get("Name") or "")) for c in by_id.values()}
        best = process.extractOne(fold(wanted), names, scorer=fuzz.WRatio, score_cutoff=85)
        if best is None:
            raise OutreachError(
                f"no contact named like '{name_or_id}'",
                where=str(workbook),
                fix="Use the Name or Contact ID as shown in the Contacts sheet.",
            )
        contact = by_id[best[2]]
    contact_id = str(contact["Contact ID"])
    rows = [d for d in drafts if str(d.get("Contact ID")) == contact_id]
    if not rows:
        raise OutreachError(
            f"{contact.get('Name')} has no drafts (only the top contacts get them)",
            where=str(workbook),
            fix="Run again with a larger --top, or set [drafts] top in profile.toml.",
        )
    return str(contact.get("Name") or contact_id), rows


def _sheet_rows(book: Any, name: str) -> list[dict[str, Any]]:
    if name not in book.sheetnames:
        raise WorkbookError(f"no '{name}' sheet: this is not an outreach workbook", where=str(name))
    rows = book[name].iter_rows(values_only=True)
    header = [str(h) if h is not None else "" for h in next(rows, ())]
    return [dict(zip(header, row, strict=False)) for row in rows]
