"""Pure cleaners for single values: text, emails, LinkedIn URLs, companies, years and dates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache, lru_cache
from urllib.parse import quote, unquote, urlsplit

from anyascii import anyascii
from cleanco import basename

from pipeline.datafiles import load_csv_rows, load_lines

# XML 1.0 cannot hold C0 controls (but tab, LF, CR), U+FFFE/U+FFFF or lone surrogates.
_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_SPACE_RE = re.compile(r"\s+")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_EMAIL_SPLIT_RE = re.compile(r"[;,\s]+")
_SLUG_RE = re.compile(r"^[\w\-%.]{3,100}$")
_YEAR4_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_YEAR2_RE = re.compile(r"[’'‘`](\d\d)\b")
_WORD_RE = re.compile(r"[a-z0-9]+")

# Filler that CRMs and hand-made sheets put in empty cells: never an identity, since every
# person with 'none' would look like the same person.
PLACEHOLDERS = frozenset(
    {
        "none", "null", "nil", "na", "n/a", "n.a", "unknown", "tbd", "tba", "noemail",
        "no-email", "no_email", "nomail", "noreply", "no-reply", "donotreply", "do-not-reply",
        "nobody", "invalid", "private", "not available", "not applicable", "-", "--", "x",
    }
)  # fmt: skip

_PLACEHOLDER_DOMAINS = frozenset(
    {"none", "null", "nil", "na", "unknown", "noemail", "nomail", "noreply", "invalid"}
)

DATE_FORMATS = (
    "%d %b %Y",  # 12 Mar 2024 (Connections 2020+)
    "%d-%b-%y",  # 9-Sep-22 (after an Excel re-save)
    "%m/%d/%y, %I:%M %p",  # 1/8/18, 6:14 PM (2018 exports)
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S UTC",
    "%Y/%m/%d %H:%M:%S UTC",
    "%Y-%m-%d %H:%M",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %Y",
    "%a %b %d %H:%M:%S UTC %Y",  # Sat Dec 14 08:57:55 UTC 2024 (Company Follows)
    "%Y/%m/%d %H:%M:%S",
    "%m/%Y",  # 1/1950: a partial date in alumni data
    "%Y",
)
# Excel stores dates as days since 1899-12-30; serials in this range are 1954-2064.
EXCEL_EPOCH = dt.date(1899, 12, 30)


def clean_text(value: str) -> str:
    """Normalise Unicode (NFC), drop control characters, collapse whitespace."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value)
    text = _ILLEGAL_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip()


def fold(value: str) -> str:
    """Reduce text to lower-case ASCII words: 'Zoë García-López' -> 'zoe garcia lopez'."""
    if not value:
        return ""
    return " ".join(_WORD_RE.findall(anyascii(value).lower()))


def split_emails(value: str) -> tuple[list[str], list[str]]:
    """Return (valid, invalid) addresses from a cell that may hold several, lower-cased."""
    if value and value[0] != "'" and _EMAIL_RE.match(value):
        # One plain address, as nearly every cell holds: nothing to split or strip.
        address = value.lower()
        if not _is_placeholder_email(address):
            return [address], []
    valid: list[str] = []
    invalid: list[str] = []
    for part in _EMAIL_SPLIT_RE.split(value or ""):
        candidate = part.strip().strip("<>()[]\"'").removeprefix("mailto:").rstrip(".").lower()
        if not candidate:
            continue
        if _EMAIL_RE.match(candidate) and not _is_placeholder_email(candidate):
            if candidate not in valid:
                valid.append(candidate)
        elif "@" in candidate or "." in candidate:
            invalid.append(part.strip())
    return valid, invalid


def _is_placeholder_email(address: str) -> bool:
    """'none@none.com', 'noemail@school.edu': a CRM's filler that many people share."""
    local, _, domain = address.partition("@")
    return local in PLACEHOLDERS or domain.split(".")[0] in _PLACEHOLDER_DOMAINS


def canonical_linkedin_url(value: str) -> str:
    """Return https://www.linkedin.com/in/<slug> for any form of a profile link, else ''."""
    slug = linkedin_slug(value)
    return f"https://www.linkedin.com/in/{quote(slug, safe='-_.')}" if slug else ""


