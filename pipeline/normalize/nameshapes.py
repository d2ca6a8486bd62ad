"""Parse many names at once: names of one shape parse alike, so each shape is parsed once.

'Baker, Jenny' and 'Okafor, Maya' have one shape: a capitalised word, a comma and a space, a
capitalised word. The careful parser (names.py, which asks nameparser) reads one stand-in per
shape whose words are made up ('Bapa, Dapa'); where each made-up word lands (first name, last
name, …) says where the real word lands, and the real words are put in its place. That holds
for ordinary words only, so only they take part: Latin letters written in one case pattern
('Baker', 'BAKER', 'baker'; a lone letter as an initial), in no word list of either parser
(titles, suffixes, particles, conjunctions, credentials, degrees, placeholders) and of no shape
a rule reads (roman numerals, patronymic endings, 'Mc'/'Mac'). The stand-in keeps each word's
case, its length up to LONG_WORD letters, which words repeat, and everything between the words
as written. A class year ('’09') is a slot of its own. A name with any other word is parsed on
its own, exactly as before; tests/test_nameshapes.py holds both ways to the same parts.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline.normalize.names import NameParts
from pipeline.normalize.values import two_digit_year

# Runs of Latin letters: the words a stand-in replaces.
_WORD_RE = re.compile(r"([A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+)")
# Words whose look, not their letters, a rule reads: roman numerals ('III'), East Slavic and
# Turkic patronymics ('Ivanovich', 'oglu'), and 'Mc'/'Mac' names.
_SPECIAL_SHAPE_RE = re.compile(
    r"^(?:x|ix|iv|v?i{0,3})$|(?:ovich|ovna|evich|evna|ichna|ilyich|kuzmich|lukich|fomich|"
    r"fokich)$|^(?:oglu|oğlu|ogly|ogli|o['’ʻ]g['’ʻ]li|qizi|qızı|kizi|kyzy|gyzy|uly|uulu)$|^ma?c",
    re.IGNORECASE,
)
_STAND_IN_CONSONANTS = "bdfgkpqtwz"
_STAND_IN_VOWELS = "aou"
# Rules count letters up to three ('GP’01' is a parent's year, 'W’05' a class year, 'MD' a
# two-letter credential); past that only the letters themselves matter, and those are stood in
# for. So a stand-in has its word's length up to this, and this length for longer words.
LONG_WORD = 4
# A name with more words than this is parsed on its own.
MAX_WORDS = 12
_DIGITS_RE = re.compile(r"\d+")
_YEAR_MARKS = "’'‘`"
_YEAR_SLOT = "\x00\x00"
_YEAR_STAND_IN = "17"
_PLAIN_GAPS = frozenset(" ,.-'’()\"")
_TEXT_PARTS = ("first", "middle", "last", "suffix", "nickname", "maiden")

Parse = Callable[..., NameParts]
# A part of a template: a literal text, or (field, word index) of a real word.
Piece = str | tuple[int, int]


@cache
def _listed() -> frozenset[str]:
    """Every entry of every word list either parser reads: nameparser's and names.py's."""
    from nameparser import Lexicon

    from pipeline.normalize import names

    lexicon = Lexicon.default()
    listed: set[str] = set()
    for item in dataclasses.fields(lexicon):
        value = getattr(lexicon, item.name)
        if isinstance(value, frozenset | set | tuple | list):
            for entry in value:
                texts = entry if isinstance(entry, tuple) else (entry,)
                listed.update(str(text).lower() for text in texts)
    listed |= names._SUFFIX_WORDS | names._TITLES | names._PARTICLES | names._GENERATIONAL
    listed |= names._credentials() | names._PLACEHOLDER_NAMES | names._PARENT_PREFIXES
    listed |= set(names._DEGREES.lower().split("|"))
    return frozenset(listed)


@cache
def special_words() -> frozenset[str]:
    """Every run of letters inside a listed entry ('d' and 'angelo' of "d'angelo")."""
    return frozenset(word for text in _listed() for word in re.findall(r"[^\W\d_]+", text.lower()))


@cache
def special_initials() -> frozenset[str]:
    """Letters that are a listed word alone ('y', 'e', a roman 'v' or 'x', a parent's 'p')."""
    alone = {text.strip(". ") for text in _listed()}
    return frozenset(letter for letter in alone if len(letter) == 1) | {"i", "v", "x", "p"}


def _case_pattern(word: str) -> str | None:
    """'U' for BAKER, 'L' for baker, 'T' for Baker; None for McDonald or DeShawn."""
    if word.isupper():
        return "U"
    if word.islower():
        return "L"
    if word[0].isupper() and word[1:].islower():
        return "T"
    return None


def _word_pattern(word: str) -> str | None:
    """The case pattern of a word of two or more letters a stand-in may take, else None."""
    lowered = word.lower()
    if len(lowered) != len(word) or lowered in special_words():
        return None
    if _SPECIAL_SHAPE_RE.search(lowered):
        return None
    return _case_pattern(word)


def _glued(char: str) -> bool:
    """A letter, mark or digit next to a word makes it part of a longer token."""
    if not char or char in _PLAIN_GAPS:
        return False
    return char == "_" or unicodedata.category(char)[0] in "LMN"


@cache
def _stand_ins(length: int) -> tuple[str, ...]:
    """Made-up lower-case words of a length, none of them in a word list or of a special shape."""
    if length == 1:
        return tuple(c for c in _STAND_IN_CONSONANTS if c not in special_initials())
    found: list[str] = []
    letters = [
        _STAND_IN_CONSONANTS if position % 2 == 0 else _STAND_IN_VOWELS
        for position in range(length)
    ]
    for combination in itertools.product(*letters):
        word = "".join(combination)
        if word not in special_words() and not _SPECIAL_SHAPE_RE.search(word):
            found.append(word)
            if len(found) == MAX_WORDS:
                break
    return tuple(found)


def _in_case(word: str, pattern: str) -> str:
    if pattern == "U":
        return word.upper()
    if pattern == "T":
        return word.capitalize()
    return word


@dataclass(frozen=True)
class FieldShape:
    """One value taken apart: its gaps and word slots (the key), its words, its class year."""

    key: tuple[tuple[str, ...], tuple[tuple[int, int, str], ...]]
    words: tuple[str, ...]
    lowered: frozenset[str]
    year: str | None
    digit_runs: int
    # The same number for the same key: a row's shape is a tuple of these, cheap to hash.
    key_id: int = 0


_KEY_IDS: dict[tuple[tuple[str, ...], tuple[tuple[int, int, str], ...]], int] = {}
_NO_WORDS = FieldShape(((("",), ())), (), frozenset(), None, 0, -1)
_UNSEEN: Any = object()
# The case pattern of each word seen (None: kept as written), shared by every parse.
_WORD_PATTERNS: dict[str, str | None] = {}


def field_shape(text: str) -> FieldShape | None:
    """Take one value apart into gaps and word slots; None when it must be parsed alone.

    A word the parsers read by what it is ('de', 'Jr', 'McDonald', 'Ph.D.'), or one glued to
    a digit or a letter of another script, stays in the gaps as written: the stand-in holds
    it too, so its shape is the shape of every name with that word in that place.
    """
    if not text:
        return _NO_WORDS
    if "\x00" in text or (not text.isascii() and not unicodedata.is_normalized("NFC", text)):
        return None
    pieces = _WORD_RE.split(text)
    runs = pieces[1::2]
    patterns: list[str | None] = []  # None: kept as written, not stood in for
    dotted = False
    for index, run in enumerate(runs):
        before, after = pieces[2 * index], pieces[2 * index + 2]
        if len(run) == 1:
            pattern = _initial_pattern(run, before, after)
        else:
            pattern = _WORD_PATTERNS.get(run, _UNSEEN)
            if pattern is _UNSEEN:
                pattern = _WORD_PATTERNS[run] = _word_pattern(run)
            if pattern is not None and (_glued(before[-1:]) or _glued(after[:1])):
                pattern = None
        patterns.append(pattern)
        dotted = dotted or (index > 0 and bool(before.strip(" ,")))
    if dotted:
        # Letters a parser may read as one word across dots ('Ph.D.', 'M.B.A.', 'Abu-Bakr').
        _keep_special_tokens(text, pieces, patterns)
    gaps = [pieces[0]]
    slots = []
    numbers: dict[str, int] = {}
    by_slot: dict[tuple[int, str], str] = {}
    kept = []
    for index, run in enumerate(runs):
        pattern = patterns[index]
        after = pieces[2 * index + 2]
        if pattern is None:
            gaps[-1] += run + after
            kept.append(run.lower())
            continue
        number = numbers.setdefault(run.lower(), len(numbers))
        if by_slot.setdefault((number, pattern), run) != run:
            return None
        slots.append((number, min(len(run), LONG_WORD), pattern))
        gaps.append(after)
    # Each distinct (number, pattern) in order of first sight: a template's word index.
    words = tuple(by_slot.values())
    if len(slots) > MAX_WORDS or any(word in numbers for word in kept):
        return None  # 'DeShawn' kept and 'Deshawn' stood in for: a parser may compare them
    digit_runs = 0
    year = None
    if _DIGITS_RE.search(text):
        found = [(g, m) for g, gap in enumerate(gaps) for m in _DIGITS_RE.finditer(gap)]
        digit_runs = len(found)
        if digit_runs == 1:
            g, match = found[0]
            # A class year, the only digits in the value: every year of a shape parses alike.
            start = match.start()
            if len(match.group()) == 2 and start and gaps[g][start - 1] in _YEAR_MARKS:
                gaps[g] = gaps[g][:start] + _YEAR_SLOT + gaps[g][match.end() :]
                year = match.group()
    key = (tuple(gaps), tuple(slots))
    key_id = _KEY_IDS.setdefault(key, len(_KEY_IDS))
    return FieldShape(key, words, frozenset(numbers), year, digit_runs, key_id)


def _initial_pattern(letter: str, before: str, after: str) -> str | None:
    """'U' or 'L' for a lone ASCII letter standing as an initial ('J.', 'J'), else None."""
    if not letter.isascii() or letter.lower() in special_initials():
        return None
    if (before and before[-1] not in " (") or (after and after[0] not in " .,)"):
        return None  # glued to an apostrophe or a hyphen: "O'Neil", 'W’05'
    return "U" if letter.isupper() else "L"


def _keep_special_tokens(text: str, pieces: list[str], patterns: list[str | None]) -> None:
    """Keep every run of a whitespace-separated token whose letters spell a listed word."""
    starts = []
    offset = 0
    for position, piece in enumerate(pieces):
        if position % 2:
            starts.append(offset)
        offset += len(piece)
    for token in re.finditer(r"\S+", text):
        letters = "".join(filter(str.isalpha, token.group())).lower()
        if len(letters) > 1 and letters in special_words():
            for index, start in enumerate(starts):
                if token.start() <= start < token.end():
                    patterns[index] = None


# The parsed fields of a name, in NameParts order: first, middle, last, suffix, nickname,
# maiden, class year, deceased, parent only.
PartsRow = tuple[str, str, str, str, str, str, int | None, bool, bool]
# How a template fills a text part: a fixed text, or pieces to join.
Filler = str | list[Piece]


@dataclass(frozen=True)
class Template:
    """Where a shape's words go: a filler per text part, and the rest of its stand-in's parse."""

    fillers: tuple[Filler, ...]
    parts: NameParts
    has_year: bool


def as_row(parts: NameParts) -> PartsRow:
    """A NameParts as a plain tuple (cheaper to make a hundred thousand times)."""
    return (
        parts.first,
        parts.middle,
        parts.last,
        parts.suffix,
        parts.nickname,
        parts.maiden or "",
        parts.class_year,
        parts.deceased,
        parts.parent_only,
    )


class ShapeParser:
    """Parse rows of name values through one stand-in per shape; see the module docstring."""

    def __init__(self, parse: Parse) -> None:
        self.parse = parse
        self._fields: dict[str, FieldShape | None] = {}
        self._templates: dict[tuple[int, ...], Template | None] = {}
        self.shapes_parsed = 0
        self.parsed_alone = 0

    def parse_all(self, rows: Sequence[tuple[str, ...]]) -> list[PartsRow]:
        """Parse each row of values (the arguments of `parse`), as written (not case-tidied)."""
        return [self.parse_one(row) for row in rows]

    def parse_one(self, row: tuple[str, ...]) -> PartsRow:
        """Parse one row of values, through its shape's template when it has one."""
        fields = self._fields
        shapes = []
        for value in row:
            if not value:
                shapes.append(_NO_WORDS)
                continue
            shape = fields.get(value, _UNSEEN)
            if shape is _UNSEEN:
                shape = fields[value] = field_shape(value)
            if shape is None:
                self.parsed_alone += 1
                return as_row(self.parse(*row))
            shapes.append(shape)
        key = tuple(shape.key_id for shape in shapes)
        template = self._templates.get(key, _UNSEEN)
        if template is _UNSEEN:
            template = self._templates[key] = self._learn(shapes)
        if template is None or (len(shapes) > 1 and _repeats_across(shapes)):
            self.parsed_alone += 1
            return as_row(self.parse(*row))
        texts = []
        for filler in template.fillers:
            if filler.__class__ is str:
                texts.append(filler)
            elif len(filler) == 1:
                field, index = filler[0]
                texts.append(shapes[field].words[index])
            else:
                texts.append(
                    "".join(
                        piece if piece.__class__ is str else shapes[piece[0]].words[piece[1]]
                        for piece in filler
                    )
                )
        first, middle, last, suffix, nickname, maiden = texts
        parts = template.parts
        year = parts.class_year
        if template.has_year and year is not None:
            year = two_digit_year(int(next(shape.year for shape in shapes if shape.year)))
        return (first, middle, last, suffix, nickname, maiden, year, parts.deceased,
                parts.parent_only)  # fmt: skip

    def _learn(self, shapes: list[FieldShape]) -> Template | None:
        """Parse one stand-in of a shape; return where its words went, or None if unclear."""
        if sum(shape.digit_runs for shape in shapes) > 1:
            return None  # a year among other digits: each such name is read alone
        if sum(len(shape.lowered) for shape in shapes) > MAX_WORDS:
            return None
        key = [shape.key for shape in shapes]
        literal_runs = {run for gaps, _ in key for gap in gaps for run in _WORD_RE.findall(gap)}
        taken = {run.lower() for run in literal_runs}
        used: dict[int, int] = {}
        stand_ins: dict[tuple[int, int], str] = {}
        for field, (_, slots) in enumerate(key):
            for number, length, _ in slots:
                if (field, number) in stand_ins:
                    continue
                choices = [word for word in _stand_ins(length) if word not in taken]
                if used.get(length, 0) >= len(choices):
                    return None
                stand_ins[field, number] = choices[used.get(length, 0)]
                used[length] = used.get(length, 0) + 1
        values = []
        by_text: dict[str, tuple[int, int]] = {}
        for field, (gaps, slots) in enumerate(key):
            text = gaps[0]
            indexes: dict[tuple[int, str], int] = {}
            for (number, _, pattern), gap in zip(slots, gaps[1:], strict=True):
                word = _in_case(stand_ins[field, number], pattern)
                by_text[word] = (field, indexes.setdefault((number, pattern), len(indexes)))
                text += word + gap
            values.append(text.replace(_YEAR_SLOT, _YEAR_STAND_IN))
        has_year = any(_YEAR_SLOT in gap for gaps, _ in key for gap in gaps)
        self.shapes_parsed += 1
        parts = self.parse(*values)
        if has_year and parts.class_year not in (None, two_digit_year(int(_YEAR_STAND_IN))):
            return None
        fillers: list[Filler] = []
        for name in _TEXT_PARTS:
            value = getattr(parts, name) or ""
            if has_year and _YEAR_STAND_IN in value:
                return None  # the year stayed in the text: its digits would be the stand-in's
            pieces: list[Piece] = []
            for position, piece in enumerate(_WORD_RE.split(value)):
                slot = by_text.get(piece) if position % 2 else None
                if slot is not None:
                    pieces.append(slot)
                elif position % 2 and piece not in literal_runs:
                    return None  # a stand-in cut, joined or re-cased: read such names alone
                elif piece:
                    pieces.append(piece)
            fixed = all(isinstance(piece, str) for piece in pieces)
            fillers.append("".join(pieces) if fixed else pieces)  # type: ignore[arg-type]
        return Template(tuple(fillers), parts, has_year)


def _repeats_across(shapes: list[FieldShape]) -> bool:
    """Whether a word is in two fields ('Lee', 'Lee'): the stand-in would not repeat it."""
    seen: frozenset[str] = frozenset()
    for shape in shapes:
        if shape.lowered:
            if seen & shape.lowered:
                return True
            seen |= shape.lowered
    return False
