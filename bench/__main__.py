"""`python -m bench [NAME ...] [OPTIONS]`: run benchmarks by name.

With no name, the pipeline benchmark runs in its default (a few minutes) mode: 100k alumni CSV
rows and a 200k-row alumni .xlsx, each beside 30,000 connections, three runs each, next to the
I/O floor. `python -m bench pipeline --long` adds 1,000,000 alumni rows; `python -m bench all`
runs every benchmark. Options after the names go to every benchmark named, e.g.
`python -m bench pipeline --sizes 100k --repeat 3`.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    # name: module under bench/ with a main(argv) -> int
    "pipeline": "pipeline",
    "drafts": "drafts_fit",
    "workbook": "workbook",
    "titles": "titles",
    "score-speed": "score_speed",
    "dedupe": "dedupe",
}
DEFAULT = ["pipeline"]


def main(argv: list[str]) -> int:
    names: list[str] = []
    while argv and (argv[0] in BENCHMARKS or argv[0] == "all"):
        name = argv.pop(0)
        names.extend(BENCHMARKS if name == "all" else [name])
    if argv and not argv[0].startswith("-"):
        print(
            f"unknown benchmark '{argv[0]}'; known: {', '.join(BENCHMARKS)}, all", file=sys.stderr
        )
        return 2
    status = 0
    for name in names or DEFAULT:
        print(f"\n### {name}", flush=True)
        module = importlib.import_module(f"bench.{BENCHMARKS[name]}")
        status |= module.main(list(argv))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
