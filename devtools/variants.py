"""Spell the same fictional person differently, the way different sources do (vectorized)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import pandas as pd

from devtools.employers import employer_variants
from devtools.pools import ObjArray, ascii_fold, choose_variant, load_pools, map_unique, zero_pad

MONTHS = np.array(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    dtype=object,
)
EMOJI = np.array([" 🌟", " 🚀", " 🌍", " ✨", " 📊", " 🎓", " 🌱", " 💡"], dtype=object)
LINKEDIN_COUNTRIES = np.array(["uk", "ca", "br", "in", "de", "fr", "au"], dtype=object)
FIELDS_WITH_CREDENTIALS = (
    "nursing",
    "medicine",
    "accounting",
    "law",
    "architecture",
    "civil_eng",
    "hr",
)
HEADLINE_EXTRAS = np.array(
    ["Speaker", "Mentor", "Writer", "Podcast Host", "Board Member", "Adjunct Professor", "Runner",
     "Angel Investor", "Volunteer", "Open to new opportunities"],
    dtype=object,
)  # fmt: skip


def objects(values: object) -> ObjArray:
    """Return a copy of a column as a numpy object array."""
    return np.array(values, dtype=object, copy=True)


def chance(
    rng: np.random.Generator, n: int, p: float | npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Return a boolean mask that is True with probability p per row."""
    return rng.random(n) < p


def fold_accents(values: ObjArray, mask: npt.NDArray[np.bool_]) -> ObjArray:
    """Drop accents in the masked rows (José → Jose), as ASCII-only systems do."""
    out = values.copy()
    out[mask] = map_unique(values[mask], ascii_fold)
    return out


def upper(values: ObjArray, mask: npt.NDArray[np.bool_]) -> ObjArray:
    """Upper-case the masked rows."""
    out = values.copy()
    out[mask] = map_unique(values[mask], str.upper)
    return out


def lower(values: ObjArray, mask: npt.NDArray[np.bool_]) -> ObjArray:
    """Lower-case the masked rows."""
    out = values.copy()
    out[mask] = map_unique(values[mask], str.lower)
    return out


def pad_spaces(values: ObjArray, mask: npt.NDArray[np.bool_], rng: np.random.Generator) -> ObjArray:
    """Add a stray leading or trailing space in the masked, non-empty rows."""
    out = values.copy()
    idx = np.flatnonzero(mask & (values != ""))
    lead = rng.random(len(idx)) < 0.3
    out[idx[lead]] = " " + values[idx[lead]]
    out[idx[~lead]] = values[idx[~lead]] + " "
    return out


def employer_display(
    names: ObjArray, mask: npt.NDArray[np.bool_], rng: np.random.Generator
) -> ObjArray:
    """Replace the masked employers by another spelling (Deloitte → Deloitte Consulting LLP)."""
    out = names.copy()
    out[mask] = choose_variant(names[mask], employer_variants, rng.random(int(mask.sum())))
    return out


@lru_cache(maxsize=4096)
def _title_variants(title: str) -> tuple[str, ...]:
    out = []
    for pattern, repl in load_pools().title_variants:
        if pattern in title:
            out.append(title.replace(pattern, repl, 1))
    return tuple(out)


def title_display(
    titles: ObjArray, mask: npt.NDArray[np.bool_], rng: np.random.Generator
) -> ObjArray:
    """Replace the masked titles by an abbreviated or reworded spelling (Senior → Sr.)."""
    out = titles.copy()
    out[mask] = choose_variant(
        titles[mask], lambda t: list(_title_variants(t)), rng.random(int(mask.sum()))
    )
    return out


def credentials(fields: ObjArray, rng: np.random.Generator) -> ObjArray:
    """Pick a field-appropriate post-nominal (PhD, CPA, RN, BSN ...) for every row."""
    by_field = {f.key: list(f.credentials) for f in load_pools().fields}
    return choose_variant(fields, lambda f: by_field.get(f, []), rng.random(len(fields)))


def degree_display(codes: ObjArray, rng: np.random.Generator) -> ObjArray:
    """Spell a degree code one of its usual ways (BS → B.S., BS, Bachelor of Science)."""
    names = load_pools().degree_names
    return choose_variant(codes, lambda c: list(names.get(c, (c,))), rng.random(len(codes)))


def linkedin_url(slugs: ObjArray) -> ObjArray:
    """Return the canonical profile URL LinkedIn writes in Connections.csv."""
    return np.where(slugs != "", "https://www.linkedin.com/in/" + slugs, "").astype(object)


