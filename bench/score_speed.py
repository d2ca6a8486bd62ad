"""Scoring speed: score 1,000,000 synthetic people (target: under 20 s on a 2-core machine).

People are made by sampling real titles from bench/data/job_titles.csv (plus 5 % without a
title) and random relationships, employers, places, class years and connection dates. Prints
the median of 3 runs of `score_people`, and of the Employers rollup.

`python -m bench score-speed [--rows=N] [--distinct]`: `--distinct` also varies each title (a level,
a team, a second title) so that about a fifth of the rows hold a title no one else has, the
costliest case for the title matcher.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd

from bench.titles import load_titles
from pipeline.score import EmployerRating, build_target, employer_rollup, score_people
from pipeline.score.titles import forget_parsed_titles

ROWS = 1_000_000
RUNS = 3
T = TypeVar("T")
TARGET_SECONDS = 20.0
TODAY = dt.date(2026, 11, 27)
CITIES = [
    "New York, NY", "San Francisco Bay Area", "Boston, MA", "Chicago, IL", "Austin, TX",
    "London, United Kingdom", "Seattle, WA", "Remote", "Toronto, Canada", "",
]  # fmt: skip
INDUSTRIES = ["", "", "Computer Software", "Hospital & Health Care", "Financial Services",
              "Higher Education", "Marketing and Advertising", "Law Practice"]  # fmt: skip
LEVELS = ["Senior", "Junior", "Lead", "Principal", "Staff", "Sr.", "Associate", "Head of"]
TEAMS = ["Growth", "Platform", "EMEA", "Payments", "Consumer", "Research", "Ads", "Search"]
EXTRA = ["Mentor", "Founder", "Board Member", "Volunteer", "Speaker", "Advisor"]


def synthetic_people(rows: int, distinct: bool, seed: int = 7) -> pd.DataFrame:
    """Return `rows` people with real titles and random relationships."""
    rng = np.random.default_rng(seed)
    titles = load_titles()["title"].to_numpy(dtype=object)
    title = titles[rng.integers(0, len(titles), rows)]
    if distinct:
        title = _vary(title, rng)
    title[rng.random(rows) < 0.05] = ""
    companies = np.array([f"Company {i}" for i in range(20_000)] + ["Spotify", "Duolingo"])
    company = companies[rng.integers(0, len(companies), rows)]
    connection = rng.random(rows) < 0.3
    alum = rng.random(rows) < 0.8
    years = rng.integers(1960, 2027, rows).astype(float)
    years[rng.random(rows) < 0.3] = np.nan
    days = rng.integers(0, 365 * 12, rows)
    connected = (np.datetime64("2014-01-01") + days.astype("timedelta64[D]")).astype(str)
    email = np.where(rng.random(rows) < 0.4, "person@example.com", "")
    return pd.DataFrame(
        {
            "display_name": [f"Person {i}" for i in range(rows)],
            "title": title,
            "company": company,
            "company_key": np.char.lower(company.astype(str)),
            "industry": np.array(INDUSTRIES, dtype=object)[rng.integers(0, len(INDUSTRIES), rows)],
            "location": np.array(CITIES, dtype=object)[rng.integers(0, len(CITIES), rows)],
            "email": email,
            "email_opt_out": rng.random(rows) < 0.02,
            "linkedin_url": np.where(
                connection | (rng.random(rows) < 0.5), "https://www.linkedin.com/in/x", ""
            ),
            "is_connection": connection,
            "is_alum": alum | ~connection,
            "in_conversation": connection & (rng.random(rows) < 0.05),
            "grad_year": pd.array(years, dtype="Float64").astype("Int64"),
            "connected_on": np.where(connection, connected, ""),
        }
    )


def _vary(title: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add a level, a team or a second title to most titles, as profiles do."""
    rows = len(title)
    level = np.array(LEVELS, dtype=object)[rng.integers(0, len(LEVELS), rows)]
    team = np.array(TEAMS, dtype=object)[rng.integers(0, len(TEAMS), rows)]
    extra = np.array(EXTRA, dtype=object)[rng.integers(0, len(EXTRA), rows)]
    number = rng.integers(0, 50, rows).astype(str).astype(object)
    choice = rng.integers(0, 4, rows)
    varied = np.select(
        [choice == 0, choice == 1, choice == 2],
        [level + " " + title, title + ", " + team + " " + number, title + " | " + extra],
        default=title,
    )
    return varied.astype(object)


def timed(function: Callable[[], T], runs: int = RUNS) -> tuple[float, list[float], T]:
    """Run function `runs` times; return the median seconds, every time, and the last result."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times, result


def main(argv: list[str]) -> int:
    """Time scoring of a million people; return 1 when it takes 20 s or more."""
    rows = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--rows=")), ROWS)
    distinct = "--distinct" in argv
    people = synthetic_people(rows, distinct)
    n_titles = people["title"].nunique()
    target = build_target(
        "Data Science",
        roles=["data scientist", "machine learning engineer"],
        companies=["Spotify", "Duolingo"],
        locations=["New York", "Remote"],
        my_grad_year=2026,
    )
    employers = {
        f"company {i}": EmployerRating(motivation=i % 4, posting=1 + i % 3)
        for i in range(0, 20_000, 7)
    }
    print(
        f"Scoring speed: {rows:,} people, {n_titles:,} distinct titles"
        f"{' (varied)' if distinct else ''}, median of {RUNS} runs."
    )

    def score() -> pd.DataFrame:
        # Cold each run, as in a real run: no title parsed or matched before.
        forget_parsed_titles()
        fresh = build_target(
            target.field_text,
            roles=target.user_roles,
            companies=list(target.company_keys.values()),
            locations=["New York", "Remote"],
            my_grad_year=2026,
        )
        return score_people(people, fresh, employers=employers, today=TODAY)

    median, times, scored = timed(score)
    print(
        f"  score_people     median {median:6.2f} s   runs: {', '.join(f'{t:.2f}' for t in times)}"
    )
    rollup_median, rollup_times, _ = timed(lambda: employer_rollup(scored))
    print(
        f"  employer_rollup  median {rollup_median:6.2f} s   runs: "
        f"{', '.join(f'{t:.2f}' for t in rollup_times)}"
    )
    tiers = scored["tier"].value_counts().to_dict()
    print(f"  tiers: {tiers}; top: {scored.iloc[0]['title']!r} — {scored.iloc[0]['why']}")
    ok = median < TARGET_SECONDS
    print(
        f"Target: under {TARGET_SECONDS:.0f} s for {rows:,} people: {'met' if ok else 'NOT met'}."
    )
    return 0 if ok else 1
