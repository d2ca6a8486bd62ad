"""Golden drafts: the full text of every channel and step for sample contacts, compared exactly.

Regenerate on purpose (after changing a template) with
    OUTREACH_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_drafts_golden.py
then read the diff of tests/golden/drafts/ before committing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

import pytest

from bench.drafts_fit import sample_contacts
from pipeline.drafts import Draft, Sender, Templates, draft_for_contact

GOLDEN = Path(__file__).parent / "golden" / "drafts"
UPDATE = os.environ.get("OUTREACH_UPDATE_GOLDENS") == "1"

STUDENT = Sender(
    name="Alex Rivera",
    intro="a senior studying statistics",
    field_label="data science",
    school="Northfield University",
    grad_year=2026,
)
CHANGER = Sender(
    name="Jordan Lee",
    intro="a high-school math teacher moving into data science",
    field_label="data science",
    school="Northfield University",
    grad_year=2012,
    sign_off="Best,",
    is_student=False,
)
BASE: dict[str, object] = {
    "contact_id": "C0A1B2C3D", "display_name": "Maya Chen", "first": "Maya", "nick": "",
    "middle": "", "title": "Senior Data Scientist", "company": "Spotify", "email": "",
    "email_opt_out": False, "linkedin_url": "https://www.linkedin.com/in/maya-chen",
    "is_connection": False, "is_alum": True, "in_conversation": False, "invited": False,
    "grad_year": 2019, "company_is_target": True, "Status": None, "Date Sent": None,
}  # fmt: skip

# name: (sender, what differs from BASE)
CASES: dict[str, tuple[Sender, dict[str, object]]] = {
    "note_alum_student": (STUDENT, {}),
    "note_premium_plan": (dataclasses.replace(STUDENT, plan="premium"), {}),
    "note_target_company_cold": (
        STUDENT,
        {"contact_id": "C11111111", "display_name": "Daniel Okafor", "first": "Daniel",
         "title": "Data Scientist II | Experimentation", "company": "Duolingo", "is_alum": False,
         "grad_year": None},
    ),
    "note_long_names_compact": (
        STUDENT,
        {"contact_id": "C22222222", "display_name": "Chandrashekhar Venkataraman",
         "first": "Chandrashekhar", "title": "Principal Data Scientist",
         "company": "Australia and New Zealand Banking Group", "grad_year": 2004},
    ),
    "note_email_opted_out": (
        STUDENT, {"email": "maya@example.com", "email_opt_out": True, "grad_year": None}
    ),
    "email_alum_sent_date": (
        STUDENT,
        {"email": "maya.chen@example.com", "Status": "Sent", "Date Sent": dt.datetime(2025, 3, 3)},
    ),
    "email_same_era_graduate": (
        CHANGER,
        {"contact_id": "C33333333", "display_name": "Sam O'Neil", "first": "Sam",
         "title": "VP, Data Science", "company": "Etsy", "email": "sam@example.org",
         "grad_year": 2013, "company_is_target": False},
    ),
    "message_connection": (
        STUDENT,
        {"contact_id": "C44444444", "display_name": "Linh Nguyen", "first": "Linh",
         "title": "ML Engineer", "company": "Pfizer", "is_connection": True, "is_alum": False,
         "grad_year": None, "company_is_target": False},
    ),
    "message_recontact": (
        STUDENT,
        {"contact_id": "C55555555", "display_name": "Robert Okafor", "first": "Robert",
         "nick": "Bob", "title": "Analytics Manager", "company": "Acme Inc.",
         "is_connection": True, "in_conversation": True, "is_alum": False, "grad_year": None,
         "company_is_target": False},
    ),
    "message_invitation_pending": (
        STUDENT, {"contact_id": "C66666666", "invited": True, "grad_year": None}
    ),
    "fallbacks_no_name_no_title": (
        STUDENT,
        {"contact_id": "C77777777", "display_name": "", "first": "", "title": "Open to work",
         "company": "", "email": "someone@example.com", "is_alum": False, "grad_year": None,
         "company_is_target": False},
    ),
}  # fmt: skip


def render_case(sender: Sender, overrides: dict[str, object]) -> str:
    """Return every draft of one contact as the text kept in its golden file."""
    drafts = draft_for_contact({**BASE, **overrides}, sender, Templates())
    return "\n".join(_describe(draft) for draft in drafts)


def _describe(draft: Draft) -> str:
    lines = [f"=== {draft.step} · {draft.channel} · {draft.characters} characters, limit "
             f"{draft.limit_text}"]  # fmt: skip
    if draft.subject:
        lines.append(f"Subject: {draft.subject}")
    lines.extend(f"Flag: {flag}" for flag in draft.flags)
    if draft.link:
        lines.append(f"Link: {draft.link}")
    lines += ["", draft.message, ""]
    return "\n".join(lines)


@pytest.mark.parametrize("case", sorted(CASES))
def test_drafts_match_golden(case: str) -> None:
    sender, overrides = CASES[case]
    text = render_case(sender, overrides)
    path = GOLDEN / f"{case}.txt"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with OUTREACH_UPDATE_GOLDENS=1"
    assert text == path.read_text(encoding="utf-8")


def test_goldens_cover_every_channel_and_step() -> None:
    seen = set()
    for sender, overrides in CASES.values():
        seen |= {
            (d.channel, d.step)
            for d in draft_for_contact({**BASE, **overrides}, sender, Templates())
        }
    channels = {"LinkedIn note", "LinkedIn message", "Email"}
    assert {c for c, _ in seen} == channels
    assert {s for _, s in seen} == {"First message", "Follow-up", "Thank-you"}
    assert {c for c, s in seen if s == "First message"} == channels


def test_no_golden_file_is_left_over() -> None:
    assert {p.stem for p in GOLDEN.glob("*.txt")} == set(CASES)


def _reading_problems(draft: Draft, person: dict[str, object], sender: Sender) -> list[str]:
    """Return what a careful reader would trip over in a draft: glued sentences, repeats."""
    text = draft.message
    for data in (person.get("company"), person.get("title"), sender.intro, sender.school):
        if data:
            text = text.replace(str(data), "DATA")
    problems = []
    if re.search(r"[a-z][.!?,;:][A-Za-z]", text):
        problems.append("sentences glued together")
    if re.search(r"[,.;:!?]{2}| [,.;:!?]", text.replace("...", "")):
        problems.append("doubled or loose punctuation")
    if re.search(r"\b(\w+) \1\b", text, re.IGNORECASE):
        problems.append("a word twice in a row")
    if text.count("I'd love") > 1:
        problems.append("'I'd love' twice")
    company = str(person.get("company") or "")
    if draft.step == "First message" and len(company) > 2 and draft.message.count(company) > 1:
        problems.append("the employer named twice")
    return problems


def test_drafts_read_cleanly() -> None:
    people = [(sender, {**BASE, **overrides}) for sender, overrides in CASES.values()]
    for sender in (STUDENT, CHANGER, dataclasses.replace(STUDENT, plan="premium")):
        for person in sample_contacts(150):
            for channel in (
                {},
                {"is_connection": True},
                {"email": "x@example.com"},
                {"is_connection": True, "in_conversation": True},
                {"invited": True},
            ):
                people.append((sender, {**person, **channel}))
    problems, templates = [], Templates()
    for sender, person in people:
        for draft in draft_for_contact(person, sender, templates):
            problems += [
                f"{p}: {draft.message!r}" for p in _reading_problems(draft, person, sender)
            ]
    assert problems == [], "\n".join(problems[:10])
