"""Find the header row of a table and map its columns to canonical fields, with a confidence."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from pipeline.datafiles import load_toml

CONFIDENCE_GATE = 0.75
_IDENTITY = frozenset({"full_name", "first_name", "last_name", "email", "linkedin"})
HEADER_SCAN_ROWS = 30
# A column name is a few words; a longer cell is a note or a message, not a header.
MAX_HEADER_CHARS = 200
SAMPLE_VALUES = 200
IGNORE = "ignore"

_HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "hon", "fr"}
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|['’‘]\d\d\b")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LINKEDIN_RE = re.compile(r"linked[\s_-]?in", re.IGNORECASE)


@dataclass
class ColumnMapping:
    """How one column of an input was understood."""

    position: int
    header: str
    field: str | None
    confidence: float
    how: str
    note: str = ""


@dataclass
class HeaderRow:
    """The row that names the columns, with the group label above each column if any."""

    index: int
    cells: list[str]
    groups: list[str]

    @property
    def labels(self) -> list[str]:
        """Name each column as a person reads it: 'Spouse / First' under a group label."""
        return [
            f"{group} / {cell}" if group and cell else (cell or group)
            for group, cell in zip(self.groups, self.cells, strict=True)
        ]


@dataclass(frozen=True)
class AliasTable:
    """Canonical fields, their aliases and the modifier words around them (from data)."""

    aliases: Mapping[str, tuple[str, ...]]
    multi: frozenset[str]
    neutral: frozenset[str]
    group_blockers: frozenset[str]
    blockers: Mapping[str, frozenset[str]]
    exact: Mapping[str, str]
    choices: tuple[str, ...]
    choice_fields: tuple[str, ...]


@cache
def alias_table() -> AliasTable:
    """Load header_aliases.toml into lookup structures."""
    data = load_toml("header_aliases.toml")
    global_blockers = frozenset(data["blockers"])
    aliases: dict[str, tuple[str, ...]] = {}
    blockers: dict[str, frozenset[str]] = {}
    exact: dict[str, str] = {}
    multi = set()
    choices: list[str] = []
    choice_fields: list[str] = []
    for name, spec in data["fields"].items():
        names = tuple(normalize_header(alias) for alias in spec["aliases"])
        aliases[name] = names
        blockers[name] = global_blockers | frozenset(spec.get("blockers", []))
        if spec.get("multi"):
            multi.add(name)
        for alias in names:
            exact.setdefault(alias, name)
            choices.append(alias)
            choice_fields.append(name)
    return AliasTable(
        aliases=aliases,
        multi=frozenset(multi),
        neutral=frozenset(data["neutral"]),
        group_blockers=frozenset(data["group_blockers"]),
        blockers=blockers,
        exact=exact,
        choices=tuple(choices),
        choice_fields=tuple(choice_fields),
    )


def canonical_fields() -> tuple[str, ...]:
    """Return every field a column can be mapped to."""
    return tuple(alias_table().aliases)


@lru_cache(maxsize=100_000)
def normalize_header(header: str) -> str:
    """Lower-case a header into plain words: 'CnBio_First_Name' becomes 'cnbio first name'."""
    text = header.replace("\ufeff", "").strip()
    text = re.sub(r"__c$", "", text)
    text = re.sub(r"^hed__", "", text)
    # 'LinkedIn' is one word, not 'Linked In'; camelCase splitting would break it apart.
    text = _LINKEDIN_RE.sub("linkedin", text)
    text = _CAMEL_RE.sub(" ", text)
    text = text.lower().replace("e-mail", "email")
    text = re.sub(r"[^0-9a-z\u00c0-\u024f]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=100_000)
def score_header(header: str) -> tuple[str | None, float, str]:
    """Guess a header's field from its words alone: (field, confidence, how)."""
    if len(header) > MAX_HEADER_CHARS:
        return None, 0.0, ""  # a note or a message, not a column name
    table = alias_table()
    normalized = normalize_header(header)
    if not normalized:
        return None, 0.0, ""
    if normalized in table.exact:
        return table.exact[normalized], 1.0, "known header"
    tokens = normalized.split()
    best: tuple[str | None, float, str] = (None, 0.0, "")
    for field_name, alias in _aliases_starting_with(frozenset(tokens)):
        candidate = _score_alias_in_tokens(tokens, alias, field_name, table)
        if candidate > best[1]:
            how = "known words" if candidate >= CONFIDENCE_GATE else "weak word match"
            best = (field_name, candidate, how)
    if best[1] >= CONFIDENCE_GATE:
        return best
    near = process.extractOne(normalized, table.choices, scorer=fuzz.ratio, score_cutoff=86)
    if near is not None:
        field_name = table.choice_fields[near[2]]
        confidence = round(near[1] / 100 - 0.06, 2)
        # 'Addressee' is one letter from 'address' and 'SpBio Name' close to 'Bio Name': a
        # typo never adds a word that says the column is about something else.
        blocked = any(word in table.blockers[field_name] for word in tokens)
        if confidence > best[1] and not blocked:
            return field_name, confidence, f"near miss of '{near[0]}'"
    return best


