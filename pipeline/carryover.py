"""Carry the user's work across runs: stable Contact IDs, statuses, notes, decisions, edits."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pipeline.drafts import Draft, text_fingerprint
from pipeline.normalize.values import company_key, fold
from pipeline.score import EmployerRating
from pipeline.workbook.cells import is_blank
from pipeline.workbook.layout import (
    CONTACT_USER_COLUMNS,
    EMPLOYER_USER_COLUMNS,
    KEPT_NOTE,
    MOTIVATION_CHOICES,
    POSTING_CHOICES,
    user_column,
)
from pipeline.workbook.previous import PreviousWorkbook, rating_number

# Which identifiers name a person most surely, strongest first.
KEY_PRIORITY = ("li:", "em:", "nc:", "ny:")
CHANGE_FIELDS = ["change", "name", "before", "after", "contact_id"]


def source_key(sources: str) -> str:
    """Key a person with no identifier (a bare name) by the input rows they came from."""
    return f"src:{sources}"


def new_contact_id(key: str) -> str:
    """Derive a short id from a person's strongest identifier: 'C' and 8 hex digits."""
    return "C" + hashlib.sha1(key.encode()).hexdigest()[:8].upper()


_RANK = {prefix: rank for rank, prefix in enumerate(KEY_PRIORITY)}


def _key_rank(key: str) -> int:
    # Every kind of key is 'xx:' and a value; an unknown kind goes last.
    return _RANK.get(key[:3], len(KEY_PRIORITY))


def _keys(match_keys: str) -> list[str]:
    return [key for key in (part.strip() for part in match_keys.split(";")) if key]


def _ordered_keys(match_keys: str) -> list[str]:
    """A person's identifiers, strongest first."""
    return sorted(_keys(match_keys), key=_key_rank)


def _strongest_key(match_keys: str) -> str:
    """The first of _ordered_keys, or '' when there is none."""
    # A plain loop: min() with a key function takes a third longer on a million people.
    best, best_rank = "", len(KEY_PRIORITY) + 1
    for part in match_keys.split(";"):
        key = part.strip()
        if key and (rank := _RANK.get(key[:3], len(KEY_PRIORITY))) < best_rank:
            best, best_rank = key, rank
    return best


def assign_contact_ids(people: pd.DataFrame, previous: PreviousWorkbook) -> pd.Series:
    """Reuse the previous id of anyone sharing an identifier with a past contact; else a new id."""
    # People in order of their source rows, so that ties (two people whose strongest key gives
    # the same id) are broken the same way on every run.
    order = np.argsort(people["sources"].to_numpy(dtype=object), kind="stable")
    match_keys = people["match_keys"].to_numpy(dtype=object)[order].tolist()
    sources = people["sources"].to_numpy(dtype=object)[order].tolist()
    ids: list[str | None] = [None] * len(order)
    taken: set[str] = set()
    if previous.key_to_id:
        _reuse_previous_ids(ids, taken, match_keys, sources, previous.key_to_id)
    known = previous.contacts
    for position, (keys, source) in enumerate(zip(match_keys, sources, strict=True)):
        if ids[position] is not None:
            continue
        # Almost always the strongest key gives an id nobody has: the rest are not needed.
        candidate = new_contact_id(_strongest_key(keys) or source)
        if candidate in taken or candidate in known:
            for key in _ordered_keys(keys) or [source]:
                candidate = new_contact_id(key)
                if candidate not in taken and candidate not in known:
                    break
            suffix = 2
            base = candidate
            while candidate in taken or candidate in known:
                candidate = f"{base}-{suffix}"
                suffix += 1
        ids[position] = candidate
        taken.add(candidate)
    result = np.empty(len(order), dtype=object)
    result[order] = ids
    return pd.Series(result, index=people.index)


def _reuse_previous_ids(
    ids: list[str | None],
    taken: set[str],
    match_keys: list[str],
    sources: list[str],
    key_to_id: dict[str, str],
) -> None:
    """Give people the previous workbook knew their old id (positions follow `match_keys`).

    Strong identifiers claim first, across all people: a namesake's name key must not take the
    id of the person whose profile or email it was.
    """
    keyed = [
        _ordered_keys(keys) or [source_key(source)]
        for keys, source in zip(match_keys, sources, strict=True)
    ]
    for level in (*KEY_PRIORITY, "src:"):
        for position, keys in enumerate(keyed):
            if ids[position] is not None:
                continue
            for key in keys:
                old = key_to_id.get(key) if key.startswith(level) else None
                if old and old not in taken:
                    ids[position] = old
                    taken.add(old)
                    break


@dataclass
class CarriedContacts:
    """Contacts with the user's columns restored, people kept for their notes, and the changes."""

    contacts: pd.DataFrame
    kept: pd.DataFrame
    changes: pd.DataFrame
    extra_columns: list[str] = field(default_factory=list)