@lru_cache(maxsize=200_000)
def linkedin_slug(value: str) -> str:
    """Extract the lower-case, percent-decoded profile slug from a LinkedIn link or bare slug."""
    text = (value or "").strip().strip("<>\"'")
    if not text:
        return ""
    if "linkedin" not in text.lower():
        if text.lower().strip(". ") in PLACEHOLDERS:
            return ""  # 'none' in every empty cell would make one profile of many people
        if _SLUG_RE.match(text) and not text.isdigit() and "@" not in text:
            return unquote(text).lower().strip(".")
        return ""
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return ""
    segments = [unquote(s) for s in parts.path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if "in" in lowered:
        position = lowered.index("in")
        if position + 1 < len(segments):
            return segments[position + 1].lower()
        return ""
    if "pub" in lowered:
        # Old public links /pub/jane-doe/4c5/2b3/1a map to /in/jane-doe-1a2b34c5.
        position = lowered.index("pub")
        rest = segments[position + 1 :]
        if len(rest) >= 4 and all(re.fullmatch(r"[0-9a-z]{1,3}", s.lower()) for s in rest[1:4]):
            return f"{rest[0]}-{''.join(reversed(rest[1:4]))}".lower()
        if rest:
            return rest[0].lower()
    return ""


@cache
def _company_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    try:
        rows = load_csv_rows("company_aliases.csv")
    except FileNotFoundError:
        return aliases
    for row in rows:
        canonical = _company_base_key(row.get("canonical", ""))
        alias = _company_base_key(row.get("alias", ""))
        if canonical and alias:
            aliases[alias] = canonical
            aliases.setdefault(canonical, canonical)
    return aliases


@cache
def _company_noise() -> frozenset[str]:
    try:
        words = load_lines("company_suffixes.txt")
    except FileNotFoundError:
        words = ()
    return frozenset(" ".join(_company_words(word).split()) for word in words)


def _company_words(name: str) -> str:
    text = anyascii(name).lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[.'’]", "", text)
    return " ".join(_WORD_RE.findall(text))


@lru_cache(maxsize=500_000)
def company_key(name: str) -> str:
    """Reduce a company name to a key: legal forms, 'The', punctuation and aliases removed."""
    key = _company_base_key(name)
    return _company_aliases().get(key, key)


def _company_base_key(name: str) -> str:
    """A company name without legal form, leading 'The' and punctuation (before aliases)."""
    if not name:
        return ""
    try:
        base = basename(name)
    except Exception:  # cleanco's regexes reject a few odd inputs; fall back to the raw name
        base = name
    words = _company_words(base or name).split()
    noise = _company_noise()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in noise:
        words = words[:-1]
    return " ".join(words)


def two_digit_year(yy: int, today: dt.date | None = None) -> int:
    """Expand a two-digit class year: '19 is 2019, '98 is 1998 (up to six years ahead is 20yy)."""
    today = today or dt.date.today()
    year = 2000 + yy
    return year if year <= today.year + 6 else 1900 + yy


@lru_cache(maxsize=10_000)
def parse_grad_year(value: str) -> int | None:
    """Read a class year from '2019', '2019.0', "'19", '’19', 'Class of 2019', 'BA 2019'."""
    text = (value or "").strip()
    if not text:
        return None
    match = _YEAR4_RE.search(text)
    if match:
        return int(match.group(1))
    serial = _excel_serial_date(text)
    if serial is not None:
        return serial.year
    match = _YEAR2_RE.search(text)
    if match:
        return two_digit_year(int(match.group(1)))
    if re.fullmatch(r"\d\d", text):
        return two_digit_year(int(text))
    return None


@lru_cache(maxsize=100_000)
def parse_date(value: str) -> str:
    """Parse the date shapes of LinkedIn and Excel into ISO 'YYYY-MM-DD' ('' when unreadable)."""
    text = (value or "").strip()
    if not text:
        return ""
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    serial = _excel_serial_date(text)
    if serial is not None:
        return serial.isoformat()
    iso = re.match(r"(\d{4})-(\d\d)-(\d\d)", text)
    if iso:
        return iso.group(0)
    return ""


def _excel_serial_date(text: str) -> dt.date | None:
    """Read a bare Excel date serial ('43600' is 2019-05-15), as left when a format is lost."""
    if not re.fullmatch(r"\d{5}(\.\d+)?", text):
        return None
    serial = float(text)
    if not 20000 <= serial <= 60000:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def is_truthy(value: str) -> bool:
    """Read a yes/no flag cell as exported by CRMs ('Yes', 'Y', 'TRUE', '1', 'X', 'Deceased')."""
    return (value or "").strip().lower() in {
        "yes",
        "y",
        "true",
        "1",
        "x",
        "deceased",
        "do not contact",
        "opted out",
        "opt out",
        "t",
    }
