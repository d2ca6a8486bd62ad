"""Split people's names into parts: class years, credentials, nicknames, maiden names."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from nameparser import HumanName
from nameparser.config import CONSTANTS

from pipeline.datafiles import load_lines
from pipeline.normalize.values import clean_text, fold, two_digit_year

# Class-year tokens after a name: ’19, '19, W’05, MBA ’98, G’02, a range ’89–’91 (attended).
_DEGREES = (
    "BA|BS|BSc|BFA|BBA|BEng|BArch|MusB|MA|MS|MSc|MBA|MFA|MPH|MPA|MPP|MSW|MEd|MEng|MArch|MM|"
    "LLM|JD|MD|DDS|DMD|DVM|PhD|EdD|PsyD|DNP"
)
# Class-year tokens: ’19, '19, W’05 and G’02 (school letters glued on), MBA ’98 (a degree
# before it), ranges ’89–’91 (attended). P’15 / GP’01 are parents' and grandparents' years.
_YEAR_TOKEN_RE = re.compile(
    rf"(?<![\w’'‘])(?:(?P<pre>[A-Z]{{1,3}})|(?P<deg>(?:{_DEGREES})\s))?[’'‘`](?P<yy>\d{{2}})"
    r"(?:\s*[-–—]\s*[’'‘`]?(?P<yy2>\d{2}))?(?P<post>[A-Z]{1,2})?(?![\w])"
)
_LEADING_YEAR_RE = re.compile(r"^(?P<year>(?:19|20)\d\d)\s+(?=\D)")
_PARENT_PREFIXES = {"p", "gp", "pp"}
_QUOTED_RE = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]")
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_DOUBLED_QUOTES_RE = re.compile(r'"{2,}')
_EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff"
    "\U00002b00-\U00002bff\ufe0f\u200d\u20e3\U000e0000-\U000e007f]"
)
_PLACEHOLDER_NAMES = {"linkedin member", "unknown", "n/a", "na", "none", "null", "-", "?"}
_PARTICLES = frozenset(CONSTANTS.prefixes)
_SUFFIX_WORDS = frozenset(CONSTANTS.suffix_acronyms) | frozenset(CONSTANTS.suffix_not_acronyms)
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "jnr", "snr", "junior", "senior"})
_TITLES = frozenset(CONSTANTS.titles)


@dataclass(frozen=True)
class NameParts:
    """A person's name taken apart, with what was found around it."""

    first: str = ""
    middle: str = ""
    last: str = ""
    suffix: str = ""
    nickname: str = ""
    maiden: str = ""
    class_year: int | None = None
    deceased: bool = False
    parent_only: bool = False

    @property
    def display(self) -> str:
        """The name as it reads in a greeting list: 'Jenny Baker'."""
        return " ".join(part for part in (self.first, self.last) if part)

    @property
    def first_key(self) -> str:
        return fold(self.first)

    @property
    def last_key(self) -> str:
        return fold(self.last)


def _is_suffix_token(token: str) -> bool:
    word = token.lower().strip(".,")
    return word in _SUFFIX_WORDS or word.replace(".", "") in _SUFFIX_WORDS


def extract_markers(text: str) -> tuple[str, int | None, bool, bool]:
    """Remove class-year, parent-year and deceased markers: (rest, class year, deceased, parent)."""
    deceased = False
    stripped = text.strip()
    if stripped.endswith("*") or stripped.startswith("*"):
        deceased = True
        stripped = stripped.strip("* ")
    years: list[int] = []
    parent = False

    def take(match: re.Match[str]) -> str:
        nonlocal parent
        prefix = (match.group("pre") or "").strip().lower()
        if prefix in _PARENT_PREFIXES:
            parent = True
            return " "
        year = match.group("yy2") or match.group("yy")
        years.append(two_digit_year(int(year)))
        return " "

    rest = _YEAR_TOKEN_RE.sub(take, stripped)
    leading = _LEADING_YEAR_RE.match(rest)
    if leading:
        years.append(int(leading.group("year")))
        rest = rest[leading.end() :]
    rest = re.sub(r"\s*,\s*(,\s*)+", ", ", rest)
    rest = re.sub(r"(\s*,)+\s*$", "", rest).strip(" ,")
    class_year = min(years) if years else None
    return clean_text(rest), class_year, deceased, parent and not years