def _aliases_starting_with(tokens: frozenset[str]) -> list[tuple[str, list[str]]]:
    """The aliases whose first word is among the tokens, in the alias table's order.

    Only these can match, so a sheet thousands of columns wide is not scored against every
    alias for every cell.
    """
    index = _alias_index()
    found = [entry for token in tokens for entry in index.get(token, ())]
    return [(field_name, alias) for _, field_name, alias in sorted(found, key=lambda e: e[0])]


@cache
def _alias_index() -> dict[str, list[tuple[int, str, list[str]]]]:
    index: dict[str, list[tuple[int, str, list[str]]]] = {}
    order = 0
    for field_name, names in alias_table().aliases.items():
        for alias in names:
            words = alias.split()
            if words:
                index.setdefault(words[0], []).append((order, field_name, words))
            order += 1
    return index


def _score_alias_in_tokens(
    tokens: list[str], alias: list[str], field_name: str, table: AliasTable
) -> float:
    """Score an alias found as whole words inside a longer header."""
    size = len(alias)
    for start in range(len(tokens) - size + 1):
        if tokens[start : start + size] != alias:
            continue
        rest = tokens[:start] + tokens[start + size :]
        if any(word in table.blockers[field_name] for word in rest):
            return 0.0
        at_end = start + size == len(tokens)
        if all(word in table.neutral for word in rest):
            return 0.9 if at_end else 0.8
        return 0.6 if at_end else 0.4
    return 0.0


def find_header_row(rows: Sequence[Sequence[str]], overrides: Mapping[str, str]) -> int | None:
    """Return the index of the row that looks most like a header, or None if none does."""
    best_index, best_score = None, 0.0
    first_identity = None
    wanted = {normalize_header(key) for key in overrides}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [cell for cell in row if cell.strip()]
        if not cells:
            continue
        score = 0.0
        for cell in cells:
            if wanted and normalize_header(cell) in wanted:
                score += 2
                continue
            field_name, confidence, _ = score_header(cell)
            if confidence >= CONFIDENCE_GATE:
                score += confidence
                if first_identity is None and field_name in _IDENTITY:
                    first_identity = index
        if score > best_score:
            best_index, best_score = index, score
    if best_index is not None and best_score >= 1.5:
        return best_index
    # One known column ('Name' beside columns nobody else uses) still heads a list of people.
    return first_identity


def read_header(
    rows: Sequence[Sequence[str]],
    overrides: Mapping[str, str],
    merged: Sequence[tuple[int, int, int, int]] | None = None,
) -> HeaderRow | None:
    """Find the header row and the group labels (often merged cells) right above it."""
    index = find_header_row(rows, overrides)
    if index is None:
        return None
    cells = [cell.strip() for cell in rows[index]]
    return HeaderRow(index, cells, group_labels(rows, index, merged))


