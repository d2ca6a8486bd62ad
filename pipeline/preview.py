"""`outreach preview`: one contact's drafts, read from the workbook (with the user's edits)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from rapidfuzz import fuzz, process

from pipeline.errors import OutreachError, WorkbookError
from pipeline.ingest.spreadsheet_limits import check_spreadsheet
from pipeline.ingest.tables import sniff_format
from pipeline.normalize.values import fold
from pipeline.workbook.cells import whole_number
from pipeline.workbook.layout import CONTACTS, DRAFTS


def find_drafts(workbook: Path, name_or_id: str) -> tuple[str, list[dict[str, Any]]]:
    """Return a contact's name and drafts: an ID or Rank matches exactly, else the nearest name."""
    if not workbook.exists():
        raise WorkbookError(
            "workbook not found",
            where=str(workbook),
            fix="Run 'outreach run' first, or pass --workbook PATH.",
        )
    book = _open_workbook(workbook)
    try:
        contacts = _sheet_rows(book, CONTACTS)
        drafts = _sheet_rows(book, DRAFTS)
    finally:
        book.close()
    wanted = name_or_id.strip()
    by_id = {str(c.get("Contact ID")): c for c in contacts if c.get("Contact ID")}
    contact = by_id.get(wanted) or by_id.get(wanted.upper())
    if contact is None and wanted.isdigit():
        # The Rank, the first column of Contacts: 'outreach preview 3'.
        contact = next((c for c in contacts if whole_number(c.get("Rank")) == int(wanted)), None)
    if contact is None:
        names = {str(c.get("Contact ID")): fold(str(c.get("Name") or "")) for c in by_id.values()}
        best = process.extractOne(fold(wanted), names, scorer=fuzz.WRatio, score_cutoff=85)
        if best is None:
            raise OutreachError(
                f"no contact named like '{name_or_id}'",
                where=str(workbook),
                fix="Use the Name, Contact ID or Rank as shown in the Contacts sheet.",
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


def _open_workbook(path: Path) -> Any:
    """Open the workbook read-only; a damaged, foreign or hostile file is one clear error."""
    try:
        data = path.read_bytes()
        # A value typed in XFD1048576 would make every row 16,384 cells wide.
        check_spreadsheet(data, str(path), sniff_format(data, path.name))
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except OutreachError:
        raise
    except Exception as error:  # openpyxl raises many types for a file it cannot read
        raise WorkbookError(
            f"cannot be read as a workbook ({type(error).__name__})",
            where=str(path),
            fix="Pass --workbook with the .xlsx that 'outreach run' wrote.",
        ) from error


def _sheet_rows(book: Any, name: str) -> list[dict[str, Any]]:
    if name not in book.sheetnames:
        raise WorkbookError(f"no '{name}' sheet: this is not an outreach workbook", where=str(name))
    rows = book[name].iter_rows(values_only=True)
    header = [str(h) if h is not None else "" for h in next(rows, ())]
    return [dict(zip(header, row, strict=False)) for row in rows]
