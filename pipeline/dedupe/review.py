"""Review rows (fuzzy merges and near misses, one per pair of people) and merge notes in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.dedupe.cluster import DECISION, EMAIL, NAME, SLUG, Clustering
from pipeline.dedupe.compare import RecordCodes
from pipeline.dedupe.evidence import describe_pairs, join_words, name_similarity, proof_words
from pipeline.dedupe.judge import S_MAIDEN, S_SAME, SAME, VARIANT, match_score, pair_features

REVIEW_LIMIT = 5000
# Name merges scoring less than this above the merge line are listed in Review as borderline.
BORDERLINE = 4.0
# Pairs below the merge line are listed from this score up, and every strong full-name match.
REVIEW_SCORE = 3.0
# ... but not a strong name match the evidence speaks firmly against (a very common name at
# two employers): in a million-row directory those would bury the pairs worth a look.
REVIEW_FLOOR = -6.0
REVIEW_COLUMNS = (
    "key_a",
    "key_b",
    "name_a",
    "where_a",
    "name_b",
    "where_b",
    "similarity",
    "evidence",
    "outcome",
    "decision",
)
SEPARATE_REASON = "you chose 'separate' in Review"
# Which rows survive when one pair of people has several: decisions, merges, then refusals.
PRIORITY = {"decision": 0, "merged": 1, "refused": 2, "near": 3}


@dataclass
class ReviewInputs:
    """Everything the Review sheet and the merge notes are made from."""

    frame: pd.DataFrame
    codes: RecordCodes
    proofs: pd.DataFrame
    unrelated_proofs: pd.DataFrame
    judged: pd.DataFrame
    clustering: Clustering
    decisions: Mapping[tuple[str, str], str]
    decision_pairs: Mapping[tuple[int, int], str]
    merge_score: float


def _rows(a: object, b: object, source: str, score: object, reason: object = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": np.asarray(a, dtype=np.int64),
            "b": np.asarray(b, dtype=np.int64),
            "source": source,
            "score": np.asarray(score, dtype=np.float64),
            "reason": reason,
        }
    )


def _candidates(inputs: ReviewInputs) -> tuple[pd.DataFrame, int]:
    """Choose pairs worth a look, one per pair of people kept apart, best first; and a count."""
    judged, clustering = inputs.judged, inputs.clustering
    person = clustering.person
    joined = clustering.joined[clustering.joined["kind"] == NAME]
    merged = judged.loc[joined["edge"].to_numpy()]
    fuzzy = (
        (merged["given"] != SAME)
        | (merged["surname"] != S_SAME)
        | merged["wild"]
        | merged["swapped"]
        | (merged["score"] < inputs.merge_score + BORDERLINE)
    )
    refused = clustering.refused[clustering.refused["reason"] != SEPARATE_REASON]
    refused_score = judged["score"].reindex(refused["edge"]).fillna(np.inf).to_numpy()
    refused_score = np.where(refused["kind"].eq(NAME), refused_score, np.inf)
    apart = person[judged["a"].to_numpy()] != person[judged["b"].to_numpy()]
    strong_name = (judged["given"] >= VARIANT) & (judged["surname"] >= S_MAIDEN)
    worth = (judged["score"] >= REVIEW_SCORE) | (strong_name & (judged["score"] >= REVIEW_FLOOR))
    near = judged[apart & worth.to_numpy()]
    # In a big directory there are far more near misses than Review can show: count them all,
    # keep only the strongest.
    cut = len(near) > 3 * REVIEW_LIMIT
    near_people = np.unique(_people_pairs(person, near["a"].to_numpy(), near["b"].to_numpy()))
    if cut:
        near = near.nlargest(3 * REVIEW_LIMIT, "score")
    unrelated = inputs.unrelated_proofs
    decided = list(inputs.decision_pairs)
    parts = [
        _rows([p[0] for p in decided], [p[1] for p in decided], "decision", np.inf),
        _rows(merged.loc[fuzzy, "a"], merged.loc[fuzzy, "b"], "merged", merged.loc[fuzzy, "score"]),
        _rows(refused["a"], refused["b"], "refused", refused_score, refused["reason"].to_numpy()),
        _rows(
            unrelated["a"], unrelated["b"], "refused", np.inf, "the names have nothing in common"
        ),
        _rows(near["a"], near["b"], "near", near["score"]),
    ]
    rows = pd.concat(parts, ignore_index=True)
    rows["priority"] = rows["source"].map(PRIORITY)
    rows = rows.sort_values(["priority", "score"], ascending=[True, False], kind="stable")
    rows = rows.drop_duplicates(["a", "b"], keep="first")
    rows["people"] = _people_pairs(person, rows["a"].to_numpy(), rows["b"].to_numpy())
    together = person[rows["a"].to_numpy()] == person[rows["b"].to_numpy()]
    # One row per pair of people kept apart; every merge edge keeps its own row.
    keep = together & rows["source"].ne("decision").to_numpy()
    apart_rows = rows[~keep].drop_duplicates("people", keep="first")
    rows = pd.concat([apart_rows, rows[keep]]).sort_values(
        ["priority", "score"], ascending=[True, False], kind="stable"
    )
    total = len(rows)
    if cut:
        total += max(0, len(near_people) - int(rows["source"].eq("near").sum()))
    return rows, total


def _within_limit(rows: pd.DataFrame) -> pd.DataFrame:
    """Keep every decided row, then share the rest between near misses and fuzzy merges.

    Near misses go strongest first, merges weakest first: the likeliest to need a decision.
    Neither kind may crowd out the other in a big directory.
    """
    decided = rows[rows["source"].eq("decision")]
    merged = rows[rows["source"].eq("merged")].sort_values("score", kind="stable")
    apart = rows[rows["source"].isin(["refused", "near"])]
    room = max(REVIEW_LIMIT - len(decided), 0)
    take_apart = min(len(apart), max(room // 2, room - len(merged)))
    take_merged = min(len(merged), room - take_apart)
    return pd.concat([decided, apart.head(take_apart), merged.head(take_merged)], ignore_index=True)


def _people_pairs(person: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    pa, pb = person[a], person[b]
    return np.minimum(pa, pb) * np.int64(len(person)) + np.maximum(pa, pb)


def where(frame: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    """Name each record's place as a person sees it: 'alumni.xlsx:12'."""
    files = frame["file"].to_numpy(dtype=object)[positions]
    rows = frame["row"].to_numpy()[positions]
    return np.array(
        [f"{f}:{r}" for f, r in zip(files.tolist(), rows.tolist(), strict=True)], dtype=object
    )


