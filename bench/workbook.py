"""Time writing the workbook for N contacts and reading the user's work back from it."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.drafts import Draft
from pipeline.workbook import SummaryContent, WorkbookContent, read_previous, write_workbook

TITLES = ["Senior Data Scientist", "Machine Learning Engineer", "Data Analyst", "Consultant"]
COMPANIES = ["Spotify", "Duolingo", "Capital One", "Etsy", "Pfizer", "Deloitte", "IBM"]


def synthetic_contacts(count: int, seed: int = 7) -> pd.DataFrame:
    """Contacts shaped like the pipeline's output, best first, with realistic text lengths."""
    rng = np.random.default_rng(seed)
    score = np.sort(rng.uniform(10, 99, count))[::-1].round(1)
    ids = [f"C{i:08X}" for i in range(count)]
    title = rng.choice(TITLES, count)
    company = rng.choice(COMPANIES, count)
    names = [f"Person{i} Example" for i in range(count)]
    has_email = rng.random(count) < 0.6
    frame = pd.DataFrame(
        {
            "rank": np.arange(1, count + 1),
            "tier": np.where(score >= 62, "A", np.where(score >= 42, "B", "C")),
            "score": score,
            "display_name": names,
            "title": title,
            "company": company,
            "relationship": rng.choice(["Alum", "Connection", "Connection + Alum"], count),
            # As in sample_data: the best fifth have a long, two-line reason, the rest a short one.
            "why": [
                f"{t} ≈ data scientist (your role) · alum '19 · works at {c} (target)"
                if rank < count // 5
                else "alum '19 · 1st-degree connection"
                for rank, (t, c) in enumerate(zip(title, company, strict=True))
            ],
            "channel": np.where(has_email, "Email", "LinkedIn message"),
            "email": [f"person{i}@example.com" if e else "" for i, e in enumerate(has_email)],
            "linkedin_url": [f"https://www.linkedin.com/in/person-{i}" for i in range(count)],
            "location": "New York, NY",
            "grad_year": rng.integers(1990, 2025, count).astype(float),
            "data_notes": "",
            "sources": [f"alumni.csv:{i + 2}" for i in range(count)],
            "contact_id": ids,
            "match_keys": [f"em:person{i}@example.com" for i in range(count)],
            "Status": None,
            "Date Sent": None,
            "Notes": None,
        }
    )
    # A user who has been at it for a while: a status and a note on one contact in fifty.
    worked = frame.index[::50]
    frame.loc[worked, "Status"] = "Sent"
    frame.loc[worked, "Date Sent"] = dt.date(2026, 3, 4)
    frame.loc[worked, "Notes"] = "asked about the team; follow up after the conference"
    return frame


def content_for(contacts: pd.DataFrame) -> WorkbookContent:
    top = contacts.head(50)
    drafts = [
        Draft(cid, name, "Email", "first message", "Quick question", "Hi! " * 80, 2000, "chars")
        for cid, name in zip(top["contact_id"], top["display_name"], strict=True)
    ]
    employers = pd.DataFrame(
        {
            "employer_key": [c.lower() for c in COMPANIES],
            "employer": COMPANIES,
            "contacts": 1,
            "alumni": 1,
            "connections": 0,
            "best_score": 90.0,
            "best_contact": "Person0 Example",
            "Motivation": None,
            "Posting": None,
        }
    )
    review_columns = ["key_a", "key_b", "name_a", "where_a", "name_b", "where_b"]
    review_columns += ["similarity", "evidence", "outcome", "decision"]
    empty = pd.DataFrame(columns=review_columns)
    summary = SummaryContent(
        generated=dt.datetime.now(),
        inputs=[],
        facts=[("People after merging duplicates", len(contacts))],
        tiers=contacts["tier"].value_counts().to_dict(),
        top_employers=[(c, 1, 90.0) for c in COMPANIES],
        changes={},
    )
    return WorkbookContent(
        contacts=contacts,
        kept=pd.DataFrame(),
        drafts=drafts,
        employers=employers,
        review=empty,
        skipped=pd.DataFrame(columns=["file", "row", "reason", "raw"]),
        summary=summary,
        questions=[("Work", "What does a normal week look like?", "", True)],
        changes=pd.DataFrame(columns=["change", "name", "before", "after", "contact_id"]),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench workbook")
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    contacts = synthetic_contacts(options.contacts)
    writes, reads, cpu = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "outreach.xlsx"
        for _ in range(options.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            write_workbook(content_for(contacts), out)
            writes.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            started = time.perf_counter()
            previous = read_previous(out)
            reads.append(time.perf_counter() - started)
        size = out.stat().st_size
    assert len(previous.contacts) == options.contacts
    print(
        f"workbook: {options.contacts:,} contacts, {size / 1e6:.1f} MB; "
        f"write median {_times(writes)}, CPU median {statistics.median(cpu):.1f} s; "
        f"read back median {_times(reads)}"
    )
    return 0


def _times(seconds: list[float]) -> str:
    runs = ", ".join(f"{t:.1f}" for t in seconds)
    return f"{statistics.median(seconds):.1f} s ({runs})"
