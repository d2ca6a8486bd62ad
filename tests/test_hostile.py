"""Hostile and broken input: each file of the corpus either gives a workbook that accounts for
every row, or exits 1 with one line naming the file, the row and the fix. Never a traceback.

The small files are in tests/fixtures/hostile/ (made by make_hostile.py there); the large ones
(a 5 MB cell, 3,000 columns, zip bombs) and the links, devices and locked folders are made
here, in tmp_path. Cases the ingest fixtures already cover (an empty file, a PDF, a truncated
or password-protected .xlsx, an export zip cut short) are in tests/fixtures/ingest/errors/.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from pipeline.cli import outreach
from pipeline.ingest.records import CUT_MARK
from pipeline.workbook.cells import TRUNCATION_MARK
from tests.conftest import REPO, read_sheet
from tests.fixtures.hostile import make_hostile

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
INGEST_ERRORS = Path(__file__).parent / "fixtures" / "ingest" / "errors"
GOOD_PROFILE = HOSTILE / "profile_utf16_notepad.toml"
GOOD_ALUMNI = HOSTILE / "mixed_line_endings.csv"


@dataclass(frozen=True)
class Case:
    """One hostile input and what must come of it."""

    name: str
    # Writes what the case needs into a folder and returns the CLI's input options.
    inputs: Callable[[Path], list[str]]
    # An error: pieces of the one line printed. A success: the rows read and skipped.
    message: tuple[str, ...] = ()
    kept: tuple[int, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()
    profile: Path = GOOD_PROFILE
    inspect: bool = True
    seconds: float | None = None

    @property
    def fails(self) -> bool:
        return bool(self.message)


def alumni(name: str) -> Callable[[Path], list[str]]:
    return lambda folder: ["--alumni", str(HOSTILE / name)]


def connections(name: str) -> Callable[[Path], list[str]]:
    return lambda folder: ["--connections", str(HOSTILE / name)]


def built(name: str, data: Callable[[], bytes], option: str = "--alumni") -> Callable:
    def make(folder: Path) -> list[str]:
        path = folder / name
        path.write_bytes(data())
        return [option, str(path)]

    return make


def link(name: str, target: Callable[[Path], str]) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        (folder / name).symlink_to(target(folder))
        return ["--alumni", str(folder / name)]

    return make


def fifo(folder: Path) -> list[str]:
    os.mkfifo(folder / "from_a_pipe.csv")
    return ["--alumni", str(folder / "from_a_pipe.csv")]


def export_with_outside_link(folder: Path) -> list[str]:
    (folder / "diary.csv").write_text("Name,Email\nMy Secret,me@example.com\n", encoding="utf-8")
    export = folder / "Basic_LinkedInDataExport_08-26-2025"
    export.mkdir()
    (export / "Connections.csv").symlink_to(folder / "diary.csv")
    return ["--connections", str(export)]


def nested_bomb() -> bytes:
    bomb = make_hostile.zip_bomb("Connections.csv", 1024**3, make_hostile.connections_csv())
    return make_hostile.zip_of({"Basic_LinkedInDataExport_08-26-2025.zip": bomb})


QUOTE_3 = "inside a quote opened on line 3 that is never closed"
STRAY_3 = "inside a quote opened on line 3 and closed only on line 6"
EXTRA = "4 values where the header has 3 columns: a comma inside a value that is not in quotes"

CASES = [
    Case("nul_scattered.csv", alumni("nul_scattered.csv"), kept=(2, 3, 4),
         notes=("NUL bytes on line 3: the file looks damaged",)),
    Case("nul_block_damaged_save.csv", alumni("nul_block_damaged_save.csv"), kept=(2, 3, 4),
         notes=("4,096 NUL bytes on line 3", "check those rows")),
    Case("mixed_line_endings.csv", alumni("mixed_line_endings.csv"), kept=(2, 3, 4)),
    Case("unterminated_quote.csv", alumni("unterminated_quote.csv"), kept=(2,),
         skipped=((3, QUOTE_3), (4, QUOTE_3), (5, QUOTE_3))),
    Case("stray_quote_closed_later.csv", alumni("stray_quote_closed_later.csv"), kept=(2, 7),
         skipped=((3, STRAY_3), (4, STRAY_3), (5, STRAY_3), (6, STRAY_3))),
    Case("unterminated_quote_in_header.csv", alumni("unterminated_quote_in_header.csv"),
         message=("unterminated_quote_in_header.csv: no usable rows", "2 inside a quote opened "
                  "on line 1", "Close or remove that quote on line 1")),
    Case("ragged_rows.csv", alumni("ragged_rows.csv"), kept=(2, 3),
         skipped=((4, EXTRA), (5, EXTRA))),
    Case("huge_cell_5mb.csv", built("huge_cell_5mb.csv", make_hostile.huge_cell_csv),
         kept=(2, 3, 5), skipped=((4, "no name, email or LinkedIn profile"),), seconds=60,
         notes=("1 value in 'Title' longer than 1,000 characters (row 2) was cut",)),
    Case("wide_3000_columns.csv", built("wide_3000_columns.csv", make_hostile.wide_csv),
         kept=tuple(range(2, 22)), seconds=60),
    Case("utf16_no_bom.csv", alumni("utf16_no_bom.csv"), kept=(2, 3),
         notes=("no byte-order mark; the byte pattern says utf-16-le",)),
    Case("workbook_named.csv", alumni("workbook_named.csv"), kept=(2, 3),
         notes=("named like a text file but is really a workbook",)),
    Case("text_named.xlsx", alumni("text_named.xlsx"), kept=(2, 3),
         notes=("named like a workbook but is really a text (CSV) file",)),
    Case("far_corner_cell.xlsx", alumni("far_corner_cell.xlsx"),
         message=("far_corner_cell.xlsx: sheet 'Alumni' has a value in cell XFD1048576",
                  "press Ctrl+End to jump to that cell")),
    Case("xls_reader_abort.xls", alumni("xls_reader_abort.xls"),
         message=("xls_reader_abort.xls: this workbook is damaged: the spreadsheet reader "
                  "crashed on it", "save it again as .xlsx, or export it as CSV")),
    Case("xls_reader_panic.xls", alumni("xls_reader_panic.xls"),
         message=("xls_reader_panic.xls: this workbook cannot be read",
                  "save it again as .xlsx, or export it as CSV")),
    Case("workbook_bomb_300mb.xlsx", built("workbook_bomb.xlsx",
                                           lambda: make_hostile.workbook_bomb(300 * 1024**2)),
         message=("workbook_bomb.xlsx: part 'xl/worksheets/sheet1.xml' would expand",
                  "(a zip bomb)", "export the list as CSV")),
    Case("export_dotdot_names.zip", connections("export_dotdot_names.zip"), kept=(2, 3)),
    Case("export_nested_once.zip", connections("export_nested_once.zip"), kept=(2, 3)),
    Case("export_nested_twice.zip", connections("export_nested_twice.zip"),
         message=("export_nested_twice.zip!wrapper.zip: it holds only another zip",
                  "Unzip it and pass the LinkedIn export zip inside")),
    Case("export_bad_crc.zip", connections("export_bad_crc.zip"),
         message=("export_bad_crc.zip: 'Connections.csv' inside the zip is damaged",
                  "Bad CRC-32", "Download the export from LinkedIn again")),
    Case("export_bad_version.zip", connections("export_bad_version.zip"),
         message=("export_bad_version.zip: this zip file is damaged",
                  "Download the export from LinkedIn again")),
    Case("zip_bomb_3gb.zip", built("zip_bomb_3gb.zip", lambda: make_hostile.zip_bomb(
        "Connections.csv", 3 * 1024**3, make_hostile.connections_csv()), "--connections"),
         message=("zip_bomb_3gb.zip: 'Connections.csv' would expand to 3.0 GB",
                  "download it again from LinkedIn")),
    Case("zip_bomb_1gb.zip", built("zip_bomb_1gb.zip", lambda: make_hostile.zip_bomb(
        "Connections.csv", 1024**3, make_hostile.connections_csv()), "--connections"),
         message=("zip_bomb_1gb.zip: 'Connections.csv' would expand from", "(a zip bomb)",
                  "Download the export from LinkedIn again")),
    Case("zip_bomb_nested.zip", built("zip_bomb_nested.zip", nested_bomb, "--connections"),
         message=("zip_bomb_nested.zip!Basic_LinkedInDataExport_08-26-2025.zip: "
                  "'Connections.csv' would expand", "(a zip bomb)")),
    Case("link_out_of_export", export_with_outside_link, inspect=False,
         message=("Basic_LinkedInDataExport_08-26-2025: Connections.csv is a link to",
                  "diary.csv, outside this folder, so it was not read",
                  "Pass that file itself with --connections")),
    Case("link_loop.csv", link("link_loop.csv", lambda folder: "link_loop.csv"),
         message=("link_loop.csv: this is a link (shortcut) that points back to itself",
                  "Pass the real file")),
    Case("dangling_link.csv", link("dangling_link.csv", lambda folder: "moved_away.csv"),
         message=("dangling_link.csv: this is a link (shortcut) to moved_away.csv, which does "
                  "not exist", "fix the link")),
    Case("dev_zero.csv", link("dev_zero.csv", lambda folder: "/dev/zero"),
         message=("dev_zero.csv: this is a device, not a file", "saved on disk"), seconds=30),
    Case("from_a_pipe.csv", fifo,
         message=("from_a_pipe.csv: this is a pipe, not a file", "saved on disk"), seconds=30),
    Case("profile_wrong_types.toml", alumni("mixed_line_endings.csv"), inspect=False,
         profile=HOSTILE / "profile_wrong_types.toml",
         message=("profile_wrong_types.toml line 11: drafts.top should be a whole number",
                  "not 'ten'")),
    Case("profile_nan_weight.toml", alumni("mixed_line_endings.csv"), inspect=False,
         profile=HOSTILE / "profile_nan_weight.toml",
         message=("profile_nan_weight.toml line 11: weights.role_fit should be a number",)),
    Case("profile_cp1252.toml", alumni("mixed_line_endings.csv"), inspect=False,
         profile=HOSTILE / "profile_cp1252.toml",
         message=("profile_cp1252.toml: line 2 is not UTF-8 text (byte 0xeb)",
                  "Save the file as UTF-8")),
    Case("profile_utf16_notepad.toml", alumni("mixed_line_endings.csv"), kept=(2, 3, 4)),
]  # fmt: skip


def test_every_committed_file_is_a_case() -> None:
    committed = {
        p.name for p in HOSTILE.iterdir() if p.suffix not in {".py"} and p.name[0] not in "._"
    }
    used = {case.name for case in CASES} | {p.name for p in HOSTILE.glob("profile_*")}
    assert committed <= used, committed - used


def invoke(*args: str) -> Result:
    return CliRunner().invoke(outreach, list(args), catch_exceptions=False)


def assert_one_clear_line(result: Result, pieces: tuple[str, ...]) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    for piece in pieces:
        assert piece in lines[0], (piece, lines[0])


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path) -> None:
    inputs = case.inputs(tmp_path)
    out = tmp_path / "out" / "outreach.xlsx"
    out.parent.mkdir()
    started = time.monotonic()
    result = invoke("run", *inputs, "--profile", str(case.profile), "--out", str(out), "--quiet")
    if case.seconds is not None:
        assert time.monotonic() - started < case.seconds
    if case.fails:
        assert_one_clear_line(result, case.message)
        assert list(out.parent.iterdir()) == []  # nothing written, not even a temporary file
        if case.inspect:
            assert_one_clear_line(invoke("inspect", inputs[1]), case.message)
        return
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    name = _input_name(inputs)
    sources = [s for row in read_sheet(out, "Contacts") for s in str(row["Sources"]).split("; ")]
    skipped = [(row["File"], row["Row"], row["Reason"]) for row in read_sheet(out, "Skipped")]
    assert sorted(int(s.rsplit(":", 1)[1]) for s in sources) == list(case.kept)
    assert {s.rsplit(":", 1)[0] for s in sources} == {name}
    assert [row for _, row, _ in skipped] == [row for row, _ in case.skipped]
    for (file, _, reason), (_, words) in zip(skipped, case.skipped, strict=True):
        assert file == name and words in reason, (words, reason)
    summary = _all_text(out, "Summary")
    for note in case.notes:
        assert note in summary, (note, summary[:2000])
    assert sorted(p.name for p in out.parent.iterdir()) == ["outreach.xlsx"]


def _input_name(inputs: list[str]) -> str:
    path = Path(inputs[1])
    return "Connections.csv" if inputs[0] == "--connections" else path.name


def _all_text(path: Path, sheet: str) -> str:
    book = load_workbook(path, read_only=True)
    try:
        return "\n".join(
            str(value) for row in book[sheet].iter_rows(values_only=True) for value in row if value
        )
    finally:
        book.close()


def test_huge_cell_is_cut_for_matching_and_at_excels_limit_in_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(make_hostile.huge_cell_csv())
    out = tmp_path / "outreach.xlsx"
    result = invoke("run", "--alumni", str(path), "--profile", str(GOOD_PROFILE), "--out",
                    str(out), "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    ann = next(row for row in read_sheet(out, "Contacts") if row["Name"] == "Ann Lee")
    assert ann["Title"].startswith("lorem ipsum dolor sit amet data science lorem")
    assert ann["Title"].endswith(CUT_MARK) and len(ann["Title"]) <= 1_000 + len(CUT_MARK)
    note_row = next(row for row in read_sheet(out, "Skipped") if row["Row"] == 4)
    assert note_row["Raw Values"].startswith("Notes=lorem ipsum")
    assert note_row["Raw Values"].endswith(TRUNCATION_MARK)


def test_zip_member_names_are_never_used_as_paths(tmp_path: Path) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    shutil.copy(HOSTILE / "export_dotdot_names.zip", work / "export.zip")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    export, out = str(work / "export.zip"), str(work / "o.xlsx")
    result = invoke("run", "--connections", export, "--profile", str(GOOD_PROFILE), "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(str(p) for p in tmp_path.rglob("*")) == sorted([*before, out])
    assert not Path("/etc/Profile.csv").exists()


# --- The output: a previous workbook that cannot be read, a folder that cannot be written ---


def _previous(tmp_path: Path, data: bytes) -> Path:
    out = tmp_path / "outreach.xlsx"
    out.write_bytes(data)
    return out


@pytest.mark.parametrize(
    ("previous", "pieces"),
    [
        (
            lambda: (INGEST_ERRORS / "password.xlsx").read_bytes(),
            ("outreach.xlsx: the existing workbook is password-protected",
             "Remove the password"),
        ),
        (
            lambda: (HOSTILE / "far_corner_cell.xlsx").read_bytes(),
            ("outreach.xlsx: sheet 'Alumni' has a value in cell XFD1048576",
             "press Ctrl+End"),
        ),
        (
            lambda: (HOSTILE / "xls_reader_panic.xls").read_bytes(),
            ("outreach.xlsx: the existing workbook cannot be read", "pass --out NEW.xlsx"),
        ),
    ],
    ids=["password-protected", "far-corner-cell", "reader-panic"],
)  # fmt: skip
def test_previous_workbook_that_cannot_be_read_is_left_untouched(
    tmp_path: Path, previous: Callable[[], bytes], pieces: tuple[str, ...]
) -> None:
    out = _previous(tmp_path, previous())
    before = out.read_bytes()
    result = invoke("run", "--alumni", str(GOOD_ALUMNI), "--profile", str(GOOD_PROFILE),
                    "--out", str(out), "--quiet")  # fmt: skip
    assert_one_clear_line(result, pieces)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outreach.xlsx"]


def _unprivileged_runner(work: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `outreach` as a user the permission bits apply to (root ignores them)."""
    command = [sys.executable, "-c", "from pipeline.cli import main; main()"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        if os.geteuid() != 0:
            return subprocess.run([*command, *args], capture_output=True, text=True, cwd=REPO,
                                  check=False)  # fmt: skip
        return subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command, *args],
            capture_output=True, text=True, cwd=REPO, check=False,
        )  # fmt: skip

    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permission bits cannot be tested")
        probe = run("--version")
        if probe.returncode != 0:
            pytest.skip(f"an unprivileged user cannot run the project here: {probe.stderr[-200:]}")
    return run