def carry_contacts(contacts: pd.DataFrame, previous: PreviousWorkbook) -> CarriedContacts:
    """Put back the user's columns; keep people they wrote about; list what changed."""
    frame = contacts.copy()
    extra = list(previous.extra_columns)
    # Each person's row of the previous workbook (or none), looked up once for all columns.
    rows = [previous.contacts.get(cid) or {} for cid in frame["contact_id"].tolist()]
    for column in (*CONTACT_USER_COLUMNS, *extra):
        # The user's own columns get a prefix: one named 'title' must not replace our titles.
        name = column if column in CONTACT_USER_COLUMNS else user_column(column)
        frame[name] = [row.get(column) for row in rows]
    changes: list[dict[str, object]] = []
    kept_rows: list[dict[str, object]] = []
    if previous.exists:
        changes.extend(_arrivals_and_moves(frame, previous))
        current = set(frame["contact_id"])
        for contact_id in previous.contact_order:
            if contact_id in current:
                continue
            old = dict(previous.contacts[contact_id])
            keep = previous.has_user_data(contact_id)
            if keep:
                kept_rows.append(_kept_row(old))
            if _already_gone(old):
                continue  # listed as gone on the run it left; not a change since the last run
            changes.append(
                _change(
                    "No longer in inputs",
                    old.get("Name"),
                    _job(old.get("Title"), old.get("Company")),
                    "kept: you added a status or notes" if keep else "removed",
                    contact_id,
                )
            )
    return CarriedContacts(
        contacts=frame,
        kept=pd.DataFrame(kept_rows),
        changes=pd.DataFrame(changes, columns=CHANGE_FIELDS),
        extra_columns=extra,
    )


def _arrivals_and_moves(frame: pd.DataFrame, previous: PreviousWorkbook) -> list[dict[str, Any]]:
    changes = []
    for row in frame[["contact_id", "display_name", "title", "company"]].itertuples(index=False):
        old = previous.contacts.get(row.contact_id)
        if old is None:
            after = _job(row.title, row.company)
            changes.append(_change("New", row.display_name, "", after, row.contact_id))
        elif _job_changed(old, row.title, row.company):
            before, after = _job(old.get("Title"), old.get("Company")), _job(row.title, row.company)
            changes.append(_change("Changed job", row.display_name, before, after, row.contact_id))
    return changes


def _already_gone(old: dict[str, Any]) -> bool:
    """Tell whether the last workbook already showed this person as kept or added by the user."""
    notes = str(old.get("Data Notes") or "")
    return notes.startswith(KEPT_NOTE) or str(old.get("Contact ID", "")).startswith("U")


def _kept_row(old: dict[str, Any]) -> dict[str, Any]:
    """Mark the last workbook's row of someone no longer in the inputs as such."""
    row = dict(old)
    notes = str(row.get("Data Notes") or "")
    if not _already_gone(old):
        sources = str(row.get("Sources") or "")
        row["Data Notes"] = KEPT_NOTE + (f" (last seen in {sources})" if sources else "")
        # Sources name rows of the inputs; this person is in none of them any more.
        row["Sources"] = None
    elif not notes:
        row["Data Notes"] = KEPT_NOTE
    return row


def _change(kind: str, name: object, before: str, after: str, contact_id: str) -> dict[str, object]:
    return {
        "change": kind,
        "name": name or "",
        "before": before,
        "after": after,
        "contact_id": contact_id,
    }


def _job(title: object, company: object) -> str:
    return ", ".join(str(v) for v in (title, company) if not is_blank(v))


def _job_changed(old: dict[str, object], title: str, company: str) -> bool:
    old_company = company_key(str(old.get("Company") or ""))
    new_company = company_key(company or "")
    if old_company != new_company and (old_company or new_company):
        return True
    return fold(str(old.get("Title") or "")) != fold(title or "") and bool(
        old.get("Title") or title
    )


def employer_ratings(previous: PreviousWorkbook) -> dict[str, EmployerRating]:
    """Read the user's Motivation (0-3) and Posting (1-3) per employer, skipping odd values."""
    ratings = {}
    for key, row in previous.employers.items():
        motivation = _rating(row.get("Motivation"), MOTIVATION_CHOICES)
        posting = _rating(row.get("Posting"), POSTING_CHOICES)
        if motivation is not None or posting is not None:
            ratings[key] = EmployerRating(motivation=motivation, posting=posting)
    return ratings


def _rating(value: object, choices: Sequence[int]) -> float | None:
    number = None if is_blank(value) else rating_number(value)
    if number is None or not min(choices) <= number <= max(choices):
        return None  # previous.py has told the user in Summary
    return number


