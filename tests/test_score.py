"""Scoring: titles understood, the score in 0-100, each component moving it the right way."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.score import (
    COMPONENTS,
    EmployerRating,
    build_target,
    employer_rollup,
    role_fit_scores,
    score_people,
    tier_thresholds,
)
from pipeline.score.taxonomy import resolve_field, taxonomy
from pipeline.score.titles import parse_title

TODAY = dt.date(2026, 11, 27)
TARGET = build_target("Data Science", roles=["data scientist"], companies=["Spotify"],
                      locations=["New York"], my_grad_year=2026)  # fmt: skip


# --- the title parser -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "segments", "seniority"),
    [
        ("Senior Data Scientist II", ("data scientist",), 3),
        ("Sr. SWE", ("software engineer",), 3),
        ("Junior Accountant", ("accountant",), 1),
        ("Software Engineer I", ("software engineer",), 1),
        ("Data Scientist II", ("data scientist",), 2),
        ("Engineer III", ("engineer",), 3),
        ("Lead Data Scientist", ("data scientist",), 4),
        ("Principal ML Engineer", ("machine learning engineer",), 5),
        ("Product Manager", ("product manager",), 5),
        ("Head of Product", ("head of product",), 6),
        ("Director of Nursing", ("director of nursing",), 6),
        ("Vice President of Engineering", ("vice president of engineering",), 7),
        ("SVP, Marketing", ("marketing svp",), 8),
        ("Chief Nursing Officer", ("chief nursing officer",), 9),
        ("Data Science Intern", ("data science intern",), 0),
        ("Graduate Student", ("student",), 0),
        ("PhD Student | Research Assistant", ("phd student", "research assistant"), 0),
        ("Data Scientist @ Spotify", ("data scientist",), 2),
        ("Data Scientist at Spotify", ("data scientist",), 2),
    ],
)
def test_seniority_is_read_apart_from_the_function(
    title: str, segments: tuple[str, ...], seniority: int
) -> None:
    parsed = parse_title(title)
    assert parsed.segments == segments
    assert parsed.seniority == seniority


@pytest.mark.parametrize(
    ("title", "seniority"),
    [
        ("Staff Software Engineer", 4),  # a level above senior in tech
        ("Staff SRE (he/him)", 4),
        ("Staff Accountant", 2),  # a regular accountant
        ("Staff Nurse", 2),
        ("Staff Attorney", 2),
        ("Partner", 8),
        ("Partner Marketing Manager", 5),  # 'partner' qualifies the job, the level is manager
        ("HR Business Partner", 3),
        ("Product Owner", 3),  # a role, not the owner of a company
        ("Owner", 9),
        ("Chief of Staff", 6),
    ],
)
def test_level_words_count_only_where_they_mean_a_level(title: str, seniority: int) -> None:
    assert parse_title(title).seniority == seniority


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("ML Engineer", "machine learning engineer"),
        ("AI Researcher", "artificial intelligence researcher"),
        ("API Developer", "application programming interface developer"),
        ("SRE", "site reliability engineer"),
        ("QA Analyst", "quality assurance analyst"),
        ("HR Manager", "human resources manager"),
        ("Sr. PM", "product manager"),
        ("RN", "registered nurse"),
        ("M&A Associate", "mergers acquisitions associate"),
        ("VP", "vp"),
        ("Full-Stack Dev", "full stack developer"),  # last, 'dev' is the person
        ("Dev Manager", "development manager"),
        ("Biz Dev", "business development"),
    ],
)
def test_short_acronyms_are_kept_and_expanded(title: str, role: str) -> None:
    assert parse_title(title).segments == (role,)


@pytest.mark.parametrize(
    ("title", "segments"),
    [
        ("Founder | Data Scientist", ("founder", "data scientist")),
        ("Data Scientist · Speaker · Mentor", ("data scientist", "speaker", "mentor")),
        ("CEO / Co-founder", ("chief executive officer", "co founder")),
        ("Software Engineer - Backend; Tech Lead", ("software engineer", "backend", "tech lead")),
    ],
)
def test_several_titles_held_at_once_are_split(title: str, segments: tuple[str, ...]) -> None:
    assert parse_title(title).segments == segments


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Director of Marketing", ("marketing", "director")),
        ("VP Product", ("product", "vp")),
        ("Editor, Newspaper", ("newspaper", "editor")),
        ("Manager, Product Marketing", ("product", "marketing", "manager")),
        ("Accountants", ("accountant",)),
        ("Parole Officer (PO)", ("parole", "officer")),  # '(PO)' is no 'product owner'
    ],
)
def test_titles_are_read_with_the_job_noun_last(title: str, key: tuple[str, ...]) -> None:
    parsed = parse_title(title)
    assert [part.key for part in parsed.parts] == [key]


def test_a_long_form_in_brackets_beats_the_abbreviation() -> None:
    parsed = parse_title("ECM Consultant (Enterprise Content Management Consultant)")
    assert parsed.segments == ("enterprise content management consultant",)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parse_title_never_fails(text: str) -> None:
    parsed = parse_title(text)
    assert 0 <= parsed.seniority <= 9


# --- the field taxonomy -----------------------------------------------------------------------


def test_the_taxonomy_covers_at_least_60_fields_with_roles_and_neighbours() -> None:
    fields = taxonomy()
    assert len(fields) >= 60
    for spec in fields.values():
        assert spec.roles and spec.keywords and spec.industries, spec.slug
        assert set(spec.adjacent) <= set(fields), spec.slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("data sci", "data-science"),
        ("Data Science", "data-science"),
        ("DATA SCIENCE", "data-science"),
        ("UX", "ux-design"),
        ("nursing", "nursing"),
        ("Investment Banking", "investment-banking"),
        ("mechanical engineering", "mechanical-engineering"),
        ("product mgmt", "product-management"),
        ("comp sci", "software-engineering"),
        ("mech eng", "mechanical-engineering"),
        ("med school", "medicine"),
    ],
)
def test_field_lookup_is_forgiving(text: str, slug: str) -> None:
    spec = resolve_field(text)
    assert spec is not None and spec.slug == slug


def test_an_unknown_field_borrows_the_fields_its_words_name() -> None:
    target = build_target("Sports Analytics")
    assert target.spec is None
    assert "Sports Industry and Data Analytics" in target.warnings[0]
    fit, _ = role_fit_scores(pd.Series(["Sports Analytics Manager", "Athletic Director",
                                        "Barista"]), target)  # fmt: skip
    assert fit[0] > fit[1] > fit[2] == 0


def test_unknown_field_falls_back_to_its_own_words_with_a_warning() -> None:
    target = build_target("Underwater Basket Weaving")
    assert target.spec is None
    assert target.warnings and "not in the built-in list" in target.warnings[0]
    fit, _ = role_fit_scores(pd.Series(["Underwater Basket Weaving Instructor", "Barista"]), target)
    assert fit[0] > 0 and fit[1] == 0


# --- role fit ---------------------------------------------------------------------------------


def fits(
    titles: list[str], field: str = "Data Science", roles: tuple[str, ...] = ()
) -> list[float]:
    fit, _ = role_fit_scores(pd.Series(titles), build_target(field, roles=roles))
    return [float(f) for f in fit]


def test_role_fit_ranks_practitioners_above_look_alikes() -> None:
    fit = fits(["Senior Data Scientist", "Machine Learning Engineer", "Science Teacher",
                "Data Entry Clerk", "Barista"])  # fmt: skip
    assert fit[0] >= 0.9
    assert fit[1] >= 0.7
    assert fit[1] > fit[2]
    assert fit[1] > fit[3]
    assert fit[4] == 0


@pytest.mark.parametrize(
    ("field", "better", "worse"),
    [
        ("Product Management", "Product Manager", "Product Marketing Manager"),
        ("Product Management", "Software Product Manager", "Product Designer"),
        ("Product Management", "VP Product", "Production Manager"),
        ("Nursing", "Registered Nurse", "Nursing Assistant"),
        ("Nursing", "Director of Nursing", "Nurse Recruiter"),
        ("Marketing", "Marketing Manager", "Marketing Professor"),
        ("Marketing", "Marketing Analyst", "Marketing Intern"),
        ("Law", "Attorney", "Legal Secretary"),
        ("Accounting", "Staff Accountant", "Accounting Clerk"),
        ("Journalism", "Staff Writer", "Grant Writer"),
        ("Journalism", "Reporter", "Court Reporter"),
        ("Mechanical Engineering", "Mechanical Engineer", "Software Engineer"),
        ("Mechanical Engineering", "Tooling Engineer", "Software Engineer"),
        ("Data Science", "Data Analyst", "Barista"),  # a neighbouring field still counts
        ("Data Science", "Data Scientist", "Aspiring Data Scientist"),
    ],
)
def test_role_fit_reads_the_job_not_just_its_words(field: str, better: str, worse: str) -> None:
    good, bad = fits([better, worse], field)
    assert good > bad


def test_a_title_held_alongside_others_still_counts() -> None:
    assert fits(["Founder | Data Scientist", "Data Scientist"]) == [1.0, 1.0]


def test_the_users_roles_are_matched_and_named() -> None:
    target = build_target("Underwater Basket Weaving", roles=["paralegal"])
    fit, label = role_fit_scores(pd.Series(["Senior Paralegal"]), target)
    assert fit[0] == 1.0 and label[0] == "paralegal"


# --- the score --------------------------------------------------------------------------------


def person(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "display_name": "Ann Lee", "title": "Data Scientist", "company": "Acme",
        "company_key": "acme", "industry": "", "location": "", "email": "",
        "email_opt_out": False, "linkedin_url": "", "is_connection": False, "is_alum": False,
        "in_conversation": False, "grad_year": pd.NA, "connected_on": "",
    }  # fmt: skip
    row.update(overrides)
    return row


def frame_of(*rows: dict[str, object]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    frame["grad_year"] = frame["grad_year"].astype("Int64")
    return frame


def scored(**overrides: object) -> pd.Series:
    employers = overrides.pop("employers", None)
    return score_people(
        frame_of(person(**overrides)), TARGET, employers=employers, today=TODAY
    ).iloc[0]  # type: ignore[arg-type]


def score_of(**overrides: object) -> float:
    return float(scored(**overrides)["score"])


@pytest.mark.parametrize(
    ("worse", "better"),
    [
        ({"title": "Barista"}, {"title": "Data Scientist"}),  # role fit
        ({"title": "Chef"}, {"title": "Chef", "industry": "Computer Software"}),  # field fit
        ({"title": "Consultant"}, {"title": "Machine Learning Consultant"}),  # field words
        (
            {"company": "Acme", "company_key": "acme"},
            {"company": "Spotify", "company_key": "spotify"},
        ),  # company fit: a target company
        ({}, {"employers": {"acme": EmployerRating(motivation=3, posting=3)}}),  # LAMP rating
        ({}, {"is_connection": True}),  # warmth
        ({}, {"is_alum": True}),
        ({"is_connection": True}, {"is_connection": True, "is_alum": True}),
        ({"is_alum": True}, {"is_alum": True, "in_conversation": True}),
        ({}, {"email": "ann@lee.com"}),  # reachability
        ({}, {"linkedin_url": "https://www.linkedin.com/in/ann"}),
        ({"email": "ann@lee.com", "email_opt_out": True}, {"email": "ann@lee.com"}),
        (
            {"connected_on": "2012-01-01", "is_connection": True},
            {"connected_on": "2026-01-01", "is_connection": True},
        ),  # recency
        ({"location": "Boston"}, {"location": "New York, NY"}),  # location fit
        ({"grad_year": 1980}, {"grad_year": 2020}),  # career stage by class year
        ({"grad_year": 2030}, {"grad_year": 2021}),
        ({"title": "Chief Data Scientist"}, {"title": "Senior Data Scientist"}),  # ... by level
        ({"title": "Data Scientist Intern"}, {"title": "Data Scientist"}),
    ],
)
def test_each_component_moves_the_score_the_right_way(worse: dict, better: dict) -> None:
    assert score_of(**better) > score_of(**worse)


titles = st.sampled_from(["", "Data Scientist", "CEO", "Intern", "Science Teacher", "Sr. SWE II",
                          "Founder | ML Engineer", "Nursing Assistant"])  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    title=titles,
    connection=st.booleans(),
    alum=st.booleans(),
    talking=st.booleans(),
    year=st.one_of(st.none(), st.integers(1950, 2035)),
    location=st.sampled_from(["", "New York", "Paris"]),
    weights=st.dictionaries(st.sampled_from(COMPONENTS), st.floats(0, 100), max_size=8),
)
def test_score_is_always_between_0_and_100(
    title, connection, alum, talking, year, location, weights
) -> None:
    frame = frame_of(person(title=title, is_connection=connection, is_alum=alum,
                            in_conversation=talking, location=location,
                            grad_year=pd.NA if year is None else year))  # fmt: skip
    result = score_people(frame, TARGET, weights, today=TODAY).iloc[0]
    assert 0 <= result["score"] <= 100
    for name in COMPONENTS:
        assert 0 <= result[name] <= 1, name
    assert result["tier"] in {"A", "B", "C"}
    assert result["why"]


def test_a_weight_of_zero_removes_a_component() -> None:
    weights = dict.fromkeys(COMPONENTS, 0.0) | {"warmth": 1.0}
    frame = frame_of(person(title="Barista", is_alum=True, is_connection=True))
    assert score_people(frame, TARGET, weights, today=TODAY)["score"].iloc[0] == 100


def test_people_are_sorted_best_first_then_by_name() -> None:
    frame = frame_of(person(display_name="Zoe", title="Barista"), person(display_name="Bea"),
                     person(display_name="Al"))  # fmt: skip
    result = score_people(frame, TARGET, today=TODAY)
    assert list(result["display_name"]) == ["Al", "Bea", "Zoe"]
    assert list(result["rank"]) == [1, 2, 3]


# --- tiers ------------------------------------------------------------------------------------


def test_tiers_are_calibrated_and_move_with_the_weights() -> None:
    default = tier_thresholds()
    assert 0 < default["B"] < default["A"] < 100
    heavier_warmth = tier_thresholds({"warmth": 60})
    assert heavier_warmth != default


def test_a_warm_practitioner_is_tier_a_and_a_list_of_strangers_has_no_a() -> None:
    assert scored(is_connection=True, title="Senior Data Scientist")["tier"] == "A"
    assert scored(linkedin_url="https://www.linkedin.com/in/x")["tier"] == "B"
    strangers = frame_of(*(person(title=t) for t in ["Barista", "Chef", "Pilot", "Cook"]))
    assert set(score_people(strangers, TARGET, today=TODAY)["tier"]) == {"C"}


# --- the Why cell -----------------------------------------------------------------------------


def test_why_names_the_top_reasons_in_plain_words() -> None:
    why = scored(title="Senior Data Scientist", is_alum=True, is_connection=True, grad_year=2019,
                 company="Spotify", company_key="spotify")["why"]  # fmt: skip
    assert why.startswith("Senior Data Scientist ≈ your role")
    assert "alum '19 · 1st-degree connection" in why
    assert "works at Spotify (target)" in why


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"title": "Data Analyst"}, "neighbouring field (Data Analytics"),
        ({"title": "Machine Learning Engineer"}, "Machine Learning Engineer ≈ your field"),
        ({"title": "Data Science Intern"}, "trainee in data science"),
        ({"title": "Barista"}, "weak fit: 'Barista' is not a Data Science role"),
        ({"title": "", "is_alum": True}, "alum · thin record: no job title"),
        ({"title": "Data Scientist", "in_conversation": True}, "you already message each other"),
        ({"title": "Data Scientist", "location": "New York, NY"}, "in New York, NY"),
        ({"title": "Data Scientist", "grad_year": 2021}, "5 years ahead of you"),
        (
            {"employers": {"acme": EmployerRating(motivation=3)}},
            "works at Acme (you rated it)",
        ),
    ],
)
def test_why_explains_each_kind_of_reason(overrides: dict, words: str) -> None:
    assert words in scored(**overrides)["why"]


def test_why_lists_at_most_four_reasons() -> None:
    why = scored(title="Data Scientist", is_alum=True, grad_year=2021, location="New York",
                 company="Spotify", company_key="spotify", in_conversation=True)["why"]  # fmt: skip
    assert why.count("·") <= 4  # four reasons; 'alum · 1st-degree' may be one of them


# --- the Employers rollup (LAMP) --------------------------------------------------------------


def test_employer_rollup_counts_people_and_keeps_the_best() -> None:
    frame = frame_of(
        person(display_name="A", company="Acme Inc", company_key="acme", is_alum=True),
        person(display_name="B", company="Acme", company_key="acme", is_connection=True,
               title="Senior Data Scientist"),
        person(display_name="C", company="Acme", company_key="acme", title="Barista"),
        person(display_name="D", company="", company_key=""),
    )  # fmt: skip
    rollup = employer_rollup(score_people(frame, TARGET, today=TODAY))
    assert len(rollup) == 1
    row = rollup.iloc[0]
    assert (row["employer"], row["contacts"], row["alumni"], row["connections"]) == (
        "Acme",
        3,
        1,
        1,
    )
    assert row["best_contact"] == "B"


def test_why_says_when_a_warm_contact_works_outside_the_field() -> None:
    why = scored(title="Science Teacher", is_alum=True)["why"]
    assert why == "alum · title outside data science"


def test_a_phrase_that_is_both_a_field_word_and_a_role_keeps_both() -> None:
    # 'cna' is a nursing keyword and 'certified nursing assistant' a (support) nursing role
    cna, assistant = fits(["CNA", "Nursing Assistant"], "Nursing")
    assert cna == 0.5 and assistant < cna
