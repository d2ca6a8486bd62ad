"""Drafts: a short, personal message per contact on the right channel, within its limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.drafts.context import build_context, field_phrase
from pipeline.drafts.lint import (
    flag_duplicates,
    lint_message,
    mailto_link,
    measure,
    over_limit,
)
from pipeline.drafts.model import (
    EMAIL,
    FIRST,
    FOLLOW_UP,
    FREE_NOTES_PER_MONTH,
    MESSAGE,
    NOTE,
    SUBJECT_LIMIT,
    THANK_YOU,
    Draft,
    Sender,
    channel_limit,
    text_fingerprint,
)
from pipeline.drafts.templates import TEMPLATE_NAMES, VARIABLES, Templates

__all__ = [
    "EMAIL",
    "FIRST",
    "FOLLOW_UP",
    "MESSAGE",
    "NOTE",
    "TEMPLATE_NAMES",
    "THANK_YOU",
    "VARIABLES",
    "Draft",
    "Sender",
    "Templates",
    "choose_channel",
    "draft_for_contact",
    "field_phrase",
    "lint_message",
    "mailto_link",
    "plan_drafts",
    "recheck_edited",
    "text_fingerprint",
]

_CHANNEL_WORD = {NOTE: "note", MESSAGE: "message", EMAIL: "email"}
_STEP_WORD = {FIRST: "first", FOLLOW_UP: "follow_up", THANK_YOU: "thank_you"}
_NOT_STARTED = {"", "to contact"}


def choose_channel(contact: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Pick the channel for the first message and say why, when it is not the obvious one."""
    notes: list[str] = []
    email_ok = bool(contact.get("email")) and not contact.get("email_opt_out")
    if contact.get("is_connection") or contact.get("in_conversation"):
        return MESSAGE, notes
    if email_ok:
        return EMAIL, notes
    if contact.get("invited"):
        notes.append(
            "your invitation is still pending: send this once they accept (LinkedIn allows no "
            "second note)"
        )
        return MESSAGE, notes
    if contact.get("linkedin_url"):
        return NOTE, notes
    if contact.get("email") and contact.get("email_opt_out"):
        notes.append("opted out of email and has no LinkedIn profile: find another way in")
    return "", notes


def _steps(contact: Mapping[str, Any], channel: str) -> list[tuple[str, str, str, list[str]]]:
    """Each step's channel, template and notes, following the first message's channel."""
    if channel == NOTE:
        first = "linkedin_note"
    elif channel == EMAIL:
        first = "email"
    else:
        first = "recontact" if contact.get("in_conversation") else "linkedin_message"
    if channel == NOTE:
        follow_up = (
            MESSAGE,
            "follow_up_after_note",
            [
                "send after they accept your invitation; if they have not accepted, let it be "
                "(a second invitation is not possible for about 3 weeks)"
            ],
        )
    else:
        follow_up = (channel, "follow_up", [])
    return [
        (FIRST, channel, first, []),
        (FOLLOW_UP, *follow_up),
        (THANK_YOU, EMAIL if channel == EMAIL else MESSAGE, "thank_you", []),
    ]


def _render_fitting(
    templates: Templates,
    name: str,
    context: Mapping[str, Any],
    seed: str,
    limit: int,
    unit: str,
) -> tuple[str, str, list[str]]:
    """Use the long form when it fits, else the short, else the short made compact; never cut.

    `compact` is true only on the last try, so a template can drop what it can spare (a class
    year, a role); a text that still does not fit is flagged, not cut.
    """
    for form, compact in (("long", False), ("short", False), ("short", True)):
        text = templates.render(name, form, {**context, "compact": compact}, seed)
        if measure(text, unit) <= limit:
            return text, form, []
    return text, "short", [over_limit(text, limit, unit)]