def carry_employers(rollup: pd.DataFrame, previous: PreviousWorkbook) -> pd.DataFrame:
    """Put back Motivation and Posting; keep employers the user rated or added without contacts."""
    frame = rollup.copy()
    for column in EMPLOYER_USER_COLUMNS:
        frame[column] = [previous.employers.get(k, {}).get(column) for k in frame["employer_key"]]
    present = set(frame["employer_key"])
    kept = []
    for key, row in previous.employers.items():
        typed = any(not is_blank(row.get(c)) for c in EMPLOYER_USER_COLUMNS)
        user_added = is_blank(row.get("Best Contact")) and not is_blank(row.get("Employer"))
        if key in present or not (typed or user_added):
            continue
        kept.append(
            {
                "employer_key": key,
                "employer": row.get("Employer") or key,
                "contacts": 0,
                "alumni": 0,
                "connections": 0,
                "best_score": None,
                "best_contact": None,
                **{c: row.get(c) for c in EMPLOYER_USER_COLUMNS},
            }
        )
    if kept:
        frame = pd.concat([frame, pd.DataFrame(kept)], ignore_index=True)
    return frame


def carry_review(
    review: pd.DataFrame, records: pd.DataFrame, previous: PreviousWorkbook
) -> tuple[pd.DataFrame, list[str]]:
    """Show each decision beside its pair; a decided pair no longer listed keeps its row."""
    frame = review.copy()
    decided = previous.review_rows
    pairs = list(zip(frame["key_a"].tolist(), frame["key_b"].tolist(), strict=True))
    frame["decision"] = [
        _text((decided.get((a, b)) or decided.get((b, a)) or {}).get("Decision")) for a, b in pairs
    ]
    listed = set(pairs)
    unlisted = {
        pair: old
        for pair, old in decided.items()
        if pair not in listed and (pair[1], pair[0]) not in listed
    }
    # Where the records of those pairs are now, looked up for their keys only.
    persons: dict[str, set[int]] = {}
    where: dict[str, str] = {}
    if unlisted and len(records) and "record_key" in records:
        wanted = records["record_key"].isin({key for pair in unlisted for key in pair})
        found = records.loc[wanted, ["record_key", "person", "file", "row"]]
        for key, person, file, row in found.itertuples(index=False):
            persons.setdefault(key, set()).add(int(person))
            where.setdefault(key, f"{file}:{row}")
    extra, stale = [], 0
    for (key_a, key_b), old in unlisted.items():
        if key_a in persons and key_b in persons:
            outcome = "merged" if persons[key_a] & persons[key_b] else "not merged"
            evidence = _text(old.get("Evidence"))
        else:
            stale += 1
            outcome = "records changed"
            evidence = "Not applied: these records are no longer in your inputs as they were. " + (
                _text(old.get("Evidence"))
            )
        extra.append(
            {
                "key_a": key_a,
                "key_b": key_b,
                "name_a": old.get("Record A"),
                "where_a": where.get(key_a, _text(old.get("Where A"))),
                "name_b": old.get("Record B"),
                "where_b": where.get(key_b, _text(old.get("Where B"))),
                "similarity": old.get("Similarity"),
                "evidence": evidence,
                "outcome": outcome,
                "decision": _text(old.get("Decision")),
            }
        )
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    notes = []
    if stale:
        notes.append(
            f"{stale} of your Review decisions could not be applied because the records changed; "
            "they are listed in Review as 'records changed'."
        )
    return frame, notes


def _text(value: object) -> str:
    return "" if is_blank(value) else str(value).strip()


def carry_questions(
    questions: Sequence[tuple[str, str]], previous: PreviousWorkbook
) -> list[tuple[str, str, str, bool]]:
    """Put back the user's notes on each question, and keep the questions they added."""
    notes = {_text(r.get("Question")): _text(r.get("Your Notes")) for r in previous.questions}
    result = [(topic, text, notes.get(text, ""), True) for topic, text in questions]
    written = {text for _, text in questions}
    for row in previous.questions:
        text = _text(row.get("Question"))
        built_in = _text(row.get("Built In")).lower() == "yes"
        own_notes = _text(row.get("Your Notes"))
        if text in written or (built_in and not own_notes):
            continue
        result.append((_text(row.get("Topic")), text, own_notes, built_in))
        written.add(text)
    return result


def carry_drafts(drafts: Sequence[Draft], previous: PreviousWorkbook) -> list[Draft]:
    """Keep the user's edited drafts: an edit wins over the new text, and outlives the top list."""
    result = list(drafts)
    by_key = {(d.contact_id, d.channel, d.step): d for d in result}
    for key, row in previous.drafts.items():
        message = _text(row.get("Message")) and str(row.get("Message"))
        subject = _text(row.get("Subject")) and str(row.get("Subject"))
        generated = _text(row.get("Generated"))
        if not message or text_fingerprint(subject, message) == generated:
            continue
        draft = by_key.get(key)
        if draft is None:
            draft = Draft(
                contact_id=key[0],
                name=_text(row.get("Name")),
                channel=key[1],
                step=key[2],
                subject=subject,
                message=message,
                # recheck_edited sets the channel's limit and flags what goes over it.
                limit=len(message),
                limit_unit="characters",
            )
            result.append(draft)
        draft.subject, draft.message = subject, message
        draft.flags = ["your edited text, kept from the last run"]
        draft.generated = generated
    return result
