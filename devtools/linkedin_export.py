"""Write a fictional user's LinkedIn data export in the byte shapes LinkedIn uses (FORMATS.md §1).

Connections.csv, Profile.csv, Education.csv and optionally messages.csv and Invitations.csv, into
a folder and, on request, a zip with the files at its root.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from devtools.linkedin_formats import ERAS, ZIP_ORDER, Era, ExportOwner, csv_text
from devtools.linkedin_messages import choose_partners, write_invitations, write_messages
from devtools.pools import ObjArray
from devtools.variants import (
    EMOJI,
    FIELDS_WITH_CREDENTIALS,
    HEADLINE_EXTRAS,
    chance,
    credentials,
    employer_display,
    fold_accents,
    format_dd_mon_yyyy,
    format_us_short,
    linkedin_url,
    lower,
    objects,
    pad_spaces,
    random_dates,
    title_display,
    truth_frame,
    upper,
)

# Byte-identical from 2021 to 2026 in every real export measured (FORMATS.md §1.3).
NOTES_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
PROFILE_HEADER = [
    "First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
    "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers",
]  # fmt: skip
EDUCATION_HEADER = ["School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"]


def _first_display(people: pd.DataFrame, rng: np.random.Generator) -> ObjArray:
    n = len(people)
    first = objects(people["first"])
    nick = objects(people["nickname"])
    east_asian = people["origin"].isin(["chinese", "korean", "vietnamese"]).to_numpy()
    p_nick = np.where(east_asian, 0.6, 0.35)
    use_nick = (nick != "") & chance(rng, n, p_nick)
    out = np.where(use_nick, nick, first).astype(object)
    paren = (nick != "") & ~use_nick & chance(rng, n, 0.04)
    out[paren] = first[paren] + " (" + nick[paren] + ")"
    return out


def _last_display(people: pd.DataFrame, rng: np.random.Generator) -> ObjArray:
    n = len(people)
    last = objects(people["last"])
    maiden = objects(people["maiden"])
    suffix = objects(people["suffix"])
    married = maiden != ""
    u = rng.random(n)
    out = last.copy()
    out[married & (u < 0.12)] = maiden[married & (u < 0.12)]
    both = married & (u >= 0.12) & (u < 0.17)
    out[both] = last[both] + " (" + maiden[both] + ")"
    has_sfx = suffix != ""
    comma = chance(rng, n, 0.4)
    out[has_sfx & comma] = out[has_sfx & comma] + ", " + suffix[has_sfx & comma]
    out[has_sfx & ~comma] = out[has_sfx & ~comma] + " " + suffix[has_sfx & ~comma]
    # Post-nominals after the surname: about 9% of real rows (FORMATS.md §1.3).
    fields = objects(people["field"])
    p_cred = np.where(np.isin(fields, FIELDS_WITH_CREDENTIALS), 0.22, 0.06)
    p_cred = np.where(people["level"].to_numpy() == 0, 0.0, p_cred)
    creds = credentials(fields, rng)
    with_cred = chance(rng, n, p_cred) & (creds != fields)
    comma = chance(rng, n, 0.75)
    out[with_cred & comma] = out[with_cred & comma] + ", " + creds[with_cred & comma]
    out[with_cred & ~comma] = out[with_cred & ~comma] + " " + creds[with_cred & ~comma]
    initial = chance(rng, n, 0.013)
    out[initial] = np.array([s[:1].upper() + "." for s in last[initial]], dtype=object)
    return out


def _position_display(
    people: pd.DataFrame, company: ObjArray, rng: np.random.Generator
) -> ObjArray:
    n = len(people)
    title = objects(people["title"])
    out = title_display(title, chance(rng, n, 0.08), rng)
    employer = objects(people["employer"])
    has_co = company != ""
    at = chance(rng, n, 0.03) & has_co
    out[at] = out[at] + " @ " + employer[at]
    at_word = chance(rng, n, 0.015) & has_co & ~at
    out[at_word] = out[at_word] + " at " + employer[at_word]
    founder = chance(rng, n, 0.007)
    out[founder] = "Founder | " + out[founder]
    multi = chance(rng, n, 0.02)
    out[multi] = out[multi] + " | " + rng.choice(HEADLINE_EXTRAS, int(multi.sum()))
    level = people["level"].to_numpy()
    at_school = (level == 0) & (employer == objects(people["school"]))
    student_line = at_school & chance(rng, n, 0.3)
    out[student_line] = "Student at " + employer[student_line]
    aspiring = (level == 0) & (objects(people["field"]) == "data_science") & chance(rng, n, 0.3)
    out[aspiring] = "Aspiring Data Scientist | " + objects(people["major"])[aspiring]
    # One cell in ~17k real rows starts with a formula character (FORMATS.md §1.3).
    formula = chance(rng, n, 1 / 5000)
    out[formula] = "- " + out[formula]
    return out


def render_connections(
    people: pd.DataFrame, rng: np.random.Generator, era: Era, hidden_members: int
) -> tuple[pd.DataFrame, ObjArray]:
    """Render people as Connections.csv rows (newest first) and return their person ids."""
    n = len(people)
    first = _first_display(people, rng)
    last = _last_display(people, rng)
    shout = chance(rng, n, 0.036)
    first, last = upper(first, shout), upper(last, shout)
    quiet = chance(rng, n, 0.005) & ~shout
    first, last = lower(first, quiet), lower(last, quiet)
    plain = chance(rng, n, 0.06)
    first, last = fold_accents(first, plain), fold_accents(last, plain)
    emoji = chance(rng, n, 0.008)
    on_first = emoji & chance(rng, n, 0.5)
    first[on_first] = first[on_first] + rng.choice(EMOJI, int(on_first.sum()))
    on_last = emoji & ~on_first
    last[on_last] = last[on_last] + rng.choice(EMOJI, int(on_last.sum()))

    employer = objects(people["employer"])
    company = employer_display(employer, chance(rng, n, 0.12), rng)
    company[chance(rng, n, 0.04)] = ""
    position = _position_display(people, company, rng)
    position[chance(rng, n, 0.04)] = ""

    # 95-99.7% of rows have no email: members must opt in to sharing it.
    email = np.full(n, "", dtype=object)
    shares = chance(rng, n, era.email_share)
    work = objects(people["work_email"])
    use_work = shares & chance(rng, n, 0.2) & (work != "")
    email[shares] = objects(people["personal_email"])[shares]
    email[use_work] = work[use_work]

    # About 10% of real rows carry a stray space somewhere.
    spaced = chance(rng, n, 0.105)
    which = rng.integers(0, 4, n)
    first = pad_spaces(first, spaced & (which == 0), rng)
    last = pad_spaces(last, spaced & (which == 1), rng)
    company = pad_spaces(company, spaced & (which == 2), rng)
    position = pad_spaces(position, spaced & (which == 3), rng)

    grad = people["grad_year"].to_numpy()
    start = np.array(
        [f"{max(min(y - 4, era.export_date.year - 1), 2010)}-09-01" for y in grad],
        dtype="datetime64[D]",
    )
    connected = random_dates(rng, start, era.export_date)

    rows = pd.DataFrame(
        {
            "First Name": first,
            "Last Name": last,
            "URL": linkedin_url(objects(people["linkedin_slug"])),
            "Email Address": email,
            "Company": company,
            "Position": position,
            "_date": connected,
            "_pid": objects(people["person_id"]),
        }
    )
    if hidden_members:
        lo = np.datetime64(dt.date(max(era.export_date.year - 8, 2010), 1, 1), "D")
        hidden_dates = random_dates(rng, np.full(hidden_members, lo), era.export_date)
        hidden = pd.DataFrame(
            {c: "" for c in rows.columns if not c.startswith("_")}, index=range(hidden_members)
        )
        hidden["_date"] = hidden_dates
        hidden["_pid"] = ""
        rows = pd.concat([rows, hidden], ignore_index=True)
    rows = rows.sort_values("_date", ascending=False, kind="stable").reset_index(drop=True)
    dates = rows["_date"].to_numpy().astype("datetime64[D]")
    rows["Connected On"] = (
        format_us_short(dates, rng) if era.us_dates else format_dd_mon_yyyy(dates)
    )
    return rows, objects(rows["_pid"])


def _write_connections(path: Path, rows: pd.DataFrame, era: Era) -> int:
    """Write Connections.csv; return the line number of the first data row."""
    header = [h for h in CONNECTIONS_HEADER if era.url_column or h != "URL"]
    body = csv_text(header, rows[header].to_numpy().tolist())
    preamble = NOTES_PREAMBLE if era.preamble else ""
    # LinkedIn writes no newline after the last row of Connections.csv.
    path.write_bytes((preamble + body).rstrip("\n").encode("utf-8"))
    return preamble.count("\n") + 2


def _write_profile(folder: Path, owner: ExportOwner) -> None:
    values = [owner.first, owner.last, "", "", "", owner.headline, owner.summary, owner.industry,
              "", owner.geo_location, "", "", ""]  # fmt: skip
    (folder / "Profile.csv").write_bytes(csv_text(PROFILE_HEADER, [values]).encode("utf-8"))
    records = [
        [owner.school, owner.start, owner.end, "", owner.degree, owner.activities],
        [owner.high_school, "2018", "2022", "", "", ""],
    ]
    (folder / "Education.csv").write_bytes(csv_text(EDUCATION_HEADER, records).encode("utf-8"))


def write_linkedin_export(
    folder: str | Path,
    people: pd.DataFrame,
    *,
    era: str = "2024",
    hidden_members: int = 0,
    seed: int,
    zip_path: str | Path | None = None,
    owner: ExportOwner | None = None,
    conversations: int = 0,
    invitees: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Write a LinkedIn export for `people` (the owner's connections) into `folder`.

    Writes Connections.csv (with `hidden_members` rows that only have a date), Profile.csv and
    Education.csv for `owner` (default: Alex Rivera), messages.csv with `conversations`
    conversations when > 0, and Invitations.csv with pending outgoing invitations to
    `invitees` (who should not be connections) when given. With `zip_path`, also writes the
    same files as a LinkedIn-style zip. Returns the truth: file, row (1-based line a person
    sees, preamble and header counted), person_id (None for hidden members).
    """
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; choose one of {sorted(ERAS)}")
    spec = ERAS[era]
    owner = owner or ExportOwner()
    rng = np.random.default_rng(seed)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    people = people.reset_index(drop=True)

    rows, pids = render_connections(people, rng, spec, hidden_members)
    first_line = _write_connections(out / "Connections.csv", rows, spec)
    truths = [truth_frame("Connections.csv", np.arange(len(rows)) + first_line, pids)]
    _write_profile(out, owner)
    files = ["Connections.csv", "Profile.csv", "Education.csv"]

    if conversations > 0:
        chosen = choose_partners(people, conversations, owner, rng)
        shown = rows.set_index("_pid").loc[people["person_id"].iloc[chosen]]
        names = (shown["First Name"].str.strip() + " " + shown["Last Name"].str.strip()).to_numpy(
            dtype=object
        )
        truths.append(write_messages(out, people.iloc[chosen], names, owner, spec, rng))
        files.append("messages.csv")
    if invitees is not None and len(invitees):
        truths.append(write_invitations(out, invitees.reset_index(drop=True), owner, spec, rng))
        files.append("Invitations.csv")

    if zip_path is not None:
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(files, key=lambda f: ZIP_ORDER.index(f) if f in ZIP_ORDER else 99):
                info = zipfile.ZipInfo(name, date_time=(*spec.export_date.timetuple()[:3], 9, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, (out / name).read_bytes())
    return pd.concat(truths, ignore_index=True)
