"""Drafts: a short, personal message per contact on the right channel, within its limit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateSyntaxError,
    meta,
)
from jinja2 import (
    TemplateError as JinjaTemplateError,
)

from pipeline.datafiles import templates_dir
from pipeline.errors import TemplateError
from pipeline.score.titles import parse_title

NOTE = "LinkedIn note"
MESSAGE = "LinkedIn message"
EMAIL = "Email"
FIRST, FOLLOW_UP, THANK_YOU = "First message", "Follow-up", "Thank-you"
NOTE_LIMITS = {"free": 200, "premium": 300}
MESSAGE_LIMIT = 1900  # fits an InMail body too (FORMATS.md section 2)
EMAIL_WORD_LIMIT = 120
SUBJECT_LIMIT = 80
MAILTO_LIMIT = 2000  # practical mail-client limit; Excel's own is 2,079 (FORMATS.md 5)
TEMPLATE_NAMES = (
    "linkedin_note",
    "linkedin_message",
    "email",
    "email_subject",
    "follow_up",
    "thank_you",
)
VARIABLES = (
    "first_name",
    "name",
    "title",
    "company",
    "role_phrase",
    "shared_context",
    "is_alum",
    "is_connection",
    "class_year",
    "field",
    "intro",
    "my_name",
    "my_first_name",
    "my_status",
    "school",
    "school_short",
    "sign_off",
    "sent_phrase",
)
_JOB_ASK_RE = re.compile(
    r"\b(job openings?|openings?|hiring|refer(?:ral|rals|ring)?|refer me|r[ée]sum[ée]s?|cv|"
    r"apply|application|internships?|job|jobs|positions? open|open roles?)\b",
    re.IGNORECASE,
)
_PLACEHOLDER_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\[(?:name|first name|company|title)\]", re.I)
_SCHOOL_WORDS = re.compile(r"\b(university|college|school|institute|of|the)\b", re.IGNORECASE)


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
        short = " ".join(_SCHOOL_WORDS.sub(" ", self.school).split())
        return short or self.school


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

    @property
    def characters(self) -> int:
        return len(self.message)

    @property
    def limit_text(self) -> str:
        return f"{self.limit:,} {self.limit_unit}"

    @property
    def fingerprint(self) -> str:
        """The hash stored beside the draft to tell a user's edit from generated text."""
        return self.generated or text_fingerprint(self.subject, self.message)


def text_fingerprint(subject: str, message: str) -> str:
    """A short hash of a draft's text."""
    return hashlib.sha1(f"{subject}\n{message}".encode()).hexdigest()[:12]


class Templates:
    """The message templates: built-in files, each overridable by a file in the user's folder."""

    def __init__(self, user_dir: Path | None = None) -> None:
        loaders = []
        if user_dir is not None:
            if not user_dir.is_dir():
                raise TemplateError(
                    "templates folder not found",
                    where=str(user_dir),
                    fix="Fix [drafts] templates in profile.toml, or remove it to use the "
                    "built-in templates.",
                )
            loaders.append(FileSystemLoader(str(user_dir)))
        loaders.append(FileSystemLoader(str(templates_dir())))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        # jinja's own 'capitalize' lower-cases the rest ('Northfield' -> 'northfield').
        self.env.filters["capfirst"] = lambda text: str(text)[:1].upper() + str(text)[1:]
        for name in TEMPLATE_NAMES:
            for form in ("long", "short"):
                self._check(f"{name}.{form}.j2")

    def _check(self, name: str) -> None:
        """Fail now, naming file and line, on a syntax error or an unknown variable."""
        assert self.env.loader is not None
        source, filename, _ = self.env.loader.get_source(self.env, name)
        try:
            parsed = self.env.parse(source, name=name, filename=filename)
        except TemplateSyntaxError as error:
            raise TemplateError(
                f"template syntax error: {error.message}",
                where=f"{filename}:{error.lineno}",
                fix="Fix the template, or delete it to use the built-in one.",
            ) from error
        unknown = sorted(meta.find_undeclared_variables(parsed) - set(VARIABLES))
        if unknown:
            line = _line_of(source, unknown[0])
            raise TemplateError(
                f"unknown variable '{unknown[0]}'",
                where=f"{filename}:{line}",
                fix=f"Use one of: {', '.join(VARIABLES)}.",
            )

    def render(self, name: str, form: str, context: Mapping[str, Any]) -> str:
        template = self.env.get_template(f"{name}.{form}.j2")
        try:
            text = template.render(**context)
        except JinjaTemplateError as error:
            raise TemplateError(
                f"cannot render ({error})", where=template.filename or name
            ) from error
        return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _line_of(source: str, variable: str) -> int:
    pattern = re.compile(rf"\b{re.escape(variable)}\b")
    for number, line in enumerate(source.splitlines(), start=1):
        if pattern.search(line):
            return number
    return 1


