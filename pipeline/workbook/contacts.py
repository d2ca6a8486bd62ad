"""The Contacts sheet: ranked people, their links, the user's tracking columns and live formulas."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill

from pipeline.drafts.model import FOLLOW_UP_BUSINESS_DAYS
from pipeline.normalize.values import canonical_linkedin_url, linkedin_slug
from pipeline.progress import StageProgress
from pipeline.workbook.cells import (
    DATE_FORMAT,
    FONT_NAME,
    WRAP,
    CellMaker,
    is_blank,
    whole_number,
)
from pipeline.workbook.layout import (
    CONTACT_COLUMNS,
    CONTACT_HIDDEN,
    CONTACT_WRAPPED,
    CONTACTS,
    STATUSES,
    TABLE_NAMES,
    user_column,
)
from pipeline.workbook.sheets import ListSheet, fitted_widths

TIER_FILLS = {"A": "C6EFCE", "B": "FFEB9C", "C": "EDEDED"}
# Status colours: waiting (blue), talking (green), done (darker green), parked (grey).
STATUS_FILLS = {
    "Sent": "DDEBF7",
    "Replied": "C6EFCE",
    "Scheduled": "C6EFCE",
    "Met": "A9D08E",
    "Thanked": "A9D08E",
    "No reply": "E7E6E6",
    "Not now": "E7E6E6",
}
OVERDUE_FILL = "F8CBAD"
KEPT_FONT = Font(name=FONT_NAME, italic=True, color="7F7F7F")
CENTER_TOP = Alignment(horizontal="center", vertical="top")
# The pipeline's column behind each header (the user's columns keep their header as name).
SOURCE_COLUMNS = {
    "Rank": "rank",
    "Tier": "tier",
    "Score": "score",
    "Name": "display_name",
    "Title": "title",
    "Company": "company",
    "Relationship": "relationship",
    "Why": "why",
    "Channel": "channel",
    "Email": "email",
    "LinkedIn": "linkedin_url",
    "Location": "location",
    "Class Year": "grad_year",
    "Data Notes": "data_notes",
    "Sources": "sources",
    "Contact ID": "contact_id",
    "Match Keys": "match_keys",
}


def write_contacts(
    book: Workbook,
    contacts: pd.DataFrame,
    kept: pd.DataFrame,
    extra_columns: Sequence[str] = (),
    progress: StageProgress | None = None,
) -> CellMaker:
    """Write Contacts: the ranked rows, then people kept for the user's notes, then the rules."""
    columns = [*CONTACT_COLUMNS, *((h, 30) for h in extra_columns)]
    headers = [h for h, _ in columns]
    samples = _samples(contacts, kept, headers, extra_columns)
    widths = fitted_widths(columns, samples, fixed=CONTACT_WRAPPED)
    # Excel allows 65,530 links per sheet; two per row would run out past ~32,000 contacts,
    # so links go to the best rows first (Summary says how many were left as plain text).
    sheet = ListSheet(
        book,
        CONTACTS,
        headers,
        widths,
        table_name=TABLE_NAMES[CONTACTS],
        hidden=CONTACT_HIDDEN,
        wrapped=CONTACT_WRAPPED,
        freeze="E2",
    )
    row = _RowWriter(sheet)
    names = {h: SOURCE_COLUMNS.get(h, h) for h in headers}
    names |= {h: user_column(h) for h in extra_columns}
    counted = 0
    for values in _rows(contacts, [names[h] for h in headers]):
        sheet.append(row.cells(values, sheet.rows + 2, kept=False))
        if progress is not None and sheet.rows - counted == 1000:
            progress.advance(1000)
            counted = sheet.rows
    kept_columns = [None if h == "Rank" else h for h in headers]
    for values in _rows(kept, kept_columns):
        sheet.append(row.cells(values, sheet.rows + 2, kept=True))
    if progress is not None:
        progress.advance(sheet.rows - counted)
    _add_rules(sheet)
    sheet.finish()
    return sheet.maker


def _samples(
    contacts: pd.DataFrame, kept: pd.DataFrame, headers: Sequence[str], extra: Sequence[str]
) -> dict[str, list[Any]]:
    head = contacts.head(500)
    samples: dict[str, list[Any]] = {}
    for header in headers:
        name = user_column(header) if header in extra else SOURCE_COLUMNS.get(header, header)
        values = list(head[name]) if name in head else []
        if header in kept:
            values += list(kept[header].head(100))
        samples[header] = values
    samples["LinkedIn"] = [linkedin_label(profile_url(v)) or v for v in samples["LinkedIn"]]
    # The longest action a row can show, so it fits once the user sets a status.
    samples["Next Action"] = ["No reply by the due date? Send the follow-up (Drafts)"]
    samples["Due"] = ["2026-01-01"]
    samples["Date Sent"] = ["2026-01-01"]
    return samples


def _rows(frame: pd.DataFrame, columns: Sequence[str | None]) -> Iterator[tuple[Any, ...]]:
    """Each row's values in `columns` order (None for a column the frame lacks), as Python."""
    data = [
        frame[name].tolist() if name is not None and name in frame else [None] * len(frame)
        for name in columns
    ]
    return zip(*data, strict=True) if data else iter(())


