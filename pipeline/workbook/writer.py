"""Write the workbook: every sheet of the contract, streamed, then swapped in atomically."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipeline.drafts import Draft
from pipeline.drafts.model import FOLLOW_UP_BUSINESS_DAYS
from pipeline.errors import WorkbookError
from pipeline.workbook.cells import CellMaker
from pipeline.workbook.layout import (
    CHANGE_COLUMNS,
    CHANGES,
    CONTACT_COLUMNS,
    CONTACT_HIDDEN,
    CONTACTS,
    DRAFT_COLUMNS,
    DRAFT_HIDDEN,
    DRAFTS,
    EMPLOYER_COLUMNS,
    EMPLOYER_HIDDEN,
    EMPLOYERS,
    QUESTION_COLUMNS,
    QUESTIONS,
    REVIEW,
    REVIEW_COLUMNS,
    REVIEW_HIDDEN,
    SKIPPED,
    SKIPPED_COLUMNS,
    STATUSES,
    SUMMARY,
)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
TIER_FILLS = {"A": "C6EFCE", "B": "FFEB9C", "C": "EDEDED"}
DATE_FORMAT = "yyyy-mm-dd"
DEFAULT_ROW_CAP = 50_000


@dataclass
class SummaryContent:
    """The run report, already in words and numbers."""

    generated: dt.datetime
    inputs: list[dict[str, Any]]
    facts: list[tuple[str, Any]]
    tiers: dict[str, int]
    top_employers: list[tuple[str, int, float]]
    changes: dict[str, int]
    notes: list[str] = field(default_factory=list)


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
    questions: Sequence[tuple[str, str]]
    changes: pd.DataFrame
    row_cap: int = DEFAULT_ROW_CAP


@dataclass
class WriteResult:
    """What was written, for the run's closing paragraph."""

    path: Path
    backup: Path | None
    overflow_csv: Path | None
    contacts_in_sheet: int
    links_dropped: int
    cells_cut: int


def overflow_csv_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}-all-contacts.csv")


def backup_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.backup{out.suffix}")


def check_writable(out: Path) -> None:
    """Fail early, before any work, when the workbook cannot be replaced."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.exists():
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
    for lock in (folder / f"~${out.name}", folder / f".~lock.{out.name}#"):
        if lock.exists():
            raise WorkbookError(
                "the workbook is open in another program (Excel or LibreOffice)",
                where=str(out),
                fix="Close it there and run again; nothing was changed.",
            )
    if out.exists() and not os.access(out, os.W_OK):
        raise WorkbookError(
            "the workbook is read-only",
            where=str(out),
            fix="Make it writable, or pass --out with another file name; nothing was changed.",
        )


def write_workbook(content: WorkbookContent, out: Path) -> WriteResult:
    """Write all sheets to a temporary file, keep a backup of the old one, then swap it in."""
    check_writable(out)
    book = Workbook(write_only=True)
    in_sheet, overflow = _split_rows(content.contacts, content.row_cap)
    counters = [
        _write_contacts(book, in_sheet, content.kept),
        _write_drafts(book, content.drafts),
        _write_employers(book, content.employers),
        _write_review(book, content.review),
        _write_skipped(book, content.skipped),
    ]
    overflow_path = overflow_csv_path(out) if len(overflow) else None
    if overflow_path is not None:
        content.summary.notes.insert(
            0,
            f"{len(content.contacts):,} contacts: the best {len(in_sheet):,} are in Contacts; the "
            f"full ranked list is in {overflow_path.name} beside this workbook.",
        )
    _write_summary(book, content.summary)
    _write_questions(book, content.questions)
    _write_changes(book, content.changes)
    backup = _save_atomically(book, out)
    if overflow_path is not None:
        write_contacts_csv(content.contacts, overflow_path)
    return WriteResult(
        path=out,
        backup=backup,
        overflow_csv=overflow_path,
        contacts_in_sheet=len(in_sheet),
        links_dropped=sum(c.links_dropped for c in counters),
        cells_cut=sum(c.cut for c in counters),
    )


def _split_rows(contacts: pd.DataFrame, cap: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best `cap` rows, plus any lower row holding the user's own status or notes."""
    if len(contacts) <= cap:
        return contacts, contacts.iloc[0:0]
    head, tail = contacts.iloc[:cap], contacts.iloc[cap:]
    typed = tail[["Status", "Date Sent", "Notes"]].notna().any(axis=1) if "Status" in tail else None
    if typed is not None and typed.any():
        head = pd.concat([head, tail[typed]])
    return head, tail


