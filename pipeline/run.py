"""The pipeline, top to bottom: ingest → normalize → dedupe → score → drafts → workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.carryover import (
    assign_contact_ids,
    carry_contacts,
    carry_drafts,
    carry_employers,
    carry_questions,
    carry_review,
    employer_ratings,
)
from pipeline.dedupe import DEDUPE_STEPS, find_people
from pipeline.dedupe.people import build_people
from pipeline.drafts import (
    Draft,
    Sender,
    Templates,
    choose_channel,
    field_phrase,
    plan_drafts,
    recheck_edited,
)
from pipeline.drafts.questions import questions_for_field
from pipeline.errors import OutreachError, ProfileError
from pipeline.ingest import Ingested, check_usable, read_inputs
from pipeline.normalize import normalize_records
from pipeline.profile import Profile, load_profile
from pipeline.progress import Progress
from pipeline.score import ScoringTarget, build_target, employer_rollup, score_people
from pipeline.workbook import (
    PreviousWorkbook,
    SummaryContent,
    WorkbookContent,
    WriteResult,
    check_writable,
    read_previous,
    write_workbook,
)
from pipeline.workbook.writer import DEFAULT_ROW_CAP


@dataclass
class RunOptions:
    """What `outreach run` was asked to do."""

    connections: list[Path]
    alumni: list[Path]
    profile: Path
    out: Path
    top: int | None = None
    dry_run: bool = False
    row_cap: int = DEFAULT_ROW_CAP
    today: dt.date | None = None


@dataclass
class RunResult:
    """What a run produced, for the CLI's closing paragraph and for tests."""

    contacts: pd.DataFrame
    drafts: list[Draft]
    summary: SummaryContent
    paragraph: str
    written: WriteResult | None = None
    warnings: list[str] = field(default_factory=list)


def run_pipeline(options: RunOptions, progress: Progress | None = None) -> RunResult:
    """Run every stage and write the workbook (unless a dry run)."""
    with _collections_between_stages():
        return _run(options, progress or Progress(quiet=True))


