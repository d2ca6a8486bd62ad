"""The list sheets beside Contacts: Drafts, Employers, Review, Skipped, Questions, Changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook

from pipeline.drafts import Draft
from pipeline.workbook.cells import WRAP, CellMaker, is_blank
from pipeline.workbook.layout import (
    CHANGE_COLUMNS,
    CHANGES,
    DECISIONS,
    DRAFT_COLUMNS,
    DRAFT_HIDDEN,
    DRAFT_WRAPPED,
    DRAFTS,
    EMPLOYER_COLUMNS,
    EMPLOYER_HIDDEN,
    EMPLOYERS,
    MOTIVATION_CHOICES,
    POSTING_CHOICES,
    QUESTION_COLUMNS,
    QUESTION_HIDDEN,
    QUESTION_WRAPPED,
    QUESTIONS,
    REVIEW,
    REVIEW_COLUMNS,
    REVIEW_HIDDEN,
    REVIEW_WRAPPED,
    SKIPPED,
    SKIPPED_COLUMNS,
    TABLE_NAMES,
)
from pipeline.workbook.sheets import ListSheet, fitted_widths


def _list_sheet(
    book: Workbook,
    title: str,
    columns: Sequence[tuple[str, int]],
    samples: dict[str, list[Any]],
    *,
    hidden: Sequence[str] = (),
    wrapped: Sequence[str] = (),
) -> ListSheet:
    widths = fitted_widths(columns, samples, fixed=wrapped)
    return ListSheet(
        book,
        title,
        [h for h, _ in columns],
        widths,
        table_name=TABLE_NAMES[title],
        hidden=hidden,
        wrapped=wrapped,
    )


def _cell(maker: CellMaker, value: Any, *, wrap: bool = False) -> Any:
    """Make a cell, wrapped if asked (the row grows), or nothing for a blank value."""
    if is_blank(value):
        return None
    return maker.styled(value, alignment=WRAP) if wrap else maker.value(value)


def write_drafts(book: Workbook, drafts: Sequence[Draft]) -> CellMaker:
    """Write Drafts: one row per message, with an 'Open email' link where there is an address."""
    samples = {
        "Name": [d.name for d in drafts[:500]],
        "Channel": [d.channel for d in drafts[:500]],
        "Step": [d.step for d in drafts[:500]],
        "Limit": [d.limit_text for d in drafts[:500]],
        "Contact ID": [d.contact_id for d in drafts[:500]],
    }
    sheet = _list_sheet(
        book, DRAFTS, DRAFT_COLUMNS, samples, hidden=DRAFT_HIDDEN, wrapped=DRAFT_WRAPPED
    )
    maker = sheet.maker
    for draft in drafts:
        sheet.append(
            [
                _cell(maker, draft.contact_id),
                _cell(maker, draft.name),
                _cell(maker, draft.channel),
                _cell(maker, draft.step),
                _cell(maker, draft.subject, wrap=True),
                _cell(maker, draft.message, wrap=True),
                draft.characters,
                _cell(maker, draft.limit_text),
                _cell(maker, "; ".join(draft.flags), wrap=True),
                maker.link("Open email", draft.link) if draft.link else None,
                maker.value(draft.fingerprint),
            ]
        )
    sheet.finish()
    return maker


def write_employers(book: Workbook, employers: pd.DataFrame) -> CellMaker:
    """Write Employers (LAMP): counts per employer and the user's Motivation and Posting."""
    samples = {
        "Employer": list(employers.get("employer", [])),
        "Best Contact": list(employers.get("best_contact", [])),
    }
    sheet = _list_sheet(book, EMPLOYERS, EMPLOYER_COLUMNS, samples, hidden=EMPLOYER_HIDDEN)
    maker = sheet.maker
    for record in employers.to_dict("records"):
        sheet.append(
            [
                _cell(maker, record["employer"]),
                _number(maker, record["contacts"]),
                _number(maker, record["alumni"]),
                _number(maker, record["connections"]),
                _number(maker, record["best_score"]),
                _cell(maker, record["best_contact"]),
                _number(maker, record.get("Motivation")),
                _number(maker, record.get("Posting")),
                maker.value(record["employer_key"]),
            ]
        )
    sheet.dropdown("Motivation", MOTIVATION_CHOICES, strict=False)
    sheet.dropdown("Posting", POSTING_CHOICES, strict=False)
    sheet.finish()
    return maker


