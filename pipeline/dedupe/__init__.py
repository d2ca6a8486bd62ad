"""Dedupe: find the records that are one person; merge on proof, flag on suspicion, explain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.dedupe.nicknames import name_groups, same_given_name
from pipeline.dedupe.unionfind import ConstrainedUnionFind

# Past this many records, one name block ('smith|john' in a million alumni) is only compared
# within its company or class year; comparing everyone with everyone would be quadratic.
MAX_BLOCK = 400
COMPANY_MATCH = 90
REVIEW_LIMIT = 5000
REVIEW_COLUMNS = (
    "key_a",
    "key_b",
    "name_a",
    "where_a",
    "name_b",
    "where_b",
    "similarity",
    "evidence",
    "outcome",
)


@dataclass
class DedupeResult:
    """Each record's person number, the pairs a human should see, and why people were merged."""

    records: pd.DataFrame
    review: pd.DataFrame
    merge_notes: dict[int, list[str]] = field(default_factory=dict)
    review_truncated: int = 0


def record_keys(frame: pd.DataFrame) -> pd.Series:
    """A key per record that survives re-exports: file plus profile, email or name and context."""
    first_email = frame["emails"].str.split(";").str[0].str.strip()
    name = frame["first_key"] + " " + frame["last_key"]
    by_name = (
        "nm:"
        + name
        + "|"
        + frame["company_key"]
        + "|"
        + frame["grad_year"].astype("string").fillna("")
    )
    identity = np.where(
        frame["linkedin_slug"].ne(""),
        "li:" + frame["linkedin_slug"],
        np.where(first_email.ne(""), "em:" + first_email, by_name),
    )
    return frame["file"] + "|" + pd.Series(identity, index=frame.index)


def find_people(
    records: pd.DataFrame, decisions: Mapping[tuple[str, str], str] | None = None
) -> DedupeResult:
    """Cluster records into people: proofs, then corroborated name matches, then user decisions."""
    frame = records.reset_index(drop=True).copy()
    if frame.empty:
        frame["record_key"] = pd.Series(dtype=object)
        frame["person"] = pd.Series(dtype="int64")
        return DedupeResult(records=frame, review=pd.DataFrame(columns=list(REVIEW_COLUMNS)))
    frame["record_key"] = record_keys(frame)
    decisions = decisions or {}
    size = len(frame)
    union = ConstrainedUnionFind(frame["linkedin_slug"].tolist())
    notes: dict[int, list[str]] = {}

    key_index: dict[str, list[int]] = {}
    for position, key in enumerate(frame["record_key"]):
        key_index.setdefault(key, []).append(position)
    for (key_a, key_b), decision in decisions.items():
        if decision == "separate":
            for a in key_index.get(key_a, []):
                for b in key_index.get(key_b, []):
                    union.forbid(a, b)

    _union_groups(union, frame["linkedin_slug"], "same LinkedIn profile", notes, frame)
    emails = frame["emails"].str.split(";").explode().str.strip()
    emails = emails[emails.ne("")]
    _union_groups(union, emails, "same email", notes, frame)

    pairs = candidate_pairs(frame)
    review_rows: list[dict[str, object]] = []
    if len(pairs):
        judged = judge_pairs(frame, pairs)
        for row in judged.itertuples(index=False):
            a, b = int(row.a), int(row.b)
            if row.outcome == "merged":
                if union.union(a, b):
                    notes.setdefault(a, []).append(row.evidence)
                    if not row.exact:
                        review_rows.append(_review_row(frame, a, b, row, "merged"))
            elif row.outcome == "review" and union.find(a) != union.find(b):
                review_rows.append(_review_row(frame, a, b, row, "not merged"))

    for (key_a, key_b), decision in decisions.items():
        if decision != "merge":
            continue
        for a in key_index.get(key_a, []):
            for b in key_index.get(key_b, []):
                if union.union(a, b):
                    notes.setdefault(a, []).append("merged by your decision in Review")

    roots = np.array([union.find(i) for i in range(size)], dtype=np.int64)
    _, person = np.unique(roots, return_inverse=True)
    frame["person"] = person
    merge_notes: dict[int, list[str]] = {}
    for record, texts in notes.items():
        merge_notes.setdefault(int(person[record]), []).extend(texts)
    review = pd.DataFrame(review_rows, columns=[*REVIEW_COLUMNS, "a", "b"])
    truncated = max(0, len(review) - REVIEW_LIMIT)
    if truncated:
        review = review.sort_values("similarity", ascending=False).head(REVIEW_LIMIT)
    review = _apply_decisions_to_review(review, frame, person)
    return DedupeResult(
        records=frame, review=review, merge_notes=merge_notes, review_truncated=truncated
    )


