"""Read the user's work back from the previous workbook, so a re-run loses none of it."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from pipeline.errors import WorkbookError
from pipeline.workbook.layout import (
    CONTACT_USER_COLUMNS,
    CONTACTS,
    DRAFTS,
    EMPLOYERS,
    REVIEW,
)


@dataclass
class PreviousWorkbook:
    """Everything the user typed into the last workbook, keyed so it can be put back."""

    exists: bool = False
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_order: list[str] = field(default_factory=list)
    key_to_id: dict[str, str] = field(default_factory=dict)
    drafts: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    employers: dict[str, dict[str, Any]] = field(default_factory=dict)
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def has_user_data(self, contact_id: str) -> bool:
        """True when the user typed anything for this contact (a status, a date, a note)."""
        row = self.contacts.get(contact_id, {})
        status = str(row.get("Status") or "").strip()
        typed = any(str(row.get(c) or "").strip() for c in CONTACT_USER_COLUMNS if c != "Status")
        return typed or status not in {"", "To contact"}


def read_previous(path: Path) -> PreviousWorkbook:
    """Read a previous outreach workbook; a file that cannot be read stops the run, untouched."""
    if not path.exists():
        return PreviousWorkbook()
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookError(
            f"the existing workbook cannot be read ({type(error).__name__}), so the statuses and "
            "notes in it would be lost",
            where=str(path),
            fix="Repair it (open and re-save it in Excel), move it away, or pass --out NEW.xlsx.",
        ) from error
    previous = PreviousWorkbook(exists=True)
    try:
        sheets = {name: book[name] for name in book.sheetnames}
        if CONTACTS not in sheets:
            raise WorkbookError(
                f"this file has no '{CONTACTS}' sheet, so it is not an outreach workbook",
                where=str(path),
                fix="Pass --out with a new file name; this file was left untouched.",
            )
        for row in _rows(sheets[CONTACTS]):
            contact_id = str(row.get("Contact ID") or "").strip()
            if not contact_id:
                continue
            previous.contacts[contact_id] = row
            previous.contact_order.append(contact_id)
            for key in str(row.get("Match Keys") or "").split(";"):
                if key.strip():
                    previous.key_to_id.setdefault(key.strip(), contact_id)
        if DRAFTS in sheets:
            for row in _rows(sheets[DRAFTS]):
                draft_key = (
                    str(row.get("Contact ID") or ""),
                    str(row.get("Channel") or ""),
                    str(row.get("Step") or ""),
                )
                if draft_key[0]:
                    previous.drafts[draft_key] = row
        if EMPLOYERS in sheets:
            for row in _rows(sheets[EMPLOYERS]):
                key = str(row.get("Employer Key") or "").strip()
                if key:
                    previous.employers[key] = row
        if REVIEW in sheets:
            for row in _rows(sheets[REVIEW]):
                decision = str(row.get("Decision") or "").strip().lower()
                key_a, key_b = str(row.get("Key A") or ""), str(row.get("Key B") or "")
                if decision in {"merge", "separate"} and key_a and key_b:
                    previous.decisions[(key_a, key_b)] = decision
                elif decision:
                    previous.notes.append(
                        f"Review decision '{row.get('Decision')}' ignored: use merge or separate"
                    )
    finally:
        book.close()
    return previous


def _rows(sheet: Any) -> list[dict[str, Any]]:
    """Read a sheet as dictionaries by header, whatever order the user left the columns in."""
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        return []
    names = [str(h).strip() if h is not None else "" for h in header]
    result = []
    for values in rows:
        if values is None or all(v is None or v == "" for v in values):
            continue
        result.append(
            {name: _plain(value) for name, value in zip(names, values, strict=False) if name}
        )
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value