def choose_channel(contact: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Pick the channel for the first message and say why, when it is not the obvious one."""
    notes: list[str] = []
    email_ok = bool(contact.get("email")) and not contact.get("email_opt_out")
    if contact.get("is_connection") or contact.get("in_conversation"):
        return MESSAGE, notes
    if email_ok:
        return EMAIL, notes
    if contact.get("invited"):
        notes.append("your invitation is still pending: send this once they accept")
        return MESSAGE, notes
    if contact.get("linkedin_url"):
        return NOTE, notes
    if contact.get("email") and contact.get("email_opt_out"):
        notes.append("opted out of email and has no LinkedIn profile: find another way in")
    return "", notes


def role_phrase(title: str, company: str, field_label: str) -> str:
    """'as a data scientist at Spotify', from the first segment of the title."""
    segments = parse_title(title).segments if title else ()
    role = segments[0] if segments else ""
    if role and company:
        return f"{_article(role)} {role} at {company}"
    if role:
        return f"{_article(role)} {role}"
    if company:
        return f"at {company}"
    return f"in {field_label.lower()}"


def _article(word: str) -> str:
    return "as an" if word[:1].lower() in "aeiou" else "as a"


def shared_context(contact: Mapping[str, Any], sender: Sender) -> str:
    """The strongest thing the two people share, said first."""
    raw_year = contact.get("grad_year")
    year = None if raw_year is None or pd.isna(raw_year) else int(raw_year)
    school = sender.school_short
    if contact.get("in_conversation"):
        return "it's good to be in touch again"
    if contact.get("is_alum") and school:
        if sender.is_student:
            if year is not None:
                return f"I'm a current {school} student and saw you graduated in {year}"
            return f"I'm a current {school} student and saw you're an alum too"
        if year is not None and sender.grad_year and abs(year - sender.grad_year) <= 1:
            return f"we were at {school} around the same time (class of {year})"
        return f"we're both {school} alumni"
    if contact.get("is_connection"):
        return "we're connected here on LinkedIn"
    if contact.get("company_is_target") and contact.get("company"):
        return f"I'm especially interested in {contact['company']}"
    return f"I came across your profile while learning about {sender.field_label.lower()}"


def build_context(contact: Mapping[str, Any], sender: Sender) -> tuple[dict[str, Any], list[str]]:
    """The variables of one contact's templates, and the fallbacks that had to be used."""
    fallbacks: list[str] = []
    first = str(contact.get("nick") or contact.get("first") or "").strip()
    if not first:
        first = "there"
        fallbacks.append("no first name: greeting says 'Hi there'")
    company = str(contact.get("company") or "")
    title = str(contact.get("title") or "")
    if not title and not company:
        fallbacks.append("no title or employer: the message speaks of the field instead")
    year = contact.get("grad_year")
    return (
        {
            "first_name": first,
            "name": contact.get("display_name") or first,
            "title": title,
            "company": company,
            "role_phrase": role_phrase(title, company, sender.field_label),
            "shared_context": shared_context(contact, sender),
            "is_alum": bool(contact.get("is_alum")),
            "is_connection": bool(contact.get("is_connection")),
            "class_year": None if year is None or pd.isna(year) else int(year),
            "field": sender.field_label.lower(),
            "intro": sender.intro,
            "my_name": sender.name,
            "my_first_name": sender.first_name,
            "my_status": "student" if sender.is_student else "graduate",
            "school": sender.school,
            "school_short": sender.school_short,
            "sign_off": sender.sign_off,
            "sent_phrase": "last week",
        },
        fallbacks,
    )


def _fits(text: str, limit: int, unit: str) -> bool:
    if unit == "words":
        return len(text.split()) <= limit
    # LinkedIn may count an emoji as two (UTF-16); check both ways.
    return max(len(text), len(text.encode("utf-16-le")) // 2) <= limit


def _render_fitting(
    templates: Templates, name: str, context: Mapping[str, Any], limit: int, unit: str
) -> tuple[str, list[str]]:
    """Use the long form when it fits, else the short; flag (never cut) when neither fits."""
    long_text = templates.render(name, "long", context)
    if _fits(long_text, limit, unit):
        return long_text, []
    short_text = templates.render(name, "short", context)
    if _fits(short_text, limit, unit):
        return short_text, []
    size = len(short_text.split()) if unit == "words" else len(short_text)
    return short_text, [f"over the limit: {size:,} of {limit:,} {unit}; shorten it before sending"]


def draft_for_contact(
    contact: Mapping[str, Any], sender: Sender, templates: Templates
) -> list[Draft]:
    """The first message, follow-up and thank-you for one contact, on its channel."""
    channel, channel_notes = choose_channel(contact)
    if not channel:
        return []
    context, fallbacks = build_context(contact, sender)
    contact_id = str(contact["contact_id"])
    name = str(contact.get("display_name") or contact.get("email") or "")
    email = str(contact.get("email") or "")
    drafts: list[Draft] = []
    steps = [
        (FIRST, {NOTE: "linkedin_note", MESSAGE: "linkedin_message", EMAIL: "email"}[channel]),
        (FOLLOW_UP, "follow_up"),
        (THANK_YOU, "thank_you"),
    ]
    for step, template in steps:
        step_channel = MESSAGE if (channel == NOTE and step != FIRST) else channel
        limit, unit = _limit(step_channel, sender.plan)
        message, flags = _render_fitting(templates, template, context, limit, unit)
        subject = ""
        if step_channel == EMAIL:
            subject, subject_flags = _render_fitting(
                templates, "email_subject", context, SUBJECT_LIMIT, "characters"
            )
            if step != FIRST:
                subject = f"Re: {subject}" if step == FOLLOW_UP else "Thank you"
            flags.extend(subject_flags)
        draft = Draft(
            contact_id=contact_id,
            name=name,
            channel=step_channel,
            step=step,
            subject=subject,
            message=message,
            limit=limit,
            limit_unit=unit,
            flags=[*flags, *fallbacks, *(channel_notes if step == FIRST else [])],
        )
        if step_channel == EMAIL and email:
            draft.link, link_flag = mailto_link(email, subject, message)
            if link_flag:
                draft.flags.append(link_flag)
        draft.flags.extend(lint_message(message))
        drafts.append(draft)
    return drafts


def _limit(channel: str, plan: str) -> tuple[int, str]:
    if channel == NOTE:
        return NOTE_LIMITS.get(plan, NOTE_LIMITS["free"]), "characters"
    if channel == EMAIL:
        return EMAIL_WORD_LIMIT, "words"
    return MESSAGE_LIMIT, "characters"


def lint_message(message: str) -> list[str]:
    """Flags a careful sender would want: a job ask, a leftover placeholder."""
    flags = []
    ask = _JOB_ASK_RE.search(message)
    if ask:
        flags.append(f"asks for a job or referral ('{ask.group(0)}'): keep it about learning")
    placeholder = _PLACEHOLDER_RE.search(message)
    if placeholder:
        flags.append(f"leftover placeholder '{placeholder.group(0)}'")
    return flags


def mailto_link(address: str, subject: str, body: str) -> tuple[str, str]:
    """An RFC 6068 mailto: link; a body too long for a link is left out, not cut."""
    base = f"mailto:{quote(address, safe='@')}"
    params = f"?subject={quote(subject, safe='')}" if subject else ""
    crlf_body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    full = f"{base}{params}{'&' if params else '?'}body={quote(crlf_body, safe='')}"
    if len(full) <= MAILTO_LIMIT:
        return full, ""
    return f"{base}{params}", "message too long for a mail link: the link opens subject only"


def plan_drafts(
    contacts: pd.DataFrame, sender: Sender, templates: Templates, top: int
) -> list[Draft]:
    """Drafts for the best `top` contacts, with identical texts flagged."""
    drafts: list[Draft] = []
    for contact in contacts.head(top).to_dict("records"):
        drafts.extend(draft_for_contact(contact, sender, templates))
    flag_duplicates(drafts)
    return drafts


def flag_duplicates(drafts: Sequence[Draft]) -> None:
    """Flag first messages whose text is the same as another contact's."""
    seen: dict[str, Draft] = {}
    for draft in drafts:
        if draft.step != FIRST:
            continue
        other = seen.get(draft.message)
        if other is not None and other.contact_id != draft.contact_id:
            draft.flags.append(f"same text as the draft for {other.name}: make it personal")
        else:
            seen[draft.message] = draft
