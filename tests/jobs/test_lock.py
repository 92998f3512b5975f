"""One lock per job: a second run while one is live is refused at once; a killed holder's lock is released.

DESIGN.md "Jobs": "retention sweeps, preservation expiry, deadline reminders, NDO expiry notices — each an
idempotent function run by `custodian jobs run NAME` from cron, holding a job lock."
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from custodian.jobs.lock import JobAlreadyRunning, job_lock

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from custodian.db.engine import make_engine
    from custodian.jobs.lock import job_lock
    with job_lock(make_engine(sys.argv[1]), "retention", Path(sys.argv[2])):
        print("locked", flush=True)
        time.sleep(120)
""")


def _holder(database_url: str, data_dir: Path) -> subprocess.Popen[str]:
    """Another process that takes the retention lock and keeps it until killed."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, database_url, str(data_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "locked", process.stderr
    return process


def _taken_within(engine: Engine, data_dir: Path, seconds: float) -> bool:
    """True once the lock can be taken; the server may need a moment to see a killed client's socket close."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with job_lock(engine, "retention", data_dir):
                return True
        except JobAlreadyRunning:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)


def test_a_second_run_while_one_is_live_is_refused(engine: Engine, tmp_path: Path) -> None:
    first = job_lock(engine, "retention", tmp_path)
    first.__enter__()
    try:
        with pytest.raises(JobAlreadyRunning, match="already running"), job_lock(engine, "retention", tmp_path):
            pass  # pragma: no cover - never entered
    finally:
        first.__exit__(None, None, None)
    with job_lock(engine, "retention", tmp_path):
        pass  # released when the first run ended


def test_different_jobs_do_not_block_each_other(engine: Engine, tmp_path: Path) -> None:
    with job_lock(engine, "retention", tmp_path), job_lock(engine, "blob-sweep", tmp_path):
        pass


def test_a_lock_held_by_another_process_is_released_when_that_process_is_killed(
        engine: Engine, database_url: str, tmp_path: Path) -> None:
    holder = _holder(database_url, tmp_path)
    try:
        with pytest.raises(JobAlreadyRunning), job_lock(engine, "retention", tmp_path):
            pass  # pragma: no cover - never entered
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert _taken_within(engine, tmp_path, seconds=10)


def test_a_job_name_cannot_escape_the_lock_directory(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="job name"), job_lock(engine, "../retention", tmp_path):
        pass  # pragma: no cover - never entered
