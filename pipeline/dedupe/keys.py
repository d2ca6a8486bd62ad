"""Matching keys per record: name parts, repaired '_' letters, slug names, email handles."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any
from urllib.parse import unquote

import numpy as np
import numpy.typing as npt
import pandas as pd
from anyascii import anyascii
from nameparser.config import CONSTANTS

from pipeline.datafiles import load_lines
from pipeline.normalize.values import fold
from pipeline.score.titles import expand_words

ObjArray = npt.NDArray[np.object_]
MIN_POPULATION = 2000.0
# Per-record matching keys, one array per key (a DataFrame would re-type every column).
Keys = dict[str, npt.NDArray[Any]]

# Surname particles that are not a surname on their own ('de Jong' is filed under Jong too):
# nameparser's list, folded ('dell’' -> 'dell').
PARTICLES = frozenset(w for w in (fold(p).replace(" ", "") for p in CONSTANTS.prefixes) if w)
_PART_SPLIT_RE = re.compile(r"[\s\-–]+")
_LETTERS_RE = re.compile(r"[^a-z_]")
_NON_LETTERS_RE = re.compile(r"[^a-z]+")
_SLUG_TOKEN_RE = re.compile(r"^([a-z]+)\d*$")
_INITIAL_RE = re.compile(r"[^\W\d_]\.")


def map_unique(values: npt.ArrayLike, func: Callable[[str], object]) -> ObjArray:
    """Apply a pure function once per distinct value; return an object array."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    mapped = np.empty(len(uniques) + 1, dtype=object)
    for position, value in enumerate(uniques):
        mapped[position] = func(value)
    return mapped[codes]  # a missing value (code -1) maps to None


def wild_pattern(text: str) -> str:
    """Fold a name but keep '_' (a letter Excel's code page lost) as a one-letter wildcard."""
    return _LETTERS_RE.sub("", anyascii(text.replace("_", "\x00")).lower().replace("\x00", "_"))


def surname_parts(last: str) -> tuple[str, ...]:
    """Split a double or particle surname ('García López', 'de Jong') into its filing parts."""
    parts = [p for p in (wild_pattern(p) for p in _PART_SPLIT_RE.split(last)) if p]
    if len(parts) < 2:
        return ()
    return tuple(p for p in parts if len(p) >= 2 and p not in PARTICLES)


def wildcard_options(
    patterns: Iterable[str], vocabulary: Counter[str], limit: int = 20
) -> dict[str, tuple[str, ...]]:
    """Map each pattern with '_' to the vocabulary words it can spell, commonest first."""
    lengths: dict[int, list[str]] = {}
    for word in vocabulary:
        lengths.setdefault(len(word), []).append(word)
    texts = {length: "\n".join(words) for length, words in lengths.items()}
    options: dict[str, tuple[str, ...]] = {}
    for pattern in set(patterns):
        text = texts.get(len(pattern), "")
        if not text or pattern.count("_") * 2 > len(pattern):
            options[pattern] = ()
            continue
        regex = re.compile("^" + re.escape(pattern).replace("_", "[a-z]") + "$", re.MULTILINE)
        found = sorted(regex.findall(text), key=lambda w: (-vocabulary[w], w))
        options[pattern] = tuple(found[:limit])
    return options


def _slug_names(slug: str, given: str, surname: str) -> tuple[str, str]:
    """Read a given name or a surname the record lacks from its profile slug ('rui-ren-7b3')."""
    tokens = []
    for raw in unquote(slug).split("-"):
        match = _SLUG_TOKEN_RE.match(fold(raw).replace(" ", ""))
        if match and len(match.group(1)) > 1:
            tokens.append(match.group(1))
    if not tokens or not surname:
        return "", ""
    if len(tokens) == 2 and len(surname) > 1:
        # 'abigail-cox' on Abby Miller's profile: her given name and (former) surname.
        return (tokens[0] if tokens[0] != given else ""), (
            tokens[1] if tokens[1] != surname else ""
        )
    for split in range(1, len(tokens)):
        head, tail = "".join(tokens[:split]), "".join(tokens[split:])
        if len(surname) == 1 and head == given and tail.startswith(surname):
            return "", tail
        if len(surname) > 1 and tail == surname and head != given:
            return head, ""
    return "", ""


@cache
def mail_providers() -> frozenset[str]:
    """Load the free mail providers: an address there says nothing about an employer."""
    try:
        return frozenset(load_lines("mail_providers.txt"))
    except FileNotFoundError:
        return frozenset()


