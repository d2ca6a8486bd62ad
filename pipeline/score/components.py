"""The score's components, each 0-1 per person, computed column-wise (no loop per person)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.normalize.values import fold
from pipeline.score.employers import EmployerRating, rating_fit
from pipeline.score.titles import expand_words

INDUSTRY_MATCH = 88
INDUSTRY_FIT = 0.6
STRONG_ROLE = 0.7


def distinct(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Return a code per row and the distinct texts; a missing value is the last text, ''."""
    codes, unique = pd.factorize(values, sort=False)
    texts = [str(v) for v in unique] + [""]
    return np.where(codes < 0, len(texts) - 1, codes), texts


def map_unique(values: pd.Series, function: Callable[[str], float]) -> np.ndarray:
    """Apply function once per distinct value and spread the results over the rows."""
    codes, texts = distinct(values)
    results = np.fromiter((function(v) for v in texts), dtype=float, count=len(texts))
    return results[codes]


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """Compile the field's words, as titles are expanded, into one word-bounded pattern."""
    phrases = sorted({" ".join(expand_words(k)) for k in keywords if k.strip()} - {""})
    if not phrases:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


def field_fit(
    frame: pd.DataFrame,
    in_title: np.ndarray,
    role_fit: np.ndarray,
    pattern: re.Pattern[str] | None,
    industries: Sequence[str],
) -> np.ndarray:
    """Score field evidence: its words in the title (1), its industry (0.6), a role (0.5)."""
    # 0.5 also for field words in the company or industry name.

    def mentions(text: str) -> float:
        return 1.0 if pattern and text and pattern.search(" ".join(expand_words(text))) else 0.0

    codes, texts = distinct(frame["industry"])
    in_industry = np.fromiter((mentions(t) for t in texts), dtype=float, count=len(texts))
    context = np.maximum(map_unique(frame["company"], mentions), in_industry[codes])
    fit = np.maximum(in_title.astype(float), 0.5 * context)
    fit = np.maximum(fit, np.where(role_fit >= STRONG_ROLE, 0.5, 0.0))
    named = [fold(t) for t in texts]
    if industries and any(named):
        wanted = [fold(i) for i in industries]
        matrix = process.cdist(named, wanted, scorer=fuzz.token_set_ratio, workers=-1)
        hit = (matrix.max(axis=1) >= INDUSTRY_MATCH) & np.array([bool(n) for n in named])
        fit = np.maximum(fit, np.where(hit, INDUSTRY_FIT, 0.0)[codes])
    return fit


def company_fit(
    frame: pd.DataFrame, company_keys: Mapping[str, str], employers: Mapping[str, EmployerRating]
) -> np.ndarray:
    """Score company fit: 1 at a target company, else the user's LAMP ratings of it."""
    keys = frame["company_key"].fillna("").astype(str)
    targeted = keys.isin(set(company_keys)).to_numpy(dtype=float)
    if not employers:
        return targeted
    rated = keys.map({key: rating_fit(r) for key, r in employers.items()}).fillna(0.0)
    return np.maximum(targeted, rated.to_numpy(dtype=float))


def warmth(frame: pd.DataFrame, my_grad_year: int | None) -> np.ndarray:
    """Score warmth: connection and alum is warmest; a classmate or a conversation adds."""
    connection = frame["is_connection"].to_numpy(dtype=bool)
    alum = frame["is_alum"].to_numpy(dtype=bool)
    value = np.select([connection & alum, alum, connection], [1.0, 0.7, 0.6], default=0.0)
    if my_grad_year:
        years = frame["grad_year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        close = np.abs(years - my_grad_year) <= 3
        value = np.where(alum & close, np.minimum(1.0, value + 0.1), value)
    talking = frame["in_conversation"].to_numpy(dtype=bool)
    return np.where(talking, np.minimum(1.0, value + 0.2), value)


def reachability(frame: pd.DataFrame) -> np.ndarray:
    """Score reachability: 1 by email or LinkedIn message, 0.6 by a profile only, else 0."""
    email = frame["email"].fillna("").ne("").to_numpy() & ~frame["email_opt_out"].to_numpy(
        dtype=bool
    )
    message = frame["is_connection"].to_numpy(dtype=bool)
    profile = frame["linkedin_url"].fillna("").ne("").to_numpy()
    return np.select([email | message, profile], [1.0, 0.6], default=0.0)


def recency(frame: pd.DataFrame, today: dt.date) -> np.ndarray:
    """Score recency: 1 connected this year, down to 0.2 after eight years; 0.5 unknown."""
    codes, unique = pd.factorize(frame["connected_on"].fillna("").astype(str), sort=False)
    if len(unique) == 0:
        return np.full(len(frame), 0.5)
    dates = pd.to_datetime(pd.Series(unique).replace("", None), errors="coerce", format="mixed")
    age_years = ((pd.Timestamp(today) - dates).dt.days / 365.25).to_numpy(dtype=float)
    values = np.nan_to_num(np.clip(1 - age_years / 10, 0.2, 1.0), nan=0.5)
    return values[codes]


def location_fit(frame: pd.DataFrame, locations: Sequence[str]) -> np.ndarray:
    """Score location: 1 in a place the user named, 0.2 elsewhere, 0.5 unknown or remote."""
    places = [p for p in locations if p != "remote"]
    if not places:
        return np.full(len(frame), 0.5)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in places) + r")\b")

    def fit(value: str) -> float:
        folded = fold(value)
        if not folded:
            return 0.5
        return 1.0 if pattern.search(folded) else 0.2

    return map_unique(frame["location"], fit)


def years_ahead(frame: pd.DataFrame, my_grad_year: int | None, today: dt.date) -> np.ndarray:
    """Return how many years before the user each person graduated (NaN when unknown)."""
    reference = my_grad_year or today.year
    years = frame["grad_year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return reference - years


def career_stage(ahead: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Score career stage: 1-10 years ahead answer most; students and top executives least."""
    with np.errstate(invalid="ignore"):
        by_years = np.select(
            [ahead < 0, ahead == 0, ahead <= 10, ahead <= 20, ahead > 20],
            [0.2, 0.6, 1.0, 0.6, 0.35],
            default=np.nan,
        )
        by_level = np.select(
            [levels <= 0, levels <= 4, levels <= 6, levels == 7, levels >= 8],
            [0.3, 1.0, 0.8, 0.5, 0.3],
            default=np.nan,
        )
    combined = np.where(
        np.isnan(by_years),
        by_level,
        np.where(np.isnan(by_level), by_years, 0.6 * by_years + 0.4 * by_level),
    )
    return np.nan_to_num(combined, nan=0.5)
