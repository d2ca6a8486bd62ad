"""Say in words why two records look like one person, or why they were kept apart (vectorized)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.dedupe.compare import VIA_MIDDLE, VIA_NAME, VIA_NICKNAME, VIA_PROFILE
from pipeline.dedupe.judge import (
    S_EMAIL,
    S_INITIAL,
    S_MAIDEN,
    S_PART,
    S_SAME,
    TITLE_MATCH,
)
from pipeline.dedupe.nicknames import INITIAL, PART, SAME, VARIANT

ObjArray = npt.NDArray[np.object_]


def _text(values: pd.Series | npt.NDArray[np.object_]) -> ObjArray:
    return np.asarray(pd.Series(values).fillna("").astype(str).to_numpy(), dtype=object)


def join_words(parts: list[ObjArray]) -> ObjArray:
    """Join each row's non-empty phrases with '; ' without a Python loop over rows."""
    if not parts:
        return np.zeros(0, dtype=object)
    text = parts[0].copy()
    for part in parts[1:]:
        both = (text != "") & (part != "")
        text = np.where(both, text + "; " + part, np.where(text == "", part, text))
    return text.astype(object)


def _when(mask: npt.NDArray[np.bool_], phrase: ObjArray | str) -> ObjArray:
    return np.where(mask, phrase, "").astype(object)


def _either(a: ObjArray, b: ObjArray) -> ObjArray:
    return np.where(a != "", a, b).astype(object)


