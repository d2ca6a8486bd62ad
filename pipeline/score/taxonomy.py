"""The built-in field taxonomy and forgiving lookup of the user's `target.field`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from pipeline.datafiles import load_toml
from pipeline.normalize.values import fold

FIELD_MATCH = 86


@dataclass(frozen=True)
class FieldSpec:
    """One career field: the roles, words and industries that signal it, and questions to ask."""

    name: str
    slug: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    keywords: tuple[str, ...]
    industries: tuple[str, ...]
    adjacent: tuple[str, ...]
    negative: tuple[str, ...]
    questions: tuple[str, ...]


@cache
def taxonomy() -> dict[str, FieldSpec]:
    """Load fields.toml keyed by slug."""
    fields: dict[str, FieldSpec] = {}
    for entry in load_toml("fields.toml")["field"]:
        spec = FieldSpec(
            name=entry["name"],
            slug=entry["slug"],
            aliases=tuple(entry.get("aliases", [])),
            roles=tuple(entry.get("roles", [])),
            keywords=tuple(entry.get("keywords", [])),
            industries=tuple(entry.get("industries", [])),
            adjacent=tuple(entry.get("adjacent", [])),
            negative=tuple(entry.get("negative", [])),
            questions=tuple(entry.get("questions", [])),
        )
        fields[spec.slug] = spec
    return fields


@cache
def field_names() -> dict[str, str]:
    """Map each field's folded name, slug and aliases to its slug."""
    names: dict[str, str] = {}
    for slug, spec in taxonomy().items():
        for name in (spec.name, slug.replace("-", " "), *spec.aliases):
            names.setdefault(fold(name), slug)
    return names


def fields_in_words(text: str) -> list[FieldSpec]:
    """Return the fields that a word of text names exactly ('sports analytics' -> two)."""
    names = field_names()
    slugs = [names[word] for word in fold(text).split() if len(word) > 3 and word in names]
    return [taxonomy()[slug] for slug in dict.fromkeys(slugs)]


def resolve_field(text: str) -> FieldSpec | None:
    """Match free text ('data sci', 'UX', 'nursing') to a field; None when nothing is close."""
    wanted = fold(text)
    if not wanted:
        return None
    names = field_names()
    if wanted in names:
        return taxonomy()[names[wanted]]
    if len(wanted) <= 3:
        return None  # 'pa', 'rn', 'cs' only ever match exactly
    longer = [name for name in names if len(name) > 3]
    prefixed = sorted(
        name
        for name in longer
        if name.startswith(wanted + " ") or (len(wanted) >= 4 and name.startswith(wanted))
    )
    if prefixed:
        return taxonomy()[names[min(prefixed, key=len)]]
    # Each word shortened: 'comp sci' -> computer science, 'mech eng', 'med school'.
    words = wanted.split()
    shortened = sorted(
        name
        for name in longer
        if len(name.split()) == len(words)
        and all(
            part.startswith(word) and len(word) >= 2
            for word, part in zip(words, name.split(), strict=True)
        )
    )
    if len(words) > 1 and shortened:
        return taxonomy()[names[min(shortened, key=len)]]
    best = process.extractOne(wanted, longer, scorer=fuzz.ratio, score_cutoff=FIELD_MATCH)
    return taxonomy()[names[best[0]]] if best else None
