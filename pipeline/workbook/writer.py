"""Write the workbook: every sheet of the contract, streamed, then swapped in atomically."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from pipeline.drafts import Draft
from pipeline.errors import WorkbookError
from pipeline.progress import StageProgress
from pipeline.workbook.cells import HYPERLINK_LIMIT, align_top_by_default
from pipeline.workbook.contacts import SOURCE_COLUMNS, write_contacts
from pipeline.workbook.layout import CONTACT_USER_COLUMNS, SHEETS, SKIPPED_COLUMNS, user_column
from pipeline.workbook.lists import (
    capped_changes,
    write_changes,
    write_drafts,
    write_employers,
    write_questions,
    write_review,
    write_skipped,
)
from pipeline.workbook.rules import check_sheet_names
from pipeline.workbook.summary import SummaryContent, write_summary

DEFAULT_ROW_CAP = 50_000
EXCEL_ROWS = 1_048_576


@dataclass
class WorkbookContent:
    """Everything that goes into the workbook, one field per sheet."""

    contacts: pd.DataFrame
    kept: pd.DataFrame
    drafts: Sequence[Draft]
    employers: pd.DataFrame
    review: pd.DataFrame
    skipped: pd.DataFrame
    summary: SummaryContent
    questions: Sequence[tuple[str, str, str, bool]]
    changes: pd.DataFrame
    row_cap: int = DEFAULT_ROW_CAP
    extra_contact_columns: Sequence[str] = field(default_factory=tuple)


@dataclass
class WriteResult:
    """What was written, for the run's closing paragraph."""

    path: Path
    backup: Path | None
    overflow_csv: Path | None
    contacts_in_sheet: int
    skipped_csv: Path | None
    links_dropped: int
    cells_cut: int


def overflow_csv_path(out: Path) -> Path:
    """Name the CSV that holds the full ranked list when Contacts is capped."""
    return out.with_name(f"{out.stem}-all-contacts.csv")


def skipped_csv_path(out: Path) -> Path:
    """Name the CSV that holds every skipped row when they pass Excel's row limit."""
    return out.with_name(f"{out.stem}-skipped.csv")


def backup_path(out: Path) -> Path:
    """Name the backup of the previous workbook: 'outreach.backup.xlsx' beside it."""
    return out.with_name(f"{out.stem}.backup{out.suffix}")


def check_writable(out: Path) -> None:
    """Fail early, before any work, when the workbook cannot be replaced."""
    if out.suffix.lower() != ".xlsx":
        # An .xlsx under another name opens in no program, and 'out.csv' may be the user's data.
        raise WorkbookError(
            "the workbook must be an .xlsx file",
            where=str(out),
            fix="Pass --out with a name ending in .xlsx, like outreach.xlsx.",
        )
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookError(
            "the output folder does not exist",
            where=str(folder),
            fix="Create the folder or pass --out with a path in an existing folder.",
        )
    if not os.access(folder, os.W_OK):
        raise WorkbookError(
            "cannot write in the output folder (permission denied)",
            where=str(folder),
            fix="Pass --out with a path in a folder you can write to.",
        )
    # Excel leaves '~$name.xlsx' and LibreOffice '.~lock.name.xlsx#' beside a file it has open.
    for lock in (folder / f"~${out.name}", folder / f".~lock.{out.name}#"):
        if lock.exists():
            raise WorkbookError(
                "the workbook is open in another program (Excel or LibreOffice)",
                where=str(out),
                fix=f"Close it there and run again; nothing was changed. (If it is not open, "
                f"delete the leftover lock file {lock.name}.)",
            )
    if out.is_dir():
        raise WorkbookError(
            "this is a folder, not a workbook", where=str(out), fix="Pass --out FILE.xlsx."
        )
    # The mode bits, not os.access: root may write anywhere, but a file the user marked
    # read-only is a file they want left alone.
    if out.exists() and (
        not os.access(out, os.W_OK) or not out.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP)
    ):
        raise WorkbookError(
            "the workbook is read-only",
            where=str(out),
            fix="Make it writable, or pass --out with another file name; nothing was changed.",
        )


