"""Ingest: read every input into one table of records, account for every data row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.ingest.headers import CONFIDENCE_GATE, map_columns, read_header
from pipeline.ingest.linkedin import LinkedInContext, read_linkedin_context
from pipeline.ingest.records import (
    IDENTITY_FIELDS,
    RECORD_FIELDS,
    SKIPPED_COLUMNS,
    SourceReport,
    SourceTable,
    TableRecords,
    empty_records,
    format_raw,
    table_records,
)
from pipeline.ingest.sources import LoadedFile, load_tables, open_linkedin_export, read_bytes
from pipeline.ingest.tables import RawTable
from pipeline.progress import StageProgress

__all__ = [
    "RECORD_FIELDS",
    "Ingested",
    "SourceReport",
    "check_usable",
    "format_raw",
    "read_inputs",
    "read_table_file",
]

# The kind `inspect` asks for: LinkedIn connections if the columns say so, else alumni.
AUTO = "auto"
# Data rows sampled to decide whether a sheet holds people.
PICK_SAMPLE_ROWS = 2000


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


def read_inputs(
    connections: Sequence[Path],
    alumni: Sequence[Path],
    columns: Mapping[str, Mapping[str, str]],
    progress: StageProgress | None = None,
) -> Ingested:
    """Read all LinkedIn exports and alumni files into records, skipped rows and reports."""
    if not connections and not alumni:
        raise InputError(
            "no input given",
            fix="Pass --connections PATH (your LinkedIn export) and/or --alumni PATH.",
        )
    side_files = []
    inputs: list[tuple[LoadedFile, str, Path]] = []
    for path in connections:
        export = open_linkedin_export(path)
        side_files.append(export.side_files)
        inputs.append((export.connections, "connection", path))
    for path in alumni:
        inputs.append((LoadedFile(path.name, read_bytes(path), str(path)), "alumni", path))
    _unique_display_names(inputs)
    read: list[TableRecords] = []
    for loaded, kind, _ in inputs:
        tables = read_table_file(loaded, kind, columns, first_src=len(read))
        read.extend(tables)
        if progress is not None:
            progress.advance(sum(part.report.rows_read for part in tables))
    records = [part.records for part in read]
    skipped = [part.skipped for part in read if len(part.skipped)]
    return Ingested(
        records=pd.concat(records, ignore_index=True) if records else empty_records(),
        skipped=(
            pd.concat(skipped, ignore_index=True)
            if skipped
            else pd.DataFrame(columns=list(SKIPPED_COLUMNS))
        ),
        reports=[part.report for part in read],
        tables=[part.table for part in read],
        linkedin=read_linkedin_context(side_files),
    )


def _unique_display_names(inputs: list[tuple[LoadedFile, str, Path]]) -> None:
    """Name files as a person knows them; add the export or folder name only on a collision."""
    counts = Counter(loaded.name for loaded, _, _ in inputs)
    for loaded, _, path in inputs:
        if counts[loaded.name] > 1:
            container = path if path.is_dir() or path.name != loaded.name else path.parent
            loaded.name = f"{container.name}/{loaded.name}"


def read_table_file(
    loaded: LoadedFile,
    kind: str,
    columns: Mapping[str, Mapping[str, str]],
    first_src: int = 0,
) -> list[TableRecords]:
    """Read one input file's people tables (several sheets of a workbook may hold people)."""
    overrides = columns.get(loaded.name, columns.get(Path(loaded.origin).name, {}))
    raw_tables = load_tables(loaded)
    picked, skipped_sheets = pick_people_tables(raw_tables, overrides, loaded.origin)
    read: list[TableRecords] = []
    for table in picked:
        # Sources say FILE:ROW; the sheet joins the name only when the rows of several
        # sheets are read, so 'alumni.xlsx[Class of 2019]:14' still points at one row.
        name = f"{loaded.name}[{table.sheet}]" if len(picked) > 1 else loaded.name
        part = table_records(
            table, name, kind, overrides, src=first_src + len(read), origin=loaded.origin
        )
        _check_kind(part)
        if table.sheet and len(raw_tables) > 1:
            sheets = ", ".join(f"'{t.sheet}'" for t in picked)
            note = f"read sheet{'s' if len(picked) > 1 else ''} {sheets}"
            if skipped_sheets:
                note += "; not read: " + ", ".join(f"'{s}' ({why})" for s, why in skipped_sheets)
            part.report.notes.insert(0, note)
        read.append(part)
    if sum(part.report.rows_kept for part in read) == 0:
        reasons = Counter(r for part in read for r in part.skipped["reason"])
        total = sum(part.report.rows_read for part in read)
        what = (
            f"all {total:,} data rows were skipped ("
            + "; ".join(f"{n} {reason}" for reason, n in reasons.most_common(3))
            + ")"
            if total
            else "the file holds a header but no people under it"
        )
        raise InputError(
            f"no usable rows: {what}",
            where=loaded.origin,
            fix="Check that you exported the right file, with people one per row under the header.",
        )
    return read


