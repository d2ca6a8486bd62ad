"""Write fictional alumni spreadsheets: an alumni-directory .xlsx and a career-office .csv.

The two files use different headers, name orders, encodings and conventions, as real exports
from different offices do (FORMATS.md §3 and §6).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from devtools.employers import safe_domain, school_domain
from devtools.pools import ObjArray, map_unique, zero_pad
from devtools.variants import (
    chance,
    degree_display,
    email_noise,
    employer_display,
    fold_accents,
    linkedin_url_variants,
    lower,
    objects,
    title_display,
    truth_frame,
    upper,
)

DIRECTORY_HEADER = [
    "Constituent ID", "Name", "Class Year", "Degree", "Major", "Employer", "Job Title",
    "Preferred E-mail", "LinkedIn Profile", "City", "State",
]  # fmt: skip
CAREER_HEADER = [
    "First", "Last", "Grad Year", "Program", "Current Company", "Position", "Email Address",
    "Location",
]  # fmt: skip
DEFAULT_EXPORT_DATE = dt.date(2026, 2, 20)
_SAFE_SUFFIXES = (".example", "@example.com", "@example.net", "@example.org")
_TWO_SURNAMES = re.compile(r"^([A-ZÁÉÍÓÚÑÇ][^\s-]+)[\s-]([A-ZÁÉÍÓÚÑÇ][^\s-]+)$")


def _underscore(error: UnicodeError) -> tuple[str, int]:
    # Excel's "CSV" save replaces characters its code page cannot hold (FORMATS.md §6).
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "_" * (error.end - error.start), error.end


codecs.register_error("excel_underscore", _underscore)


def _first_surname(last: str) -> str:
    match = _TWO_SURNAMES.match(last)
    return match.group(1) if match else last


def _given_name(people: pd.DataFrame, rng: np.random.Generator, p_nick: float) -> ObjArray:
    n = len(people)
    first = objects(people["first"])
    nick = objects(people["nickname"])
    use_nick = (nick != "") & chance(rng, n, p_nick)
    return np.where(use_nick, nick, first).astype(object)


def _job(
    people: pd.DataFrame, rng: np.random.Generator, p_stale: float
) -> tuple[ObjArray, ObjArray, npt.NDArray[np.bool_]]:
    """Pick current or older (stale record) employer and title; return which rows are stale."""
    n = len(people)
    stale = chance(rng, n, p_stale)
    employer = np.where(
        stale, objects(people["prev_employer"]), objects(people["employer"])
    ).astype(object)
    title = np.where(stale, objects(people["prev_title"]), objects(people["title"])).astype(object)
    return employer, title, stale


def _emails(
    people: pd.DataFrame,
    rng: np.random.Generator,
    stale: npt.NDArray[np.bool_],
    shares: tuple[float, float, float],
    school: str,
) -> ObjArray:
    """Pick personal, work or alumni-forwarding address (or none) per row, as a directory holds."""
    n = len(people)
    personal = objects(people["personal_email"])
    work = objects(people["work_email"])
    local = map_unique(personal, lambda e: e.partition("@")[0])
    safe = map_unique(personal, lambda e: e.endswith(_SAFE_SUFFIXES)).astype(bool)
    forward_domain = "alumni." + school_domain(school)
    forward = np.where(
        safe, local + "@" + safe_domain(forward_domain), local + "@" + forward_domain
    ).astype(object)
    p_personal, p_work, p_forward = shares
    pick = rng.choice(4, n, p=[p_personal, p_work, p_forward, 1 - p_personal - p_work - p_forward])
    out = np.full(n, "", dtype=object)
    out[pick == 0] = personal[pick == 0]
    use_work = (pick == 1) & ~stale & (work != "")
    out[use_work] = work[use_work]
    out[(pick == 1) & ~use_work] = personal[(pick == 1) & ~use_work]
    out[pick == 2] = forward[pick == 2]
    return out


def render_alumni_directory(
    people: pd.DataFrame, rng: np.random.Generator, school: str
) -> pd.DataFrame:
    """Render people as alumni-directory rows (sorted by `Last, First`) with a `_pid` column."""
    n = len(people)
    first = _given_name(people, rng, 0.08)
    nick = objects(people["nickname"])
    east_asian = people["origin"].isin(["chinese", "korean", "vietnamese"]).to_numpy()
    preferred = east_asian & (nick != "") & chance(rng, n, 0.25)
    first[preferred] = objects(people["first"])[preferred] + " (" + nick[preferred] + ")"

    middle = objects(people["middle"])
    mid_part = np.full(n, "", dtype=object)
    has_mid = middle != ""
    u = rng.random(n)
    initial = has_mid & (u < 0.45)
    mid_part[initial] = " " + map_unique(middle[initial], lambda m: m[:1] + ".")
    full = has_mid & (u >= 0.45) & (u < 0.55)
    mid_part[full] = " " + middle[full]

    last = objects(people["last"])
    maiden = objects(people["maiden"])
    married = maiden != ""
    u = rng.random(n)
    last_part = last.copy()
    paren = married & (u < 0.55)
    last_part[paren] = last[paren] + " (" + maiden[paren] + ")"
    stale_name = married & (u >= 0.8)
    last_part[stale_name] = maiden[stale_name]
    two = people["origin"].isin(["hispanic", "brazilian"]).to_numpy() & chance(rng, n, 0.3)
    last_part[two] = map_unique(last_part[two], _first_surname)

    suffix = objects(people["suffix"])
    sfx_part = np.where(suffix != "", ", " + suffix, "").astype(object)
    yy = zero_pad((people["grad_year"].to_numpy() % 100), 2)
    year_part = np.full(n, "", dtype=object)
    tagged = chance(rng, n, 0.08)
    curly = chance(rng, n, 0.8)
    year_part[tagged & curly] = " ’" + yy[tagged & curly]
    year_part[tagged & ~curly] = " '" + yy[tagged & ~curly]

    name = last_part + ", " + first + mid_part + sfx_part + year_part
    name = fold_accents(name, chance(rng, n, 0.3))
    name = upper(name, chance(rng, n, 0.03))

    class_year: list[Any] = people["grad_year"].astype(object).tolist()
    for i in np.flatnonzero(chance(rng, n, 0.015)):
        class_year[i] = None

    major = objects(people["major"])
    double = chance(rng, n, 0.05)
    major[double] = (
        major[double]
        + "; "
        + rng.choice(
            np.array(
                ["Economics", "Mathematics", "Spanish", "Psychology", "Computer Science"],
                dtype=object,
            ),
            int(double.sum()),
        )
    )

    employer, title, stale = _job(people, rng, 0.2)
    employer = employer_display(employer, chance(rng, n, 0.45), rng)
    blank_job = chance(rng, n, 0.08)
    employer[blank_job] = ""
    title = title_display(title, chance(rng, n, 0.2), rng)
    title = lower(title, chance(rng, n, 0.03))
    title[blank_job & chance(rng, n, 0.7)] = ""
    title[chance(rng, n, 0.04)] = ""

    email = _emails(people, rng, stale, (0.5, 0.18, 0.12), school)
    email = email_noise(email, rng, p_case=0.2, p_space=0.06)

    slugs = objects(people["linkedin_slug"])
    linkedin = np.full(n, "", dtype=object)
    has_li = chance(rng, n, 0.35)
    linkedin[has_li] = linkedin_url_variants(slugs[has_li], rng)

    city = objects(people["city"])
    state = objects(people["state"])
    country = objects(people["country"])
    remote = city == "Remote"
    city[remote] = ""
    abroad = (country != "United States") & (country != "")
    named = abroad & chance(rng, n, 0.5)
    state[named] = country[named]
    state[abroad & ~named] = ""

    ids = rng.choice(9_000_000, n, replace=False) + 100_000
    rows = pd.DataFrame(
        {
            "Constituent ID": zero_pad(ids, 7),
            "Name": name,
            "Class Year": class_year,
            "Degree": degree_display(objects(people["degree"]), rng),
            "Major": major,
            "Employer": employer,
            "Job Title": title,
            "Preferred E-mail": email,
            "LinkedIn Profile": linkedin,
            "City": city,
            "State": state,
            "_pid": objects(people["person_id"]),
        }
    )
    key = map_unique(objects(rows["Name"]), lambda s: s.casefold())
    return rows.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip writer that stamps every entry with one date, so equal input gives equal bytes."""

    def __init__(self, file: str | Path, date_time: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._date_time = date_time

    def writestr(
        self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(str(zinfo_or_arcname), self._date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: Any = None,
        compresslevel: Any = None,
    ) -> None:
        with open(filename, "rb") as f:
            self.writestr(arcname or Path(filename).name, f.read())


def write_alumni_xlsx(
    path: str | Path,
    people: pd.DataFrame,
    *,
    seed: int,
    school: str = "Northfield University",
    export_date: dt.date = DEFAULT_EXPORT_DATE,
) -> pd.DataFrame:
    """Write an alumni-directory export: a title row and a blank row above the header.

    Names are `Last, First` (middle initials, maiden names in parentheses, class-year tokens),
    class years are numbers, LinkedIn links come in many spellings. Uses openpyxl write-only
    mode (200,000 rows are fine). Returns the truth: file, row (sheet row), person_id.
    """
    rng = np.random.default_rng(seed)
    people = people.reset_index(drop=True)
    rows = render_alumni_directory(people, rng, school)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Alumni Directory")
    for letter, width in zip(
        "ABCDEFGHIJK", (14, 34, 10, 12, 24, 30, 30, 34, 44, 16, 10), strict=True
    ):
        ws.column_dimensions[letter].width = width
    ws.append([f"{school} — Alumni Directory export {export_date.isoformat()}"])
    ws.append([])
    ws.append(DIRECTORY_HEADER)
    for record in rows[DIRECTORY_HEADER].itertuples(index=False, name=None):
        ws.append(record)
    stamp = dt.datetime.combine(export_date, dt.time(8, 30))
    wb.properties.creator = f"{school} Advancement Services"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    ExcelWriter(wb, _FixedTimeZip(path, (*export_date.timetuple()[:3], 8, 30, 0))).save()
    return truth_frame(Path(path).name, np.arange(len(rows)) + 4, objects(rows["_pid"]))


def _program(degree: ObjArray, major: ObjArray, rng: np.random.Generator) -> ObjArray:
    shown = degree_display(degree, rng)
    pat = rng.choice(4, len(degree), p=[0.5, 0.25, 0.15, 0.1])
    return np.select(
        [pat == 0, pat == 1, pat == 2],
        [shown + " " + major, shown + " - " + major, major + " (" + shown + ")"],
        default=shown,
    ).astype(object)


def render_career_office(
    people: pd.DataFrame, rng: np.random.Generator, school: str
) -> pd.DataFrame:
    """Render people as career-office export rows (sorted by last name) with a `_pid` column."""
    n = len(people)
    first = _given_name(people, rng, 0.3)
    last = objects(people["last"])
    maiden = objects(people["maiden"])
    married = maiden != ""
    # The office recorded people at graduation: many married people appear under their maiden name.
    u = rng.random(n)
    at_grad = married & (u < 0.45)
    last[at_grad] = maiden[at_grad]
    joined = married & (u >= 0.9)
    last[joined] = maiden[joined] + " " + objects(people["last"])[joined]
    two = people["origin"].isin(["hispanic", "brazilian"]).to_numpy() & chance(rng, n, 0.4)
    last[two] = map_unique(last[two], _first_surname)
    suffix = objects(people["suffix"])
    with_sfx = (suffix != "") & chance(rng, n, 0.5)
    last[with_sfx] = last[with_sfx] + " " + suffix[with_sfx]

    plain = chance(rng, n, 0.2)
    first, last = fold_accents(first, plain), fold_accents(last, plain)
    shout = chance(rng, n, 0.02)
    first, last = upper(first, shout), upper(last, shout)
    quiet = chance(rng, n, 0.01)
    first, last = lower(first, quiet), lower(last, quiet)

    year = people["grad_year"].to_numpy()
    yyyy = year.astype(str).astype(object)
    yy = zero_pad((year % 100), 2)
    pat = rng.choice(5, n, p=[0.72, 0.1, 0.1, 0.05, 0.03])
    grad = np.select(
        [pat == 0, pat == 1, pat == 2, pat == 3],
        ["" + yyyy, "'" + yy, "Class of " + yyyy, "’" + yy],
        default="",
    ).astype(object)

    employer, title, stale = _job(people, rng, 0.15)
    employer = employer_display(employer, chance(rng, n, 0.3), rng)
    blank = chance(rng, n, 0.05)
    employer[blank] = ""
    title = title_display(title, chance(rng, n, 0.15), rng)
    title[blank & chance(rng, n, 0.6)] = ""

    email = _emails(people, rng, stale, (0.55, 0.15, 0.05), school)
    email = email_noise(email, rng, p_case=0.1, p_space=0.03)

    city = objects(people["city"])
    state = objects(people["state"])
    country = objects(people["country"])
    us = country == "United States"
    location = np.where(
        us, city + ", " + state, np.where(country != "", city + ", " + country, city)
    ).astype(object)
    location[chance(rng, n, 0.05)] = ""

    rows = pd.DataFrame(
        {
            "First": first,
            "Last": last,
            "Grad Year": grad,
            "Program": _program(objects(people["degree"]), objects(people["major"]), rng),
            "Current Company": employer,
            "Position": title,
            "Email Address": email,
            "Location": location,
            "_pid": objects(people["person_id"]),
        }
    )
    key = map_unique(
        objects(rows["Last"]) + "\x00" + objects(rows["First"]), lambda s: s.casefold()
    )
    return rows.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


def write_alumni_csv(
    path: str | Path,
    people: pd.DataFrame,
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
    seed: int,
    school: str = "Northfield University",
    chunk_rows: int = 200_000,
) -> pd.DataFrame:
    """Write a career-office export: its own headers, CRLF lines, Excel's code page.

    Characters the encoding cannot hold become `_`, as Excel's "CSV" save does. Streams in
    chunks (1,000,000 rows are fine). Returns the truth: file, row (line number), person_id.
    """
    rng = np.random.default_rng(seed)
    people = people.reset_index(drop=True)
    rows = render_career_office(people, rng, school)
    records = rows[CAREER_HEADER]
    with open(path, "wb") as out:
        for start in range(0, max(len(records), 1), chunk_rows):
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
            if start == 0:
                writer.writerow(CAREER_HEADER)
            writer.writerows(
                records.iloc[start : start + chunk_rows].itertuples(index=False, name=None)
            )
            out.write(buf.getvalue().encode(encoding, errors="excel_underscore"))
    return truth_frame(Path(path).name, np.arange(len(rows)) + 2, objects(rows["_pid"]))