@contextmanager
def _collections_between_stages() -> Iterator[None]:
    """Turn off Python's automatic garbage collection for the run; _stage collects instead.

    The collector walks every live container each time the count of them has grown by a
    quarter. A million rows make millions of lists and tuples, so on the 1M benchmark it ran
    about 30 full collections, 11 s of a 2-minute run, and found next to nothing: pandas
    and numpy free their memory by reference counting. Peak memory was the same without it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _stage(progress: Progress, name: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
    """A stage of the run, as Progress shows it; then the cycles it made and dropped are freed.

    Only the young generations are collected, the objects made since the last stage: a full
    collection walks the whole process, which in a long-lived caller (a test session, a
    notebook) costs more than the stage.
    """
    with progress.stage(name, *args, **kwargs) as bar:
        yield bar
        gc.collect(1)


def _run(options: RunOptions, progress: Progress) -> RunResult:
    today = options.today or dt.date.today()
    profile = load_profile(options.profile, require_name=False)
    if not options.dry_run:
        check_writable(options.out)
    with _stage(progress, "reading your previous workbook"):
        previous = read_previous(options.out)
    with _stage(progress, "reading inputs") as bar:
        ingested = read_inputs(options.connections, options.alumni, profile.columns, bar)
    profile = _complete_profile(profile, ingested)
    with _stage(progress, "cleaning values", total=len(ingested.records)) as bar:
        normalized = normalize_records(ingested.records, bar)
    check_usable(ingested, normalized.skipped)
    with _stage(progress, "finding duplicates", total=DEDUPE_STEPS + 2, unit="steps") as bar:
        deduped = find_people(normalized.records, previous.decisions, bar)
        people = build_people(deduped.records, deduped.merge_notes, ingested.linkedin)
        notes = people["person"].map(_value_notes_by_person(deduped.records))
        people["value_notes"] = notes.astype(object).fillna("")
        bar.advance()
        people["contact_id"] = assign_contact_ids(people, previous)
        bar.advance()
    with _stage(progress, "scoring", total=3, unit="steps") as bar:
        target = build_target(
            profile.target.field,
            roles=profile.target.roles,
            companies=profile.target.companies,
            industries=profile.target.industries,
            locations=profile.target.locations,
            keywords=profile.target.keywords,
            my_grad_year=profile.me.grad_year,
        )
        scored = score_people(people, target, profile.weights, employer_ratings(previous), today)
        # Each step returns a copy; on a million rows, keeping the step before alive would
        # hold a few hundred MB twice.
        del people
        bar.advance()
        scored = describe_contacts(scored, target)
        scored["data_notes"] = _with_value_notes(scored)
        bar.advance()
        carried = carry_contacts(scored, previous)
        employers = carry_employers(employer_rollup(scored), previous)
        del scored
        bar.advance()
    top = options.top if options.top is not None else profile.drafts.top
    with _stage(progress, "drafting messages", f"top {top}"):
        sender = _sender(profile, target, today)
        templates = Templates(profile.drafts.templates)
        planned = plan_drafts(carried.contacts, sender, templates, top)
        drafts = recheck_edited(carry_drafts(planned, previous), sender.plan)
    skipped = _skipped_rows(ingested, normalized.skipped)
    check_ledger(ingested, carried.contacts, skipped)
    review, review_notes = carry_review(deduped.review, deduped.records, previous)
    summary = _summary(
        ingested,
        deduped.records,
        carried.contacts,
        skipped,
        review,
        drafts,
        carried.changes,
        target,
        previous,
        deduped.review_truncated,
        top,
    )
    summary.notes.extend([*previous.notes, *review_notes])
    content = WorkbookContent(
        contacts=carried.contacts,
        kept=carried.kept,
        drafts=drafts,
        employers=employers,
        review=review,
        skipped=skipped,
        summary=summary,
        questions=carry_questions(_questions(target), previous),
        changes=carried.changes,
        row_cap=options.row_cap,
        extra_contact_columns=carried.extra_columns,
    )
    written = None
    if not options.dry_run:
        with _stage(progress, "writing the workbook") as bar:
            written = write_workbook(content, options.out, bar)
    paragraph = closing_paragraph(summary, carried.contacts, drafts, written, options, top)
    return RunResult(carried.contacts, drafts, summary, paragraph, written, target.warnings)


def _complete_profile(profile: Profile, ingested: Ingested) -> Profile:
    """Fill me.name and me.school from the LinkedIn export when profile.toml leaves them out."""
    me = profile.me
    context = ingested.linkedin
    name = me.name or (context.owner_name or "")
    school = me.school or (context.schools[0][0] if context.schools else "")
    grad_year = me.grad_year or (context.schools[0][1] if context.schools else None)
    if not name:
        raise ProfileError(
            "missing required key 'me.name'",
            where=f"{profile.path}",
            fix='Add name = "Your Name" under [me] (or pass a LinkedIn export with Profile.csv).',
        )
    if (name, school, grad_year) == (me.name, me.school, me.grad_year):
        return profile
    return dataclasses.replace(
        profile, me=dataclasses.replace(me, name=name, school=school, grad_year=grad_year)
    )


def _value_notes_by_person(records: pd.DataFrame) -> pd.Series:
    """Join the notes on each person's records' values (an invalid email kept as written)."""
    noted = records.loc[records["value_notes"].ne(""), ["person", "value_notes"]]
    return noted.groupby("person")["value_notes"].agg(lambda v: "; ".join(dict.fromkeys(v)))


def _with_value_notes(frame: pd.DataFrame) -> pd.Series:
    """Add the value notes (an invalid email kept as written) to each contact's data notes."""
    data = frame["data_notes"].fillna("").astype(str)
    values = frame["value_notes"].astype(object).fillna("").astype(str)
    joiner = pd.Series("; ", index=frame.index).where(data.ne("") & values.ne(""), "")
    return data + joiner + values


def _sender(profile: Profile, target: ScoringTarget, today: dt.date) -> Sender:
    me = profile.me
    is_student = me.grad_year is None or me.grad_year >= today.year
    intro = me.intro or (f"a student at {me.school}" if me.school else "a student")
    return Sender(
        name=me.name,
        intro=intro,
        # The user's own words for the field ('data science'), not the taxonomy's label.
        field_label=field_phrase(profile.target.field, target.field_label),
        school=me.school,
        grad_year=me.grad_year,
        plan=me.linkedin_plan,
        sign_off=profile.drafts.sign_off,
        is_student=is_student,
    )


