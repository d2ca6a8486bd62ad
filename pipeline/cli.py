"""The `outreach` command: a thin skin over the pipeline that turns its errors into clear lines."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import __version__
from pipeline.errors import OutreachError
from pipeline.progress import Progress

F = TypeVar("F", bound=Callable[..., Any])


def _handled(command: F) -> F:
    """Add --debug; show an OutreachError as one line (exit 1), the unexpected without traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(kwargs.get("debug"))
        try:
            return command(*args, **kwargs)
        except OutreachError as error:
            if debug:
                traceback.print_exc()
            raise click.ClickException(error.message) from None
        except KeyboardInterrupt:
            _quiet_cleanup(debug)
            click.echo("\nInterrupted: nothing was written; your workbook is as it was.", err=True)
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if debug:
                traceback.print_exc()
            _quiet_cleanup(debug)
            raise click.ClickException(
                f"unexpected error ({type(error).__name__}: {error}). Nothing was written. "
                "Run again with --debug to see the details, and please report it."
            ) from None

    debug_option = click.option(
        "--debug", is_flag=True, help="Show tracebacks (for reporting bugs)."
    )
    return debug_option(wrapper)  # type: ignore[return-value]


def _quiet_cleanup(debug: bool) -> None:
    """Keep cleanup noise of a stopped run off the terminal (shown with --debug).

    Stopped in the middle of a save, openpyxl's half-written sheets fail to close when they
    are freed, and Python prints that as 'Exception ignored in ...' with a traceback.
    """
    if not debug:
        sys.unraisablehook = lambda unraisable: None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="outreach")
def outreach() -> None:
    """Turn your LinkedIn export and alumni spreadsheets into a ranked, ready-to-send plan
    for informational interviews, in one Excel workbook.

    \b
    Start here:
      outreach init --from Basic_LinkedInDataExport_01-15-2026.zip
      outreach run --connections Basic_LinkedInDataExport_01-15-2026.zip --alumni alumni.xlsx
    """


@outreach.command()
@click.option(
    "--connections",
    multiple=True,
    type=click.Path(path_type=Path, readable=False),
    help="Your LinkedIn export: the .zip, its unzipped folder, or Connections.csv. Repeatable.",
)
@click.option(
    "--alumni",
    multiple=True,
    type=click.Path(path_type=Path, readable=False),
    help="An alumni spreadsheet (.csv .tsv .txt .xlsx .xls .ods). Repeatable.",
)
@click.option(
    "--profile",
    default="profile.toml",
    show_default=True,
    type=click.Path(path_type=Path, readable=False),
    help="Who you are and the field you explore.",
)
@click.option(
    "--out",
    default="outreach.xlsx",
    show_default=True,
    type=click.Path(path_type=Path, readable=False),
    help="The workbook to write (an existing one is read first: your edits are kept).",
)
@click.option("--top", type=click.IntRange(min=0), help="How many contacts get drafts.")
@click.option(
    "--dry-run", is_flag=True, help="Run everything, print a summary and drafts, write nothing."
)
@click.option(
    "--row-cap",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Most contacts in the Contacts sheet; the full list then goes to a CSV beside it.",
)
@click.option("--quiet", is_flag=True, help="Print only errors.")
@_handled
def run(
    connections: tuple[Path, ...],
    alumni: tuple[Path, ...],
    profile: Path,
    out: Path,
    top: int | None,
    dry_run: bool,
    row_cap: int,
    quiet: bool,
    debug: bool,
) -> None:
    """Read your exports, rank the people, draft messages, and write the workbook.

    \b
    Example:
      outreach run --connections linkedin_export.zip \\
                   --alumni alumni_directory.xlsx --alumni career_office.csv \\
                   --profile profile.toml --out outreach.xlsx
    """
    from pipeline.run import RunOptions, run_pipeline

    if not connections and not alumni:
        raise click.UsageError("give at least one input: --connections PATH and/or --alumni PATH")
    progress = Progress(quiet=quiet)
    options = RunOptions(
        connections=list(connections),
        alumni=list(alumni),
        profile=profile,
        out=out,
        top=top,
        dry_run=dry_run,
        row_cap=row_cap,
    )
    progress.say("outreach: building your plan")
    result = run_pipeline(options, progress)
    for warning in result.warnings:
        click.echo(f"Note: {warning}", err=True)
    if dry_run:
        _print_dry_run(result)
    if not quiet:
        click.echo(result.paragraph)


def _print_dry_run(result: Any) -> None:
    shown = 0
    for draft in result.drafts:
        if draft.step != "First message":
            continue
        click.echo(f"\n--- {draft.name} · {draft.channel} ({draft.characters} characters) ---")
        if draft.subject:
            click.echo(f"Subject: {draft.subject}")
        click.echo(draft.message)
        shown += 1
        if shown == 3:
            break
    click.echo("")


@outreach.command()
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--profile",
    default="profile.toml",
    show_default=True,
    type=click.Path(path_type=Path, readable=False),
    help="Read [columns] mappings from this profile if it exists.",
)
@_handled
def inspect(path: Path, profile: Path, debug: bool) -> None:
    """Show how a file is read: format, encoding, header row, each column's mapping.

    \b
    Example:
      outreach inspect alumni_directory.xlsx
    Exits with 1 if the file cannot be used.
    """
    from pipeline.ingest.inspect import inspect_input, render_inspection
    from pipeline.profile import load_profile

    columns = load_profile(profile, require_name=False).columns if profile.exists() else {}
    for item in inspect_input(path, columns):
        click.echo(render_inspection(item))


@outreach.command()
@click.option(
    "--from",
    "export",
    type=click.Path(path_type=Path, readable=False),
    help="Your LinkedIn export (.zip or folder): fills in your name and school.",
)
@click.option(
    "--profile",
    default="profile.toml",
    show_default=True,
    type=click.Path(path_type=Path, readable=False),
    help="Where to write the profile.",
)
@_handled
def init(export: Path | None, profile: Path, debug: bool) -> None:
    """Write a starter profile.toml (never overwrites an existing one).

    \b
    Example:
      outreach init --from Basic_LinkedInDataExport_01-15-2026.zip
    """
    from pipeline.starter import write_starter_profile

    written = write_starter_profile(profile, export)
    click.echo(
        f"Wrote {written}. Open it, check [me] and set [target] field, then run 'outreach run'."
    )


@outreach.command()
@click.argument("name_or_id")
@click.option(
    "--workbook",
    default="outreach.xlsx",
    show_default=True,
    type=click.Path(path_type=Path, readable=False),
    help="The workbook written by 'outreach run'.",
)
@_handled
def preview(name_or_id: str, workbook: Path, debug: bool) -> None:
    """Print the drafts of one contact, by name, Contact ID or Rank.

    \b
    Example:
      outreach preview "Maya Chen"
      outreach preview C3F9A21B0
      outreach preview 3
    """
    from pipeline.preview import find_drafts

    name, drafts = find_drafts(workbook, name_or_id)
    click.echo(f"{name}: {len(drafts)} draft{'s' if len(drafts) != 1 else ''}")
    for draft in drafts:
        size = f"{draft['Characters']} characters, limit {draft['Limit']}"
        click.echo(f"\n--- {draft['Step']} · {draft['Channel']} ({size}) ---")
        if draft.get("Subject"):
            click.echo(f"Subject: {draft['Subject']}")
        click.echo(draft["Message"])
        if draft.get("Flags"):
            click.echo(f"Flags: {draft['Flags']}")


def main() -> None:
    """Console-script entry point."""
    outreach(prog_name="outreach")
