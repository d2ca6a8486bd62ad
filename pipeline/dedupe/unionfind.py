"""Union-find that refuses unions breaking a rule: two LinkedIn profiles, or a user's 'separate'."""

from __future__ import annotations


class ConstrainedUnionFind:
    """Disjoint sets of records where a set may hold at most one LinkedIn profile."""

    def __init__(self, slugs: list[str]) -> None:
        self.parent = list(range(len(slugs)))
        self.slug = list(slugs)
        self.forbidden: dict[int, set[int]] = {}

    def find(self, item: int) -> int:
        """Return the representative of an item's set (with path halving)."""
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def forbid(self, a: int, b: int) -> None:
        """Record that a and b must never end in one set (the user said 'separate')."""
        self.forbidden.setdefault(a, set()).add(b)
        self.forbidden.setdefault(b, set()).add(a)

    def union(self, a: int, b: int, *, proof: bool = False) -> bool:
        """Join the sets of a and b unless that would break a rule; return whether they are one."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return True
        slug_a, slug_b = self.slug[root_a], self.slug[root_b]
        if slug_a and slug_b and slug_a != slug_b:
            return False
        same_profile = proof and slug_a and slug_a == slug_b
        if not same_profile and self._forbidden_between(root_a, root_b):
            return False
        self.parent[root_b] = root_a
        self.slug[root_a] = slug_a or slug_b
        if root_b in self.forbidden:
            self.forbidden.setdefault(root_a, set()).update(self.forbidden.pop(root_b))
        return True

    def _forbidden_between(self, root_a: int, root_b: int) -> bool:
        for root, other in ((root_a, root_b), (root_b, root_a)):
            for item in self.forbidden.get(root, ()):
                if self.find(item) == other:
                    return True
        return False
