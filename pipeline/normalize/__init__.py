"""Normalize: clean every record's values and set aside rows that cannot be a contact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.normalize.names import (
    NameParts,
    parse_full_name,
    parse_full_name_as_written,
    parse_name_fields_as_written,
    tidy_case,
)
from pipeline.normalize.nameshapes import PartsRow, ShapeParser, as_row
from pipeline.normalize.values import (
    canonical_linkedin_url,
    clean_text,
    company_key,
    fold,
    is_truthy,
    linkedin_slug,
    parse_date,
    parse_grad_year,
    split_emails,
)
from pipeline.progress import StageProgress

__all__ = [
    "NameParts",
    "Normalized",
    "canonical_linkedin_url",
    "company_key",
    "fold",
    "linkedin_slug",
    "normalize_records",
    "parse_full_name",
]

NAME_INPUTS = ("full_name", "first_name", "last_name", "middle_name", "name_suffix", "nickname")
NAME_PART_COLUMNS = (
    "first",
    "middle",
    "last",
    "suffix",
    "nick",
    "maiden",
    "name_year",
    "name_deceased",
    "name_parent",
    "display_name",
)
TEXT_FIELDS = (
    "company",
    "title",
    "industry",
    "city",
    "state",
    "country",
    "location",
    "school",
    "degree",
    "major",
    "phone",
)


@dataclass
class Normalized:
    """Clean records ready for dedupe, and the rows set aside with their reasons."""

    records: pd.DataFrame
    skipped: pd.DataFrame


def _map_unique(series: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """Apply a pure function once per distinct value (names and companies repeat a lot)."""
    # factorize hashes each value once; Series.map(dict) would hash them all a second time.
    codes, uniques = pd.factorize(series.to_numpy(), use_na_sentinel=False)
    # Typed as Series.map(dict) would: text as text, numbers with gaps as floats.
    mapped = pd.Series([func(value) for value in uniques])
    return pd.Series(mapped.array.take(codes), index=series.index, name=series.name)


def _split_email_cells(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The valid and the unusable addresses of each cell, each joined with '; '."""
    codes, uniques = pd.factorize(cells.to_numpy(), use_na_sentinel=False)
    valid, invalid = [], []
    for value in uniques:
        good, bad = split_emails(value)
        valid.append("; ".join(good))
        invalid.append("; ".join(bad))
    return (
        pd.Series(pd.array(valid, dtype=cells.dtype).take(codes), index=cells.index),
        pd.Series(pd.array(invalid, dtype=cells.dtype).take(codes), index=cells.index),
    )


def normalize_records(records: pd.DataFrame, progress: StageProgress | None = None) -> Normalized:
    """Clean names, emails, links, companies, years and dates; skip rows that name nobody.

    `progress` counts rows as their names are parsed, the bulk of the work.
    """
    frame = records.copy()
    for column in TEXT_FIELDS:
        frame[column] = _map_unique(frame[column].astype(str), clean_text)

    names = _parse_names(frame, progress)
    for column in NAME_PART_COLUMNS:
        frame[column] = names[column].to_numpy()
    frame["maiden"] = frame["maiden"].where(
        frame["maiden"] != "", frame["maiden_name"].map(clean_text)
    )
    frame["first_key"] = _map_unique(frame["first"], fold)
    frame["last_key"] = _map_unique(frame["last"], fold)
    frame["maiden_key"] = _map_unique(frame["maiden"], fold)
    frame["nick_key"] = _map_unique(frame["nick"], fold)

    frame["emails"], frame["bad_emails"] = _split_email_cells(frame["email"].astype(str))
    frame["linkedin_slug"] = _map_unique(frame["linkedin"].astype(str), linkedin_slug)
    frame["linkedin_url"] = _map_unique(frame["linkedin"].astype(str), canonical_linkedin_url)
    frame["company"] = _map_unique(frame["company"], tidy_company)
    _split_title_company(frame)
    frame["company_key"] = _map_unique(frame["company"], company_key)
    years = _map_unique(frame["grad_year"].astype(str), parse_grad_year)
    frame["grad_year"] = years.where(years.notna(), frame["name_year"]).astype("Int64")
    frame["connected_on"] = _map_unique(frame["connected_on"].astype(str), parse_date)
    frame["location"] = _compose_location(frame)
    frame["email_opt_out"] = _map_unique(frame["email_opt_out"].astype(str), is_truthy)

    frame["value_notes"] = _value_notes(frame)
    reasons = _skip_reasons(frame)
    skip = reasons.ne("")
    skipped = pd.DataFrame(
        {
            "file": frame.loc[skip, "file"],
            "row": frame.loc[skip, "row"],
            "reason": reasons[skip],
            "src": frame.loc[skip, "src"],
            "idx": frame.loc[skip, "idx"],
        }
    ).reset_index(drop=True)
    kept = frame.loc[~skip].reset_index(drop=True)
    if progress is not None:
        progress.advance(max(0, len(frame) - progress.done))  # rows with no name at all
    return Normalized(records=kept, skipped=skipped)