def group_labels(
    rows: Sequence[Sequence[str]],
    index: int,
    merged: Sequence[tuple[int, int, int, int]] | None = None,
) -> list[str]:
    """Spread the labels of a group row ('Spouse' over 'First', 'Last') over their columns."""
    width = len(rows[index])
    labels = [""] * width
    if index == 0:
        return labels
    above = [cell.strip() for cell in rows[index - 1]][:width]
    filled = [position for position, cell in enumerate(above) if cell]
    header_filled = sum(1 for cell in rows[index] if cell.strip())
    if not filled or len(filled) >= header_filled:
        return labels
    spans = {col0: col1 for row0, col0, row1, col1 in merged or () if row0 == row1 == index - 1}
    # One label over the first column, or over the whole width, is a title, not a group.
    if len(filled) == 1 and (filled[0] == 0 or spans.get(filled[0], 0) >= width - 1):
        return labels
    # Without merged cells, labels in side-by-side cells ('Report:', 'Alumni 2026') are a
    # title; a group label stands over two columns or more.
    ends = [*filled[1:], width]
    if not spans and any(end - start < 2 for start, end in zip(filled, ends, strict=True)):
        return labels
    for number, start in enumerate(filled):
        if start in spans:
            end = spans[start]
        else:
            # Without merge information a label covers the columns up to the next label.
            end = filled[number + 1] - 1 if number + 1 < len(filled) else width - 1
        for position in range(start, min(end, width - 1) + 1):
            labels[position] = above[start]
    return labels


def score_grouped_header(group: str, header: str) -> tuple[str | None, float, str]:
    """Score a header under a group label: 'Spouse' vetoes, 'Email' over 'Home' helps."""
    field_name, confidence, how = score_header(header)
    if not group:
        return field_name, confidence, how
    table = alias_table()
    if set(normalize_header(group).split()) & table.group_blockers:
        return None, 0.0, f"under '{group}': about someone else"
    combined = score_header(f"{group} {header}")
    if combined[0] is not None and combined[1] > confidence:
        return combined[0], combined[1], f"{combined[2]}, with the label above"
    return field_name, confidence, how


def map_columns(
    headers: Sequence[str],
    data_rows: Sequence[Sequence[str]],
    overrides: Mapping[str, str],
    groups: Sequence[str] | None = None,
    samples: Sequence[list[str]] | None = None,
) -> list[ColumnMapping]:
    """Map each header to a canonical field; profile overrides win, weak guesses go unused."""
    table = alias_table()
    if samples is None:
        samples = [_sample_column(data_rows, position) for position in range(len(headers))]
    override_by_norm = {normalize_header(key): value for key, value in overrides.items()}
    counts = Counter(normalize_header(header) for header in headers)
    mappings: list[ColumnMapping] = []
    for position, header in enumerate(headers):
        group = groups[position] if groups and position < len(groups) else ""
        label = f"{group} / {header}" if group and header else header
        forced = override_by_norm.get(normalize_header(label))
        if forced is None and counts[normalize_header(header)] == 1:
            # 'Email' in profile.toml still names the one 'Contact / Email' column.
            forced = override_by_norm.get(normalize_header(header))
        if forced is not None:
            field_name = None if forced == IGNORE else forced
            how = "ignored by profile.toml" if forced == IGNORE else "set in profile.toml"
            mappings.append(ColumnMapping(position, label, field_name, 1.0, how))
            continue
        field_name, confidence, how = score_grouped_header(group, header)
        if field_name is None:
            mappings.append(ColumnMapping(position, label, None, 0.0, how or "no match"))
            continue
        values = samples[position] if position < len(samples) else []
        field_name, confidence, note = _check_content(field_name, confidence, values)
        mappings.append(ColumnMapping(position, label, field_name, confidence, how, note))
    _single_words_are_first_names(mappings, samples)
    _resolve_conflicts(mappings, table.multi)
    return mappings


