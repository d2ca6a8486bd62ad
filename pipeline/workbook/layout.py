"""The workbook's contract: sheet names, column headers and widths (SPEC.md 'The workbook')."""

from __future__ import annotations

CONTACTS = "Contacts"
DRAFTS = "Drafts"
EMPLOYERS = "Employers"
REVIEW = "Review"
SKIPPED = "Skipped"
SUMMARY = "Summary"
QUESTIONS = "Questions"
CHANGES = "Changes"
SHEETS = (CONTACTS, DRAFTS, EMPLOYERS, REVIEW, SKIPPED, SUMMARY, QUESTIONS, CHANGES)

STATUSES = (
    "To contact",
    "Sent",
    "Replied",
    "Scheduled",
    "Met",
    "Thanked",
    "No reply",
    "Not now",
)

# (header, width); the contract's headers first, helpful extras after, hidden keys last.
CONTACT_COLUMNS = (
    ("Rank", 6),
    ("Tier", 5),
    ("Score", 7),
    ("Name", 22),
    ("Title", 30),
    ("Company", 22),
    ("Relationship", 18),
    ("Why", 48),
    ("Channel", 15),
    ("Email", 28),
    ("LinkedIn", 30),
    ("Status", 12),
    ("Date Sent", 11),
    ("Next Action", 26),
    ("Due", 11),
    ("Notes", 30),
    ("Location", 18),
    ("Class Year", 8),
    ("Data Notes", 30),
    ("Sources", 28),
    ("Contact ID", 11),
    ("Match Keys", 10),
)
CONTACT_HIDDEN = ("Match Keys",)
CONTACT_USER_COLUMNS = ("Status", "Date Sent", "Notes")

DRAFT_COLUMNS = (
    ("Contact ID", 11),
    ("Name", 22),
    ("Channel", 15),
    ("Step", 13),
    ("Subject", 34),
    ("Message", 70),
    ("Characters", 10),
    ("Limit", 15),
    ("Flags", 40),
    ("Open Email", 12),
    ("Generated", 10),
)
DRAFT_HIDDEN = ("Generated",)

EMPLOYER_COLUMNS = (
    ("Employer", 28),
    ("Contacts", 9),
    ("Alumni", 8),
    ("Connections", 11),
    ("Best Score", 10),
    ("Best Contact", 24),
    ("Motivation", 11),
    ("Posting", 9),
    ("Employer Key", 10),
)
EMPLOYER_HIDDEN = ("Employer Key",)
EMPLOYER_USER_COLUMNS = ("Motivation", "Posting")

REVIEW_COLUMNS = (
    ("Outcome", 12),
    ("Record A", 40),
    ("Where A", 24),
    ("Record B", 40),
    ("Where B", 24),
    ("Similarity", 10),
    ("Evidence", 50),
    ("Decision", 11),
    ("Key A", 10),
    ("Key B", 10),
)
REVIEW_HIDDEN = ("Key A", "Key B")

SKIPPED_COLUMNS = (("File", 26), ("Row", 7), ("Reason", 44), ("Raw Values", 90))
QUESTION_COLUMNS = (("Topic", 18), ("Question", 90), ("Your Notes", 40))
CHANGE_COLUMNS = (
    ("Change", 16),
    ("Name", 24),
    ("Before", 40),
    ("After", 40),
    ("Contact ID", 11),
)