@pytest.mark.parametrize(
    ("mode_of", "pieces"),
    [
        ("folder", ("cannot write in the output folder (permission denied)",
                    "Pass --out with a path in a folder you can write to")),
        ("workbook", ("outreach.xlsx: the existing workbook cannot be read (permission denied)",
                      "pass --out NEW.xlsx")),
        ("input", ("alumni.csv: permission denied when reading the file",
                   "change its permissions")),
    ],
    ids=["unreadable-output-folder", "unreadable-previous-workbook", "unreadable-input"],
)  # fmt: skip
def test_unreadable_output_is_one_clear_line(mode_of: str, pieces: tuple[str, ...]) -> None:
    work = Path(tempfile.mkdtemp(prefix="outreach-hostile-"))
    try:
        work.chmod(0o755)
        run = _unprivileged_runner(work)
        shutil.copy(GOOD_ALUMNI, work / "alumni.csv")
        shutil.copy(GOOD_PROFILE, work / "profile.toml")
        locked = work / "locked"
        locked.mkdir()
        out = locked / "outreach.xlsx"
        if mode_of == "workbook":
            locked.chmod(0o777)
            out.write_bytes(b"the user's workbook")
            out.chmod(0o222)  # writable, not readable
        elif mode_of == "input":
            locked.chmod(0o777)
            (work / "alumni.csv").chmod(0o000)
        else:
            locked.chmod(0o000)
        result = run("run", "--alumni", str(work / "alumni.csv"), "--profile",
                     str(work / "profile.toml"), "--out", str(out), "--quiet")  # fmt: skip
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        for piece in pieces:
            assert piece in lines[0], (piece, lines[0])
        locked.chmod(0o755)
        if mode_of == "workbook":
            out.chmod(0o644)
            assert out.read_bytes() == b"the user's workbook"
        assert sorted(p.name for p in locked.iterdir()) == (
            ["outreach.xlsx"] if mode_of == "workbook" else []
        )  # nothing written, no temporary file
    finally:
        for path in [work, *work.rglob("*")]:
            if not path.is_symlink():
                path.chmod(stat.S_IRWXU)
        shutil.rmtree(work)


@pytest.mark.parametrize(
    ("workbook", "pieces"),
    [
        (HOSTILE / "far_corner_cell.xlsx",
         ("far_corner_cell.xlsx: sheet 'Alumni' has a value in cell XFD1048576",)),
        (HOSTILE / "ragged_rows.csv",
         ("ragged_rows.csv: cannot be read as a workbook", "Pass --workbook with the .xlsx")),
    ],
    ids=["far-corner-cell", "not-a-workbook"],
)  # fmt: skip
def test_preview_of_a_hostile_workbook_is_one_clear_line(
    workbook: Path, pieces: tuple[str, ...]
) -> None:
    assert_one_clear_line(invoke("preview", "Ann", "--workbook", str(workbook)), pieces)