def _union_groups(
    union: ConstrainedUnionFind,
    keys: pd.Series,
    reason: str,
    notes: dict[int, list[str]],
    frame: pd.DataFrame,
) -> None:
    """Union every record sharing a non-empty key (a profile slug or an email address)."""
    keys = keys[keys.astype(str).ne("")]
    if keys.empty:
        return
    grouped = pd.Series(keys.index, index=keys.to_numpy()).groupby(level=0).agg(list)
    for key, members in grouped.items():
        members = sorted(set(members))
        if len(members) < 2:
            continue
        first = members[0]
        for other in members[1:]:
            if union.union(first, other, proof=True):
                notes.setdefault(first, []).append(f"{reason} ({key})")


def candidate_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Pairs of records that share a surname (or maiden name) and a compatible given name."""
    first_groups = {key: sorted(name_groups(key)) for key in frame["first_key"].unique()}
    entries = pd.DataFrame(
        {
            "i": frame.index.to_numpy(),
            "first": frame["first_key"].map(first_groups),
            "last": [
                _surname_variants(last, maiden)
                for last, maiden in zip(frame["last_key"], frame["maiden_key"], strict=True)
            ],
        }
    )
    entries = entries[entries["first"].map(len).gt(0) & entries["last"].map(len).gt(0)]
    entries = entries.explode("first").explode("last")
    entries["block"] = entries["last"] + "|" + entries["first"]
    initials = _initial_entries(frame, entries)
    entries = pd.concat([entries[["i", "block"]], initials], ignore_index=True)
    entries = entries.drop_duplicates()
    sizes = entries.groupby("block")["i"].transform("size")
    small = entries[sizes.between(2, MAX_BLOCK)]
    pairs = small.merge(small, on="block", suffixes=("_a", "_b"))
    pairs = pairs[pairs["i_a"] < pairs["i_b"]]
    big = entries[sizes.gt(MAX_BLOCK)]
    if len(big):
        context = frame["company_key"].where(
            frame["company_key"].ne(""), frame["grad_year"].astype("string").fillna("")
        )
        big = big.assign(sub=big["block"] + "#" + context.reindex(big["i"]).to_numpy())
        big = big[context.reindex(big["i"]).ne("").to_numpy()]
        sub_pairs = big.merge(big, on="sub", suffixes=("_a", "_b"))
        sub_pairs = sub_pairs[sub_pairs["i_a"] < sub_pairs["i_b"]]
        pairs = pd.concat([pairs, sub_pairs[["i_a", "i_b"]]], ignore_index=True)
    pairs = pairs[["i_a", "i_b"]].drop_duplicates()
    return pairs.rename(columns={"i_a": "a", "i_b": "b"}).reset_index(drop=True)


def _surname_variants(last: str, maiden: str) -> list[str]:
    """Blocking keys for a surname: whole, each part of a double name, and a maiden name."""
    variants = []
    for name in (last, maiden):
        if not name:
            continue
        tokens = name.split()
        variants.append("".join(tokens))
        if len(tokens) > 1:
            variants.extend(t for t in tokens if len(t) >= 3 and t not in _PARTICLES)
    return list(dict.fromkeys(variants))


_PARTICLES = {"van", "von", "der", "den", "del", "de", "la", "le", "da", "di", "dos", "das", "du"}


def _initial_entries(frame: pd.DataFrame, entries: pd.DataFrame) -> pd.DataFrame:
    """Let 'J. Smith' meet every Smith whose given name starts with J (and only those)."""
    first = frame["first_key"].str.split().str[0].fillna("")
    is_initial = first.str.len().eq(1)
    if not is_initial.any():
        return pd.DataFrame(columns=["i", "block"])
    lasts = frame["last_key"].str.replace(" ", "", regex=False)
    wanted = set(lasts[is_initial] + "|*" + first[is_initial])
    keys = lasts + "|*" + first.str[:1]
    keep = keys.isin(wanted) & first.ne("")
    return pd.DataFrame({"i": frame.index[keep], "block": keys[keep].to_numpy()})


def judge_pairs(frame: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Decide each name-matched pair: merge with corroboration, review without, skip on conflict."""
    a = frame.loc[pairs["a"]].reset_index(drop=True)
    b = frame.loc[pairs["b"]].reset_index(drop=True)
    exact = (
        a["first_key"].eq(b["first_key"]).to_numpy() & a["last_key"].eq(b["last_key"]).to_numpy()
    )
    names_a = (a["first_key"] + " " + a["last_key"]).tolist()
    names_b = (b["first_key"] + " " + b["last_key"]).tolist()
    similarity = process.cpdist(names_a, names_b, scorer=fuzz.token_sort_ratio)

    slug_conflict = (
        a["linkedin_slug"].ne("")
        & b["linkedin_slug"].ne("")
        & a["linkedin_slug"].ne(b["linkedin_slug"])
    ).to_numpy()
    year_a, year_b = a["grad_year"].astype("Float64"), b["grad_year"].astype("Float64")
    years_known = (year_a.notna() & year_b.notna()).to_numpy(dtype=bool)
    year_gap = (year_a - year_b).abs().fillna(0).to_numpy(dtype=float)
    year_conflict = years_known & (year_gap > 1)
    same_year = years_known & (year_gap == 0)

    companies_known = (a["company_key"].ne("") & b["company_key"].ne("")).to_numpy()
    company_score = np.zeros(len(a))
    if companies_known.any():
        company_score[companies_known] = process.cpdist(
            a.loc[companies_known, "company_key"].tolist(),
            b.loc[companies_known, "company_key"].tolist(),
            scorer=fuzz.token_set_ratio,
        )
    same_company = companies_known & (company_score >= COMPANY_MATCH)
    city_a = a["city"].str.lower()
    same_city = (city_a.ne("") & city_a.eq(b["city"].str.lower())).to_numpy()
    email_hint = _email_hint(a, b) | _email_hint(b, a)

    corroborated = same_company | same_year | email_hint | (exact & same_city)
    # Blocking is generous (nickname groups, translations); the pair itself must hold up.
    compatible = _compatible_given_names(a["first_key"], b["first_key"])
    conflict = slug_conflict | year_conflict | ~compatible
    outcome = np.where(conflict, "separate", np.where(corroborated, "merged", "review"))

    evidence = [
        ""
        if outcome[k] == "separate"
        else _evidence(
            a.iloc[k],
            b.iloc[k],
            exact=bool(exact[k]),
            same_company=bool(same_company[k]),
            same_year=bool(same_year[k]),
            email_hint=bool(email_hint[k]),
            same_city=bool(same_city[k]),
        )
        for k in range(len(a))
    ]
    return pd.DataFrame(
        {
            "a": pairs["a"].to_numpy(),
            "b": pairs["b"].to_numpy(),
            "exact": exact,
            "similarity": np.round(similarity).astype(int),
            "outcome": outcome,
            "evidence": evidence,
        }
    )


