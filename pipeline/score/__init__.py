"""Score: rank people by fit with the field the user explores, with a plain-language why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from pipeline.datafiles import load_toml
from pipeline.normalize.values import company_key, fold
from pipeline.score import components
from pipeline.score.employers import EmployerRating, employer_rollup
from pipeline.score.matcher import RoleMatcher, field_words
from pipeline.score.rolefit import title_fits
from pipeline.score.taxonomy import FieldSpec, fields_in_words, resolve_field, taxonomy
from pipeline.score.titles import phrase_key
from pipeline.score.why import explain

__all__ = [
    "COMPONENTS",
    "EmployerRating",
    "ScoringTarget",
    "build_target",
    "default_weights",
    "employer_rollup",
    "role_fit_scores",
    "score_people",
    "tier_thresholds",
]

COMPONENTS = (
    "role_fit",
    "field_fit",
    "company_fit",
    "warmth",
    "reachability",
    "recency",
    "location_fit",
    "career_stage",
)


def default_weights() -> dict[str, float]:
    """Return the built-in component weights (profile.toml [weights] overrides them)."""
    return {name: float(value) for name, value in load_toml("scoring.toml")["weights"].items()}


def weighted_score(values: Mapping[str, Any], weights: Mapping[str, float]) -> np.ndarray:
    """Combine component values (numbers or arrays, 0-1) into the 0-100 score."""
    total = sum(max(0.0, weights[name]) for name in COMPONENTS) or 1.0
    score = np.zeros_like(np.asarray(values[COMPONENTS[0]], dtype=float))
    for name in COMPONENTS:
        score = score + np.asarray(values[name], dtype=float) * max(0.0, weights[name])
    return score / total * 100


def tier_thresholds(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Score a Tier A and a Tier B person must reach: the score of each tier's example person."""
    weights = {**default_weights(), **(weights or {})}
    tiers = load_toml("scoring.toml")["tiers"]
    return {name: round(float(weighted_score(tiers[name], weights)), 1) for name in ("A", "B")}


@dataclass
class ScoringTarget:
    """What the user is looking for, expanded through the taxonomy."""

    field_text: str
    spec: FieldSpec | None
    user_roles: tuple[str, ...]
    roles: tuple[str, ...]
    adjacent_roles: tuple[tuple[str, str], ...]  # (role, neighbouring field's name)
    adjacent_keywords: tuple[tuple[str, str], ...]  # (field word, neighbouring field's name)
    keywords: tuple[str, ...]
    negative: tuple[str, ...]
    industries: tuple[str, ...]
    company_keys: dict[str, str]
    locations: tuple[str, ...]
    my_grad_year: int | None
    warnings: list[str] = field(default_factory=list)

    @property
    def field_label(self) -> str:
        return self.spec.name if self.spec else self.field_text

    @cached_property
    def matcher(self) -> RoleMatcher:
        """Return the matcher of titles against this target (built once)."""
        own = {w for text in (*self.roles, *self.keywords) for w in phrase_key(text)}
        names = set(phrase_key(self.field_text))
        if self.spec is not None:
            own |= field_words()[self.spec.slug]
            for name in (self.spec.name, *self.spec.aliases):
                names |= set(phrase_key(name))
        return RoleMatcher(
            roles=self.roles,
            user_roles=self.user_roles,
            keywords=self.keywords,
            adjacent_roles=self.adjacent_roles,
            adjacent_keywords=self.adjacent_keywords,
            negative=self.negative,
            own_words=own,
            name_words=names,
        )


