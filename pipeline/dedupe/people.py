"""Survivorship: one row per person, each field taken from the source that knows it best."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pipeline.ingest.linkedin import LinkedInContext
from pipeline.normalize.values import fold, linkedin_slug

# LinkedIn is where people keep their current job and name; alumni data knows school and year.
LINKEDIN_FIRST = (
    "display_name",
    "first",
    "last",
    "middle",
    "suffix",
    "nick",
    "title",
    "company",
    "company_key",
    "linkedin_url",
    "linkedin_slug",
    "connected_on",
    "industry",
)
ALUMNI_FIRST = ("school", "grad_year", "degree", "major", "location", "city", "maiden", "phone")


def build_people(
    records: pd.DataFrame,
    merge_notes: Mapping[int, list[str]],
    context: LinkedInContext,
) -> pd.DataFrame:
    """Return one row per person with the surviving value of each field and its provenance."""
    frame = records.copy()
    frame["_from_linkedin"] = frame["source"].eq("connection")
    order_linkedin = frame.sort_values(
        ["person", "_from_linkedin", "src", "row"], ascending=[True, False, True, True]
    )
    order_alumni = frame.sort_values(
        ["person", "_from_linkedin", "src", "row"], ascending=[True, True, True, True]
    )
    people = pd.DataFrame(index=pd.Index(np.sort(frame["person"].unique()), name="person"))
    people = people.join(_first_non_empty(order_linkedin, LINKEDIN_FIRST))
    people = people.join(_first_non_empty(order_alumni, ALUMNI_FIRST))

    grouped = frame.groupby("person", sort=True)
    people["is_connection"] = grouped["_from_linkedin"].any()
    alum_rows = frame["source"].eq("alumni")
    people["is_alum"] = (
        alum_rows.groupby(frame["person"]).any().reindex(people.index, fill_value=False)
    )
    people["emails"] = grouped["emails"].agg(_join_unique)
    people["email"] = people["emails"].str.split(";").str[0].str.strip().fillna("")
    people["email_opt_out"] = grouped["email_opt_out"].any()
    ordered = frame.sort_values(["person", "src", "row"])
    people["sources"] = (
        (ordered["file"] + ":" + ordered["row"].astype(str))
        .groupby(ordered["person"])
        .agg("; ".join)
    )
    people["n_records"] = grouped.size()
    people["merge_note"] = [
        "; ".join(dict.fromkeys(merge_notes.get(int(p), []))) for p in people.index
    ]
    people["record_keys"] = grouped["record_key"].agg(lambda keys: "; ".join(dict.fromkeys(keys)))
    _mark_conversations(people, context)
    people["match_keys"] = _match_keys(people)
    return people.reset_index()


def _first_non_empty(ordered: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Per person, the first value of each column that is not empty, in the given order."""
    subset = ordered[["person", *columns]].copy()
    for column in columns:
        if subset[column].dtype == object or str(subset[column].dtype).startswith("str"):
            subset[column] = subset[column].replace("", np.nan)
    first = subset.groupby("person", sort=True).first()
    for column in columns:
        if column != "grad_year":
            first[column] = first[column].fillna("").astype(str)
    if "grad_year" in first:
        first["grad_year"] = first["grad_year"].astype("Int64")
    return first


def _join_unique(values: pd.Series) -> str:
    seen: dict[str, None] = {}
    for value in values:
        for part in str(value).split(";"):
            part = part.strip()
            if part:
                seen[part] = None
    return "; ".join(seen)


def _mark_conversations(people: pd.DataFrame, context: LinkedInContext) -> None:
    """Flag people the user already talks to on LinkedIn, and people with a pending invitation."""
    talk_slugs = {
        linkedin_slug(u): d for u, d in context.conversation_urls.items() if linkedin_slug(u)
    }
    talk_names = {fold(n): d for n, d in context.conversation_names.items() if fold(n)}
    invited_slugs = {linkedin_slug(u) for u in context.invited_urls} - {""}
    invited_names = {fold(n) for n in context.invited_names} - {""}
    names = (people["first"] + " " + people["last"]).map(fold)
    slugs = people["linkedin_slug"]
    by_slug = slugs.map(talk_slugs).astype(object)
    # A name alone only counts for connections: a conversation partner is a 1st-degree contact.
    by_name = names.map(talk_names).astype(object).where(people["is_connection"])
    people["last_message"] = by_slug.fillna(by_name).fillna("").astype(str)
    people["in_conversation"] = people["last_message"].ne("")
    invited = slugs.isin(invited_slugs) | (names.isin(invited_names) & ~people["is_connection"])
    people["invited"] = invited & ~people["is_connection"]


def _match_keys(people: pd.DataFrame) -> pd.Series:
    """Identifiers that carry a person's Contact ID from run to run."""
    keys = []
    for slug, emails, first, last, year, company in zip(
        people["linkedin_slug"],
        people["emails"],
        people["first"],
        people["last"],
        people["grad_year"],
        people["company_key"],
        strict=True,
    ):
        person_keys = []
        if slug:
            person_keys.append(f"li:{slug}")
        person_keys.extend(f"em:{e.strip()}" for e in emails.split(";") if e.strip())
        name = f"{fold(first)} {fold(last)}".strip()
        if name:
            if pd.notna(year):
                person_keys.append(f"ny:{name}|{year}")
            if company:
                person_keys.append(f"nc:{name}|{company}")
        keys.append("; ".join(person_keys))
    return pd.Series(keys, index=people.index)
