"""Score: rank people by fit with the field the user explores, with a plain-language why."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.datafiles import load_toml
from pipeline.normalize.values import company_key, fold
from pipeline.score.taxonomy import FieldSpec, resolve_field, taxonomy
from pipeline.score.titles import expand_words, parse_title

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
    """The built-in component weights (profile.toml [weights] overrides them)."""
    return {name: float(value) for name, value in load_toml("scoring.toml")["weights"].items()}


def tier_thresholds() -> dict[str, float]:
    return {name: float(value) for name, value in load_toml("scoring.toml")["tiers"].items()}


@dataclass(frozen=True)
class EmployerRating:
    """The user's LAMP ratings of an employer, read back from the Employers sheet."""

    motivation: float | None = None
    posting: float | None = None


@dataclass
class ScoringTarget:
    """What the user is looking for, expanded through the taxonomy."""

    field_text: str
    spec: FieldSpec | None
    user_roles: tuple[str, ...]
    roles: tuple[str, ...]
    adjacent_roles: tuple[str, ...]
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
    adjacent: list[str] = []
    negative: tuple[str, ...] = ()
    field_industries: tuple[str, ...] = ()
    if spec is None:
        warnings.append(
            f'target.field "{field_text}" is not in the built-in list of fields; ranking uses '
            "its own words and your roles. Add roles = [...] to [target] for a better ranking."
        )
        field_keywords = (field_text.lower(),)
    else:
        field_roles, field_keywords = spec.roles, spec.keywords
        negative, field_industries = spec.negative, spec.industries
        for slug in spec.adjacent:
            if slug in taxonomy():
                adjacent.extend(taxonomy()[slug].roles)
    return ScoringTarget(
        field_text=field_text,
        spec=spec,
        user_roles=tuple(roles),
        roles=tuple(dict.fromkeys([r.lower() for r in roles] + list(field_roles))),
        adjacent_roles=tuple(dict.fromkeys(adjacent)),
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
    titles = frame["title"].fillna("").astype(str)
    role_fit, role_label = role_fit_scores(titles, target)
    frame["role_fit"] = role_fit
    frame["role_match"] = role_label
    frame["field_fit"] = _field_fit(frame, target)
    frame["company_fit"] = _company_fit(frame, target, employers)
    frame["warmth"] = _warmth(frame, target)
    frame["reachability"] = _reachability(frame)
    frame["recency"] = _recency(frame, today)
    frame["location_fit"] = _location_fit(frame, target)
    frame["career_stage"] = _career_stage(frame, target, today)

    total = sum(max(0.0, weights[name]) for name in COMPONENTS) or 1.0
    score = sum(frame[name] * max(0.0, weights[name]) for name in COMPONENTS) / total * 100
    frame["score"] = np.clip(score.round(1), 0, 100)
    thresholds = tier_thresholds()
    frame["tier"] = np.where(
        frame["score"] >= thresholds["A"],
        "A",
        np.where(frame["score"] >= thresholds["B"], "B", "C"),
    )
    frame["why"] = [_why(row, target, weights, employers) for row in frame.to_dict("records")]
    frame = frame.sort_values(["score", "display_name"], ascending=[False, True], kind="stable")
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def _role_key(text: str) -> str:
    return parse_title(text).function.replace(" · ", " ")


def role_fit_scores(titles: pd.Series, target: ScoringTarget) -> tuple[pd.Series, pd.Series]:
    """Score each title 0-1 against the target roles; return the score and the role it matched."""
    roles = {key: role for role in target.roles if (key := _role_key(role))}
    adjacent = {key: role for role in target.adjacent_roles if (key := _role_key(role))}
    unique = pd.unique(titles.to_numpy())
    scores: dict[str, float] = {}
    labels: dict[str, str] = {}
    segments_of = {title: parse_title(title).segments for title in unique}
    all_segments = sorted({s for segs in segments_of.values() for s in segs})
    seg_score, seg_label = _segment_scores(all_segments, roles, 1.0, target.negative)
    if adjacent:
        adj_score, adj_label = _segment_scores(all_segments, adjacent, 0.5, target.negative)
        for segment in all_segments:
            if adj_score[segment] > seg_score[segment]:
                seg_score[segment] = adj_score[segment]
                seg_label[segment] = adj_label[segment] + " (neighbouring field)"
    for title in unique:
        best, label = 0.0, ""
        for segment in segments_of[title]:
            if seg_score[segment] > best:
                best, label = seg_score[segment], seg_label[segment]
        scores[title], labels[title] = best, label
    return titles.map(scores).astype(float), titles.map(labels).astype(str)


def _segment_scores(
    segments: list[str], roles: Mapping[str, str], scale: float, negative: Sequence[str]
) -> tuple[dict[str, float], dict[str, str]]:
    """Best match of each title segment among roles: containment first, fuzzy for the rest."""
    if not segments or not roles:
        return dict.fromkeys(segments, 0.0), dict.fromkeys(segments, "")
    role_keys = list(roles)
    fuzzy = process.cdist(segments, role_keys, scorer=fuzz.token_sort_ratio, workers=-1)
    fuzzy_fit = np.clip((fuzzy - 55.0) / 45.0, 0.0, 1.0)
    negative_res = [re.compile(rf"\b{re.escape(n)}\b") for n in negative]
    best_score: dict[str, float] = {}
    best_label: dict[str, str] = {}
    for row, segment in enumerate(segments):
        padded = f" {segment} "
        size = len(segment.split())
        values = fuzzy_fit[row].copy()
        for col, key in enumerate(role_keys):
            # The whole role, in order, inside the title: 'data scientist, ml platform'.
            if f" {key} " in padded:
                extra = size - len(key.split())
                values[col] = max(values[col], max(0.75, 1.0 - 0.05 * extra))
        col = int(np.argmax(values))
        value = float(values[col]) * scale
        if any(pattern.search(segment) for pattern in negative_res):
            value = 0.0
        best_score[segment] = value
        best_label[segment] = roles[role_keys[col]] if value > 0 else ""
    return best_score, best_label


def _field_fit(frame: pd.DataFrame, target: ScoringTarget) -> pd.Series:
    """Field words in the title (strong) or the company/industry (weaker), or a field industry."""
    keywords = [" ".join(expand_words(k)) for k in target.keywords if k.strip()]
    if keywords:
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keywords) + r")\b")
    else:
        pattern = None

    def title_hit(title: str) -> float:
        return 1.0 if pattern and pattern.search(" ".join(expand_words(title))) else 0.0

    titles = frame["title"].fillna("").astype(str)
    in_title = titles.map({t: title_hit(t) for t in pd.unique(titles.to_numpy())})
    context = (frame["company"].fillna("") + " " + frame["industry"].fillna("")).astype(str)
    in_context = context.map({c: title_hit(c) * 0.5 for c in pd.unique(context.to_numpy())})
    industry = frame["industry"].fillna("").astype(str)
    industry_fit = pd.Series(0.0, index=frame.index)
    if target.industries:
        uniques = [i for i in pd.unique(industry.to_numpy()) if i]
        if uniques:
            matrix = process.cdist(
                [fold(u) for u in uniques],
                [fold(i) for i in target.industries],
                scorer=fuzz.token_set_ratio,
                workers=-1,
            )
            best = dict(zip(uniques, matrix.max(axis=1), strict=True))
            industry_fit = industry.map(lambda v: 0.6 if best.get(v, 0) >= 88 else 0.0)
    return pd.concat([in_title, in_context, industry_fit], axis=1).max(axis=1).astype(float)


