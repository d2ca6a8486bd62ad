"""The Why cell: the strongest reasons for a person's rank, in plain words, built column-wise."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

MAX_REASONS = 4
SEPARATOR = " · "
STRONG_ROLE = 0.7  # a role in the field: 'Data Scientist ≈ your field'
RELATED_ROLE = 0.2  # near the field: 'Nursing Assistant: supports nursing work'
FIELD_WORDS = 0.5  # the company or industry is in the field


def _per_value(numbers: np.ndarray, say: Callable[[float], str], missing: str) -> np.ndarray:
    """Word each distinct number once (years, gaps) and spread the words over the rows."""
    codes, unique = pd.factorize(numbers, sort=False)
    words = np.array([say(v) for v in unique] + [missing], dtype=object)
    return words[np.where(codes < 0, len(unique), codes)]


def _strings(series: pd.Series) -> np.ndarray:
    return series.fillna("").astype(str).to_numpy(dtype=object)


def _alum(year: float) -> str:
    return f"alum '{int(year) % 100:02d}"


def _ahead(years: float) -> str:
    return f"{int(years)} year{'s' if int(years) != 1 else ''} ahead of you"


class Reasons:
    """Candidate reasons per person: where each holds, how strong it is, and its words."""

    def __init__(self, frame: pd.DataFrame, weights: Mapping[str, float]) -> None:
        self.frame = frame
        self.weights = weights
        self.strengths: list[np.ndarray] = []
        self.texts: list[np.ndarray] = []

    def add(
        self, component: str, mask: np.ndarray, words: str | Callable[[np.ndarray], np.ndarray]
    ) -> None:
        """Add a reason where mask holds; words is fixed text or makes the masked rows' text."""
        strength = self.frame[component].to_numpy(dtype=float) * self.weights[component]
        self.strengths.append(np.where(mask, strength, -1.0))
        text = np.empty(len(mask), dtype=object)
        text[mask] = words if isinstance(words, str) else words(mask)
        self.texts.append(text)

    def join(self, most: int) -> np.ndarray:
        """Join each person's strongest reasons, strongest first; '' when none hold."""
        n = len(self.frame)
        strengths = np.column_stack(self.strengths)
        texts = np.column_stack(self.texts)
        order = np.argsort(-strengths, axis=1, kind="stable")[:, :most]
        chosen = np.take_along_axis(texts, order, axis=1)
        present = np.take_along_axis(strengths, order, axis=1) >= 0
        joined = np.full(n, "", dtype=object)
        joined[present[:, 0]] = chosen[present[:, 0], 0]
        # Reasons that hold sort first, so the k-th exists only where the first k-1 do.
        for column in range(1, order.shape[1]):
            rows = present[:, column]
            joined[rows] = joined[rows] + SEPARATOR + chosen[rows, column]
        return joined


def explain(
    frame: pd.DataFrame,
    weights: Mapping[str, float],
    field_label: str,
    company_keys: Mapping[str, str],
    rated_keys: set[str],
    my_grad_year: int | None,
) -> np.ndarray:
    """Name each person's strongest reasons, strongest first, and note a thin record."""
    reasons = Reasons(frame, weights)
    role_fit = frame["role_fit"].to_numpy(dtype=float)
    role_text = frame["role_reason"].to_numpy(dtype=object)
    reasons.add("role_fit", role_fit >= RELATED_ROLE, lambda m: role_text[m])
    field = frame["field_fit"].to_numpy(dtype=float)
    works_in = f"works in {field_label.lower()}"
    reasons.add("field_fit", (field >= FIELD_WORDS) & (role_fit < RELATED_ROLE), works_in)

    alum = frame["is_alum"].to_numpy(dtype=bool)
    connection = frame["is_connection"].to_numpy(dtype=bool)
    years = frame["grad_year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    def warm_words(mask: np.ndarray) -> np.ndarray:
        # Worded once per (class year, connection, alum) and spread over the rows.
        codes, unique = pd.factorize(years[mask], sort=False)
        codes = np.where(codes < 0, len(unique), codes)
        kind = connection[mask].astype(np.int64) + 2 * alum[mask].astype(np.int64)
        combined, first = np.unique(codes * 4 + kind, return_inverse=True)
        words = []
        for value in combined:
            code, both = divmod(int(value), 4)
            alum_text = _alum(unique[code]) if code < len(unique) else "alum"
            if both == 3:
                words.append(alum_text + SEPARATOR + "1st-degree connection")
            else:
                words.append(alum_text if both == 2 else "1st-degree connection")
        return np.array(words, dtype=object)[first]

    reasons.add("warmth", alum | connection, warm_words)
    talking = frame["in_conversation"].to_numpy(dtype=bool)
    reasons.add("warmth", talking, "you already message each other")

    keys = frame["company_key"].fillna("").astype(str)
    company = frame["company"]
    targeted = keys.isin(set(company_keys)).to_numpy()
    reasons.add("company_fit", targeted, lambda m: "works at " + _strings(company[m]) + " (target)")
    rated = keys.isin(rated_keys).to_numpy() & ~targeted
    rated &= frame["company_fit"].to_numpy(dtype=float) > 0
    reasons.add(
        "company_fit", rated, lambda m: "works at " + _strings(company[m]) + " (you rated it)"
    )

    located = frame["location_fit"].to_numpy(dtype=float) >= 1.0
    reasons.add("location_fit", located, lambda m: "in " + _strings(frame["location"][m]))

    if my_grad_year:
        ahead = my_grad_year - years
        with np.errstate(invalid="ignore"):
            close = (ahead >= 1) & (ahead <= 10)
        reasons.add("career_stage", close, lambda m: _per_value(ahead[m], _ahead, ""))

    joined = reasons.join(MAX_REASONS)
    titles = _strings(frame["title"])
    has_title = titles != ""
    none = joined == ""
    # Say why a warm contact still ranks low: the job is not in the field.
    off_field = ~none & has_title & (role_fit < RELATED_ROLE) & (field < FIELD_WORDS)
    joined[off_field] = joined[off_field] + f"{SEPARATOR}title outside {field_label.lower()}"
    weak = none & has_title
    joined[weak] = (
        "weak fit: '" + titles[weak] + f"' is not a {field_label} role as far as the title says"
    )
    joined[none & ~has_title] = "weak fit: nothing links them to your field or to you yet"
    joined[~has_title] = joined[~has_title] + SEPARATOR + "thin record: no job title"
    return joined
