"""Read the side files of a LinkedIn export: the user's profile, schools, messages, invitations."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.errors import InputError
from pipeline.ingest.sources import LoadedFile, load_tables
from pipeline.ingest.tables import RawTable

# More people than this besides the user make a conversation a group chat.
MAX_CONVERSATION_OTHERS = 3
_UNKNOWN_NAMES = {"linkedin member", "linkedin user", "unknown", ""}
_URL_SPLIT_RE = re.compile(r"[\s,;]+")


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


@dataclass
class _Conversation:
    """The people of one conversation, and who wrote in it."""

    urls: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    senders: set[tuple[str, str]] = field(default_factory=set)
    last_date: str = ""


def _read_messages(rows: list[dict[str, str]], context: LinkedInContext) -> None:
    """Remember who the user has talked with: the other people of each small conversation."""
    if rows and "DIRECTION" in rows[0] and "CONVERSATION ID" not in rows[0]:
        _read_messages_2018(rows, context)
        return
    conversations: dict[str, _Conversation] = {}
    for number, row in enumerate(rows):
        if _truthy(row.get("IS MESSAGE DRAFT", "")) or "spam" in row.get("FOLDER", "").lower():
            continue
        key = row.get("CONVERSATION ID") or f"row {number}"
        _add_message(conversations.setdefault(key, _Conversation()), row)
    owner_urls, owner_names = _owner(list(conversations.values()), context.owner_name)
    for talk in conversations.values():
        other_urls = talk.urls - owner_urls
        other_names = talk.names - owner_names
        # A group chat is not a personal conversation with each of its members.
        if max(len(other_urls), len(other_names)) > MAX_CONVERSATION_OTHERS:
            continue
        for url in other_urls:
            _remember(context.conversation_urls, url, talk.last_date)
        for name in other_names:
            _remember(context.conversation_names, name, talk.last_date)


def _add_message(talk: _Conversation, row: dict[str, str]) -> None:
    sender, sender_url = _person(row.get("FROM", "")), row.get("SENDER PROFILE URL", "").strip()
    talk.urls.update(u for u in (sender_url,) if u)
    talk.names.update(n for n in (sender,) if n)
    talk.senders.add((sender, sender_url))
    recipient_urls = [u for u in _URL_SPLIT_RE.split(row.get("RECIPIENT PROFILE URLS", "")) if u]
    talk.urls.update(recipient_urls)
    # Names hold commas ('Okeke, PhD'): split the To field only when there is one recipient
    # link or none, and then only on semicolons.
    recipients = row.get("TO", "")
    parts = [recipients] if len(recipient_urls) <= 1 else recipients.split(";")
    talk.names.update(name for name in map(_person, parts) if name)
    talk.last_date = max(talk.last_date, row.get("DATE", ""))


def _owner(talks: list[_Conversation], owner_name: str | None) -> tuple[set[str], set[str]]:
    """The user's own links and names: the profile's name, and who is in most conversations."""
    names = {owner_name} if owner_name else set()
    urls: set[str] = set()
    if len(talks) >= 2:
        # The user is in every conversation; anyone else is in far fewer.
        for counts, found in (
            (Counter(n for talk in talks for n in talk.names), names),
            (Counter(u for talk in talks for u in talk.urls), urls),
        ):
            if counts:
                value, count = counts.most_common(1)[0]
                if count * 2 > len(talks):
                    found.add(value)
    for talk in talks:
        urls.update(url for name, url in talk.senders if url and name in names)
    return urls, names


def _read_messages_2018(rows: list[dict[str, str]], context: LinkedInContext) -> None:
    """2018 exports: 'From,To,Date,Subject,Content,Direction,Folder', one row per message."""
    for row in rows:
        other = row.get("TO" if row.get("DIRECTION", "").upper() == "OUTGOING" else "FROM", "")
        for name in map(_person, other.split(";")):
            if name:
                _remember(context.conversation_names, name, row.get("DATE", ""))


def _person(name: str) -> str:
    """A display name, or '' for LinkedIn's placeholder for people it does not name."""
    name = html.unescape(name).strip()
    return "" if name.casefold() in _UNKNOWN_NAMES else name


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"true", "yes", "1"}


def _remember(seen: dict[str, str], key: str, date: str) -> None:
    key = key.strip()
    if not key:
        return
    if key not in seen or date > seen[key]:
        seen[key] = date


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