def name_similarity(
    frame: pd.DataFrame, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Score 0-100 how alike two records' full names read (word order ignored)."""
    names = (frame["first_key"] + " " + frame["last_key"]).to_numpy(dtype=object)
    if not len(a):
        return np.zeros(0, dtype=np.int64)
    scores = process.cpdist(
        names[a].tolist(), names[b].tolist(), scorer=fuzz.token_sort_ratio, workers=-1
    )
    return np.round(scores).astype(np.int64)


def describe_pairs(frame: pd.DataFrame, features: pd.DataFrame) -> ObjArray:
    """Say in words why each pair may be one person: names, what agrees, what differs."""
    f = features
    ia, ib = f["a"].to_numpy(), f["b"].to_numpy()
    first_a, first_b = _text(frame["first"].to_numpy()[ia]), _text(frame["first"].to_numpy()[ib])
    last_a, last_b = _text(frame["last"].to_numpy()[ia]), _text(frame["last"].to_numpy()[ib])
    maiden = _either(_text(frame["maiden"].to_numpy()[ia]), _text(frame["maiden"].to_numpy()[ib]))
    given, surname = f["given"].to_numpy(), f["surname"].to_numpy()
    given_via, surname_via = f["given_via"].to_numpy(), f["surname_via"].to_numpy()
    wild = f["wild"].to_numpy()
    swapped = f["swapped"].to_numpy()
    plain = ~swapped  # a swapped name is explained whole
    exact = (given == SAME) & (surname == S_SAME) & plain & ~wild
    by_name = plain & (given_via == VIA_NAME)
    last_by_name = plain & (surname_via == VIA_NAME)
    names = first_a + " " + last_a + " / " + first_b + " " + last_b
    given_pair, surname_pair = first_a + " / " + first_b, last_a + " / " + last_b
    given_reasons = [
        (by_name & (given == INITIAL), "initial"),
        (plain & (given_via == VIA_NICKNAME), "a nickname given in the record"),
        (plain & (given_via == VIA_PROFILE), "the LinkedIn profile link reads the other name"),
        (plain & (given_via == VIA_MIDDLE), "a middle name that belongs to the given name"),
    ]
    surname_reasons = [
        (last_by_name & (surname == S_PART), "part of a double surname"),
        (last_by_name & (surname == S_INITIAL), "surname initial"),
        (plain & (surname_via == VIA_PROFILE), "the LinkedIn profile link reads the other surname"),
        (plain & (surname == S_EMAIL), "an email address carries the other surname"),
    ]
    parts = [
        _when(exact, "same name"),
        _when(wild & ~swapped, names + " (a letter lost to the file's encoding)"),
        _when(swapped, names + " (given name and surname swapped)"),
        _when(by_name & (given == VARIANT), first_a + " ≈ " + first_b + " (given-name variant)"),
        _when(by_name & (given == PART), first_a + " ≈ " + first_b + " (related given names)"),
        *(_when(mask, given_pair + f" ({why})") for mask, why in given_reasons),
        _when((given == SAME) & (surname != S_SAME) & plain & ~wild, "same given name " + first_a),
        _when((surname == S_SAME) & (given != SAME) & plain & ~wild, "same surname " + last_a),
        _when(
            last_by_name & (surname == S_MAIDEN),
            surname_pair + " (maiden name " + maiden + ")",
        ),
        *(_when(mask, surname_pair + f" ({why})") for mask, why in surname_reasons),
    ]
    company_a = _text(frame["company"].to_numpy()[ia])
    company_b = _text(frame["company"].to_numpy()[ib])
    same_company = f["same_company"].to_numpy()
    years = frame["grad_year"].astype("string").to_numpy(dtype=object, na_value="")
    year_a, year_b = years[ia], years[ib]
    title_a, title_b = _text(frame["title"].to_numpy()[ia]), _text(frame["title"].to_numpy()[ib])
    title = f["title"].to_numpy()
    city_a, city_b = _city(frame, ia), _city(frame, ib)
    study_a = _text(frame["major"].to_numpy()[ia])
    study_a = _either(study_a, _text(frame["degree"].to_numpy()[ia]))
    same_year, same_city = f["same_year"].to_numpy(), f["same_city"].to_numpy()
    same_study = f["same_study"].to_numpy()
    parts += [
        _when(same_company, "same employer (" + _either(company_a, company_b) + ")"),
        _when(same_year, "same class year (" + year_a + ")"),
        _when(title >= TITLE_MATCH, "same job title (" + title_a + ")"),
        _when(same_city, "same city (" + city_a + ")"),
        _when(same_study, "same field of study (" + study_a + ")"),
        _when(f["same_handle"].to_numpy(), "same email user name"),
        _when(f["same_middle"].to_numpy(), "same middle initial"),
    ]
    agrees = same_company | same_year | (title >= TITLE_MATCH) | same_city | same_study
    agrees |= f["same_handle"].to_numpy() | f["same_middle"].to_numpy()
    company_differs = f["companies_known"].to_numpy() & ~same_company
    title_differs = (title > 0) & (title < 60)
    city_differs = f["cities_known"].to_numpy() & ~same_city
    differs = company_differs | title_differs | city_differs | f["year_near"].to_numpy()
    parts += [
        _when(~agrees & ~differs, "nothing else to compare"),
        _when(~agrees & differs, "nothing else agrees"),
        _when(company_differs, "different employers (" + company_a + " / " + company_b + ")"),
        _when(
            title_differs & ~company_differs, "different jobs (" + title_a + " / " + title_b + ")"
        ),
        _when(city_differs, "different cities (" + city_a + " / " + city_b + ")"),
        _when(f["year_near"].to_numpy(), "class years " + year_a + " / " + year_b),
    ]
    return join_words(parts)


def _city(frame: pd.DataFrame, positions: npt.NDArray[np.int64]) -> ObjArray:
    """Read each record's city: its city cell, else the first part of its location."""
    city = _text(frame["city"].to_numpy()[positions])
    location = frame["location"].to_numpy(dtype=object, na_value="")[positions]
    return _either(city, np.array([v.split(",", 1)[0] for v in location.tolist()], dtype=object))


def proof_words(kind: ObjArray, key: ObjArray) -> ObjArray:
    """Word a proof: 'same LinkedIn profile (jane-doe)' or 'same email (jane@example.com)'."""
    label = np.where(kind == "slug", "same LinkedIn profile (", "same email (")
    return (label + key + ")").astype(object)
