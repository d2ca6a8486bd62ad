"""Check drafts as a careful sender would: length, job asks, placeholders, copies, mail links."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from pipeline.drafts.model import Draft

MAILTO_LIMIT = 2000  # practical mail-client limit; Excel's own is 2,079 (FORMATS.md 5)

# Phrases that turn a request to learn into a request for a job. Each is a way people really ask
# ("any openings", "is your team hiring", "pass my résumé along"), not a bare word: 'job' alone
# is fine ("what your job is like"), 'application' alone is fine ("applications of ML").
_JOB_ASKS = (
    r"(?:job|career|employment|work) (?:openings?|opportunit(?:y|ies)|offers?|postings?|leads?)",
    r"(?:any|open|current|available) (?:openings?|positions?|roles?|vacanc(?:y|ies)|reqs?)",
    r"openings? (?:at|on|in|with)",
    r"positions? (?:open|available)",
    r"(?:is|are|be|was|were|if|whether) (?:your|the) (?:\w+ )?(?:team|company|group|firm) "
    r"(?:is )?hiring",
    r"(?:is|are) (?:you|they) hiring",
    r"\bhiring (?:for|now|right now)",
    r"hire me",
    r"(?:a|an|any|the) (?:new |full-time |summer |part-time )?(?:jobs?|internships?) "
    r"(?:at|with|on|in)",
    r"(?:looking for|searching for|find|land|get|need|seeking) (?:a|an|any) (?:new )?(?:jobs?|"
    r"internships?|positions?|roles?)",
    r"refer(?:ral|rals|ring)? me",
    r"referrals?",
    r"(?:put|putting) in a (?:good )?word",
    r"(?:recommend|introduce) me (?:for|to the hiring)",
    r"r[ée]sum[ée]s?\b(?! (?:our|the|my|this|work|talking))",
    r"(?:my|job|internship) applications?",
    r"application (?:process|portal|status)",
    r"apply(?:ing)? (?:to|for|at) (?:a |an |the |your |this |one )?(?:\w+ )?(?:jobs?|roles?|"
    r"positions?|internships?|openings?|team|company)",
    r"(?:forward|pass) (?:my|along my)",
    r"foot in the door",
)
_JOB_ASK_RE = re.compile(
    "|".join(f"(?:{p})" if p.startswith(r"\b") else rf"\b(?:{p})" for p in _JOB_ASKS),
    re.IGNORECASE,
)
_CV_RE = re.compile(r"\bCV\b")  # only the capitalised abbreviation, never 'cv' in a URL or name
_PLACEHOLDER_RE = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\}\}|\{[a-z_]+\}|<<[^>]{1,30}>>|%[A-Z_]{3,}%|"
    r"\[(?:your |their |his |her |first |last |company |job )?(?:name|first name|last name|"
    r"company|title|role|school|year|field|insert[^\]]*|x+|tbd|todo|\.\.\.)\]|"
    r"\b(?:TODO|TBD|XXX+|FIXME)\b",
    re.IGNORECASE,
)


def measure(text: str, unit: str) -> int:
    """Count words, or characters the way LinkedIn may: an emoji as two (UTF-16)."""
    if unit == "words":
        return len(text.split())
    return max(len(text), len(text.encode("utf-16-le")) // 2)


def over_limit(text: str, limit: int, unit: str) -> str:
    """Return the over-the-limit flag, or '' when the text fits."""
    size = measure(text, unit)
    if size <= limit:
        return ""
    counted = " (emoji count as two)" if unit != "words" and size != len(text) else ""
    return f"over the limit: {size:,} of {limit:,} {unit}{counted}; shorten it before sending"


def _masked(message: str, quoted: Iterable[str]) -> str:
    """Blank out the contact's own words (company 'Application Systems', title 'Hiring Manager')."""
    for words in sorted({q for q in quoted if q and len(q) > 1}, key=len, reverse=True):
        message = re.sub(re.escape(words), " ", message, flags=re.IGNORECASE)
    return message


def lint_message(message: str, quoted: Sequence[str] = ()) -> list[str]:
    """Flag a job ask or a leftover placeholder; words in `quoted` are data, not asks."""
    flags = []
    text = _masked(message, quoted)
    ask = _JOB_ASK_RE.search(text) or _CV_RE.search(text)
    if ask:
        flags.append(
            f"asks for a job, referral or résumé ('{ask.group(0)}'): keep it about learning"
        )
    placeholder = _PLACEHOLDER_RE.search(text)
    if placeholder:
        flags.append(f"leftover placeholder '{placeholder.group(0)}': fill it in")
    return flags


def flag_duplicates(drafts: Sequence[Draft]) -> None:
    """Flag drafts whose text is the same as another contact's draft of the same step."""
    seen: dict[tuple[str, str], Draft] = {}
    for draft in drafts:
        key = (draft.step, draft.message)
        other = seen.get(key)
        if other is not None and other.contact_id != draft.contact_id:
            draft.flags.append(f"same text as the draft for {other.name}: make it personal")
        else:
            seen[key] = draft


def mailto_link(address: str, subject: str, body: str) -> tuple[str, str]:
    """Build an RFC 6068 mailto: link; a body too long for a link is left out, not cut."""
    base = f"mailto:{quote(address.strip(), safe='@')}"
    params = f"?subject={quote(subject, safe='')}" if subject else ""
    crlf_body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    full = f"{base}{params}{'&' if params else '?'}body={quote(crlf_body, safe='')}"
    if len(full) <= MAILTO_LIMIT:
        return full, ""
    return f"{base}{params}", "message too long for a mail link: the link opens the subject only"
