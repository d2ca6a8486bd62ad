"""Scoring: titles understood, the score in 0-100, each component moving it the right way."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.score import COMPONENTS, build_target, role_fit_scores, score_people
from pipeline.score.taxonomy import resolve_field
from pipeline.score.titles import parse_title

TARGET = build_target("Data Science", roles=["data scientist"], companies=["Spotify"],
                      locations=["New York"], my_grad_year=2026)  # fmt: skip


@pytest.mark.parametrize(
    ("title", "segments", "seniority"),
    [
        ("Senior Data Scientist II", ("data scientist",), 3),
        ("Sr. SWE", ("software engineer",), 3),
        ("Founder | Data Scientist", ("founder", "data scientist"), 9),
        ("Vice President of Engineering", ("vice president engineering",), 7),
        ("Product Manager", ("product manager",), 5),
        ("Data Science Intern", ("data science",), 0),
        ("Principal ML Engineer", ("machine learning engineer",), 5),
        ("Data Scientist @ Spotify", ("data scientist",), 2),
        ("Staff SRE (he/him)", ("site reliability engineer",), 4),
    ],
)
def test_parse_title(title: str, segments: tuple[str, ...], seniority: int) -> None:
    parsed = parse_title(title)
    assert parsed.segments == segments
    assert parsed.seniority == seniority


def test_role_fit_ranks_practitioners_above_look_alikes() -> None:
    titles = pd.Series(
        ["Senior Data Scientist", "Machine Learning Engineer", "Science Teacher",
         "Data Entry Clerk", "Barista"]
    )  # fmt: skip
    fit, _ = role_fit_scores(titles, TARGET)
    assert fit[0] >= 0.9
    assert fit[1] >= 0.7
    assert fit[1] > fit[2]
    assert fit[1] > fit[3]
    assert fit[4] == 0


def test_unknown_field_falls_back_with_a_warning() -> None:
    target = build_target("Underwater Basket Weaving")
    assert target.spec is None
    assert target.warnings and "not in the built-in list" in target.warnings[0]


@pytest.mark.parametrize("text", ["data sci", "Data Science", "DATA SCIENCE"])
def test_field_lookup_is_forgiving(text: str) -> None:
    spec = resolve_field(text)
    assert spec is not None and spec.slug == "data-science"


def person(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "display_name": "Ann Lee", "title": "Data Scientist", "company": "Acme",
        "company_key": "acme", "industry": "", "location": "", "email": "",
        "email_opt_out": False, "linkedin_url": "", "is_connection": False, "is_alum": False,
        "in_conversation": False, "grad_year": pd.NA, "connected_on": "",
    }  # fmt: skip
    row.update(overrides)
    return row


def score_of(**overrides: object) -> float:
    frame = pd.DataFrame([person(**overrides)])
    frame["grad_year"] = frame["grad_year"].astype("Int64")
    return float(score_people(frame, TARGET)["score"].iloc[0])


@pytest.mark.parametrize(
    ("worse", "better"),
    [
        ({"title": "Barista"}, {"title": "Data Scientist"}),
        (
            {"company": "Acme", "company_key": "acme"},
            {"company": "Spotify", "company_key": "spotify"},
        ),
        ({}, {"is_connection": True}),
        ({"is_connection": True}, {"is_connection": True, "is_alum": True}),
        ({}, {"email": "ann@lee.com"}),
        ({"location": "Boston"}, {"location": "New York, NY"}),
        ({"grad_year": 1980}, {"grad_year": 2020}),
        (
            {"connected_on": "2012-01-01", "is_connection": True},
            {"connected_on": "2026-01-01", "is_connection": True},
        ),
    ],
)
def test_each_component_moves_the_score_the_right_way(worse: dict, better: dict) -> None:
    assert score_of(**better) > score_of(**worse)


titles = st.sampled_from(["", "Data Scientist", "CEO", "Intern", "Science Teacher", "Sr. SWE II"])


@settings(max_examples=100, deadline=None)
@given(
    title=titles,
    connection=st.booleans(),
    alum=st.booleans(),
    year=st.one_of(st.none(), st.integers(1950, 2030)),
    weights=st.dictionaries(st.sampled_from(COMPONENTS), st.floats(0, 100), max_size=4),
)
def test_score_is_always_between_0_and_100(title, connection, alum, year, weights) -> None:
    frame = pd.DataFrame([person(title=title, is_connection=connection, is_alum=alum,
                                 grad_year=pd.NA if year is None else year)])  # fmt: skip
    frame["grad_year"] = frame["grad_year"].astype("Int64")
    scored = score_people(frame, TARGET, weights)
    assert 0 <= scored["score"].iloc[0] <= 100
    assert scored["tier"].iloc[0] in {"A", "B", "C"}
    assert scored["why"].iloc[0]
