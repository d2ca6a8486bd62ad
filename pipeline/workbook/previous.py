"""Read the user's work back from the previous workbook, so a re-run loses none of it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, WorkbookError
from pipeline.ingest.spreadsheet_limits import check_spreadsheet, native_reader
from pipeline.ingest.tables import is_encrypted_ooxml, sniff_format
from pipeline.normalize.values import company_key, linkedin_slug, split_emails
from pipeline.workbook.cells import is_blank
from pipeline.workbook.layout import (
    CONTACT_COLUMNS,
    CONTACT_USER_COLUMNS,
    CONTACTS,
    DECISIONS,
    DRAFTS,
    EMPLOYERS,
    MOTIVATION_CHOICES,
    POSTING_CHOICES,
    QUESTIONS,
    REVIEW,
    STATUSES,
)
from pipeline.workbook.rules import unique_headers

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers of 1990-01-01 and 2100-01-01: a bare number in this range is a date Excel lost
# the format of; outside it, it is not a date anyone sent a message on.
_SERIAL_RANGE = (32_874, 73_051)
_UNAMBIGUOUS_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
)
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_STATUS_BY_FOLD = {status.casefold(): status for status in STATUSES}
_KNOWN_CONTACT_HEADERS = {header for header, _ in CONTACT_COLUMNS}
_KNOWN_HEADERS = _KNOWN_CONTACT_HEADERS | {"Question", "Your Notes", "Decision"}


@dataclass
class PreviousWorkbook:
    """Everything the user typed into the last workbook, keyed so it can be put back."""

    exists: bool = False
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    contact_order: list[str] = field(default_factory=list)
    key_to_id: dict[str, str] = field(default_factory=dict)
    # Columns the user added to Contacts themselves, in their order.
    extra_columns: list[str] = field(default_factory=list)
    # Rows the user typed into Contacts themselves (no Contact ID of ours): always kept.
    user_added: set[str] = field(default_factory=set)
    drafts: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    employers: dict[str, dict[str, Any]] = field(default_factory=dict)
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)
    review_rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    questions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def has_user_data(self, contact_id: str) -> bool:
        """Tell whether the user typed anything for this contact (a status, a date, a note)."""
        if contact_id in self.user_added:
            return True
        row = self.contacts.get(contact_id, {})
        status = str(row.get("Status") or "").strip()
        columns = [c for c in (*CONTACT_USER_COLUMNS, *self.extra_columns) if c != "Status"]
        return status not in {"", "To contact"} or any(not is_blank(row.get(c)) for c in columns)


def read_previous(path: Path) -> PreviousWorkbook:
    """Read a previous outreach workbook; a file that cannot be read stops the run, untouched."""
    if not path.exists():
        return PreviousWorkbook()
    sheets = read_sheets(path, (CONTACTS, DRAFTS, EMPLOYERS, REVIEW, QUESTIONS))
    if CONTACTS not in sheets:
        raise WorkbookError(
            f"this file has no '{CONTACTS}' sheet, so it is not an outreach workbook",
            where=str(path),
            fix="Pass --out with a new file name; this file was left untouched.",
        )
    previous = PreviousWorkbook(exists=True)
    _read_contacts(previous, sheets[CONTACTS])
    for row in sheets.get(DRAFTS, ([], []))[1]:
        key = tuple(_text(row.get(name)) for name in ("Contact ID", "Channel", "Step"))
        if key[0]:
            previous.drafts[(key[0], key[1], key[2])] = row
    for row in sheets.get(EMPLOYERS, ([], []))[1]:
        _read_employer(previous, row)
    for row in sheets.get(REVIEW, ([], []))[1]:
        _read_decision(previous, row)
    previous.questions = sheets.get(QUESTIONS, ([], []))[1]
    return previous


def read_sheets(
    path: Path, names: tuple[str, ...]
) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Read sheets as (headers, rows by header), with calamine, whatever the column order."""
    from python_calamine import CalamineWorkbook

    data = _workbook_bytes(path)
    # calamine decodes Excel's '_xHHHH_' escapes as Excel does (openpyxl does not), is ~10x
    # faster than openpyxl (FORMATS.md 4.3), and returns the cached values of formulas.
    try:
        with native_reader():
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            result = {}
            for name in names:
                if name in book.sheet_names:
                    values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    result[name] = _by_header(values)
    except Exception as error:  # calamine raises several unrelated types for corrupt files
        raise WorkbookError(
            f"the existing workbook cannot be read ({type(error).__name__}), so the statuses and "
            "notes in it would be lost",
            where=str(path),
            fix="Repair it (open and re-save it in Excel), move it away, or pass --out NEW.xlsx.",
        ) from error
    return result


def _workbook_bytes(path: Path) -> bytes:
    """Read the previous workbook's bytes, refusing one the reader would crash on."""
    try:
        data = path.read_bytes()
    except PermissionError as error:
        raise WorkbookError(
            "the existing workbook cannot be read (permission denied), so the statuses and "
            "notes in it would be lost",
            where=str(path),
            fix="Change its permissions so you can read it, or pass --out NEW.xlsx.",
        ) from error
    except OSError as error:
        raise WorkbookError(
            f"the existing workbook cannot be read ({error.strerror or error})",
            where=str(path),
            fix="Move it away or pass --out NEW.xlsx; it was left untouched.",
        ) from error
    kind = sniff_format(data, path.name)
    if kind == "ole" and is_encrypted_ooxml(data):
        raise WorkbookError(
            "the existing workbook is password-protected, so the statuses and notes in it "
            "cannot be read",
            where=str(path),
            fix="Remove the password in Excel (File > Info > Protect Workbook) and run again, "
            "or pass --out NEW.xlsx; it was left untouched.",
        )
    try:
        check_spreadsheet(data, str(path), kind)
    except InputError as error:
        raise WorkbookError(
            error.what + ", so the statuses and notes in it cannot be read",
            where=str(path),
            fix=error.fix,
        ) from error
    return data


