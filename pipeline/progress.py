"""Progress on stderr: one line per stage with its time; silent under --quiet."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Report pipeline stages as they run."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str, detail: str = "") -> Iterator[None]:
        """Time a stage and print it: '  reading inputs … 1.2 s'."""
        started = time.perf_counter()
        if not self.quiet:
            print(
                f"  {name}{' (' + detail + ')' if detail else ''} …",
                end="",
                file=self.stream,
                flush=True,
            )
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if not self.quiet:
                print(f" {elapsed:.1f} s", file=self.stream, flush=True)
