"""Account for the lines of a damaged text file: a quote never closed, rows with extra cells.

A CSV parser that meets an opening quote with no closing one reads every later line into that
one value, and the rows in those lines vanish without a word. Here the rows before the quote
are read as usual, and each line swallowed by it becomes a row of its own that is skipped with
a reason naming the line where the quote opened, so the user can fix it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# Marks the end of the text: if it lands inside a value, a quote was still open at the end.
_SENTINEL = "\ue000\ue001end"
# Lines between the first and the last of one value that each look like a whole row: a quote
# closed by accident much further down, not a long note.
MIN_SWALLOWED_ROWS = 2
DELIMITER_WORDS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def salvage_broken_quotes(
    text: str, delimiter: str, rows: list[list[str]], lines: list[int]
) -> tuple[list[list[str]], list[int], dict[int, str]]:
    """Split rows that a broken quote ran together back into lines, each with a skip reason.

    Returns the rows, their line numbers and, by row index, why a row is not read. A file
    without such a row comes back as it was, having cost one pass over the line numbers.
    """
    if not rows or '"' not in text:
        return rows, lines, {}
    spans = np.diff(np.asarray([*lines, lines[-1] + 1], dtype=np.int64))
    suspects = [int(i) for i in np.flatnonzero(spans[:-1] > MIN_SWALLOWED_ROWS)]
    last_row_breaks = any("\n" in value or "\r" in value for value in rows[-1])
    if not suspects and not last_row_breaks:
        return rows, lines, {}
    physical = _LINE_BREAK_RE.split(text)
    width = _usual_width(rows)
    broken: dict[int, tuple[int, int, str]] = {}
    for index in suspects:
        first, last = lines[index], lines[index + 1] - 1
        reason = _closed_by_accident(physical, first, last, delimiter, width)
        if reason:
            broken[index] = (first, last, reason)
    if last_row_breaks:
        reason = _unclosed_at_end(physical, lines[-1], delimiter)
        if reason:
            broken[len(rows) - 1] = (lines[-1], len(physical), reason)
    if not broken:
        return rows, lines, {}
    reasons: dict[int, str] = {}
    out_rows: list[list[str]] = []
    out_lines: list[int] = []
    for index, row in enumerate(rows):
        if index not in broken:
            out_rows.append(row)
            out_lines.append(lines[index])
            continue
        first, last, reason = broken[index]
        # Blank lines stay rows too: they are 'blank row' in Skipped, as anywhere else.
        numbers = list(range(first, last + 1))
        if width < 2:  # the quote swallowed the whole table: split as its lines do
            width = _usual_width([physical[n - 1].split(delimiter) for n in numbers])
        for number in numbers:
            # Shown in Skipped split at the separators, so the user sees whose row it was.
            reasons[len(out_rows)] = reason
            out_rows.append(physical[number - 1].split(delimiter, max(width - 1, 0)))
            out_lines.append(number)
    return out_rows, out_lines, reasons


def _usual_width(rows: Sequence[Sequence[str]]) -> int:
    widths = Counter(len(row) for row in rows if len(row) > 1)
    return widths.most_common(1)[0][0] if widths else 1


def _unclosed_at_end(physical: list[str], first: int, delimiter: str) -> str | None:
    """The reason for the last row if a quote in it is still open at the end of the file."""
    tail = "\n".join(physical[first - 1 :])
    if _SENTINEL in tail:
        return None
    parsed = list(csv.reader(io.StringIO(f"{tail}\n{_SENTINEL}", newline=""), delimiter=delimiter))
    if parsed and parsed[-1] == [_SENTINEL]:
        return None
    value = parsed[-1][-1] if parsed and parsed[-1] else ""
    value = value[: -len(_SENTINEL) - 1]  # the line break and marker added above
    # The open value runs to the end: the quote is on the line as many breaks up from the end.
    opened = first + tail.count("\n") - value.count("\n")
    return (
        f"inside a quote opened on line {opened} that is never closed, so every line after it "
        f"was read as one value. Close or remove that quote on line {opened}, save, and run again"
    )


def _closed_by_accident(
    physical: list[str], first: int, last: int, delimiter: str, width: int
) -> str | None:
    """The reason for a row whose inner lines each look like a whole row of the table."""
    if width < 3 or '"' not in physical[first - 1]:
        return None
    inner = physical[first : last - 1]
    if len(inner) < MIN_SWALLOWED_ROWS:
        return None
    # The first quote after the stray one closes it, so the lines it swallowed hold none; a
    # row with several multi-line values has quotes on the lines between them.
    if any('"' in line or len(line.split(delimiter)) != width for line in inner):
        return None  # a long note with line breaks, as LinkedIn's messages have
    return (
        f"inside a quote opened on line {first} and closed only on line {last}, so lines "
        f"{first}–{last} were read as one value. Close or remove the stray quote on line "
        f"{first}, save, and run again"
    )


def overlong_rows(
    rows: Sequence[Sequence[str]], header: Sequence[str], delimiter: str | None
) -> dict[int, str]:
    """Rows of a text file with more values than the header has columns, with the reason.

    A comma typed inside a value that is not in quotes ('Lee, Di') pushes every later value
    one column on: the name becomes 'Lee' and the email 'Di'. Such a row is not read rather
    than read wrong. When most rows are wider than the header, the header merely lacks names
    for the last columns, and nothing is skipped.
    """
    expected = _filled_width(header)
    if expected == 0:
        return {}
    # Only a row with more cells than the header's filled width can be too long.
    widths = {index: _filled_width(row) for index, row in enumerate(rows) if len(row) > expected}
    wider = {index: width for index, width in widths.items() if width > expected}
    if not wider:
        return {}
    if len(wider) * 2 > len(rows):
        expected = Counter(wider.values()).most_common(1)[0][0]
    word = DELIMITER_WORDS.get(delimiter or ",", "separator")
    return {
        index: (
            f"{width} values where the header has {expected} columns: a {word} inside a value "
            f"that is not in quotes shifts the values after it. Put that value in quotes or "
            f"remove the extra {word}, save, and run again"
        )
        for index, width in wider.items()
        if width > expected
    }


def _filled_width(row: Sequence[str]) -> int:
    for position in range(len(row) - 1, -1, -1):
        if row[position].strip():
            return position + 1
    return 0
