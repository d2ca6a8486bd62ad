"""One measurement in a fresh process (so peak memory is this run's alone); prints JSON.

`python -m bench.pipeline_child run SPEC` runs the pipeline; `... floor SPEC` reads the same
inputs with pandas and writes the cells of the pipeline's last workbook with openpyxl's
write-only mode: the cost no implementation with these libraries can go below.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(spec: dict[str, object]) -> dict[str, object]:
    from pipeline.progress import Progress
    from pipeline.run import RunOptions, run_pipeline

    progress = Progress(quiet=True)
    options = RunOptions(
        connections=[Path(p) for p in spec["connections"]],  # type: ignore[attr-defined]
        alumni=[Path(p) for p in spec["alumni"]],  # type: ignore[attr-defined]
        profile=Path(str(spec["profile"])),
        out=Path(str(spec["out"])),
    )
    started = time.perf_counter()
    run_pipeline(options, progress)
    total = time.perf_counter() - started
    return {"stages": progress.timings, "total": total, "peak_mb": peak_mb()}


def floor(spec: dict[str, object]) -> dict[str, object]:
    import pandas as pd
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    out = Path(str(spec["out"]))
    # What the pipeline wrote, sheet by sheet, read before the clock starts.
    book = CalamineWorkbook.from_path(str(out))
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}

    started = time.perf_counter()
    for folder in spec["connections"]:  # type: ignore[attr-defined]
        path = Path(folder)
        csv_path = path / "Connections.csv" if path.is_dir() else path
        pd.read_csv(csv_path, skiprows=3, dtype=str, keep_default_na=False)
    for alumni in spec["alumni"]:  # type: ignore[attr-defined]
        path = Path(alumni)
        if path.suffix == ".xlsx":
            pd.read_excel(path, engine="calamine", dtype=str, header=None)
        else:
            # The generator writes career-office CSVs as Excel does: cp1252 with semicolons.
            pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    read = time.perf_counter() - started

    started = time.perf_counter()
    target = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = target.create_sheet(name)
        for row in rows:
            sheet.append(row)
    target.save(out.with_name("floor.xlsx"))
    write = time.perf_counter() - started
    return {"read": read, "write": write, "total": read + write, "peak_mb": peak_mb()}


def main(argv: list[str]) -> int:
    mode, spec = argv[0], json.loads(argv[1])
    result = run(spec) if mode == "run" else floor(spec)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
