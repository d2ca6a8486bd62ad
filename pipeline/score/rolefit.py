"""Role fit of every person's title: each distinct title once, near-misses, plain-word reasons.

Exact matching (matcher.py) decides; a capped fuzzy pass (rapidfuzz) gives near-miss spellings
a little credit ('Market Researcher' ~ market research), never enough to read as a match. A
million people cost about their distinct titles.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.score.matcher import (
    ADJACENT,
    KEYWORD,
    NO_FIT,
    OTHER_JOB,
    ROLE,
    STRONG,
    SUPPORT,
    TRAINEE,
    Fit,
    RoleMatcher,
    head_classes,
)
from pipeline.score.taxonomy import taxonomy
from pipeline.score.titles import Segment, parse_title, phrase_key


def fuzzy_fits(keys: list[tuple[str, ...]], matcher: RoleMatcher) -> list[Fit]:
    """Give near-misses a little credit: the closest own role or word, capped well below a match."""
    entries = matcher.own_entries()
    if not keys or not entries:
        return [NO_FIT] * len(keys)
    config = matcher.settings
    scores = process.cdist(
        [" ".join(k) for k in keys],
        [" ".join(e.key) for e in entries],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=config.fuzzy_cutoff,
        workers=-1,
    )
    best = scores.argmax(axis=1)
    top = scores[np.arange(len(keys)), best]
    span = 100.0 - config.fuzzy_cutoff
    fits = np.clip((top - config.fuzzy_cutoff) / span, 0.0, 1.0) * config.fuzzy_max
    return [
        (float(f), entries[b].label, KEYWORD) if f > 0 else NO_FIT
        for f, b in zip(fits, best, strict=True)
    ]


def role_reason(
    fit: float, label: str, kind: str, piece: str, field: str, mine: frozenset[str]
) -> str:
    """Say in plain words how a title relates to the field ('Data Scientist ≈ your field')."""
    if not piece or fit <= 0:
        return ""
    if kind == ADJACENT:
        return f"{piece}: neighbouring field ({label})"
    if kind == SUPPORT:
        return f"{piece}: supports {field} work"
    if kind == TRAINEE:
        return f"{piece}: trainee in {field}"
    if fit < STRONG and kind == OTHER_JOB:
        return f"{piece}: another job close to {field}"
    if fit < STRONG:
        return f"{piece}: related to {field}"
    if kind == ROLE and label.lower() in mine:
        return f"{piece} ≈ your role"
    return f"{piece} ≈ your field"


def _identity(part: Segment) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    return (part.key, part.full, part.level == 0)


@cache
def job_heads() -> frozenset[str]:
    """Return the words that name a job when last: head classes and every role's last word."""
    heads = {key[-1] for spec in taxonomy().values() for r in spec.roles if (key := phrase_key(r))}
    return frozenset(heads | set(head_classes()))


def with_qualifiers(parts: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """Read a piece without a job noun as qualifying the title next to it."""
    # 'Teaching Assistant - Statistics' is a statistics teaching assistant, not a statistician;
    # 'Software Engineer (Backend)' a backend software engineer.
    if len(parts) < 2:
        return parts
    nouns = job_heads()
    headed = [p for p in parts if p.head in nouns]
    if not headed or len(headed) == len(parts):
        return parts
    result: list[Segment] = []
    for part in parts:
        if part.head in nouns:
            result.append(part)
            continue
        near = headed[0]
        display = (
            near.display if near.display == part.display else f"{near.display}, {part.display}"
        )
        result.append(
            Segment(
                display=display,
                role=f"{part.role} {near.role}",
                key=part.key + near.key,
                full=part.full + near.full,
                head=near.head,
                level=near.level if near.level is not None else part.level,
            )
        )
    return tuple(result)


def title_fits(
    titles: pd.Series, matcher: RoleMatcher, field: str, user_roles: Iterable[str]
) -> pd.DataFrame:
    """Score each distinct title once; return fit, label, kind, reason, field words, seniority."""
    field = field.lower()
    mine = frozenset(r.lower() for r in user_roles)
    codes, unique = pd.factorize(titles.fillna("").astype(str), sort=False)
    with paused_gc():
        table = _fits_of_distinct(unique, matcher, field, mine)
    taken = table.iloc[np.where(codes < 0, 0, codes)].reset_index(drop=True)
    taken.index = titles.index
    return taken


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while building many small objects that hold no cycles."""
    # Parsing 300k distinct titles makes millions of tuples; each collection pass rescans
    # the caches that hold them, about a quarter of the time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fits_of_distinct(
    unique: Sequence[str], matcher: RoleMatcher, field: str, mine: frozenset[str]
) -> pd.DataFrame:
    """Score distinct titles: one row each with fit, label, kind, reason, field word, level."""
    parsed = [parse_title(str(title)) for title in unique]
    parts_of = [with_qualifiers(title.parts) for title in parsed]
    idents_of = [[_identity(part) for part in parts] for parts in parts_of]
    fits: dict[tuple[tuple[str, ...], tuple[str, ...], bool], Fit] = {}
    for parts, idents in zip(parts_of, idents_of, strict=True):
        for part, ident in zip(parts, idents, strict=True):
            if ident not in fits:
                fits[ident] = matcher.score(part)
    weak = [
        ident
        for ident, fit in fits.items()
        if fit[0] < matcher.settings.fuzzy_max and not matcher.is_look_alike(ident[0])
    ]
    near_misses = fuzzy_fits([ident[0] for ident in weak], matcher)
    for ident, near in zip(weak, near_misses, strict=True):
        if near[0] > fits[ident][0]:
            fits[ident] = near
    rows = []
    for title, parts, idents in zip(parsed, parts_of, idents_of, strict=True):
        best, piece, mentions = NO_FIT, "", False
        for part, ident in zip(parts, idents, strict=True):
            fit = fits[ident]
            if fit[0] > best[0]:
                best, piece = fit, part.display
            mentions = mentions or matcher.mentions_field(part.key)
        reason = role_reason(best[0], best[1], best[2], piece, field, mine)
        level = float(title.seniority) if title.text else np.nan
        rows.append((best[0], best[1], best[2], reason, mentions, level))
    columns = ["fit", "label", "kind", "reason", "field_word", "seniority"]
    return pd.DataFrame(rows or [(0.0, "", "", "", False, np.nan)], columns=columns)
