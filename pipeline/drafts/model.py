"""What a draft is: channels, steps, limits, the sender and one message ready to send by hand."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

NOTE = "LinkedIn note"
MESSAGE = "LinkedIn message"
EMAIL = "Email"
FIRST, FOLLOW_UP, THANK_YOU = "First message", "Follow-up", "Thank-you"
NOTE_LIMITS = {"free": 200, "premium": 300}
MESSAGE_LIMIT = 1900  # fits an InMail body too (FORMATS.md section 2)
EMAIL_WORD_LIMIT = 120
SUBJECT_LIMIT = 80
FREE_NOTES_PER_MONTH = 5  # LinkedIn Help a550555: free members, 5 personalised invitations a month
FOLLOW_UP_BUSINESS_DAYS = 7  # the Contacts sheet's Due formula uses the same number

# 'Northfield University' -> 'Northfield', 'University of Michigan' -> 'Michigan'; anything else
# ('Massachusetts Institute of Technology', 'New York University') stays as written.
_SHORT_SCHOOL = re.compile(
    r"^(?:the\s+)?(?:(?P<a>[\w'’.-]+(?:\s+state)?)\s+university|university\s+of\s+(?P<b>[\w'’.-]+))$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sender:
    """Who is writing: from profile.toml [me] and [drafts]."""

    name: str
    intro: str
    field_label: str
    school: str = ""
    grad_year: int | None = None
    plan: str = "free"
    sign_off: str = "Thanks,"
    is_student: bool = True

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def school_short(self) -> str:
        school = " ".join(self.school.split())
        match = _SHORT_SCHOOL.match(school)
        return (match.group("a") or match.group("b")) if match else school


@dataclass
class Draft:
    """One message ready to review and send by hand."""

    contact_id: str
    name: str
    channel: str
    step: str
    subject: str
    message: str
    limit: int
    limit_unit: str
    flags: list[str] = field(default_factory=list)
    link: str = ""
    # For a draft the user edited: the fingerprint of the text we generated back then.
    generated: str = ""
    # Words of the contact's own data (company, title, name) that lint must not read as asks.
    quoted: tuple[str, ...] = ()
    address: str = ""  # the email address the link opens a draft to

    @property
    def characters(self) -> int:
        return len(self.message)

    @property
    def limit_text(self) -> str:
        return f"{self.limit:,} {self.limit_unit}"

    @property
    def fingerprint(self) -> str:
        """Return the hash stored beside the draft to tell a user's edit from generated text."""
        return self.generated or text_fingerprint(self.subject, self.message)


def text_fingerprint(subject: str, message: str) -> str:
    """Return a short hash of a draft's text."""
    return hashlib.sha1(f"{subject}\n{message}".encode()).hexdigest()[:12]


def channel_limit(channel: str, plan: str) -> tuple[int, str]:
    """Return the limit of a channel and its unit."""
    if channel == NOTE:
        return NOTE_LIMITS.get(plan, NOTE_LIMITS["free"]), "characters"
    if channel == EMAIL:
        return EMAIL_WORD_LIMIT, "words"
    return MESSAGE_LIMIT, "characters"
