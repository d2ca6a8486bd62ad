"""Write a synthetic alumni CSV of N fictional people, for timing `outreach run` at scale.

    .venv/bin/python -m bench.make_alumni_csv 100000 /tmp/alumni_100k.csv

Deterministic (seeded). Names mix 'Last, First' and 'First Last ’YY'; a fifth of the class
years are written as floats ('2019.0'); 60% have an email, 30% a LinkedIn link.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

FIRST = (
    "Maya", "Jordan", "Ana", "Li", "Omar", "Grace", "Tomás", "Zoë", "Sam", "Priya", "Kwame",
    "Elena", "Noah", "Aisha", "Ivan", "Mei", "Lucas", "Sofia", "Ethan", "Fatima", "Jonas",
    "Chloe", "Diego", "Hana", "Leo", "Nina", "Arjun", "Olga", "Yusuf", "Clara",
)  # fmt: skip
LAST = (
    "Chen", "Okafor", "García", "Nguyen", "Smith", "Kowalski", "Haddad", "Müller", "Rossi",
    "Patel", "Johnson", "Dubois", "Kim", "Silva", "Novak", "Ivanova", "Brown", "Tanaka",
    "O'Neil", "Schmidt", "Lopez", "Cohen", "Ali", "Larsen", "Moreau", "Costa", "Singh",
)  # fmt: skip
SYLLABLES = "ka lo mi ran ste vo ber gu ne sha tor el dan qui ro zel mo ha pin lu ver cas ti wen"
COMPANIES = (
    "Spotify", "Duolingo", "Acme Inc.", "Deloitte", "Pfizer", "Google", "Meta", "Northwind",
    "Contoso Ltd", "Globex", "Initech", "Umbrella Corp", "Stark Industries", "Hooli",
)  # fmt: skip
CITIES = (("New York", "NY"), ("Boston", "MA"), ("Chicago", "IL"), ("Austin", "TX"))
HEADER = ("Constituent ID", "Name", "Class Year", "Employer", "Job Title", "Preferred E-mail",
          "LinkedIn", "City", "State")  # fmt: skip


def main(argv: list[str]) -> int:
    """Write the file; titles come from bench/data/job_titles.csv."""
    rows, out = int(argv[0]), Path(argv[1])
    rng = random.Random(7)
    here = Path(__file__).parent
    with (here / "data" / "job_titles.csv").open(encoding="utf-8") as handle:
        titles = [row["title"] for row in csv.DictReader(handle)]
    syllables = SYLLABLES.split()
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            first = rng.choice(FIRST)
            if rng.random() < 0.2:
                last = rng.choice(LAST)
            else:
                last = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()
            year = rng.randint(1960, 2025)
            name = f"{last}, {first}" if i % 3 else f"{first} {last} ’{year % 100:02d}"
            slug = f"{first}-{last}-{i:x}".lower()
            city, state = rng.choice(CITIES)
            writer.writerow(
                [
                    f"A{i:07d}",
                    name,
                    f"{year}.0" if i % 5 == 0 else str(year),
                    rng.choice(COMPANIES),
                    rng.choice(titles),
                    f"{first}.{last}{i}@example.com".lower() if rng.random() < 0.6 else "",
                    f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.3 else "",
                    city,
                    state,
                ]
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
