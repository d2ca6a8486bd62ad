"""profile.toml: who the user is and what they explore; every mistake named with key and line."""

from __future__ import annotations

import codecs
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ProfileError
from pipeline.ingest.headers import IGNORE, canonical_fields
from pipeline.score import COMPONENTS

PLANS = ("free", "premium")


@dataclass(frozen=True)
class Me:
    name: str = ""
    school: str = ""
    grad_year: int | None = None
    email: str = ""
    linkedin_plan: str = "free"
    intro: str = ""


@dataclass(frozen=True)
class Target:
    field: str
    roles: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftSettings:
    top: int = 50
    templates: Path | None = None
    sign_off: str = "Thanks,"


@dataclass(frozen=True)
class Profile:
    """The parsed, checked profile."""

    path: Path
    me: Me
    target: Target
    weights: dict[str, float] = field(default_factory=dict)
    drafts: DraftSettings = DraftSettings()
    columns: dict[str, dict[str, str]] = field(default_factory=dict)


# key: (expected type, required, description used in messages)
_SCHEMA: dict[str, dict[str, tuple[str, bool]]] = {
    "me": {
        "name": ("str", True),
        "school": ("str", False),
        "grad_year": ("int", False),
        "email": ("str", False),
        "linkedin_plan": ("str", False),
        "intro": ("str", False),
    },
    "target": {
        "field": ("str", True),
        "roles": ("list", False),
        "companies": ("list", False),
        "industries": ("list", False),
        "locations": ("list", False),
        "keywords": ("list", False),
    },
    "drafts": {"top": ("int", False), "templates": ("str", False), "sign_off": ("str", False)},
}
_TYPE_WORDS = {
    "str": 'text in quotes, like "Data Science"',
    "int": "a whole number, like 2025",
    "list": 'a list in brackets, like ["data scientist", "analyst"]',
    "number": "a number, like 20",
}


class _Lines:
    """Find the line of a table or key in the TOML text, for messages."""

    def __init__(self, text: str) -> None:
        self.tables: dict[str, int] = {}
        self.keys: dict[tuple[str, str], int] = {}
        table = ""
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            header = re.match(r"^\[\s*([^\]]+?)\s*\]", line)
            if header:
                table = self._normal(header.group(1))
                self.tables.setdefault(table, number)
                continue
            key = re.match(r'^("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_\-]+)\s*=', line)
            if key:
                self.keys.setdefault((table, self._normal(key.group(1))), number)

    @staticmethod
    def _normal(text: str) -> str:
        return ".".join(
            part.strip().strip("\"'") for part in re.split(r'\.(?=(?:[^"]*"[^"]*")*[^"]*$)', text)
        )

    def of(self, table: str, key: str | None = None) -> int:
        if key is not None and (table, key) in self.keys:
            return self.keys[(table, key)]
        return self.tables.get(table, 1)


