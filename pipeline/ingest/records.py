"""Turn one table's rows into records and a ledger of skipped rows, each with its visible row."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
import pandas as pd

from pipeline.errors import InputError
from pipeline.ingest.headers import (
    CONFIDENCE_GATE,
    SAMPLE_VALUES,
    ColumnMapping,
    HeaderRow,
    alias_table,
    map_columns,
    normalize_header,
    read_header,
)
from pipeline.ingest.salvage import overlong_rows
from pipeline.ingest.tables import RawTable

RECORD_FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "middle_name",
    "maiden_name",
    "nickname",
    "name_suffix",
    "name_prefix",
    "email",
    "linkedin",
    "company",
    "title",
    "industry",
    "city",
    "state",
    "country",
    "location",
    "school",
    "grad_year",
    "degree",
    "major",
    "phone",
    "connected_on",
    "external_id",
    "deceased",
    "do_not_contact",
    "email_opt_out",
)
IDENTITY_FIELDS = ("full_name", "first_name", "last_name", "email", "linkedin")
SKIPPED_COLUMNS = ("file", "row", "reason", "raw")
# No name, title, employer or address is this long; matching cost grows with length squared.
MAX_FIELD_CHARS = 1_000
CUT_MARK = " [cut: longer than 1,000 characters]"
BLANK_ROW = "blank row"
REPEATED_HEADER = "repeated header row"
NOTE_LINE = "a note or total line, not a person"
# Report exports end with a line such as 'Total records: 212' or 'Page 3 of 9' in one cell.
_NOTE_LINE_RE = re.compile(
    r"^\s*(grand\s+total|totals?|count|number of|records?|rows?|generated|printed|page\s+\d|"
    r"confidential|report|source|exported|prepared|run\s+(date|on)|end\s+of|as\s+of|"
    r"filter|criteria)\b",
    re.IGNORECASE,
)


@dataclass
class SourceReport:
    """What the ingester understood of one input table: shown by `inspect` and in Summary."""

    path: str
    name: str
    kind: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header_row: int
    columns: list[ColumnMapping]
    rows_read: int = 0
    rows_kept: int = 0
    rows_skipped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def used_fields(self) -> dict[str, list[str]]:
        """Map each canonical field to the headers that feed it."""
        used: dict[str, list[str]] = {}
        for mapping in self.columns:
            if mapping.field:
                used.setdefault(mapping.field, []).append(mapping.header)
        return used


@dataclass
class SourceTable:
    """The data rows of one table as strings (kept to show a skipped row's raw values)."""

    headers: list[str]
    frame: pd.DataFrame


@dataclass
class TableRecords:
    """One table read: its report, its records, its skipped rows and its raw cells."""

    report: SourceReport
    records: pd.DataFrame
    skipped: pd.DataFrame
    table: SourceTable


def format_raw(headers: Sequence[str], values: Sequence[str]) -> str:
    """Join a row's non-empty cells with their headers, in file order."""
    parts = []
    for position, value in enumerate(values):
        if value is None or str(value) == "":
            continue
        header = headers[position] if position < len(headers) else f"column {position + 1}"
        parts.append(f"{header}={value}")
    return " | ".join(parts)


def header_of(table: RawTable, overrides: Mapping[str, str], origin: str) -> HeaderRow:
    """Find a table's header row or say clearly that there is none."""
    header = read_header(table.rows, overrides, table.merged)
    if header is None:
        raise InputError(
            "no row looks like a header",
            where=origin + (f" sheet '{table.sheet}'" if table.sheet else ""),
            fix="Add a header row, or map the columns in profile.toml [columns].",
        )
    return header


def table_records(
    table: RawTable,
    name: str,
    kind: str,
    overrides: Mapping[str, str],
    *,
    src: int,
    origin: str,
) -> TableRecords:
    """Map one table's data rows to records; blank, header and note rows are skipped."""
    header = header_of(table, overrides, origin)
    data_rows = table.rows[header.index + 1 :]
    lines = table.line_numbers[header.index + 1 :]
    lengths = set(map(len, data_rows))
    width = max([len(header.cells), *lengths])
    if len(lengths) > 1:
        # Short rows (a CSV line with fewer separators) are padded: their missing cells are empty.
        data_rows = [
            row + [""] * (width - len(row)) if len(row) < width else row for row in data_rows
        ]
    frame = pd.DataFrame(data_rows, dtype=object)
    for position in range(frame.shape[1], width):
        frame[position] = ""
    frame = frame.fillna("").astype(str)
    frame.columns = list(range(frame.shape[1]))
    # The trimmed values as plain object columns: each test below passes over every value, and
    # on a million rows pandas' string dtype adds a scan for missing values to each pass.
    stripped = pd.DataFrame(
        {p: [v.strip() for v in frame[p].tolist()] for p in frame.columns},
        index=frame.index,
        columns=frame.columns,
        dtype=object,
    )

    # Excel pads rows to the sheet's width and keeps formatted rows after the data: cells that
    # are empty from top to bottom, header included, are not part of the table.
    labels = HeaderRow(
        header.index,
        header.cells + [""] * (frame.shape[1] - len(header.cells)),
        header.groups + [""] * (frame.shape[1] - len(header.groups)),
    ).labels
    nonempty = stripped.ne("")
    filled_cols = nonempty.any(axis=0).to_numpy()
    keep_cols = [p for p in range(frame.shape[1]) if filled_cols[p] or labels[p]]
    filled = nonempty[keep_cols]
    blank = ~filled.any(axis=1)
    notes = list(table.notes)
    grouped = any(header.groups)
    end = header.index - 1 if grouped else header.index
    above = [row for row in table.rows[:end] if any(cell.strip() for cell in row)]
    if grouped:
        notes.append(f"row {table.line_numbers[end]} holds group labels, read with the header")
    if above:
        what = "LinkedIn's 'Notes:' preamble" if above[0][0].strip() == "Notes:" else "a title"
        lines_above = f"{len(above)} line{'s' if len(above) > 1 else ''}"
        notes.append(f"{lines_above} above the header ({what}) not read as data")
    last = int(blank[::-1].idxmin()) if len(blank) and not blank.all() else -1
    trailing = len(frame) - 1 - last
    if trailing:
        notes.append(f"{trailing} empty row{'s' if trailing > 1 else ''} after the data ignored")
        frame, stripped, blank, filled = (
            frame.iloc[: last + 1],
            stripped.iloc[: last + 1],
            blank.iloc[: last + 1],
            filled.iloc[: last + 1],
        )
        lines = lines[: last + 1]
    frame = frame[keep_cols]
    stripped = stripped[keep_cols]
    frame.columns = stripped.columns = list(range(len(keep_cols)))
    cells = [header.cells[p] if p < len(header.cells) else "" for p in keep_cols]
    groups = [header.groups[p] if p < len(header.groups) else "" for p in keep_cols]
    extra = [p for p in keep_cols if p >= len(header.cells) or not labels[p]]
    if extra:
        notes.append(
            f"{len(extra)} column{'s' if len(extra) > 1 else ''} with data but no header "
            "(shown as 'column N', not used)"
        )
    headers = _unique_headers([labels[p] for p in keep_cols])
    _check_overrides(overrides, headers, cells, origin)
    samples = [
        list(islice(filter(None, column.tolist()), SAMPLE_VALUES)) for _, column in stripped.items()
    ]
    mappings = map_columns(cells, [], overrides, groups, samples=samples)
    for mapping, label in zip(mappings, headers, strict=True):
        mapping.header = label

    reasons = _row_reasons(stripped, blank, filled, headers, cells)
    _add_damage_reasons(reasons, table, header, data_rows)
    line_series = pd.Series(lines, index=frame.index, dtype="int64")
    skip_mask = reasons.ne("")
    skipped = pd.DataFrame(
        {
            "file": name,
            "row": line_series[skip_mask].to_numpy(),
            "reason": reasons[skip_mask].to_numpy(),
            "raw": [format_raw(headers, frame.loc[i].tolist()) for i in frame.index[skip_mask]],
        },
        columns=list(SKIPPED_COLUMNS),
    )
    keep = ~skip_mask
    records = pd.DataFrame(
        {
            "file": name,
            "row": line_series[keep].to_numpy(),
            "source": kind,
            "src": src,
            "idx": pd.RangeIndex(len(frame))[keep.to_numpy()].to_numpy(),
        }
    )
    _fill_fields(records, stripped, keep, mappings)
    notes.extend(cap_long_values(records, mappings))
    report = SourceReport(
        path=origin,
        name=name,
        kind=kind,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        header_row=table.line_numbers[header.index],
        columns=mappings,
        rows_read=len(frame),
        rows_kept=int(keep.sum()),
        rows_skipped=int(skip_mask.sum()),
        notes=notes,
    )
    frame = frame.reset_index(drop=True)
    return TableRecords(report, records, skipped, SourceTable(headers=headers, frame=frame))


def _row_reasons(
    stripped: pd.DataFrame,
    blank: pd.Series,
    filled: pd.DataFrame,
    headers: Sequence[str],
    cells: Sequence[str],
) -> pd.Series:
    """Say why a data row is not a record: blank, a repeated header, a note line; else ''."""
    reasons = pd.Series("", index=stripped.index, dtype=object)
    # Rows equal to the header, ignoring case: each column only looks at the rows that
    # matched so far, so past the first column there is next to nothing left to compare.
    same = np.ones(len(stripped), dtype=bool)
    for position, cell in enumerate(cells):
        rows = np.flatnonzero(same)
        if cell and len(rows):
            target = cell.lower()
            values = stripped[position].to_numpy()[rows].tolist()
            same[rows] = np.array([v.lower() == target for v in values], dtype=bool)
    repeated = pd.Series(same, index=stripped.index) & ~blank & any(cells)
    single = filled.sum(axis=1).eq(1) & (len(headers) >= 3)
    note = pd.Series(False, index=stripped.index)
    if single.any():
        text = stripped[single].apply(lambda row: " ".join(v for v in row if v), axis=1)
        # 'Total records: 212' or 'Page 3 of 9', but not a lone name such as 'Count Basie'.
        wordy = text.str.contains(r"[\d:]") | text.str.split().str.len().ge(3)
        note[text.index] = (text.str.match(_NOTE_LINE_RE) & wordy).to_numpy()
    reasons[note] = NOTE_LINE
    reasons[repeated] = REPEATED_HEADER
    reasons[blank] = BLANK_ROW
    return reasons


def _add_damage_reasons(
    reasons: pd.Series, table: RawTable, header: HeaderRow, data_rows: Sequence[Sequence[str]]
) -> None:
    """Skip, with the reason, lines of a broken quote and text rows with too many values."""
    damaged: dict[int, str] = {}
    if table.format == "text":
        damaged.update(overlong_rows(data_rows, header.cells, table.delimiter))
    first = header.index + 1
    damaged.update({i - first: why for i, why in table.skip_reasons.items() if i >= first})
    for position, why in damaged.items():
        if position in reasons.index and reasons[position] == "":
            reasons[position] = why


def cap_long_values(records: pd.DataFrame, mappings: Sequence[ColumnMapping]) -> list[str]:
    """Cut values far longer than any name, title or address could be; say which were cut.

    A 5 MB 'Title' (a damaged file, or a whole letter pasted into a cell) made title matching
    run for hours: it compares every word with every other. The cell in the workbook keeps
    the start of the value and says it was cut.
    """
    notes = []
    headers = {m.field: m.header for m in mappings if m.field}
    for field_name in headers:
        if field_name not in records or not len(records):
            continue
        column = records[field_name]
        if max(map(len, column.tolist())) <= MAX_FIELD_CHARS:
            continue  # a pass in C; .str.len() takes ten times as long on a million rows
        long = column.str.len().gt(MAX_FIELD_CHARS)
        rows = ", ".join(str(row) for row in records.loc[long, "row"].head(3))
        count = int(long.sum())
        records.loc[long, field_name] = column[long].str.slice(0, MAX_FIELD_CHARS) + CUT_MARK
        notes.append(
            f"{count} value{'s' if count > 1 else ''} in '{headers[field_name]}' longer than "
            f"{MAX_FIELD_CHARS:,} characters (row{'s' if count > 1 else ''} {rows}) "
            f"{'were' if count > 1 else 'was'} cut to the first {MAX_FIELD_CHARS:,}: is the file "
            "damaged?"
        )
    return notes


def _fill_fields(
    records: pd.DataFrame,
    stripped: pd.DataFrame,
    keep: pd.Series,
    mappings: Sequence[ColumnMapping],
) -> None:
    """Copy each mapped column into its canonical field; multi-valued fields are joined."""
    multi = alias_table().multi
    for field_name in RECORD_FIELDS:
        positions = [
            m.position
            for m in mappings
            if m.field == field_name and m.confidence >= CONFIDENCE_GATE
        ]
        if not positions:
            records[field_name] = ""
            continue
        if field_name in multi and len(positions) > 1 and keep.any():
            # (With no row kept, apply() would return an empty frame, not a column.)
            joined = stripped.loc[keep, positions].apply(
                lambda row: "; ".join(dict.fromkeys(v for v in row if v)), axis=1
            )
            records[field_name] = joined.to_numpy()
        else:
            records[field_name] = stripped.loc[keep, positions[0]].to_numpy()


def _unique_headers(row: Sequence[str]) -> list[str]:
    """Keep duplicate header names apart ('Company Names', 'Company Names (2)')."""
    seen: dict[str, int] = {}
    headers = []
    for position, cell in enumerate(row):
        header = cell.strip() or f"column {position + 1}"
        count = seen.get(header.lower(), 0) + 1
        seen[header.lower()] = count
        headers.append(header if count == 1 else f"{header} ({count})")
    return headers


def _check_overrides(
    overrides: Mapping[str, str], headers: Sequence[str], cells: Sequence[str], origin: str
) -> None:
    """Fail when profile.toml maps a column this file does not have."""
    present = {normalize_header(h) for h in [*headers, *cells]}
    for header in overrides:
        if normalize_header(header) not in present:
            found = ", ".join(f'"{h}"' for h in headers[:12])
            raise InputError(
                f'profile.toml maps column "{header}", which this file does not have '
                f"(found: {found})",
                where=origin,
                fix="Fix the column name in profile.toml [columns] to match the header exactly, "
                f"or run 'outreach inspect {origin}' to see the names.",
            )


def empty_records() -> pd.DataFrame:
    """Return a records frame with every column and no rows."""
    return pd.DataFrame(columns=["file", "row", "source", "src", "idx", *RECORD_FIELDS])
