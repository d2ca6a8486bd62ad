"""Compare pairs of records field by field, on integer codes, once per distinct pair of values."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.dedupe.keys import Keys, handle_residue
from pipeline.dedupe.nicknames import VARIANT, given_relation, wild_equal

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]

# Surname relations, weakest to strongest (given names use the codes of nicknames.py).
S_NONE, S_INITIAL, S_EMAIL, S_PART, S_MAIDEN, S_SAME = 0, 1, 2, 3, 4, 5
COMPANY_MATCH = 92  # rapidfuzz ratio between two company keys that are one employer
TITLE_MATCH = 90  # token_sort_ratio between two job titles that are one job
MIN_PREFIX = 5  # 'chime' is 'chime financial'; shorter keys are too generic to extend
SHARES = ("company_share", "year_share", "title_share", "city_share", "study_share")


def _codes(*columns: ObjArray) -> list[IntArray]:
    """Factorize several columns over one vocabulary; '' becomes -1."""
    stacked = np.concatenate([np.asarray(c, dtype=object) for c in columns])
    codes, uniques = pd.factorize(stacked)
    codes = codes.astype(np.int64)
    empty = np.flatnonzero(uniques == "")
    if len(empty):
        codes[codes == empty[0]] = -1
    out, start = [], 0
    for column in columns:
        out.append(codes[start : start + len(column)])
        start += len(column)
    return out


def _nth(values: ObjArray, n: int) -> ObjArray:
    """Take the n-th item of each tuple ('' when shorter)."""
    out = np.empty(len(values), dtype=object)
    out[:] = [v[n] if len(v) > n else "" for v in values.tolist()]
    return out


def _joined(values: ObjArray, sep: str = "|") -> ObjArray:
    out = np.empty(len(values), dtype=object)
    out[:] = [sep.join(v) for v in values]
    return out


@dataclass
class RecordCodes:
    """Each record's comparable values as integer codes (and the text behind the fuzzy ones)."""

    given: IntArray
    given_text: ObjArray
    given_table: ObjArray
    given_middle: IntArray
    given_middle_text: ObjArray
    given_middle_table: ObjArray
    gj: IntArray
    nick: IntArray
    slug_given: IntArray
    surname: IntArray
    maiden: IntArray
    slug_last: IntArray
    surname_initial: BoolArray
    letter: IntArray
    name_given: IntArray  # given name and surname in one vocabulary, to see them swapped
    name_surname: IntArray
    surname_set: IntArray
    surname_set_text: ObjArray
    surname_complex: BoolArray
    surname_wild: BoolArray
    surname_names: IntArray  # (records, 6): surname, maiden, two parts of each
    email_names: IntArray
    email_names_text: ObjArray
    has_handles: BoolArray
    company: IntArray
    company_text: ObjArray
    company_head: IntArray
    orgs: IntArray
    orgs_text: ObjArray
    year: IntArray
    middle: IntArray
    slug: IntArray
    file: IntArray
    city: IntArray
    title: IntArray
    title_text: ObjArray
    study: IntArray
    study_text: ObjArray
    handle1: IntArray
    handle2: IntArray
    handle_text: ObjArray
    gj_text: ObjArray
    surname_text: ObjArray
    wild: BoolArray
    name_count: IntArray
    shares: dict[str, FloatArray]


