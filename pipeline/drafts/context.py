"""The facts a template may use about one contact and the sender, with the fallbacks taken."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.drafts.model import Sender

ROLE_MAX = 45  # a longer title reads as a pasted headline, not a role: name the employer only
# Titles that say what someone is *not* doing (yet): no role to talk about.
_NOT_A_ROLE = re.compile(
    r"\b(open to work|seeking|looking for|job seeker|unemployed|in transition|retired|"
    r"student|candidate|aspiring|career break)\b",
    re.IGNORECASE,
)
# Where a headline goes on past the role: 'Data Scientist | Speaker', 'ML Engineer @ Spotify'.
_HEADLINE_CUT = re.compile(r"\s*(?:[|•·]| [-–—] | @ | at )\s*", re.IGNORECASE)
# A unique position reads better without an article: 'as Head of Data', 'as VP, Growth'.
_NO_ARTICLE = re.compile(
    r"^(head|chief|vp|svp|evp|avp|vice president|president|ceo|cto|cfo|coo|cmo|cio|cpo|"
    r"founder|co-?founder|managing director|general manager|director|dean|chair)\b",
    re.IGNORECASE,
)
# 'Data Scientist II', 'Software Engineer 3', 'SWE L5': the level is HR's word, not theirs.
_LEVEL = re.compile(r"[\s,]+(?:I{1,3}|IV|[1-5]|L\d{1,2}|level \d)$", re.IGNORECASE)
_SMALL_WORDS = {"of", "and", "the", "for", "at", "in", "to", "on", "a", "an", "&"}
# Letters whose English name starts with a vowel sound: 'an ML engineer', 'an SVP'.
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")
_SILENT_OR_YOU = re.compile(r"^(hour|honest|honor|heir)|^(uni|use|usu|euro|one\b|once)", re.I)
_INITIAL = re.compile(r"^[A-Za-z]\.?$")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


def prose_case(text: str) -> str:
    """Lower-case Title-Case words for use mid-sentence; keep acronyms and mixed case (UX, iOS)."""
    words = []
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        if len(letters) > 1 and word[:1].isupper() and "".join(letters[1:]).islower():
            word = word.lower()
        words.append(word)
    return " ".join(words)


def field_phrase(typed: str, label: str) -> str:
    """Say the user's field the way a person writes it: their own words unless an abbreviation."""
    text = " ".join(typed.split())
    if len(text) <= 3 or (text.isupper() and len(text) <= 5) or not text:
        text = label
    text = re.sub(r"\s*\([^)]*\)", "", text)  # 'Medicine (Physicians)' -> 'Medicine'
    text = text.replace(" & ", " and ").replace(" / ", " and ")
    return prose_case(text) or prose_case(label)


def their_role(title: str) -> tuple[str, str]:
    """Return the role as the person wrote it (tidied), and why it was left out when it was."""
    text = " ".join(_EMOJI.sub("", title or "").split())
    if not text:
        return "", ""
    text = _HEADLINE_CUT.split(text, maxsplit=1)[0].strip(" ,;:-")
    text = _LEVEL.sub("", text)
    if _NOT_A_ROLE.search(text):
        return "", f"title '{title}' is not a role: the message names the employer only"
    if len(text) > ROLE_MAX:
        return "", "title too long to quote: the message names the employer only"
    if text.isupper() and len(text) > 4:
        text = " ".join(
            w.lower() if w.lower() in _SMALL_WORDS else (w if len(w) <= 3 else w.capitalize())
            for w in text.split()
        )
    return text, ""


def with_article(role: str) -> str:
    """'a Data Scientist', 'an ML Engineer', 'Head of Data' (a unique post takes no article)."""
    if _NO_ARTICLE.match(role):
        return role
    first = role.split()[0]
    if first.isupper() and len(first) <= 5:
        vowel = first[0] in _VOWEL_SOUND_LETTERS
    else:
        vowel = first[:1].lower() in "aeiou"
        if _SILENT_OR_YOU.match(first):
            vowel = first[:1].lower() == "h"
    return f"{'an' if vowel else 'a'} {role}"


def role_phrase(role: str, company: str, field: str) -> str:
    """Say where they work: 'as a Data Scientist at Spotify', 'at Spotify', 'in data science'."""
    if role and company:
        return f"as {with_article(role)} at {company}"
    if role:
        return f"as {with_article(role)}"
    if company:
        return f"at {company}"
    return f"in {field}"