def _single_words_are_first_names(
    mappings: list[ColumnMapping], samples: Sequence[list[str]]
) -> None:
    """Read a 'Preferred Name' of one word beside a last-name column as the first name."""
    used = {m.field for m in mappings if m.field and m.confidence >= CONFIDENCE_GATE}
    if "last_name" not in used or "first_name" in used:
        return
    for mapping in mappings:
        if mapping.field != "full_name" or mapping.how.endswith("profile.toml"):
            continue
        values = samples[mapping.position] if mapping.position < len(samples) else []
        if values and sum(1 for v in values if len(v.split()) == 1) >= 0.8 * len(values):
            mapping.field = "first_name"
            mapping.note = "one word per cell beside a last-name column: read as first names"
            return


def _sample_column(rows: Sequence[Sequence[str]], position: int) -> list[str]:
    values: list[str] = []
    for row in rows:
        if position < len(row) and row[position].strip():
            values.append(row[position].strip())
            if len(values) >= SAMPLE_VALUES:
                break
    return values


def _check_content(field_name: str, confidence: float, values: list[str]) -> tuple[str, float, str]:
    """Confirm a header guess against what the column holds."""
    if not values:
        return field_name, confidence, "column is empty"

    def share(test: Callable[[str], bool]) -> float:
        return sum(1 for value in values if test(value)) / len(values)

    if field_name == "email":
        if share(lambda v: "@" in v) >= 0.5:
            return field_name, confidence, ""
        if share(lambda v: "email" in v.lower() or "e-mail" in v.lower()) >= 0.5:
            return field_name, 0.0, "holds labels like 'Work Email', not addresses"
        return field_name, min(confidence, 0.3), "few values look like email addresses"
    if field_name == "linkedin":
        if share(lambda v: "linkedin" in v.lower()) >= 0.3:
            return field_name, max(confidence, 0.9), ""
        if share(lambda v: bool(re.fullmatch(r"[\w\-%]{3,100}", v))) >= 0.8:
            return field_name, confidence, "values look like profile names without a link"
        return field_name, min(confidence, 0.3), "values are not LinkedIn links"
    if field_name == "grad_year":
        if share(lambda v: bool(_YEAR_RE.search(v))) >= 0.5:
            return field_name, confidence, ""
        return field_name, min(confidence, 0.3), "values are not years"
    if field_name == "title" and share(_is_honorific) >= 0.5:
        return "name_prefix", confidence, "values are courtesy titles like 'Dr.'"
    names = field_name in {"first_name", "last_name", "full_name"}
    if names and share(lambda v: "@" in v and " " not in v.strip()) >= 0.5:
        return "email", confidence, "holds email addresses, not names"
    if names and share(lambda v: bool(re.search(r"[^\W\d_]", v))) < 0.5:
        return field_name, min(confidence, 0.3), "values are not names"
    return field_name, confidence, ""


def _is_honorific(value: str) -> bool:
    return value.lower().strip(". ") in _HONORIFICS


def _resolve_conflicts(mappings: list[ColumnMapping], multi: frozenset[str]) -> None:
    """Keep one column per single-valued field (the most confident); explain the others."""
    for mapping in mappings:
        if mapping.field and mapping.confidence < CONFIDENCE_GATE and mapping.how != "no match":
            guess = mapping.field
            mapping.note = "; ".join(
                part for part in (mapping.note, f"weak guess '{guess}', not used") if part
            )
            mapping.field = None
    best: dict[str, ColumnMapping] = {}
    for mapping in mappings:
        if mapping.field is None or mapping.field in multi:
            continue
        current = best.get(mapping.field)
        if current is None or mapping.confidence > current.confidence:
            best[mapping.field] = mapping
    for mapping in mappings:
        if mapping.field is None or mapping.field in multi:
            continue
        winner = best[mapping.field]
        if winner is not mapping:
            mapping.note = f"also looks like '{mapping.field}'; column '{winner.header}' used"
            mapping.field = None
