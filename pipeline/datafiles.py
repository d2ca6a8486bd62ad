"""Read the data files shipped inside the package (taxonomy, aliases, nicknames, templates)."""

from __future__ import annotations

import csv
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_path(name: str) -> Path:
    """Return the filesystem path of a packaged data file."""
    return Path(str(resources.files("pipeline") / "data" / name))


def templates_dir() -> Path:
    """Return the folder of the built-in message templates."""
    return Path(str(resources.files("pipeline") / "templates"))


@cache
def load_toml(name: str) -> dict[str, Any]:
    """Parse a packaged TOML data file once per process."""
    with data_path(name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def load_csv_rows(name: str) -> tuple[dict[str, str], ...]:
    """Read a packaged CSV data file (lines starting with '#' are comments)."""
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    return tuple(csv.DictReader(lines))


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Read a packaged one-item-per-line data file, skipping blanks and '#' comments."""
    text = data_path(name).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
