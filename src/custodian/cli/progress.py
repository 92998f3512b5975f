"""Progress of a long command: bars in a terminal; otherwise (cron, CI, `make demo > log`) a log line on
stderr at least every tenth of the work or every ten seconds, and one when each phase is done."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


@dataclass(frozen=True)
class Cadence:
    """When a log line is due: the work has moved on by `step` (a fraction) or `interval` seconds passed."""

    step: float = 0.10
    interval: float = 10.0

    def due(self, done: int, total: int, last_done: int, last_at: float, now: float) -> bool:
        """Whether to write a line now, given what was done at the last line (and when)."""
        if done <= last_done:
            return False
        return now - last_at >= self.interval or (total > 0 and done - last_done >= self.step * total)


def percent(done: int, total: int) -> int:
    """Whole percent done, never above 100."""
    return 100 if total <= 0 else min(100, done * 100 // total)


class PhaseProgress:
    """Progress through named phases (each `begin(phase, total)`, `advance(phase, n)`); remembers how long
    each phase took in `seconds`. Use as a context manager."""

    def __init__(self, console: Console, *, label: Callable[[str], str] = str, transient: bool = False,
                 quiet: bool = False, clock: Callable[[], float] = time.monotonic,
                 cadence: Cadence = Cadence()) -> None:
        self.console, self.label, self.clock, self.cadence = console, label, clock, cadence
        self.quiet = quiet
        self.seconds: dict[str, float] = {}
        self._bars: Progress | None = None if quiet or not console.is_terminal else _bars(console, transient)
        self._tasks: dict[str, TaskID] = {}
        self._phase: str | None = None
        self._total = self._done = self._logged_done = 0
        self._started = self._logged_at = 0.0

    def __enter__(self) -> PhaseProgress:
        if self._bars is not None:
            self._bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, _exc: BaseException | None,
                 _tb: TracebackType | None) -> None:
        if kind is None:
            self.finish()
        if self._bars is not None:
            self._bars.stop()

    def begin(self, phase: str, total: int) -> None:
        """Close the running phase and start `phase`, of `total` units (rows or bytes)."""
        self.finish()
        self._phase, self._total, self._done, self._logged_done = phase, max(total, 0), 0, 0
        self._started = self._logged_at = self.clock()
        if self._bars is not None:
            self._tasks[phase] = self._bars.add_task(self.label(phase), total=max(total, 1))

    def advance(self, phase: str, amount: int) -> None:
        """Move `phase` on by `amount` units."""
        self._done += amount
        if self._bars is not None:
            self._bars.advance(self._tasks[phase], amount)
            return
        now = self.clock()
        if not self.quiet and self.cadence.due(self._done, self._total, self._logged_done, self._logged_at, now):
            self._line(f"{percent(self._done, self._total)}% after {now - self._started:.0f} s")
            self._logged_done, self._logged_at = self._done, now

    def finish(self) -> None:
        """Mark the running phase complete and record how long it took."""
        if self._phase is None:
            return
        elapsed = self.clock() - self._started
        self.seconds[self._phase] = elapsed
        if self._bars is not None:
            task = self._tasks[self._phase]
            self._bars.update(task, completed=self._bars.tasks[task].total)
        elif not self.quiet and self._total > 0:  # an empty phase (nothing to fill) says nothing
            self._line(f"done in {elapsed:.0f} s")
        self._phase = None

    def _line(self, text: str) -> None:
        assert self._phase is not None
        self.console.print(f"{self.label(self._phase)}: {text}", highlight=False, markup=False)


@contextmanager
def track(console: Console, label: str, total: int, *, quiet: bool = False) -> Iterator[Callable[[int], None]]:
    """One phase of `total` units; yields `advance(n)`."""
    with PhaseProgress(console, label=lambda _phase: label, transient=True, quiet=quiet) as progress:
        progress.begin(label, total)
        yield lambda amount: progress.advance(label, amount)


def _bars(console: Console, transient: bool) -> Progress:
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(TextColumn("{task.description:<22}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                    TimeRemainingColumn(), console=console, transient=transient)
