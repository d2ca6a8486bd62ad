"""Given-name equivalence: Bob is Robert, Liz is Elizabeth, Pepe is José (tables kept as data)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from functools import cache, lru_cache

from nicknames import name_triplets

from pipeline.datafiles import load_csv_rows
from pipeline.normalize.values import fold

# How two given names relate, weakest to strongest; the judge turns these into evidence.
NONE, INITIAL, PART, VARIANT, SAME = 0, 1, 2, 3, 4
RELATION_WORDS = {
    INITIAL: "initial",
    PART: "part of a longer given name",
    VARIANT: "given-name variant",
    SAME: "same given name",
}


@dataclass(frozen=True)
class NameTable:
    """Spelling classes, the formal names a short form may stand for, and direct translations."""

    spelling: dict[str, str]
    formal: dict[str, frozenset[str]]
    translated: dict[str, frozenset[str]]


def _key(name: str) -> str:
    # Multi-word given names ('maría teresa' -> 'maite') are compared without the space.
    return fold(name).replace(" ", "")


@cache
def _table() -> NameTable:
    rows = [(t.name1, t.name2, "nickname") for t in name_triplets()]
    with suppress(FileNotFoundError):
        rows += [
            (r.get("name", ""), r.get("variant", ""), r.get("kind", "nickname"))
            for r in load_csv_rows("nicknames.csv")
        ]
    rows = [(_key(a), _key(b), kind) for a, b, kind in rows]
    rows = [(a, b, kind) for a, b, kind in rows if a and b and a != b]

    # Spellings of one name (Mohamed, Mohammed, Muhammad) are one name: follow them transitively.
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.get(name, name) != name:
            name = parent[name]
        return name

    for a, b, kind in rows:
        if kind == "spelling":
            root_a, root_b = find(a), find(b)
            if root_a != root_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
    spelling = {name: find(name) for name in parent}

    formal: dict[str, set[str]] = {}
    translated: dict[str, set[str]] = {}
    for a, b, kind in rows:
        a, b = spelling.get(a, a), spelling.get(b, b)
        if kind == "spelling" or a == b:
            continue
        if kind == "translation":
            # A translation links two names directly; it never bridges two other names.
            translated.setdefault(a, set()).add(b)
            translated.setdefault(b, set()).add(a)
            continue
        formal.setdefault(a, {a})
        formal.setdefault(b, {b}).add(a)
    return NameTable(
        spelling=spelling,
        formal={k: frozenset(v) for k, v in formal.items()},
        translated={k: frozenset(v) for k, v in translated.items()},
    )


def wild_equal(a: str, b: str) -> bool:
    """Tell whether two folded names can be one spelling when '_' stands for any one letter."""
    return len(a) == len(b) and all(
        x == y or x == "_" or y == "_" for x, y in zip(a, b, strict=True)
    )


def canonical_spelling(name: str) -> str:
    """Return the representative spelling of a folded, space-free given name."""
    return _table().spelling.get(name, name)


def name_groups(first_key: str) -> frozenset[str]:
    """List a given name's blocking keys: the formal names it may stand for, its translations."""
    joined = first_key.replace(" ", "")
    if not joined:
        return frozenset()
    names = {joined}
    tokens = first_key.split()
    if len(tokens) > 1:
        names.update(t for t in tokens if len(t) > 1)
    table = _table()
    groups: set[str] = set()
    for name in names:
        name = table.spelling.get(name, name)
        family = set(table.formal.get(name, {name}))
        for member in list(family):
            family |= table.translated.get(member, frozenset())
        groups |= family
    return frozenset(groups)


def _variant(a: str, b: str) -> int:
    """Relate two single given names: spellings, short form and name, translations, siblings."""
    table = _table()
    a, b = table.spelling.get(a, a), table.spelling.get(b, b)
    if a == b:
        return VARIANT
    formal_a = table.formal.get(a, frozenset({a}))
    formal_b = table.formal.get(b, frozenset({b}))
    if a in formal_b or b in formal_a:
        return VARIANT
    # A translation links the two names themselves, never their nickname families: French
    # 'Jean' is John but English 'Jean' is Jane, so John -> Jean -> Jane must not connect.
    if b in table.translated.get(a, frozenset()):
        return VARIANT
    # Two short forms of one longer name (Bob and Rob for Robert, Liz and Beth for Elizabeth)
    # may be one person: weak evidence. The table lists pairs both ways, so a shared entry that
    # is no longer than the names (Bill, for Robert and for William) links nothing.
    longest = max(len(a), len(b))
    return PART if any(len(f) > longest for f in formal_a & formal_b) else NONE


@lru_cache(maxsize=1_000_000)
def given_relation(a: str, b: str) -> int:
    """Say how two folded given names ('min ji', 'bob') relate: SAME down to NONE."""
    joined_a, joined_b = a.replace(" ", ""), b.replace(" ", "")
    if not joined_a or not joined_b:
        return NONE
    if joined_a == joined_b:
        return SAME
    if "_" in joined_a or "_" in joined_b:
        # '_' is a letter Excel's code page lost ('Ry_ta' for Ryōta): any one letter.
        return SAME if wild_equal(joined_a, joined_b) else NONE
    if len(joined_a) == 1 or len(joined_b) == 1:
        return INITIAL if joined_a[0] == joined_b[0] else NONE
    relation = _variant(joined_a, joined_b)
    if relation:
        return relation
    tokens_a, tokens_b = a.split(), b.split()
    short, long = sorted((tokens_a, tokens_b), key=len)
    if len(long) > 1:
        # 'JC' for Juan Carlos, 'JP' for John Paul: the initials of a two-part given name.
        initials = "".join(t[0] for t in long)
        if len(short) == 1 and len(short[0]) == len(long) and short[0] == initials:
            return PART
        # 'Mary Grace' / 'Grace', 'Min-ji' / 'Min': every part of one is a part of the other.
        if len(short) < len(long) and all(
            any(s == t or (len(s) > 1 and len(t) > 1 and _variant(s, t) == VARIANT) for t in long)
            for s in short
        ):
            return PART
    return NONE


def same_given_name(a: str, b: str) -> bool:
    """Tell whether two folded given names can be one person's (equal, variant, initial)."""
    return given_relation(a, b) != NONE