def _company_fit(
    frame: pd.DataFrame, target: ScoringTarget, employers: Mapping[str, EmployerRating]
) -> pd.Series:
    """1 at a target company; otherwise the user's LAMP motivation and posting ratings."""
    keys = frame["company_key"].fillna("").astype(str)
    targeted = keys.isin(set(target.company_keys)).astype(float)
    rated = pd.Series(0.0, index=frame.index)
    if employers:
        values = {}
        for key, rating in employers.items():
            motivation = (rating.motivation or 0) / 3
            posting = ((rating.posting or 1) - 1) / 2
            values[key] = min(1.0, 0.75 * motivation + 0.25 * posting)
        rated = keys.map(values).fillna(0.0).astype(float)
    return pd.concat([targeted, rated], axis=1).max(axis=1)


def _warmth(frame: pd.DataFrame, target: ScoringTarget) -> pd.Series:
    """Both a connection and an alum is warmest; already talking adds; a pending invite is cool."""
    connection = frame["is_connection"].astype(bool)
    alum = frame["is_alum"].astype(bool)
    warmth = np.select([connection & alum, alum, connection], [1.0, 0.7, 0.6], default=0.0)
    years = frame["grad_year"].astype("Float64")
    if target.my_grad_year:
        close_class = ((years - target.my_grad_year).abs() <= 3).fillna(False).to_numpy(dtype=bool)
        warmth = np.where(alum.to_numpy() & close_class, np.minimum(1.0, warmth + 0.1), warmth)
    talking = frame["in_conversation"].astype(bool).to_numpy()
    warmth = np.where(talking, np.minimum(1.0, warmth + 0.2), warmth)
    return pd.Series(warmth, index=frame.index, dtype=float)


