"""Long commands show progress: bars in a terminal; otherwise a log line at least every 10% of the work or
every 10 s (issue 14: "when output is not a terminal, a log line at least every 10% or 10 s")."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from custodian.cli.progress import Cadence, PhaseProgress, percent, track


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _log() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=False, width=200), buffer


def test_a_line_is_due_after_a_tenth_of_the_work_or_ten_seconds_whichever_comes_first() -> None:
    cadence = Cadence()
    assert not cadence.due(done=99, total=1000, last_done=0, last_at=0.0, now=9.9)
    assert cadence.due(done=100, total=1000, last_done=0, last_at=0.0, now=1.0)
    assert cadence.due(done=1, total=1000, last_done=0, last_at=0.0, now=10.0)
    assert not cadence.due(done=0, total=1000, last_done=0, last_at=0.0, now=60.0)  # nothing moved


def test_percent_never_passes_a_hundred_and_an_empty_phase_is_complete() -> None:
    assert percent(150, 100) == 100
    assert percent(0, 0) == 100
    assert percent(33, 100) == 33


def test_off_a_terminal_each_tenth_of_the_work_writes_one_line_and_the_end_says_done() -> None:
    console, buffer = _log()
    clock = Clock()
    with PhaseProgress(console, label=lambda phase: f"importing {phase}", clock=clock) as progress:
        progress.begin("calls", 1000)
        for _ in range(100):
            clock.now += 0.05
            progress.advance("calls", 10)
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "importing calls: 10% after 0 s"
    assert [line.split(": ")[1].split("%")[0] for line in lines[:-1]] == [str(p) for p in range(10, 101, 10)]
    assert lines[-1] == "importing calls: done in 5 s"
    assert progress.seconds == {"calls": pytest.approx(5.0)}


def test_slow_work_still_writes_a_line_every_ten_seconds() -> None:
    console, buffer = _log()
    clock = Clock()
    with PhaseProgress(console, clock=clock) as progress:
        progress.begin("retention", 1_000_000)
        for _ in range(3):
            clock.now += 10
            progress.advance("retention", 1)
    assert buffer.getvalue().splitlines()[:3] == ["retention: 0% after 10 s", "retention: 0% after 20 s",
                                                 "retention: 0% after 30 s"]


def test_quiet_progress_writes_nothing_for_json_output() -> None:
    console, buffer = _log()
    with track(console, "importing accounts", 10, quiet=True) as advance:
        advance(10)
    assert buffer.getvalue() == ""


def test_each_phase_is_timed_and_announced_when_the_next_begins() -> None:
    console, buffer = _log()
    clock = Clock()
    with PhaseProgress(console, clock=clock) as progress:
        progress.begin("generating", 1)
        clock.now = 3
        progress.begin("accounts", 1)
        clock.now = 4
    assert progress.seconds == {"generating": 3, "accounts": 1}
    assert buffer.getvalue().splitlines() == ["generating: done in 3 s", "accounts: done in 1 s"]


def test_a_phase_with_nothing_to_do_says_nothing() -> None:
    console, buffer = _log()
    with PhaseProgress(console) as progress:
        progress.begin("record lines", 0)
    assert buffer.getvalue() == ""
