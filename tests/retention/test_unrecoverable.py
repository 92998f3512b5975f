"""Deleted content cannot be recovered: its ciphertext is gone from the database file and the blob store.

SQLite only, on purpose: the test reads the bytes of the database file (and its write-ahead log).
Encryption means plaintext was never there; this proves the ciphertext is gone too (secure_delete,
checkpointed log, unlinked blob), and a closure purge destroys the key that could open any copy.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import make_engine, transaction
from custodian.records.tables import account, content_item
from custodian.retention.customer_deletion import delete_for_customer
from custodian.retention.executor import checkpoint, flush_blobs, run_retention
from tests.builders.records import CANARY_SMS_BODY, an_account
from tests.builders.retention import add_content, spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
VOICE = b"RIFF voicemail canary " * 500


def _stored_bytes(db: Path, blobs: LocalBlobStore) -> bytes:
    files = [db, db.with_name(db.name + "-wal"), *sorted(p for p in blobs.root.rglob("*") if p.is_file())]
    return b"".join(path.read_bytes() for path in files if path.exists())


def test_deleted_records_leave_no_ciphertext_or_plaintext_behind(sqlite_template: Path, tmp_path: Path,
                                                                 keyring: Keyring, blobs: LocalBlobStore) -> None:
    db = tmp_path / "custodian.db"
    shutil.copy(sqlite_template, db)
    engine = make_engine(f"sqlite:///{db}")
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        sms = add_content(conn, acc, "content.sms_body", NOW - timedelta(days=1), keyring=keyring,
                          body=CANARY_SMS_BODY.encode())
        voice = add_content(conn, acc, "content.call_recording", NOW - timedelta(days=91), keyring=keyring,
                            blobs=blobs, body=VOICE)
        sealed_row = conn.execute(select(content_item.c.inline_enc).where(content_item.c.record_key == sms)).scalar()
        blob_key = conn.execute(select(content_item.c.blob_key).where(content_item.c.record_key == voice)).scalar()
    sealed_blob = (blobs.root / blob_key[:2] / blob_key[2:4] / blob_key).read_bytes()
    checkpoint(engine)
    before = _stored_bytes(db, blobs)
    assert sealed_row[-32:] in before and sealed_blob[-32:] in before  # the scan sees what is stored
    with transaction(engine) as conn:
        delete_for_customer(conn, account_id=acc, record_key=sms, actor="customer", now=NOW)
    flush_blobs(engine, blobs)
    run_retention(engine, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW, actor="t")
    after = _stored_bytes(db, blobs)
    assert sealed_row[-32:] not in after
    assert sealed_blob[-32:] not in after
    assert CANARY_SMS_BODY.encode() not in after and b"voicemail canary" not in after
    engine.dispose()


def test_a_purged_account_cannot_be_decrypted_from_any_copy(sqlite_template: Path, tmp_path: Path,
                                                            keyring: Keyring, blobs: LocalBlobStore) -> None:
    """"SpectrumVoIP is not able to recover customer data once it has been deleted." A backup taken before the
    purge is unreadable after it: the account's data key is destroyed."""
    db = tmp_path / "custodian.db"
    shutil.copy(sqlite_template, db)
    engine = make_engine(f"sqlite:///{db}")
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.voice_message", NOW - timedelta(days=40), keyring=keyring, blobs=blobs,
                    body=VOICE)
        conn.execute(update(account).where(account.c.id == acc).values(status="closed", closed_on=date(2026, 4, 1)))
    backup = LocalBlobStore(tmp_path / "backup")
    shutil.copytree(blobs.root, backup.root)
    with engine.connect() as conn:
        blob_key = conn.execute(select(content_item.c.blob_key)).scalar_one()
    run_retention(engine, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW, actor="t")
    with engine.connect() as conn, pytest.raises(AccountShredded):
        backup.read(Keyring(keyring.master_key).cipher(conn, acc), acc, blob_key)
    engine.dispose()