def build_target(
    field_text: str,
    roles: Sequence[str] = (),
    companies: Sequence[str] = (),
    industries: Sequence[str] = (),
    locations: Sequence[str] = (),
    keywords: Sequence[str] = (),
    my_grad_year: int | None = None,
) -> ScoringTarget:
    """Expand the profile's [target] through the taxonomy; an unknown field uses its own words."""
    spec = resolve_field(field_text)
    warnings = []
    field_roles: tuple[str, ...] = ()
    field_keywords: tuple[str, ...] = ()
    adjacent: list[tuple[str, str]] = []
    adjacent_words: list[tuple[str, str]] = []
    negative: tuple[str, ...] = ()
    field_industries: tuple[str, ...] = ()
    if spec is None:
        # Fields its words name are its neighbours: 'Sports Analytics' -> Sports, Analytics.
        neighbours = fields_in_words(field_text)
        near = f", with {' and '.join(n.name for n in neighbours)} as neighbouring fields"
        warnings.append(
            f'target.field "{field_text}" is not in the built-in list of fields; ranking uses '
            f"its own words and your roles{near if neighbours else ''}. Add roles = [...] to "
            "[target] for a better ranking."
        )
        field_keywords = (field_text.lower(),)
    else:
        field_roles, field_keywords = spec.roles, spec.keywords
        negative, field_industries = spec.negative, spec.industries
        neighbours = [taxonomy()[slug] for slug in spec.adjacent if slug in taxonomy()]
    for neighbour in neighbours:
        adjacent.extend((role, neighbour.name) for role in neighbour.roles)
        adjacent_words.extend((word, neighbour.name) for word in neighbour.keywords)
    return ScoringTarget(
        field_text=field_text,
        spec=spec,
        user_roles=tuple(roles),
        roles=tuple(dict.fromkeys([r.lower() for r in roles] + list(field_roles))),
        adjacent_roles=tuple(dict.fromkeys(adjacent)),
        adjacent_keywords=tuple(dict.fromkeys(adjacent_words)),
        keywords=tuple(dict.fromkeys([k.lower() for k in keywords] + list(field_keywords))),
        negative=negative,
        industries=tuple(dict.fromkeys([i.lower() for i in industries] + list(field_industries))),
        company_keys={company_key(c): c for c in companies if company_key(c)},
        locations=tuple(fold(loc) for loc in locations if fold(loc)),
        my_grad_year=my_grad_year,
        warnings=warnings,
    )


def score_people(
    people: pd.DataFrame,
    target: ScoringTarget,
    weights: Mapping[str, float] | None = None,
    employers: Mapping[str, EmployerRating] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Add component columns, `score` (0-100), `tier` and `why`, sorted best first."""
    today = today or dt.date.today()
    weights = {**default_weights(), **(weights or {})}
    employers = employers or {}
    frame = people.copy()
    fits = title_fits(frame["title"], target.matcher, target.field_label, target.user_roles)
    frame["role_fit"] = fits["fit"].to_numpy(dtype=float)
    frame["role_match"] = fits["label"].to_numpy(dtype=object)
    frame["role_reason"] = fits["reason"].to_numpy(dtype=object)
    pattern = components.keyword_pattern(target.keywords)
    frame["field_fit"] = components.field_fit(
        frame,
        fits["field_word"].to_numpy(dtype=bool),
        frame["role_fit"].to_numpy(dtype=float),
        pattern,
        target.industries,
    )
    frame["company_fit"] = components.company_fit(frame, target.company_keys, employers)
    frame["warmth"] = components.warmth(frame, target.my_grad_year)
    frame["reachability"] = components.reachability(frame)
    frame["recency"] = components.recency(frame, today)
    frame["location_fit"] = components.location_fit(frame, target.locations)
    frame["career_stage"] = components.career_stage(
        components.years_ahead(frame, target.my_grad_year, today),
        fits["seniority"].to_numpy(dtype=float),
    )
    values = {name: frame[name].to_numpy(dtype=float) for name in COMPONENTS}
    score = weighted_score(values, weights)
    frame["score"] = np.clip(np.round(score, 1), 0, 100)
    thresholds = tier_thresholds(weights)
    points = frame["score"].to_numpy(dtype=float)
    # A score of 0 is never a tier above C, even if every weight was set to 0.
    frame["tier"] = np.select(
        [(points >= thresholds["A"]) & (points > 0), (points >= thresholds["B"]) & (points > 0)],
        ["A", "B"],
        "C",
    )
    frame["why"] = explain(
        frame,
        weights,
        target.field_label,
        target.company_keys,
        set(employers),
        target.my_grad_year,
    )
    frame = frame.iloc[best_first(frame["score"].to_numpy(), frame["display_name"])]
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def best_first(score: np.ndarray, names: pd.Series) -> np.ndarray:
    """Return the row order by score, highest first, then by name."""
    name_order = np.argsort(names.fillna("").astype(str).to_numpy(dtype=object), kind="stable")
    name_rank = np.empty(len(name_order), dtype=np.int64)
    name_rank[name_order] = np.arange(len(name_order))
    return np.lexsort((name_rank, -score))


def role_fit_scores(titles: pd.Series, target: ScoringTarget) -> tuple[pd.Series, pd.Series]:
    """Score each title 0-1 against the target's roles; return the score and what it matched."""
    fits = title_fits(titles, target.matcher, target.field_label, target.user_roles)
    return fits["fit"].astype(float), fits["label"].astype(str)
