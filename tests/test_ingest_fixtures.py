"""Each fixture quirk is read as expected.toml says; an unusable file fails in one clear line."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pipeline.ingest.inspect import Inspection, inspect_input
from tests.conftest import PROFILE

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EXPECTED: dict[str, Any] = tomllib.loads((FIXTURES / "expected.toml").read_text("utf-8"))
ERRORS: dict[str, Any] = tomllib.loads((FIXTURES / "errors" / "expected.toml").read_text("utf-8"))
FILES = sorted(
    p.name
    for p in FIXTURES.iterdir()
    if p.is_file() and p.suffix not in {".py", ".toml"} and not p.name.startswith(".")
)


def test_every_fixture_has_expectations_and_there_are_enough() -> None:
    assert sorted(EXPECTED) == FILES
    assert len(FILES) >= 20
    assert sorted(ERRORS) == sorted(p.name for p in (FIXTURES / "errors").iterdir()
                                    if p.suffix != ".toml")  # fmt: skip


@pytest.mark.parametrize("name", FILES)
def test_fixture_is_read_as_expected(name: str) -> None:
    expected = EXPECTED[name]
    tables = expected.get("tables", [expected])
    inspections = inspect_input(FIXTURES / name, {}, sample_rows=100)
    assert [i.report.sheet for i in inspections] == [t.get("sheet", i.report.sheet)
                                                     for t, i in zip(tables, inspections,
                                                                     strict=False)]  # fmt: skip
    assert len(inspections) == len(tables)
    for table, inspection in zip(tables, inspections, strict=True):
        _check_table(table, inspection)


def _check_table(expected: dict[str, Any], inspection: Inspection) -> None:
    report = inspection.report
    for key in ("kind", "encoding", "delimiter", "header_row"):
        if key in expected:
            assert getattr(report, key) == expected[key], key
    mapping = {m.header: m.field for m in report.columns if m.field}
    assert mapping == expected["mapping"]
    assert (report.rows_kept, report.rows_skipped) == (expected["kept"], expected["skipped"])
    assert report.rows_kept + report.rows_skipped == report.rows_read
    reasons: dict[str, int] = {}
    for reason, count in inspection.skipped_reasons.items():
        prefix = next((p for p in expected.get("reasons", {}) if reason.startswith(p)), reason)
        reasons[prefix] = reasons.get(prefix, 0) + count
    assert reasons == expected.get("reasons", {})
    assert inspection.kept_rows == expected["rows"]
    assert len(inspection.sample) == len(expected["people"])
    for row, person in zip(inspection.sample, expected["people"], strict=True):
        assert {key: row.get(key) for key in person} == person
    for note in expected.get("notes", []):
        assert any(note in text for text in report.notes), (note, report.notes)
    notes = {m.header: m.note + " " + m.how for m in report.columns}
    for header, words in expected.get("column_notes", {}).items():
        assert words in notes[header], (header, notes[header])


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_unusable_file_is_one_clear_line(
    run_cli: Callable[..., Result], tmp_path: Path, name: str
) -> None:
    expected = ERRORS[name]
    path = str(FIXTURES / "errors" / name)
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    results = [run_cli("inspect", path)]
    option = "--connections" if expected.get("connections") else "--alumni"
    results.append(run_cli("run", option, path, "--profile", str(profile), "--dry-run", "--quiet"))
    for result in results:
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, result.output
        assert "Traceback" not in result.output
        for piece in expected["message"]:
            assert piece in lines[0], (piece, lines[0])
