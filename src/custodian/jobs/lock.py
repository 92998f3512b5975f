"""One lock per job, so cron never runs a job twice at once (DESIGN.md "Jobs": "each an idempotent function
run by `custodian jobs run NAME` from cron, holding a job lock").

PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a connection held for the whole run.
SQLite: an exclusive `flock` on `jobs/NAME.lock` in the data directory. Either way the operating system or
the server releases the lock when its holder dies, even by SIGKILL, so a crashed run never blocks the
next one; a second run while one is live fails at once with JobAlreadyRunning (exit code 75,
EX_TEMPFAIL: cron may simply try again later) and never touches the live run's state.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

EX_TEMPFAIL = 75  # sysexits.h: a temporary failure; the caller may retry
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class JobAlreadyRunning(RuntimeError):
    """Another process holds the job's lock: the job is running now."""

    def __init__(self, name: str) -> None:
        super().__init__(f"job {name!r} is already running; try again when it has finished")
        self.name = name


@contextmanager
def job_lock(engine: Engine, name: str, data_dir: Path) -> Iterator[None]:
    """Hold job NAME's lock for the block, or raise JobAlreadyRunning at once."""
    if not _NAME.match(name):
        raise ValueError(f"job name {name!r}: lower-case letters, digits and '-' only")
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name):
            yield
    else:
        with _file_lock(data_dir / "jobs" / f"{name}.lock", name):
            yield


def lock_key(name: str) -> int:
    """The advisory-lock key of a job: 64 bits of a hash of its name (the same in every process)."""
    digest = hashlib.sha256(f"custodian.job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _advisory_lock(engine: Engine, name: str) -> Iterator[None]:
    key = lock_key(name)
    with engine.connect() as conn:
        taken = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        conn.commit()  # a session lock outlives the transaction; no transaction stays open for the run
        if not taken:
            raise JobAlreadyRunning(name)
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()


@contextmanager
def _file_lock(path: Path, name: str) -> Iterator[None]:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobAlreadyRunning(name) from None
        yield  # closing the descriptor (or the process dying) releases the lock
    finally:
        os.close(descriptor)