def _reachability(frame: pd.DataFrame) -> pd.Series:
    email = frame["email"].fillna("").ne("") & ~frame["email_opt_out"].astype(bool)
    message = frame["is_connection"].astype(bool)
    profile = frame["linkedin_url"].fillna("").ne("")
    return pd.Series(
        np.select([email | message, profile], [1.0, 0.6], default=0.0),
        index=frame.index,
        dtype=float,
    )


def _recency(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    dates = pd.to_datetime(frame["connected_on"].replace("", None), errors="coerce")
    age_years = (pd.Timestamp(today) - dates).dt.days / 365.25
    return (1 - age_years / 10).clip(0.2, 1.0).fillna(0.5).astype(float)


def _location_fit(frame: pd.DataFrame, target: ScoringTarget) -> pd.Series:
    if not target.locations:
        return pd.Series(0.5, index=frame.index, dtype=float)
    places = [p for p in target.locations if p != "remote"]
    location = frame["location"].fillna("").astype(str).map(fold)
    if not places:
        return pd.Series(0.5, index=frame.index, dtype=float)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in places) + r")\b")
    hit = location.map(lambda v: bool(pattern.search(v)))
    return pd.Series(
        np.where(hit, 1.0, np.where(location.eq(""), 0.5, 0.2)), index=frame.index, dtype=float
    )


def _career_stage(frame: pd.DataFrame, target: ScoringTarget, today: dt.date) -> pd.Series:
    """People 1-10 years ahead answer most; students and top executives least."""
    reference = target.my_grad_year or today.year
    ahead = (reference - frame["grad_year"].astype("Float64")).to_numpy(
        dtype=float, na_value=np.nan
    )
    by_years = np.select(
        [ahead < 0, ahead == 0, ahead <= 10, ahead <= 20, ahead > 20],
        [0.2, 0.6, 1.0, 0.6, 0.35],
        default=np.nan,
    )
    levels = frame["title"].fillna("").astype(str).map(lambda t: parse_title(t).seniority)
    has_title = frame["title"].fillna("").ne("").to_numpy()
    by_level = np.select(
        [levels <= 0, levels <= 4, levels <= 6, levels == 7, levels >= 8],
        [0.3, 1.0, 0.8, 0.5, 0.3],
        default=0.6,
    )
    by_level = np.where(has_title, by_level, np.nan)
    combined = np.where(
        np.isnan(by_years),
        by_level,
        np.where(np.isnan(by_level), by_years, 0.6 * by_years + 0.4 * by_level),
    )
    return pd.Series(np.nan_to_num(combined, nan=0.5), index=frame.index, dtype=float)


