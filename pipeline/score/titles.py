"""Job titles taken apart: seniority separated from function, abbreviations expanded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.datafiles import load_toml

# Separators between several titles held at once: 'Founder | Data Scientist', 'PM · Growth'.
# A bare comma is not one: 'VP, Marketing' and 'Director, Product' are single titles.
_SPLIT_RE = re.compile(r"\s*(?:\||·|•|;|/\s|\s/|\s[-–—]\s)\s*")
_AT_RE = re.compile(r"\s+(?:@|at)\s+.*$", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[a-z0-9+#]+")
MID_LEVEL = 2
MAX_PHRASE = 4


@dataclass(frozen=True)
class ParsedTitle:
    """A title's role words, its seniority, and the role words without any seniority."""

    text: str
    segments: tuple[str, ...]  # role words per title held, modifiers removed ('product manager')
    seniority: int
    seniority_words: tuple[str, ...]

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
    special: tuple[tuple[re.Pattern[str], str], ...]
    seniority: dict[tuple[str, ...], int]
    modifiers: frozenset[tuple[str, ...]]
    stopwords: frozenset[tuple[str, ...]]


def _words(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(text.lower().replace("-", " ")))


@cache
def vocabulary() -> TitleVocabulary:
    """Load the title vocabulary once."""
    data = load_toml("title_abbreviations.toml")
    expand: dict[str, str] = {}
    special: list[tuple[re.Pattern[str], str]] = []
    for key, value in data.get("expand", {}).items():
        key = key.lower()
        if re.fullmatch(r"[a-z0-9]+", key):
            expand[key] = " ".join(_words(value))
        else:
            # 'm&a', 'pa-c', 'ci/cd': expanded on the raw text, before it is split into words
            pattern = re.compile(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])")
            special.append((pattern, f" {value.lower()} "))
    seniority = {_words(k): int(v) for k, v in data.get("seniority", {}).items() if _words(k)}
    modifiers = frozenset(_words(w) for w in data.get("modifiers", {}).get("words", []))
    stop = frozenset(_words(w) for w in data.get("stopwords", {}).get("words", []) if _words(w))
    return TitleVocabulary(expand, tuple(special), seniority, modifiers - {()}, stop)


def expand_words(text: str) -> list[str]:
    """Lower-case a title and expand abbreviations ('Sr. SWE' -> senior software engineer)."""
    vocab = vocabulary()
    lowered = text.lower()
    for pattern, replacement in vocab.special:
        lowered = pattern.sub(replacement, lowered)
    words: list[str] = []
    for token in _words(lowered.replace("&", " and ")):
        expansion = vocab.expand.get(token)
        words.extend(expansion.split() if expansion else [token])
    return words


def _phrases(words: list[str]) -> list[tuple[str, ...]]:
    """Group words greedily into the longest known phrase ('vice president', 'open to work')."""
    vocab = vocabulary()
    known = vocab.seniority.keys() | vocab.stopwords | vocab.modifiers
    result: list[tuple[str, ...]] = []
    index = 0
    while index < len(words):
        for size in range(min(MAX_PHRASE, len(words) - index), 0, -1):
            phrase = tuple(words[index : index + size])
            if size == 1 or phrase in known:
                result.append(phrase)
                index += size
                break
    return result


@lru_cache(maxsize=400_000)
def parse_title(title: str) -> ParsedTitle:
    """Split a title into the roles it holds; keep role words, read seniority on the side."""
    vocab = vocabulary()
    cleaned = " ".join(title.split())
    pieces = [p for p in _SPLIT_RE.split(cleaned) if p.strip()] or [cleaned]
    segments: list[str] = []
    levels: list[int] = []
    level_words: list[str] = []
    for piece in pieces:
        kept: list[str] = []
        for phrase in _phrases(expand_words(_AT_RE.sub("", piece))):
            rank = vocab.seniority.get(phrase)
            if rank is not None:
                levels.append(rank)
                level_words.append(" ".join(phrase))
            if phrase in vocab.stopwords or phrase in vocab.modifiers:
                continue
            # 'head of' keeps 'head': a phrase's trailing noise word goes ('vice' stays)
            if len(phrase) > 1 and (phrase[-1],) in vocab.stopwords:
                phrase = phrase[:-1]
            kept.extend(phrase)
        if kept:
            segments.append(" ".join(kept))
    return ParsedTitle(
        text=cleaned,
        segments=tuple(dict.fromkeys(segments)),
        seniority=max(levels) if levels else MID_LEVEL,
        seniority_words=tuple(dict.fromkeys(level_words)),
    )
