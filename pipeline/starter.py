"""`outreach init`: a starter profile.toml, prefilled from a LinkedIn export when given one."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from pipeline.datafiles import data_path
from pipeline.errors import ProfileError
from pipeline.ingest.linkedin import read_linkedin_context
from pipeline.ingest.sources import export_files


def write_starter_profile(target: Path, export: Path | None = None) -> Path:
    """Write profile.toml; refuse to overwrite one that exists."""
    if target.exists():
        raise ProfileError(
            "a profile already exists here and was not changed",
            where=str(target),
            fix="Edit it, or pass --profile NEW.toml to write a fresh one elsewhere.",
        )
    name, school, grad_year = "Your Name", "Your School", None
    if export is not None:
        context = read_linkedin_context([export_files(export)])
        name = context.owner_name or name
        if context.schools:
            school, grad_year = context.schools[0]
    intro = f"a student at {school}" if school != "Your School" else "a student exploring careers"
    env = Environment(loader=FileSystemLoader(str(data_path(""))), keep_trailing_newline=True)
    text = env.get_template("profile_starter.toml.j2").render(
        name=_toml_text(name),
        school=_toml_text(school),
        grad_year=grad_year,
        intro=_toml_text(intro),
    )
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ProfileError(f"cannot write ({error.strerror})", where=str(target)) from error
    return target


def _toml_text(value: str) -> str:
    """Escape a value for a double-quoted TOML string."""
    return value.replace("\\", "\\\\").replace('"', '\\"')