def _parse_names(frame: pd.DataFrame, progress: StageProgress | None = None) -> pd.DataFrame:
    """Parse each distinct name once: separate columns when present, else the full name.

    Names are parsed a shape at a time (nameshapes.py): 'Baker, Jenny' and 'Okafor, Maya'
    cost one careful parse, not two.
    """
    inputs = frame[list(NAME_INPUTS)].astype(str)
    codes = inputs.groupby(list(NAME_INPUTS), sort=False).ngroup().to_numpy()
    distinct = inputs.iloc[np.unique(codes, return_index=True)[1]]
    rows_per_name = np.bincount(codes, minlength=len(distinct))
    columns = {name: distinct[name].to_numpy(dtype=object) for name in NAME_INPUTS}
    full = columns["full_name"]
    has_fields = (
        distinct["first_name"].str.strip().ne("") | distinct["last_name"].str.strip().ne("")
    ).to_numpy()
    parsed: list[PartsRow] = [as_row(NameParts())] * len(distinct)
    by_fields: list[int] = np.flatnonzero(has_fields).tolist()
    field_rows = zip(*(columns[name][by_fields] for name in NAME_INPUTS[1:]), strict=True)
    field_parser = ShapeParser(parse_name_fields_as_written)
    counted = _Counted(progress, rows_per_name)
    for position, row in zip(by_fields, field_parser.parse_all(list(field_rows)), strict=True):
        parsed[position] = row
        counted.done(position)
    # Name columns that hold no name ('-', '?') leave the full name to say who it is.
    nameless = [p for p in by_fields if not parsed[p][0] and not parsed[p][2] and full[p].strip()]
    by_full: list[int] = [*np.flatnonzero(~has_fields).tolist(), *nameless]
    full_parser = ShapeParser(parse_full_name_as_written)
    full_rows = [(full[p],) for p in by_full]
    for position, row in zip(by_full, full_parser.parse_all(full_rows), strict=True):
        parsed[position] = row
        counted.done(position)
    counted.flush()
    table = pd.DataFrame.from_records(
        parsed,
        columns=["first", "middle", "last", "suffix", "nick", "maiden", "name_year",
                 "name_deceased", "name_parent"],
    )  # fmt: skip
    for column in ("first", "middle", "last", "nick", "maiden"):
        table[column] = _map_unique(table[column], tidy_case)
    both = table["first"].ne("") & table["last"].ne("")
    table["display_name"] = (table["first"] + " " + table["last"]).where(
        both, table["first"] + table["last"]
    )
    table["name_year"] = [p[6] for p in parsed]
    return table.iloc[codes].reset_index(drop=True)


