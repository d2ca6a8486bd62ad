"""`python -m bench [NAME ...]`: run the benchmarks by name (all when none is given)."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    # name: module under bench/ with a main(argv) -> int
    "titles": "titles",
    "speed": "score_speed",
}


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")] or list(BENCHMARKS)
    if not BENCHMARKS:
        print("no benchmarks yet")
        return 0
    status = 0
    for name in names:
        if name not in BENCHMARKS:
            print(f"unknown benchmark '{name}'; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
            return 2
        module = importlib.import_module(f"bench.{BENCHMARKS[name]}")
        status |= module.main([a for a in argv if a.startswith("-")])
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
