"""Ingest: read every input into one table of records, account for every data row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.ingest.headers import (
    CONFIDENCE_GATE,
    ColumnMapping,
    alias_table,
    find_header_row,
    map_columns,
    normalize_header,
)
from pipeline.ingest.linkedin import LinkedInContext, read_linkedin_context
from pipeline.ingest.sources import LoadedFile, load_tables, open_linkedin_export, read_bytes
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
class Ingested:
    """Every record read, every row skipped, and a report per input table."""

    records: pd.DataFrame
    skipped: pd.DataFrame
    reports: list[SourceReport]
    tables: list[SourceTable]
    linkedin: LinkedInContext

    def raw_values(self, src: int, idx: int) -> str:
        """Render a data row's original cells as 'Header=value | …' for the Skipped sheet."""
        table = self.tables[src]
        row = table.frame.iloc[idx].tolist()
        return format_raw(table.headers, row)


def format_raw(headers: Sequence[str], values: Sequence[str]) -> str:
    """Join a row's non-empty cells with their headers, in file order."""
    parts = []
    for position, value in enumerate(values):
        if value is None or str(value) == "":
            continue
        header = headers[position] if position < len(headers) else f"column {position + 1}"
        parts.append(f"{header}={value}")
    return " | ".join(parts)


def read_inputs(
    connections: Sequence[Path],
    alumni: Sequence[Path],
    columns: Mapping[str, Mapping[str, str]],
) -> Ingested:
    """Read all LinkedIn exports and alumni files into records, skipped rows and reports."""
    if not connections and not alumni:
        raise InputError(
            "no input given",
            fix="Pass --connections PATH (your LinkedIn export) and/or --alumni PATH.",
        )
    parts: list[pd.DataFrame] = []
    skipped: list[pd.DataFrame] = []
    reports: list[SourceReport] = []
    tables: list[SourceTable] = []
    side_files = []
    inputs: list[tuple[LoadedFile, str, Path]] = []
    for path in connections:
        export = open_linkedin_export(path)
        side_files.append(export.side_files)
        inputs.append((export.connections, "connection", path))
    for path in alumni:
        inputs.append((LoadedFile(path.name, read_bytes(path), str(path)), "alumni", path))
    _unique_display_names(inputs)
    for loaded, kind, _ in inputs:
        _ingest_file(loaded, kind, columns, parts, skipped, reports, tables)
    records = pd.concat(parts, ignore_index=True) if parts else _empty_records()
    skipped_frame = (
        pd.concat(skipped, ignore_index=True)
        if skipped
        else pd.DataFrame(columns=list(SKIPPED_COLUMNS))
    )
    return Ingested(
        records=records,
        skipped=skipped_frame,
        reports=reports,
        tables=tables,
        linkedin=read_linkedin_context(side_files),
    )


def _unique_display_names(inputs: list[tuple[LoadedFile, str, Path]]) -> None:
    """Name files as a person knows them; add the export or folder name only on a collision."""
    counts = Counter(loaded.name for loaded, _, _ in inputs)
    for loaded, _, path in inputs:
        if counts[loaded.name] > 1:
            container = path if path.is_dir() or path.name != loaded.name else path.parent
            loaded.name = f"{container.name}/{loaded.name}"


