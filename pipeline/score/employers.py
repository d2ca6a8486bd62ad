"""Employers (the LAMP method): contacts rolled up per employer, and the user's ratings of them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ROLLUP_COLUMNS = [
    "employer_key",
    "employer",
    "contacts",
    "alumni",
    "connections",
    "best_score",
    "best_contact",
]


@dataclass(frozen=True)
class EmployerRating:
    """The user's LAMP ratings of an employer, read back from the Employers sheet."""

    motivation: float | None = None  # 0 (none) to 3 (dream employer)
    posting: float | None = None  # 1 (no relevant postings) to 3 (postings in your field)


def rating_fit(rating: EmployerRating) -> float:
    """Turn Motivation (0-3) and Posting (1-3) into a company fit in 0-1; motivation leads."""
    motivation = (rating.motivation or 0) / 3
    posting = ((rating.posting or 1) - 1) / 2
    return min(1.0, 0.75 * motivation + 0.25 * posting)


def employer_rollup(scored: pd.DataFrame) -> pd.DataFrame:
    """Roll people up per employer (LAMP): contacts, alumni, connections, best score."""
    columns = ["company_key", "company", "is_alum", "is_connection", "score", "display_name"]
    keys = scored["company_key"]
    with_company = scored[columns][keys.notna() & keys.ne("")]
    if with_company.empty:
        return pd.DataFrame(columns=ROLLUP_COLUMNS)
    # Counted with codes, not a function per group: a directory has 100k employers.
    key_codes, key_names = pd.factorize(with_company["company_key"], sort=False)
    name_codes, names = pd.factorize(with_company["company"].fillna(""), sort=False)
    groups = len(key_names)
    contacts = np.bincount(key_codes, minlength=groups)
    alumni = np.bincount(
        key_codes, weights=with_company["is_alum"].to_numpy(dtype=float), minlength=groups
    )
    connections = np.bincount(
        key_codes, weights=with_company["is_connection"].to_numpy(dtype=float), minlength=groups
    )
    # The spelling most people use: count (employer, spelling) pairs, keep the commonest.
    pairs, counts = np.unique(key_codes * len(names) + name_codes, return_counts=True)
    order = np.lexsort((-counts, pairs // len(names)))
    pairs = pairs[order]
    first_pair = np.unique(pairs // len(names), return_index=True)[1]
    spelling = np.asarray(names, dtype=object)[pairs[first_pair] % len(names)]
    # The best-scored person: the first row of each employer once sorted by score.
    by_score = np.argsort(-with_company["score"].to_numpy(dtype=float), kind="stable")
    firsts = by_score[np.unique(key_codes[by_score], return_index=True)[1]]
    rollup = pd.DataFrame(
        {
            "employer_key": np.asarray(key_names, dtype=object),
            "employer": spelling,
            "contacts": contacts.astype(int),
            "alumni": alumni.astype(int),
            "connections": connections.astype(int),
            "best_score": with_company["score"].to_numpy(dtype=float)[firsts],
            "best_contact": with_company["display_name"].to_numpy(dtype=object)[firsts],
        }
    )
    return rollup.sort_values(
        ["best_score", "contacts"], ascending=False, kind="stable"
    ).reset_index(drop=True)