def write_workbook(
    content: WorkbookContent, out: Path, progress: StageProgress | None = None
) -> WriteResult:
    """Write all sheets to a temporary file, keep a backup of the old one, then swap it in.

    `progress` counts the Contacts rows and, past the row cap, the rows of the full CSV.
    """
    check_writable(out)
    check_sheet_names(SHEETS)
    book = Workbook(write_only=True)
    align_top_by_default(book)
    # The header and the kept rows share Excel's 1,048,576 rows with the ranked ones.
    cap = max(1, min(content.row_cap, EXCEL_ROWS - 1 - len(content.kept)))
    in_sheet, overflow = split_rows(
        content.contacts, cap, [user_column(c) for c in content.extra_contact_columns]
    )
    if progress is not None:
        progress.total = (
            len(in_sheet) + len(content.kept) + (len(content.contacts) if len(overflow) else 0)
        )
    contacts = write_contacts(book, in_sheet, content.kept, content.extra_contact_columns, progress)
    counters = [
        contacts,
        write_drafts(book, content.drafts),
        write_employers(book, content.employers),
        write_review(book, content.review),
        write_skipped(book, content.skipped.iloc[: EXCEL_ROWS - 1]),
    ]
    overflow_path = overflow_csv_path(out) if len(overflow) else None
    skipped_path = skipped_csv_path(out) if len(content.skipped) >= EXCEL_ROWS else None
    notes = content.summary.notes
    for path, written in (
        (overflow_csv_path(out), overflow_path),
        (skipped_csv_path(out), skipped_path),
    ):
        if written is None and path.exists():
            # Left from an earlier, bigger run. Maybe edited by the user, so not deleted.
            notes.append(
                f"{path.name} beside this workbook is from an earlier run; this run did not "
                "write it, so it is out of date. Delete it once you no longer need it."
            )
    if skipped_path is not None:
        notes.insert(
            0,
            f"{len(content.skipped):,} rows were skipped, more than a sheet holds: Skipped shows "
            f"the first {EXCEL_ROWS - 1:,}; all of them are in {skipped_path.name} beside this "
            "workbook.",
        )
    if overflow_path is not None:
        notes.insert(
            0,
            f"{len(content.contacts):,} contacts: the best {len(in_sheet):,} are in Contacts "
            f"(the row cap is {cap:,}); the full ranked list is in "
            f"{overflow_path.name} beside this workbook.",
        )
    if contacts.links_dropped:
        notes.insert(
            0,
            f"Email and LinkedIn are clickable for the first {contacts.links:,} links of "
            f"Contacts; Excel allows {HYPERLINK_LIMIT:,} per sheet, so "
            f"{contacts.links_dropped:,} lower-ranked ones are plain text.",
        )
    cut = sum(c.cut for c in counters)
    if cut:
        notes.append(
            f"{cut:,} values were longer than Excel's 32,767-character cell limit and were cut "
            "(marked '[cut: …]')."
        )
    changes, changes_left = capped_changes(content.changes, cap)
    if changes_left:
        notes.append(
            f"Changes lists {len(changes):,} of {len(content.changes):,} changes (the row cap is "
            f"{cap:,}): job changes and people who left are kept first, then the best-ranked "
            "new people."
        )
    write_summary(book, content.summary)
    write_questions(book, content.questions)
    write_changes(book, changes)
    # Each CSV is written beside its final name and renamed only once the workbook is saved.
    csvs: list[tuple[Path, Path]] = []
    try:
        if overflow_path is not None:
            csvs.append((_temporary(overflow_path), overflow_path))
            write_contacts_csv(content.contacts, csvs[-1][0])
            if progress is not None:
                progress.advance(len(content.contacts))
        if skipped_path is not None:
            csvs.append((_temporary(skipped_path), skipped_path))
            write_skipped_csv(content.skipped, csvs[-1][0])
        backup = _save_atomically(book, out)
    except BaseException:
        # Ctrl-C or a crash while writing: leave nothing half-written beside the workbook.
        for temporary, _ in csvs:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise
    for temporary, final in csvs:
        os.replace(temporary, final)
    return WriteResult(
        path=out,
        backup=backup,
        overflow_csv=overflow_path,
        contacts_in_sheet=len(in_sheet),
        skipped_csv=skipped_path,
        links_dropped=contacts.links_dropped,
        cells_cut=cut,
    )


