"""Draw a population of FICTIONAL people, vectorized with numpy (one draw per field, not per row).

Every person is invented: names are sampled independently from pools of common names, so any
resemblance to a real person is chance. Employer names may be real companies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from devtools.employers import build_employers, safe_domain
from devtools.handles import derive_handles
from devtools.pools import (
    ObjArray,
    choose_variant,
    empty_strings,
    groups,
    load_pools,
    map_unique,
    rank_weights,
)

# "Now" in the fictional world: early 2026, so the sample user (class of 2026) is a senior.
REFERENCE_YEAR = 2026
# Seniority levels: 0 student/intern, 1 entry, 2 mid, 3 senior, 4 lead/manager, 5 director, 6 exec.
LEVEL_SHARES = np.array([0.08, 0.17, 0.28, 0.22, 0.13, 0.08, 0.04])
# Years between graduation and now, by level (low, high); students graduate in the future.
GRAD_OFFSETS = np.array([(-3, 0), (1, 3), (2, 7), (5, 13), (7, 20), (10, 27), (14, 40)])
STUDENT_TITLES = np.array(
    [
        "Student",
        "Undergraduate Student",
        "Graduate Student",
        "Research Assistant",
        "Teaching Assistant",
        "Undergraduate Researcher",
    ],
    dtype=object,
)
# Fields whose people can plausibly be moved to a featured employer (Spotify, Duolingo), and
# how strongly each is preferred: the featured employers are the sample profile's targets.
FEATURED_FIELDS = {
    "data_science": 4.0,
    "software": 1.5,
    "product": 1.0,
    "ux_design": 0.5,
    "marketing": 0.5,
}
DEFAULT_FEATURED = {"Spotify": 6, "Duolingo": 6}
MIXED_SURNAME_RATE = 0.12
REMOTE_RATE = 0.03

POPULATION_COLUMNS = [
    "person_id",
    "first",
    "middle",
    "last",
    "maiden",
    "suffix",
    "nickname",
    "gender",
    "origin",
    "is_alum",
    "school",
    "grad_year",
    "degree",
    "major",
    "field",
    "level",
    "employer",
    "title",
    "industry",
    "prev_employer",
    "prev_title",
    "city",
    "state",
    "country",
    "work_email",
    "personal_email",
    "linkedin_slug",
    "namesake_of",
]

_FEMININE = {
    "slavic": ((re.compile(r"ski$"), "ska"), (re.compile(r"cki$"), "cka")),
    "russian": (
        (re.compile(r"ov$"), "ova"),
        (re.compile(r"ev$"), "eva"),
        (re.compile(r"in$"), "ina"),
    ),
    "greek": ((re.compile(r"os$"), "ou"), (re.compile(r"is$"), "i"), (re.compile(r"as$"), "a")),
}


def _feminize(surname: str, rule_of: Mapping[str, str]) -> str:
    parts = surname.split("-")
    for i, part in enumerate(parts):
        for pattern, repl in _FEMININE.get(rule_of.get(part, ""), ()):
            if pattern.search(part):
                parts[i] = pattern.sub(repl, part)
                break
    return "-".join(parts)


def _draw_names(
    n: int, rng: np.random.Generator
) -> tuple[dict[str, ObjArray], npt.NDArray[np.int64]]:
    pools = load_pools()
    origins = pools.origins
    origin_w = np.array([o.weight for o in origins])
    origin_idx = rng.choice(len(origins), n, p=origin_w / origin_w.sum())
    female = rng.random(n) < 0.5
    first, middle, last, suffix = (
        empty_strings(n),
        empty_strings(n),
        empty_strings(n),
        empty_strings(n),
    )
    nickname = empty_strings(n)

    surname_origin = origin_idx.copy()
    mixed = rng.random(n) < MIXED_SURNAME_RATE
    surname_origin[mixed] = rng.choice(len(origins), int(mixed.sum()), p=origin_w / origin_w.sum())

    for oi, idx in enumerate(groups(origin_idx, len(origins))):
        o = origins[oi]
        is_f = female[idx]
        for sel, names, p, mids in (
            (idx[is_f], o.female, o.female_p, o.middle_female),
            (idx[~is_f], o.male, o.male_p, o.middle_male),
        ):
            if not len(sel):
                continue
            first[sel] = rng.choice(names, len(sel), p=p)
            if o.neutral_rate:
                neutral = sel[rng.random(len(sel)) < o.neutral_rate]
                first[neutral] = rng.choice(o.neutral, len(neutral), p=o.neutral_p)
            with_mid = sel[rng.random(len(sel)) < o.middle_rate]
            middle[with_mid] = rng.choice(mids, len(with_mid))
        if o.english_name_rate:
            named = idx[rng.random(len(idx)) < o.english_name_rate]
            f_named = named[female[named]]
            m_named = named[~female[named]]
            nickname[f_named] = rng.choice(pools.english_female, len(f_named))
            nickname[m_named] = rng.choice(pools.english_male, len(m_named))
        if o.suffix_rate:
            men = idx[~is_f]
            sfx = men[rng.random(len(men)) < o.suffix_rate]
            suffix[sfx] = rng.choice(
                np.array(["Jr.", "Jr.", "Jr.", "II", "III"], dtype=object), len(sfx)
            )

    for oi, idx in enumerate(groups(surname_origin, len(origins))):
        o = origins[oi]
        if not len(idx):
            continue
        last[idx] = rng.choice(o.surnames, len(idx), p=o.surnames_p)
        if o.double_surname_rate:
            dbl = idx[rng.random(len(idx)) < o.double_surname_rate]
            second = rng.choice(o.surnames, len(dbl), p=o.surnames_p)
            joiner = np.where(rng.random(len(dbl)) < 0.4, "-", " ").astype(object)
            differs = second != last[dbl]
            last[dbl[differs]] = last[dbl[differs]] + joiner[differs] + second[differs]

    # The common short form (Robert → Bob), most often the first one listed.
    has_no_nick = nickname == ""
    table = pools.nicknames
    nickname[has_no_nick] = choose_variant(
        first[has_no_nick],
        lambda name: list(table.get(name, ())),
        rng.random(int(has_no_nick.sum())) ** 1.7,
    )
    nickname[nickname == first] = ""

    gender = np.where(female, "F", "M").astype(object)
    origin_names = np.array([o.name for o in origins], dtype=object)
    return {
        "first": first,
        "middle": middle,
        "last": last,
        "suffix": suffix,
        "nickname": nickname,
        "gender": gender,
        "origin": origin_names[origin_idx],
    }, surname_origin


def _marry(
    cols: dict[str, ObjArray],
    surname_origin: npt.NDArray[np.int64],
    grad_year: npt.NDArray[np.int64],
    rng: np.random.Generator,
) -> None:
    """Give some people a married surname and keep the birth surname as maiden name."""
    pools = load_pools()
    origins = pools.origins
    n = len(grad_year)
    female = cols["gender"] == "F"
    eligible = grad_year <= REFERENCE_YEAR - 7
    u = rng.random(n)
    married = eligible & ((female & (u < 0.35)) | (~female & (u < 0.03)))
    idx = np.flatnonzero(married)
    spouse_origin = surname_origin[idx].copy()
    other = rng.random(len(idx)) < 0.3
    spouse_origin[other] = rng.integers(0, len(origins), int(other.sum()))
    spouse = empty_strings(len(idx))
    for oi, sub in enumerate(groups(spouse_origin, len(origins))):
        spouse[sub] = rng.choice(origins[oi].surnames, len(sub), p=origins[oi].surnames_p)
    birth = cols["last"][idx]
    hyphen = rng.random(len(idx)) < 0.15
    new_last = np.where(hyphen, birth + "-" + spouse, spouse).astype(object)
    changed = new_last != birth
    cols["maiden"] = empty_strings(n)
    cols["maiden"][idx[changed]] = birth[changed]
    cols["last"][idx[changed]] = new_last[changed]

    rule_of = {s: o.feminine_surname for o in origins if o.feminine_surname for s in o.surnames}
    women = np.flatnonzero(female)
    for col in ("last", "maiden"):
        cols[col][women] = map_unique(cols[col][women], lambda s: _feminize(s, rule_of))


def copy_names(
    cols: dict[str, ObjArray],
    src: npt.NDArray[np.int64],
    dst: npt.NDArray[np.int64],
    rng: np.random.Generator,
) -> None:
    """Make dst people namesakes of src people: same first and last name, different lives."""
    for col in ("first", "last", "nickname", "gender", "origin", "suffix"):
        cols[col][dst] = cols[col][src]
    keep_middle = rng.random(len(dst)) < 0.5
    cols["middle"][dst[keep_middle]] = cols["middle"][src[keep_middle]]
    cols["maiden"][dst] = ""


def _pick_namesakes(
    n: int, fraction: float, rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    k = round(n * fraction)
    if k == 0 or n < 4:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    k = min(k, n // 2)
    chosen = rng.choice(n, 2 * k, replace=False)
    return chosen[:k], chosen[k:]


def _assign_jobs(
    cols: dict[str, ObjArray],
    field_idx: npt.NDArray[np.int64],
    level: npt.NDArray[np.int64],
    employers: pd.DataFrame,
    rng: np.random.Generator,
) -> None:
    pools = load_pools()
    n = len(level)
    title, prev_title = empty_strings(n), empty_strings(n)
    emp, prev_emp = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    industry_of = employers["industry"].to_numpy()
    weight = employers["weight"].to_numpy(dtype=np.float64)
    for fi, idx in enumerate(groups(field_idx, len(pools.fields))):
        if not len(idx):
            continue
        spec = pools.fields[fi]
        cand_parts, cand_w = [], []
        for ind, p in zip(spec.industries, spec.industry_p, strict=True):
            rows = np.flatnonzero(industry_of == ind)
            if len(rows):
                cand_parts.append(rows)
                cand_w.append(p * weight[rows] / weight[rows].sum())
        cand = np.concatenate(cand_parts)
        cw = np.concatenate(cand_w)
        cw /= cw.sum()
        emp[idx] = cand[rng.choice(len(cand), len(idx), p=cw)]
        prev_emp[idx] = cand[rng.choice(len(cand), len(idx), p=cw)]
        lv = level[idx]
        for lvl, sub in enumerate(groups(lv, 7)):
            rows = idx[sub]
            options = pools.titles.get((spec.key, lvl))
            if options is None or not len(rows):
                continue
            p = rank_weights(len(options), exponent=0.6, offset=1.5)
            title[rows] = rng.choice(options, len(rows), p=p)
            below = pools.titles.get((spec.key, max(lvl - 1, 1)), options)
            promoted = rng.random(len(rows)) < 0.45
            prev_title[rows] = np.where(
                promoted, rng.choice(below, len(rows)), rng.choice(options, len(rows), p=p)
            )
    # Who changed jobs since the older record: nobody among students, more with seniority.
    change_p = np.array([0.0, 0.25, 0.45, 0.5, 0.5, 0.45, 0.4])[level]
    same_job = rng.random(n) >= change_p
    prev_emp[same_job] = emp[same_job]
    promoted_in_place = same_job & (rng.random(n) < 0.6)
    prev_title[same_job & ~promoted_in_place] = title[same_job & ~promoted_in_place]
    prev_title[level == 0] = title[level == 0]

    names = employers["name"].to_numpy(dtype=object)
    cols["employer"] = names[emp]
    cols["prev_employer"] = names[prev_emp]
    cols["title"] = title
    cols["prev_title"] = prev_title

    # Many students list their school as their employer.
    students = np.flatnonzero((level == 0) & (rng.random(n) < 0.4))
    cols["employer"][students] = cols["school"][students]
    cols["prev_employer"][students] = cols["school"][students]
    cols["title"][students] = rng.choice(STUDENT_TITLES, len(students))
    cols["prev_title"][students] = cols["title"][students]


def _place_people(
    cols: dict[str, ObjArray], employers: pd.DataFrame, rng: np.random.Generator
) -> None:
    pools = load_pools()
    n = len(cols["employer"])
    cities = pools.cities
    p = (cities["weight"] / cities["weight"].sum()).to_numpy()
    pick = rng.choice(len(cities), n, p=p)
    city = cities["city"].to_numpy(dtype=object)[pick]
    state = cities["state"].to_numpy(dtype=object)[pick]
    country = cities["country"].to_numpy(dtype=object)[pick]
    by_name = employers.set_index("name")
    emp_city = pd.Series(cols["employer"]).map(by_name["city"]).fillna("").to_numpy(dtype=object)
    emp_state = pd.Series(cols["employer"]).map(by_name["state"]).fillna("").to_numpy(dtype=object)
    emp_country = (
        pd.Series(cols["employer"]).map(by_name["country"]).fillna("").to_numpy(dtype=object)
    )
    at_hq = (emp_city != "") & (rng.random(n) < 0.6)
    city[at_hq], state[at_hq], country[at_hq] = (
        emp_city[at_hq],
        emp_state[at_hq],
        emp_country[at_hq],
    )
    remote = rng.random(n) < REMOTE_RATE
    city[remote], state[remote], country[remote] = "Remote", "", ""
    cols["city"], cols["state"], cols["country"] = city, state, country
    cols["industry"] = (
        pd.Series(cols["employer"]).map(by_name["industry"]).fillna("").to_numpy(dtype=object)
    )


def _feature_employers(
    cols: dict[str, ObjArray],
    level: npt.NDArray[np.int64],
    employers: pd.DataFrame,
    featured: Mapping[str, int],
    rng: np.random.Generator,
) -> None:
    """Make sure a handful of people work at each featured employer (the sample's targets)."""
    by_name = employers.set_index("name")
    preference = (
        pd.Series(cols["field"])
        .map(FEATURED_FIELDS)
        .fillna(0.0)
        .to_numpy(dtype=np.float64, copy=True)
    )
    preference[level < 1] = 0.0
    for name, want in featured.items():
        if name not in by_name.index:
            continue
        have = int((cols["employer"] == name).sum())
        free = np.flatnonzero((preference > 0) & ~np.isin(cols["employer"], list(featured)))
        k = min(max(want - have, 0), len(free))
        if k == 0:
            continue
        w = preference[free]
        chosen = rng.choice(free, k, replace=False, p=w / w.sum())
        row = by_name.loc[name]
        cols["employer"][chosen] = name
        cols["industry"][chosen] = row["industry"]
        cols["city"][chosen] = np.where(rng.random(k) < 0.8, row["city"], "Remote")
        cols["state"][chosen] = np.where(cols["city"][chosen] == "Remote", "", row["state"])
        cols["country"][chosen] = np.where(cols["city"][chosen] == "Remote", "", row["country"])


def generate_population(
    n_people: int,
    seed: int,
    school: str = "Northfield University",
    *,
    alum_fraction: float = 0.4,
    namesake_fraction: float = 0.002,
    field_weights: Mapping[str, float] | None = None,
    featured_employers: Mapping[str, int] | None = None,
    email_style: str = "safe",
) -> pd.DataFrame:
    """Return one row per fictional person (see POPULATION_COLUMNS), deterministic by seed.

    alum_fraction: exact share of alumni (or current students) of `school`.
    namesake_fraction: share of people given the first and last name of another person.
    field_weights: override the relative size of career fields (keys of data/fields.toml).
    featured_employers: employer name -> minimum head count (default Spotify and Duolingo, 6 each).
    email_style: "safe" puts every address on the reserved .example domain; "realistic" uses
        real mail providers and company domains (never commit such files).
    """
    if n_people < 0:
        raise ValueError("n_people must be >= 0")
    if email_style not in {"safe", "realistic"}:
        raise ValueError('email_style must be "safe" or "realistic"')
    rng = np.random.default_rng(seed)
    pools = load_pools()
    n = n_people
    cols, surname_origin = _draw_names(n, rng)

    weights = {f.key: f.weight for f in pools.fields}
    unknown = set(field_weights or {}) - set(weights)
    if unknown:
        raise ValueError(f"unknown field(s) {sorted(unknown)}; known: {sorted(weights)}")
    weights.update(field_weights or {})
    fw = np.array([weights[f.key] for f in pools.fields], dtype=np.float64)
    field_idx = rng.choice(len(pools.fields), n, p=fw / fw.sum())
    level = rng.choice(7, n, p=LEVEL_SHARES)
    lo, hi = GRAD_OFFSETS[level, 0], GRAD_OFFSETS[level, 1]
    grad_year = REFERENCE_YEAR - (lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64))

    _marry(cols, surname_origin, grad_year, rng)
    src, dst = _pick_namesakes(n, namesake_fraction, rng)
    copy_names(cols, src, dst, rng)
    person_id = np.array([f"P{i:07d}" for i in range(n)], dtype=object)
    cols["namesake_of"] = empty_strings(n)
    cols["namesake_of"][dst] = person_id[src]

    is_alum = np.zeros(n, dtype=bool)
    is_alum[rng.permutation(n)[: round(n * alum_fraction)]] = True
    others = np.array([s for s in pools.schools if s != school], dtype=object)
    cols["school"] = np.where(is_alum, school, rng.choice(others, n)).astype(object)

    cols["field"] = np.array([f.key for f in pools.fields], dtype=object)[field_idx]
    cols["degree"], cols["major"] = empty_strings(n), empty_strings(n)
    for fi, idx in enumerate(groups(field_idx, len(pools.fields))):
        spec = pools.fields[fi]
        cols["degree"][idx] = rng.choice(spec.degrees, len(idx), p=spec.degree_p)
        cols["major"][idx] = rng.choice(spec.majors, len(idx))

    employers = build_employers(rng, n, school)
    _assign_jobs(cols, field_idx, level, employers, rng)
    _place_people(cols, employers, rng)
    featured = DEFAULT_FEATURED if featured_employers is None else featured_employers
    _feature_employers(cols, level, employers, featured, rng)

    people = pd.DataFrame(
        {
            "person_id": person_id,
            **cols,
            "is_alum": is_alum,
            "grad_year": grad_year,
            "level": level,
        }
    )
    domain_of = employers.set_index("name")["domain"]
    domains = people["employer"].map(domain_of).fillna("").to_numpy(dtype=object)
    if email_style == "safe":
        domains = map_unique(domains, safe_domain)
    derive_handles(people, rng, domains, email_style)
    return people[POPULATION_COLUMNS]
