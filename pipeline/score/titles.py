"""Job titles taken apart: seniority separated from function, abbreviations expanded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii

from pipeline.datafiles import load_toml

# Separators between several titles held at once: 'Founder | Data Scientist', 'PM · Growth'.
# A bare comma is not one: 'VP, Marketing' and 'Director, Product' are single titles.
_SPLIT_RE = re.compile(r"\s*(?:\||·|•|;|/\s|\s/|\s[-–—]\s)\s*")
_AT_RE = re.compile(r"\s+(?:@|at)\s+.*$", re.IGNORECASE)
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_TOKEN_RE = re.compile(r"[a-z0-9+#]+")
MID_LEVEL = 2
MAX_PHRASE = 4
OF = ("of",)


@dataclass(frozen=True)
class Segment:
    """One title held: readable role words, the words matched against roles, and its head."""

    display: str  # the title as written, for the Why cell ('Sr. Data Scientist')
    role: str  # role words, seniority removed, abbreviations expanded ('data scientist')
    key: tuple[str, ...]  # matching form: 'X of Y' turned to 'Y X', plurals singular
    full: tuple[str, ...]  # key with its level words kept ('staff writer', 'student affairs')
    head: str  # the noun that names the job: the last word of key ('scientist')
    level: int | None  # the seniority this title names, if any


@dataclass(frozen=True)
class ParsedTitle:
    """A title's role words, its seniority, and the role words without any seniority."""

    text: str
    parts: tuple[Segment, ...]
    seniority: int
    seniority_words: tuple[str, ...]

    @property
    def segments(self) -> tuple[str, ...]:
        """Return the role words of each title held ('founder', 'data scientist')."""
        return tuple(dict.fromkeys(part.role for part in self.parts if part.role))

    @property
    def function(self) -> str:
        return " · ".join(self.segments)

    @property
    def is_student(self) -> bool:
        return self.seniority == 0


@dataclass(frozen=True)
class TitleVocabulary:
    """Abbreviations, seniority ranks, modifiers and noise words (title_abbreviations.toml)."""

    expand: dict[str, str]
    expand_last: dict[str, str]  # as the last word: 'Web Dev' is a developer
    expand_pairs: dict[tuple[str, ...], str]  # two words read together: 'biz dev'
    special: re.Pattern[str] | None  # keys with '&', '-', '/': 'm&a', 'pa-c', 'ci/cd'
    special_words: dict[str, str]
    seniority: dict[tuple[str, ...], int]
    rank_at_head: dict[str, int]  # ranked only when the job's head word ('partner', 'owner')
    rank_with_heads: dict[str, tuple[int, frozenset[str], int]]  # 'staff' engineer vs nurse
    modifiers: frozenset[tuple[str, ...]]
    noun_modifiers: frozenset[tuple[str, ...]]  # modifiers that name the job when last
    plain_modifiers: frozenset[tuple[str, ...]]  # modifiers that never do ('senior', 'ii')
    stopwords: frozenset[tuple[str, ...]]
    leading_heads: frozenset[tuple[str, ...]]  # 'VP Product' -> 'product vp'
    job_nouns: frozenset[str]  # words that already name a job ('manager', 'assistant')
    known: frozenset[tuple[str, ...]]  # every phrase read as one unit
    phrase_starts: frozenset[str]  # first words of the known phrases of two words or more


def words_of(text: str) -> tuple[str, ...]:
    """Split text into lower-case word tokens."""
    return tuple(_TOKEN_RE.findall(text.lower().replace("-", " ")))


def stem(word: str) -> str:
    """Make a plural singular so 'Accountants' meets 'accountant' ('analytics' stays)."""
    if len(word) > 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if (
        len(word) > 4
        and word[-1] == "s"
        and word[-2:] not in ("ss", "us", "is")
        and not (word.endswith("ics"))
    ):
        return word[:-1]
    return word


