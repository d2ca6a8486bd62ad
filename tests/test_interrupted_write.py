"""A crash or Ctrl-C while the workbook is written leaves the previous workbook, its backup and
the folder exactly as they were: no half file, no temporary file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook

import pipeline.workbook.writer as writer
from pipeline.cli import outreach
from tests.conftest import REPO

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
PROFILE = HOSTILE / "profile_utf16_notepad.toml"
ALUMNI = HOSTILE / "mixed_line_endings.csv"


def run(out: Path) -> Result:
    return CliRunner().invoke(
        outreach,
        ["run", "--alumni", str(ALUMNI), "--profile", str(PROFILE), "--out", str(out), "--quiet"],
        catch_exceptions=False,
    )


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A folder holding a workbook from an earlier run and the backup from the run before."""
    out = tmp_path / "outreach.xlsx"
    assert run(out).exit_code == 0
    assert run(out).exit_code == 0  # the second run keeps the first as the backup
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outreach.backup.xlsx", "outreach.xlsx"]
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def half_written(path: Any, *args: Any, **kwargs: Any) -> None:
    Path(path).write_bytes(b"PK\x03\x04 half of a workbook")


def save_then(error: BaseException) -> Callable[..., None]:
    def save(self: Workbook, filename: Any) -> None:
        half_written(filename)
        raise error

    return save


def copy_then(error: BaseException) -> Callable[..., None]:
    def copy(source: Any, target: Any, **kwargs: Any) -> None:
        half_written(target)
        raise error

    return copy


def replace_then(error: BaseException, on_call: int) -> Callable[..., None]:
    calls = []
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        calls.append(target)
        if len(calls) == on_call:
            raise error
        real(source, target)

    return replace


WHERE = {
    "during the save": lambda error: (Workbook, "save", save_then(error)),
    "while copying the old workbook aside": lambda error: (
        writer.shutil, "copy2", copy_then(error)
    ),
    "renaming the new workbook into place": lambda error: (
        writer.os, "replace", replace_then(error, 1)
    ),
}  # fmt: skip


@pytest.mark.parametrize("where", list(WHERE))
@pytest.mark.parametrize(
    ("error", "exit_code", "words"),
    [
        (KeyboardInterrupt(), 130, "Interrupted: nothing was written"),
        (RuntimeError("the writer crashed"), 1, "unexpected error (RuntimeError"),
        (OSError(28, "No space left on device"), 1, "No space left on device"),
    ],
    ids=["ctrl-c", "crash", "disk-full"],
)
def test_stopped_write_leaves_everything_as_it_was(
    previous: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    error: BaseException,
    exit_code: int,
    words: str,
) -> None:
    before = snapshot(previous.parent)
    target, name, replacement = WHERE[where](error)
    monkeypatch.setattr(target, name, replacement)
    result = run(previous)
    assert result.exit_code == exit_code, result.output
    assert words in result.output and "Traceback" not in result.output
    assert snapshot(previous.parent) == before


def test_backup_that_cannot_be_replaced_leaves_the_new_workbook_and_old_backup(
    previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = previous.with_name("outreach.backup.xlsx")
    old_backup = backup.read_bytes()
    monkeypatch.setattr(writer.os, "replace", replace_then(OSError(13, "Permission denied"), 2))
    result = run(previous)
    assert result.exit_code == 1
    assert (
        "the new workbook was written, but the backup outreach.backup.xlsx could not be "
        "replaced" in result.output
    )
    assert backup.read_bytes() == old_backup
    assert load_workbook(previous, read_only=True).sheetnames[0] == "Contacts"
    assert sorted(p.name for p in previous.parent.iterdir()) == [
        "outreach.backup.xlsx", "outreach.xlsx"
    ]  # fmt: skip


SLOW_SAVE = """
import os, sys, time, zipfile
ready = sys.argv[1]
real = zipfile.ZipFile.writestr

def writestr(self, *args, **kwargs):
    # The first part is written to the temporary file: say so, then wait for the signal.
    result = real(self, *args, **kwargs)
    if not os.path.exists(ready):
        self.fp.flush()
        open(ready, "w").close()
        time.sleep(60)
    return result

zipfile.ZipFile.writestr = writestr
sys.argv = ["outreach", *sys.argv[2:]]
from pipeline.cli import main
main()
"""


def test_ctrl_c_to_a_real_run_while_it_saves(previous: Path) -> None:
    """SIGINT to a real `outreach run` in the middle of writing the new workbook's zip."""
    folder = previous.parent
    before = snapshot(folder)
    ready = folder.parent / f"{folder.name}.ready"
    args = ["run", "--alumni", str(ALUMNI), "--profile", str(PROFILE), "--out", str(previous)]
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(ready), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), child.communicate()
    temporary = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert temporary, "the signal must arrive while the temporary workbook is being written"
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert "Interrupted: nothing was written" in stderr and "Traceback" not in stderr
    assert snapshot(folder) == before


def test_ctrl_c_to_a_real_run_while_it_works(
    previous: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SIGINT after the inputs are read, with no hook: the same promise."""
    folder = previous.parent
    before = snapshot(folder)
    big = tmp_path_factory.mktemp("inputs") / "alumni.csv"
    rows = "\n".join(f"Person{n} Tester,p{n}@example.com,Acme {n % 97}" for n in range(60_000))
    big.write_text("Name,Email,Company\n" + rows + "\n", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", "from pipeline.cli import main; main()", "run", "--alumni",
         str(big), "--profile", str(PROFILE), "--out", str(previous)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stderr is not None
    seen = []
    for line in child.stderr:  # a stage's line ends when the stage does
        seen.append(line)
        if "reading inputs" in line:
            break
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=120)
    stderr = "".join(seen) + stderr
    assert child.returncode == 130, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert snapshot(folder) == before
