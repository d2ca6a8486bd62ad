"""Blocking: pairs of records worth comparing, found by shared surname and given-name family."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from pipeline.dedupe.compare import RecordCodes
from pipeline.dedupe.keys import Keys
from pipeline.dedupe.nicknames import name_groups

# Past this many records, one name block ('smith|john' in a million alumni) is only compared
# within a company and within a class year: its members rarely share both, and a pair that
# shares neither could not gather enough evidence against so common a name anyway.
MAX_BLOCK = 60
SEP = "\x1f"

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _entries(
    values: npt.ArrayLike, expand: Callable[[str], Iterable[str]], vocabulary: dict[str, int]
) -> tuple[IntArray, IntArray]:
    """Pair each record with the id of every key its value expands to (once per distinct value)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    per_unique = [
        [vocabulary.setdefault(k, len(vocabulary)) for k in expand(str(u))] for u in uniques
    ]
    lengths = np.array([len(ids) for ids in per_unique], dtype=np.int64)
    flat = np.array([i for ids in per_unique for i in ids], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    records = np.flatnonzero(codes >= 0)
    codes = codes[records]
    counts = lengths[codes]
    rec = np.repeat(records, counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return rec.astype(np.int64), flat[np.repeat(starts[codes], counts) + within]


def _unique_entries(parts: list[tuple[IntArray, IntArray]]) -> tuple[IntArray, IntArray]:
    """Concatenate (record, key) lists, drop repeats, sort by record."""
    rec = np.concatenate([p[0] for p in parts])
    key = np.concatenate([p[1] for p in parts])
    width = np.int64(key.max() + 1) if len(key) else np.int64(1)
    combined = _distinct(rec * width + key)
    return combined // width, combined % width


def _distinct(values: IntArray) -> IntArray:
    """Return the distinct values, sorted (np.unique's hash path is slow on millions of ints)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def _product(
    left: tuple[IntArray, IntArray], right: tuple[IntArray, IntArray], n: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Per record, every (left key, right key) combination; both inputs sorted by record."""
    count_l = np.bincount(left[0], minlength=n)
    count_r = np.bincount(right[0], minlength=n)
    start_l = np.cumsum(count_l) - count_l
    start_r = np.cumsum(count_r) - count_r
    product = count_l * count_r
    rec = np.repeat(np.arange(n, dtype=np.int64), product)
    within = np.arange(product.sum()) - np.repeat(np.cumsum(product) - product, product)
    width = np.maximum(count_r[rec], 1)
    return rec, left[1][start_l[rec] + within // width], right[1][start_r[rec] + within % width]


def _given(value: str) -> frozenset[str]:
    return name_groups(value) if len(value) > 1 and "_" not in value else frozenset()


def _surname(value: str) -> list[str]:
    return [value] if value and "_" not in value else []


def _items(value: str) -> list[str]:
    return [v for v in value.split(SEP) if v and "_" not in v]


def _as_text(column: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Write each tuple as one string, so it factorizes like any other value."""
    out = np.empty(len(column), dtype=object)
    out[:] = [SEP.join(v) if v else "" for v in column.tolist()]
    return out


def block_entries(keys: Keys) -> Blocks:
    """List (record, block) pairs: every surname variant times every given-name family."""
    n = len(keys["gj"])
    groups: dict[str, int] = {}
    given = _unique_entries(
        [
            _entries(keys["given"], _given, groups),
            _entries(keys["nick"], _given, groups),
            _entries(keys["given_middle"], _given, groups),
            _entries(keys["slug_given"], _given, groups),
            _entries(
                _as_text(keys["given_options"]),
                lambda v: [g for o in _items(v) for g in _given(o)],
                groups,
            ),
        ]
    )
    surnames: dict[str, int] = {}
    plain = np.where(keys["surname_initial"], "", keys["surname"]).astype(object)
    surname = _unique_entries(
        [
            _entries(plain, _surname, surnames),
            _entries(keys["maiden"], _surname, surnames),
            _entries(keys["slug_last"], _surname, surnames),
            _entries(_as_text(keys["surname_options"]), _items, surnames),
            _entries(_as_text(keys["parts"]), _items, surnames),
            _entries(_as_text(keys["maiden_parts"]), _items, surnames),
            _entries(_as_text(keys["email_surnames"]), _items, surnames),
        ]
    )
    width = np.int64(len(groups) + 64)
    rec, g, s = _product(given, surname, n)
    anchored: list[tuple[IntArray, IntArray]] = []
    gj = keys["gj"]
    letters = np.array([ord(v[0]) % 64 if v else 0 for v in gj.tolist()], dtype=np.int64)
    # 'J. Smith' and 'R_ta Smith' meet every Smith whose given name starts with that letter;
    # these blocks live at the top of each surname's id range (width - 64 .. width - 1).
    short = np.array([len(v) == 1 or ("_" in v and v[0] != "_") for v in gj.tolist()], dtype=bool)
    if short.any():
        block = surname[1] * width + width - 64 + letters[surname[0]]
        anchored.append(_anchored_pairs(surname[0], block, short[surname[0]]))
    # 'Daan D.' meets every Daan whose surname starts with D (and only those).
    initial = keys["surname_initial"]
    if initial.any():
        surname_letter = np.array(
            [ord(v[0]) % 64 if v else 0 for v in keys["surname"].tolist()],
            dtype=np.int64,
        )
        block = surname_letter[given[0]] * width + given[1]
        anchored.append(_anchored_pairs(given[0], block, initial[given[0]]))
    anchored.append(_swapped_pairs(gj, keys["surname"]))
    return Blocks(records=rec, blocks=s * width + g, anchored=anchored)


def _swapped_pairs(
    given: npt.NDArray[np.object_], surname: npt.NDArray[np.object_]
) -> tuple[IntArray, IntArray]:
    """Pair 'Okafor Olawale' with 'Olawale Okafor': a given name and surname written swapped."""
    named = np.flatnonzero((given != "") & (surname != "") & (given != surname))
    codes, _ = pd.factorize(
        np.concatenate([given[named] + SEP + surname[named], surname[named] + SEP + given[named]])
    )
    plain, swapped = codes[: len(named)], codes[len(named) :]
    hits = np.isin(swapped, plain)
    anchors = pd.DataFrame({"r": named[hits], "code": swapped[hits]})
    members = pd.DataFrame({"m": named, "code": plain})
    pairs = anchors.merge(members[members["code"].isin(anchors["code"])], on="code")
    return pairs["r"].to_numpy(dtype=np.int64), pairs["m"].to_numpy(dtype=np.int64)


@dataclass
class Blocks:
    """Ordinary blocks (record, block) and pairs found through an abbreviated name."""

    records: IntArray
    blocks: IntArray
    anchored: list[tuple[IntArray, IntArray]]


def _anchored_pairs(
    records: IntArray, blocks: IntArray, anchor: BoolArray
) -> tuple[IntArray, IntArray]:
    """Pair each abbreviated-name record with every record of its block, and nobody else."""
    anchors = pd.DataFrame({"r": records[anchor], "block": blocks[anchor]})
    members = pd.DataFrame({"m": records, "block": blocks})
    members = members[members["block"].isin(anchors["block"])]
    pairs = anchors.merge(members, on="block")
    return pairs["r"].to_numpy(dtype=np.int64), pairs["m"].to_numpy(dtype=np.int64)


def _split_big_blocks(
    records: IntArray, blocks: IntArray, company: IntArray, year: IntArray
) -> tuple[IntArray, IntArray]:
    """Compare the members of a huge block only within a company and within a class year."""
    inverse, _ = pd.factorize(blocks)
    size = np.bincount(inverse)[inverse]
    small = (size > 1) & (size <= MAX_BLOCK)
    big = np.flatnonzero(size > MAX_BLOCK)
    out_r, out_b = [records[small]], [blocks[small]]
    offset = 1
    for context in (company, year):
        ctx = context[records[big]]
        known = ctx >= 0
        if not known.any():
            continue
        width = np.int64(ctx.max() + 1)
        sub, uniques = pd.factorize(inverse[big][known].astype(np.int64) * width + ctx[known])
        # Negative ids: a sub-block never meets an ordinary block or the other context's.
        out_r.append(records[big][known])
        out_b.append(-(offset + sub.astype(np.int64)))
        offset += len(uniques)
    return np.concatenate(out_r), np.concatenate(out_b)


def _cross_file_pairs(
    records: IntArray, blocks: IntArray, file: IntArray
) -> tuple[IntArray, IntArray]:
    """Every pair of records that share a block and come from two different files."""
    order = np.lexsort((file[records], blocks))
    rec, blk, fil = records[order], blocks[order], file[records[order]]
    n = len(rec)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    new_block = np.concatenate([[True], blk[1:] != blk[:-1]])
    new_group = new_block | np.concatenate([[True], fil[1:] != fil[:-1]])
    block_starts = np.flatnonzero(new_block)
    group_starts = np.flatnonzero(new_group)
    block_end = np.repeat(np.append(block_starts[1:], n), np.diff(np.append(block_starts, n)))
    group_end = np.repeat(np.append(group_starts[1:], n), np.diff(np.append(group_starts, n)))
    partners = block_end - group_end
    first = np.repeat(np.arange(n), partners)
    step = np.arange(partners.sum()) - np.repeat(np.cumsum(partners) - partners, partners)
    second = np.repeat(group_end, partners) + step
    return rec[first], rec[second]


def candidate_pairs(keys: Keys, codes: RecordCodes) -> pd.DataFrame:
    """Find pairs of records (a < b) from two files sharing a surname and a given-name family.

    One file lists a person once: two of its rows with one name are namesakes, so within a
    file only a shared profile or email (proof) joins records.
    """
    n = len(keys["gj"])
    if n < 2:
        return pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64)})
    found = block_entries(keys)
    records, blocks = _split_big_blocks(found.records, found.blocks, codes.company, codes.year)
    a, b = _cross_file_pairs(records, blocks, codes.file)
    for first, second in found.anchored:
        other_file = codes.file[first] != codes.file[second]
        a = np.concatenate([a, first[other_file]])
        b = np.concatenate([b, second[other_file]])
    # Cheap vetoes first: the bulk of a big directory's pairs are namesakes years apart.
    ya, yb = codes.year[a], codes.year[b]
    sa, sb = codes.slug[a], codes.slug[b]
    keep = ~(((ya > 0) & (yb > 0) & (np.abs(ya - yb) > 1)) | ((sa >= 0) & (sb >= 0) & (sa != sb)))
    low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    code = _distinct(low * np.int64(n) + high)
    return pd.DataFrame({"a": code // n, "b": code % n})