def draft_for_contact(
    contact: Mapping[str, Any], sender: Sender, templates: Templates
) -> list[Draft]:
    """Return the first message, follow-up and thank-you for one contact, on its channel."""
    channel, channel_notes = choose_channel(contact)
    if not channel:
        return []
    contact_id = str(contact["contact_id"])
    name = str(contact.get("display_name") or contact.get("email") or "")
    email = str(contact.get("email") or "")
    field = field_phrase(sender.field_label, sender.field_label)
    drafts: list[Draft] = []
    first_subject = ""
    for step, step_channel, template, step_notes in _steps(contact, channel):
        context, fallbacks = build_context(contact, sender, field, _CHANNEL_WORD[step_channel])
        context["step"] = _STEP_WORD[step]
        limit, unit = channel_limit(step_channel, sender.plan)
        message, form, flags = _render_fitting(
            templates, template, context, contact_id, limit, unit
        )
        used = set(templates.variables(template, form))
        subject = ""
        if step_channel == EMAIL:
            subject, subject_form, _ = _render_fitting(
                templates, "email_subject", context, contact_id, SUBJECT_LIMIT, "characters"
            )
            used |= templates.variables("email_subject", subject_form)
            if step == FIRST:
                first_subject = subject
            elif step == FOLLOW_UP and first_subject:
                subject = f"Re: {first_subject}"  # the follow-up belongs in the same thread
            subject_flag = over_limit(subject, SUBJECT_LIMIT, "characters")
            flags.extend([f"subject {subject_flag}"] if subject_flag else [])
        # The contact's own words, which lint must not read as asks ('Hiring Manager').
        quoted = tuple(
            str(context[key])
            for key in ("company", "title", "name", "first_name")
            if context[key] and key not in fallbacks
        )
        draft = Draft(
            contact_id=contact_id,
            name=name,
            channel=step_channel,
            step=step,
            subject=subject,
            message=message,
            limit=limit,
            limit_unit=unit,
            flags=[
                *flags,
                *dict.fromkeys(why for key, why in fallbacks.items() if key in used),
                *(channel_notes if step == FIRST else []),
                *step_notes,
            ],
            quoted=quoted,
            address=email if step_channel == EMAIL else "",
        )
        if step == THANK_YOU:
            draft.flags.append("add one thing they said that stuck with you before sending")
        if draft.address:
            draft.link, link_flag = mailto_link(email, subject, message)
            if link_flag:
                draft.flags.append(link_flag)
        draft.flags.extend(lint_message(f"{subject}\n{message}", quoted))
        drafts.append(draft)
    return drafts


def plan_drafts(
    contacts: pd.DataFrame, sender: Sender, templates: Templates, top: int
) -> list[Draft]:
    """Return drafts for the best `top` contacts; flag copies and notes past the free quota."""
    drafts: list[Draft] = []
    notes_to_send = 0
    for contact in contacts.head(top).to_dict("records"):
        planned = draft_for_contact(contact, sender, templates)
        first = planned[0] if planned else None
        if first is not None and first.channel == NOTE and _not_started(contact):
            notes_to_send += 1
            if sender.plan == "free" and notes_to_send > FREE_NOTES_PER_MONTH:
                month = (notes_to_send - 1) // FREE_NOTES_PER_MONTH + 1
                first.flags.append(
                    f"note {notes_to_send} in rank order: a free account adds a note to about "
                    f"{FREE_NOTES_PER_MONTH} invitations a month, so send it in month {month} "
                    "or connect without a note"
                )
        drafts.extend(planned)
    flag_duplicates(drafts)
    return drafts


def _not_started(contact: Mapping[str, Any]) -> bool:
    status = contact.get("Status")
    if status is None or (isinstance(status, float) and pd.isna(status)):
        return True
    return str(status).strip().lower() in _NOT_STARTED


def recheck_edited(drafts: Sequence[Draft], plan: str) -> list[Draft]:
    """Check the user's edited drafts like generated ones: limit, job asks, placeholders, copies."""
    result = list(drafts)
    for draft in result:
        if not draft.generated:
            continue
        draft.limit, draft.limit_unit = channel_limit(draft.channel, plan)
        flag = over_limit(draft.message, draft.limit, draft.limit_unit)
        draft.flags.extend([flag] if flag else [])
        draft.flags.extend(lint_message(f"{draft.subject}\n{draft.message}", draft.quoted))
        if draft.address:
            # The link must open the text the user wrote, not the one generated before.
            draft.link, link_flag = mailto_link(draft.address, draft.subject, draft.message)
            draft.flags.extend([link_flag] if link_flag else [])
        twin = next(
            (
                other
                for other in result
                if other is not draft
                and other.step == draft.step
                and other.contact_id != draft.contact_id
                and other.message == draft.message
            ),
            None,
        )
        if twin is not None:
            draft.flags.append(f"same text as the draft for {twin.name}: make it personal")
    return result