def record_codes(frame: pd.DataFrame, keys: Keys) -> RecordCodes:
    """Encode every record once, so each pair is compared with array lookups."""

    def text(column: str, source: pd.DataFrame | None = None) -> ObjArray:
        if source is None:
            return keys[column]
        return source[column].to_numpy(dtype=object, na_value="")

    gj, nick, slug_given = _codes(text("gj"), text("nick"), text("slug_given"))
    parts, maiden_parts = keys["parts"], keys["maiden_parts"]
    name_given, name_surname = _codes(text("gj"), text("surname"))
    surname, maiden, slug_last, *surname_names = _codes(
        text("surname"),
        text("maiden"),
        text("slug_last"),
        _nth(parts, 0),
        _nth(parts, 1),
        _nth(maiden_parts, 0),
        _nth(maiden_parts, 1),
    )
    surname_set_text = (
        text("surname") + "|" + text("maiden") + "|" + _joined(parts) + "|" + _joined(maiden_parts)
    )
    complex_ = (pd.Series(parts).map(len).to_numpy() > 0) | (
        pd.Series(maiden_parts).map(len).to_numpy() > 0
    )
    wild_surname = np.array(["_" in s for s in text("surname").tolist()], dtype=bool)
    handles = keys["all_handles"]
    first_handle = np.array([h[0] if len(h) > 0 else "" for h in handles], dtype=object)
    second_handle = np.array([h[1] if len(h) > 1 else "" for h in handles], dtype=object)
    handle1, handle2 = _codes(first_handle, second_handle)
    handle_text = _decode(
        np.concatenate([handle1, handle2]), np.concatenate([first_handle, second_handle])
    )
    all_handles = keys["all_handles"]
    email_names_text = text("gj") + "|" + text("surname") + "|" + _joined(all_handles)
    orgs_text = _joined(keys["orgs"])
    surname_letters = text("surname")
    given = _codes(text("given"))[0]
    given_middle = _codes(text("given_middle"))[0]
    return RecordCodes(
        given=given,
        given_text=text("given"),
        given_table=_decode(given, text("given")),
        given_middle=given_middle,
        given_middle_text=text("given_middle"),
        given_middle_table=_decode(given_middle, text("given_middle")),
        gj=gj,
        nick=nick,
        slug_given=slug_given,
        surname=surname,
        maiden=maiden,
        slug_last=slug_last,
        surname_initial=keys["surname_initial"],
        name_given=name_given,
        name_surname=name_surname,
        letter=np.array([ord(s[0]) if s else -1 for s in surname_letters], dtype=np.int64),
        surname_set=np.arange(len(frame), dtype=np.int64),
        surname_set_text=surname_set_text,
        surname_complex=complex_,
        surname_wild=wild_surname,
        surname_names=np.column_stack([surname, maiden, *surname_names]),
        email_names=np.arange(len(frame), dtype=np.int64),
        email_names_text=email_names_text,
        has_handles=np.array([len(h) > 0 for h in all_handles], dtype=bool),
        company=_codes(text("company_key", frame))[0],
        company_text=text("company_key", frame),
        company_head=_company_heads(text("company_key", frame)),
        orgs=_codes(orgs_text)[0],
        orgs_text=orgs_text,
        year=frame["grad_year"].astype("Float64").fillna(-1).to_numpy(dtype=np.int64),
        middle=_codes(text("middle"))[0],
        slug=_codes(text("linkedin_slug", frame))[0],
        file=pd.factorize(frame["file"].to_numpy())[0].astype(np.int64),
        city=_codes(text("city"))[0],
        title=_codes(text("title"))[0],
        title_text=text("title"),
        study=_codes(text("study"))[0],
        study_text=text("study"),
        handle1=handle1,
        handle2=handle2,
        handle_text=handle_text,
        gj_text=text("gj"),
        surname_text=text("surname"),
        wild=keys["wild"],
        name_count=keys["name_count"],
        shares={s: keys[s].astype(np.float64) for s in SHARES},
    )


def _company_heads(companies: ObjArray) -> IntArray:
    """Code each employer key's first word, indexed by employer code (for the prefix rule)."""
    codes = _codes(companies)[0]
    table = _decode(codes, companies)
    return _codes(np.array([t.split(" ", 1)[0] for t in table], dtype=object))[0]