# What each Contacts column holds, so a row's cells are made without comparing header names.
_TEXT, _WRAPPED, _ACTION, _DUE, _SENT, _EMAIL, _LINKEDIN, _NUMBER, _CENTERED, _STATUS, _NOTES = (
    range(11)
)
_KINDS = {
    "Next Action": _ACTION,
    "Due": _DUE,
    "Date Sent": _SENT,
    "Email": _EMAIL,
    "LinkedIn": _LINKEDIN,
    "Rank": _NUMBER,
    "Class Year": _NUMBER,
    "Tier": _CENTERED,
    "Score": _CENTERED,
    "Status": _STATUS,
    "Notes": _NOTES,
}


class _RowWriter:
    """Builds the cells of one Contacts row; the formulas refer to their own row."""

    def __init__(self, sheet: ListSheet) -> None:
        self.maker = sheet.maker
        self.headers = sheet.headers
        self.status = sheet.letter("Status")
        self.sent = sheet.letter("Date Sent")
        self.channel = sheet.letter("Channel")
        self.kinds = [
            _KINDS.get(header, _WRAPPED if header in CONTACT_WRAPPED else _TEXT)
            for header in self.headers
        ]

    def cells(self, values: Sequence[Any], row: int, *, kept: bool) -> list[Any]:
        """Make one row's cells from its values, in header order.

        Only what differs from the top-aligned default gets a style of its own (wrapping,
        centring, dates, links, the kept rows' grey), which keeps a big sheet quick to write.
        """
        maker = self.maker
        extra: dict[str, Any] = {"font": KEPT_FONT} if kept else {}
        cells: list[Any] = []
        for kind, value in zip(self.kinds, values, strict=True):
            if kind in (_TEXT, _STATUS):
                if is_blank(value):
                    cells.append(None)
                elif kept and kind == _TEXT:
                    cells.append(maker.styled(value, **extra))
                else:
                    cells.append(maker.value(value))
            elif kind == _ACTION:
                formula = next_action_formula(row, self.status, self.sent, self.channel)
                cells.append(maker.formula(formula, **extra) if kept else formula)
            elif kind == _DUE:
                formula = due_formula(row, self.status, self.sent)
                cells.append(maker.formula(formula, number_format=DATE_FORMAT))
            elif kind == _SENT:
                # Formatted even when empty, so a date typed later shows as a date.
                cells.append(maker.styled(value, number_format=DATE_FORMAT))
            elif kind == _EMAIL:
                url = f"mailto:{value}" if not is_blank(value) else ""
                cells.append(maker.link(value, url))
            elif kind == _LINKEDIN:
                url = profile_url(value)
                cells.append(maker.link(linkedin_label(url) or value, url))
            elif kind == _NUMBER:
                number = whole_number(value)
                if number is None or not kept:
                    cells.append(number)
                else:
                    cells.append(maker.styled(number, **extra))
            elif kind == _CENTERED:
                cells.append(maker.styled(value, alignment=CENTER_TOP, **extra))
            elif kind == _NOTES:
                # Styled even when empty: what the user types later wraps.
                cells.append(maker.styled(value, alignment=WRAP))
            elif is_blank(value):
                cells.append(None)
            else:
                cells.append(maker.styled(value, alignment=WRAP, **extra))
        return cells


def profile_url(value: Any) -> str:
    """Return the link of a LinkedIn cell, whether it holds the URL or the short label."""
    text = "" if is_blank(value) else str(value).strip()
    if text.lower().startswith("linkedin.com/in/"):
        return canonical_linkedin_url(text) or text
    return text


def linkedin_label(url: str) -> str:
    """Shorten a profile URL to 'linkedin.com/in/josé-garcía', readable even when encoded."""
    slug = linkedin_slug(url) if "linkedin.com/in/" in url.lower() else ""
    return f"linkedin.com/in/{slug}" if slug else ""


def next_action_formula(row: int, status: str, sent: str, channel: str) -> str:
    """Say what to do next for this row's Status, as a formula that follows the user's edits."""
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


def due_formula(row: int, status: str, sent: str) -> str:
    """Say when to act: a follow-up after 7 working days, a new try 3 months after 'Not now'."""
    # No date typed, or text instead of a date: no due date.
    s, d, days = f"{status}{row}", f"{sent}{row}", FOLLOW_UP_BUSINESS_DAYS
    return (
        f'=IF(ISNUMBER({d}),IF({s}="Sent",WORKDAY({d},{days}),'
        f'IF({s}="Not now",EDATE({d},3),"")),"")'
    )


def _add_rules(sheet: ListSheet) -> None:
    """Add the Status dropdown and colours on Score, Tier, Status and overdue dates."""
    sheet.dropdown("Status", STATUSES, strict=False)
    formatting = sheet.sheet.conditional_formatting
    formatting.add(
        sheet.column_range("Score"),
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
    for name, color in TIER_FILLS.items():
        formatting.add(
            sheet.column_range("Tier"),
            CellIsRule(operator="equal", formula=[f'"{name}"'], fill=_fill(color)),
        )
    for name, color in STATUS_FILLS.items():
        formatting.add(
            sheet.column_range("Status"),
            CellIsRule(operator="equal", formula=[f'"{name}"'], fill=_fill(color)),
        )
    due = sheet.letter("Due")
    formatting.add(
        sheet.column_range("Due"),
        FormulaRule(formula=[f"AND(ISNUMBER({due}2),{due}2<=TODAY())"], fill=_fill(OVERDUE_FILL)),
    )


def _fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color, bgColor=color)
