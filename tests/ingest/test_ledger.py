"""The import ledger: an import killed with SIGKILL is shown as interrupted, and running it again resumes it."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.ingest import ledger
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.ingest.tables import import_run
from custodian.kernel.clock import utcnow
from tests.builders.files import ACCOUNTS_HEADER, account_line, write_lines

IMPORTER = """
import sys
from pathlib import Path
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import make_engine
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
url, key, path, blobs = sys.argv[1:]
run_import(make_engine(url), Keyring(bytes.fromhex(key)), LocalBlobStore(Path(blobs)), lookup("accounts"),
           Path(path), actor="test", batch_size=2, workers=False)
"""
LINES = [ACCOUNTS_HEADER, *(account_line(f"ACC-{i}") for i in range(1, 6))]


def _open_for_writing(fifo: Path, importer: subprocess.Popen[bytes]) -> int:
    """The FIFO's writing end, once the importer has opened it for reading."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and importer.poll() is None:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno != errno.ENXIO:
                raise
            time.sleep(0.05)
    raise AssertionError(f"the importer never opened its file (exit {importer.poll()})")


def _wait_for_a_committed_batch(engine: Engine) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(select(import_run.c.imported)).scalar() == 2:
                return
        time.sleep(0.05)
    raise AssertionError("the importer committed no batch")


def test_an_import_killed_with_sigkill_is_shown_interrupted_and_running_it_again_resumes_it(
        engine: Engine, database_url: str, master_key: bytes, keyring: Keyring, blobs: LocalBlobStore,
        tmp_path: Path) -> None:
    """Issue: a killed import shows as interrupted (and resumable) instead of `running` forever."""
    fifo = tmp_path / "accounts.csv"
    os.mkfifo(fifo)
    importer = subprocess.Popen([sys.executable, "-c", IMPORTER, database_url, master_key.hex(), str(fifo),
                                 str(blobs.root)])
    try:
        writer = _open_for_writing(fifo, importer)
        os.write(writer, ("\n".join(LINES[:4]) + "\n").encode())  # a batch of two commits; the third row waits
        _wait_for_a_committed_batch(engine)
        with engine.connect() as conn:
            assert [run.status for run in ledger.runs(conn, utcnow())] == ["running"]
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait(30)
    os.close(writer)
    with engine.connect() as conn:
        [killed] = ledger.runs(conn, utcnow())
        assert conn.execute(select(import_run.c.status)).scalar_one() == "running"  # what the dead run left
    assert (killed.status, killed.imported) == ("interrupted", 2)

    summary = run_import(engine, keyring, blobs, lookup("accounts"), write_lines(tmp_path / "again.csv", LINES),
                         actor="test")
    assert (summary.imported, summary.duplicates) == (3, 2)
    with engine.connect() as conn:
        assert [(run.status, run.imported) for run in ledger.runs(conn, utcnow())] == [("completed", 3),
                                                                                       ("interrupted", 2)]
