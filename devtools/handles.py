"""Derive each fictional person's email addresses and LinkedIn slug from their name."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from devtools.pools import (
    ObjArray,
    email_part,
    empty_strings,
    groups,
    map_unique,
    slug_part,
    zero_pad,
)

SAFE_PROVIDERS = np.array(["example.com", "example.net", "example.org"], dtype=object)
REAL_PROVIDERS = np.array(
    ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com"],
    dtype=object,
)
REAL_PROVIDER_P = np.array([0.6, 0.1, 0.09, 0.08, 0.1, 0.03])


def _dedupe(local: ObjArray, domain: ObjArray, sep: str = "") -> ObjArray:
    """Number repeated (local, domain) pairs (john.smith, john.smith2, ...) until all are unique."""
    out = local.copy()
    for _ in range(8):
        key = out + "@" + domain
        dup = pd.Series(key).duplicated().to_numpy() & (out != "")
        if not dup.any():
            break
        idx = np.flatnonzero(dup)
        nth = pd.Series(key[idx]).groupby(key[idx]).cumcount().to_numpy() + 2
        out[idx] = out[idx] + sep + nth.astype(str).astype(object)
    return out


def _by_pattern(
    rng: np.random.Generator,
    n: int,
    p: list[float],
    builders: list[Callable[[npt.NDArray[np.int64]], ObjArray]],
) -> ObjArray:
    """Pick a pattern per row and build each row's string with only that pattern's builder."""
    out = empty_strings(n)
    pattern = rng.choice(len(p), n, p=p)
    for k, rows in enumerate(groups(pattern, len(p))):
        if len(rows):
            out[rows] = builders[k](rows)
    return out


def _hex(rng: np.random.Generator, k: int, low: int = 16**5, high: int = 16**8) -> ObjArray:
    return np.array([format(int(h), "x") for h in rng.integers(low, high, k)], dtype=object)


def _num(rng: np.random.Generator, k: int, low: int, high: int) -> ObjArray:
    return rng.integers(low, high, k).astype(str).astype(object)


def derive_handles(
    people: pd.DataFrame, rng: np.random.Generator, domains: ObjArray, email_style: str = "safe"
) -> None:
    """Fill work_email, personal_email and linkedin_slug from each person's name (in place).

    domains: each person's work email domain ("" for none), already made safe if wanted.
    """
    n = len(people)
    first = people["first"].to_numpy(dtype=object)
    last = people["last"].to_numpy(dtype=object)
    nick = people["nickname"].to_numpy(dtype=object)
    middle = people["middle"].to_numpy(dtype=object)
    f = map_unique(first, email_part)
    la = map_unique(last, email_part)
    nk = map_unique(nick, email_part)
    mi = map_unique(middle, lambda m: email_part(m)[:1])
    f0 = map_unique(f, lambda s: s[:1])
    yy = zero_pad(((people["grad_year"].to_numpy() - 22) % 100), 2)
    short = np.where(nk != "", nk, f).astype(object)

    # Work email at the employer's domain.
    dom = np.asarray(domains, dtype=object)
    local = _by_pattern(
        rng,
        n,
        [0.5, 0.2, 0.1, 0.08, 0.04, 0.08],
        [
            lambda i: f[i] + "." + la[i],
            lambda i: f0[i] + la[i],
            lambda i: f[i] + la[i],
            lambda i: f[i] + "_" + la[i],
            lambda i: f0[i] + "." + la[i],
            lambda i: short[i] + "." + la[i],
        ],
    )
    local = _dedupe(local, dom)
    work = np.where(dom != "", local + "@" + dom, "").astype(object)

    # Personal email at a mail provider.
    if email_style == "safe":
        provider = rng.choice(SAFE_PROVIDERS, n)
    else:
        provider = rng.choice(REAL_PROVIDERS, n, p=REAL_PROVIDER_P)
    local = _by_pattern(
        rng,
        n,
        [0.25, 0.2, 0.15, 0.1, 0.1, 0.1, 0.1],
        [
            lambda i: f[i] + "." + la[i],
            lambda i: f[i] + la[i],
            lambda i: f[i] + la[i] + yy[i],
            lambda i: f0[i] + la[i] + _num(rng, len(i), 1, 99),
            lambda i: f[i] + "." + la[i] + _num(rng, len(i), 1, 99),
            lambda i: la[i] + "." + f[i],
            lambda i: short[i] + mi[i] + la[i],
        ],
    )
    personal = _dedupe(local, provider) + "@" + provider

    # LinkedIn slug: vanity names, auto suffixes, percent-encoded accents (about 11% real).
    use_nick = (nick != "") & (rng.random(n) < 0.3)
    shown = np.where(use_nick, nick, first).astype(object)
    non_ascii = ~map_unique(shown + last, str.isascii).astype(bool)
    keep = non_ascii & (rng.random(n) < 0.65)
    fs = np.where(
        keep,
        map_unique(shown, lambda s: slug_part(s, True)),
        map_unique(shown, lambda s: slug_part(s, False)),
    ).astype(object)
    ls = np.where(
        keep,
        map_unique(last, lambda s: slug_part(s, True)),
        map_unique(last, lambda s: slug_part(s, False)),
    ).astype(object)
    mi_s = map_unique(middle, lambda m: slug_part(m[:1], False))
    slug = _by_pattern(
        rng,
        n,
        [0.24, 0.08, 0.35, 0.07, 0.08, 0.05, 0.05, 0.08],
        [
            lambda i: fs[i] + "-" + ls[i],
            lambda i: fs[i] + ls[i],
            lambda i: fs[i] + "-" + ls[i] + "-" + _hex(rng, len(i)),
            lambda i: fs[i] + "-" + ls[i] + "-" + _num(rng, len(i), 2, 99),
            lambda i: fs[i] + "-" + ls[i] + "-" + _num(rng, len(i), 10_000_000, 999_999_999),
            lambda i: np.where(
                mi_s[i] != "", fs[i] + "-" + mi_s[i] + "-" + ls[i], fs[i] + "-" + ls[i]
            ),
            lambda i: map_unique(fs[i], lambda s: s[:1]) + ls[i] + _num(rng, len(i), 2, 99),
            lambda i: fs[i] + "-" + ls[i] + "-" + _hex(rng, len(i), 16**7, 16**9),
        ],
    )
    slug = _dedupe(slug, empty_strings(n), sep="-")

    people["work_email"] = work
    people["personal_email"] = personal
    people["linkedin_slug"] = slug
