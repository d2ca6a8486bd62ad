"""Judge candidate pairs: add up the evidence that two records are one person, in bits."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from pipeline.datafiles import load_toml
from pipeline.dedupe.compare import (
    S_EMAIL,
    S_INITIAL,
    S_MAIDEN,
    S_NONE,
    S_PART,
    S_SAME,
    TITLE_MATCH,
    RecordCodes,
    given_relations,
    same_company,
    same_study,
    shared_distinctive_handle,
    surname_relations,
    swapped_names,
    title_scores,
)
from pipeline.dedupe.nicknames import INITIAL, NONE, PART, SAME, VARIANT

__all__ = [
    "INITIAL",
    "NONE",
    "PART",
    "SAME",
    "S_EMAIL",
    "S_INITIAL",
    "S_MAIDEN",
    "S_NONE",
    "S_PART",
    "S_SAME",
    "TITLE_MATCH",
    "VARIANT",
    "corroborated",
    "match_score",
    "pair_features",
]


def pair_features(
    codes: RecordCodes, pairs: pd.DataFrame, *, drop_forbidden: bool = False
) -> pd.DataFrame:
    """Compare each pair on names, employer, class year, emails, title, city and studies.

    With drop_forbidden, pairs that a rule keeps apart are dropped before the costlier fuzzy
    comparisons (most candidate pairs in a big directory are namesakes a class year apart).
    """
    c = codes
    ia = pairs["a"].to_numpy(dtype=np.int64)
    ib = pairs["b"].to_numpy(dtype=np.int64)
    ya, yb = c.year[ia], c.year[ib]
    years_known = (ya > 0) & (yb > 0)
    ma, mb = c.middle[ia], c.middle[ib]
    sa, sb = c.slug[ia], c.slug[ib]
    hard = pd.DataFrame(
        {
            "a": ia,
            "b": ib,
            "slug_conflict": (sa >= 0) & (sb >= 0) & (sa != sb),
            "same_file": c.file[ia] == c.file[ib],
            "year_conflict": years_known & (np.abs(ya - yb) > 1),
            "middle_conflict": (ma >= 0) & (mb >= 0) & (ma != mb),
        }
    )
    if drop_forbidden:
        keep = ~(
            hard["slug_conflict"]
            | hard["same_file"]
            | hard["year_conflict"]
            | hard["middle_conflict"]
        ).to_numpy()
        hard, ia, ib = hard[keep], ia[keep], ib[keep]
        ya, yb, ma, mb = ya[keep], yb[keep], ma[keep], mb[keep]
        years_known = years_known[keep]
    f = hard.reset_index(drop=True)
    f["given"], f["given_via"] = given_relations(c, ia, ib)
    f["surname"], f["surname_via"] = surname_relations(c, ia, ib)
    swapped = swapped_names(c, ia, ib)
    f["swapped"] = swapped
    f.loc[swapped, "given"] = SAME
    f.loc[swapped, "surname"] = S_SAME
    if drop_forbidden:
        keep = (f["given"].to_numpy() != NONE) & (f["surname"].to_numpy() != S_NONE)
        f, ia, ib = f[keep].reset_index(drop=True), ia[keep], ib[keep]
        ya, yb, ma, mb = ya[keep], yb[keep], ma[keep], mb[keep]
        years_known = years_known[keep]
    city_a, city_b = c.city[ia], c.city[ib]
    f["same_year"] = years_known & (ya == yb)
    f["year_near"] = years_known & (np.abs(ya - yb) == 1)
    f["same_middle"] = (ma >= 0) & (ma == mb)
    f["same_company"] = same_company(c, ia, ib)
    f["companies_known"] = (c.company[ia] >= 0) & (c.company[ib] >= 0)
    f["same_handle"] = shared_distinctive_handle(c, ia, ib)
    f["title"] = title_scores(c, ia, ib)
    f["same_city"] = (city_a >= 0) & (city_a == city_b)
    f["cities_known"] = (city_a >= 0) & (city_b >= 0)
    f["same_study"] = same_study(c, ia, ib)
    f["studies_known"] = (c.study[ia] >= 0) & (c.study[ib] >= 0)
    f["wild"] = c.wild[ia] | c.wild[ib]
    f["name_count"] = np.maximum(c.name_count[ia], c.name_count[ib])
    for share, values in c.shares.items():
        f[share] = np.maximum(values[ia], values[ib])
    return f


def _rarity(share: npt.NDArray[np.float64], floor: float) -> npt.NDArray[np.float64]:
    """Count the bits of surprise in meeting a value this common: -log2(share)."""
    return -np.log2(np.maximum(share, floor))


def evidence_terms(features: pd.DataFrame) -> dict[str, npt.NDArray[np.float64]]:
    """List the terms the match score adds up, each weighted by dedupe_weights.toml."""
    f = features
    given, surname = f["given"].to_numpy(), f["surname"].to_numpy()
    company = f["same_company"].to_numpy()
    title_known = f["title"].to_numpy() > 0
    same_title = f["title"].to_numpy() >= TITLE_MATCH
    city = f["same_city"].to_numpy()
    terms = {
        "given_variant": given == VARIANT,
        "given_part": given == PART,
        "given_initial": given == INITIAL,
        "surname_maiden": surname == S_MAIDEN,
        "surname_part": surname == S_PART,
        "surname_from_email": surname == S_EMAIL,
        "surname_initial": surname == S_INITIAL,
        "letter_lost": f["wild"].to_numpy(),
        "name_swapped": f["swapped"].to_numpy(),
        "name_count_bits": np.log2(np.maximum(f["name_count"].to_numpy(), 1)),
        "company_same": company,
        "company_same_bits": company * _rarity(f["company_share"].to_numpy(), 1e-4),
        "company_differ": f["companies_known"].to_numpy() & ~company,
        "year_same": f["same_year"].to_numpy(),
        "year_near": f["year_near"].to_numpy(),
        "title_same": same_title,
        "title_same_bits": same_title * _rarity(f["title_share"].to_numpy(), 1e-4),
        "title_differ": title_known & (f["title"].to_numpy() < 60),
        "city_same": city,
        "city_same_bits": city * _rarity(f["city_share"].to_numpy(), 1e-3),
        "city_differ": f["cities_known"].to_numpy() & ~city,
        "study_same": f["same_study"].to_numpy(),
        "study_same_bits": f["same_study"].to_numpy() * _rarity(f["study_share"].to_numpy(), 1e-3),
        "study_differ": f["studies_known"].to_numpy() & ~f["same_study"].to_numpy(),
        "handle_same": f["same_handle"].to_numpy(),
        "middle_same": f["same_middle"].to_numpy(),
    }
    return {name: np.asarray(value, dtype=np.float64) for name, value in terms.items()}


def forbidden(features: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Mark pairs no name evidence may merge: a contradiction, or a name part that differs."""
    f = features
    return (
        f["slug_conflict"]
        | f["year_conflict"]
        | f["middle_conflict"]
        | f["same_file"]
        | (f["given"] == NONE)
        | (f["surname"] == S_NONE)
    ).to_numpy()


def corroborated(features: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Mark pairs where something besides the name agrees: a name alone never merges.

    A field of study counts only with the class year (school, year and major together).
    """
    f = features
    return (
        f["same_company"]
        | f["same_year"]
        | (f["title"] >= TITLE_MATCH)
        | f["same_city"]
        | f["same_handle"]
        | f["same_middle"]
    ).to_numpy()


@cache
def weights() -> dict[str, float]:
    """Load each evidence term's weight in bits (fit on labelled data: `bench dedupe --fit`)."""
    return {k: float(v) for k, v in load_toml("dedupe_weights.toml")["weights"].items()}


def match_score(features: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Add up the evidence for 'one person' in bits; -inf where a rule forbids the merge."""
    table = weights()
    terms = evidence_terms(features)
    score = np.full(len(features), table.get("intercept", 0.0))
    for name, values in terms.items():
        weight = table.get(name, 0.0)
        if weight:
            score += weight * values
    return np.where(forbidden(features), -np.inf, score)
