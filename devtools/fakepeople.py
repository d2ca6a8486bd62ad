"""Fictional people for tests, benchmarks and the sample data.

Every person generated here is INVENTED: first and last names are drawn independently from pools
of common names, so any match with a real person is chance. Employer names may be real
companies. By default every email address is on the reserved `.example` domain (RFC 2606).

Public API:
- generate_population(n_people, seed, school) -> one row per true person.
- write_linkedin_export / write_alumni_xlsx / write_alumni_csv render people into the real file
  shapes and return the truth: columns file, row, person_id, where row is the 1-based line
  (CSV, preamble and header counted) or sheet row (Excel) a person sees opening the file.
- make_dataset(folder, ...) writes a LinkedIn export folder plus both alumni files with a
  chosen overlap between sources and namesakes (hard negatives), and returns the full truth.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from devtools.alumni_files import write_alumni_csv, write_alumni_xlsx
from devtools.linkedin_export import ERAS, ExportOwner, write_linkedin_export
from devtools.population import (
    POPULATION_COLUMNS,
    REFERENCE_YEAR,
    copy_names,
    derive_handles,
    generate_population,
)

__all__ = [
    "POPULATION_COLUMNS",
    "ExportOwner",
    "generate_population",
    "make_dataset",
    "same_person_pairs",
    "write_alumni_csv",
    "write_alumni_xlsx",
    "write_linkedin_export",
]

LINKEDIN_FOLDER = "linkedin_export"
DIRECTORY_FILE = "alumni_directory.xlsx"
CAREER_FILE = "alumni_career_office.csv"
# Of a user's connections that are in no alumni file: classmates (current students of the
# school), alumni missing from both directories, and everybody else.
CLASSMATE_SHARE = 0.12
UNLISTED_ALUM_SHARE = 0.08
# Share of people in all three sources, relative to the smallest pairwise overlap.
TRIPLE_SHARE = 0.3


@dataclass(frozen=True)
class _Plan:
    """How many people go in each region of the three-source Venn diagram."""

    cxv: int
    cx: int
    cv: int
    xv: int
    x_only: int
    v_only: int
    classmates: int
    unlisted_alums: int
    c_other: int

    @property
    def alumni_needed(self) -> int:
        return (
            self.cxv + self.cx + self.cv + self.xv + self.x_only + self.v_only + self.unlisted_alums
        )


def _plan(n_c: int, n_x: int, n_v: int, overlap: float) -> _Plan:
    n_xv = round(overlap * min(n_x, n_v))
    n_cx = round(overlap * min(n_c, n_x))
    n_cv = round(overlap * min(n_c, n_v))
    cxv = round(TRIPLE_SHARE * min(n_cx, n_cv, n_xv))
    cx, cv, xv = n_cx - cxv, n_cv - cxv, n_xv - cxv
    c_rest = n_c - cx - cv - cxv
    classmates = round(CLASSMATE_SHARE * c_rest)
    unlisted = round(UNLISTED_ALUM_SHARE * c_rest)
    return _Plan(
        cxv=cxv,
        cx=cx,
        cv=cv,
        xv=xv,
        x_only=n_x - cx - xv - cxv,
        v_only=n_v - cv - xv - cxv,
        classmates=classmates,
        unlisted_alums=unlisted,
        c_other=c_rest - classmates - unlisted,
    )


def _take(pool: npt.NDArray[np.int64], cursor: list[int], k: int) -> npt.NDArray[np.int64]:
    start = cursor[0]
    cursor[0] += k
    return pool[start : start + k]


def _rename_namesakes(
    people: pd.DataFrame,
    members: npt.NDArray[np.int64],
    fraction: float,
    email_style: str,
    rng: np.random.Generator,
) -> None:
    """Give some file members the first and last name of another member (hard negatives)."""
    k = max(3, round(fraction * len(members))) if len(members) >= 12 else 0
    k = min(k, len(members) // 2)
    if k == 0:
        return
    chosen = rng.choice(members, 2 * k, replace=False)
    src, dst = chosen[:k], chosen[k:]
    cols = {
        c: people[c].to_numpy(dtype=object, copy=True)
        for c in ("first", "last", "nickname", "gender", "origin", "suffix", "middle", "maiden")
    }
    copy_names(cols, src, dst, rng)
    for col, values in cols.items():
        people[col] = values
    people.loc[dst, "namesake_of"] = people["person_id"].to_numpy()[src]

    sub = people.loc[dst].copy()
    domains = sub["work_email"].str.partition("@")[2].to_numpy(dtype=object)
    derive_handles(sub, rng, domains, email_style)
    rest = people[~people.index.isin(dst)]
    for col in ("work_email", "personal_email", "linkedin_slug"):
        values = sub[col].to_numpy(dtype=object)
        clash = pd.Series(values).isin(rest[col]).to_numpy() & (values != "")
        tag = np.array(
            [format(int(h), "x") for h in rng.integers(16**4, 16**5, len(values))], dtype=object
        )
        for i in np.flatnonzero(clash):  # rare: a handful of rows at most
            local, at, domain = str(values[i]).partition("@")
            values[i] = f"{local}{tag[i]}{at}{domain}" if at else f"{local}-{tag[i]}"
        people.loc[dst, col] = values


def make_dataset(
    folder: str | Path,
    *,
    n_connections: int,
    n_alumni_csv: int,
    n_alumni_xlsx: int,
    overlap: float = 0.25,
    seed: int,
    hidden_members: int | None = None,
    school: str = "Northfield University",
    era: str = "2026",
    namesake_fraction: float = 0.002,
    field_weights: Mapping[str, float] | None = None,
    featured_employers: Mapping[str, int] | None = None,
    conversations: int | None = None,
    invitations: int | None = None,
    zip_export: bool = False,
    email_style: str = "safe",
    truth_name: str | None = "truth.csv",
    people_name: str | None = None,
) -> pd.DataFrame:
    """Write a LinkedIn export folder and two alumni files for one fictional user; return the truth.

    Layout: folder/linkedin_export/{Connections,Profile,Education,messages,Invitations}.csv,
    folder/alumni_directory.xlsx, folder/alumni_career_office.csv, folder/truth.csv (unless
    truth_name is None) and folder/people.csv when people_name is given.

    overlap: for each pair of sources, that share of the smaller source are people also in the
        other one (some are in all three), spelled differently per source. At most 0.5.
    hidden_members: Connections rows with only a date (default 1.5% of n_connections).
    namesake_fraction: share of file members renamed after another member (distinct people,
        same first and last name). At least 3 pairs when there are enough people.
    Returns a DataFrame file, row, person_id; hidden members and other unknowable rows have
    person_id None (each is its own person).
    """
    if not 0 <= overlap <= 0.5:
        raise ValueError("overlap must be between 0 and 0.5")
    if min(n_connections, n_alumni_csv, n_alumni_xlsx) < 0:
        raise ValueError("file sizes must be >= 0")
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; choose one of {sorted(ERAS)}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(6)]
    rng = np.random.default_rng(seeds[0])
    plan = _plan(n_connections, n_alumni_xlsx, n_alumni_csv, overlap)
    n_invites = min(5, max(plan.x_only + plan.v_only, 0)) if invitations is None else invitations

    # Size the population so each pool (graduates, current students, non-alumni) is big enough.
    graduated_share = 1 - 0.08  # LEVEL_SHARES[0] are students
    need = plan.alumni_needed
    n_alum = math.ceil((need + 4 * math.sqrt(need) + 10) / graduated_share)
    n_alum = max(n_alum, math.ceil(plan.classmates / 0.06) if plan.classmates else 0)
    n_non = plan.c_other + 10
    n_total = n_alum + n_non
    people = generate_population(
        n_total,
        seeds[1],
        school,
        alum_fraction=n_alum / n_total,
        namesake_fraction=0.0,
        field_weights=field_weights,
        featured_employers=featured_employers,
        email_style=email_style,
    )
    is_alum = people["is_alum"].to_numpy()
    graduated = people["grad_year"].to_numpy() < REFERENCE_YEAR
    grads = rng.permutation(np.flatnonzero(is_alum & graduated))
    students = rng.permutation(np.flatnonzero(is_alum & ~graduated))
    others = rng.permutation(np.flatnonzero(~is_alum))

    cur = [0]
    cxv, cx, cv, xv = (_take(grads, cur, k) for k in (plan.cxv, plan.cx, plan.cv, plan.xv))
    x_only, v_only = _take(grads, cur, plan.x_only), _take(grads, cur, plan.v_only)
    unlisted = _take(grads, cur, plan.unlisted_alums)
    classmates = students[: plan.classmates]
    short = plan.classmates - len(classmates)
    c_other = others[: plan.c_other + short]
    if cur[0] > len(grads):
        raise RuntimeError("population too small for the plan; this is a bug in make_dataset")

    connections = rng.permutation(np.concatenate([cxv, cx, cv, unlisted, classmates, c_other]))
    directory = np.concatenate([cxv, cx, xv, x_only])
    career = np.concatenate([cxv, cv, xv, v_only])
    not_connected = np.concatenate([x_only, v_only])
    invitees = rng.choice(not_connected, min(n_invites, len(not_connected)), replace=False)
    members = np.unique(np.concatenate([connections, directory, career]))
    _rename_namesakes(
        people, members, namesake_fraction, email_style, np.random.default_rng(seeds[2])
    )

    n_hidden = round(0.015 * n_connections) if hidden_members is None else hidden_members
    n_conv = min(6, n_connections // 10) if conversations is None else conversations
    spec = ERAS[era]
    zip_path = None
    if zip_export:
        zip_path = out / f"Complete_LinkedInDataExport_{spec.export_date:%m-%d-%Y}.zip"
    truths = [
        write_linkedin_export(
            out / LINKEDIN_FOLDER,
            people.iloc[connections],
            era=era,
            hidden_members=n_hidden,
            seed=seeds[3],
            zip_path=zip_path,
            owner=ExportOwner(school=school),
            conversations=n_conv,
            invitees=people.iloc[invitees],
        ),
        write_alumni_xlsx(
            out / DIRECTORY_FILE, people.iloc[directory], seed=seeds[4], school=school
        ),
        write_alumni_csv(out / CAREER_FILE, people.iloc[career], seed=seeds[5], school=school),
    ]
    truth = pd.concat(truths, ignore_index=True)
    if truth_name:
        truth.to_csv(out / truth_name, index=False)
    if people_name:
        people.iloc[members].to_csv(out / people_name, index=False)
    return truth


def same_person_pairs(truth: pd.DataFrame) -> pd.DataFrame:
    """List every pair of truth rows that are the same person (for pairwise precision/recall).

    Returns columns file_a, row_a, file_b, row_b, person_id with (file_a, row_a) < (file_b, row_b).
    Rows without a person_id (hidden members) pair with nothing.
    """
    known = truth.dropna(subset=["person_id"])
    known = known[known["person_id"] != ""]
    pairs = known.merge(known, on="person_id", suffixes=("_a", "_b"))
    first = (pairs["file_a"] < pairs["file_b"]) | (
        (pairs["file_a"] == pairs["file_b"]) & (pairs["row_a"] < pairs["row_b"])
    )
    return pairs.loc[first, ["file_a", "row_a", "file_b", "row_b", "person_id"]].reset_index(
        drop=True
    )