def _email_parts(emails: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split emails into local parts ('jing.xu99') and employer labels ('acme' for jo@acme.com)."""
    if not emails:
        return (), ()
    handles: list[str] = []
    orgs: list[str] = []
    providers = mail_providers()
    for email in emails.split(";") if ";" in emails else (emails,):
        local, _, domain = email.strip().partition("@")
        if not domain:
            continue
        handles.append(local.split("+", 1)[0])
        if domain in providers or domain.startswith("alumni."):
            continue
        label, _, rest = domain.partition(".")
        if rest and rest not in providers and len(label) >= 3:
            orgs.append(label)
    return tuple(dict.fromkeys(handles)), tuple(dict.fromkeys(orgs))


_HANDLE_PUNCTUATION = str.maketrans("", "", "._-+'")


def handle_residue(handle: str, names: Iterable[str]) -> str:
    """Take the person's names out of an address's local part; return what is left."""
    rest = handle.translate(_HANDLE_PUNCTUATION)
    for name in sorted((n for n in names if len(n) > 1), key=len, reverse=True):
        rest = rest.replace(name, "")
    return rest


def _email_surnames(
    handles: tuple[str, ...], given: str, surname: str, nick: str
) -> tuple[str, ...]:
    """Other surnames a record's addresses spell ('rachel.taylor@' for Rachel Edwards)."""
    found: list[str] = []
    for handle in handles:
        if surname and surname in handle.translate(_HANDLE_PUNCTUATION):
            continue
        tokens = [t for t in _NON_LETTERS_RE.split(handle) if t]
        letters = "".join(tokens)
        if len(tokens) == 1 and given and letters.startswith(given):
            rest = letters[len(given) :]
            tokens = [rest, rest[1:]]  # 'racheltaylor'; 'joyjocampo' has a middle initial
        elif len(tokens) == 1 and given and letters.startswith(given[0]):
            tokens = [letters[1:]]  # 'lperez'
        found.extend(t for t in tokens if len(t) >= 3 and t not in (given, nick))
    return tuple(dict.fromkeys(found))[:3]


@cache
def _study_stopwords() -> frozenset[str]:
    """Load the degree words that say little about who someone is (study_stopwords.txt)."""
    try:
        return frozenset(load_lines("study_stopwords.txt"))
    except FileNotFoundError:
        return frozenset()


def study_key(degree_and_major: str) -> str:
    """Reduce 'B.S. - Computer Science' or 'BS' + 'Computer Science' to the field studied."""
    words = fold(degree_and_major).split()
    stopwords = _study_stopwords()
    return " ".join(sorted({w for w in words if w not in stopwords}))


_HEADLINE_SPLIT_RE = re.compile(r"\s+[|·•]\s+")
_AT_EMPLOYER_RE = re.compile(r"\s+(?:@|at)\s+.*$", re.IGNORECASE)


def title_key(title: str) -> str:
    """Fold a job title, abbreviations expanded: 'Sr. SWE @ Acme | Mentor' -> 'senior software …'.

    A LinkedIn headline adds the employer ('… @ Acme') and side roles ('… | Mentor'); the
    first role without its employer is the job an alumni file would list.
    """
    if not title:
        return ""
    first = _HEADLINE_SPLIT_RE.split(title, maxsplit=1)[0]
    return " ".join(expand_words(_AT_EMPLOYER_RE.sub("", first) or first))


def _joined(key: str) -> str:
    return key.replace(" ", "")


def _text(frame: pd.DataFrame, column: str) -> ObjArray:
    return frame[column].to_numpy(dtype=object, na_value="")


def _wild_given(keys: dict[str, ObjArray], first: ObjArray, wild: npt.NDArray[np.bool_]) -> None:
    """Keep 'Ry_ta' as a pattern and list the given names it can spell ('ryota')."""
    clean = keys["gj"][~wild]
    vocabulary = Counter(g for g in clean if len(g) > 1)
    patterns = map_unique(first[wild], lambda f: " ".join(wild_pattern(t) for t in f.split()))
    joined = map_unique(patterns, _joined)
    options = wildcard_options(set(joined), vocabulary)
    keys["given"][wild] = patterns
    keys["gj"][wild] = joined
    keys["given_options"][wild] = map_unique(joined, lambda p: options.get(p, ()))


def _wild_surnames(keys: dict[str, ObjArray], last: ObjArray, wild: npt.NDArray[np.bool_]) -> None:
    """Keep 'Koz_owski' and 'Lê-Tr_n' as patterns and list the surnames they can spell."""
    vocabulary = Counter(s for s in keys["surname"][~wild] if len(s) > 1)
    vocabulary.update(t for tokens in keys["parts"][~wild] if tokens for t in tokens)
    split = {
        name: [w for w in (wild_pattern(p) for p in _PART_SPLIT_RE.split(name)) if w]
        for name in set(last[wild])
    }
    wanted = [p for ps in split.values() for p in [*ps, "".join(ps)] if "_" in p]
    options = wildcard_options(wanted, vocabulary)

    def spell(parts: list[str]) -> tuple[str, ...]:
        found = list(options.get("".join(parts), ()))
        for part in parts:
            found.extend(options.get(part, ()))
        return tuple(dict.fromkeys(found))

    keys["surname"][wild] = map_unique(last[wild], lambda v: "".join(split[v]))
    keys["surname_options"][wild] = map_unique(last[wild], lambda v: spell(split[v]))
    keys["parts"][wild] = map_unique(
        last[wild],
        lambda v: (
            tuple(p for p in split[v] if len(p) >= 2 and p not in PARTICLES)
            if len(split[v]) > 1
            else ()
        ),
    )


def _without_spaces(values: ObjArray) -> ObjArray:
    """Drop the spaces of every value: 'min ji' -> 'minji' (cheaper than finding distinct ones)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [v.replace(" ", "") for v in values.tolist()]
    return out


def _empty_tuples(n: int) -> ObjArray:
    out = np.empty(n, dtype=object)
    out[:] = [()] * n
    return out


def match_keys(frame: pd.DataFrame) -> Keys:
    """Return the keys the blocking and the judge compare, one row per record."""
    n = len(frame)
    first, last = _text(frame, "first"), _text(frame, "last")
    keys: dict[str, ObjArray] = {
        "given": _text(frame, "first_key").copy(),
        "gj": _without_spaces(_text(frame, "first_key")),
        "surname": _without_spaces(_text(frame, "last_key")),
        "parts": map_unique(last, surname_parts),
        "given_options": _empty_tuples(n),
        "surname_options": _empty_tuples(n),
    }
    first_wild = np.array(["_" in v for v in first.tolist()], dtype=bool)
    last_wild = np.array(["_" in v for v in last.tolist()], dtype=bool)
    if first_wild.any():
        _wild_given(keys, first, first_wild)
    if last_wild.any():
        _wild_surnames(keys, last, last_wild)
    # 'D.' is LinkedIn's abbreviated surname; 'O' or 'E' alone is a surname of its own.
    keys["surname_initial"] = np.array(
        [len(v) == 2 and v[1] == "." and bool(_INITIAL_RE.fullmatch(v)) for v in last.tolist()],
        dtype=bool,
    )
    keys["maiden"] = _without_spaces(_text(frame, "maiden_key"))
    keys["maiden_parts"] = map_unique(_text(frame, "maiden"), surname_parts)
    keys["nick"] = _without_spaces(_text(frame, "nick_key"))
    # 'María José' filed as first 'María', middle 'José': the two together are her given name.
    middle = _text(frame, "middle")
    full_middle = np.array([len(m.strip(". ")) > 1 for m in middle.tolist()], dtype=bool)
    keys["given_middle"] = np.full(n, "", dtype=object)
    if full_middle.any():
        keys["given_middle"][full_middle] = (
            keys["given"][full_middle] + " " + map_unique(middle[full_middle], fold)
        )
    keys["wild"] = first_wild | last_wild
    keys["slug_given"] = np.full(n, "", dtype=object)
    keys["slug_last"] = np.full(n, "", dtype=object)
    slugs = _text(frame, "linkedin_slug")
    for i in np.flatnonzero(slugs != "").tolist():
        keys["slug_given"][i], keys["slug_last"][i] = _slug_names(
            slugs[i], keys["gj"][i], keys["surname"][i]
        )
    keys["middle"] = map_unique(_text(frame, "middle"), lambda m: fold(m)[:1])
    email_parts = [_email_parts(e) for e in _text(frame, "emails").tolist()]
    keys["all_handles"] = _empty_tuples(n)
    keys["all_handles"][:] = [p[0] for p in email_parts]
    keys["orgs"] = _empty_tuples(n)
    keys["orgs"][:] = [p[1] for p in email_parts]
    keys["email_surnames"] = _empty_tuples(n)
    for i in np.flatnonzero(np.array([len(p[0]) > 0 for p in email_parts], dtype=bool)).tolist():
        keys["email_surnames"][i] = _email_surnames(
            keys["all_handles"][i], keys["gj"][i], keys["surname"][i], keys["nick"][i]
        )
    city, location = _text(frame, "city"), _text(frame, "location")
    keys["city"] = map_unique(np.where(city != "", city, location), lambda v: fold(v.split(",")[0]))
    keys["title"] = map_unique(_text(frame, "title"), title_key)
    keys["study"] = map_unique(_text(frame, "degree") + " " + _text(frame, "major"), study_key)
    _add_frequencies(frame, keys)
    return keys


def _share(values: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    """Compute each value's share among the non-empty values (how likely a stranger has it)."""
    codes, uniques = pd.factorize(values)
    if not len(uniques):
        return np.zeros(len(values))
    empty = (
        np.asarray(uniques == "", dtype=bool)
        if values.dtype == object
        else np.zeros(len(uniques), dtype=bool)
    )
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)).astype(np.float64)
    # A short list says little about how common a value is in the world: count shares as if
    # there were at least MIN_POPULATION records, so two rows of a tiny file are not 'everyone'.
    known = max(counts[~empty].sum(), MIN_POPULATION)
    share = counts / known
    share[empty] = 0.0
    return np.where(codes >= 0, share[np.maximum(codes, 0)], 0.0)


def _add_frequencies(frame: pd.DataFrame, keys: Keys) -> None:
    """Add how common each record's employer, class year, title, city and full name are."""
    keys["company_share"] = _share(_text(frame, "company_key"))
    year = frame["grad_year"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    keys["year_share"] = _share(year)
    keys["title_share"] = _share(keys["title"])
    keys["city_share"] = _share(keys["city"])
    keys["study_share"] = _share(keys["study"])
    name = keys["gj"] + " " + keys["surname"]
    codes, _ = pd.factorize(name)
    keys["name_count"] = np.bincount(codes)[codes].astype(np.int64)
