"""Dedupe: find the records that are one person; merge on proof, flag on suspicion, explain.

The stages, each in its own module:
- keys: per-record matching keys (given-name forms, surname parts, '_' letters lost to a code
  page, names read from profile links and email addresses, how common each value is);
- blocking: candidate pairs that share a surname and a given-name family, across files;
- compare, judge: each pair compared field by field on integer codes, its evidence added up
  in bits (weights in data/dedupe_weights.toml), and the rules that forbid a merge;
- cluster, unionfind: proofs first, then the user's decisions, then name matches strongest
  first, each union checked against everything already in both sets;
- review, evidence: the Review rows (fuzzy merges and near misses) and merge notes, in words;
- people: survivorship, one row per person (called by the pipeline after find_people);
- nicknames: given-name equivalence from the nickname tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.dedupe.blocking import candidate_pairs
from pipeline.dedupe.cluster import build_clusters, proof_edges
from pipeline.dedupe.compare import record_codes
from pipeline.dedupe.judge import NONE, S_NONE, corroborated, match_score, pair_features
from pipeline.dedupe.keys import match_keys
from pipeline.dedupe.review import REVIEW_COLUMNS, ReviewInputs, merge_notes, review_rows
from pipeline.progress import StageProgress

__all__ = ["DEDUPE_STEPS", "REVIEW_COLUMNS", "DedupeResult", "find_people", "record_keys"]

# Evidence, in bits, that two records are one person: at MERGE_SCORE they are merged.
MERGE_SCORE = 0.0
# The steps find_people counts: keys, proofs, candidates judged, clusters, review.
DEDUPE_STEPS = 5


@dataclass
class DedupeResult:
    """Each record's person number, the pairs a human should see, and why people were merged."""

    records: pd.DataFrame
    review: pd.DataFrame
    merge_notes: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    review_truncated: int = 0


def record_keys(frame: pd.DataFrame) -> pd.Series:
    """Key each record so a Review decision finds it again: file plus profile, email or name."""
    emails = frame["emails"].to_numpy(dtype=object, na_value="")
    first_email = np.array([e.split(";", 1)[0].strip() for e in emails.tolist()], dtype=object)
    name = (
        frame["first_key"].to_numpy(dtype=object) + " " + frame["last_key"].to_numpy(dtype=object)
    )
    company = frame["company_key"].to_numpy(dtype=object, na_value="")
    year_codes, years = pd.factorize(frame["grad_year"].astype("Float64").to_numpy(na_value=np.nan))
    year = np.array([str(int(y)) for y in years] + [""], dtype=object)[year_codes]
    slug = frame["linkedin_slug"].to_numpy(dtype=object, na_value="")
    identity = np.where(
        slug != "",
        "li:" + slug,
        np.where(first_email != "", "em:" + first_email, "nm:" + name + "|" + company + "|" + year),
    )
    return pd.Series(frame["file"].to_numpy(dtype=object) + "|" + identity, index=frame.index)


def _decision_pairs(
    frame: pd.DataFrame, decisions: Mapping[tuple[str, str], str]
) -> dict[tuple[int, int], str]:
    """Turn the user's decisions on record keys into decisions on record positions."""
    if not decisions:
        return {}
    wanted = {k for pair in decisions for k in pair}
    hits = frame.index[frame["record_key"].isin(wanted)]
    positions: dict[str, list[int]] = {}
    for position, key in zip(hits, frame.loc[hits, "record_key"], strict=True):
        positions.setdefault(key, []).append(int(position))
    pairs: dict[tuple[int, int], str] = {}
    for (key_a, key_b), decision in decisions.items():
        for a in positions.get(key_a, []):
            for b in positions.get(key_b, []):
                if a != b:
                    pairs[(min(a, b), max(a, b))] = decision
    return pairs


def find_people(
    records: pd.DataFrame,
    decisions: Mapping[tuple[str, str], str] | None = None,
    progress: StageProgress | None = None,
) -> DedupeResult:
    """Cluster records into people: proofs, user decisions, then corroborated name matches.

    `progress` counts DEDUPE_STEPS steps as they end: on a million rows each takes seconds,
    and no step has rows to count.
    """

    def step() -> None:
        if progress is not None:
            progress.advance()

    frame = records.reset_index(drop=True).copy()
    if frame.empty:
        frame["record_key"] = pd.Series(dtype=object)
        frame["person"] = pd.Series(dtype="int64")
        return DedupeResult(records=frame, review=pd.DataFrame(columns=list(REVIEW_COLUMNS)))
    frame["record_key"] = record_keys(frame)
    keys = match_keys(frame)
    codes = record_codes(frame, keys)
    step()

    proofs = proof_edges(frame)
    proof_features = pair_features(codes, proofs)
    named = (keys["gj"] != "") & (keys["surname"] != "")
    # A shared address between two people whose names have nothing in common (a family
    # inbox, an assistant's address) is not proof that they are one person.
    unrelated = (
        named[proofs["a"].to_numpy()]
        & named[proofs["b"].to_numpy()]
        & (proof_features["given"].to_numpy() == NONE)
        & (proof_features["surname"].to_numpy() == S_NONE)
    )
    step()
    judged = pair_features(codes, candidate_pairs(keys, codes), drop_forbidden=True)
    judged["score"] = match_score(judged)
    mergeable = (judged["score"].to_numpy() >= MERGE_SCORE) & corroborated(judged)
    merges = judged[mergeable].sort_values("score", ascending=False, kind="stable")
    step()
    by_position = _decision_pairs(frame, decisions or {})
    clustering = build_clusters(frame, keys, proofs[~unrelated], merges, by_position)
    frame["person"] = clustering.person
    step()

    inputs = ReviewInputs(
        frame=frame,
        codes=codes,
        proofs=proofs,
        unrelated_proofs=proofs[unrelated],
        judged=judged,
        clustering=clustering,
        decisions=decisions or {},
        decision_pairs=by_position,
        merge_score=MERGE_SCORE,
    )
    review, truncated = review_rows(inputs)
    notes = merge_notes(inputs)
    step()
    return DedupeResult(records=frame, review=review, merge_notes=notes, review_truncated=truncated)
