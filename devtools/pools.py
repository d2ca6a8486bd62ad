"""Load the name, field, employer and place pools that the fictional-people generator draws from."""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import numpy.typing as npt
import pandas as pd

DATA_DIR = Path(__file__).with_name("data")

ObjArray = npt.NDArray[np.object_]

# Letters that Unicode decomposition leaves alone but ASCII-only systems still flatten.
_FOLD_TABLE = str.maketrans(
    {
        "Đ": "D",
        "đ": "d",
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "Th",
        "þ": "th",
        "ð": "d",
        "ı": "i",
        "’": "'",
    }
)
_NOT_EMAIL = re.compile(r"[^a-z0-9]")
_SLUG_DROP = re.compile(r"['’.,()]")
_SLUG_SPACE = re.compile(r"[\s_]+")


def ascii_fold(text: str) -> str:
    """Drop accents the way ASCII-only databases do (José → Jose, Ødegaard → Odegaard)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def email_part(text: str) -> str:
    """Turn a name into the letters an email local part would use (O'Brien → obrien)."""
    return _NOT_EMAIL.sub("", ascii_fold(text).lower())


def slug_part(text: str, keep_unicode: bool) -> str:
    """Turn a name into a LinkedIn slug piece, percent-encoding accents when kept."""
    piece = _SLUG_SPACE.sub("-", _SLUG_DROP.sub("", text.strip().lower()))
    if keep_unicode:
        return quote(piece, safe="-")
    return ascii_fold(piece)


def zero_pad(values: npt.NDArray[np.int64], width: int) -> ObjArray:
    """Format non-negative integers with leading zeros (works on empty arrays too)."""
    return np.array([str(int(v)).zfill(width) for v in values], dtype=object)


def rank_weights(n: int, exponent: float = 0.9, offset: float = 3.0) -> npt.NDArray[np.float64]:
    """Return Zipf-like probabilities for a list ordered from most to least common."""
    w = 1.0 / np.power(np.arange(n, dtype=np.float64) + offset, exponent)
    return w / w.sum()


def map_unique(values: Any, func: Callable[[str], Any]) -> ObjArray:
    """Apply a Python function once per distinct string and broadcast the results."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    mapped = np.array([func(u) for u in uniques], dtype=object)
    out = np.empty(len(codes), dtype=object)
    if len(codes):
        out[:] = mapped[codes] if len(mapped) else ""
    return out


def choose_variant(
    values: ObjArray, variants_of: Callable[[str], list[str]], u: npt.NDArray[np.float64]
) -> ObjArray:
    """Pick one variant per value (u in [0, 1) chooses which); values without variants stay."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    lists = [variants_of(v) for v in uniques]
    width = max((len(x) for x in lists), default=0)
    out = np.asarray(values, dtype=object).copy()
    if width == 0:
        return out
    table = np.empty((len(uniques), width), dtype=object)
    counts = np.zeros(len(uniques), dtype=np.int64)
    for i, options in enumerate(lists):
        counts[i] = len(options)
        table[i, : len(options)] = options
    row_counts = counts[codes]
    has = row_counts > 0
    pick = np.minimum((u[has] * row_counts[has]).astype(np.int64), row_counts[has] - 1)
    out[has] = table[codes[has], pick]
    return out


def groups(keys: npt.NDArray[np.int64], n_groups: int) -> list[npt.NDArray[np.int64]]:
    """Split row indices by an integer key in one sort (instead of one mask per group)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n_groups + 1))
    return [order[bounds[g] : bounds[g + 1]] for g in range(n_groups)]


def empty_strings(n: int) -> ObjArray:
    """Return an object array of n empty strings."""
    out = np.empty(n, dtype=object)
    out[:] = ""
    return out


@dataclass(frozen=True)
class Origin:
    """One cultural naming tradition: first names by gender, surnames and their habits."""

    name: str
    weight: float
    female: ObjArray
    female_p: npt.NDArray[np.float64]
    male: ObjArray
    male_p: npt.NDArray[np.float64]
    neutral: ObjArray
    neutral_p: npt.NDArray[np.float64]
    neutral_rate: float
    middle_female: ObjArray
    middle_male: ObjArray
    middle_rate: float
    surnames: ObjArray
    surnames_p: npt.NDArray[np.float64]
    double_surname_rate: float
    english_name_rate: float
    feminine_surname: str
    suffix_rate: float


@dataclass(frozen=True)
class FieldSpec:
    """A career field: what its people studied, where they work and what they are called."""

    key: str
    label: str
    weight: float
    majors: ObjArray
    degrees: ObjArray
    degree_p: npt.NDArray[np.float64]
    industries: ObjArray
    industry_p: npt.NDArray[np.float64]
    credentials: tuple[str, ...]


@dataclass(frozen=True)
class Pools:
    """Everything loaded from devtools/data/."""

    origins: tuple[Origin, ...]
    fields: tuple[FieldSpec, ...]
    titles: dict[tuple[str, int], ObjArray]
    degree_names: dict[str, tuple[str, ...]]
    nicknames: dict[str, tuple[str, ...]]
    english_female: ObjArray
    english_male: ObjArray
    companies: pd.DataFrame
    company_words: dict[str, Any]
    cities: pd.DataFrame
    schools: tuple[str, ...]
    title_variants: tuple[tuple[str, str], ...]
    conversations: tuple[dict[str, Any], ...]
    invitation_notes: tuple[str, ...]


def _obj(items: Iterable[str]) -> ObjArray:
    return np.array(list(items), dtype=object)


def _weighted(pairs: list[list[Any]]) -> tuple[ObjArray, npt.NDArray[np.float64]]:
    names = _obj(str(p[0]) for p in pairs)
    w = np.array([float(p[1]) for p in pairs], dtype=np.float64)
    return names, w / w.sum()


def _load_origins() -> tuple[Origin, ...]:
    with (DATA_DIR / "names.toml").open("rb") as f:
        raw = tomllib.load(f)["origins"]
    origins = []
    for name, spec in raw.items():
        female, male = _obj(spec["female"]), _obj(spec["male"])
        neutral = _obj(spec.get("neutral", []))
        surnames = _obj(spec["surnames"])
        origins.append(
            Origin(
                name=name,
                weight=float(spec["weight"]),
                female=female,
                female_p=rank_weights(len(female)),
                male=male,
                male_p=rank_weights(len(male)),
                neutral=neutral,
                neutral_p=rank_weights(len(neutral)) if len(neutral) else np.zeros(0),
                neutral_rate=float(spec.get("neutral_rate", 0.0)),
                middle_female=_obj(spec.get("middle_female", spec["female"])),
                middle_male=_obj(spec.get("middle_male", spec["male"])),
                middle_rate=float(spec.get("middle_rate", 0.4)),
                surnames=surnames,
                surnames_p=rank_weights(len(surnames), exponent=0.8),
                double_surname_rate=float(spec.get("double_surname_rate", 0.0)),
                english_name_rate=float(spec.get("english_name_rate", 0.0)),
                feminine_surname=str(spec.get("feminine_surname", "")),
                suffix_rate=float(spec.get("suffix_rate", 0.0)),
            )
        )
    return tuple(origins)


def _load_fields() -> tuple[tuple[FieldSpec, ...], dict[str, tuple[str, ...]]]:
    with (DATA_DIR / "fields.toml").open("rb") as f:
        raw = tomllib.load(f)
    fields = []
    for key, spec in raw["fields"].items():
        degrees, degree_p = _weighted(spec["degrees"])
        industries, industry_p = _weighted(spec["industries"])
        fields.append(
            FieldSpec(
                key=key,
                label=spec["label"],
                weight=float(spec["weight"]),
                majors=_obj(spec["majors"]),
                degrees=degrees,
                degree_p=degree_p,
                industries=industries,
                industry_p=industry_p,
                credentials=tuple(spec["credentials"]),
            )
        )
    degree_names = {k: tuple(v) for k, v in raw["degree_names"].items()}
    return tuple(fields), degree_names


def _read_csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _load_titles() -> dict[tuple[str, int], ObjArray]:
    grouped: dict[tuple[str, int], list[str]] = {}
    for row in _read_csv_rows("titles.csv"):
        grouped.setdefault((row["field"], int(row["level"])), []).append(row["title"])
    return {k: _obj(v) for k, v in grouped.items()}


def _load_nicknames() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for row in _read_csv_rows("nicknames.csv"):
        grouped.setdefault(row["name"], []).append(row["nickname"])
    return {k: tuple(v) for k, v in grouped.items()}


def _load_english_names() -> tuple[ObjArray, ObjArray]:
    section = ""
    found: dict[str, list[str]] = {"female": [], "male": []}
    for line in (DATA_DIR / "english_names.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        found[section].append(line)
    return _obj(found["female"]), _obj(found["male"])


def _load_cities() -> pd.DataFrame:
    cities = pd.read_csv(DATA_DIR / "cities.csv", keep_default_na=False, dtype=str)
    cities["weight"] = cities["weight"].astype(float)
    return cities


def _load_companies(cities: pd.DataFrame) -> pd.DataFrame:
    table = pd.read_csv(DATA_DIR / "companies.csv", keep_default_na=False, dtype=str)
    table["employees"] = table["employees"].astype(float)
    table["alt_names"] = [tuple(a for a in s.split("|") if a) for s in table["alt_names"]]
    where = cities.drop_duplicates("city").set_index("city")
    table["state"] = table["city"].map(where["state"]).fillna("")
    table["country"] = table["city"].map(where["country"]).fillna("")
    table["fictional"] = table["domain"].str.endswith(".example")
    return table


def _load_schools() -> tuple[str, ...]:
    lines = (DATA_DIR / "schools.txt").read_text(encoding="utf-8").splitlines()
    return tuple(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def _load_title_variants() -> tuple[tuple[str, str], ...]:
    return tuple((r["pattern"], r["replacement"]) for r in _read_csv_rows("title_variants.csv"))


@lru_cache(maxsize=1)
def load_pools() -> Pools:
    """Load and cache every data file under devtools/data/."""
    fields, degree_names = _load_fields()
    cities = _load_cities()
    english_female, english_male = _load_english_names()
    with (DATA_DIR / "company_words.toml").open("rb") as f:
        company_words = tomllib.load(f)
    with (DATA_DIR / "messages.toml").open("rb") as f:
        messages = tomllib.load(f)
    return Pools(
        origins=_load_origins(),
        fields=fields,
        titles=_load_titles(),
        degree_names=degree_names,
        nicknames=_load_nicknames(),
        english_female=english_female,
        english_male=english_male,
        companies=_load_companies(cities),
        company_words=company_words,
        cities=cities,
        schools=_load_schools(),
        title_variants=_load_title_variants(),
        conversations=tuple(messages["conversations"]),
        invitation_notes=tuple(messages["invitation_notes"]),
    )