@lru_cache(maxsize=300_000)
def tidy_case(name: str) -> str:
    """Fix ALL-CAPS or all-lower names ('MCDONALD' -> 'McDonald'); leave mixed case alone."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not (name.isupper() or name.islower()) or len(letters) < 2:
        return name
    words: list[str] = []
    for word in name.split(" "):
        lower = word.lower()
        if lower in _PARTICLES and words:
            words.append(lower)
            continue
        words.append("-".join(_title_word(piece) for piece in lower.split("-")))
    return " ".join(words)


def _title_word(word: str) -> str:
    if not word:
        return word
    for apostrophe in ("'", "’"):
        if apostrophe in word[1:3]:
            head, _, tail = word.partition(apostrophe)
            return head.capitalize() + apostrophe + tail.capitalize()
    if word.startswith("mc") and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    return word.capitalize()


def _has_letter(text: str) -> bool:
    """A name has at least one letter: '0,2,0' or '---' is no name at all."""
    return any(char.isalpha() for char in text)


def _strip_noise(text: str) -> str:
    text = _EMOJI_RE.sub("", text)
    # 'Paul ""Toby""': CSV quote-doubling left in an unquoted field by a hand-made export.
    text = _DOUBLED_QUOTES_RE.sub('"', text)
    return clean_text(text)


def tidy_parts(parts: NameParts) -> NameParts:
    """Fix the case of ALL-CAPS or all-lower name parts (the suffix is kept as written)."""
    return dataclasses.replace(
        parts,
        first=tidy_case(parts.first),
        middle=tidy_case(parts.middle),
        last=tidy_case(parts.last),
        nickname=tidy_case(parts.nickname),
        maiden=tidy_case(parts.maiden),
    )


@lru_cache(maxsize=300_000)
def parse_full_name(value: str) -> NameParts:
    """Parse one display name ('Baker (Johnson), Jenny ’09', 'Robert "Bob" Smith III, PhD')."""
    return tidy_parts(parse_full_name_as_written(value))


def parse_full_name_as_written(value: str) -> NameParts:
    """Parse a display name into parts, each in the case it was written in."""
    text = _strip_noise(value)
    if text.lower() in _PLACEHOLDER_NAMES or not _has_letter(text):
        return NameParts()
    text, class_year, deceased, parent = extract_markers(text)
    nickname = ""
    quoted = _QUOTED_RE.search(text)
    if quoted:
        nickname = quoted.group(1).strip()
        text = _QUOTED_RE.sub(" ", text)
    maiden = ""
    comma = text.find(",")
    paren = _PAREN_RE.search(text)
    if paren:
        inner = paren.group(1).strip()
        if comma >= 0 and paren.start() < comma:
            maiden = inner  # 'Baker (Johnson), Jenny': the former surname
        elif inner and not nickname:
            words_before = text[: paren.start()].split()
            # 'Maria (Ellison) Ortega': after the first name it is a nickname, else a maiden name
            if len(words_before) == 1 and len(text[paren.end() :].split()) >= 1:
                nickname = inner
            else:
                maiden = inner
        text = _PAREN_RE.sub(" ", text)
    text = clean_text(text).strip(" ,")
    first, middle, last, suffix = _split_with_nameparser(text)
    if not first and not suffix and "," in text:
        # nameparser takes a given name that is also a surname particle for part of the
        # surname ('Tran, De' as the surname 'Tran De'); the comma says which side is which.
        before, _, after = text.partition(",")
        if _has_letter(after):
            first, middle, last = after.strip(" ,"), "", before.strip()
    # Once a nickname is out, a part may hold no letter ('0 »A»', 'A,0'): that part is no name,
    # and a lone surname then reads as a given name, as it would on its own.
    if first and not _has_letter(first):
        first, last = (last, "") if _has_letter(last) else ("", "")
    # A word without a letter is no part of a name ('0' in '0, Ó'), wherever it stands.
    middle, last = (" ".join(w for w in p.split() if _has_letter(w)) for p in (middle, last))
    return NameParts(
        first=first,
        middle=middle,
        last=last,
        suffix=suffix,
        nickname=nickname,
        maiden=maiden,
        class_year=class_year,
        deceased=deceased,
        parent_only=parent,
    )


def _is_credential(token: str) -> bool:
    """'PhD', 'Jr.', 'FCIPD' but not the names 'Ed' or 'Do': a known post-nominal, so written."""
    word = token.strip(".,")
    lowered = word.lower().replace(".", "")
    if lowered in _GENERATIONAL:
        return True
    known = lowered in _SUFFIX_WORDS or lowered in _credentials()
    shaped = word.isupper() or any(c.isupper() for c in word[1:]) or "." in word
    return known and shaped and len(word) > 1


@cache
def _credentials() -> frozenset[str]:
    """Load the post-nominals nameparser does not know, from credentials.txt."""
    return frozenset(load_lines("credentials.txt"))


def _strip_credentials(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split trailing post-nominals off a name's words: (name words, credentials)."""
    credentials: list[str] = []
    while len(tokens) > 2 and _is_credential(tokens[-1]):
        credentials.insert(0, tokens.pop().strip(","))
    return tokens, credentials