def _describe_records(frame: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    """Describe each record: 'Jenny Baker — Data Analyst, Acme — class of 2019'."""
    sub = frame.iloc[positions]
    who = sub["display_name"].where(sub["display_name"].ne(""), sub["emails"])
    who = who.where(who.ne(""), sub["linkedin_url"]).fillna("").to_numpy(dtype=object)
    job = join_words([sub["title"].to_numpy(dtype=object), sub["company"].to_numpy(dtype=object)])
    job = np.char.replace(job.astype(str), "; ", ", ").astype(object)
    year = sub["grad_year"].astype("string").fillna("").to_numpy(dtype=object)
    year = np.where(year != "", "class of " + year, "").astype(object)
    text = join_words([who, job, year])
    return np.char.replace(text.astype(str), "; ", " — ").astype(object)


def review_rows(inputs: ReviewInputs) -> tuple[pd.DataFrame, int]:
    """Return the Review rows (at most REVIEW_LIMIT, best first) and how many were left out."""
    frame = inputs.frame
    rows, total = _candidates(inputs)
    rows = _within_limit(rows)
    truncated = total - len(rows)
    if rows.empty:
        return pd.DataFrame(columns=list(REVIEW_COLUMNS)), truncated
    a, b = rows["a"].to_numpy(), rows["b"].to_numpy()
    features = pair_features(inputs.codes, rows[["a", "b"]])
    score = match_score(features)
    evidence = describe_pairs(frame, features)
    proof_kind, proof_key = _proof_of(inputs, rows)
    proved = proof_kind != ""
    evidence = join_words(
        [
            np.where(proved, proof_words(proof_kind, proof_key), "").astype(object),
            evidence,
            np.where(rows["reason"].ne(""), "kept apart: " + rows["reason"], "").astype(object),
        ]
    )
    key = frame["record_key"].to_numpy(dtype=object)
    person = inputs.clustering.person
    decided = [
        inputs.decisions.get((ka, kb)) or inputs.decisions.get((kb, ka)) or ""
        for ka, kb in zip(key[a], key[b], strict=True)
    ]
    review = pd.DataFrame(
        {
            "key_a": key[a],
            "key_b": key[b],
            "name_a": _describe_records(frame, a),
            "where_a": where(frame, a),
            "name_b": _describe_records(frame, b),
            "where_b": where(frame, b),
            "similarity": name_similarity(frame, a, b),
            "evidence": np.where(
                rows["source"].eq("decision"),
                join_words([np.full(len(rows), "your decision in Review", dtype=object), evidence]),
                evidence,
            ),
            "outcome": np.where(person[a] == person[b], "merged", "not merged"),
            "decision": decided,
        }
    )
    # Decided rows first, then the closest near misses, then the weakest merges: what most
    # needs a look comes first.
    merged = review["outcome"].eq("merged").to_numpy()
    strength = np.nan_to_num(np.asarray(score, dtype=np.float64), posinf=1e9, neginf=-1e9)
    order = np.lexsort(
        (np.where(merged, strength, -strength), merged, review["decision"].eq("").to_numpy())
    )
    return review.iloc[order].reset_index(drop=True), truncated


def _proof_of(inputs: ReviewInputs, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Find the profile or email each row's two records share, where they share one."""
    proofs = inputs.proofs.drop_duplicates(["a", "b"]).set_index(["a", "b"])
    index = pd.MultiIndex.from_frame(rows[["a", "b"]])
    kind = proofs["kind"].reindex(index).fillna("").to_numpy(dtype=object)
    key = proofs["key"].reindex(index).fillna("").to_numpy(dtype=object)
    return kind, key


def merge_notes(inputs: ReviewInputs) -> pd.Series:
    """Explain per person why their records were joined: each union's proof or evidence."""
    frame, clustering = inputs.frame, inputs.clustering
    joined = clustering.joined
    if joined.empty:
        return pd.Series(dtype=object)
    text = np.full(len(joined), "", dtype=object)
    kind = joined["kind"].to_numpy(dtype=object)
    is_proof = np.isin(kind, [SLUG, EMAIL])
    if is_proof.any():
        keys = inputs.proofs["key"].to_numpy(dtype=object)
        positions = inputs.proofs.index.get_indexer(joined.loc[is_proof, "edge"])
        text[is_proof] = proof_words(kind[is_proof], keys[positions])
    text[kind == DECISION] = "merged by your decision in Review"
    is_name = kind == NAME
    if is_name.any():
        features = inputs.judged.loc[joined.loc[is_name, "edge"].to_numpy()]
        text[is_name] = describe_pairs(frame, features)
    person = clustering.person[joined["a"].to_numpy()]
    sizes = np.bincount(clustering.person)
    located = (
        where(frame, joined["a"].to_numpy())
        + " + "
        + where(frame, joined["b"].to_numpy())
        + ": "
        + text
    )
    text = np.where(sizes[person] > 2, located, text)
    joined_notes: dict[int, dict[str, None]] = {}
    for owner, note in zip(person.tolist(), text.tolist(), strict=True):
        joined_notes.setdefault(owner, {})[note] = None
    return pd.Series(
        {owner: "; ".join(notes) for owner, notes in joined_notes.items()}, dtype=object
    )