class _Counted:
    """Count rows as their distinct names are parsed, telling `progress` every few thousand."""

    def __init__(self, progress: StageProgress | None, rows_per_name: np.ndarray) -> None:
        self.progress = progress
        self.rows_per_name = rows_per_name
        self.pending = 0
        self.seen: set[int] = set()

    def done(self, position: int) -> None:
        if self.progress is None or position in self.seen:
            return
        self.seen.add(position)
        self.pending += int(self.rows_per_name[position])
        if self.pending >= 20_000:
            self.flush()

    def flush(self) -> None:
        if self.progress is not None and self.pending:
            self.progress.advance(self.pending)
        self.pending = 0


def tidy_company(name: str) -> str:
    """Drop placeholder employers ('-', 'N/A', 'Self') that say nothing."""
    if name.strip().lower() in {"-", "n/a", "na", "none", "null", "--", "."}:
        return ""
    return name


def _split_title_company(frame: pd.DataFrame) -> None:
    """Read 'Data Scientist @ Spotify' as a title and a company; drop a repeated company."""
    has_at = frame["title"].str.contains(r"\s(?:@|at)\s", regex=True)
    if not has_at.any():
        return
    parts = frame.loc[has_at, "title"].str.extract(r"^(?P<title>.+?)\s+(?:@|at)\s+(?P<co>.+)$")
    company = frame.loc[has_at, "company"]
    empty = company.eq("")
    # LinkedIn headlines repeat the employer: 'Editorial Intern @ The Walt Disney Company'.
    repeated = company.str.casefold().eq(parts["co"].str.strip().str.casefold())
    ok = parts["title"].notna() & (empty | repeated)
    frame.loc[parts.index[ok], "title"] = parts.loc[ok, "title"].str.strip()
    fill = ok & empty
    frame.loc[parts.index[fill], "company"] = parts.loc[fill, "co"].str.strip()


def _compose_location(frame: pd.DataFrame) -> pd.Series:
    """One readable place per person: the location cell, else 'City, State, Country'."""
    composed = pd.Series("", index=frame.index, dtype=object)
    for column in ("city", "state", "country"):
        part = frame[column].astype(str)
        joiner = pd.Series(", ", index=frame.index).where(composed.ne("") & part.ne(""), "")
        composed = composed + joiner + part
    location = frame["location"].astype(str)
    return location.where(location.ne(""), composed)


def _value_notes(frame: pd.DataFrame) -> pd.Series:
    """Say what a person should check in a record's values: kept as written, not trusted."""
    notes = pd.Series("", index=frame.index, dtype=object)
    bad = frame["bad_emails"].ne("")
    notes[bad] = (
        "email not used (invalid or a placeholder), kept as written: "
        + frame.loc[bad, "bad_emails"]
    )
    parent = frame["name_parent"].astype(bool)
    parent_note = "the year by the name (like P’15) is a parent's class year, not theirs"
    notes[parent] = (notes[parent] + "; " + parent_note).str.lstrip("; ")
    return notes


def _skip_reasons(frame: pd.DataFrame) -> pd.Series:
    """Say why a record cannot become a contact; '' for the ones that can."""
    reasons = pd.Series("", index=frame.index, dtype=object)
    no_name = frame["first"].eq("") & frame["last"].eq("")
    no_reach = frame["emails"].eq("") & frame["linkedin_slug"].eq("")
    nobody = no_name & no_reach
    hidden = nobody & frame["source"].eq("connection") & frame["connected_on"].ne("")
    reasons[nobody] = "no name, email or LinkedIn profile"
    reasons[hidden] = (
        "hidden LinkedIn member: the export gives only the connection date for people who "
        "hide their details"
    )
    deceased = _map_unique(frame["deceased"].astype(str), is_truthy) | frame["name_deceased"]
    reasons[deceased & ~nobody] = "marked deceased in the alumni file"
    no_contact = _map_unique(frame["do_not_contact"].astype(str), is_truthy)
    reasons[no_contact & ~nobody & ~deceased] = "marked 'do not contact' in the alumni file"
    return reasons
