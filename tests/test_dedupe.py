"""Dedupe merges on proof, merges strong names only with corroboration, flags the rest."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe import find_people, record_keys
from pipeline.dedupe.nicknames import INITIAL, NONE, PART, SAME, VARIANT, given_relation
from pipeline.dedupe.people import build_people
from pipeline.ingest import RECORD_FIELDS
from pipeline.ingest.linkedin import LinkedInContext
from pipeline.normalize import normalize_records


def records(*rows: dict[str, str]) -> pd.DataFrame:
    """Normalized records from partial rows; each row its own file unless it names one."""
    built = []
    for number, row in enumerate(rows, start=2):
        base = dict.fromkeys(RECORD_FIELDS, "")
        base.update(
            {"file": f"f{number}.csv", "row": number, "source": "alumni", "src": number, "idx": 0}
        )
        base.update(row)
        built.append(base)
    return normalize_records(pd.DataFrame(built)).records


def people_of(frame: pd.DataFrame, decisions=None) -> list[set[int]]:
    result = find_people(frame, decisions)
    groups = result.records.groupby("person")["row"].apply(set)
    return sorted(groups.tolist(), key=min)


def together(frame: pd.DataFrame, decisions=None) -> bool:
    return find_people(frame, decisions).records["person"].nunique() == 1


# --- proof ---------------------------------------------------------------------------------


def test_same_linkedin_profile_merges_across_url_forms() -> None:
    frame = records(
        {"first_name": "Maya", "last_name": "Chen", "linkedin": "linkedin.com/in/MayaC/"},
        {
            "first_name": "M.",
            "last_name": "Chen-Li",
            "linkedin": "https://www.linkedin.com/in/mayac",
        },
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 1
    assert "same LinkedIn profile (mayac)" in result.merge_notes.iloc[0]


def test_same_email_merges_even_within_one_file() -> None:
    frame = records(
        {"full_name": "Chen, Maya", "email": "Maya@Example.com", "file": "a.csv"},
        {"first_name": "Maya", "last_name": "Chen", "email": "maya@example.com ", "file": "a.csv"},
    )
    assert people_of(frame) == [{2, 3}]


def test_two_linkedin_profiles_are_never_merged_even_with_same_email() -> None:
    frame = records(
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "linkedin": "linkedin.com/in/sam-lee-1",
            "email": "f@x.com",
        },
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "linkedin": "linkedin.com/in/sam-lee-2",
            "email": "f@x.com",
        },
    )
    assert people_of(frame) == [{2}, {3}]


def test_two_profiles_are_not_joined_through_a_third_record() -> None:
    frame = records(
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "linkedin": "linkedin.com/in/sam-lee-1",
            "company": "Acme",
        },
        {"first_name": "Sam", "last_name": "Lee", "company": "Acme Inc", "grad_year": "2015"},
        {
            "first_name": "Sam",
            "last_name": "Lee",
            "linkedin": "linkedin.com/in/sam-lee-2",
            "company": "ACME",
        },
    )
    slugs = find_people(frame).records.groupby("person")["linkedin_slug"].agg(set)
    assert all(len(s - {""}) <= 1 for s in slugs)


def test_shared_email_with_contradicting_class_years_goes_to_review() -> None:
    frame = records(
        {"first_name": "Ana", "last_name": "Ruiz", "grad_year": "1990", "email": "ruiz@fam.org"},
        {"first_name": "Ana", "last_name": "Ruiz", "grad_year": "2020", "email": "ruiz@fam.org"},
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 2
    assert "class years 1990 and 2020" in result.review.iloc[0]["evidence"]


# --- strong names need corroboration -------------------------------------------------------


def test_nickname_with_company_merges_and_is_explained() -> None:
    frame = records(
        {"first_name": "Robert", "last_name": "Okafor", "company": "Acme Inc."},
        {"full_name": "Okafor, Bob", "company": "ACME"},
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 1
    (row,) = result.review.to_dict("records")
    assert row["outcome"] == "merged"
    assert "Robert ≈ Bob (given-name variant)" in row["evidence"]
    assert "same employer (Acme Inc.)" in row["evidence"]


def test_name_only_goes_to_review_not_merge() -> None:
    frame = records(
        {"first_name": "Maria", "last_name": "Garcia"},
        {"first_name": "Maria", "last_name": "Garcia", "company": "Pfizer"},
    )
    result = find_people(frame)
    assert result.records["person"].nunique() == 2
    assert list(result.review["outcome"]) == ["not merged"]
    assert "nothing else to compare" in result.review.iloc[0]["evidence"]


def test_first_name_alone_never_merges() -> None:
    frame = records(
        {"first_name": "Maya", "company": "Spotify", "title": "Data Scientist"},
        {"first_name": "Maya", "company": "Spotify", "title": "Data Scientist"},
    )
    assert people_of(frame) == [{2}, {3}]


def test_one_file_lists_a_person_once_so_its_namesakes_stay_apart() -> None:
    frame = records(
        {"first_name": "Emily", "last_name": "Davis", "company": "Walmart", "file": "a.csv"},
        {"first_name": "Emily", "last_name": "Davis", "company": "Walmart", "file": "a.csv"},
    )
    assert people_of(frame) == [{2}, {3}]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"grad_year": "1998"}, {"grad_year": "2015"}),  # class years apart
        ({"middle_name": "J."}, {"middle_name": "K."}),  # two middle initials
    ],
)
def test_same_name_and_employer_with_a_contradiction_is_not_merged(a, b) -> None:
    base = {"first_name": "John", "last_name": "Smith", "company": "Acme"}
    frame = records({**base, **a}, {**base, **b})
    assert not together(frame)


def test_namesakes_at_different_employers_stay_apart_even_through_a_chain() -> None:
    # Two Min-ji Kims: one at Oracle (two alumni rows) and a LinkedIn connection at Hudson.
    frame = records(
        {"first_name": "Min-ji", "last_name": "Kim", "company": "Hudson Pharma",
         "title": "Quality Control Analyst", "linkedin": "linkedin.com/in/min-ji-kim-ee76",
         "source": "connection"},
        {"full_name": "Kim, Min-ji", "company": "Oracle", "grad_year": "2019",
         "email": "kim.minji@example.net"},
        {"first_name": "Min-ji", "last_name": "Kim", "company": "Oracle Corporation",
         "grad_year": "2019", "title": "Program Mgr"},
    )  # fmt: skip
    result = find_people(frame)
    assert people_of(frame) == [{2}, {3, 4}]
    apart = result.review[result.review["outcome"] == "not merged"]
    assert len(apart) == 1, "one Review row per pair of people, not per pair of records"
    assert "different employers" in apart.iloc[0]["evidence"]


def test_a_chain_cannot_join_two_class_years() -> None:
    # Each link is corroborated, but the two ends are ten class years apart.
    frame = records(
        {"first_name": "Ali", "last_name": "Khan", "company": "Acme", "grad_year": "2005"},
        {"first_name": "Ali", "last_name": "Khan", "company": "Acme", "title": "Analyst",
         "source": "connection"},
        {"first_name": "Ali", "last_name": "Khan", "title": "Analyst", "grad_year": "2015"},
    )  # fmt: skip
    years = find_people(frame).records.groupby("person")["grad_year"].agg(lambda y: set(y.dropna()))
    assert all(len(y) <= 1 for y in years)


# --- names that know people ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("robert", "bob", VARIANT),
        ("elizabeth", "liz", VARIANT),
        ("william", "bill", VARIANT),
        ("jose", "pepe", VARIANT),
        ("aleksandr", "sasha", VARIANT),
        ("chukwuemeka", "emeka", VARIANT),
        ("babatunde", "tunde", VARIANT),
        ("mohamed", "muhammad", VARIANT),  # spellings chain: mohamed ~ mohammed ~ muhammad
        ("j", "john", INITIAL),
        ("min ji", "min", PART),
        ("jc", "juan carlos", PART),
        ("bob", "rob", VARIANT),
        ("john", "nathan", PART),  # both short for Jonathan: weak at most
        ("ji hye", "ji min", NONE),
        ("robert", "william", NONE),  # Bill is listed for both; that links nothing
        ("maria", "mario", NONE),
        ("john", "jane", NONE),
        ("ry_ta", "ryota", SAME),  # '_' is a letter the file's code page lost
    ],
)
def test_given_name_relations(a: str, b: str, relation: int) -> None:
    assert given_relation(a, b) == relation
    assert given_relation(b, a) == relation


def name(first: str, last: str, **extra: str) -> dict[str, str]:
    return {"first_name": first, "last_name": last, **extra}


NAME_VARIANTS = [
    # accents and transliteration
    (name("José", "García"), name("Jose", "Garcia")),
    # cp1252 replaced a letter with '_'
    (name("Ryōta", "Watanabe"), name("Ry_ta", "Watanabe")),
    (name("Mateusz", "Kozłowski"), name("Mateusz", "Koz_owski")),
    # an initial
    (name("J.", "Smith"), name("John", "Smith")),
    # a double surname and one of its parts
    (name("Lucía", "García López"), name("Lucia", "Garcia")),
    # a maiden name in parentheses
    ({"full_name": "Ortega (Ellison), Maria"}, name("Maria", "Ellison")),
    # Last, First order, and given name and surname swapped
    ({"full_name": "Okafor, Olawale"}, name("Okafor", "Olawale")),
    # a middle name that is part of the given name
    ({"full_name": "Gómez, María José"}, name("Majo", "Gómez")),
    # a LinkedIn abbreviated surname, read back from the profile link
    (
        name("Daan", "D.", linkedin="linkedin.com/in/daan-de-jong-47fc0dc2e"),
        name("Daan", "de Jong"),
    ),
    # an email address that carries the married surname
    (name("Rachel", "Edwards", email="rachel.taylor@example.net"), name("Rachel", "Taylor")),
]


@pytest.mark.parametrize(("a", "b"), NAME_VARIANTS)
def test_name_variants_merge_with_corroboration(a: dict[str, str], b: dict[str, str]) -> None:
    job = {"company": "Quill Staffing", "title": "Executive Assistant"}
    frame = records({**a, **job}, {**b, **job})
    result = find_people(frame)
    assert result.records["person"].nunique() == 1
    merged = result.review[result.review["outcome"] == "merged"]
    # A fuzzy merge is listed in Review with its evidence; accents alone are not fuzzy.
    assert len(merged) == (0 if a.get("first_name") == "José" else 1)


def test_maiden_name_match_is_described_as_one() -> None:
    frame = records(
        {"full_name": "O'Neill (Fitzgerald), Ginevra", "grad_year": "2001", "company": "Acme"},
        {"first_name": "Ginevra", "last_name": "Fitzgerald", "grad_year": "2001"},
    )
    (row,) = find_people(frame).review.to_dict("records")
    assert "maiden name Fitzgerald" in row["evidence"]
    assert "given-name variant" not in row["evidence"]


# --- companies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Walt Disney Company", "Walt Disney"),
        ("Procter & Gamble Co.", "Procter and Gamble"),
        ("Samsung Electronics Co., Ltd.", "Samsung Electronics"),
        ("Spotify USA Inc.", "Spotify"),  # one name extends the other
        ("Facebook", "Meta"),  # an alias kept as data
        ("NYC DOE", "New York City Department of Education"),
    ],
)
def test_company_variants_corroborate_a_name(a: str, b: str) -> None:
    frame = records(
        {"first_name": "Priya", "last_name": "Menon", "company": a},
        {"first_name": "Priya", "last_name": "Menon", "company": b},
    )
    assert together(frame)


def test_work_address_at_the_employer_corroborates() -> None:
    frame = records(
        {"first_name": "Ikaika", "last_name": "Kahale", "company": "Jackson Chen"},
        {"first_name": "Ikaika", "last_name": "Kahale", "email": "ikaika@jacksonchen.example"},
    )
    assert together(frame)


# --- decisions, review, survivorship -------------------------------------------------------


def test_user_decisions_merge_and_separate_are_obeyed_and_kept_in_review() -> None:
    frame = records(
        {"first_name": "Maria", "last_name": "Garcia"},
        {"first_name": "Maria", "last_name": "Garcia", "company": "Pfizer"},
        {"first_name": "Robert", "last_name": "Okafor", "company": "Acme"},
        {"first_name": "Bob", "last_name": "Okafor", "company": "Acme Inc"},
    )
    keys = list(record_keys(frame))
    decisions = {(keys[0], keys[1]): "merge", (keys[3], keys[2]): "separate"}
    result = find_people(frame, decisions)
    assert people_of(frame, decisions) == [{2, 3}, {4}, {5}]
    decided = result.review[result.review["decision"] != ""]
    assert sorted(decided["decision"]) == ["merge", "separate"]
    by_decision = dict(zip(decided["decision"], decided["outcome"], strict=True))
    assert by_decision == {"merge": "merged", "separate": "not merged"}


def test_separate_overrides_even_a_shared_email() -> None:
    frame = records(
        {"first_name": "Sam", "last_name": "Park", "email": "parks@family.org"},
        {"first_name": "Sam", "last_name": "Park", "email": "parks@family.org"},
    )
    keys = list(record_keys(frame))
    assert not together(frame, {(keys[0], keys[1]): "separate"})


def test_merge_decision_never_joins_two_linkedin_profiles() -> None:
    frame = records(
        {"first_name": "Sam", "last_name": "Lee", "linkedin": "linkedin.com/in/sam-lee-1"},
        {"first_name": "Sam", "last_name": "Lee", "linkedin": "linkedin.com/in/sam-lee-2"},
    )
    keys = list(record_keys(frame))
    assert not together(frame, {(keys[0], keys[1]): "merge"})


def test_survivorship_takes_job_from_linkedin_and_class_year_from_alumni() -> None:
    frame = records(
        {"first_name": "Bob", "last_name": "Okafor", "company": "Acme", "title": "Teacher",
         "grad_year": "2015", "email": "bob@old.org"},
        {"first_name": "Robert", "last_name": "Okafor", "company": "Acme Inc.",
         "title": "Head of Science", "source": "connection", "linkedin": "linkedin.com/in/rokafor",
         "email": "robert@acme.com"},
    )  # fmt: skip
    result = find_people(frame)
    (person,) = build_people(result.records, result.merge_notes, LinkedInContext()).to_dict(
        "records"
    )
    assert (person["first"], person["title"], person["company"]) == (
        "Robert",
        "Head of Science",
        "Acme Inc.",
    )
    assert person["grad_year"] == 2015
    assert person["emails"] == "bob@old.org; robert@acme.com"
    assert person["sources"] == "f2.csv:2; f3.csv:3"
    keys = person["match_keys"].split("; ")
    assert {"li:rokafor", "em:bob@old.org", "em:robert@acme.com"} <= set(keys)
    assert "ny:bob okafor|2015" in keys  # the alumni row's own name keeps the id too


# --- invariants ----------------------------------------------------------------------------

names = st.sampled_from(
    ["Ann Lee", "Lee, Ann", "Bo Kim", "Kim Bo", "Maria Garcia", "", "Ann", "Anne Lee", "A. Lee"]
)
emails = st.sampled_from(["", "ann@x.com", "bo@y.org", "m@z.net"])
companies = st.sampled_from(["", "Acme", "Acme Inc.", "Pfizer"])
years = st.sampled_from(["", "2001", "2002", "2015"])
files = st.sampled_from(["a.csv", "b.csv", "c.csv"])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(names, emails, companies, years, files), min_size=1, max_size=12))
def test_dedupe_never_loses_or_invents_a_record(rows: list[tuple[str, ...]]) -> None:
    frame = records(
        *(
            {"full_name": n, "email": e, "company": c, "grad_year": y, "file": f}
            for n, e, c, y, f in rows
        )
    )
    result = find_people(frame)
    assert len(result.records) == len(frame)
    assert sorted(result.records["row"]) == sorted(frame["row"])
    slugs = result.records[result.records["linkedin_slug"] != ""]
    assert (slugs.groupby("person")["linkedin_slug"].nunique() <= 1).all()
    # a merged Review row always says why; a fuzzy merge never rests on the name alone
    merged = result.review[result.review["outcome"] == "merged"]
    assert not merged["evidence"].str.contains("nothing else to compare").any()
