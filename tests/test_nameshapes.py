"""Parsing names a shape at a time gives exactly the parts of parsing each name on its own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.alumni_files import render_alumni_directory, render_career_office
from devtools.population import generate_population
from pipeline.normalize.names import parse_full_name_as_written, parse_name_fields_as_written
from pipeline.normalize.nameshapes import ShapeParser, as_row, field_shape


def _same_as_alone(parse, rows):  # type: ignore[no-untyped-def]
    """Parse rows through one ShapeParser and each on its own; return the ones that differ."""
    batch = ShapeParser(parse).parse_all(rows)
    return [(row, got) for row, got in zip(rows, batch, strict=True) if got != as_row(parse(*row))]


@pytest.fixture(scope="module")
def people():  # type: ignore[no-untyped-def]
    return generate_population(4000, seed=11)


def test_directory_names_parse_alike(people) -> None:  # type: ignore[no-untyped-def]
    rows = render_alumni_directory(people, np.random.default_rng(3), "Northfield University")
    names = [(name,) for name in dict.fromkeys(rows["Name"])]
    assert _same_as_alone(parse_full_name_as_written, names) == []


def test_career_office_columns_parse_alike(people) -> None:  # type: ignore[no-untyped-def]
    rows = render_career_office(people, np.random.default_rng(5), "Northfield University")
    pairs = list(dict.fromkeys(zip(rows["First"], rows["Last"], strict=True)))
    columns = [(first, last, "", "", "") for first, last in pairs]
    assert _same_as_alone(parse_name_fields_as_written, columns) == []


# Words the parsers read by what they are, and ordinary ones in every case pattern.
SPECIAL = [
    "de",
    "van",
    "der",
    "la",
    "Jr",
    "Jr.",
    "III",
    "II",
    "PhD",
    "Ph.D.",
    "MBA",
    "Dr",
    "Dean",
    "King",
    "McDonald",
    "MacLeod",
    "DeShawn",
    "bin",
    "Abu",
    "y",
    "e",
    "V",
    "P",
    "née",
    "St",
    "Ivanovich",
    "oglu",
    "Mary",
    "Al",
    "O'Neil",
    "D'Angelo",
    "GP",
    "W",
]
ORDINARY = st.sampled_from(
    [
        "Baker",
        "Okafor",
        "Lindqvist",
        "Ng",
        "Zoë",
        "ØSTBY",
        "chen",
        "Li",
        "Amara",
        "Tomás",
        "GARCÍA",
        "yu",
        "Hà",
        "Kowalczyk",
        "Ito",
    ]
)
SEPARATORS = [" ", ", ", " (", ") ", "-", " '", " ’", ". ", ' "', '" ', " *", "  "]
YEARS = ["’09", "'91", "‘17", "’05"]


@st.composite
def name_shapes(draw: st.DrawFn) -> list[str]:
    """A name shape drawn from words and separators, spelled three times with other words."""
    size = draw(st.integers(1, 6))
    plan = [
        draw(st.sampled_from(["word", "word", "word", "special", "initial", "year"]))
        for _ in range(size)
    ]
    joins = [draw(st.sampled_from(SEPARATORS)) for _ in range(size)]
    spelled = []
    for _ in range(3):
        text = ""
        for kind, join in zip(plan, joins, strict=True):
            if kind == "word":
                text += draw(ORDINARY)
            elif kind == "special":
                text += draw(st.sampled_from(SPECIAL))
            elif kind == "initial":
                text += draw(st.sampled_from("ABJKMQZabyv")) + draw(st.sampled_from(["", "."]))
            else:
                text += draw(st.sampled_from(YEARS))
            text += join
        spelled.append(text.strip())
    return spelled


@settings(max_examples=300, deadline=None)
@given(name_shapes())
def test_full_names_of_one_shape_parse_alike(names: list[str]) -> None:
    assert _same_as_alone(parse_full_name_as_written, [(name,) for name in names]) == []


@settings(max_examples=300, deadline=None)
@given(name_shapes(), name_shapes())
def test_name_columns_of_one_shape_parse_alike(firsts: list[str], lasts: list[str]) -> None:
    rows = [(first, last, "", "", "") for first, last in zip(firsts, lasts, strict=True)]
    assert _same_as_alone(parse_name_fields_as_written, rows) == []


def test_words_the_parsers_know_are_kept_as_written() -> None:
    shape = field_shape("de la Cruz, Ana Ph.D.")
    assert shape is not None
    gaps, _ = shape.key
    assert "de la" in gaps[0] and "Ph.D." in gaps[-1]
    assert shape.words == ("Cruz", "Ana")


def test_decomposed_text_is_parsed_alone() -> None:
    assert field_shape("Zoe\u0308 Baker") is None
