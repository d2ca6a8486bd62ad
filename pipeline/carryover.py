"""Carry the user's work across runs: stable Contact IDs, statuses, notes, decisions, edits."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pipeline.drafts import Draft, text_fingerprint
from pipeline.normalize.values import company_key, fold
from pipeline.score import EmployerRating
from pipeline.workbook.layout import CONTACT_USER_COLUMNS
from pipeline.workbook.previous import PreviousWorkbook

# Which identifiers name a person most surely, strongest first.
KEY_PRIORITY = ("li:", "em:", "nc:", "ny:")


def new_contact_id(key: str) -> str:
    """A short id derived from a person's strongest identifier: 'C' and 8 hex digits."""
    return "C" + hashlib.sha1(key.encode()).hexdigest()[:8].upper()


def _ordered_keys(match_keys: str) -> list[str]:
    keys = [k.strip() for k in match_keys.split(";") if k.strip()]
    return sorted(
        keys, key=lambda k: next((i for i, p in enumerate(KEY_PRIORITY) if k.startswith(p)), 9)
    )


def assign_contact_ids(people: pd.DataFrame, previous: PreviousWorkbook) -> pd.Series:
    """Reuse the previous id of anyone sharing an identifier with a past contact; else a new id."""
    ids: dict[int, str] = {}
    taken: set[str] = set()
    order = people.sort_values("sources").index
    # First pass: people the previous workbook knew, by their strongest shared identifier.
    for index in order:
        for key in _ordered_keys(people.at[index, "match_keys"]):
            old = previous.key_to_id.get(key)
            if old and old not in taken:
                ids[index] = old
                taken.add(old)
                break
    for index in order:
        if index in ids:
            continue
        keys = _ordered_keys(people.at[index, "match_keys"]) or [people.at[index, "sources"]]
        candidate = ""
        for key in keys:
            candidate = new_contact_id(key)
            if candidate not in taken and candidate not in previous.contacts:
                break
        suffix = 2
        base = candidate
        while candidate in taken or candidate in previous.contacts:
            candidate = f"{base}-{suffix}"
            suffix += 1
        ids[index] = candidate
        taken.add(candidate)
    return pd.Series(ids).reindex(people.index)


@dataclass
class CarriedContacts:
    """Contacts with the user's columns restored, people kept for their notes, and the changes."""

    contacts: pd.DataFrame
    kept: pd.DataFrame
    changes: pd.DataFrame


def carry_contacts(contacts: pd.DataFrame, previous: PreviousWorkbook) -> CarriedContacts:
    """Put back Status, Date Sent and Notes; list new people, job changes and departures."""
    frame = contacts.copy()
    for column in CONTACT_USER_COLUMNS:
        frame[column] = [previous.contacts.get(cid, {}).get(column) for cid in frame["contact_id"]]
    changes: list[dict[str, object]] = []
    kept_rows: list[dict[str, object]] = []
    if previous.exists:
        current = set(frame["contact_id"])
        for row in frame.itertuples(index=False):
            old = previous.contacts.get(row.contact_id)
            if old is None:
                changes.append(
                    _change(
                        "New", row.display_name, "", _job(row.title, row.company), row.contact_id
                    )
                )
                continue
            if _job_changed(old, row.title, row.company):
                changes.append(
                    _change(
                        "Changed job",
                        row.display_name,
                        _job(old.get("Title"), old.get("Company")),
                        _job(row.title, row.company),
                        row.contact_id,
                    )
                )
        for contact_id in previous.contact_order:
            if contact_id in current:
                continue
            old = previous.contacts[contact_id]
            kept = previous.has_user_data(contact_id)
            changes.append(
                _change(
                    "No longer in inputs",
                    old.get("Name"),
                    _job(old.get("Title"), old.get("Company")),
                    "kept: you added a status or notes" if kept else "removed",
                    contact_id,
                )
            )
            if kept:
                kept_rows.append(old)
    return CarriedContacts(
        contacts=frame,
        kept=pd.DataFrame(kept_rows),
        changes=pd.DataFrame(changes, columns=["change", "name", "before", "after", "contact_id"]),
    )


def _change(kind: str, name: object, before: str, after: str, contact_id: str) -> dict[str, object]:
    return {
        "change": kind,
        "name": name or "",
        "before": before,
        "after": after,
        "contact_id": contact_id,
    }


def _job(title: object, company: object) -> str:
    return ", ".join(str(v) for v in (title, company) if v and str(v).strip())


def _job_changed(old: dict[str, object], title: str, company: str) -> bool:
    old_company = company_key(str(old.get("Company") or ""))
    new_company = company_key(company or "")
    if old_company != new_company and (old_company or new_company):
        return True
    return fold(str(old.get("Title") or "")) != fold(title or "") and bool(
        old.get("Title") or title
    )


def employer_ratings(previous: PreviousWorkbook) -> dict[str, EmployerRating]:
    """The user's Motivation (0-3) and Posting (1-3) per employer, ignoring unreadable cells."""
    ratings = {}
    for key, row in previous.employers.items():
        motivation = _number(row.get("Motivation"), 0, 3)
        posting = _number(row.get("Posting"), 1, 3)
        if motivation is not None or posting is not None:
            ratings[key] = EmployerRating(motivation=motivation, posting=posting)
    return ratings


def _number(value: object, low: float, high: float) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return min(high, max(low, number))


def carry_drafts(drafts: Sequence[Draft], previous: PreviousWorkbook) -> list[Draft]:
    """Keep the user's edited drafts: an edit wins over the new text, and outlives the top list."""
    result = list(drafts)
    by_key = {(d.contact_id, d.channel, d.step): d for d in result}
    for key, row in previous.drafts.items():
        message = str(row.get("Message") or "")
        subject = str(row.get("Subject") or "")
        generated = str(row.get("Generated") or "")
        if not message or text_fingerprint(subject, message) == generated:
            continue
        draft = by_key.get(key)
        if draft is None:
            draft = Draft(
                contact_id=key[0],
                name=str(row.get("Name") or ""),
                channel=key[1],
                step=key[2],
                subject=subject,
                message=message,
                limit=int(_number(row.get("Characters"), 0, 10**6) or 0) or len(message),
                limit_unit="characters",
            )
            result.append(draft)
        draft.subject, draft.message = subject, message
        draft.flags = ["your edited text, kept from the last run"]
        draft.generated = generated
    return result
