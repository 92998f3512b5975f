"""Whether an import run still lives: a run killed with SIGKILL never records its outcome, so its row
says `running` forever unless the owner's liveness is judged from what the run left behind.

A run records the process that owns it (host, process id, process start time, so a reused process id
is not mistaken for it) and a heartbeat at every committed batch. On the owner's host the process
table decides; elsewhere a heartbeat older than STALE_AFTER does. An interrupted run is resumable:
running the same import again skips what it stored (docs/formats.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

RUNNING = "running"
INTERRUPTED = "interrupted"
STALE_AFTER = timedelta(minutes=15)  # far longer than one batch takes to commit


@dataclass(frozen=True)
class RunOwner:
    """The process that runs an import: host name, process id and the process's start time."""

    host: str
    pid: int
    started: str


def shown_status(status: str, owner: RunOwner | None, last_sign: datetime, *, now: datetime, here: str,
                 alive: Callable[[RunOwner], bool]) -> str:
    """The status to show: `interrupted` for a `running` run whose owner is gone, else the recorded one.

    `last_sign` is the run's newest heartbeat (its start before the first batch); `here` is this host's
    name and `alive` asks this host's process table.
    """
    if status != RUNNING:
        return status
    if owner is not None and owner.host == here:
        return RUNNING if alive(owner) else INTERRUPTED
    return INTERRUPTED if now - last_sign > STALE_AFTER else RUNNING