def linkedin_url_variants(slugs: ObjArray, rng: np.random.Generator) -> ObjArray:
    """Return profile URLs spelled the many ways people paste them into spreadsheets."""
    n = len(slugs)
    decoded = map_unique(slugs, _unquote)
    country = rng.choice(LINKEDIN_COUNTRIES, n)
    pat = rng.choice(8, n, p=[0.38, 0.14, 0.08, 0.14, 0.1, 0.05, 0.07, 0.04])
    return np.select(
        [pat == 0, pat == 1, pat == 2, pat == 3, pat == 4, pat == 5, pat == 6],
        [
            "https://www.linkedin.com/in/" + slugs,
            "http://linkedin.com/in/" + slugs + "/",
            "https://" + country + ".linkedin.com/in/" + slugs + "?trk=public_profile",
            "www.linkedin.com/in/" + slugs,
            "linkedin.com/in/" + slugs,
            "https://www.linkedin.com/in/" + decoded,
            "https://www.linkedin.com/in/" + slugs + "/",
        ],
        default="https://www.LinkedIn.com/in/" + slugs + "?originalSubdomain=us",
    ).astype(object)


def _unquote(slug: str) -> str:
    from urllib.parse import unquote

    return unquote(slug)


def email_noise(
    emails: ObjArray, rng: np.random.Generator, p_case: float, p_space: float
) -> ObjArray:
    """Mix the case of some addresses and add stray spaces to others, as hand-kept lists do."""
    n = len(emails)
    out = emails.copy()
    title_case = chance(rng, n, p_case) & (emails != "")
    out[title_case] = map_unique(emails[title_case], _title_case_email)
    shout = chance(rng, n, p_case / 8) & (emails != "")
    out[shout] = map_unique(out[shout], str.upper)
    return pad_spaces(out, chance(rng, n, p_space), rng)


def _title_case_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return ".".join(p.capitalize() for p in local.split(".")) + "@" + domain.capitalize()


def random_dates(
    rng: np.random.Generator, start: npt.NDArray[np.datetime64], end: dt.date, skew: float = 0.7
) -> npt.NDArray[np.datetime64]:
    """Draw one date per row between start (per row) and end, skewed toward end."""
    end64 = np.datetime64(end, "D")
    start = np.minimum(start.astype("datetime64[D]"), end64)
    span = (end64 - start).astype(np.int64)
    offset = np.floor((rng.random(len(start)) ** skew) * (span + 1)).astype(np.int64)
    return start + offset.astype("timedelta64[D]")


def date_parts(dates: npt.NDArray[np.datetime64]) -> tuple[npt.NDArray[np.int64], ...]:
    """Split datetime64[D] values into year, month (1-12) and day arrays."""
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, days


def format_dd_mon_yyyy(dates: npt.NDArray[np.datetime64]) -> ObjArray:
    """Format like LinkedIn's Connected On since 2020: `03 Jan 2023`."""
    y, m, d = date_parts(dates)
    dd = zero_pad(d, 2)
    return dd + " " + MONTHS[m - 1] + " " + y.astype(str).astype(object)


def format_us_short(dates: npt.NDArray[np.datetime64], rng: np.random.Generator) -> ObjArray:
    """Format like LinkedIn's Invitations `Sent At`: `1/8/18, 6:14 PM` (no zero padding)."""
    y, m, d = date_parts(dates)
    n = len(dates)
    hour = rng.integers(0, 24, n)
    minute = zero_pad(rng.integers(0, 60, n), 2)
    h12 = np.where(hour % 12 == 0, 12, hour % 12).astype(str).astype(object)
    ampm = np.where(hour < 12, "AM", "PM").astype(object)
    yy = zero_pad((y % 100), 2)
    return (
        m.astype(str).astype(object)
        + "/"
        + d.astype(str).astype(object)
        + "/"
        + yy
        + ", "
        + h12
        + ":"
        + minute
        + " "
        + ampm
    )


def truth_frame(file: str, rows: npt.NDArray[np.int64], person_ids: ObjArray) -> pd.DataFrame:
    """Return the truth mapping for one file (person_id None where nobody is known)."""
    ids = np.array(person_ids, dtype=object, copy=True)
    ids[ids == ""] = None
    return pd.DataFrame({"file": file, "row": rows.astype(np.int64), "person_id": ids})
