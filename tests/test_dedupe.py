"""Dedupe merges on proof, flags on suspicion, never joins two LinkedIn profiles."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe import find_people, record_keys
from pipeline.dedupe.nicknames import same_given_name
from pipeline.ingest import RECORD_FIELDS
from pipeline.normalize import normalize_records


def records(*rows: dict[str, str]) -> pd.DataFrame:
    """Normalized records from partial rows (file/row/source filled in)."""
    built = []
    for number, row in enumerate(rows, start=2):
        base = dict.fromkeys(RECORD_FIELDS, "")
        base.update({"file": "a.csv", "row": number, "source": "alumni", "src": 0, "idx": number})
        base.update(row)
        built.append(base)
    return normalize_records(pd.DataFrame(built)).records


def people_of(frame: pd.DataFrame, decisions=None) -> list[set[int]]:
    result = find_people(frame, decisions)
    groups = result.records.groupby("person")["row"].apply(set)
    return sorted(groups.tolist(), key=min)


def test_same_linkedin_profile_merges_across_url_forms() -> None:
    frame = records(
        {"first_name": "Maya", "last_name": "Chen", "linkedin": "linkedin.com/in/MayaC/"},
        {
            "first_name": "M.",
            "last_name": "Chen-Li",
            "linkedin": "https://www.linkedin.com/in/mayac",
        },
    )
    assert people_of(frame) == [{2, 3}]


def test_same_email_merges() -> None:
    frame = records(
        {"full_name": "Chen, Maya", "email": "Maya@Example.com"},
        {"first_name": "Maya", "last_name": "Chen", "email": "maya@example.com "},
    )
    assert people_of(frame) == [{2, 3}]


def test_two_linkedin_profiles_are_never_merged_even_with_same_email() -> None:
    frame = records(
        {"first_name": "Sam", "last_name": "Lee", "linkedin": "in/sam-lee-1", "email": "f@x.com"},
        {"first_name": "Sam", "last_name": "Lee", "linkedin": "in/sam-lee-2", "email": "f@x.com"},
    )
    frame["linkedin_slug"] = ["sam-lee-1", "sam-lee-2"]
    assert people_of(frame) == [{2}, {3}]


def test_strong_name_with_company_merges_and_is_explained() -> None:
    frame = records(
        {"first_name": "Robert", "last_name": "Okafor", "company": "Acme Inc."},
        {"full_name": "Okafor, Bob", "company": "ACME"},
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 1
    merged = result.review[result.review["outcome"] == "merged"]
    assert len(merged) == 1
    assert "same employer" in merged.iloc[0]["evidence"]


def test_name_only_goes_to_review_not_merge() -> None:
    frame = records(
        {"first_name": "Maria", "last_name": "Garcia"},
        {"first_name": "Maria", "last_name": "Garcia", "company": "Pfizer"},
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 2
    assert list(result.review["outcome"]) == ["not merged"]
    assert "nothing else to compare" in result.review.iloc[0]["evidence"]


def test_same_name_different_class_year_is_not_merged_or_reviewed() -> None:
    frame = records(
        {"first_name": "John", "last_name": "Smith", "grad_year": "1998"},
        {"first_name": "John", "last_name": "Smith", "grad_year": "2015"},
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 2
    assert result.review.empty


def test_first_name_alone_never_merges() -> None:
    frame = records(
        {"first_name": "Maya", "company": "Spotify"},
        {"first_name": "Maya", "company": "Spotify"},
    )
    assert people_of(frame) == [{2}, {3}]


def test_user_decisions_merge_and_separate() -> None:
    frame = records(
        {"first_name": "Maria", "last_name": "Garcia"},
        {"first_name": "Maria", "last_name": "Garcia", "company": "Pfizer"},
        {"first_name": "Robert", "last_name": "Okafor", "company": "Acme"},
        {"first_name": "Bob", "last_name": "Okafor", "company": "Acme Inc"},
    )
    keys = list(record_keys(frame))
    decisions = {(keys[0], keys[1]): "merge", (keys[2], keys[3]): "separate"}
    assert people_of(frame, decisions) == [{2, 3}, {4}, {5}]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("robert", "bob", True),
        ("elizabeth", "liz", True),
        ("william", "bill", True),
        ("jose", "pepe", True),
        ("aleksandr", "sasha", True),
        ("j", "john", True),
        ("maria", "mario", False),
        ("john", "jane", False),
    ],
)
def test_given_name_equivalence(a: str, b: str, same: bool) -> None:
    assert same_given_name(a, b) is same


names = st.sampled_from(["Ann Lee", "Lee, Ann", "Bo Kim", "Kim Bo", "Maria Garcia", "", "Ann"])
emails = st.sampled_from(["", "ann@x.com", "bo@y.org", "m@z.net"])
companies = st.sampled_from(["", "Acme", "Acme Inc.", "Pfizer"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(names, emails, companies), min_size=1, max_size=12))
def test_dedupe_never_loses_or_invents_a_record(rows: list[tuple[str, str, str]]) -> None:
    frame = records(*({"full_name": n, "email": e, "company": c} for n, e, c in rows))
    result = find_people(frame)
    assert len(result.records) == len(frame)
    assert sorted(result.records["row"]) == sorted(frame["row"])
    # no person holds two different LinkedIn profiles
    slugs = result.records[result.records["linkedin_slug"] != ""]
    assert (slugs.groupby("person")["linkedin_slug"].nunique() <= 1).all()