def _ingest_file(
    loaded: LoadedFile,
    kind: str,
    columns: Mapping[str, Mapping[str, str]],
    parts: list[pd.DataFrame],
    skipped: list[pd.DataFrame],
    reports: list[SourceReport],
    tables: list[SourceTable],
) -> None:
    overrides = columns.get(loaded.name, columns.get(Path(loaded.origin).name, {}))
    raw_tables = load_tables(loaded)
    usable = [t for t in raw_tables if _has_rows(t)]
    if not usable:
        raise InputError(
            "no rows found: the file holds no data",
            where=loaded.origin,
            fix="Check that you exported the right file; open it to see what it holds.",
        )
    picked = pick_people_tables(usable, overrides, loaded.origin)
    kept_total = 0
    for table in picked:
        name = loaded.name
        if len(picked) > 1 or (table.sheet and table is not usable[0]):
            name = f"{loaded.name}[{table.sheet}]"
        report, records, table_skipped, source_table = table_records(
            table, name, kind, overrides, src=len(tables), origin=loaded.origin
        )
        if len(raw_tables) > 1 and table.sheet:
            others = [t.sheet for t in raw_tables if t not in picked and t.sheet]
            report.notes.append(
                f"read sheet '{table.sheet}'"
                + (f"; other sheets not read: {', '.join(others)}" if others else "")
            )
        kept_total += len(records)
        parts.append(records)
        skipped.append(table_skipped)
        reports.append(report)
        tables.append(source_table)
    if kept_total == 0:
        raise InputError(
            "no usable rows: every data row is blank or a repeated header",
            where=loaded.origin,
            fix="Open the file and check that it holds people, one per row.",
        )


def _has_rows(table: RawTable) -> bool:
    return any(any(cell.strip() for cell in row) for row in table.rows)


def pick_people_tables(
    tables: list[RawTable], overrides: Mapping[str, str], origin: str
) -> list[RawTable]:
    """Pick the sheets that hold people: every sheet whose header maps a name or email."""
    scored: list[tuple[float, RawTable]] = []
    for table in tables:
        header_index = find_header_row(table.rows, overrides)
        if header_index is None:
            continue
        headers = table.rows[header_index]
        mappings = map_columns(headers, table.rows[header_index + 1 :], overrides)
        fields = {m.field for m in mappings if m.field}
        if not fields & set(IDENTITY_FIELDS):
            continue
        scored.append((len(table.rows) - header_index - 1, table))
    if not scored:
        first = tables[0]
        header_index = find_header_row(first.rows, overrides) or 0
        found = ", ".join(f'"{c}"' for c in first.rows[header_index][:8] if c.strip())
        raise InputError(
            f"no column looks like a name, email or LinkedIn profile (found: {found})",
            where=origin,
            fix=f'Map one in profile.toml [columns."{Path(origin).name}"] or run '
            f"'outreach inspect {origin}' to see how each column was read.",
        )
    return [table for rows, table in scored if rows > 0] or [scored[0][1]]


def table_records(
    table: RawTable,
    name: str,
    kind: str,
    overrides: Mapping[str, str],
    *,
    src: int,
    origin: str,
) -> tuple[SourceReport, pd.DataFrame, pd.DataFrame, SourceTable]:
    """Map one table's data rows to records; blank and repeated-header rows are skipped."""
    header_index = find_header_row(table.rows, overrides)
    if header_index is None:
        raise InputError(
            "no row looks like a header",
            where=origin,
            fix="Add a header row, or map the columns in profile.toml [columns].",
        )
    raw_headers = [cell.strip() for cell in table.rows[header_index]]
    headers = _unique_headers(raw_headers)
    data_rows = table.rows[header_index + 1 :]
    lines = table.line_numbers[header_index + 1 :]
    _check_overrides(overrides, headers, origin)
    mappings = map_columns(headers, data_rows, overrides)
    frame = pd.DataFrame(data_rows, columns=None, dtype=object)
    for position in range(frame.shape[1], len(headers)):
        frame[position] = ""
    width = frame.shape[1]
    frame = frame.fillna("").astype(str)
    frame.columns = list(range(frame.shape[1]))

    stripped = frame.apply(lambda col: col.str.strip())
    blank = stripped.eq("").all(axis=1)
    header_norm = [normalize_header(h) for h in raw_headers]
    repeated = pd.Series(False, index=frame.index)
    if len(headers) and frame.shape[1] >= len(headers):
        same = pd.Series(True, index=frame.index)
        for position, header in enumerate(header_norm):
            if header:
                same &= stripped[position].map(normalize_header).eq(header)
        repeated = same & ~blank

    line_series = pd.Series(lines, index=frame.index, dtype="int64")
    reasons = pd.Series("", index=frame.index, dtype=object)
    reasons[blank] = "blank row"
    reasons[repeated] = "repeated header row"
    skip_mask = reasons.ne("")
    skipped = pd.DataFrame(
        {
            "file": name,
            "row": line_series[skip_mask].to_numpy(),
            "reason": reasons[skip_mask].to_numpy(),
            "raw": [format_raw(headers, frame.loc[i].tolist()) for i in frame.index[skip_mask]],
        }
    )

    keep = ~skip_mask
    records = pd.DataFrame(
        {
            "file": name,
            "row": line_series[keep].to_numpy(),
            "source": kind,
            "src": src,
            "idx": frame.index[keep].to_numpy(),
        }
    )
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
        if field_name in multi and len(positions) > 1:
            joined = stripped.loc[keep, positions].apply(
                lambda row: "; ".join(dict.fromkeys(v for v in row if v)), axis=1
            )
            records[field_name] = joined.to_numpy()
        else:
            records[field_name] = stripped.loc[keep, positions[0]].to_numpy()

    notes = list(table.notes)
    if width > len(headers):
        notes.append(f"some rows have more cells than the header's {len(headers)} columns")
    report = SourceReport(
        path=origin,
        name=name,
        kind=kind,
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        sheet=table.sheet,
        header_row=table.line_numbers[header_index],
        columns=mappings,
        rows_read=len(frame),
        rows_kept=int(keep.sum()),
        rows_skipped=int(skip_mask.sum()),
        notes=notes,
    )
    return report, records, skipped, SourceTable(headers=headers, frame=frame)


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


