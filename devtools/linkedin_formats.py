"""How LinkedIn shapes its data export in each era: headers, dates, quoting (FORMATS.md §1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

_MSG_BASE = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO"]
_MSG_TAIL = ["DATE", "SUBJECT", "CONTENT", "FOLDER"]


@dataclass(frozen=True)
class Era:
    """How LinkedIn shaped its export in one period."""

    export_date: dt.date
    preamble: bool
    url_column: bool
    us_dates: bool
    messages_header: tuple[str, ...]
    messages_quoted: bool
    raw_newlines: bool
    invitation_urls: bool
    # Share of connections whose email is exported; before LinkedIn's email-download privacy
    # setting (2018) nearly everyone's was (FORMATS.md §1.3).
    email_share: float = 0.03


_MSG_2022 = (*_MSG_BASE, *_MSG_TAIL)
_MSG_2024 = (
    *_MSG_BASE,
    "RECIPIENT PROFILE URLS",
    *_MSG_TAIL,
    "IS MESSAGE DRAFT",
    "IS CONVERSATION DRAFT",
)
_MSG_2026 = (*_MSG_BASE, "RECIPIENT PROFILE URLS", *_MSG_TAIL, "ATTACHMENTS")
_MSG_2018 = ("From", "To", "Date", "Subject", "Content", "Direction", "Folder")
# The 2018 message columns carry the same values as their later upper-case names.
MSG_2018_SOURCE = {
    "From": "FROM",
    "To": "TO",
    "Date": "DATE",
    "Subject": "SUBJECT",
    "Content": "CONTENT",
    "Folder": "FOLDER",
}
ERAS = {
    "2018": Era(
        export_date=dt.date(2018, 11, 4),
        preamble=False,
        url_column=False,
        us_dates=True,
        messages_header=_MSG_2018,
        messages_quoted=False,
        raw_newlines=False,
        invitation_urls=False,
        email_share=0.98,
    ),
    "2020": Era(
        export_date=dt.date(2020, 2, 15),
        preamble=False,
        url_column=False,
        us_dates=False,
        messages_header=_MSG_2022,
        messages_quoted=False,
        raw_newlines=False,
        invitation_urls=False,
    ),
    "2022": Era(
        export_date=dt.date(2022, 9, 12),
        preamble=True,
        url_column=False,
        us_dates=False,
        messages_header=_MSG_2022,
        messages_quoted=False,
        raw_newlines=False,
        invitation_urls=False,
    ),
    "2024": Era(
        export_date=dt.date(2024, 12, 16),
        preamble=True,
        url_column=True,
        us_dates=False,
        messages_header=_MSG_2024,
        messages_quoted=False,
        raw_newlines=False,
        invitation_urls=True,
    ),
    "2026": Era(
        export_date=dt.date(2026, 3, 2),
        preamble=True,
        url_column=True,
        us_dates=False,
        messages_header=_MSG_2026,
        messages_quoted=True,
        raw_newlines=True,
        invitation_urls=True,
    ),
}
# Entry order inside LinkedIn's zip is not alphabetical (FORMATS.md §1.1).
ZIP_ORDER = ("Invitations.csv", "messages.csv", "Connections.csv", "Education.csv", "Profile.csv")


@dataclass(frozen=True)
class ExportOwner:
    """The (fictional) person whose LinkedIn export this is."""

    first: str = "Alex"
    last: str = "Rivera"
    headline: str = "Statistics student at Northfield University | Aspiring data scientist"
    summary: str = (
        "Senior studying statistics at Northfield University. Interested in experimentation, "
        "causal inference and how data teams work with product."
    )
    industry: str = "Higher Education"
    geo_location: str = "New York, New York, United States"
    school: str = "Northfield University"
    start: str = "Sep 2022"
    end: str = "May 2026"
    degree: str = "Bachelor of Science - BS"
    field_of_study: str = "Statistics"
    activities: str = "Statistics Club, Data Science Society, Women in Data"
    high_school: str = "Lakeshore High School"
    slug: str = "alex-rivera-nu26"
    target_fields: tuple[str, ...] = ("data_science",)

    @property
    def name(self) -> str:
        """Return the owner's display name."""
        return f"{self.first} {self.last}"

    @property
    def url(self) -> str:
        """Return the owner's profile URL."""
        return f"https://www.linkedin.com/in/{self.slug}"


def csv_text(header: list[str], records: list[list[str]], *, quote_all: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(
        buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows(records)
    return buf.getvalue()