def _by_header(values: list[list[Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    if not values:
        return [], []
    # Named as the next workbook will name them: a blank or repeated header gets a unique
    # name, so the values under it are kept rather than lost or overwritten.
    headers = unique_headers(_header_text(value) for value in values[0])
    rows = []
    for raw in values[1:]:
        row = {h: _plain(v) for h, v in zip(headers, raw, strict=False) if not is_blank(v)}
        if row:
            rows.append(row)
    filled = {h for row in rows for h in row}
    return [h for h in headers if h in filled or h in _KNOWN_HEADERS], rows


def _header_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if is_blank(value) else str(value).strip()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0, 0):
        return value.date()
    return value


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if is_blank(value) else str(value).strip()


def _read_contacts(
    previous: PreviousWorkbook, sheet: tuple[list[str], list[dict[str, Any]]]
) -> None:
    headers, rows = sheet
    previous.extra_columns = [h for h in headers if h not in _KNOWN_CONTACT_HEADERS]
    for row in rows:
        contact_id = _text(row.get("Contact ID"))
        if not contact_id:
            contact_id = _user_added_id(row)
            if not contact_id:
                continue
            row["Contact ID"] = contact_id
            previous.user_added.add(contact_id)
            row.setdefault("Data Notes", "Added by you; kept for your status and notes")
        for column in CONTACT_USER_COLUMNS:
            if column in row:
                row[column] = _user_value(previous, column, row[column], row)
        previous.contacts[contact_id] = row
        previous.contact_order.append(contact_id)
        keys = [k.strip() for k in _text(row.get("Match Keys")).split(";") if k.strip()]
        if not keys and _text(row.get("Sources")):
            # A bare name has no identifier; the rows it came from find it again next run.
            keys = [f"src:{_text(row.get('Sources'))}"]
        for key in keys:
            previous.key_to_id.setdefault(key, contact_id)


def _user_added_id(row: dict[str, Any]) -> str:
    """Give a row the user typed in themselves an id, so it is kept like any other contact."""
    name = _text(row.get("Name"))
    emails, _ = split_emails(_text(row.get("Email")))
    slug = linkedin_slug(_text(row.get("LinkedIn")))
    if not (name or emails or slug):
        return ""
    keys = ([f"li:{slug}"] if slug else []) + [f"em:{e}" for e in emails]
    row["Match Keys"] = "; ".join(keys)
    identity = keys[0] if keys else f"name:{name.casefold()}"
    return "U" + hashlib.sha1(identity.encode()).hexdigest()[:8].upper()


def _user_value(previous: PreviousWorkbook, column: str, value: Any, row: dict[str, Any]) -> Any:
    """Tidy what the user typed without losing it: known statuses, dates typed as text."""
    if column == "Status" and isinstance(value, str):
        return _STATUS_BY_FOLD.get(value.strip().casefold(), value)
    if column == "Date Sent":
        parsed = parse_date_sent(value)
        if isinstance(parsed, str) and parsed.strip():
            previous.notes.append(
                f"Date Sent '{parsed}' for {row.get('Name') or row.get('Contact ID')} is kept "
                "as text: write it as a date, like 2026-03-04, so Due can follow from it."
            )
        return parsed
    return value


def parse_date_sent(value: Any) -> Any:
    """Read a date from what a user typed: a date cell, a bare serial, or unambiguous text."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0, 0) else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        return value
    if not isinstance(value, str):
        return value
    text = " ".join(value.replace(",", " ").split())
    for pattern in _UNAMBIGUOUS_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    match = _NUMERIC_DATE.match(text)
    if match:
        first, second, year = (int(part) for part in match.groups())
        # 3/4/2026 is March in the US and April elsewhere: only a day over 12 settles it.
        if first > 12 >= second:
            return _date_or_none(year, second, first) or value
        if second > 12 >= first:
            return _date_or_none(year, first, second) or value
    return value


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _read_decision(previous: PreviousWorkbook, row: dict[str, Any]) -> None:
    decision = _text(row.get("Decision")).lower()
    key_a, key_b = _text(row.get("Key A")), _text(row.get("Key B"))
    if not decision or not (key_a and key_b):
        return
    previous.review_rows[(key_a, key_b)] = row
    if decision in DECISIONS:
        previous.decisions[(key_a, key_b)] = decision
    else:
        previous.notes.append(
            f"Review decision '{row.get('Decision')}' for {row.get('Record A')} ignored: "
            "write merge or separate"
        )


def _read_employer(previous: PreviousWorkbook, row: dict[str, Any]) -> None:
    """Keep an employer row by key; one the user typed in gets the key of its name."""
    name = _text(row.get("Employer"))
    key = _text(row.get("Employer Key")) or company_key(name)
    if not key:
        return
    row["Employer Key"] = key
    for column, choices in (("Motivation", MOTIVATION_CHOICES), ("Posting", POSTING_CHOICES)):
        value = row.get(column)
        if is_blank(value):
            continue
        number = rating_number(value)
        if number is None or not min(choices) <= number <= max(choices):
            low, high = min(choices), max(choices)
            previous.notes.append(
                f"Employers: {column} '{value}' for {name or key} is not a number from {low} to "
                f"{high}; it is kept but not used in the ranking."
            )
    previous.employers[key] = row


def rating_number(value: Any) -> float | None:
    """Read a Motivation or Posting value as a number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