def _compatible_given_names(first_a: pd.Series, first_b: pd.Series) -> np.ndarray:
    cache: dict[tuple[str, str], bool] = {}
    result = []
    for pair in zip(first_a, first_b, strict=True):
        if pair not in cache:
            cache[pair] = same_given_name(*pair)
        result.append(cache[pair])
    return np.array(result, dtype=bool)


def _email_hint(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    """An email of one record whose local part spells the other's surname ('jdoe@…' for Doe)."""
    local = a["emails"].str.split("@").str[0].fillna("").str.replace(r"[^a-z]", "", regex=True)
    last = b["last_key"].str.replace(" ", "", regex=False)
    hits = [
        bool(loc) and len(surname) >= 3 and surname in loc
        for loc, surname in zip(local, last, strict=True)
    ]
    return np.array(hits, dtype=bool)


def _evidence(
    a: pd.Series,
    b: pd.Series,
    *,
    exact: bool,
    same_company: bool,
    same_year: bool,
    email_hint: bool,
    same_city: bool,
) -> str:
    """Say in words why two records look like one person."""
    if exact:
        parts = ["same name"]
    else:
        parts = [
            f"{a['first'] or a['first_key']} ≈ {b['first'] or b['first_key']} (given-name variant)"
        ]
        if a["last_key"] != b["last_key"]:
            parts.append(f"surname {a['last']} / {b['last']}")
    if same_company:
        parts.append(f"same employer ({a['company'] or b['company']})")
    if same_year:
        parts.append(f"same class year ({a['grad_year']})")
    if email_hint:
        parts.append("email address spells the surname")
    if same_city:
        parts.append(f"same city ({a['city']})")
    if not (same_company or same_year or email_hint or same_city):
        parts.append("nothing else to compare")
    return "; ".join(parts)


def _review_row(frame: pd.DataFrame, a: int, b: int, row: Any, outcome: str) -> dict[str, object]:
    ra, rb = frame.loc[a], frame.loc[b]
    return {
        "key_a": ra["record_key"],
        "key_b": rb["record_key"],
        "name_a": _describe(ra),
        "where_a": f"{ra['file']}:{ra['row']}",
        "name_b": _describe(rb),
        "where_b": f"{rb['file']}:{rb['row']}",
        "similarity": int(row.similarity),
        "evidence": row.evidence,
        "outcome": outcome,
        "a": a,
        "b": b,
    }


def _describe(record: pd.Series) -> str:
    """'Jenny Baker — Data Analyst, Acme — class of 2019' for a Review row."""
    parts = [record["display_name"] or record["emails"] or record["linkedin_url"]]
    job = ", ".join(v for v in (record["title"], record["company"]) if v)
    if job:
        parts.append(job)
    if pd.notna(record["grad_year"]):
        parts.append(f"class of {record['grad_year']}")
    return " — ".join(str(p) for p in parts)


def _apply_decisions_to_review(
    review: pd.DataFrame, frame: pd.DataFrame, person: np.ndarray
) -> pd.DataFrame:
    """Mark review pairs whose final clustering differs from the pairwise outcome."""
    if review.empty:
        return review.drop(columns=["a", "b"])
    together = person[review["a"].to_numpy()] == person[review["b"].to_numpy()]
    review = review.copy()
    review["outcome"] = np.where(together, "merged", "not merged")
    return review.drop(columns=["a", "b"]).reset_index(drop=True)