def greeting_name(contact: Mapping[str, Any]) -> tuple[str, str]:
    """The name to greet someone by, and the fallback taken when the record has no usable one."""
    nick = _clean_name(contact.get("nick"))
    if nick and not _INITIAL.match(nick):
        return nick, ""
    first = _clean_name(contact.get("first"))
    if first and not _INITIAL.match(first):
        return first, ""
    middle = _clean_name(contact.get("middle"))
    if first and middle and not _INITIAL.match(middle.split()[0]):
        name = middle.split()[0]
        return name, f"first name is an initial: greeting uses the middle name '{name}'"
    return "there", "no first name: greeting says 'Hi there'"


def _clean_name(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return " ".join(_EMOJI.sub("", str(value)).split())


def sent_phrase(value: Any) -> str:
    """'on March 3' from the Date Sent cell; empty when the user has not entered a date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str) and value.strip():
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return ""
    if isinstance(value, dt.date):
        return f"on {value:%B} {value.day}"
    return ""


def class_year(value: Any) -> int | None:
    """The class year as an int, or None for missing values of any kind."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def shared_context(facts: Mapping[str, Any], sender: Sender) -> str:
    """The strongest thing the two people share, as a clause to put first."""
    school, year = sender.school_short, facts["class_year"]
    if facts["in_conversation"]:
        return "it's good to be in touch again"
    if facts["is_alum"] and school:
        if facts["same_era"]:
            return f"we were at {school} around the same time (class of {year})"
        if sender.is_student:
            if year is not None:
                return f"I'm a {school} student and saw you graduated in {year}"
            return f"I'm a {school} student and saw you're an alum too"
        return f"we're both {school} alumni"
    if facts["is_connection"]:
        return "we're connected here on LinkedIn"
    if facts["target_company"] and facts["company"]:
        return f"{facts['company']} is high on my list of places to learn about"
    return f"I came across your profile while learning about {facts['field']}"


def build_context(
    contact: Mapping[str, Any], sender: Sender, field: str, channel: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the variables of one contact's templates, and the fallback taken for each."""
    fallbacks: dict[str, str] = {}
    first, why = greeting_name(contact)
    if why:
        fallbacks["first_name"] = why
    company = _clean_name(contact.get("company"))
    title = _clean_name(contact.get("title"))
    role, why = their_role(title)
    if not role and not company:
        gap = why.split(":")[0] + ", and no employer" if why else "no title or employer"
        for key in ("role", "a_role", "company", "role_phrase"):
            fallbacks[key] = f"{gap}: the message cannot say what they do, so it is general"
    year = class_year(contact.get("grad_year"))
    my_year = sender.grad_year
    school = sender.school_short
    intro = sender.intro
    in_intro = bool(school) and school.lower() in intro.lower()
    facts: dict[str, Any] = {
        "first_name": first,
        "name": _clean_name(contact.get("display_name"))
        or ("" if "first_name" in fallbacks else first),
        "title": title,
        "role": role,
        "a_role": with_article(role) if role else "",
        "company": company,
        "role_phrase": role_phrase(role, company, field),
        "is_alum": bool(contact.get("is_alum")),
        "is_connection": bool(contact.get("is_connection")),
        "in_conversation": bool(contact.get("in_conversation")),
        "invited": bool(contact.get("invited")),
        "target_company": bool(contact.get("company_is_target")) and bool(company),
        "class_year": year,
        "same_era": bool(
            contact.get("is_alum")
            and year is not None
            and my_year is not None
            and not sender.is_student
            and abs(year - my_year) <= 1
        ),
        "field": field,
        "intro": intro,
        "intro_at_school": intro if in_intro or not school else f"{intro} at {school}",
        "intro_mentions_field": field.lower() in intro.lower(),
        "my_name": sender.name,
        "my_first_name": sender.first_name,
        "my_status": "student" if sender.is_student else "graduate",
        "my_class_year": my_year,
        "school": sender.school,
        "school_short": school,
        "sign_off": sender.sign_off,
        "sent_phrase": sent_phrase(contact.get("Date Sent")),
        "channel": channel,
    }
    facts["shared_context"] = shared_context(facts, sender)
    return facts, fallbacks
