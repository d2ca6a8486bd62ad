"""Read the side files of a LinkedIn export: the user's profile, schools, messages, invitations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.errors import InputError
from pipeline.ingest.sources import LoadedFile, load_tables
from pipeline.ingest.tables import RawTable


@dataclass
class LinkedInContext:
    """What the export says about the user and who they already talk to."""

    owner_name: str | None = None
    owner_headline: str | None = None
    schools: list[tuple[str, int | None]] = field(default_factory=list)
    # Raw profile URLs and display names; the pipeline canonicalises them.
    conversation_urls: dict[str, str] = field(default_factory=dict)
    conversation_names: dict[str, str] = field(default_factory=dict)
    invited_urls: set[str] = field(default_factory=set)
    invited_names: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def read_linkedin_context(exports: Iterable[Mapping[str, LoadedFile]]) -> LinkedInContext:
    """Merge the side files of every export given; each file is optional."""
    context = LinkedInContext()
    for files in exports:
        # The profile first: messages need the owner's name to tell who wrote to whom.
        for role in ("profile", "education", "invitations", "messages"):
            if role not in files:
                continue
            loaded = files[role]
            try:
                rows = _read_rows(loaded)
            except InputError as error:
                context.notes.append(f"{loaded.name} not used: {error.what}")
                continue
            if rows is None:
                context.notes.append(f"{loaded.name} holds no table; not used")
                continue
            _READERS[role](rows, context)
    return context


def _read_rows(loaded: LoadedFile) -> list[dict[str, str]] | None:
    """Read a side file as dictionaries keyed by upper-cased header."""
    tables: list[RawTable] = load_tables(loaded)
    for table in tables:
        rows = [row for row in table.rows if any(cell.strip() for cell in row)]
        for index, row in enumerate(rows[:5]):
            if len([cell for cell in row if cell.strip()]) >= 2:
                headers = [cell.strip().upper() for cell in row]
                return [
                    {headers[i]: value.strip() for i, value in enumerate(data) if i < len(headers)}
                    for data in rows[index + 1 :]
                ]
    return None


def _read_profile(rows: list[dict[str, str]], context: LinkedInContext) -> None:
    if not rows:
        return
    row = rows[0]
    name = " ".join(part for part in (row.get("FIRST NAME", ""), row.get("LAST NAME", "")) if part)
    context.owner_name = context.owner_name or name or None
    context.owner_headline = context.owner_headline or row.get("HEADLINE") or None


def _read_education(rows: list[dict[str, str]], context: LinkedInContext) -> None:
    for row in rows:
        school = row.get("SCHOOL NAME", "")
        if not school:
            continue
        context.schools.append((school, _year(row.get("END DATE", ""))))
    # The school with the latest end year first: the one the user most likely studies at now.
    context.schools.sort(key=lambda item: -(item[1] or 0))


def _year(text: str) -> int | None:
    match = re.search(r"(19|20)\d\d", text)
    return int(match.group(0)) if match else None


def _read_messages(rows: list[dict[str, str]], context: LinkedInContext) -> None:
    senders = Counter(row.get("FROM", "") for row in rows if row.get("FROM"))
    owner = context.owner_name
    if not owner and senders:
        # The owner is in every conversation; the most frequent sender is almost always them.
        owner = senders.most_common(1)[0][0]
    owner_key = (owner or "").casefold()
    for row in rows:
        if row.get("IS MESSAGE DRAFT", "").lower() == "true":
            continue
        date = row.get("DATE", "")
        sender = row.get("FROM", "")
        if sender and sender.casefold() != owner_key and sender != "LinkedIn Member":
            _remember(context.conversation_names, sender, date)
            _remember(context.conversation_urls, row.get("SENDER PROFILE URL", ""), date)
        elif sender.casefold() == owner_key:
            for name in _split_people(row.get("TO", "")):
                _remember(context.conversation_names, name, date)
            for url in _split_people(row.get("RECIPIENT PROFILE URLS", "")):
                _remember(context.conversation_urls, url, date)


def _remember(seen: dict[str, str], key: str, date: str) -> None:
    key = key.strip()
    if not key:
        return
    if key not in seen or date > seen[key]:
        seen[key] = date


def _split_people(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]\s*(?=\S)", value) if part.strip()]


def _read_invitations(rows: list[dict[str, str]], context: LinkedInContext) -> None:
    for row in rows:
        if row.get("DIRECTION", "").upper() != "OUTGOING":
            continue
        if row.get("INVITEEPROFILEURL"):
            context.invited_urls.add(row["INVITEEPROFILEURL"])
        if row.get("TO"):
            context.invited_names.add(row["TO"])


_READERS: dict[str, Callable[[list[dict[str, str]], LinkedInContext], None]] = {
    "profile": _read_profile,
    "education": _read_education,
    "messages": _read_messages,
    "invitations": _read_invitations,
}