def _number(maker: CellMaker, value: Any) -> Any:
    """Write a number as a number (whole ones without '.0'), and the user's odd text as text."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return value
    return _cell(maker, value)


def write_review(book: Workbook, review: pd.DataFrame) -> CellMaker:
    """Write Review: the pairs a person should judge, with the user's Decision kept."""
    samples = {
        "Outcome": list(review.get("outcome", [])),
        "Where A": list(review.get("where_a", [])),
        "Where B": list(review.get("where_b", [])),
    }
    sheet = _list_sheet(
        book, REVIEW, REVIEW_COLUMNS, samples, hidden=REVIEW_HIDDEN, wrapped=REVIEW_WRAPPED
    )
    maker = sheet.maker
    for record in review.to_dict("records"):
        sheet.append(
            [
                _cell(maker, record["outcome"]),
                _cell(maker, record["name_a"], wrap=True),
                _cell(maker, record["where_a"]),
                _cell(maker, record["name_b"], wrap=True),
                _cell(maker, record["where_b"]),
                _number(maker, record["similarity"]),
                _cell(maker, record["evidence"], wrap=True),
                _cell(maker, record.get("decision")),
                maker.value(record["key_a"]),
                maker.value(record["key_b"]),
            ]
        )
    sheet.dropdown("Decision", DECISIONS, strict=True)
    sheet.finish()
    return maker


def write_skipped(book: Workbook, skipped: pd.DataFrame) -> CellMaker:
    """Write Skipped: every input row that did not become a contact, and why."""
    samples = {h: list(skipped[c].head(500)) for h, c in (("File", "file"), ("Reason", "reason"))}
    samples["Row"] = list(skipped["row"].head(500))
    samples["Raw Values"] = list(skipped["raw"].head(500))
    sheet = _list_sheet(book, SKIPPED, SKIPPED_COLUMNS, samples)
    maker = sheet.maker
    for record in skipped.to_dict("records"):
        sheet.append(
            [
                maker.value(record["file"]),
                int(record["row"]),
                maker.value(record["reason"]),
                maker.value(record["raw"]),
            ]
        )
    sheet.finish()
    return maker


def write_questions(book: Workbook, questions: Sequence[tuple[str, str, str, bool]]) -> CellMaker:
    """Write Questions: what to ask, with the user's own notes beside each question."""
    samples: dict[str, list[Any]] = {"Topic": [q[0] for q in questions]}
    sheet = _list_sheet(
        book,
        QUESTIONS,
        QUESTION_COLUMNS,
        samples,
        hidden=QUESTION_HIDDEN,
        wrapped=QUESTION_WRAPPED,
    )
    maker = sheet.maker
    for topic, question, notes, built_in in questions:
        sheet.append(
            [
                _cell(maker, topic),
                _cell(maker, question, wrap=True),
                _cell(maker, notes, wrap=True),
                "yes" if built_in else None,
            ]
        )
    sheet.finish()
    return maker


def capped_changes(changes: pd.DataFrame, cap: int) -> tuple[pd.DataFrame, int]:
    """Keep at most `cap` changes: every job change and departure first, then new people by rank.

    A first run on a bigger list makes everyone 'New'; listing a million of them would pass
    Excel's row limit and bury the few changes that matter. Returns the rows kept and how many
    were left out.
    """
    if len(changes) <= cap:
        return changes, 0
    new = changes["change"].eq("New")
    room = max(cap - int((~new).sum()), 0)
    keep = ~new | (new & (new.cumsum() <= room))
    kept = changes.loc[keep].head(cap)
    return kept, len(changes) - len(kept)


def write_changes(book: Workbook, changes: pd.DataFrame) -> CellMaker:
    """Write Changes: new people, job changes and people no longer in the inputs."""
    fields = {"Change": "change", "Name": "name", "Before": "before", "After": "after"}
    samples = {header: list(changes[column]) for header, column in fields.items()}
    sheet = _list_sheet(book, CHANGES, CHANGE_COLUMNS, samples)
    maker = sheet.maker
    for record in changes.to_dict("records"):
        sheet.append(
            [
                _cell(maker, record["change"]),
                _cell(maker, record["name"]),
                _cell(maker, record["before"]),
                _cell(maker, record["after"]),
                _cell(maker, record["contact_id"]),
            ]
        )
    sheet.finish()
    return maker
