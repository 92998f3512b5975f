"""A run killed with SIGKILL mid-way and restarted deletes exactly its plan, leaving no orphan row or blob."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.crypto.master import ensure_master_key_file, load_master_key
from custodian.db import schema
from custodian.db.engine import make_engine, transaction
from custodian.records.tables import account, content_item
from custodian.retention.tables import retention_tally
from tests.builders.records import an_account
from tests.builders.retention import SPECTRUMVOIP, add_content

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
CUSTODIAN = str(Path(sys.executable).parent / "custodian")


def _build(data_dir: Path) -> set[bytes]:
    """1,200 expired recordings with payloads, a closed account to purge; return the keys that must stay."""
    data_dir.mkdir()
    ensure_master_key_file(data_dir / "master.key")
    keyring = Keyring(load_master_key(None, data_dir / "master.key"))
    blobs = LocalBlobStore(data_dir / "blobs")
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    schema.upgrade(engine)
    kept: set[bytes] = set()
    live, closed = an_account(engine, keyring, ref="LIVE"), an_account(engine, keyring, ref="CLOSED")
    with transaction(engine) as conn:
        for i in range(1200):
            add_content(conn, live, "content.call_recording", NOW - timedelta(days=91, minutes=i), keyring=keyring,
                        blobs=blobs, body=b"expired")
        for i in range(50):
            kept.add(add_content(conn, live, "content.call_recording", NOW - timedelta(days=1, minutes=i),
                                 keyring=keyring, blobs=blobs, body=b"young"))
            add_content(conn, closed, "content.voice_message", NOW - timedelta(days=5, minutes=i), keyring=keyring,
                        blobs=blobs, body=b"closed")
        conn.execute(update(account).where(account.c.id == closed).values(status="closed", closed_on=date(2026, 4, 1)))
    engine.dispose()
    return kept


def _run(data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CUSTODIAN_DATA_DIR": str(data_dir)}
    for name in ("CUSTODIAN_DATABASE_URL", "CUSTODIAN_MASTER_KEY", "CUSTODIAN_BLOB_DIR"):
        env.pop(name, None)
    return subprocess.Popen([CUSTODIAN, "retention", "run", "--now", NOW.isoformat(), "--policy", str(SPECTRUMVOIP),
                             "--batch", "1"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _deleted_so_far(data_dir: Path) -> int:
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.sum(retention_tally.c.deleted), 0))).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.parametrize("kill_after", [1, 60, 700])
def test_a_run_killed_at_any_point_and_restarted_deletes_exactly_the_plan(tmp_path: Path, kill_after: int) -> None:
    data_dir = tmp_path / "data"
    kept = _build(data_dir)
    process = _run(data_dir)
    deadline = time.monotonic() + 120
    while _deleted_so_far(data_dir) < kill_after and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the run finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    restarted = _run(data_dir)
    output, errors = restarted.communicate(timeout=300)
    assert restarted.returncode == 0, errors.decode()
    assert b"resumed an interrupted run" in output
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    with engine.connect() as conn:
        rows = conn.execute(select(content_item.c.record_key, content_item.c.blob_key)).all()
        receipt = conn.execute(select(retention_tally.c.record_class, func.sum(retention_tally.c.deleted))
                               .group_by(retention_tally.c.record_class)).all()
    engine.dispose()
    assert {key for key, _ in rows} == kept
    files = {key for key, _ in LocalBlobStore(data_dir / "blobs").stored()}
    assert files == {blob for _, blob in rows}  # no orphan blob, no row without its blob
    # subscriber.basic: the holder, the postal address and the e-mail and postal address-of-record history
    assert dict(receipt) == {"content.call_recording": 1200, "content.voice_message": 50, "subscriber.basic": 4}
