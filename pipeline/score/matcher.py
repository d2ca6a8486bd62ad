"""Role matching: how well one title segment names a role in the target field.

A title is read as [level] [domain words] HEAD ('Senior Product Marketing Manager'). A segment
fits when one of the field's roles is in it with the same head ('Senior Data Scientist'), when
a field word qualifies a head that leads or practises ('Director of Nursing', 'Marketing
Analyst'), and less when the head is a support job ('Nursing Assistant'), a trainee ('Data
Science Intern') or another profession ('Marketing Professor'). Words of another field lower
the fit ('Product *Marketing* Manager' is not a product manager). Matching is exact on
normalised words, and each distinct segment is scored once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from pipeline.datafiles import load_toml
from pipeline.score.taxonomy import taxonomy
from pipeline.score.titles import Segment, phrase_key, phrase_keys

STRONG = 0.7  # a fit this high reads as a role in the field

# How a title relates to the field, for the Why cell.
ROLE, KEYWORD, ADJACENT, SUPPORT, TRAINEE, OTHER_JOB = (
    "role",
    "keyword",
    "adjacent",
    "support",
    "trainee",
    "other job",
)
Fit = tuple[float, str, str]  # fit 0-1, the role or word matched, how (ROLE, KEYWORD, ...)
NO_FIT: Fit = (0.0, "", "")


@dataclass(frozen=True)
class RoleFitSettings:
    """The constants of the role-fit model (scoring.toml [role_fit])."""

    head: dict[str, float]
    keyword: float
    keyword_alone: float
    spread_role: float
    head_only: float
    adjacent: float
    adjacent_step: float
    support_role: float
    shared_role: float
    shared_role_fields: int
    foreign_word: float
    qualifier_word: float
    other_word: float
    generic_fields: int
    fuzzy_max: float
    fuzzy_cutoff: float


@cache
def settings() -> RoleFitSettings:
    """Load the role-fit constants once."""
    data = dict(load_toml("scoring.toml")["role_fit"])
    heads = {k: float(v) for k, v in data.pop("head").items()}
    ints = ("shared_role_fields", "generic_fields")
    values = {k: int(v) if k in ints else float(v) for k, v in data.items()}
    return RoleFitSettings(head=heads, **values)  # type: ignore[arg-type]


@cache
def head_classes() -> dict[str, str]:
    """Map head nouns to their class: leader, practitioner, support, trainee."""
    classes: dict[str, str] = {}
    for name, heads in load_toml("title_abbreviations.toml")["heads"].items():
        for head in heads:
            key = phrase_key(head)
            if key:
                classes.setdefault(key[-1], name)
    return classes


@cache
def field_words() -> dict[str, frozenset[str]]:
    """Return each field's own words (name, roles, keywords) in matching form."""
    return {
        slug: frozenset(
            word
            for text in [spec.name, *spec.aliases, *spec.roles, *spec.keywords]
            for word in phrase_key(text)
        )
        for slug, spec in taxonomy().items()
    }


@cache
def generic_words() -> frozenset[str]:
    """Return the words shared by many fields ('manager', 'research'): they name none."""
    counts = Counter(word for words in field_words().values() for word in words)
    limit = settings().generic_fields
    common = {word for word, count in counts.items() if count >= limit}
    return frozenset(common | set(head_classes()))


@cache
def role_field_counts() -> Counter[tuple[str, ...]]:
    """Count the fields that list each role ('research scientist' is in three)."""
    counts: Counter[tuple[str, ...]] = Counter()
    for spec in taxonomy().values():
        counts.update({phrase_key(role) for role in spec.roles} - {()})
    return counts


@dataclass(frozen=True)
class Entry:
    """A phrase of the target: a role, a field word, or a neighbouring field's role or word."""

    key: tuple[str, ...]
    label: str
    kind: str
    scale: float
    is_keyword: bool


@dataclass(frozen=True)
class Found:
    """What a segment holds of the target: phrase hits, a look-alike, a field word."""

    hits: tuple[tuple[int, int, Entry], ...]
    look_alike: bool
    mentions: bool