def load_profile(path: Path, *, require_name: bool = True) -> Profile:
    """Read and check profile.toml."""
    if not path.exists():
        raise ProfileError(
            "profile not found",
            where=str(path),
            fix="Run 'outreach init' to write a starter profile.toml, or pass --profile PATH.",
        )
    text = _profile_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(
            f"not valid TOML: {error}",
            where=str(path),
            fix='Check quotes and brackets on that line (text goes in "double quotes").',
        ) from error
    lines = _Lines(text)
    where = str(path)

    def fail(table: str, key: str | None, what: str, fix: str | None = None) -> ProfileError:
        line = lines.of(table, key)
        return ProfileError(what, where=f"{where} line {line}", fix=fix)

    known_tables = {*_SCHEMA, "weights", "columns"}
    for table in data:
        if table not in known_tables:
            raise fail(
                table,
                None,
                f"unknown table [{table}]",
                f"Use only [{'], ['.join(sorted(known_tables))}].",
            )
    values: dict[str, dict[str, Any]] = {}
    for table, schema in _SCHEMA.items():
        section = data.get(table, {})
        if not isinstance(section, dict):
            raise fail(table, None, f"'{table}' must be a table: [{table}]")
        values[table] = {}
        for key, value in section.items():
            if key not in schema:
                raise fail(
                    table,
                    key,
                    f"unknown key '{table}.{key}'",
                    f"Known keys in [{table}]: {', '.join(schema)}.",
                )
            kind, _ = schema[key]
            values[table][key] = _check_type(value, kind, table, key, fail)
        for key, (_, required) in schema.items():
            if required and key not in section and not (key == "name" and not require_name):
                raise fail(
                    table,
                    None,
                    f"missing required key '{table}.{key}'",
                    f"Add it under [{table}], for example: {key} = "
                    + ('"Data Science"' if key == "field" else '"Alex Rivera"'),
                )
    me = values["me"]
    if me.get("linkedin_plan", "free") not in PLANS:
        raise fail("me", "linkedin_plan", f"me.linkedin_plan must be one of {', '.join(PLANS)}")
    if "grad_year" in me and not 1900 <= me["grad_year"] <= 2100:
        raise fail("me", "grad_year", "me.grad_year must be a year like 2025")
    if not str(values["target"].get("field", "x")).strip():
        raise fail(
            "target", "field", "target.field is empty", 'Write a field, like "Data Science".'
        )
    drafts = values["drafts"]
    if "top" in drafts and drafts["top"] < 0:
        raise fail("drafts", "top", "drafts.top must be 0 or more")
    weights = _check_weights(data.get("weights", {}), fail)
    columns = _check_columns(data.get("columns", {}), fail)
    templates = drafts.get("templates")
    return Profile(
        path=path,
        me=Me(**me),
        target=Target(
            field=values["target"]["field"],
            **{k: tuple(v) for k, v in values["target"].items() if k != "field"},
        ),
        weights=weights,
        drafts=DraftSettings(
            top=drafts.get("top", 50),
            templates=(path.parent / templates) if templates else None,
            sign_off=drafts.get("sign_off", "Thanks,"),
        ),
        columns=columns,
    )


def _profile_text(path: Path) -> str:
    """Read profile.toml as text: UTF-8, or UTF-16 as Windows Notepad saves 'Unicode'."""
    try:
        data = path.read_bytes()
    except IsADirectoryError as error:
        raise ProfileError(
            "this is a folder, not a profile",
            where=str(path),
            fix="Pass --profile with the path of profile.toml itself.",
        ) from error
    except OSError as error:
        raise ProfileError(
            f"cannot be read ({error.strerror or error})",
            where=str(path),
            fix="Check the file's permissions, or pass --profile PATH.",
        ) from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ProfileError(
            f"line {line} is not UTF-8 text (byte 0x{data[error.start]:02x})",
            where=str(path),
            fix="Save the file as UTF-8 (in Notepad: File > Save As > Encoding UTF-8; in "
            "TextEdit: Format > Make Plain Text, then save as UTF-8).",
        ) from error


def _check_type(value: Any, kind: str, table: str, key: str, fail: Any) -> Any:
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[kind]
    if not ok:
        raise fail(
            table,
            key,
            f"{table}.{key} should be {_TYPE_WORDS[kind]}, not {value!r}",
        )
    return value


def _check_weights(section: Any, fail: Any) -> dict[str, float]:
    if not isinstance(section, dict):
        raise fail("weights", None, "'weights' must be a table: [weights]")
    weights = {}
    for key, value in section.items():
        if key not in COMPONENTS:
            raise fail(
                "weights",
                key,
                f"unknown weight '{key}'",
                f"Known weights: {', '.join(COMPONENTS)}.",
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise fail(
                "weights", key, f"weights.{key} should be {_TYPE_WORDS['number']} (0 or more)"
            )
        weights[key] = float(value)
    return weights


def _check_columns(section: Any, fail: Any) -> dict[str, dict[str, str]]:
    if not isinstance(section, dict):
        raise fail("columns", None, "'columns' must hold tables like [columns.\"alumni.xlsx\"]")
    allowed = (*canonical_fields(), IGNORE)
    columns: dict[str, dict[str, str]] = {}
    for file_name, mapping in section.items():
        table = f"columns.{file_name}"
        if not isinstance(mapping, dict):
            raise fail(table, None, f'[columns."{file_name}"] must map headers to fields')
        for header, target in mapping.items():
            if not isinstance(target, str) or target not in allowed:
                raise fail(
                    table,
                    header,
                    f'column "{header}" is mapped to unknown field {target!r}',
                    f"Use one of: {', '.join(allowed)}.",
                )
        columns[file_name] = dict(mapping)
    return columns
