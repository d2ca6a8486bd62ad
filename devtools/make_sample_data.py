"""Regenerate the committed sample_data/ folder (fictional people only), deterministically.

Run from the repository root: `python -m devtools.make_sample_data [--out DIR] [--truth PATH]`.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from devtools.fakepeople import make_dataset
from devtools.pools import DATA_DIR

SEED = 20260302
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "sample_data"
# More people in and around data science than in the general population, so the ranking for
# the sample profile (Data Science) has real candidates to order, and plenty of non-targets.
SAMPLE_FIELD_WEIGHTS = {"data_science": 14.0, "software": 10.0, "product": 4.0}
SAMPLE_FEATURED = {"Spotify": 8, "Duolingo": 6}


def build_sample_data(out: Path, truth_path: Path | None = None) -> pd.DataFrame:
    """Write the sample LinkedIn export, alumni files, profile and README into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "linkedin_export", ignore_errors=True)
    truth = make_dataset(
        out,
        n_connections=400,
        n_alumni_xlsx=600,
        n_alumni_csv=300,
        overlap=0.3,
        seed=SEED,
        hidden_members=5,
        era="2026",
        namesake_fraction=0.006,
        field_weights=SAMPLE_FIELD_WEIGHTS,
        featured_employers=SAMPLE_FEATURED,
        conversations=6,
        invitations=5,
        truth_name=None,
    )
    shutil.copyfile(DATA_DIR / "sample_profile.toml", out / "profile.toml")
    shutil.copyfile(DATA_DIR / "sample_README.md", out / "README.md")
    if truth_path is not None:
        truth_path.parent.mkdir(parents=True, exist_ok=True)
        truth.to_csv(truth_path, index=False)
    return truth


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and regenerate the sample data."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder to write (default: sample_data/)"
    )
    parser.add_argument("--truth", type=Path, help="also write the truth (file,row,person_id) here")
    args = parser.parse_args(argv)
    truth = build_sample_data(args.out, args.truth)
    print(f"wrote {args.out} ({len(truth)} rows across {truth['file'].nunique()} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
