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
DECISIONS = ("merge", "separate")
MOTIVATION_CHOICES = (0, 1, 2, 3)
POSTING_CHOICES = (1, 2, 3)

# (header, widest width); a column is fitted to its content up to that width. Contract headers
# first, helpful extras after, hidden keys last.
CONTACT_COLUMNS = (
    ("Rank", 6),
    ("Tier", 6),
    ("Score", 7),
    ("Name", 24),
    ("Title", 32),
    ("Company", 24),
    ("Relationship", 20),
    ("Why", 56),
    ("Channel", 15),
    ("Email", 34),
    ("LinkedIn", 34),
    ("Status", 12),
    ("Date Sent", 11),
    ("Next Action", 54),
    ("Due", 11),
    ("Notes", 36),
    ("Location", 20),
    ("Class Year", 8),
    ("Data Notes", 40),
    ("Sources", 30),
    ("Contact ID", 12),
    ("Match Keys", 10),
)
CONTACT_HIDDEN = ("Match Keys",)
CONTACT_WRAPPED = ("Why", "Notes")
CONTACT_USER_COLUMNS = ("Status", "Date Sent", "Notes")


def user_column(header: str) -> str:
    """Name the frame column of a Contacts column the user added (never one of ours)."""
    return f"user:{header}"


# Rows the user wrote about but who left the inputs carry this at the start of `Data Notes`.
KEPT_NOTE = "No longer in your inputs; kept for your status and notes"

DRAFT_COLUMNS = (
    ("Contact ID", 12),
    ("Name", 22),
    ("Channel", 15),
    ("Step", 13),
    ("Subject", 34),
    ("Message", 70),
    ("Characters", 10),
    ("Limit", 16),
    ("Flags", 40),
    ("Open Email", 12),
    ("Generated", 10),
)
DRAFT_HIDDEN = ("Generated",)
DRAFT_WRAPPED = ("Subject", "Message", "Flags")

EMPLOYER_COLUMNS = (
    ("Employer", 30),
    ("Contacts", 9),
    ("Alumni", 8),
    ("Connections", 12),
    ("Best Score", 10),
    ("Best Contact", 24),
    ("Motivation", 12),
    ("Posting", 9),
    ("Employer Key", 10),
)
EMPLOYER_HIDDEN = ("Employer Key",)
EMPLOYER_USER_COLUMNS = ("Motivation", "Posting")

REVIEW_COLUMNS = (
    ("Outcome", 16),
    ("Record A", 40),
    ("Where A", 24),
    ("Record B", 40),
    ("Where B", 24),
    ("Similarity", 11),
    ("Evidence", 50),
    ("Decision", 11),
    ("Key A", 10),
    ("Key B", 10),
)
REVIEW_HIDDEN = ("Key A", "Key B")
REVIEW_WRAPPED = ("Record A", "Record B", "Evidence")

SKIPPED_COLUMNS = (("File", 30), ("Row", 7), ("Reason", 50), ("Raw Values", 90))
QUESTION_COLUMNS = (("Topic", 18), ("Question", 90), ("Your Notes", 40), ("Built In", 8))
QUESTION_WRAPPED = ("Question", "Your Notes")
# 'yes' on the questions outreach wrote; a row without it is the user's own and always kept.
QUESTION_HIDDEN = ("Built In",)
CHANGE_COLUMNS = (
    ("Change", 20),
    ("Name", 24),
    ("Before", 40),
    ("After", 40),
    ("Contact ID", 12),
)

# Excel table names: unique in the workbook, no spaces, not a cell reference.
TABLE_NAMES = {
    CONTACTS: "ContactsTable",
    DRAFTS: "DraftsTable",
    EMPLOYERS: "EmployersTable",
    REVIEW: "ReviewTable",
    SKIPPED: "SkippedTable",
    QUESTIONS: "QuestionsTable",
    CHANGES: "ChangesTable",
}