def describe_contacts(scored: pd.DataFrame, target: ScoringTarget) -> pd.DataFrame:
    """Add the words a person reads: relationship, suggested channel, notes about the data."""
    frame = scored.copy()
    relationship = pd.Series("Other", index=frame.index, dtype=object)
    connection, alum = frame["is_connection"].astype(bool), frame["is_alum"].astype(bool)
    relationship[alum] = "Alum"
    relationship[connection] = "Connection"
    relationship[connection & alum] = "Connection + Alum"
    relationship = relationship.where(
        ~frame["in_conversation"].astype(bool), relationship + " · messaging"
    )
    relationship = relationship.where(
        ~frame["invited"].astype(bool), relationship + " · invite pending"
    )
    frame["relationship"] = relationship
    frame["company_is_target"] = frame["company_key"].isin(set(target.company_keys))
    frame["channel"] = suggested_channels(frame)
    merged = frame["n_records"].gt(1)
    note = frame["merge_note"].fillna("").astype(str)
    frame["data_notes"] = np.where(
        merged,
        "merged " + frame["n_records"].astype(str) + " records" + np.where(note.ne(""), ": ", ""),
        "",
    )
    frame["data_notes"] = frame["data_notes"] + note.where(merged, "")
    return frame


_CHANNEL_FACTS = ("is_connection", "in_conversation", "email", "email_opt_out", "invited",
                  "linkedin_url")  # fmt: skip


def suggested_channels(frame: pd.DataFrame) -> np.ndarray:
    """Each contact's first-message channel: choose_channel runs once per combination of facts."""
    facts = (
        np.column_stack([frame[name].fillna("").astype(bool).to_numpy() for name in _CHANNEL_FACTS])
        if len(frame)
        else np.zeros((0, len(_CHANNEL_FACTS)), dtype=bool)
    )
    codes = facts.astype(np.int64) @ (1 << np.arange(len(_CHANNEL_FACTS)))
    table = np.array(
        [
            choose_channel(
                {name: bool(code >> bit & 1) for bit, name in enumerate(_CHANNEL_FACTS)}
            )[0]
            for code in range(1 << len(_CHANNEL_FACTS))
        ],
        dtype=object,
    )
    return table[codes]


def _skipped_rows(ingested: Ingested, normalize_skipped: pd.DataFrame) -> pd.DataFrame:
    """All skipped rows in input order, each with its raw values."""
    later = normalize_skipped.copy()
    later["raw"] = [
        ingested.raw_values(int(src), int(idx))
        for src, idx in zip(later["src"], later["idx"], strict=True)
    ]
    later["order"] = later["src"]
    early = ingested.skipped.copy()
    order = {report.name: position for position, report in enumerate(ingested.reports)}
    early["order"] = early["file"].map(order)
    combined = pd.concat(
        [
            early[["file", "row", "reason", "raw", "order"]],
            later[["file", "row", "reason", "raw", "order"]],
        ],
        ignore_index=True,
    )
    combined = combined.sort_values(["order", "row"], kind="stable").drop(columns="order")
    return combined.reset_index(drop=True)


def check_ledger(ingested: Ingested, contacts: pd.DataFrame, skipped: pd.DataFrame) -> None:
    """Every data row of every input is in exactly one contact's Sources or in Skipped."""
    expected = sum(report.rows_read for report in ingested.reports)
    in_sources = int(contacts["n_records"].sum()) if len(contacts) else 0
    if in_sources + len(skipped) != expected:
        raise OutreachError(
            f"internal check failed: {expected} data rows read but {in_sources} in contacts and "
            f"{len(skipped)} skipped",
            fix="Please report this with the input files' shapes (not their contents).",
        )


def _questions(target: ScoringTarget) -> list[tuple[str, str]]:
    field = field_phrase(target.field_text, target.field_label)
    specific = target.spec.questions if target.spec is not None else ()
    return questions_for_field(field, target.field_label, specific)