def _why(
    row: Mapping[str, object],
    target: ScoringTarget,
    weights: Mapping[str, float],
    employers: Mapping[str, EmployerRating],
) -> str:
    """Name the strongest reasons in plain words, strongest first."""
    reasons: list[tuple[float, str]] = []

    def add(component: str, text: str) -> None:
        reasons.append((float(row[component]) * weights[component], text))  # type: ignore[arg-type]

    title = str(row.get("title") or "")
    role_fit = float(row["role_fit"])  # type: ignore[arg-type]
    if role_fit >= 0.7:
        add("role_fit", f"{title} ≈ {_role_phrase(row, target)}")
    elif role_fit >= 0.35:
        add("role_fit", f"{title}: related to {target.field_label}")
    if float(row["field_fit"]) >= 0.5 and role_fit < 0.7:  # type: ignore[arg-type]
        add("field_fit", f"works in {target.field_label.lower()}")
    year = row.get("grad_year")
    alum = bool(row["is_alum"])
    connection = bool(row["is_connection"])
    alum_text = f"alum '{int(year) % 100:02d}" if alum and pd.notna(year) else "alum"  # type: ignore[call-overload]
    if alum and connection:
        add("warmth", f"{alum_text} · 1st-degree connection")
    elif alum:
        add("warmth", alum_text)
    elif connection:
        add("warmth", "1st-degree connection")
    if row.get("in_conversation"):
        add("warmth", "you already message each other")
    company = str(row.get("company") or "")
    key = str(row.get("company_key") or "")
    if key in target.company_keys:
        add("company_fit", f"works at {company} (target)")
    elif key in employers and float(row["company_fit"]) > 0:  # type: ignore[arg-type]
        add("company_fit", f"works at {company} (you rated it)")
    if float(row["location_fit"]) >= 1.0:  # type: ignore[arg-type]
        add("location_fit", f"in {row.get('location')}")
    if float(row["career_stage"]) >= 1.0 and pd.notna(year) and target.my_grad_year:  # type: ignore[arg-type]
        ahead = target.my_grad_year - int(year)  # type: ignore[call-overload]
        add("career_stage", f"{ahead} year{'s' if ahead != 1 else ''} ahead of you")
    reasons.sort(key=lambda item: -item[0])
    text = " · ".join(reason for _, reason in reasons[:4])
    if not text and title:
        text = f"weak fit: '{title}' is not a {target.field_label} role as far as the title says"
    elif not text:
        text = "weak fit: nothing links them to your field or to you yet"
    if not title:
        text = f"{text} · thin record: no job title"
    return text


def _role_phrase(row: Mapping[str, object], target: ScoringTarget) -> str:
    matched = str(row.get("role_match") or "")
    if matched and matched in [r.lower() for r in target.user_roles]:
        return f"{matched} (your role)"
    if "neighbouring field" in matched:
        return matched
    return "your field"


def employer_rollup(scored: pd.DataFrame) -> pd.DataFrame:
    """Per employer (LAMP): contacts, alumni, connections, best score, best contact."""
    with_company = scored[scored["company_key"].fillna("").ne("")]
    if with_company.empty:
        return pd.DataFrame(
            columns=[
                "employer_key",
                "employer",
                "contacts",
                "alumni",
                "connections",
                "best_score",
                "best_contact",
            ]
        )
    grouped = with_company.groupby("company_key", sort=False)
    rollup = pd.DataFrame(
        {
            "employer": grouped["company"].agg(lambda names: names.value_counts().index[0]),
            "contacts": grouped.size(),
            "alumni": grouped["is_alum"].sum().astype(int),
            "connections": grouped["is_connection"].sum().astype(int),
            "best_score": grouped["score"].max(),
            "best_contact": grouped.apply(
                lambda g: g.loc[g["score"].idxmax(), "display_name"], include_groups=False
            ),
        }
    )
    rollup = rollup.reset_index(names="employer_key")
    return rollup.sort_values(["best_score", "contacts"], ascending=False).reset_index(drop=True)
