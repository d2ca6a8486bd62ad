"""Contacts' Next Action and Due: the live Excel formulas, evaluated here for every status."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.workbook.contacts import due_formula as _due_formula
from pipeline.workbook.contacts import next_action_formula as _next_action_formula
from pipeline.workbook.layout import CONTACT_COLUMNS, STATUSES
from tests.conftest import run_workspace

HEADERS = [header for header, _ in CONTACT_COLUMNS]
STATUS, SENT, CHANNEL = (
    get_column_letter(HEADERS.index("Status") + 1),
    get_column_letter(HEADERS.index("Date Sent") + 1),
    get_column_letter(HEADERS.index("Channel") + 1),
)
TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"]|"")*")|(?P<num>\d+(?:\.\d+)?)|(?P<ref>[A-Z]{1,3}\d+)'
                   r'|(?P<fn>[A-Z.]+)\(|(?P<op><>|<=|>=|[=<>&,()]))')  # fmt: skip


class Formula:
    """Evaluate the subset of Excel the Contacts formulas use, with Excel's semantics.

    Blank cells equal "" and are not numbers; text compares case-insensitively; WORKDAY skips
    weekends; EDATE adds calendar months; IF evaluates only the branch it takes.
    """

    def __init__(self, text: str, cells: dict[str, Any]) -> None:
        assert text.startswith("=")
        self.tokens = self._tokenize(text[1:])
        self.cells = cells
        self.pos = 0

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        while pos < len(text):
            match = TOKEN.match(text, pos)
            assert match, f"cannot read formula at {text[pos:]!r}"
            kind = match.lastgroup
            assert kind is not None
            tokens.append((kind, match.group(kind)))
            pos = match.end()
        return tokens

    def value(self) -> Any:
        result = self._comparison()
        assert self.pos == len(self.tokens), "formula has trailing tokens"
        return result

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("", "")

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.pos]
        assert expected is None or token[1] == expected, f"expected {expected}, got {token}"
        self.pos += 1
        return token

    def _comparison(self) -> Any:
        left = self._concat()
        while self._peek()[1] in ("=", "<>", "<", ">", "<=", ">="):
            op = self._take()[1]
            right = self._concat()
            a, b = _comparable(left), _comparable(right)
            if op in ("=", "<>"):
                left = (a == b) == (op == "=")
            else:  # Excel orders any number before any text, and text before TRUE/FALSE
                a, b = (_rank(a), a), (_rank(b), b)
                if a[0] != b[0]:
                    a, b = a[0], b[0]
                left = {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return left

    def _concat(self) -> Any:
        left = self._atom()
        while self._peek()[1] == "&":
            self._take()
            left = f"{_text(left)}{_text(self._atom())}"
        return left

    def _atom(self) -> Any:
        kind, text = self._take()
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "num":
            return float(text)
        if kind == "ref":
            value = self.cells.get(text)
            return "" if value is None else value
        if kind == "op" and text == "(":
            inner = self._comparison()
            self._take(")")
            return inner
        assert kind == "fn", f"unexpected {text}"
        return self._call(text)

    def _arguments(self) -> list[int]:
        """Return the token position of each argument, skipping over them, and the closing ')'."""
        starts, depth = [self.pos], 0
        while True:
            kind, text = self._take()
            if kind == "fn" or text == "(":
                depth += 1
            elif text == ")" and depth:
                depth -= 1
            elif text == ")":
                return starts
            elif text == "," and not depth:
                starts.append(self.pos)

    def _evaluate_at(self, start: int) -> Any:
        saved, self.pos = self.pos, start
        value = self._comparison()
        self.pos = saved
        return value

    def _call(self, name: str) -> Any:
        starts = self._arguments()
        if name == "IF":
            condition = self._evaluate_at(starts[0])
            branch = starts[1] if condition else (starts[2] if len(starts) > 2 else None)
            return False if branch is None else self._evaluate_at(branch)
        args = [self._evaluate_at(s) for s in starts]
        if name == "ISNUMBER":
            return isinstance(args[0], int | float | dt.date) and not isinstance(args[0], bool)
        if name == "OR":
            return any(args)
        if name == "AND":
            return all(args)
        if name == "WORKDAY":
            day, left = _as_date(args[0]), int(args[1])
            while left:
                day += dt.timedelta(days=1)
                left -= day.weekday() < 5
            return day
        if name == "EDATE":
            day, months = _as_date(args[0]), int(args[1])
            month = day.month - 1 + months
            year, month = day.year + month // 12, month % 12 + 1
            return dt.date(year, month, min(day.day, 28))
        raise AssertionError(f"function {name} not supported by this evaluator")


def _comparable(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _rank(value: Any) -> int:
    return 2 if isinstance(value, bool) else 1 if isinstance(value, str) else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def evaluate(status: str | None, sent: Any, channel: str = "LinkedIn note") -> tuple[Any, Any]:
    """Return (Next Action, Due) for one row as Excel would compute them."""
    cells = {f"{STATUS}2": status, f"{SENT}2": sent, f"{CHANNEL}2": channel}
    action = Formula(_next_action_formula(2, STATUS, SENT, CHANNEL), cells).value()
    due = Formula(_due_formula(2, STATUS, SENT), cells).value()
    return action, due


MONDAY = dt.datetime(2025, 3, 3)
FOLLOW = "No reply by the due date? Send the follow-up (Drafts)"


@pytest.mark.parametrize(
    ("status", "sent", "action", "due"),
    [
        (None, None, "Send the first message (LinkedIn note)", ""),
        ("To contact", None, "Send the first message (LinkedIn note)", ""),
        (None, MONDAY, "Set Status to Sent (you entered a date)", ""),
        ("Sent", None, "Add the date you sent it", ""),
        ("Sent", MONDAY, FOLLOW, dt.date(2025, 3, 12)),
        ("sent", dt.datetime(2025, 3, 7), FOLLOW, dt.date(2025, 3, 18)),
        ("Sent", "3/3/2025", "Retype Date Sent as a date", ""),
        ("Replied", MONDAY, "Agree on a time to talk", ""),
        ("Scheduled", MONDAY, "Prepare: see the Questions sheet", ""),
        ("Met", MONDAY, "Send the thank-you note today (Drafts)", ""),
        ("Thanked", MONDAY, "Keep in touch; share how their advice worked out", ""),
        ("No reply", MONDAY, "Try another channel, or let it go", ""),
        ("Not now", MONDAY, "Check back in about 3 months", dt.date(2025, 6, 3)),
        ("Not now", None, "Check back in about 3 months", ""),
        ("Waiting", MONDAY, "Pick a status from the list", ""),
    ],
)  # fmt: skip
def test_next_action_and_due_follow_status_and_date(status, sent, action, due) -> None:
    assert evaluate(status, sent) == (action, due)


def test_every_status_in_the_dropdown_has_its_own_action() -> None:
    actions = {evaluate(status, MONDAY)[0] for status in STATUSES}
    assert len(actions) == len(STATUSES)
    assert "Pick a status from the list" not in actions


def test_no_channel_says_find_a_way() -> None:
    assert evaluate(None, None, channel="")[0] == "Find a way to reach them"


def test_follow_up_is_seven_business_days_over_a_weekend() -> None:
    # Sent on a Friday: 7 business days later is the Tuesday after next.
    assert evaluate("Sent", dt.date(2025, 3, 7))[1] == dt.date(2025, 3, 18)
    assert dt.date(2025, 3, 18).weekday() == 1


def test_workbook_rows_carry_the_formulas(run_cli, workspace: Path) -> None:
    out = workspace / "out.xlsx"
    result = run_workspace(run_cli, workspace)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sheet = book["Contacts"]
    header = [cell.value for cell in sheet[1]]
    action_col, due_col = header.index("Next Action"), header.index("Due")
    for row in range(2, sheet.max_row + 1):
        assert sheet.cell(row, action_col + 1).value == _next_action_formula(
            row, STATUS, SENT, CHANNEL
        )
        assert sheet.cell(row, due_col + 1).value == _due_formula(row, STATUS, SENT)
