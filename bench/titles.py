"""Title benchmark: how well the score ranks real job titles by fit with a field.

Reads bench/data/job_titles.csv (6,055 real titles labelled 0/1 for 12 fields, see
bench/data/JOB_TITLES.md) and scores every title as a person with nothing else known, so the
ranking depends on the title alone. Prints ROC AUC and precision@50 per field, with only
`target.field` set and with `field` + 3 roles, on all titles and on the O*NET-only subset
(whose titles were not selected by keyword rules, unlike the find_job_titles part).

`python -m bench titles [--errors]`; `--errors` also prints each field's worst-ranked titles.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.score import build_target, score_people

DATA = Path(__file__).resolve().parent / "data" / "job_titles.csv"
TOP_K = 50
TARGET_AUC = 0.95
TARGET_PRECISION = 0.9

# What a user exploring each field would write in profile.toml: the field as they would name
# it, and three roles they might add. Chosen from general knowledge of each field, not from
# the benchmark's titles or labels.
FIELDS: dict[str, tuple[str, tuple[str, str, str]]] = {
    "data-science": (
        "Data Science",
        ("data scientist", "machine learning engineer", "statistician"),
    ),
    "software-engineering": (
        "Software Engineering",
        ("software engineer", "software developer", "full stack developer"),
    ),
    "product-management": (
        "Product Management",
        ("product manager", "product owner", "technical product manager"),
    ),
    "ux-design": ("UX Design", ("ux designer", "product designer", "user researcher")),
    "marketing": (
        "Marketing",
        ("marketing manager", "brand manager", "digital marketing specialist"),
    ),
    "investment-banking": (
        "Investment Banking",
        ("investment banking analyst", "m&a associate", "capital markets analyst"),
    ),
    "accounting": ("Accounting", ("staff accountant", "auditor", "tax associate")),
    "nursing": ("Nursing", ("registered nurse", "nurse practitioner", "icu nurse")),
    "teaching": (
        "Teaching",
        ("high school teacher", "elementary school teacher", "special education teacher"),
    ),
    "law": ("Law", ("attorney", "associate attorney", "public defender")),
    "mechanical-engineering": (
        "Mechanical Engineering",
        ("mechanical engineer", "mechanical design engineer", "hvac engineer"),
    ),
    "journalism": ("Journalism", ("reporter", "editor", "news producer")),
}


@dataclass(frozen=True)
class Metrics:
    """One field's ranking quality on one subset of titles."""

    positives: int
    auc: float
    precision: float
    k: int


def load_titles(path: Path = DATA) -> pd.DataFrame:
    """Read the labelled titles: title, source, and one 0/1 column per field."""
    with path.open(encoding="utf-8", newline="") as handle:
        frame = pd.DataFrame(list(csv.DictReader(handle)))
    for slug in FIELDS:
        frame[slug] = frame[slug].astype(int)
    frame["onet"] = frame["source"].str.startswith("onet")
    return frame


def people_from_titles(titles: pd.Series) -> pd.DataFrame:
    """One person per title, every other column blank, so only the title can move the score."""
    count = len(titles)
    return pd.DataFrame(
        {
            "display_name": [f"Person {i}" for i in range(count)],
            "title": titles.to_numpy(),
            "company": "",
            "company_key": "",
            "industry": "",
            "location": "",
            "email": "",
            "email_opt_out": False,
            "linkedin_url": "",
            "is_connection": False,
            "is_alum": False,
            "in_conversation": False,
            "grad_year": pd.array([pd.NA] * count, dtype="Int64"),
            "connected_on": "",
        }
    )


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Return the ROC AUC (Mann-Whitney, ties counted half)."""
    ranks = pd.Series(scores).rank(method="average").to_numpy()
    positives = labels == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def precision_at(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Return the expected precision of the top k when ties at the cut are broken at random."""
    order = np.argsort(-scores, kind="stable")
    cut = scores[order[k - 1]]
    above = scores > cut
    tied = scores == cut
    slots = k - int(above.sum())
    hits = labels[above].sum() + slots * labels[tied].mean()
    return float(hits / k)


def measure(scores: np.ndarray, labels: np.ndarray) -> Metrics:
    """Return AUC and precision@50 (precision@positives when a field has fewer than 50)."""
    positives = int(labels.sum())
    k = min(TOP_K, positives)
    return Metrics(positives, roc_auc(scores, labels), precision_at(scores, labels, k), k)


