"""Clusters: join records on proof, then the user's decisions, then the strongest name matches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from pipeline.dedupe.keys import Keys
from pipeline.dedupe.unionfind import PeopleSets

IntArray = npt.NDArray[np.int64]

# Edge kinds, in the order they are applied.
SLUG, EMAIL, DECISION, NAME = "slug", "email", "decision", "name"


@dataclass
class Clustering:
    """Each record's person, the edges that were applied, and the edges a rule refused."""

    person: IntArray
    joined: pd.DataFrame  # a, b, kind, edge: the edges that joined two sets
    refused: pd.DataFrame  # a, b, kind, reason, edge: merges a rule (or the user) stopped


def proof_edges(frame: pd.DataFrame) -> pd.DataFrame:
    """List star edges between records that share a LinkedIn profile or an email address."""
    parts = [_star(frame["linkedin_slug"], SLUG)]
    emails = frame["emails"].fillna("").to_numpy(dtype=object)
    several = np.flatnonzero(np.array([";" in e for e in emails], dtype=bool))
    one = pd.Series(emails, index=frame.index)
    extra = pd.Series(
        [part.strip() for i in several for part in emails[i].split(";")[1:]],
        index=np.repeat(frame.index.to_numpy()[several], [emails[i].count(";") for i in several]),
        dtype=object,
    )
    one.iloc[several] = [emails[i].split(";", 1)[0].strip() for i in several]
    parts.append(_star(pd.concat([one, extra]), EMAIL))
    edges = pd.concat(parts, ignore_index=True)
    return edges.drop_duplicates(["a", "b"]).reset_index(drop=True)


def _star(keys: pd.Series, kind: str) -> pd.DataFrame:
    """Link each record to the first record with the same non-empty key."""
    values = keys.to_numpy(dtype=object, na_value="")
    known = values != ""
    positions = keys.index.to_numpy()[known]
    codes, _ = pd.factorize(values[known])
    if not len(codes):
        return pd.DataFrame({"a": [], "b": [], "kind": [], "key": []}).astype(
            {"a": np.int64, "b": np.int64, "kind": object, "key": object}
        )
    order = np.lexsort((positions, codes))
    starts = np.concatenate([[True], codes[order][1:] != codes[order][:-1]])
    first_of_code = np.empty(codes.max() + 1, dtype=np.int64)
    first_of_code[codes[order][starts]] = positions[order][starts]
    first = first_of_code[codes]
    keep = first != positions
    return pd.DataFrame(
        {
            "a": np.minimum(first[keep], positions[keep]).astype(np.int64),
            "b": np.maximum(first[keep], positions[keep]).astype(np.int64),
            "kind": kind,
            "key": values[known][keep].astype(str),
        }
    )


def build_clusters(
    frame: pd.DataFrame,
    keys: Keys,
    proofs: pd.DataFrame,
    merges: pd.DataFrame,
    decisions: Mapping[tuple[int, int], str],
) -> Clustering:
    """Apply user 'separate's, proofs, user 'merge's, then name merges strongest first."""
    year = frame["grad_year"].astype("Float64").fillna(-1).to_numpy(dtype=np.int64)
    names = list(
        zip(
            keys["given"].tolist(),
            keys["nick"].tolist(),
            keys["slug_given"].tolist(),
            keys["given_middle"].tolist(),
            strict=True,
        )
    )
    files, _ = pd.factorize(frame["file"].to_numpy())
    sets = PeopleSets(
        frame["linkedin_slug"].to_numpy(dtype=object).tolist(),
        year.tolist(),
        keys["middle"].tolist(),
        names,
        files.tolist(),
    )
    for (a, b), decision in decisions.items():
        if decision == "separate":
            sets.forbid(a, b)
    joined: list[tuple[int, int, str, int]] = []
    refused: list[tuple[int, int, str, str, int]] = []

    def apply(
        edges: pd.DataFrame, kind_of: str | None, force: bool, proof: bool, checked: bool = False
    ) -> None:
        kinds = edges["kind"].to_numpy(dtype=object) if kind_of is None else [kind_of] * len(edges)
        for edge, a, b, kind in zip(
            edges.index.tolist(),
            edges["a"].to_numpy().tolist(),
            edges["b"].to_numpy().tolist(),
            kinds,
            strict=True,
        ):
            if sets.find(a) == sets.find(b):
                continue
            reason = sets.union(a, b, force=force, proof=proof, checked=checked)
            if reason:
                refused.append((a, b, kind, reason, edge))
            else:
                joined.append((a, b, kind, edge))

    apply(proofs, None, force=False, proof=True)
    merge_decisions = pd.DataFrame(
        [(a, b) for (a, b), d in decisions.items() if d == "merge"], columns=["a", "b"]
    )
    apply(merge_decisions, DECISION, force=True, proof=True)
    apply(merges, NAME, force=False, proof=False, checked=True)

    roots = np.fromiter((sets.find(i) for i in range(len(frame))), dtype=np.int64, count=len(frame))
    _, person = np.unique(roots, return_inverse=True)
    return Clustering(
        person=person.astype(np.int64),
        joined=pd.DataFrame(joined, columns=["a", "b", "kind", "edge"]),
        refused=pd.DataFrame(refused, columns=["a", "b", "kind", "reason", "edge"]),
    )