def _sheet(
    book: Workbook, title: str, columns: Sequence[tuple[str, int]], hidden: Sequence[str] = ()
) -> Any:
    sheet = book.create_sheet(title)
    for position, (header, width) in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = width
        if header in hidden:
            sheet.column_dimensions[letter].hidden = True
    return sheet


def _header(sheet: Any, maker: CellMaker, columns: Sequence[tuple[str, int]]) -> None:
    sheet.append([maker.styled(h, font=HEADER_FONT, fill=HEADER_FILL) for h, _ in columns])


def _finish_table(sheet: Any, columns: Sequence[tuple[str, int]], rows: int) -> None:
    last = get_column_letter(len(columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(rows, 1) + 1}"


def _letter(columns: Sequence[tuple[str, int]], header: str) -> str:
    return get_column_letter([h for h, _ in columns].index(header) + 1)


def _date_or_text(maker: CellMaker, value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return maker.styled(value, number_format=DATE_FORMAT, alignment=TOP)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return maker.value(value)


def _write_contacts(book: Workbook, contacts: pd.DataFrame, kept: pd.DataFrame) -> CellMaker:
    sheet = _sheet(book, CONTACTS, CONTACT_COLUMNS, CONTACT_HIDDEN)
    maker = CellMaker(sheet)
    _header(sheet, maker, CONTACT_COLUMNS)
    status, sent = _letter(CONTACT_COLUMNS, "Status"), _letter(CONTACT_COLUMNS, "Date Sent")
    channel = _letter(CONTACT_COLUMNS, "Channel")
    row_number = 1
    for record in contacts.to_dict("records"):
        row_number += 1
        sheet.append(_contact_row(maker, record, row_number, status, sent, channel))
    for record in kept.to_dict("records"):
        row_number += 1
        sheet.append(_kept_row(maker, record, row_number, status, sent, channel))
    rows = row_number - 1
    _finish_table(sheet, CONTACT_COLUMNS, rows)
    sheet.freeze_panes = "E2"
    end = rows + 1
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Pick a status from the list.",
    )
    validation.add(f"{status}2:{status}{max(end, 2)}")
    sheet.data_validations.append(validation)
    score = _letter(CONTACT_COLUMNS, "Score")
    sheet.conditional_formatting.add(
        f"{score}2:{score}{max(end, 2)}",
        ColorScaleRule(
            start_type="num",
            start_value=0,
            start_color="F8696B",
            mid_type="num",
            mid_value=50,
            mid_color="FFEB84",
            end_type="num",
            end_value=100,
            end_color="63BE7B",
        ),
    )
    tier = _letter(CONTACT_COLUMNS, "Tier")
    for name, color in TIER_FILLS.items():
        sheet.conditional_formatting.add(
            f"{tier}2:{tier}{max(end, 2)}",
            CellIsRule(
                operator="equal", formula=[f'"{name}"'], fill=PatternFill("solid", fgColor=color)
            ),
        )
    return maker


def _next_action_formula(row: int, status: str, sent: str, channel: str) -> str:
    # Kept live (not computed in Python) so the column follows the user's Status edits.
    s, d, c = f"{status}{row}", f"{sent}{row}", f"{channel}{row}"
    return (
        f'=IF(OR({s}="",{s}="To contact"),'
        f'IF({d}<>"","Set Status to Sent (you entered a date)",'
        f'IF({c}="","Find a way to reach them","Send the first message ("&{c}&")")),'
        f'IF({s}="Sent",IF({d}="","Add the date you sent it",'
        f'IF(ISNUMBER({d}),"No reply by the due date? Send the follow-up (Drafts)",'
        f'"Retype Date Sent as a date")),'
        f'IF({s}="Replied","Agree on a time to talk",'
        f'IF({s}="Scheduled","Prepare: see the Questions sheet",'
        f'IF({s}="Met","Send the thank-you note today (Drafts)",'
        f'IF({s}="Thanked","Keep in touch; share how their advice worked out",'
        f'IF({s}="No reply","Try another channel, or let it go",'
        f'IF({s}="Not now","Check back in about 3 months",'
        f'"Pick a status from the list"))))))))'
    )


def _due_formula(row: int, status: str, sent: str) -> str:
    # Follow up after 7 business days without a reply; 'Not now' comes back in 3 months.
    # No date typed, or text instead of a date: no due date.
    s, d, days = f"{status}{row}", f"{sent}{row}", FOLLOW_UP_BUSINESS_DAYS
    return (
        f'=IF(ISNUMBER({d}),IF({s}="Sent",WORKDAY({d},{days}),'
        f'IF({s}="Not now",EDATE({d},3),"")),"")'
    )


def _contact_row(
    maker: CellMaker, record: dict[str, Any], row: int, status: str, sent: str, channel: str
) -> list[Any]:
    year = record.get("grad_year")
    return [
        int(record["rank"]),
        maker.value(record["tier"]),
        float(record["score"]),
        maker.value(record["display_name"] or record.get("email") or ""),
        maker.value(record["title"]),
        maker.value(record["company"]),
        maker.value(record["relationship"]),
        maker.styled(record["why"], alignment=WRAP),
        maker.value(record.get("channel", "")),
        maker.link(
            record.get("email", ""), f"mailto:{record['email']}" if record.get("email") else ""
        ),
        maker.link(record.get("linkedin_url", ""), record.get("linkedin_url", "")),
        maker.value(record.get("Status")),
        _date_or_text(maker, record.get("Date Sent")),
        maker.formula(_next_action_formula(row, status, sent, channel)),
        maker.formula(_due_formula(row, status, sent), number_format=DATE_FORMAT),
        maker.styled(record.get("Notes"), alignment=WRAP) if record.get("Notes") else None,
        maker.value(record.get("location", "")),
        None if year is None or pd.isna(year) else int(year),
        maker.value(record.get("data_notes", "")),
        maker.value(record["sources"]),
        maker.value(record["contact_id"]),
        maker.value(record["match_keys"]),
    ]


def _kept_row(
    maker: CellMaker, record: dict[str, Any], row: int, status: str, sent: str, channel: str
) -> list[Any]:
    """A person no longer in the inputs, kept because the user wrote about them."""
    values = {header: record.get(header) for header, _ in CONTACT_COLUMNS}
    values["Rank"] = None
    values["Data Notes"] = "no longer in your inputs; kept for your status and notes"
    cells: list[Any] = []
    for header, _ in CONTACT_COLUMNS:
        value = values[header]
        if header == "Next Action":
            cells.append(maker.formula(_next_action_formula(row, status, sent, channel)))
        elif header == "Due":
            cells.append(maker.formula(_due_formula(row, status, sent), number_format=DATE_FORMAT))
        elif header == "Date Sent":
            cells.append(_date_or_text(maker, value))
        elif header == "LinkedIn":
            cells.append(maker.link(str(value or ""), str(value or "")))
        elif header == "Email":
            cells.append(maker.link(str(value or ""), f"mailto:{value}" if value else ""))
        elif isinstance(value, int | float) and not pd.isna(value):
            cells.append(value)
        else:
            cells.append(maker.value(value))
    return cells


def _write_drafts(book: Workbook, drafts: Sequence[Draft]) -> CellMaker:
    sheet = _sheet(book, DRAFTS, DRAFT_COLUMNS, DRAFT_HIDDEN)
    maker = CellMaker(sheet)
    _header(sheet, maker, DRAFT_COLUMNS)
    for draft in drafts:
        sheet.append(
            [
                maker.value(draft.contact_id),
                maker.value(draft.name),
                maker.value(draft.channel),
                maker.value(draft.step),
                maker.styled(draft.subject, alignment=WRAP) if draft.subject else None,
                maker.styled(draft.message, alignment=WRAP),
                draft.characters,
                maker.value(draft.limit_text),
                maker.styled("; ".join(draft.flags), alignment=WRAP) if draft.flags else None,
                maker.link("Open email", draft.link) if draft.link else None,
                maker.value(draft.fingerprint),
            ]
        )
    _finish_table(sheet, DRAFT_COLUMNS, len(drafts))
    return maker


def _write_employers(book: Workbook, employers: pd.DataFrame) -> CellMaker:
    sheet = _sheet(book, EMPLOYERS, EMPLOYER_COLUMNS, EMPLOYER_HIDDEN)
    maker = CellMaker(sheet)
    _header(sheet, maker, EMPLOYER_COLUMNS)
    for record in employers.to_dict("records"):
        sheet.append(
            [
                maker.value(record["employer"]),
                int(record["contacts"]),
                int(record["alumni"]),
                int(record["connections"]),
                float(record["best_score"]),
                maker.value(record["best_contact"]),
                _number_or_text(maker, record.get("Motivation")),
                _number_or_text(maker, record.get("Posting")),
                maker.value(record["employer_key"]),
            ]
        )
    rows = len(employers)
    _finish_table(sheet, EMPLOYER_COLUMNS, rows)
    for header, choices in (("Motivation", "0,1,2,3"), ("Posting", "1,2,3")):
        letter = _letter(EMPLOYER_COLUMNS, header)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{max(rows + 1, 2)}")
        sheet.data_validations.append(validation)
    return maker


def _number_or_text(maker: CellMaker, value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, int | float):
        return value
    return maker.value(value)


def _write_review(book: Workbook, review: pd.DataFrame) -> CellMaker:
    sheet = _sheet(book, REVIEW, REVIEW_COLUMNS, REVIEW_HIDDEN)
    maker = CellMaker(sheet)
    _header(sheet, maker, REVIEW_COLUMNS)
    for record in review.to_dict("records"):
        sheet.append(
            [
                maker.value(record["outcome"]),
                maker.styled(record["name_a"], alignment=WRAP),
                maker.value(record["where_a"]),
                maker.styled(record["name_b"], alignment=WRAP),
                maker.value(record["where_b"]),
                int(record["similarity"]),
                maker.styled(record["evidence"], alignment=WRAP),
                maker.value(record.get("decision") or None),
                maker.value(record["key_a"]),
                maker.value(record["key_b"]),
            ]
        )
    rows = len(review)
    _finish_table(sheet, REVIEW_COLUMNS, rows)
    letter = _letter(REVIEW_COLUMNS, "Decision")
    validation = DataValidation(type="list", formula1='"merge,separate"', allow_blank=True)
    validation.add(f"{letter}2:{letter}{max(rows + 1, 2)}")
    sheet.data_validations.append(validation)
    return maker


def _write_skipped(book: Workbook, skipped: pd.DataFrame) -> CellMaker:
    sheet = _sheet(book, SKIPPED, SKIPPED_COLUMNS)
    maker = CellMaker(sheet)
    _header(sheet, maker, SKIPPED_COLUMNS)
    for record in skipped.to_dict("records"):
        sheet.append(
            [
                maker.value(record["file"]),
                int(record["row"]),
                maker.value(record["reason"]),
                maker.value(record["raw"]),
            ]
        )
    _finish_table(sheet, SKIPPED_COLUMNS, len(skipped))
    return maker


def _write_summary(book: Workbook, summary: SummaryContent) -> None:
    sheet = book.create_sheet(SUMMARY)
    for letter, width in zip("ABCDEFGH", (34, 14, 12, 12, 12, 12, 16, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    maker = CellMaker(sheet)
    rows = 0

    def put(*values: Any) -> int:
        nonlocal rows
        sheet.append(list(values))
        rows += 1
        return rows

    put(maker.styled("Outreach run report", font=TITLE_FONT))
    put(maker.value(f"Made {summary.generated:%Y-%m-%d %H:%M}"))
    put()
    put(maker.styled("Inputs", font=SECTION_FONT))
    put(
        *[
            maker.styled(h, font=HEADER_FONT, fill=HEADER_FILL)
            for h in (
                "File",
                "Kind",
                "Rows read",
                "Kept",
                "Skipped",
                "Header row",
                "Format",
                "Notes",
            )
        ]
    )
    for item in summary.inputs:
        put(
            maker.value(item["name"]),
            maker.value(item["kind"]),
            item["rows_read"],
            item["rows_kept"],
            item["rows_skipped"],
            item["header_row"],
            maker.value(item["format"]),
            maker.value(item["notes"]),
        )
    put()
    put(maker.styled("People", font=SECTION_FONT))
    for label, value in summary.facts:
        put(maker.value(label), value if isinstance(value, int | float) else maker.value(value))
    put()
    put(maker.styled("Contacts per tier", font=SECTION_FONT))
    put(
        maker.styled("Tier", font=HEADER_FONT, fill=HEADER_FILL),
        maker.styled("Contacts", font=HEADER_FONT, fill=HEADER_FILL),
    )
    first_tier = rows + 1
    for tier in ("A", "B", "C"):
        put(maker.value(tier), summary.tiers.get(tier, 0))
    chart = BarChart()
    chart.title = "Contacts per tier"
    chart.y_axis.title = "Contacts"
    chart.legend = None
    chart.add_data(
        Reference(sheet, min_col=2, min_row=first_tier - 1, max_row=first_tier + 2),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first_tier, max_row=first_tier + 2))
    chart.height, chart.width = 6.5, 11
    sheet.add_chart(chart, "D4")
    put()
    put(maker.styled("Top employers", font=SECTION_FONT))
    put(
        *[
            maker.styled(h, font=HEADER_FONT, fill=HEADER_FILL)
            for h in ("Employer", "Contacts", "Best score")
        ]
    )
    for name, count, best in summary.top_employers:
        put(maker.value(name), count, best)
    if summary.changes:
        put()
        put(maker.styled("Since the last run", font=SECTION_FONT))
        for label, count in summary.changes.items():
            put(maker.value(label), count)
    if summary.notes:
        put()
        put(maker.styled("Notes", font=SECTION_FONT))
        for note in summary.notes:
            put(maker.value(note))


def _write_questions(book: Workbook, questions: Sequence[tuple[str, str]]) -> None:
    sheet = _sheet(book, QUESTIONS, QUESTION_COLUMNS)
    maker = CellMaker(sheet)
    _header(sheet, maker, QUESTION_COLUMNS)
    for topic, question in questions:
        sheet.append([maker.value(topic), maker.styled(question, alignment=WRAP), None])
    sheet.freeze_panes = "A2"


def _write_changes(book: Workbook, changes: pd.DataFrame) -> None:
    sheet = _sheet(book, CHANGES, CHANGE_COLUMNS)
    maker = CellMaker(sheet)
    _header(sheet, maker, CHANGE_COLUMNS)
    for record in changes.to_dict("records"):
        sheet.append(
            [
                maker.value(record["change"]),
                maker.value(record["name"]),
                maker.value(record["before"]),
                maker.value(record["after"]),
                maker.value(record["contact_id"]),
            ]
        )
    _finish_table(sheet, CHANGE_COLUMNS, len(changes))


def _save_atomically(book: Workbook, out: Path) -> Path | None:
    """Save to a temporary file beside the target, back up the old file, then rename over it."""
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        book.save(temporary)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WorkbookError(
            f"cannot write the workbook ({error.strerror or error})",
            where=str(out),
            fix="Check the disk has space and the folder is writable; nothing was changed.",
        ) from error
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    backup = None
    try:
        if out.exists():
            backup = backup_path(out)
            shutil.copy2(out, backup)
        os.replace(temporary, out)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise WorkbookError(
            f"cannot replace the workbook ({error.strerror or error}); it may be open in "
            "another program",
            where=str(out),
            fix="Close it and run again; the previous workbook was left as it was.",
        ) from error
    return backup


def write_contacts_csv(contacts: pd.DataFrame, path: Path) -> None:
    """The full ranked list as CSV; cells a spreadsheet would run as formulas are quoted with '."""
    columns = {
        "Rank": "rank",
        "Tier": "tier",
        "Score": "score",
        "Name": "display_name",
        "Title": "title",
        "Company": "company",
        "Relationship": "relationship",
        "Why": "why",
        "Email": "email",
        "LinkedIn": "linkedin_url",
        "Location": "location",
        "Class Year": "grad_year",
        "Sources": "sources",
        "Contact ID": "contact_id",
    }
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in contacts[list(columns.values())].itertuples(index=False):
            writer.writerow([_csv_safe(value) for value in record])
    os.replace(temporary, path)


def _csv_safe(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
