"""Progress on stderr: a bar with counts on a terminal, plain lines in a log, nothing if quiet."""

from __future__ import annotations

import gc
import io
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.progress import Progress
from pipeline.run import RunOptions, run_pipeline
from tests.conftest import SAMPLE


def _run(progress: Progress) -> None:
    with progress.stage("cleaning values", total=1_030_000) as bar:
        for _ in range(4):
            bar.advance(206_000)
        bar.advance(206_000)
    with progress.stage("scoring"):
        pass


def test_a_terminal_gets_a_bar_redrawn_in_place() -> None:
    stream = io.StringIO()
    _run(Progress(stream=stream, tty=True, interval=0))
    text = stream.getvalue()
    assert "\r  cleaning values [" in text and "412,000/1,030,000 rows" in text
    assert "cleaning values … 1,030,000/1,030,000 rows," in text
    assert text.endswith(" s\x1b[K\n")


def test_a_log_gets_plain_count_lines_and_a_closing_line() -> None:
    stream = io.StringIO()
    _run(Progress(stream=stream, tty=False, interval=0))
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert any(line.strip().startswith("412,000/1,030,000 rows (40%)") for line in lines)
    assert any(line.startswith("  cleaning values: 1,030,000/1,030,000 rows,") for line in lines)
    assert lines[-1].startswith("  scoring …") and lines[-1].endswith(" s")


def test_quiet_prints_nothing_but_still_times_stages() -> None:
    stream = io.StringIO()
    progress = Progress(quiet=True, stream=stream, interval=0)
    _run(progress)
    assert stream.getvalue() == ""
    assert set(progress.timings) == {"cleaning values", "scoring"}


def _sample_run(tmp_path: Path, *alumni: str) -> RunOptions:
    """A run on sample_data's LinkedIn export and the named alumni files."""
    return RunOptions(
        connections=[SAMPLE / "linkedin_export"],
        alumni=[SAMPLE / name for name in alumni],
        profile=SAMPLE / "profile.toml",
        out=tmp_path / "outreach.xlsx",
    )


def test_every_long_stage_of_a_run_counts_its_work(tmp_path: Path) -> None:
    stream = io.StringIO()
    options = _sample_run(tmp_path, "alumni_career_office.csv", "alumni_directory.xlsx")
    run_pipeline(options, Progress(stream=stream, tty=True, interval=0))
    text = stream.getvalue()
    assert "reading inputs … 1,305 rows," in text
    assert "cleaning values … 1,305/1,305 rows," in text
    assert "\r  finding duplicates [====" in text and "3/7 steps" in text
    assert "finding duplicates … 7/7 steps," in text
    assert "scoring … 3/3 steps," in text
    assert "writing the workbook … 1,042/1,042 rows," in text


def test_a_run_collects_garbage_between_stages_only_and_restores_the_collector(
    tmp_path: Path,
) -> None:
    class Watching(Progress):
        """Notes whether the collector runs on its own during each stage."""

        def __init__(self) -> None:
            super().__init__(quiet=True)
            self.automatic: list[bool] = []

        @contextmanager
        def stage(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
            with super().stage(name, *args, **kwargs) as bar:
                self.automatic.append(gc.isenabled())
                yield bar

    options = _sample_run(tmp_path, "alumni_career_office.csv")
    assert gc.isenabled()
    watching = Watching()
    run_pipeline(options, watching)
    assert len(watching.automatic) >= 6 and not any(watching.automatic)
    assert gc.isenabled()
    # A run that stops on bad input gives the collector back too.
    (tmp_path / "empty.csv").write_bytes(b"")
    broken = RunOptions(connections=[], alumni=[tmp_path / "empty.csv"], profile=options.profile,
                        out=tmp_path / "broken.xlsx")  # fmt: skip
    with pytest.raises(InputError):
        run_pipeline(broken, Watching())
    assert gc.isenabled()