@cache
def vocabulary() -> TitleVocabulary:
    """Load the title vocabulary once."""
    data = load_toml("title_abbreviations.toml")
    expand: dict[str, str] = {}
    pairs: dict[tuple[str, ...], str] = {}
    special: dict[str, str] = {}
    for key, value in data.get("expand", {}).items():
        key = key.lower()
        if re.fullmatch(r"[a-z0-9]+", key):
            expand[key] = " ".join(words_of(value))
        elif re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)+", key):
            pairs[words_of(key)] = " ".join(words_of(value))  # 'biz dev'
        else:
            # 'm&a', 'pa-c', 'ci/cd': expanded on the raw text, before it is split into words
            special[key] = f" {value.lower()} "
    alternatives = "|".join(re.escape(k) for k in sorted(special, key=len, reverse=True))
    special_re = re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])") if special else None
    seniority = {words_of(k): int(v) for k, v in data.get("seniority", {}).items() if words_of(k)}
    context = data.get("seniority_context", {})
    rank_at_head = {w: int(v["otherwise"]) for w, v in context.items() if v.get("at_head")}
    rank_with_heads = {
        w: (int(seniority[(w,)]), frozenset(v["heads"]), int(v["otherwise"]))
        for w, v in context.items()
        if "heads" in v
    }
    modifier_section = data.get("modifiers", {})
    modifiers = frozenset(words_of(w) for w in modifier_section.get("words", []))
    nouns = frozenset(words_of(w) for w in modifier_section.get("nouns", []))
    stop = frozenset(words_of(w) for w in data.get("stopwords", {}).get("words", []) if words_of(w))
    known = frozenset(seniority) | stop | modifiers | nouns
    return TitleVocabulary(
        expand=expand,
        expand_last={k: " ".join(words_of(v)) for k, v in data.get("expand_last", {}).items()},
        expand_pairs=pairs,
        special=special_re,
        special_words=special,
        seniority=seniority,
        rank_at_head=rank_at_head,
        rank_with_heads=rank_with_heads,
        modifiers=(modifiers | nouns) - {()},
        noun_modifiers=nouns - {()},
        plain_modifiers=modifiers - nouns - {()},
        stopwords=stop,
        leading_heads=frozenset(words_of(w) for w in data["inversion"]["leading_heads"]),
        job_nouns=frozenset(
            w for heads in data["heads"].values() for h in heads for w in words_of(h)
        ),
        known=known,
        phrase_starts=frozenset(p[0] for p in known if len(p) > 1),
    )


def expand_words(text: str) -> list[str]:
    """Lower-case a title and expand abbreviations ('Sr. SWE' -> senior software engineer)."""
    vocab = vocabulary()
    lowered = anyascii(text).lower() if not text.isascii() else text.lower()
    if vocab.special is not None and ("&" in lowered or "-" in lowered or "/" in lowered):
        lowered = vocab.special.sub(lambda m: vocab.special_words[m.group(0)], lowered)
    words: list[str] = []
    tokens = words_of(lowered.replace("&", " and ").replace(".", ""))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        pair = vocab.expand_pairs.get(tokens[index : index + 2])
        if pair is not None:
            words.extend(pair.split())
            index += 2
            continue
        expansion = vocab.expand.get(token)
        if index == len(tokens) - 1:
            expansion = vocab.expand_last.get(token, expansion)
        words.extend(expansion.split() if expansion else [token])
        index += 1
    return words


def _phrases(words: list[str]) -> list[tuple[str, ...]]:
    """Group words greedily into the longest known phrase ('vice president', 'open to work')."""
    vocab = vocabulary()
    result: list[tuple[str, ...]] = []
    index = 0
    while index < len(words):
        if words[index] not in vocab.phrase_starts:
            result.append((words[index],))
            index += 1
            continue
        for size in range(min(MAX_PHRASE, len(words) - index), 0, -1):
            phrase = tuple(words[index : index + size])
            if size == 1 or phrase in vocab.known:
                result.append(phrase)
                index += size
                break
    return result