def by_distinct_pair(
    left: IntArray,
    right: IntArray,
    text: ObjArray,
    func: Callable[[str, str], float],
) -> FloatArray:
    """Evaluate func once per distinct (left, right) pair of codes; spread the results."""
    if not len(left):
        return np.zeros(0)
    width = np.int64(max(int(left.max()), int(right.max())) + 2)
    inverse, unique = pd.factorize((left + 1) * width + (right + 1))
    first = text[unique // width - 1]
    second = text[unique % width - 1]
    values = np.fromiter(
        (func(x, y) for x, y in zip(first.tolist(), second.tolist(), strict=True)),
        dtype=np.float64,
        count=len(unique),
    )
    return values[inverse]


def _decode(codes: IntArray, text: ObjArray) -> ObjArray:
    """Build a table of each code's text, for by_distinct_pair (indexed by code)."""
    table = np.empty(int(codes.max()) + 2 if len(codes) else 1, dtype=object)
    table[:] = ""
    table[codes[codes >= 0]] = text[codes >= 0]
    return table


def swapped_names(c: RecordCodes, ia: IntArray, ib: IntArray) -> BoolArray:
    """Spot 'Okafor Olawale' / 'Olawale Okafor': given name and surname written swapped."""
    ga, gb, sa, sb = c.name_given[ia], c.name_given[ib], c.name_surname[ia], c.name_surname[ib]
    return (ga >= 0) & (sa >= 0) & (ga == sb) & (sa == gb) & (ga != sa)


# Where a name relation came from, when not from the two names themselves (for the evidence).
VIA_NAME, VIA_NICKNAME, VIA_PROFILE, VIA_MIDDLE = 0, 1, 2, 3


def given_relations(c: RecordCodes, ia: IntArray, ib: IntArray) -> tuple[IntArray, IntArray]:
    """Relate two records' given names, parenthesised nicknames, slug names and middle names.

    Returns the relation and where it came from (VIA_*).
    """
    relation = by_distinct_pair(c.given[ia], c.given[ib], c.given_table, given_relation).astype(
        np.int64
    )
    ga, gb, na, nb = c.gj[ia], c.gj[ib], c.nick[ia], c.nick[ib]
    la, lb = c.slug_given[ia], c.slug_given[ib]
    by_nickname = ((na >= 0) & ((na == gb) | (na == nb) | (na == lb))) | (
        (nb >= 0) & ((nb == ga) | (nb == la))
    )
    by_profile = ((la >= 0) & ((la == gb) | (la == lb))) | ((lb >= 0) & (lb == ga))
    via = np.full(len(ia), VIA_NAME, dtype=np.int64)
    weak = relation < VARIANT
    via[weak & by_profile] = VIA_PROFILE
    via[weak & by_nickname] = VIA_NICKNAME
    relation = np.where((by_nickname | by_profile) & weak, VARIANT, relation)
    # A middle name that belongs to the given name ('María José' / 'Majo').
    for this, other in ((ia, ib), (ib, ia)):
        check = np.flatnonzero((c.given_middle[this] >= 0) & (relation < VARIANT))
        if len(check):
            found = by_distinct_pair(
                c.given_middle[this[check]],
                c.given[other[check]] + len(c.given_middle_table),
                np.concatenate([c.given_middle_table, c.given_table]),
                given_relation,
            ).astype(np.int64)
            raised = check[np.minimum(found, VARIANT) > relation[check]]
            relation[check] = np.maximum(relation[check], np.minimum(found, VARIANT))
            via[raised] = VIA_MIDDLE
    return relation, via


def _relate_surnames(left: str, right: str) -> float:
    """Relate two records' surname sets ('surname|maiden|parts…'), '_' being any one letter."""
    a_surname, a_maiden, *a_rest = left.split("|")
    b_surname, b_maiden, *b_rest = right.split("|")
    if len(a_surname) > 1 and wild_equal(a_surname, b_surname):
        return S_SAME
    if (a_maiden and (wild_equal(a_maiden, b_surname) or wild_equal(a_maiden, b_maiden))) or (
        b_maiden and wild_equal(b_maiden, a_surname)
    ):
        return S_MAIDEN
    names_a = {a_surname, a_maiden, *a_rest} - {""}
    names_b = {b_surname, b_maiden, *b_rest} - {""}
    if any(len(x) > 1 and wild_equal(x, y) for x in names_a for y in names_b):
        return S_PART
    return S_NONE


def _email_surname(left: str, right: str) -> float:
    """Score 1 when one record's email spells the other's name ('rachel.taylor' for Taylor)."""
    for this, other in ((left, right), (right, left)):
        given, surname, *handles = this.split("|")
        other_given, other_surname, *_ = other.split("|")
        if len(other_surname) < 3 or other_surname == surname or not other_given:
            continue
        for handle in handles:
            letters = re.sub(r"[^a-z]", "", handle)
            if other_surname in letters and (
                other_given in letters
                or (len(given) > 1 and given in letters)
                or letters.startswith(other_given[0] + other_surname)
            ):
                return 1.0
    return 0.0


def surname_relations(c: RecordCodes, ia: IntArray, ib: IntArray) -> tuple[IntArray, IntArray]:
    """Relate two records' surnames: same, maiden name, part of a double name, initial.

    Returns the relation and where it came from (VIA_NAME or VIA_PROFILE).
    """
    sa, sb, ma, mb = c.surname[ia], c.surname[ib], c.maiden[ia], c.maiden[ib]
    la, lb = c.slug_last[ia], c.slug_last[ib]
    initial_a, initial_b = c.surname_initial[ia], c.surname_initial[ib]
    same = (sa >= 0) & (sa == sb) & ~initial_a & ~initial_b
    maiden = ((ma >= 0) & ((ma == sb) | (ma == mb))) | ((mb >= 0) & (mb == sa))
    slug_full = ((la >= 0) & ((la == sb) | (la == mb))) | ((lb >= 0) & ((lb == sa) | (lb == ma)))
    relation = np.full(len(ia), S_NONE, dtype=np.int64)
    # One part of a double surname (or maiden name) meeting a name of the other record.
    candidates = np.flatnonzero((c.surname_complex[ia] | c.surname_complex[ib]) & ~same & ~maiden)
    if len(candidates):
        names_a = c.surname_names[ia[candidates]]
        names_b = c.surname_names[ib[candidates]]
        part = np.zeros(len(candidates), dtype=bool)
        for i in range(names_a.shape[1]):
            for j in range(names_b.shape[1]):
                part |= (names_a[:, i] >= 0) & (names_a[:, i] == names_b[:, j])
        relation[candidates[part]] = S_PART
    # '_' stands for a letter the file's encoding lost: compare those spellings one by one.
    wild = np.flatnonzero((c.surname_wild[ia] | c.surname_wild[ib]) & ~same & ~maiden)
    if len(wild):
        relation[wild] = by_distinct_pair(
            c.surname_set[ia[wild]], c.surname_set[ib[wild]], c.surname_set_text, _relate_surnames
        ).astype(np.int64)
    letter_a, letter_b = c.letter[ia], c.letter[ib]
    initial = (initial_a | initial_b) & (letter_a == letter_b) & (letter_a >= 0)
    relation = np.where(initial & (relation < S_INITIAL), S_INITIAL, relation)
    via = np.where(slug_full & (relation < S_PART), VIA_PROFILE, VIA_NAME)
    relation[slug_full & (relation < S_PART)] = S_PART
    unexplained = np.flatnonzero(
        (relation < S_EMAIL) & ~same & ~maiden & (c.has_handles[ia] | c.has_handles[ib])
    )
    if len(unexplained):
        table = _decode(c.email_names, c.email_names_text)
        by_email = by_distinct_pair(
            c.email_names[ia[unexplained]], c.email_names[ib[unexplained]], table, _email_surname
        )
        relation[unexplained[by_email > 0]] = S_EMAIL
    relation[maiden] = S_MAIDEN
    relation[same] = S_SAME
    via[maiden | same] = VIA_NAME
    return relation, via


def _prefix_company(a: str, b: str) -> float:
    """Score 100 when one key extends the other ('chime' / 'chime financial'), else 0."""
    short, long = sorted((a, b), key=len)
    return 100.0 if len(short) >= MIN_PREFIX and long.startswith(short + " ") else 0.0


def _org_score(orgs: str, company: str) -> float:
    """Score 1 when a work address's domain names the other's employer ('acme.com', Acme)."""
    compact = company.replace(" ", "")
    for org in orgs.split("|"):
        if compact and len(org) >= 3 and (compact.startswith(org) or org.startswith(compact)):
            return 1.0
    return 0.0


def same_company(c: RecordCodes, ia: IntArray, ib: IntArray) -> BoolArray:
    """Tell same employers: after legal forms and aliases, small typos, an address at its domain."""
    ca, cb = c.company[ia], c.company[ib]
    known = (ca >= 0) & (cb >= 0)
    same = known & (ca == cb)
    fuzzy = np.flatnonzero(known & ~same)
    if len(fuzzy):
        table = _decode(c.company, c.company_text)
        width = np.int64(int(c.company.max()) + 2)
        inverse, unique = pd.factorize(ca[fuzzy] * width + cb[fuzzy])
        left, right = table[unique // width], table[unique % width]
        score = np.asarray(
            process.cpdist(left.tolist(), right.tolist(), scorer=fuzz.ratio, workers=-1),
            dtype=np.float64,
        )
        head = c.company_head
        extends = np.flatnonzero(head[unique // width] == head[unique % width])
        score[extends] = np.maximum(
            score[extends],
            [_prefix_company(x, y) for x, y in zip(left[extends], right[extends], strict=True)],
        )
        same[fuzzy] = score[inverse] >= COMPANY_MATCH
    orgs_table = _decode(c.orgs, c.orgs_text)
    company_table = _decode(c.company, c.company_text)
    for this, other in ((ia, ib), (ib, ia)):
        check = np.flatnonzero(~same & (c.orgs[this] >= 0) & (c.company[other] >= 0))
        if len(check):
            hits = by_distinct_pair(
                c.orgs[this[check]],
                c.company[other[check]] + len(orgs_table),
                np.concatenate([orgs_table, company_table]),
                _org_score,
            )
            same[check[hits > 0]] = True
    return same


def shared_distinctive_handle(c: RecordCodes, ia: IntArray, ib: IntArray) -> BoolArray:
    """Find records holding an address with one local part that says more than the name.

    'jingxu99' at two domains is one person; 'john.smith' at two providers may be two.
    """
    ha1, ha2, hb1, hb2 = c.handle1[ia], c.handle2[ia], c.handle1[ib], c.handle2[ib]
    shared = np.where(
        (ha1 >= 0) & ((ha1 == hb1) | (ha1 == hb2)),
        ha1,
        np.where((ha2 >= 0) & ((ha2 == hb1) | (ha2 == hb2)), ha2, -1),
    )
    result = np.zeros(len(ia), dtype=bool)
    for k in np.flatnonzero(shared >= 0).tolist():
        handle = c.handle_text[shared[k]]
        names = (
            c.gj_text[ia[k]],
            c.surname_text[ia[k]],
            c.gj_text[ib[k]],
            c.surname_text[ib[k]],
        )
        result[k] = len(handle_residue(handle, names)) >= 2
    return result


def _subset(x: str, y: str) -> float:
    a, b = set(x.split()), set(y.split())
    return float(a <= b or b <= a)


def same_study(c: RecordCodes, ia: IntArray, ib: IntArray) -> BoolArray:
    """Tell the same field of study, one perhaps with a second major ('economics mathematics')."""
    sa, sb = c.study[ia], c.study[ib]
    same = (sa >= 0) & (sa == sb)
    other = np.flatnonzero((sa >= 0) & (sb >= 0) & ~same)
    if len(other):
        table = _decode(c.study, c.study_text)
        same[other] = by_distinct_pair(sa[other], sb[other], table, _subset) > 0
    return same


def title_scores(c: RecordCodes, ia: IntArray, ib: IntArray) -> FloatArray:
    """Score 0-100 how alike two job titles are (0 when either is missing)."""
    ta, tb = c.title[ia], c.title[ib]
    score = np.where((ta >= 0) & (ta == tb), 100.0, 0.0)
    fuzzy = np.flatnonzero((ta >= 0) & (tb >= 0) & (ta != tb))
    if len(fuzzy):
        width = np.int64(int(c.title.max()) + 2)
        inverse, unique = pd.factorize(ta[fuzzy] * width + tb[fuzzy])
        table = _decode(c.title, c.title_text)
        values = process.cpdist(
            table[unique // width].tolist(),
            table[unique % width].tolist(),
            scorer=fuzz.token_sort_ratio,
            workers=-1,
        )
        score[fuzzy] = np.asarray(values, dtype=np.float64)[inverse]
    return score
