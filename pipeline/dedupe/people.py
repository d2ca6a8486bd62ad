"""Survivorship: one row per person, each field taken from the source that knows it best."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
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

IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]


def _map_unique(values: ObjArray, func: Callable[[str], str]) -> ObjArray:
    codes, uniques = pd.factorize(values)
    mapped = np.array([func(u) for u in uniques] + [""], dtype=object)
    return mapped[codes]


def _first_values(
    values: np.ndarray, known: npt.NDArray[np.bool_], order: IntArray, person: IntArray, size: int
) -> tuple[IntArray, np.ndarray]:
    """Pick per person the first known value in the given record order: (people, values)."""
    ordered = order[known[order]]
    owners = person[ordered]
    first = (
        np.flatnonzero(np.concatenate([[True], owners[1:] != owners[:-1]]))
        if len(owners)
        else owners
    )
    return owners[first], values[ordered[first]]


def _survivors(
    frame: pd.DataFrame, columns: tuple[str, ...], order: IntArray, person: IntArray, size: int
) -> dict[str, object]:
    """Pick the surviving value of each column: the first non-empty one in the given order."""
    result: dict[str, object] = {}
    for column in columns:
        series = frame[column]
        if column == "grad_year":
            values = series.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
            owners, chosen = _first_values(values, ~np.isnan(values), order, person, size)
            out = np.full(size, np.nan)
            out[owners] = chosen
            result[column] = pd.array(out, dtype="Float64").astype("Int64")
            continue
        values = series.to_numpy(dtype=object, na_value="")
        owners, chosen = _first_values(values, values != "", order, person, size)
        text = np.full(size, "", dtype=object)
        text[owners] = chosen
        result[column] = text
    return result


def _join_per_person(values: ObjArray, person: IntArray, size: int, split: bool) -> ObjArray:
    """Join each person's values with '; ' (in record order, each once); singletons as they are."""
    counts = np.bincount(person, minlength=size)
    out = np.full(size, "", dtype=object)
    single = counts[person] == 1
    out[person[single]] = values[single]
    multi = np.flatnonzero(~single)
    joined: dict[int, dict[str, None]] = {}
    for owner, value in zip(person[multi].tolist(), values[multi].tolist(), strict=True):
        seen = joined.setdefault(owner, {})
        for part in value.split(";") if split else (value,):
            part = part.strip()
            if part:
                seen[part] = None
    for owner, seen in joined.items():
        out[owner] = "; ".join(seen)
    return out


def build_people(
    records: pd.DataFrame,
    merge_notes: pd.Series,
    context: LinkedInContext,
) -> pd.DataFrame:
    """Return one row per person with the surviving value of each field and its provenance."""
    person = records["person"].to_numpy(dtype=np.int64)
    size = int(person.max()) + 1 if len(person) else 0
    from_linkedin = records["source"].eq("connection").to_numpy()
    src = records["src"].to_numpy(dtype=np.int64)
    row = records["row"].to_numpy(dtype=np.int64)
    linkedin_first = np.lexsort((row, src, ~from_linkedin, person))
    alumni_first = np.lexsort((row, src, from_linkedin, person))
    people = pd.DataFrame(index=pd.RangeIndex(size, name="person"))
    for column, values in _survivors(records, LINKEDIN_FIRST, linkedin_first, person, size).items():
        people[column] = values
    for column, values in _survivors(records, ALUMNI_FIRST, alumni_first, person, size).items():
        people[column] = values

    counts = np.bincount(person, minlength=size)
    people["is_connection"] = np.bincount(person, weights=from_linkedin, minlength=size) > 0
    alumni = records["source"].eq("alumni").to_numpy()
    people["is_alum"] = np.bincount(person, weights=alumni, minlength=size) > 0
    in_order = np.lexsort((row, src, person))
    emails = records["emails"].fillna("").to_numpy(dtype=object)
    people["emails"] = _join_per_person(emails[in_order], person[in_order], size, split=True)
    people["email"] = [e.split(";", 1)[0].strip() for e in people["emails"].tolist()]
    opt_out = records["email_opt_out"].astype(bool).to_numpy()
    people["email_opt_out"] = np.bincount(person, weights=opt_out, minlength=size) > 0
    where = (records["file"] + ":" + records["row"].astype(str)).to_numpy(dtype=object)
    people["sources"] = _join_per_person(where[in_order], person[in_order], size, split=False)
    people["n_records"] = counts
    people["merge_note"] = merge_notes.reindex(people.index).fillna("").astype(str).to_numpy()
    keys = records["record_key"].to_numpy(dtype=object)
    people["record_keys"] = _join_per_person(keys[in_order], person[in_order], size, split=False)
    _mark_conversations(people, context)
    people["match_keys"] = _join_per_person(
        _record_match_keys(records)[in_order], person[in_order], size, split=True
    )
    return people.reset_index()