def _invert(phrases: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Put the head last: 'director of marketing', 'VP Product' -> 'marketing director'."""
    vocab = vocabulary()
    for index, phrase in enumerate(phrases):
        if phrase == OF or (len(phrase) > 1 and phrase[-1] == "of"):
            before = phrases[:index] + ([phrase[:-1]] if phrase != OF else [])
            after = phrases[index + 1 :]
            return after + before if after and before else before + after
    first = 0
    while first < len(phrases) and phrases[first] in vocab.modifiers:
        first += 1
    if (
        first < len(phrases)
        and phrases[first] in vocab.leading_heads
        and first < len(phrases) - 1
        and phrases[-1][-1] not in vocab.job_nouns
        and phrases[-1] not in vocab.seniority
    ):
        return phrases[:first] + phrases[first + 1 :] + [phrases[first]]
    return phrases


def _piece_texts(title: str) -> list[tuple[str, tuple[str, ...]]]:
    """Return (display, comma parts with the head part last) per title held."""
    pieces: list[tuple[str, tuple[str, ...]]] = []
    for raw in _SPLIT_RE.split(title):
        piece = _AT_RE.sub("", raw).strip()
        if not piece:
            continue
        texts = [piece]
        if "(" in piece:
            outer = _PAREN_RE.sub(" ", piece).strip()
            # '(Backend)' is read as one more title held. '(PO)' after 'Parole Officer' only
            # abbreviates it (and must not become 'product owner'); '(Enterprise Content
            # Management Consultant)' after 'ECM Consultant' spells it out, and wins.
            texts = [outer]
            for inner in (m.strip() for m in _PAREN_RE.findall(piece)):
                if not inner or _abbreviates(inner, outer):
                    continue
                if _abbreviates(outer, inner):
                    texts = [t for t in texts if t != outer]
                texts.append(inner)
        for text in texts:
            parts = [p.strip() for p in text.split(",") if p.strip()]
            if parts:
                # 'VP, Marketing' and 'Editor, Newspaper' name the job first: put it last
                pieces.append((piece, (*parts[1:], parts[0])))
    return pieces


def _abbreviates(short: str, long: str) -> bool:
    """Tell whether short abbreviates long: initials or word starts ('PO', 'Ad Manager')."""
    long_words = words_of(long)
    position = 0
    for token in words_of(short.replace(".", "")):
        if position < len(long_words) and long_words[position].startswith(token):
            position += 1
            continue
        size = len(token)
        initials = "".join(w[0] for w in long_words[position : position + size])
        if not (2 <= size <= 6 and token.isalpha() and initials == token):
            return False
        position += size
    return position > 0 and len(long_words) > 0


Parsed = tuple[Segment, tuple[int, ...], tuple[str, ...], bool]


def level_of(ranks: Sequence[int]) -> int | None:
    """Return the seniority a title names: its highest rank, or 0 for a student or intern."""
    if not ranks:
        return None
    # 'Graduate Student' (1 and 0) is a student; 'Intern Program Manager' (0 and 5) is not.
    return 0 if min(ranks) == 0 and max(ranks) <= 1 else max(ranks)


def _combined(parts: tuple[str, ...]) -> Parsed:
    """Parse a title written in comma parts, each once: 'Data Scientist, Growth'."""
    if len(parts) == 1:
        return _segment(parts[0])
    parsed = [_segment(part) for part in parts]
    head = parsed[-1][0]
    # A part of level words only adds its level: 'Engineer, Senior'.
    qualifiers = [p[0] for p in parsed[:-1] if not p[3]]
    key = tuple(w for q in qualifiers for w in q.key) + head.key
    full = tuple(w for q in qualifiers for w in q.full) + head.full
    ranks = tuple(r for p in parsed for r in p[1])
    segment = Segment(
        display="",
        role=" ".join([*(q.role for q in qualifiers), head.role]),
        key=key,
        full=full,
        head=key[-1] if key else "",
        level=level_of(ranks),
    )
    return segment, ranks, tuple(w for p in parsed for w in p[2]), False


@lru_cache(maxsize=200_000)
def _segment(text: str) -> Parsed:
    """Parse one title held: the segment (display unset), its ranks and level words."""
    vocab = vocabulary()
    level_words: list[str] = []
    written = [
        p
        for p in _phrases(expand_words(text))
        if p not in vocab.stopwords or p == OF or p[-1] == "of"
    ]
    phrases = [p for p in _invert(written) if p != OF]
    # The head is the last phrase that is not a plain level ('senior', 'ii'); 'lead', 'intern'
    # or 'principal' at the end name the job itself ('Data Science Lead', 'School Principal').
    head_at = len(phrases) - 1
    while head_at > 0 and phrases[head_at] in vocab.plain_modifiers:
        head_at -= 1
    head_phrase = phrases[head_at] if phrases else ()
    kept: list[str] = []
    ranks: list[int] = []
    for index, phrase in enumerate(phrases):
        rank = vocab.seniority.get(phrase)
        if rank is not None:
            ranks.append(_contextual_rank(phrase, rank, index == head_at, head_phrase))
            level_words.append(" ".join(phrase))
        if phrase not in vocab.modifiers or index == head_at:
            kept.extend(phrase)
    full = [w for p in phrases[: head_at + 1] for w in p]
    levels_only = all(p in vocab.modifiers for p in phrases)
    if not kept:
        kept = full
    role = [w for p in written if p not in vocab.modifiers or p == head_phrase for w in p]
    while role and role[0] == "of":
        role.pop(0)
    while role and role[-1] == "of":
        role.pop()
    key = tuple(stem(w) for w in kept)
    segment = Segment(
        display="",
        role=" ".join(role),
        key=key,
        full=tuple(stem(w) for w in full),
        head=key[-1] if key else "",
        level=level_of(ranks),
    )
    return segment, tuple(ranks), tuple(level_words), levels_only and bool(ranks)


def _contextual_rank(
    phrase: tuple[str, ...], rank: int, is_head: bool, head: tuple[str, ...]
) -> int:
    """Read 'staff', 'partner', 'owner' as seniority only where they mean it."""
    vocab = vocabulary()
    word = phrase[0] if len(phrase) == 1 else ""
    if word in vocab.rank_at_head and not is_head:
        return vocab.rank_at_head[word]
    if word in vocab.rank_with_heads:
        high, heads, otherwise = vocab.rank_with_heads[word]
        return high if head and stem(head[-1]) in heads else otherwise
    return rank


@lru_cache(maxsize=400_000)
def parse_title(title: str) -> ParsedTitle:
    """Split a title into the roles it holds; keep role words, read seniority on the side."""
    cleaned = " ".join(title.split())
    levels: list[int] = []
    level_words: list[str] = []
    parts: list[Segment] = []
    for display, texts in _piece_texts(cleaned):
        segment, _, words, _ = _combined(texts)
        if segment.level is not None:
            levels.append(segment.level)
        level_words.extend(words)
        parts.append(
            Segment(display, segment.role, segment.key, segment.full, segment.head, segment.level)
        )
    unique = tuple({part.key: part for part in parts if part.key}.values())
    return ParsedTitle(
        text=cleaned,
        parts=unique,
        seniority=max(levels) if levels else MID_LEVEL,
        seniority_words=tuple(dict.fromkeys(level_words)),
    )


@lru_cache(maxsize=20_000)
def phrase_keys(text: str) -> tuple[tuple[str, ...], ...]:
    """Return the matching forms of a role or keyword: as written, and without level words."""
    # 'senior data scientist' also reads 'data scientist'; 'staff writer' stays whole, since
    # 'writer' alone is any writer.
    parsed = parse_title(text)
    if not parsed.parts:
        return ()
    part = parsed.parts[0]
    keys = [part.full or part.key]
    if part.key != keys[0] and len(part.key) >= 2:
        keys.append(part.key)
    return tuple(keys)


def phrase_key(text: str) -> tuple[str, ...]:
    """Return the matching form of a role or keyword, as written ('m&a' -> merger ...)."""
    keys = phrase_keys(text)
    return keys[0] if keys else ()


def forget_parsed_titles() -> None:
    """Empty the caches of parsed titles (benchmarks time a cold run with it)."""
    parse_title.cache_clear()
    _segment.cache_clear()