def _split_with_nameparser(text: str) -> tuple[str, str, str, str]:
    if not text:
        return "", "", "", ""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) >= 3 and parts[1] and all(_is_suffix_token(t) for t in parts[1].split()):
        # 'Griffey, Jr., Ken': Last, Suffix, First (nameparser reads 'Jr., Ken' as suffixes).
        given = parts[2].split()
        if given and not all(_is_suffix_token(t) for t in given):
            suffix = ", ".join(p for p in (parts[1], *parts[3:]) if p)
            return given[0], " ".join(given[1:]), parts[0], suffix
    if "," not in text:
        words, credentials = _strip_credentials(text.split())
        if credentials:
            first, middle, last, suffix = _split_with_nameparser(" ".join(words))
            return first, middle, last, ", ".join(p for p in (suffix, *credentials) if p)
    if "," in text:
        head, _, tail = text.partition(",")
        tail_tokens = [t for t in re.split(r"[\s,]+", tail) if t]
        if tail_tokens and all(_is_suffix_token(t) for t in tail_tokens):
            # 'Okafor, PhD' / 'Jane Doe, MD': everything after the comma is credentials
            first, middle, last, suffix = _split_with_nameparser(head)
            after = ", ".join(t.strip(",") for t in tail_tokens)
            return first, middle, last, ", ".join(p for p in (suffix, after) if p)
    tokens = text.split()
    simple = len(tokens) == 2 and "," not in text and not any(_is_suffix_token(t) for t in tokens)
    if simple and tokens[0].lower().strip(".") not in _TITLES:
        return tokens[0], "", tokens[1], ""
    human = HumanName(text)
    first, middle, last, suffix = human.first, human.middle, human.last, human.suffix
    if not last and first and middle:
        first, last, middle = first, middle, ""
    if not first and last and not middle and human.title:
        # 'Dean Smith' parsed as title 'Dean': a title alone is more likely a given name
        first = human.title
    return first, middle, last, suffix


@lru_cache(maxsize=300_000)
def parse_name_fields(
    first: str, last: str, middle: str = "", suffix: str = "", nickname: str = ""
) -> NameParts:
    """Clean separate first/last columns, which may still carry nicknames, years, credentials."""
    return tidy_parts(parse_name_fields_as_written(first, last, middle, suffix, nickname))


def parse_name_fields_as_written(
    first: str, last: str, middle: str = "", suffix: str = "", nickname: str = ""
) -> NameParts:
    """Clean separate name columns into parts, each in the case it was written in."""
    first = _strip_noise(first)
    last = _strip_noise(last)
    if f"{first} {last}".strip().lower() in _PLACEHOLDER_NAMES or not _has_letter(first + last):
        return NameParts()
    first, year_a, dead_a, parent_a = extract_markers(first)
    last, year_b, dead_b, parent_b = extract_markers(last)
    class_year = year_b or year_a
    found_nickname = nickname
    quoted = _QUOTED_RE.search(first) or _PAREN_RE.search(first)
    if quoted:
        found_nickname = found_nickname or quoted.group(1).strip()
        first = clean_text(_PAREN_RE.sub(" ", _QUOTED_RE.sub(" ", first)))
    maiden = ""
    paren = _PAREN_RE.search(last)
    if paren:
        maiden = paren.group(1).strip()
        last = clean_text(_PAREN_RE.sub(" ", last))
    credentials: list[str] = [suffix] if suffix else []
    if "," in last:
        last, _, tail = last.partition(",")
        credentials.append(tail.strip(" ,"))
    tokens = last.split()
    while len(tokens) > 1 and _is_credential(tokens[-1]):
        credentials.insert(0, tokens.pop())
    last = " ".join(tokens)
    first_tokens = first.split()
    if first_tokens and first_tokens[0].lower().strip(".") in _TITLES and len(first_tokens) > 1:
        first_tokens = first_tokens[1:]
    if not middle and len(first_tokens) > 1 and re.fullmatch(r"[A-Za-z]\.?", first_tokens[-1]):
        middle = first_tokens.pop()
    first = " ".join(first_tokens)
    return NameParts(
        first=first.strip(" ,"),
        middle=clean_text(middle),
        last=last.strip(" ,"),
        suffix=", ".join(c for c in credentials if c),
        nickname=found_nickname,
        maiden=maiden,
        class_year=class_year,
        deceased=dead_a or dead_b,
        parent_only=(parent_a or parent_b) and class_year is None,
    )
