"""The blob sweep removes only payload files no content item references, and only once they are old."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from tests.builders.files import CONTENT_HEADER, content_line, csv_file
from tests.builders.records import an_account

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.kernel.clock import utcnow
from custodian.records.content import SWEEP_GRACE, sweep_orphan_blobs


def _age(path: Path, by: timedelta) -> None:
    old = (utcnow() - by).timestamp()
    os.utime(path, (old, old))


def test_unreferenced_and_partial_blob_files_are_swept_once_older_than_the_grace_period(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    (tmp_path / "vm.wav").write_bytes(b"RIFF voice")
    run_import(engine, keyring, blobs, lookup("content"), csv_file(tmp_path / "manifest.csv", CONTENT_HEADER, [
        content_line("ACC-1", "voice_message", "2024-05-01T10:00:00Z", "vm.wav")]), actor="test")
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
    orphan, _, _ = blobs.put(cipher, account_id, [b"left by a rolled-back batch"])
    fresh_orphan, _, _ = blobs.put(cipher, account_id, [b"an import still running"])
    partial = blobs.root / "ab" / "cd" / "abcd0000.part"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"half")
    for path in [p for p in blobs.root.rglob("*") if p.is_file() and p.name != fresh_orphan]:
        _age(path, SWEEP_GRACE + timedelta(minutes=5))

    with transaction(engine) as conn:
        result = sweep_orphan_blobs(conn, blobs, now=utcnow())

    remaining = {key for key, _ in blobs.stored()}
    assert (result.orphans, result.partial_files) == (1, 1)
    assert orphan not in remaining and fresh_orphan in remaining
    assert len(remaining) == 2  # the referenced voice message and the young orphan
    assert not partial.exists()