def split_rows(
    contacts: pd.DataFrame, cap: int, extra: Sequence[str] = ()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split off the best `cap` rows, plus any lower row holding the user's status or notes."""
    if len(contacts) <= cap:
        return contacts, contacts.iloc[0:0]
    head, tail = contacts.iloc[:cap], contacts.iloc[cap:]
    present = [c for c in (*CONTACT_USER_COLUMNS, *extra) if c in tail]
    if present:
        typed = tail[present].apply(lambda column: column.map(_typed)).any(axis=1)
        if typed.any():
            head = pd.concat([head, tail[typed]])
    return head, tail


def _typed(value: Any) -> bool:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    return bool(str(value).strip()) and str(value).strip() != "To contact"


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _save_atomically(book: Workbook, out: Path) -> Path | None:
    """Save to a temporary file beside the target, back up the old file, then rename over it.

    Whatever stops it (a full disk, Ctrl-C, a crash in the writer), the workbook and its
    backup are each either the old file or the new one, never half of one, and no temporary
    file is left behind.
    """
    temporary = _temporary(out)
    try:
        backup = _replace_with(book, temporary, out)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return backup


def _replace_with(book: Workbook, temporary: Path, out: Path) -> Path | None:
    try:
        book.save(temporary)
    except OSError as error:
        raise WorkbookError(
            f"cannot write the workbook ({error.strerror or error})",
            where=str(out),
            fix="Check the disk has space and the folder is writable; nothing was changed.",
        ) from error
    if not out.exists():
        _rename(temporary, out)
        return None
    # The old workbook is copied aside first and becomes the backup only once the new one is
    # in place: if that fails, the workbook and the older backup are both as they were.
    backup = backup_path(out)
    kept = _temporary(backup)
    try:
        try:
            shutil.copy2(out, kept)
        except OSError as error:
            raise WorkbookError(
                f"cannot keep the backup {backup.name} ({error.strerror or error}); it may be "
                "open in another program",
                where=str(out),
                fix="Close it and run again; the workbook was left as it was.",
            ) from error
        _rename(temporary, out)
        try:
            os.replace(kept, backup)
        except OSError as error:
            raise WorkbookError(
                f"the new workbook was written, but the backup {backup.name} could not be "
                f"replaced ({error.strerror or error}); it still holds an older version",
                where=str(out),
                fix="Close the backup if it is open; your new workbook is complete.",
            ) from error
    except BaseException:
        with contextlib.suppress(OSError):
            kept.unlink()
        raise
    return backup


def _rename(temporary: Path, out: Path) -> None:
    try:
        os.replace(temporary, out)
    except OSError as error:
        raise WorkbookError(
            f"cannot replace the workbook ({error.strerror or error}); it may be open in "
            "another program",
            where=str(out),
            fix="Close it and run again; the previous workbook was left as it was.",
        ) from error


# The full ranked list's columns: the Contacts data a spreadsheet or a mail merge needs.
CSV_HEADERS = (
    "Rank", "Tier", "Score", "Name", "Title", "Company", "Relationship", "Why", "Email",
    "LinkedIn", "Location", "Class Year", "Status", "Date Sent", "Notes", "Sources", "Contact ID",
)  # fmt: skip
CSV_CHUNK_ROWS = 50_000
# OWASP's leading characters that make a spreadsheet run a CSV field as a formula.
_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_COLUMNS = {header: SOURCE_COLUMNS.get(header, header) for header in CSV_HEADERS}


def write_contacts_csv(contacts: pd.DataFrame, path: Path) -> None:
    """Write the full ranked list as CSV; values a spreadsheet would run get a leading '."""
    _write_csv(contacts, {h: c for h, c in CSV_COLUMNS.items() if c in contacts}, path)


def write_skipped_csv(skipped: pd.DataFrame, path: Path) -> None:
    """Write every skipped row as CSV, with the Skipped sheet's columns."""
    names = ("file", "row", "reason", "raw")
    columns = dict(zip((h for h, _ in SKIPPED_COLUMNS), names, strict=True))
    _write_csv(skipped, columns, path)


def _write_csv(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> None:
    # A million rows: each column of a chunk is made text at once, then csv.writer writes the
    # chunk's rows; a chunk at a time keeps the texts from adding to the run's peak memory.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(list(columns))
        for start in range(0, len(frame), CSV_CHUNK_ROWS):
            chunk = frame.iloc[start : start + CSV_CHUNK_ROWS]
            texts = [_csv_texts(chunk[name]) for name in columns.values()]
            writer.writerows(zip(*texts, strict=True))


def _csv_texts(column: pd.Series) -> np.ndarray:
    """A column as csv.writer writes it after csv_safe: text, '' for missing values."""
    if isinstance(column.dtype, pd.StringDtype):
        texts = column.to_numpy(dtype=object, na_value="")
        # str.startswith over the list: .str.startswith calls a Python lambda per value.
        risky = np.fromiter(
            (text.startswith(_CSV_RISKY) for text in texts.tolist()), dtype=bool, count=len(texts)
        )
        texts[risky] = "'" + texts[risky]
        return texts
    if pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
        return column.astype(str).to_numpy(dtype=object)
    values = column.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    written = [_csv_text(csv_safe(value)) for value in uniques]
    return np.array([*written, ""], dtype=object)[codes]


def _csv_text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def csv_safe(value: Any) -> Any:
    """Make a CSV field a spreadsheet shows as text: OWASP's leading characters get a quote."""
    # pd.NA is how a missing class year (Int64) arrives: blank, as in the workbook, not '<NA>'.
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.startswith(_CSV_RISKY):
        return "'" + value
    return value
