"""`python -m bench drafts`: how often drafts fit their channel on realistic names and employers.

Contacts are drawn (seeded, so every run is the same) from data the project ships: given names
from pipeline/data/nicknames.csv (1,415 names across 20+ naming traditions), employers as people
write them from pipeline/data/company_aliases.csv, and real job titles from
bench/data/job_titles.csv. Each sender profile below is a typical user of the tool.
"""

from __future__ import annotations

import csv
import random
import statistics
from collections import Counter
from pathlib import Path

from pipeline.datafiles import data_path
from pipeline.drafts import EMAIL, Sender, Templates, draft_for_contact
from pipeline.drafts.lint import measure

TITLES = Path(__file__).parent / "data" / "job_titles.csv"
SENDERS = {
    "student, short intro": Sender(
        "Alex Rivera", "a senior studying statistics", "Data Science", "Northfield University", 2026
    ),
    "student, long intro": Sender(
        "Priya Raghunathan",
        "a junior majoring in economics with a minor in computer science",
        "Data Science",
        "University of Michigan",
        2027,
    ),
    "career changer": Sender(
        "Jordan Lee",
        "a high-school math teacher moving into data science",
        "Data Science",
        "Massachusetts Institute of Technology",
        2012,
        is_student=False,
    ),
}


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.reader(lines))[1:]


def sample_contacts(count: int, seed: int = 6) -> list[dict[str, object]]:
    """Return `count` contacts with realistic names, employers, titles and relationships."""
    rng = random.Random(seed)
    names = sorted({n.title() for row in _rows(data_path("nicknames.csv")) for n in row[:2]})
    companies = sorted({c for row in _rows(data_path("company_aliases.csv")) for c in row[:2]})
    titles_rows = _rows(TITLES)
    in_field = [row[0] for row in titles_rows if row[3] == "1"]
    any_title = [row[0] for row in titles_rows]
    contacts = []
    for index in range(count):
        alum = rng.random() < 0.6
        contacts.append(
            {
                "contact_id": f"C{index:08X}",
                "display_name": "",
                "first": rng.choice(names),
                "title": rng.choice(in_field if rng.random() < 0.7 else any_title),
                "company": rng.choice(companies) if rng.random() < 0.95 else "",
                "email": "",
                "linkedin_url": "https://www.linkedin.com/in/x",
                "is_alum": alum,
                "grad_year": rng.randint(1995, 2025) if alum and rng.random() < 0.8 else None,
                "company_is_target": rng.random() < 0.2,
            }
        )
    return contacts


def main(argv: list[str]) -> int:
    """Print, per sender, the share of connection notes that fit 200 characters, and more."""
    count = 2000
    templates = Templates()
    contacts = sample_contacts(count)
    print(f"{count} contacts: names from nicknames.csv, employers from company_aliases.csv")
    for label, sender in SENDERS.items():
        forms: Counter[str] = Counter()
        sizes: list[int] = []
        masked: set[str] = set()
        for contact in contacts:
            note = draft_for_contact(contact, sender, templates)[0]
            long_text = templates.render(
                "linkedin_note", "long", _context(contact, sender), str(contact["contact_id"])
            )
            sizes.append(measure(note.message, "characters"))
            over = any(flag.startswith("over the limit") for flag in note.flags)
            forms["over 200: flagged" if over else "fits 200"] += 1
            forms["long form fits"] += note.message == long_text and not over
            masked.add(note.message.replace(str(contact["first"]), "NAME"))
        emails = [
            draft_for_contact({**c, "email": "a@b.co"}, sender, templates)[0] for c in contacts
        ]
        words = [measure(e.message, "words") for e in emails if e.channel == EMAIL]
        print(
            f"\n{label} ({sender.intro!r}):\n"
            f"  notes that fit 200 characters: {forms['fits 200']} of {count} "
            f"({forms['fits 200'] / count:.2%}) "
            f"(long form {forms['long form fits'] / count:.1%}); flagged over: "
            f"{forms['over 200: flagged']} ({forms['over 200: flagged'] / count:.2%})\n"
            f"  note length: median {statistics.median(sizes):.0f}, "
            f"90th percentile {statistics.quantiles(sizes, n=10)[-1]:.0f}, max {max(sizes)}\n"
            f"  distinct notes once the first name is masked: {len(masked) / count:.1%}\n"
            f"  email words: median {statistics.median(words):.0f}, max {max(words)} (limit 120)"
        )
    return 0


def _context(contact: dict[str, object], sender: Sender) -> dict[str, object]:
    from pipeline.drafts.context import build_context, field_phrase

    field = field_phrase(sender.field_label, sender.field_label)
    context, _ = build_context(contact, sender, field, "note")
    return {**context, "step": "first"}


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