def _summary(
    ingested: Ingested,
    records: pd.DataFrame,
    contacts: pd.DataFrame,
    skipped: pd.DataFrame,
    review: pd.DataFrame,
    drafts: list[Draft],
    changes: pd.DataFrame,
    target: ScoringTarget,
    previous: PreviousWorkbook,
    review_truncated: int,
    top: int,
) -> SummaryContent:
    skipped_by_file = Counter(skipped["file"])
    merged_by_file = _merged_by_file(records)
    inputs: list[dict[str, Any]] = []
    for report in ingested.reports:
        fmt = report.format
        if report.encoding:
            fmt += f", {report.encoding}"
        if report.delimiter:
            fmt += f", '{report.delimiter}'" if report.delimiter != "\t" else ", tab"
        inputs.append(
            {
                "name": report.name,
                "kind": "LinkedIn connections" if report.kind == "connection" else "Alumni",
                "rows_read": report.rows_read,
                "rows_kept": report.rows_read - skipped_by_file.get(report.name, 0),
                "rows_skipped": skipped_by_file.get(report.name, 0),
                "rows_merged": merged_by_file.get(report.name, 0),
                "header_row": report.header_row,
                "format": fmt,
                "notes": "; ".join(report.notes),
            }
        )
    merged_review = int((review["outcome"] == "merged").sum()) if len(review) else 0
    facts: list[tuple[str, object]] = [
        ("Rows read", sum(i["rows_read"] for i in inputs)),
        ("Rows skipped (see Skipped)", len(skipped)),
        ("Records kept", len(records)),
        ("People after merging duplicates", len(contacts)),
        ("Records merged into another", len(records) - len(contacts)),
        ("Fuzzy merges listed in Review", merged_review),
        ("Possible duplicates not merged (Review)", len(review) - merged_review),
        ("Connections", int(contacts["is_connection"].sum())),
        ("Alumni", int(contacts["is_alum"].sum())),
        ("Connection and alum", int((contacts["is_connection"] & contacts["is_alum"]).sum())),
        ("Field", target.field_label),
        ("Contacts with drafts", len({d.contact_id for d in drafts})),
    ]
    notes = list(target.warnings) + list(ingested.linkedin.notes)
    if review_truncated:
        notes.append(f"{review_truncated:,} more possible duplicates not listed in Review")
    note_drafts = sum(1 for d in drafts if d.channel == "LinkedIn note")
    if note_drafts:
        notes.append(
            f"{note_drafts} drafts are LinkedIn connection notes; a free account can add a note "
            "to about 5 invitations a month: notes past the first 5 in rank order say which "
            "month to send them in (Flags), or connect without a note."
        )
    employers = (
        contacts[contacts["company"].ne("")]
        .groupby("company_key")
        .agg(company=("company", "first"), people=("company", "size"), best=("score", "max"))
    )
    top_employers = sorted(
        zip(
            employers["company"].tolist(),
            employers["people"].tolist(),
            employers["best"].astype(float).tolist(),
            strict=True,
        ),
        key=lambda item: (-item[2], -item[1]),
    )[:10]
    change_counts = dict(Counter(changes["change"])) if previous.exists else {}
    return SummaryContent(
        generated=dt.datetime.now(),
        inputs=inputs,
        facts=facts,
        tiers=dict(Counter(contacts["tier"])),
        top_employers=top_employers,
        changes=change_counts,
        notes=notes,
    )


def _merged_by_file(records: pd.DataFrame) -> Counter[str]:
    """Per input file, its rows that became part of a person found in more than one row."""
    if records.empty or "person" not in records:
        return Counter()
    sizes = records["person"].map(records["person"].value_counts())
    return Counter(records.loc[sizes > 1, "file"])


def closing_paragraph(
    summary: SummaryContent,
    contacts: pd.DataFrame,
    drafts: list[Draft],
    written: WriteResult | None,
    options: RunOptions,
    top: int,
) -> str:
    """The one paragraph printed at the end of a run."""
    facts = dict(summary.facts)
    tiers = summary.tiers
    text = (
        f"Read {facts['Rows read']:,} rows from {len(summary.inputs)} "
        f"{'table' if len(summary.inputs) == 1 else 'tables'}: {facts['Records kept']:,} kept, "
        f"{facts['Rows skipped (see Skipped)']:,} skipped with a reason. "
        f"Found {len(contacts):,} people ({facts['Records merged into another']:,} duplicate "
        f"records merged; {facts['Possible duplicates not merged (Review)']:,} possible duplicates "
        f"to review). Tiers: A {tiers.get('A', 0):,}, B {tiers.get('B', 0):,}, "
        f"C {tiers.get('C', 0):,}. Drafted {len(drafts):,} messages for the top {top}."
    )
    if summary.changes:
        text += (
            " Since the last run: "
            + ", ".join(f"{count} {label.lower()}" for label, count in summary.changes.items())
            + "."
        )
    if written is not None:
        text += f" Wrote {written.path}"
        if written.backup:
            text += f" (previous version kept as {written.backup.name})"
        text += "."
        if written.overflow_csv:
            text += f" The full ranked list is in {written.overflow_csv.name}."
        if written.skipped_csv:
            text += f" Every skipped row is in {written.skipped_csv.name}."
    elif options.dry_run:
        text += " Dry run: nothing was written."
    return text
