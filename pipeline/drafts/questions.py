"""The Questions sheet: questions to prepare for the conversation, tuned to the user's field."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.datafiles import load_toml


def questions_for_field(
    field: str, field_label: str, specific: Sequence[str]
) -> list[tuple[str, str]]:
    """Return (topic, question) rows: the classics in the field's words, then its own questions."""
    data = load_toml("questions.toml")
    after = str(data.get("field_questions_after", ""))
    classics = [(q["topic"], q["text"].replace("{field}", field)) for q in data["question"]]
    tuned = [(field_label, question) for question in specific]
    last = max((i for i, (topic, _) in enumerate(classics) if topic == after), default=-1)
    return classics[: last + 1] + tuned + classics[last + 1 :]