def field_scores(frame: pd.DataFrame, field_text: str, roles: tuple[str, ...]) -> np.ndarray:
    """Score every title for one profile; return the scores in the frame's order."""
    target = build_target(field_text, roles=roles)
    people = people_from_titles(frame["title"])
    people["order"] = np.arange(len(people))
    scored = score_people(people, target)
    return scored.sort_values("order")["score"].to_numpy(dtype=float)


def print_table(title: str, rows: dict[str, dict[str, Metrics]]) -> dict[str, float]:
    """Print one table of metrics per field and return the mean of each column."""
    columns = list(next(iter(rows.values())))
    print(f"\n{title}")
    head = f"{'field':<24}" + "".join(f"{c:>22}" for c in columns)
    print(head)
    print(f"{'':<24}" + "".join(f"{'pos   AUC   P@k':>22}" for _ in columns))
    for slug, by_column in rows.items():
        cells = []
        for column in columns:
            m = by_column[column]
            k_note = "" if m.k == TOP_K else f"@{m.k}"
            cells.append(f"{m.positives:>5} {m.auc:6.3f} {m.precision:5.2f}{k_note:<4}")
        print(f"{slug:<24}" + "".join(f"{c:>22}" for c in cells))
    means = {}
    cells = []
    for column in columns:
        auc = float(np.nanmean([rows[s][column].auc for s in rows]))
        precision = float(np.mean([rows[s][column].precision for s in rows]))
        means[f"{column} AUC"], means[f"{column} P"] = auc, precision
        cells.append(f"{'':>5} {auc:6.3f} {precision:5.3f}   ")
    print(f"{'mean':<24}" + "".join(f"{c:>22}" for c in cells))
    return means


def print_errors(frame: pd.DataFrame, slug: str, scores: np.ndarray, count: int = 8) -> None:
    """Print the lowest-scored positives and highest-scored negatives of one field."""
    labels = frame[slug].to_numpy()
    ranked = frame.assign(score=scores)
    low = ranked[labels == 1].nsmallest(count, "score")
    high = ranked[labels == 0].nlargest(count, "score")
    print(f"  {slug}: missed positives")
    for row in low.itertuples():
        print(f"    {row.score:5.1f}  {row.title}  [{row.source}]")
    print(f"  {slug}: top negatives")
    for row in high.itertuples():
        print(f"    {row.score:5.1f}  {row.title}  [{row.source}]")


def main(argv: list[str]) -> int:
    """Run the title benchmark; return 1 when a target is missed."""
    started = time.perf_counter()
    frame = load_titles()
    onet = frame["onet"].to_numpy()
    print(
        f"Title benchmark: {len(frame):,} titles ({int(onet.sum()):,} from O*NET), "
        f"{len(FIELDS)} fields; score from the title alone (nothing else known)."
    )
    all_rows: dict[str, dict[str, Metrics]] = {}
    onet_rows: dict[str, dict[str, Metrics]] = {}
    scores_by: dict[tuple[str, str], np.ndarray] = {}
    for slug, (field_text, roles) in FIELDS.items():
        labels = frame[slug].to_numpy()
        all_rows[slug], onet_rows[slug] = {}, {}
        for column, given_roles in (("field", ()), ("field + 3 roles", roles)):
            scores = field_scores(frame, field_text, given_roles)
            scores_by[(slug, column)] = scores
            all_rows[slug][column] = measure(scores, labels)
            onet_rows[slug][column] = measure(scores[onet], labels[onet])
    means = print_table("All titles", all_rows)
    onet_means = print_table("O*NET titles only", onet_rows)
    print(
        "\nP@k is precision@50; '@n' marks a field with fewer than 50 positives in the subset, "
        "where precision@n (n = its positives) is shown instead."
    )
    print("Roles used with 'field + 3 roles':")
    for slug, (field_text, roles) in FIELDS.items():
        print(f"  {slug:<24} field = {field_text!r}, roles = {list(roles)}")
    if "--errors" in argv:
        print("\nWorst-ranked titles (field alone):")
        for slug in FIELDS:
            print_errors(frame, slug, scores_by[(slug, "field")])
    ok = means["field AUC"] >= TARGET_AUC and means["field P"] >= TARGET_PRECISION
    verdict = "met" if ok else "NOT met"
    print(
        f"\nTargets (all titles, field alone): mean AUC >= {TARGET_AUC} "
        f"(got {means['field AUC']:.3f}), mean precision@50 >= {TARGET_PRECISION} "
        f"(got {means['field P']:.3f}): {verdict}. O*NET-only: AUC "
        f"{onet_means['field AUC']:.3f}, precision {onet_means['field P']:.3f}. "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0 if ok else 1
