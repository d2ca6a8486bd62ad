"""Union-find over records that refuses a union whose two sides contradict each other."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.dedupe.nicknames import NONE, given_relation

# Past this many given names in one set, a new member is checked against a sample only.
MAX_NAME_CHECKS = 12


class PeopleSets:
    """Disjoint sets of records, one per person, each holding at most one LinkedIn profile."""

    def __init__(
        self,
        slugs: Sequence[str],
        years: Sequence[int],
        middles: Sequence[str],
        names: Sequence[tuple[str, ...]],
        files: Sequence[int],
    ) -> None:
        self.parent = list(range(len(slugs)))
        self.size = [1] * len(slugs)
        self.slug = list(slugs)
        self.year_low = list(years)
        self.year_high = list(years)
        self.middle = list(middles)
        self.record_names = names
        self.record_files = files
        self.files: dict[int, set[int]] = {}
        # Per set, groups of given names known to be one person's: a proof joins two records'
        # names into one group (Emeka and Chukwuemeka by one email), a name match adds a group.
        self.names: dict[int, list[tuple[str, ...]]] = {}
        self.forbidden: dict[int, set[int]] = {}

    def find(self, item: int) -> int:
        """Return the representative of an item's set (with path halving)."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def forbid(self, a: int, b: int) -> None:
        """Record that a and b must never end in one set (call before any union)."""
        self.forbidden.setdefault(a, set()).add(b)
        self.forbidden.setdefault(b, set()).add(a)

    def conflict(self, a: int, b: int, *, proof: bool = False) -> str:
        """Say why the sets of a and b cannot be one person ('' when nothing contradicts).

        A proof (same profile or email) is only stopped by a hard contradiction: two profiles,
        the user's 'separate', or two class years; a name match also by middle initials and
        given names that cannot be one person's.
        """
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return ""
        slug_a, slug_b = self.slug[root_a], self.slug[root_b]
        if slug_a and slug_b and slug_a != slug_b:
            return "two different LinkedIn profiles"
        if self._forbidden_between(root_a, root_b):
            return "you chose 'separate' in Review"
        lows = [y for y in (self.year_low[root_a], self.year_low[root_b]) if y > 0]
        highs = [y for y in (self.year_high[root_a], self.year_high[root_b]) if y > 0]
        if lows and max(highs) - min(lows) > 1:
            return f"class years {min(lows)} and {max(highs)} would be one person's"
        if proof:
            return ""
        if not self._files(root_a).isdisjoint(self._files(root_b)):
            # One file lists a person once: a name match must not pull in a second row of it.
            return "both sides hold a row of the same file"
        middle_a, middle_b = self.middle[root_a], self.middle[root_b]
        if middle_a and middle_b and middle_a != middle_b:
            return f"middle initials {middle_a.upper()} and {middle_b.upper()} differ"
        if self.size[root_a] > 1 or self.size[root_b] > 1:
            clash = self._name_clash(root_a, root_b)
            if clash:
                return clash
        return ""

    def union(
        self, a: int, b: int, *, force: bool = False, proof: bool = False, checked: bool = False
    ) -> str:
        """Join the sets of a and b unless they conflict; return the conflict ('' when joined).

        checked: the judge already compared a and b themselves, so two lone records need no
        further check (most unions in a big directory).
        """
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return ""
        if checked and self.size[root_a] == 1 == self.size[root_b]:
            if self.forbidden and self._forbidden_between(root_a, root_b):
                return "you chose 'separate' in Review"
        elif force:
            slug_a, slug_b = self.slug[root_a], self.slug[root_b]
            if slug_a and slug_b and slug_a != slug_b:
                return "two different LinkedIn profiles"
        else:
            reason = self.conflict(root_a, root_b, proof=proof)
            if reason:
                return reason
        if self.size[root_a] < self.size[root_b]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.size[root_a] += self.size[root_b]
        self.slug[root_a] = self.slug[root_a] or self.slug[root_b]
        years = [y for y in (self.year_low[root_a], self.year_low[root_b]) if y > 0]
        self.year_low[root_a] = min(years) if years else -1
        years = [y for y in (self.year_high[root_a], self.year_high[root_b]) if y > 0]
        self.year_high[root_a] = max(years) if years else -1
        if self.middle[root_a] != self.middle[root_b]:
            self.middle[root_a] = self.middle[root_a] or self.middle[root_b]
        if force or proof:
            merged = tuple(n for group in self._names(root_a) + self._names(root_b) for n in group)
            self.names[root_a] = [tuple(dict.fromkeys(merged))]
        else:
            self.names[root_a] = self._names(root_a) + self._names(root_b)
        self.names.pop(root_b, None)
        self.files[root_a] = self._files(root_a) | self._files(root_b)
        self.files.pop(root_b, None)
        if root_b in self.forbidden:
            self.forbidden.setdefault(root_a, set()).update(self.forbidden.pop(root_b))
        return ""

    def _files(self, root: int) -> set[int]:
        return self.files.get(root) or {self.record_files[root]}

    def _names(self, root: int) -> list[tuple[str, ...]]:
        return self.names.get(root) or [self.record_names[root]]

    def _name_clash(self, root_a: int, root_b: int) -> str:
        """Find two name groups, one per side, that cannot be one person's (Alexander/Alexandra)."""
        for names_a in self._names(root_a)[:MAX_NAME_CHECKS]:
            for names_b in self._names(root_b)[:MAX_NAME_CHECKS]:
                if not any(
                    given_relation(x, y) != NONE for x in names_a if x for y in names_b if y
                ):
                    return f"given names {names_a[0]} and {names_b[0]} would be one person's"
        return ""

    def _forbidden_between(self, root_a: int, root_b: int) -> bool:
        for root, other in ((root_a, root_b), (root_b, root_a)):
            for item in self.forbidden.get(root, ()):
                if self.find(item) == other:
                    return True
        return False
