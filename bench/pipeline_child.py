"""One measurement in a fresh process (so peak memory is this run's alone); prints JSON.

`python -m bench.pipeline_child run SPEC` runs the pipeline; `... floor SPEC` is the I/O floor:
it reads the same input files with pandas, and writes the same cells the pipeline wrote (every
sheet, every row and column, formulas as formulas, blanks left out) with openpyxl's write-only
mode, plus the full ranked CSV when the pipeline wrote one. What the floor leaves out is what
the pipeline adds on top of plain I/O: styles, hyperlinks, tables, dropdowns, and all the work
between reading and writing. Wall and CPU seconds are both reported: on a shared machine CPU
time is the steadier of the two.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.progress import Progress


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TimedProgress(Progress):
    """Silent progress that also records each stage's CPU seconds and the peak memory so far."""

    def __init__(self) -> None:
        super().__init__(quiet=True)
        self.cpu: dict[str, float] = {}
        self.peak: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        started = time.process_time()
        try:
            with super().stage(name, *args, **kwargs) as handle:
                yield handle
        finally:
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - started
            self.peak[name] = peak_mb()


def run(spec: dict[str, Any]) -> dict[str, Any]:
    from pipeline.run import RunOptions, run_pipeline

    progress = TimedProgress()
    options = RunOptions(
        connections=[Path(p) for p in spec["connections"]],
        alumni=[Path(p) for p in spec["alumni"]],
        profile=Path(spec["profile"]),
        out=Path(spec["out"]),
    )
    wall, cpu = time.perf_counter(), time.process_time()
    run_pipeline(options, progress)
    return {
        "stages": progress.timings,
        "stages_cpu": progress.cpu,
        "stages_peak_mb": progress.peak,
        "total": time.perf_counter() - wall,
        "total_cpu": time.process_time() - cpu,
        "peak_mb": peak_mb(),
    }


def _input_files(spec: dict[str, Any]) -> list[Path]:
    """The files the pipeline reads: every CSV of the LinkedIn export, and the alumni files."""
    files: list[Path] = []
    for folder in spec["connections"]:
        path = Path(folder)
        files.extend(sorted(path.glob("*.csv")) if path.is_dir() else [path])
    files.extend(Path(p) for p in spec["alumni"])
    return files


def _read_with_pandas(path: Path) -> None:
    import pandas as pd

    if path.suffix == ".xlsx":
        pd.read_excel(path, engine="calamine", dtype=str, header=None)
    elif path.name == "Connections.csv":
        # LinkedIn's three-line 'Notes:' preamble sits above the header.
        pd.read_csv(path, skiprows=3, dtype=str, keep_default_na=False)
    elif path.parent.name == "linkedin_export":
        pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        # The generator writes career-office CSVs as Excel does: cp1252 with semicolons. The
        # floor is told so; the pipeline has to find out.
        pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)


def floor(spec: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd
    from openpyxl import Workbook, load_workbook

    out = Path(spec["out"])
    # What the pipeline wrote, read before the clock starts: values, formulas as '=…' text,
    # None for a cell it did not write.
    book = load_workbook(out, read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    book.close()
    overflow = out.with_name(f"{out.stem}-all-contacts.csv")
    ranked = (
        pd.read_csv(overflow, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if overflow.exists()
        else None
    )
    cells = sum(1 for rows in sheets.values() for row in rows for v in row if v is not None)

    wall, cpu = time.perf_counter(), time.process_time()
    for path in _input_files(spec):
        _read_with_pandas(path)
    read, read_cpu = time.perf_counter() - wall, time.process_time() - cpu

    wall, cpu = time.perf_counter(), time.process_time()
    target = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = target.create_sheet(name)
        for row in rows:
            sheet.append(row)
    target.save(out.with_name("floor.xlsx"))
    if ranked is not None:
        ranked.to_csv(out.with_name("floor-all-contacts.csv"), index=False, encoding="utf-8-sig")
    write, write_cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "read": read,
        "read_cpu": read_cpu,
        "write": write,
        "write_cpu": write_cpu,
        "total": read + write,
        "total_cpu": read_cpu + write_cpu,
        "cells": cells,
        "csv_rows": 0 if ranked is None else len(ranked),
        "peak_mb": peak_mb(),
    }


def main(argv: list[str]) -> int:
    mode, spec = argv[0], json.loads(argv[1])
    result = run(spec) if mode == "run" else floor(spec)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
