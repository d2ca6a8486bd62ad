"""Values cleaned the way real exports need: names, links, emails, years, dates, companies."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import RECORD_FIELDS
from pipeline.normalize import normalize_records
from pipeline.normalize.names import parse_full_name, parse_name_fields, tidy_case
from pipeline.normalize.values import (
    canonical_linkedin_url,
    clean_text,
    company_key,
    linkedin_slug,
    parse_date,
    parse_grad_year,
    split_emails,
)


@pytest.mark.parametrize(
    ("raw", "first", "last", "extra"),
    [
        ("Chen, Maya", "Maya", "Chen", {}),
        ("Maya Chen", "Maya", "Chen", {}),
        ("Smith, Jane ’18", "Jane", "Smith", {"class_year": 2018}),
        ("Jane Doe '91", "Jane", "Doe", {"class_year": 1991}),
        ("John Smith, W’05, WG’09", "John", "Smith", {"class_year": 2005}),
        ("Dana Whitfield ’92, G’02", "Dana", "Whitfield", {"class_year": 1992}),
        ("Pat Lee P’15", "Pat", "Lee", {"class_year": None, "parent_only": True}),
        ("Baker (Johnson), Jenny", "Jenny", "Baker", {"maiden": "Johnson"}),
        ('Robert "Bob" Smith III', "Robert", "Smith", {"nickname": "Bob", "suffix": "III"}),
        ("Jane Doe, MD", "Jane", "Doe", {"suffix": "MD"}),
        ("Doe, John, Jr.", "John", "Doe", {"suffix": "Jr."}),
        ("MCDONALD, MARY", "Mary", "McDonald", {}),
        ("Dr. Maria Ellison Ortega", "Maria", "Ortega", {"middle": "Ellison"}),
        ("Ana de la Cruz", "Ana", "de la Cruz", {}),
        ("LinkedIn Member", "", "", {}),
        ("Doug Miller*", "Doug", "Miller", {"deceased": True}),
        ("Zoë Ødegaard 🚀", "Zoë", "Ødegaard", {}),
        ("Griffey, Jr., Ken", "Ken", "Griffey", {"suffix": "Jr."}),
        ("Gwen Holloway FCIPD", "Gwen", "Holloway", {"suffix": "FCIPD"}),
        ("Ana DE LA CRUZ", "Ana", "De la Cruz", {"suffix": ""}),
        ("Marie Claire DUPONT", "Marie", "Dupont", {"middle": "Claire"}),
        ('1967 Paul ""Toby"" Smith', "Paul", "Smith", {"nickname": "Toby", "class_year": 1967}),
        ("Howard Pike GP’01, P’88", "Howard", "Pike", {"class_year": None, "parent_only": True}),
        ("Naledi Dube ’96, P’24", "Naledi", "Dube", {"class_year": 1996, "parent_only": False}),
    ],
)
def test_parse_full_name(raw: str, first: str, last: str, extra: dict) -> None:
    parts = parse_full_name(raw)
    assert (parts.first, parts.last) == (first, last)
    for key, value in extra.items():
        assert getattr(parts, key) == value, key


@pytest.mark.parametrize(
    ("first", "last", "expected_last", "suffix"),
    [
        ("Linh", "Nguyen, PhD", "Nguyen", "PhD"),
        ("Sam", "Okafor, AML-CTF Cert", "Okafor", "AML-CTF Cert"),
        ("Jenny", "Baker (Johnson)", "Baker", ""),
        ("Ken", "Griffey Jr.", "Griffey", "Jr."),
        ("Gwen", "Holloway FCIPD", "Holloway", "FCIPD"),
        ("Van", "Le Do", "Le Do", ""),
    ],
)
def test_separate_name_columns_lose_credentials(
    first: str, last: str, expected_last: str, suffix: str
) -> None:
    parts = parse_name_fields(first, last)
    assert parts.first == first
    assert parts.last == expected_last
    assert parts.suffix == suffix


def test_nickname_in_first_name_column() -> None:
    parts = parse_name_fields('Robert "Bob"', "Smith")
    assert (parts.first, parts.nickname) == ("Robert", "Bob")


def test_tidy_case_keeps_mixed_case() -> None:
    assert tidy_case("McDonald") == "McDonald"
    assert tidy_case("O'BRIEN") == "O'Brien"
    assert tidy_case("VAN DER BERG") == "Van der Berg"


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.linkedin.com/in/maya-chen-1a2b", "maya-chen-1a2b"),
        ("http://linkedin.com/in/Maya-Chen-1A2B/", "maya-chen-1a2b"),
        ("https://uk.linkedin.com/in/maya-chen-1a2b?trk=public", "maya-chen-1a2b"),
        ("www.linkedin.com/in/maya-chen-1a2b#about", "maya-chen-1a2b"),
        ("linkedin.com/mwlite/in/maya-chen-1a2b", "maya-chen-1a2b"),
        ("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa", "josé-garcía"),
        ("https://www.linkedin.com/pub/jane-doe/4c5/2b3/1a", "jane-doe-1a2b34c5"),
        ("maya-chen-1a2b", "maya-chen-1a2b"),
        ("https://example.com/in/maya", ""),
        ("not a link", ""),
        ("", ""),
    ],
)
def test_linkedin_slug(url: str, slug: str) -> None:
    assert linkedin_slug(url) == slug


def test_canonical_url_is_percent_encoded_and_stable() -> None:
    url = canonical_linkedin_url("linkedin.com/in/jos%C3%A9-garc%C3%ADa/")
    assert url == "https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa"
    assert canonical_linkedin_url(url) == url


def test_split_emails_keeps_invalid_separately() -> None:
    valid, invalid = split_emails(" Maya.Chen@Example.com ; mailto:m@x.org, not-an-email@ ")
    assert valid == ["maya.chen@example.com", "m@x.org"]
    assert invalid == ["not-an-email@"]


@pytest.mark.parametrize("value", ["none@none.com", "noemail@northfield.edu", "n/a"])
def test_placeholder_emails_are_never_identities(value: str) -> None:
    assert split_emails(value)[0] == []


@pytest.mark.parametrize("value", ["none", "N/A", "TBD", "unknown", "-"])
def test_placeholder_linkedin_cells_are_not_profiles(value: str) -> None:
    assert linkedin_slug(value) == ""


def test_preferred_email_label_is_not_an_address() -> None:
    assert split_emails("Work Email") == ([], [])


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2019", 2019),
        ("2019.0", 2019),
        ("'19", 2019),
        ("’98", 1998),
        ("Class of 2019", 2019),
        ("BA 2019", 2019),
        ("43600", 2019),
        ("2019-05-21", 2019),
        (" ", None),
        ("", None),
        ("n/a", None),
    ],
)
def test_parse_grad_year(value: str, year: int | None) -> None:
    assert parse_grad_year(value) == year


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("12 Mar 2024", "2024-03-12"),
        ("9-Sep-22", "2022-09-09"),
        ("1/8/18, 6:14 PM", "2018-01-08"),
        ("2024-12-16 14:03:22 UTC", "2024-12-16"),
        ("45000", "2023-03-15"),
        ("Sat Dec 14 08:57:55 UTC 2024", "2024-12-14"),
        ("1/1950", "1950-01-01"),
        ("", ""),
        ("someday", ""),
    ],
)
def test_parse_date(value: str, iso: str) -> None:
    assert parse_date(value) == iso


def test_title_at_company_is_split_or_trimmed() -> None:
    records = pd.DataFrame(
        {field: ["", "", ""] for field in RECORD_FIELDS}
        | {"file": "a.csv", "row": [2, 3, 4], "source": "alumni", "src": 0, "idx": [0, 1, 2]}
    )
    records["full_name"] = ["Ann Lee", "Bo Kim", "Cy Ng"]
    records["title"] = ["Analyst @ Acme", "Intern @ The Walt Disney Company", "Chief at Large"]
    records["company"] = ["", "The Walt Disney Company", "Globex"]
    cleaned = normalize_records(records).records
    assert list(cleaned["title"]) == ["Analyst", "Intern", "Chief at Large"]
    assert list(cleaned["company"]) == ["Acme", "The Walt Disney Company", "Globex"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Inc.", "Acme"),
        ("The Boeing Company", "Boeing"),
        ("Deloitte Consulting LLP", "Deloitte"),
        ("Ernst & Young LLP", "EY"),
        ("Meta", "Facebook"),
        ("Procter & Gamble", "P&G"),
    ],
)
def test_company_key_equates_forms(a: str, b: str) -> None:
    assert company_key(a) == company_key(b)


def test_a_given_name_that_is_also_a_particle_after_a_comma() -> None:
    parts = parse_full_name("Tran, De")
    assert (parts.first, parts.last) == ("De", "Tran")
    assert parse_full_name("0, Ann").display == "Ann"


def test_company_key_keeps_different_companies_apart() -> None:
    assert company_key("Spotify") != company_key("Shopify")


@settings(max_examples=300)
@given(st.text())
def test_clean_text_is_idempotent_and_xml_safe(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in once)


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_name_parsing_never_raises_and_is_stable(text: str) -> None:
    # Stable from the first display on. Not before: in 'V, Ó' only the comma says that the
    # particle 'Ó' is a given name, and its display 'Ó V' reads as a surname, as it should.
    display = parse_full_name(parse_full_name(text).display)
    again = parse_full_name(display.display)
    assert again.first_key == display.first_key or not display.display


@pytest.mark.parametrize("raw", ["0,2,0", "---", "12345", "  ", "'19"])
def test_text_without_letters_is_no_name(raw: str) -> None:
    assert parse_full_name(raw).display == ""
    assert parse_name_fields(raw, raw).display == ""
