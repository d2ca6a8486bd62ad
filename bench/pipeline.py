"""The whole pipeline at scale, next to the I/O floor measured in the same run.

`python -m bench pipeline [--sizes 100k,200k-xlsx,1m] [--repeat 3]`

For each size: fictional inputs are generated once (cached under bench/out/), then the
pipeline runs in a fresh process `--repeat` times (seconds per stage, total, peak memory), and
so does the floor: reading the same inputs with pandas and writing a workbook with the same
sheets, rows and columns with openpyxl's write-only mode. Medians are reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
SEED = 20261126


@dataclass(frozen=True)
class Size:
    """One benchmark input: LinkedIn connections plus alumni rows as CSV or .xlsx."""

    name: str
    connections: int
    alumni_csv: int
    alumni_xlsx: int


SIZES = {
    "100k": Size("100k", 30_000, 100_000, 0),
    "200k-xlsx": Size("200k-xlsx", 30_000, 0, 200_000),
    "1m": Size("1m", 30_000, 1_000_000, 0),
}


def dataset(size: Size) -> dict[str, list[str]]:
    """Generate (once) the inputs of a size; return the CLI arguments that name them."""
    from devtools.fakepeople import make_dataset

    folder = OUT / f"data-{size.name}-{SEED}"
    done = folder / "DONE"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        print(f"generating {size.name} inputs in {folder} …", file=sys.stderr, flush=True)
        make_dataset(
            folder,
            n_connections=size.connections,
            n_alumni_csv=size.alumni_csv,
            n_alumni_xlsx=size.alumni_xlsx,
            overlap=0.25,
            seed=SEED,
        )
        done.write_text(f"{time.perf_counter() - started:.1f} s\n")
    alumni = []
    if size.alumni_csv:
        alumni.append(str(folder / "alumni_career_office.csv"))
    if size.alumni_xlsx:
        alumni.append(str(folder / "alumni_directory.xlsx"))
    return {"connections": [str(folder / "linkedin_export")], "alumni": alumni}


def _child(args: list[str]) -> dict[str, object]:
    """Run one measurement in a fresh interpreter and return what it printed as JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.pipeline_child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"measurement failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(size: Size, repeat: int) -> dict[str, object]:
    inputs = dataset(size)
    profile = Path(__file__).resolve().parents[1] / "sample_data" / "profile.toml"
    workdir = OUT / f"run-{size.name}"
    workdir.mkdir(parents=True, exist_ok=True)
    spec = json.dumps({**inputs, "profile": str(profile), "out": str(workdir / "bench.xlsx")})
    runs, floors = [], []
    for _ in range(repeat):
        (workdir / "bench.xlsx").unlink(missing_ok=True)
        (workdir / "bench.backup.xlsx").unlink(missing_ok=True)
        runs.append(_child(["run", spec]))
        floors.append(_child(["floor", spec]))
    stages: dict[str, float] = {}
    for name in runs[0]["stages"]:  # type: ignore[attr-defined]
        stages[name] = statistics.median(r["stages"][name] for r in runs)  # type: ignore[index]
    total = statistics.median(float(r["total"]) for r in runs)  # type: ignore[arg-type]
    floor = statistics.median(float(f["total"]) for f in floors)  # type: ignore[arg-type]
    return {
        "size": size.name,
        "rows": size.connections + size.alumni_csv + size.alumni_xlsx,
        "stages": stages,
        "total": total,
        "peak_mb": max(float(r["peak_mb"]) for r in runs),  # type: ignore[arg-type]
        "floor": floor,
        "floor_read": statistics.median(float(f["read"]) for f in floors),  # type: ignore[arg-type]
        "floor_write": statistics.median(float(f["write"]) for f in floors),  # type: ignore[arg-type]
        "ratio": total / floor if floor else float("nan"),
        "repeat": repeat,
    }


def report(result: dict[str, object]) -> None:
    print(f"\n== {result['size']}: {result['rows']:,} input rows "
          f"(median of {result['repeat']}) ==")  # fmt: skip
    for name, seconds in result["stages"].items():  # type: ignore[attr-defined]
        print(f"  {name:<34} {seconds:7.1f} s")
    print(f"  {'total':<34} {result['total']:7.1f} s   peak memory {result['peak_mb']:,.0f} MB")
    print(f"  {'I/O floor (read + write)':<34} {result['floor']:7.1f} s   "
          f"(read {result['floor_read']:.1f} s, write {result['floor_write']:.1f} s)")  # fmt: skip
    print(f"  {'total / floor':<34} {result['ratio']:7.2f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pipeline")
    parser.add_argument("--sizes", default="100k,200k-xlsx,1m")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    results = []
    for name in options.sizes.split(","):
        size = SIZES[name.strip()]
        repeat = 1 if size.alumni_csv >= 1_000_000 else options.repeat
        result = measure(size, repeat)
        report(result)
        results.append(result)
    by_name = {r["size"]: r for r in results}
    if "100k" in by_name and "1m" in by_name:
        growth = float(by_name["1m"]["total"]) / float(by_name["100k"]["total"])  # type: ignore[arg-type]
        print(f"\ngrowth 1m / 100k: {growth:.1f}x (target <= 11)")
    OUT.mkdir(exist_ok=True)
    (OUT / "pipeline.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
