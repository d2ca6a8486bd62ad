"""`outreach inspect`: read one input exactly as `run` would and describe what was understood."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.ingest import AUTO, read_table_file
from pipeline.ingest.records import SourceReport
from pipeline.ingest.sources import LoadedFile, open_linkedin_export, read_bytes
from pipeline.ingest.tables import sniff_format, zip_kind
from pipeline.normalize import normalize_records

SAMPLE_ROWS = 3
# What a cleaned sample row shows, in this order: (label, column of the normalized records).
SAMPLE_FIELDS = (
    ("name", "display_name"),
    ("class", "grad_year"),
    ("email", "emails"),
    ("invalid email", "bad_emails"),
    ("linkedin", "linkedin_url"),
    ("title", "title"),
    ("company", "company"),
    ("location", "location"),
    ("connected", "connected_on"),
)


@dataclass
class Inspection:
    """What `outreach inspect` shows for one input table."""

    report: SourceReport
    sample: list[dict[str, str]]
    skipped_reasons: dict[str, int]
    kept_rows: list[int]


def inspect_input(
    path: Path, columns: Mapping[str, Mapping[str, str]], sample_rows: int = SAMPLE_ROWS
) -> list[Inspection]:
    """Read one input as `run` would, clean its values, and report kept and skipped rows."""
    loaded, kind = _open(path)
    parts = read_table_file(loaded, kind, columns)
    inspections = []
    for part in parts:
        report = part.report
        normalized = normalize_records(part.records)
        reasons = Counter(part.skipped["reason"]) + Counter(normalized.skipped["reason"])
        report.rows_skipped = sum(reasons.values())
        report.rows_kept = report.rows_read - report.rows_skipped
        head = normalized.records.head(sample_rows).to_dict("records")
        sample = [_sample_row(row) for row in head]
        kept_rows = [int(row) for row in normalized.records["row"]]
        inspections.append(Inspection(report, sample, dict(reasons), kept_rows))
    return inspections


def _open(path: Path) -> tuple[LoadedFile, str]:
    """Load a file, or the Connections.csv of an export folder or zip."""
    if path.is_dir():
        return open_linkedin_export(path).connections, "connection"
    data = read_bytes(path)
    if sniff_format(data, path.name) == "zip":
        contents = zip_kind(data)
        damaged_export = contents == "damaged" and path.suffix.lower() == ".zip"
        if contents == "archive" or damaged_export:
            return open_linkedin_export(path).connections, "connection"
    return LoadedFile(path.name, data, str(path)), AUTO


def _sample_row(row: Mapping[str, object]) -> dict[str, str]:
    """Pick the cleaned values a person checks first, skipping empty ones."""
    values = {}
    for label, column in SAMPLE_FIELDS:
        value = row.get(column)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        if str(value):
            values[label] = str(value)
    return values


def render_inspection(item: Inspection) -> str:
    """Lay out one inspection as the plain text `outreach inspect` prints."""
    report = item.report
    kind = "LinkedIn connections" if report.kind == "connection" else "alumni list"
    lines = [f"{report.name}  ({kind})"]
    fmt = report.format + (f", sheet '{report.sheet}'" if report.sheet else "")
    lines.append(f"  format:      {fmt}")
    if report.encoding:
        lines.append(f"  encoding:    {report.encoding}")
    if report.delimiter:
        shown = "tab" if report.delimiter == "\t" else repr(report.delimiter)
        lines.append(f"  delimiter:   {shown}")
    lines.append(f"  header row:  {report.header_row}")
    lines.append(
        f"  data rows:   {report.rows_read:,} ({report.rows_kept:,} kept, "
        f"{report.rows_skipped:,} skipped)"
    )
    lines.append("  columns (field, confidence, how):")
    width = min(34, max((len(m.header) for m in report.columns), default=10))
    for mapping in report.columns:
        if mapping.field:
            target = f"{mapping.field:<14} {mapping.confidence:.2f}  {mapping.how}"
        else:
            how = "" if mapping.how == "no match" else mapping.how
            target = f"{'(not used)':<14} {'':4}  {how}".rstrip()
        note = f"  [{mapping.note}]" if mapping.note else ""
        lines.append(f"    {mapping.header[:34]:<{width}} → {target}{note}")
    for note in report.notes:
        lines.append(f"  note: {note}")
    if item.skipped_reasons:
        lines.append("  skipped:")
        for reason, count in sorted(item.skipped_reasons.items(), key=lambda kv: -kv[1]):
            lines.append(f"    {count:>5,}  {reason}")
    if item.sample:
        lines.append("  first rows as cleaned:")
        for row in item.sample:
            lines.append("    " + " | ".join(f"{k}={v}" for k, v in row.items()))
    return "\n".join(lines)
