"""Progress on stderr: a line per stage with its time, a bar with counts for long ones.

On a terminal a long stage shows a bar that updates in place
('  cleaning values [=======>      ] 412,000/1,030,000 rows  3.1 s'); when stderr is a file or a
pipe it prints an occasional plain line instead. Silent under --quiet. The pipeline's stages get
a `StageProgress` and call `advance` as they go; they never print.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

BAR_WIDTH = 24
# A terminal bar is redrawn at most this often; a log gets a line at most this often.
TTY_INTERVAL = 0.1
LOG_INTERVAL = 10.0


class StageProgress:
    """The running count of one stage: `advance(n)` as work is done; `total` may come late."""

    def __init__(
        self, owner: Progress, name: str, detail: str, total: int | None, unit: str
    ) -> None:
        self.owner = owner
        self.name = name
        self.detail = detail
        self.total = total
        self.unit = unit
        self.done = 0
        self.started = time.perf_counter()
        self._shown = self.started
        self._lines = 0

    def advance(self, count: int = 1) -> None:
        """Count `count` more units done and redraw when it is time."""
        self.done += count
        now = time.perf_counter()
        if self.owner.quiet or now - self._shown < self.owner.interval:
            return
        self._shown = now
        self.owner._show(self, now)

    def counts(self) -> str:
        """'412,000/1,030,000 rows', or '412,000 rows' while the total is unknown."""
        if self.total:
            return f"{min(self.done, self.total):,}/{self.total:,} {self.unit}"
        return f"{self.done:,} {self.unit}"


class Progress:
    """Report pipeline stages as they run."""

    def __init__(
        self,
        quiet: bool = False,
        stream: TextIO | None = None,
        tty: bool | None = None,
        interval: float | None = None,
    ) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty and isatty())
        self.tty = tty
        # Seconds between two redraws of a bar (terminal) or two count lines (log).
        self.interval = interval if interval is not None else TTY_INTERVAL if tty else LOG_INTERVAL
        self.timings: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def stage(
        self, name: str, detail: str = "", total: int | None = None, unit: str = "rows"
    ) -> Iterator[StageProgress]:
        """Time a stage and print it: '  reading inputs … 1.2 s'; yields its counter."""
        bar = StageProgress(self, name, detail, total, unit)
        if not self.quiet and not self.tty:
            print(f"  {self._label(bar)} …", end="", file=self.stream, flush=True)
        elif not self.quiet:
            self._show(bar, bar.started)
        try:
            yield bar
        finally:
            elapsed = time.perf_counter() - bar.started
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if not self.quiet:
                self._finish(bar, elapsed)

    @staticmethod
    def _label(bar: StageProgress) -> str:
        return f"{bar.name}{' (' + bar.detail + ')' if bar.detail else ''}"

    def _show(self, bar: StageProgress, now: float) -> None:
        elapsed = now - bar.started
        if self.tty:
            meter = ""
            if bar.total:
                filled = int(BAR_WIDTH * min(bar.done, bar.total) / bar.total)
                arrow = ">" if filled < BAR_WIDTH else ""
                meter = f"[{'=' * filled}{arrow}{' ' * (BAR_WIDTH - filled - len(arrow))}] "
            counts = f"{bar.counts()}  " if bar.done or bar.total else ""
            line = f"  {self._label(bar)} {meter}{counts}{elapsed:.0f} s"
            print(f"\r{line}\x1b[K", end="", file=self.stream, flush=True)
            return
        if not bar.done:
            return
        share = f" ({bar.done / bar.total:.0%})" if bar.total else ""
        print(
            f"\n    {bar.counts()}{share}, {elapsed:.0f} s",
            end="",
            file=self.stream,
            flush=True,
        )
        bar._lines += 1

    def _finish(self, bar: StageProgress, elapsed: float) -> None:
        counts = f"{bar.counts()}, " if bar.done else ""
        if self.tty:
            line = f"  {self._label(bar)} … {counts}{elapsed:.1f} s"
            print(f"\r{line}\x1b[K", file=self.stream, flush=True)
        elif bar._lines:
            print(f"\n  {bar.name}: {counts}{elapsed:.1f} s", file=self.stream, flush=True)
        else:
            print(f" {counts}{elapsed:.1f} s", file=self.stream, flush=True)
