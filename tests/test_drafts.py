"""Drafts: the right channel, within its limit, strict templates, no job asks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.drafts import (
    EMAIL,
    MESSAGE,
    NOTE,
    Sender,
    Templates,
    choose_channel,
    draft_for_contact,
    lint_message,
    mailto_link,
)
from pipeline.errors import TemplateError

SENDER = Sender(
    name="Alex Rivera",
    intro="a senior studying statistics",
    field_label="Data Science",
    school="Northfield University",
    grad_year=2026,
)


def contact(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "contact_id": "C1", "display_name": "Maya Chen", "first": "Maya", "nick": "",
        "title": "Senior Data Scientist", "company": "Spotify", "email": "",
        "email_opt_out": False, "linkedin_url": "https://www.linkedin.com/in/maya",
        "is_connection": False, "is_alum": True, "in_conversation": False, "invited": False,
        "grad_year": 2019, "company_is_target": True,
    }  # fmt: skip
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("overrides", "channel"),
    [
        ({}, NOTE),
        ({"is_connection": True}, MESSAGE),
        ({"email": "maya@x.com"}, EMAIL),
        ({"email": "maya@x.com", "email_opt_out": True}, NOTE),
        ({"linkedin_url": "", "email": ""}, ""),
    ],
)
def test_channel_choice(overrides: dict, channel: str) -> None:
    assert choose_channel(contact(**overrides))[0] == channel


def test_note_fits_free_plan_limit_and_is_personal() -> None:
    drafts = draft_for_contact(contact(), SENDER, Templates())
    note = drafts[0]
    assert note.channel == NOTE
    assert note.characters <= 200
    assert "Maya" in note.message and "Northfield" in note.message
    assert not note.flags
    assert [d.step for d in drafts] == ["First message", "Follow-up", "Thank-you"]
    assert drafts[1].channel == MESSAGE  # after a note is accepted, they can be messaged


def test_email_has_subject_link_and_word_limit() -> None:
    drafts = draft_for_contact(contact(email="maya@x.com"), SENDER, Templates())
    first = drafts[0]
    assert first.channel == EMAIL
    assert first.subject and len(first.subject) <= 80
    assert len(first.message.split()) <= 120
    assert first.link.startswith("mailto:maya@x.com?subject=")
    assert unquote(first.link.split("body=")[1]) == first.message.replace("\n", "\r\n")


def test_no_first_name_falls_back_and_says_so() -> None:
    drafts = draft_for_contact(contact(first="", display_name=""), SENDER, Templates())
    assert drafts[0].message.startswith("Hi there")
    assert any("no first name" in flag for flag in drafts[0].flags)


def test_mailto_too_long_keeps_subject_only() -> None:
    link, flag = mailto_link("a@b.co", "Hello there", "word " * 800)
    assert link == "mailto:a@b.co?subject=Hello%20there"
    assert "too long" in flag


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Could you refer me to the team?", True),
        ("I'd love to share my résumé.", True),
        ("Are you hiring?", True),
        ("Hi [Name], lovely to meet you", True),
        ("Hi {{ first_name }}", True),
        ("Would you share how you got into data science?", False),
    ],
)
def test_lint_flags(text: str, flagged: bool) -> None:
    assert bool(lint_message(text)) is flagged


def test_unknown_variable_in_user_template_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "email.long.j2").write_text(
        "Hi {{ first_name }},\n\nI saw your talk at {{ conference }}.\n", encoding="utf-8"
    )
    with pytest.raises(TemplateError) as error:
        Templates(tmp_path)
    message = str(error.value)
    assert "email.long.j2:3" in message
    assert "unknown variable 'conference'" in message
    assert "first_name" in message  # the list of available variables


def test_user_template_overrides_one_file(tmp_path: Path) -> None:
    (tmp_path / "linkedin_note.long.j2").write_text(
        "Hello {{ first_name }}! {{ shared_context }}.", encoding="utf-8"
    )
    note = draft_for_contact(contact(), SENDER, Templates(tmp_path))[0]
    assert note.message.startswith("Hello Maya! ")


names = st.text(st.characters(categories=["L", "Zs", "So"]), max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    first=names,
    title=st.text(max_size=120),
    company=st.text(max_size=120),
    email=st.sampled_from(["", "someone@example.com"]),
    connection=st.booleans(),
    alum=st.booleans(),
    plan=st.sampled_from(["free", "premium"]),
)
def test_every_draft_fits_or_is_flagged(first, title, company, email, connection, alum, plan):
    sender = Sender(name="Alex Rivera", intro="a student", field_label="Data Science",
                    school="Northfield University", plan=plan)  # fmt: skip
    person = contact(first=first, title=title, company=company, email=email,
                     is_connection=connection, is_alum=alum)  # fmt: skip
    for draft in draft_for_contact(person, sender, Templates()):
        size = len(draft.message.split()) if draft.limit_unit == "words" else draft.characters
        assert size <= draft.limit or any("over the limit" in f for f in draft.flags)
        assert "{{" not in draft.message and "{%" not in draft.message