def looks_like_connections(report: SourceReport) -> bool:
    """Tell LinkedIn's Connections.csv by its columns: first and last name and 'Connected On'."""
    used = {m.field for m in report.columns if m.field and m.confidence >= CONFIDENCE_GATE}
    return {"first_name", "last_name", "connected_on"} <= used


def _check_kind(part: TableRecords) -> None:
    """Read a Connections.csv passed as an alumni list as connections, and say so."""
    report = part.report
    if report.kind in {"alumni", AUTO} and looks_like_connections(report):
        # Counting connections as alumni would call every one of them an alum.
        if report.kind == "alumni":
            report.notes.append(
                "this is LinkedIn's Connections.csv: read as connections, not alumni "
                "(pass it with --connections)"
            )
        part.records["source"] = report.kind = "connection"
    elif report.kind == AUTO:
        part.records["source"] = report.kind = "alumni"
    elif report.kind == "connection" and not looks_like_connections(report):
        report.notes.append(
            "no 'Connected On' column: is this LinkedIn's Connections.csv? Alumni lists go to "
            "--alumni, or everyone in it is counted as a connection"
        )


def pick_people_tables(
    tables: list[RawTable], overrides: Mapping[str, str], origin: str
) -> tuple[list[RawTable], list[tuple[str, str]]]:
    """Pick the sheets that hold people, and say why each other sheet was not read."""
    people: list[RawTable] = []
    skipped: list[tuple[str, str]] = []
    found_columns: list[str] = []
    for table in tables:
        label = table.sheet or table.name
        if not any(any(cell.strip() for cell in row) for row in table.rows):
            skipped.append((label, "empty"))
            continue
        header = read_header(table.rows, overrides, table.merged)
        if header is None:
            skipped.append((label, "no header row"))
            found_columns = found_columns or [c for c in table.rows[0] if c.strip()]
            continue
        sample = table.rows[header.index + 1 : header.index + 1 + PICK_SAMPLE_ROWS]
        mappings = map_columns(header.cells, sample, overrides, header.groups)
        fields = {m.field for m in mappings if m.field and m.confidence >= CONFIDENCE_GATE}
        if not fields & set(IDENTITY_FIELDS):
            skipped.append((label, "no name, email or LinkedIn column"))
            found_columns = found_columns or [c for c in header.cells if c]
            continue
        if not any(any(cell.strip() for cell in row) for row in sample):
            skipped.append((label, "a header without rows"))
            continue
        people.append(table)
    visible = [table for table in people if not table.hidden]
    if visible and len(visible) < len(people):
        skipped.extend((str(t.sheet), "hidden") for t in people if t.hidden)
        people = visible
    if people:
        return people, skipped
    if found_columns:
        found = ", ".join(f'"{c}"' for c in found_columns[:8])
        raise InputError(
            f"no column looks like a name, email or LinkedIn profile (found: {found})",
            where=origin,
            fix=f'Map one in profile.toml [columns."{Path(origin).name}"] or run '
            f"'outreach inspect {origin}' to see how each column was read.",
        )
    if all(why == "empty" for _, why in skipped):
        raise InputError(
            "no rows found: the file holds no data",
            where=origin,
            fix="Check that you exported the right file; open it to see what it holds.",
        )
    raise InputError(
        "no usable rows: the file holds a header but no people under it",
        where=origin,
        fix="Check that you exported the right file, with people one per row under the header.",
    )


def check_usable(ingested: Ingested, later_skipped: pd.DataFrame) -> None:
    """Fail on a file none of whose rows became a record, saying what happened to them."""
    skipped = pd.concat([ingested.skipped[["file", "reason"]], later_skipped[["file", "reason"]]])
    by_path: dict[str, list[SourceReport]] = {}
    for report in ingested.reports:
        by_path.setdefault(report.path, []).append(report)
    for path, reports in by_path.items():
        names = {report.name for report in reports}
        mine = skipped.loc[skipped["file"].isin(names), "reason"]
        rows_read = sum(report.rows_read for report in reports)
        if rows_read == 0 or len(mine) < rows_read:
            continue
        why = "; ".join(f"{n} {reason}" for reason, n in Counter(mine).most_common(2))
        raise InputError(
            f"no usable rows: all {rows_read:,} data rows were skipped ({why})",
            where=path,
            fix="Check that this is the right file; every row needs a name, an email or a "
            "LinkedIn profile. Run 'outreach inspect' on it to see how it was read.",
        )
