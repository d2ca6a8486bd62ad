"""Given-name equivalence: Bob is Robert, Liz is Elizabeth, Pepe is José (tables kept as data)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nicknames import name_triplets

from pipeline.datafiles import load_csv_rows
from pipeline.normalize.values import fold


@dataclass(frozen=True)
class NameTable:
    """Formal names each given name may stand for, and direct translations (Giovanni: John)."""

    formal: dict[str, frozenset[str]]
    translated: dict[str, frozenset[str]]


@cache
def _table() -> NameTable:
    formal: dict[str, set[str]] = {}
    translated: dict[str, set[str]] = {}

    def key(name: str) -> str:
        # Multi-word given names ('maría teresa' -> 'maite') are compared without the space.
        return fold(name).replace(" ", "")

    def link(name: str, variant: str, kind: str) -> None:
        a, b = key(name), key(variant)
        if not a or not b or a == b:
            return
        if kind == "translation":
            # A translation links two names directly; it never bridges two other names.
            translated.setdefault(a, set()).add(b)
            translated.setdefault(b, set()).add(a)
            return
        formal.setdefault(a, {a})
        formal.setdefault(b, {b}).add(a)

    for triplet in name_triplets():
        link(triplet.name1, triplet.name2, "nickname")
    try:
        rows = load_csv_rows("nicknames.csv")
    except FileNotFoundError:
        rows = ()
    for row in rows:
        link(row.get("name", ""), row.get("variant", ""), row.get("kind", "nickname"))
    return NameTable(
        formal={k: frozenset(v) for k, v in formal.items()},
        translated={k: frozenset(v) for k, v in translated.items()},
    )


def _head(first_key: str) -> str:
    return first_key.split()[0] if first_key else ""


def name_groups(first_key: str) -> frozenset[str]:
    """Blocking keys for a given name: the formal names it may stand for, and its translations."""
    head = _head(first_key)
    if not head:
        return frozenset()
    table = _table()
    groups = set(table.formal.get(head, {head}))
    for name in list(groups):
        groups |= table.translated.get(name, frozenset())
    return frozenset(groups)


def same_given_name(a: str, b: str) -> bool:
    """Tell whether two folded given names can be one person's (equal, variant, initial)."""
    head_a, head_b = _head(a), _head(b)
    if not head_a or not head_b:
        return False
    if head_a == head_b:
        return True
    if len(head_a) == 1 or len(head_b) == 1:
        return head_a[0] == head_b[0]
    table = _table()
    formal_a = table.formal.get(head_a, frozenset({head_a}))
    formal_b = table.formal.get(head_b, frozenset({head_b}))
    if formal_a & formal_b:
        return True
    # A translation links the two names themselves, never their nickname families: French
    # 'Jean' is John but English 'Jean' is Jane, so John -> Jean -> Jane must not connect.
    return head_b in table.translated.get(head_a, frozenset())