def _check_overrides(overrides: Mapping[str, str], headers: Sequence[str], origin: str) -> None:
    present = {normalize_header(h) for h in headers}
    for header in overrides:
        if normalize_header(header) not in present:
            found = ", ".join(f'"{h}"' for h in headers[:12])
            raise InputError(
                f'profile.toml maps column "{header}", which this file does not have '
                f"(found: {found})",
                where=origin,
                fix="Fix the column name in profile.toml [columns] to match the header exactly.",
            )


def _empty_records() -> pd.DataFrame:
    return pd.DataFrame(columns=["file", "row", "source", "src", "idx", *RECORD_FIELDS])


@dataclass
class Inspection:
    """What `outreach inspect` shows for one input table."""

    report: SourceReport
    sample: list[dict[str, str]]
    skipped_reasons: dict[str, int]


def inspect_input(path: Path, columns: Mapping[str, Mapping[str, str]]) -> list[Inspection]:
    """Read one input exactly as `run` would and describe what was understood."""
    from pipeline.ingest.tables import is_spreadsheet_zip, sniff_format

    kind = "alumni"
    if path.is_dir():
        kind = "connection"
        loaded = open_linkedin_export(path).connections
    else:
        data = read_bytes(path)
        if sniff_format(data, path.name) == "zip" and not is_spreadsheet_zip(data):
            kind = "connection"
            loaded = open_linkedin_export(path).connections
        else:
            loaded = LoadedFile(path.name, data, str(path))
            if path.name.lower() == "connections.csv":
                kind = "connection"
    overrides = columns.get(loaded.name, {})
    tables = [t for t in load_tables(loaded) if _has_rows(t)]
    if not tables:
        raise InputError(
            "no rows found: the file holds no data",
            where=loaded.origin,
            fix="Check that you exported the right file.",
        )
    inspections = []
    for table in pick_people_tables(tables, overrides, loaded.origin):
        name = loaded.name if not table.sheet else f"{loaded.name}[{table.sheet}]"
        report, records, skipped, _ = table_records(
            table, name, kind, overrides, src=0, origin=loaded.origin
        )
        if len(tables) > 1:
            report.notes.append(
                "sheets in this workbook: " + ", ".join(str(t.sheet) for t in tables)
            )
        fields = [f for f in RECORD_FIELDS if f in report.used_fields]
        sample = [
            {f: str(row[f]) for f in fields if str(row[f])}
            for row in records.head(3).to_dict("records")
        ]
        reasons = dict(Counter(skipped["reason"])) if len(skipped) else {}
        inspections.append(Inspection(report, sample, reasons))
    return inspections
