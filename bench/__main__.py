"""`python -m bench [NAME ...] [OPTIONS]`: run benchmarks by name (all when none is given).

Options after the names go to every benchmark named, e.g.
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


def main(argv: list[str]) -> int:
    names: list[str] = []
    while argv and argv[0] in BENCHMARKS:
        names.append(argv.pop(0))
    if argv and not argv[0].startswith("-"):
        print(f"unknown benchmark '{argv[0]}'; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    status = 0
    for name in names or list(BENCHMARKS):
        print(f"\n### {name}", flush=True)
        module = importlib.import_module(f"bench.{BENCHMARKS[name]}")
        status |= module.main(list(argv) if names else [])
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
