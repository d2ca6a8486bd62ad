"""The whole pipeline at scale, next to the I/O floor measured in the same run.

    python -m bench pipeline                  # 100k and 200k-xlsx, 3 runs each (a few minutes)
    python -m bench pipeline --long           # also 1m: 30,000 connections + 1,000,000 alumni
    python -m bench pipeline --sizes 1m --repeat-long 3

For each size, fictional inputs are generated once (devtools.fakepeople, cached under
bench/out/). Then, `--repeat` times, the pipeline runs in a fresh process (seconds per stage,
total, peak memory) and right after it the floor: reading the same files with pandas and writing
the same cells with openpyxl's write-only mode (bench/pipeline_child.py says exactly what it
writes). Medians are reported, in wall seconds and in CPU seconds (steadier on a shared
machine), with the load average before and after, and the targets of issue #8:

- 30,000 connections + 200,000 alumni (.xlsx): total at most 1.5 x the floor of the same run;
- 30,000 connections + 1,000,000 alumni (CSV): under 120 s and under 4 GB peak memory;
- growth: the 1m run takes at most 11 x the 100k run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
SEED = 20261126
RATIO_TARGET = 1.5
LONG_SECONDS = 120.0
LONG_MEMORY_MB = 4096.0
GROWTH_TARGET = 11.0


@dataclass(frozen=True)
class Size:
    """One benchmark input: LinkedIn connections plus alumni rows as CSV or .xlsx."""

    name: str
    connections: int
    alumni_csv: int
    alumni_xlsx: int

    @property
    def long(self) -> bool:
        return self.alumni_csv + self.alumni_xlsx >= 1_000_000


SIZES = {
    "100k": Size("100k", 30_000, 100_000, 0),
    "200k-xlsx": Size("200k-xlsx", 30_000, 0, 200_000),
    "1m": Size("1m", 30_000, 1_000_000, 0),
}
DEFAULT_SIZES = "100k,200k-xlsx"


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


def _child(args: list[str]) -> dict[str, Any]:
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


def _median(values: list[Any]) -> float:
    return float(statistics.median(float(v) for v in values))


def measure(size: Size, repeat: int) -> dict[str, Any]:
    """Run the pipeline and the floor `repeat` times each, alternating; return the medians."""
    inputs = dataset(size)
    profile = Path(__file__).resolve().parents[1] / "sample_data" / "profile.toml"
    workdir = OUT / f"run-{size.name}"
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / "bench.xlsx"
    spec = json.dumps({**inputs, "profile": str(profile), "out": str(out)})
    load_before = os.getloadavg()
    runs, floors = [], []
    for attempt in range(1, repeat + 1):
        for stale in workdir.glob("*"):
            stale.unlink()
        runs.append(_child(["run", spec]))
        floors.append(_child(["floor", spec]))
        print(
            f"  {size.name} run {attempt}/{repeat}: pipeline {runs[-1]['total']:.1f} s "
            f"(CPU {runs[-1]['total_cpu']:.1f} s), floor {floors[-1]['total']:.1f} s "
            f"(load {os.getloadavg()[0]:.2f})",
            file=sys.stderr,
            flush=True,
        )
    stages = {
        name: (
            _median([r["stages"][name] for r in runs]),
            _median([r["stages_cpu"][name] for r in runs]),
            max(r["stages_peak_mb"][name] for r in runs),
        )
        for name in runs[0]["stages"]
    }
    total, floor = _median([r["total"] for r in runs]), _median([f["total"] for f in floors])
    total_cpu = _median([r["total_cpu"] for r in runs])
    floor_cpu = _median([f["total_cpu"] for f in floors])
    return {
        "size": size.name,
        "long": size.long,
        "connections": size.connections,
        "alumni": size.alumni_csv + size.alumni_xlsx,
        "rows": size.connections + size.alumni_csv + size.alumni_xlsx,
        "repeat": repeat,
        "stages": stages,
        "total": total,
        "total_cpu": total_cpu,
        "peak_mb": max(float(r["peak_mb"]) for r in runs),
        "floor": floor,
        "floor_cpu": floor_cpu,
        "floor_read": _median([f["read"] for f in floors]),
        "floor_write": _median([f["write"] for f in floors]),
        "floor_cells": floors[0]["cells"],
        "floor_csv_rows": floors[0]["csv_rows"],
        # The ratio of each run to its own floor, then the median: both saw the same load.
        "ratio": _median([r["total"] / f["total"] for r, f in zip(runs, floors, strict=True)]),
        "ratio_cpu": total_cpu / floor_cpu if floor_cpu else float("nan"),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "runs": runs,
        "floors": floors,
    }


def machine() -> str:
    """'2 cores (AMD EPYC), 23.5 GB RAM, Linux 6.1, Python 3.11.7'."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.1f} GB RAM"
    except (ValueError, OSError, AttributeError):
        memory = ""
    return (
        f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def report(result: dict[str, Any]) -> None:
    """Print one size's stage table, total, peak memory, floor and ratio."""
    print(
        f"\n== {result['size']}: {result['connections']:,} connections + {result['alumni']:,} "
        f"alumni rows (median of {result['repeat']}; load "
        f"{result['load_before'][0]:.2f} before, {result['load_after'][0]:.2f} after) =="
    )
    print(f"  {'stage':<34} {'wall s':>8} {'CPU s':>8}   peak memory by its end")
    for name, (wall, cpu, peak) in result["stages"].items():
        print(f"  {name:<34} {wall:8.1f} {cpu:8.1f}   {peak:8,.0f} MB")
    print(f"  {'total':<34} {result['total']:8.1f} {result['total_cpu']:8.1f}   "
          f"peak memory {result['peak_mb']:,.0f} MB")  # fmt: skip
    print(f"  {'I/O floor (read + write)':<34} {result['floor']:8.1f} {result['floor_cpu']:8.1f}   "
          f"(read {result['floor_read']:.1f} s, write {result['floor_write']:.1f} s: "
          f"{result['floor_cells']:,} cells"
          + (f" + {result['floor_csv_rows']:,} CSV rows" if result["floor_csv_rows"] else "")
          + ")")  # fmt: skip
    print(f"  {'total / floor':<34} {result['ratio']:8.2f} {result['ratio_cpu']:8.2f}")


def check_targets(results: list[dict[str, Any]]) -> list[str]:
    """Say, for each target of issue #8 the results can answer, whether it is met."""
    by_name = {r["size"]: r for r in results}
    lines = []

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    if "200k-xlsx" in by_name:
        r = by_name["200k-xlsx"]
        lines.append(
            f"200k-xlsx total / floor {r['ratio']:.2f} (CPU {r['ratio_cpu']:.2f}), target "
            f"<= {RATIO_TARGET}: {verdict(r['ratio'] <= RATIO_TARGET)}"
        )
    if "1m" in by_name:
        r = by_name["1m"]
        ok = r["total"] < LONG_SECONDS and r["peak_mb"] < LONG_MEMORY_MB
        lines.append(
            f"1m total {r['total']:.1f} s (target < {LONG_SECONDS:.0f} s), peak "
            f"{r['peak_mb']:,.0f} MB (target < {LONG_MEMORY_MB:,.0f} MB): {verdict(ok)}"
        )
    if "100k" in by_name and "1m" in by_name:
        growth = by_name["1m"]["total"] / by_name["100k"]["total"]
        growth_cpu = by_name["1m"]["total_cpu"] / by_name["100k"]["total_cpu"]
        lines.append(
            f"growth 1m / 100k {growth:.1f}x (CPU {growth_cpu:.1f}x), target <= "
            f"{GROWTH_TARGET:.0f}x: {verdict(growth <= GROWTH_TARGET)}"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pipeline")
    parser.add_argument(
        "--sizes",
        default=None,
        help=f"comma-separated, from {', '.join(SIZES)} or 'all' (default {DEFAULT_SIZES})",
    )
    parser.add_argument("--long", action="store_true", help="add the 1m size (a few minutes)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument(
        "--repeat-long", type=int, default=1, help="runs of a 1,000,000-row size (default 1)"
    )
    options = parser.parse_args(argv)
    names = (options.sizes or DEFAULT_SIZES).split(",")
    if options.sizes == "all":
        names = list(SIZES)
    elif options.long and "1m" not in names:
        names.append("1m")
    unknown = [n for n in names if n.strip() not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; known: {', '.join(SIZES)}")
    print(f"machine: {machine()}")
    results = []
    for name in names:
        size = SIZES[name.strip()]
        result = measure(size, options.repeat_long if size.long else options.repeat)
        report(result)
        results.append(result)
    verdicts = check_targets(results)
    if verdicts:
        print("\ntargets (issue #8):")
        for line in verdicts:
            print(f"  {line}")
    OUT.mkdir(exist_ok=True)
    stamp = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine()}
    (OUT / "pipeline.json").write_text(json.dumps({**stamp, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