class RoleMatcher:
    """Score title segments against one target: its roles, field words and neighbours."""

    def __init__(
        self,
        roles: Sequence[str],
        user_roles: Sequence[str],
        keywords: Sequence[str],
        adjacent_roles: Sequence[tuple[str, str]],
        adjacent_keywords: Sequence[tuple[str, str]],
        negative: Sequence[str],
        own_words: Iterable[str],
        name_words: Iterable[str],
    ) -> None:
        self.settings = config = settings()
        classes = head_classes()
        user = {key for role in user_roles for key in phrase_keys(role)}
        # A phrase can be both a field word and a role ('cna'): one entry of each kind.
        self.phrases: dict[tuple[str, ...], dict[bool, Entry]] = {}
        self.by_head: dict[str, list[Entry]] = {}
        # Neighbouring fields are listed closest first; each later one counts a little less.
        closeness = {name: i for i, name in enumerate(dict.fromkeys(n for _, n in adjacent_roles))}

        def neighbour(name: str) -> float:
            return config.adjacent * (1.0 - config.adjacent_step * closeness.get(name, 0))

        for text, name in adjacent_keywords:
            self._add(text, name, ADJACENT, neighbour(name) * config.keyword, is_keyword=True)
        for text, name in adjacent_roles:
            self._add(text, name, ADJACENT, neighbour(name), is_keyword=False)
        for text in keywords:
            self._add(text, text, KEYWORD, 1.0, is_keyword=True)
        self.keywords = {key for text in keywords for key in phrase_keys(text)}
        shared = role_field_counts()
        for text in roles:
            for key in phrase_keys(text):
                if key in user:
                    kind, scale = ROLE, 1.0
                elif classes.get(key[-1]) in ("support", "trainee"):
                    kind, scale = SUPPORT, config.support_role
                elif shared[key] >= config.shared_role_fields:
                    kind, scale = ROLE, config.shared_role  # 'research scientist' of what?
                else:
                    kind, scale = ROLE, 1.0
                self._add_key(Entry(key, text, kind, scale, is_keyword=False))
        self.negative = {key for text in negative for key in phrase_keys(text)}
        # The longest phrase starting with each word: most title words start none.
        self.reach: dict[str, int] = {}
        for key in [*self.phrases, *self.negative]:
            self.reach[key[0]] = max(self.reach.get(key[0], 0), len(key))
        self.user_heads = {key[-1] for key in user}
        self.own_heads = {e.key[-1] for e in self.entries() if e.kind == ROLE}
        # Heads that name this field's profession ('nurse', 'accountant', 'engineer'), not a rank
        self.profession_heads = {h for h in self.own_heads if h not in classes}
        self.own_words = frozenset(own_words)
        self.name_words = frozenset(name_words) - generic_words()
        self.user_keys = frozenset(user)
        foreign = frozenset().union(*field_words().values()) - self.own_words
        self.foreign = foreign - generic_words()
        self.cache: dict[tuple[tuple[str, ...], bool], Fit] = {}
        self.found: dict[tuple[str, ...], Found] = {}

    def _add(self, text: str, label: str, kind: str, scale: float, *, is_keyword: bool) -> None:
        for key in phrase_keys(text):
            self._add_key(Entry(key, label, kind, scale, is_keyword))

    def _add_key(self, entry: Entry) -> None:
        if not entry.key:
            return
        kinds = self.phrases.setdefault(entry.key, {})
        old = kinds.get(entry.is_keyword)
        if old is None or entry.scale >= old.scale:
            kinds[entry.is_keyword] = entry
        if not entry.is_keyword and len(entry.key) > 1:
            self.by_head.setdefault(entry.key[-1], []).append(entry)

    def entries(self) -> list[Entry]:
        """Return every role and word of the target and its neighbours."""
        return [entry for kinds in self.phrases.values() for entry in kinds.values()]

    def own_entries(self) -> list[Entry]:
        """Return the field's own roles and words (not its neighbours' or support roles)."""
        return [e for e in self.entries() if e.kind in (ROLE, KEYWORD) and e.scale == 1.0]

    def head_factor(self, head: str) -> tuple[float, str]:
        """Return how much a field word counts before this head, and what the head says."""
        factors = self.settings.head
        if head in self.user_heads:
            return factors["own"], ROLE
        kind = head_classes().get(head, "")
        if kind == "support":
            return factors["support"], SUPPORT
        if kind == "trainee":
            return factors["trainee"], TRAINEE
        if head in self.own_heads:
            return factors["own"], ROLE
        if kind:
            return factors[kind], ROLE
        return factors["other"], OTHER_JOB

    def lookup(self, key: tuple[str, ...]) -> Found:
        """Find the target's phrases in a segment, and whether it is a look-alike."""
        found = self.found.get(key)
        if found is not None:
            return found
        hits: list[tuple[int, int, Entry]] = []
        look_alike = mentions = False
        size = len(key)
        for start, word in enumerate(key):
            reach = self.reach.get(word)
            if reach is None:
                continue
            for end in range(start + 1, min(size, start + reach) + 1):
                part = key[start:end]
                if part in self.negative:
                    look_alike = True
                kinds = self.phrases.get(part)
                if kinds is not None:
                    hits.extend((start, end, entry) for entry in kinds.values())
                    mentions = mentions or part in self.keywords
        found = self.found[key] = Found(tuple(hits), look_alike, mentions and not look_alike)
        return found

    def is_look_alike(self, key: tuple[str, ...]) -> bool:
        """Tell whether a segment is one of the field's look-alikes ('data entry')."""
        return self.lookup(key).look_alike

    def mentions_field(self, key: tuple[str, ...]) -> bool:
        """Tell whether a segment uses the field's own words ('mechanical', 'nurse')."""
        return self.lookup(key).mentions

    def kept(self, words: Iterable[str], qualified: bool = False) -> float:
        """Return the share of a fit kept despite words the field does not explain."""
        # Another field's word before a role that names this field only says where the work
        # is done ('*Software* Product Manager'); before any other match it changes the job.
        foreign = self.settings.qualifier_word if qualified else self.settings.foreign_word
        share = 1.0
        for word in words:
            if word in self.foreign:
                share *= 1.0 - foreign
            elif word not in self.own_words:
                share *= 1.0 - self.settings.other_word
        return share

    def names_field(self, entry: Entry) -> bool:
        """Tell whether a role or word carries the field's name ('product manager')."""
        if entry.kind == KEYWORD:
            return not self.name_words.isdisjoint(entry.key)
        if entry.kind != ROLE or entry.scale != 1.0:
            return False
        return entry.key in self.user_keys or not self.name_words.isdisjoint(entry.key)

    def score(self, segment: Segment) -> Fit:
        """Return the fit of one title held, the role or word it matched, and how."""
        trainee = segment.level == 0
        best = self._cached(segment.key, trainee)
        if segment.full != segment.key:
            other = self._cached(segment.full, trainee)
            if other[0] > best[0]:
                best = other
        return best

    def _cached(self, key: tuple[str, ...], trainee: bool) -> Fit:
        found = self.cache.get((key, trainee))
        if found is None:
            found = self.cache[(key, trainee)] = self._score(key, trainee) if key else NO_FIT
        return found

    def _score(self, key: tuple[str, ...], trainee: bool) -> Fit:
        found = self.lookup(key)
        if found.look_alike:
            return NO_FIT
        config = self.settings
        size, head = len(key), key[-1]
        factor, head_kind = self.head_factor(head)
        best = NO_FIT
        for start, end, entry in found.hits:
            at_head = end == size
            extra = key[:start] + key[end:] if at_head else key[:start] + key[end:-1]
            kind = entry.kind
            if at_head:
                base = config.keyword_alone if entry.is_keyword else 1.0
                if entry.is_keyword and head_kind in (SUPPORT, TRAINEE):
                    base, kind = base * factor, head_kind  # 'Paraprofessional', 'Student'
            else:
                base = factor * (config.keyword if entry.is_keyword else 1.0)
                if head_kind != ROLE and kind != ADJACENT:
                    kind = head_kind
            qualified = end == size and self.names_field(entry)
            fit = base * entry.scale * self.kept(extra, qualified)
            if fit > best[0]:
                best = (fit, entry.label, kind)
        words = set(key)
        for entry in self.by_head.get(head, ()):
            if entry.key[0] in words and _spread_inside(entry.key, key):
                fit = config.spread_role * entry.scale * self.kept(_without(key, entry.key))
                if fit > best[0]:
                    best = (fit, entry.label, entry.kind)
        if head in self.profession_heads and best[0] < config.head_only:
            # 'Tooling Engineer' for mechanical engineering: the field's profession, unknown niche
            fit = config.head_only * self.kept(key[:-1])
            if fit > best[0]:
                best = (fit, head, OTHER_JOB if size > 1 else ROLE)
        if trainee and best[1] and best[2] not in (TRAINEE, SUPPORT):
            kind = ADJACENT if best[2] == ADJACENT else TRAINEE
            best = (best[0] * config.head["trainee"], best[1], kind)
        return (max(0.0, best[0]), best[1], best[2]) if best[0] > 0 else NO_FIT


def _spread_inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Tell whether part's words appear in whole in order, with other words between."""
    position = 0
    for word in whole:
        if position < len(part) and word == part[position]:
            position += 1
    return position == len(part) and len(whole) > len(part)


def _without(whole: tuple[str, ...], part: tuple[str, ...]) -> list[str]:
    remaining = list(part)
    extra = []
    for word in whole:
        if remaining and word == remaining[0]:
            remaining.pop(0)
        else:
            extra.append(word)
    return extra