def _mark_conversations(people: pd.DataFrame, context: LinkedInContext) -> None:
    """Flag people the user already talks to on LinkedIn, and people with a pending invitation."""
    talk_slugs = {
        linkedin_slug(u): d for u, d in context.conversation_urls.items() if linkedin_slug(u)
    }
    talk_names = {fold(n): d for n, d in context.conversation_names.items() if fold(n)}
    invited_slugs = {linkedin_slug(u) for u in context.invited_urls} - {""}
    invited_names = {fold(n) for n in context.invited_names} - {""}
    full = people["first"].to_numpy(dtype=object) + " " + people["last"].to_numpy(dtype=object)
    names = pd.Series(_map_unique(full, fold), index=people.index)
    slugs = people["linkedin_slug"]
    by_slug = slugs.map(talk_slugs).astype(object)
    # A name alone only counts for connections: a conversation partner is a 1st-degree contact.
    by_name = names.map(talk_names).astype(object).where(people["is_connection"])
    people["last_message"] = by_slug.fillna(by_name).fillna("").astype(str)
    people["in_conversation"] = people["last_message"].ne("")
    invited = slugs.isin(invited_slugs) | (names.isin(invited_names) & ~people["is_connection"])
    people["invited"] = invited & ~people["is_connection"]


def _record_match_keys(records: pd.DataFrame) -> ObjArray:
    """List each record's identifiers ('li:…; em:…; ny:name|year; nc:name|company').

    A person gets the keys of all their records, so their Contact ID survives as long as any
    one of them does: a new email, a job change or a dropped connection keeps the id.
    """
    slug = records["linkedin_slug"].to_numpy(dtype=object, na_value="")
    emails = records["emails"].to_numpy(dtype=object, na_value="")
    name = (
        records["first_key"].to_numpy(dtype=object)
        + " "
        + records["last_key"].to_numpy(dtype=object)
    )
    year_codes, years = pd.factorize(
        records["grad_year"].astype("Float64").to_numpy(na_value=np.nan)
    )
    year = np.array([str(int(y)) for y in years] + [""], dtype=object)[year_codes]
    company = records["company_key"].to_numpy(dtype=object, na_value="")
    named = np.array([n.strip() != "" for n in name.tolist()], dtype=bool)
    li = np.where(slug != "", "li:" + slug, "")
    em = np.where(emails != "", "em:" + emails, "")
    several = np.flatnonzero(np.array([";" in e for e in emails.tolist()], dtype=bool))
    em[several] = [e.replace("; ", "; em:") for e in em[several].tolist()]
    ny = np.where(named & (year != ""), "ny:" + name + "|" + year, "")
    nc = np.where(named & (company != ""), "nc:" + name + "|" + company, "")
    keys = li.astype(object)
    for part in (em, ny, nc):
        keys = np.where(keys == "", part, np.where(part == "", keys, keys + "; " + part))
    return keys.astype(object)
