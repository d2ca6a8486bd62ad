"""Build the employer table (real companies plus a fictional long tail) and spell employer names
the different ways different sources do."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from devtools.pools import email_part, load_pools

# Share of people at one employer grows sub-linearly with its head count, so a few giants do
# not swallow the population while small firms still show up.
SIZE_EXPONENT = 0.55
# Generated firms get this boost so that the long tail is as visible as it is in real networks.
FICTIONAL_BOOST = 2.0

_LEGAL_SUFFIX = re.compile(
    r"(,? (Inc\.?|LLC|LLP|L\.L\.C\.|Corp\.?|Corporation|Incorporated|Co\.|Ltd\.?|PLLC|PBC|"
    r"S\.A\.|AB|AG|SE|GmbH|plc|PLC))+$"
)
# Institutions that never carry a legal-form suffix; their names vary in other ways.
_INSTITUTION = re.compile(
    r"School|Hospital|Medical Center|University|College|Academy|City of|County|Department|"
    r"Foundation|Society|Authority|Office of|Health|Clinic|Fund|Project|Friends of|Alliance|"
    r"Public Radio|Gazette|Tribune|District|Bank|Self-employed|Stealth"
)
_PUBLIC_SUFFIXES = {"com", "org", "net", "gov", "edu", "io", "ai", "co", "br", "uk", "example"}


def _fill(pattern: str, draws: np.ndarray, words: dict[str, list[str]]) -> str:
    """Fill {A} {B} {P} {S} slots, each from its own column of pre-drawn random numbers."""
    out = pattern
    for col, key in enumerate(("A", "B", "P", "S")):
        slot = "{" + key + "}"
        j = 0
        while slot in out:
            pool = words[key]
            out = out.replace(slot, pool[int(draws[col * 3 + j] * len(pool))], 1)
            j += 1
    return out


def _domain_for(name: str, industry: str) -> str:
    words = re.split(r"[\W_]+", _LEGAL_SUFFIX.sub("", name))
    words = [w for w in words if w and w.lower() not in {"the", "of", "and", "co"}]
    label = email_part("".join(words[:2])) or "company"
    tld = {
        "non-profit": "org",
        "government": "gov",
        "higher education": "edu",
        "K-12 education": "org",
    }.get(industry, "com")
    return f"{label}.{tld}"


def school_domain(school: str) -> str:
    """Return the web domain of a school (Northfield University → northfield.edu)."""
    words = [w for w in re.split(r"\W+", school) if w]
    core = [w for w in words if w.lower() not in {"university", "college", "of", "the", "state"}]
    return f"{email_part(''.join(core[:2]) or school)}.edu"


def safe_domain(domain: str) -> str:
    """Rewrite a real domain onto the reserved .example top-level domain (RFC 2606)."""
    if not domain:
        return ""
    labels = domain.lower().split(".")
    while len(labels) > 1 and labels[-1] in _PUBLIC_SUFFIXES:
        labels.pop()
    return ".".join(labels) + ".example"


def build_employers(rng: np.random.Generator, n_people: int, school: str) -> pd.DataFrame:
    """Return the employer table: real companies, the user's school and generated firms."""
    pools = load_pools()
    words = {k: list(pools.company_words[k]) for k in ("A", "B", "P")}
    words["S"] = [str(s) for o in pools.origins for s in o.surnames[:20]]
    per_industry = int(np.clip(n_people // 2000, 30, 200))
    cities = pools.cities
    city_p = (cities["weight"] / cities["weight"].sum()).to_numpy()

    names: list[str] = []
    industries: list[str] = []
    for industry, patterns in pools.company_words["patterns"].items():
        tries = per_industry * 2
        pattern_pick = rng.integers(0, len(patterns), tries)
        draws = rng.random((tries, 12))
        seen: dict[str, None] = {}
        for t in range(tries):
            if len(seen) >= per_industry:
                break
            seen.setdefault(_fill(patterns[pattern_pick[t]], draws[t], words))
        names.extend(seen)
        industries.extend([industry] * len(seen))
    where = rng.choice(len(cities), len(names), p=city_p)
    rows: list[dict[str, object]] = [
        {
            "name": name,
            "alt_names": (),
            "industry": industry,
            "employees": float(size),
            "domain": _domain_for(name, industry),
            "city": cities["city"].iat[w],
            "state": cities["state"].iat[w],
            "country": cities["country"].iat[w],
            "fictional": True,
        }
        for name, industry, size, w in zip(
            names,
            industries,
            np.clip(rng.lognormal(4.5, 1.6, len(names)), 3, 40000),
            where,
            strict=True,
        )
    ]
    schools = [school, *[s for s in pools.schools if s != school]]
    for i, name in enumerate(schools):
        rows.append(
            {
                "name": name,
                "alt_names": (),
                "industry": "higher education",
                "employees": 9000.0 if i == 0 else 4000.0,
                "domain": school_domain(name),
                "city": "",
                "state": "",
                "country": "",
                "fictional": True,
            }
        )
    table = pd.concat([pools.companies, pd.DataFrame(rows)], ignore_index=True)
    table = table.drop_duplicates("name", keep="first").reset_index(drop=True)
    weight = np.power(table["employees"].to_numpy(dtype=np.float64), SIZE_EXPONENT)
    weight[table["domain"].eq("").to_numpy()] *= 0.2  # stealth and self-employed stay rare
    generated = table["alt_names"].map(len).eq(0).to_numpy() & table["fictional"].to_numpy()
    weight[generated] *= FICTIONAL_BOOST
    table["weight"] = weight
    return table


@lru_cache(maxsize=1)
def _known_alt_names() -> dict[str, tuple[str, ...]]:
    table = load_pools().companies
    return dict(zip(table["name"], table["alt_names"], strict=True))


def employer_variants(name: str) -> list[str]:
    """List other spellings of an employer: legal names, abbreviations, suffix changes."""
    if not name:
        return []
    known = _known_alt_names().get(name)
    if known:
        return list(known)
    stripped = _LEGAL_SUFFIX.sub("", name)
    if stripped != name:
        return [stripped]
    if _INSTITUTION.search(name):
        out = []
        if " & " in name:
            out.append(name.replace(" & ", " and "))
        if name.startswith("St. "):
            out.append("Saint " + name[4:])
        if name.startswith("The "):
            out.append(name[4:])
        return out
    return [name + " Inc.", name + ", Inc.", name + " LLC"]
