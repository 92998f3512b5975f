"""A restored backup never brings back what was deleted after it was taken (issue 19 §4).

"Crypto-shredding: destroying an account's data key makes every copy of its data unreadable, backups
included" (DESIGN.md) — and rows, blobs, floors and tombstones deleted since the backup stay deleted.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from custodian.audit import store as audit
from custodian.backup import archive
from custodian.backup.deletion_log import DeletionLog
from custodian.backup.restore import restore
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.crypto.tables import account_key
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records.tables import content_item
from custodian.retention.customer_deletion import delete_for_customer
from custodian.retention.executor import flush_blobs, run_retention
from tests.builders.files import CONTENT_HEADER, content_line, csv_file
from tests.builders.records import an_account
from tests.builders.retention import spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _content(engine: Engine) -> dict[bytes, tuple[int, str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(select(content_item.c.record_key, content_item.c.account_id, content_item.c.kind,
                                   content_item.c.blob_key))
        return {r.record_key: (r.account_id, r.kind, r.blob_key) for r in rows}


def _import_content(engine: Engine, master_key: bytes, blobs: LocalBlobStore, path: Path) -> int:
    return run_import(engine, Keyring(master_key), blobs, lookup("content"), path, actor="test").imported


@pytest.fixture
def provider(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> dict[str, object]:
    """Three accounts: one to be shredded, one with an expiring fax and a voice message, one left alone."""
    ids = {ref: an_account(engine, keyring, ref=ref) for ref in ("GONE-1", "BUSY-1", "CALM-1")}
    media = tmp_path / "media"
    media.mkdir()
    for name, body in (("fax.pdf", b"%PDF-1.4 old fax"), ("vm.wav", b"RIFF voicemail"), ("calm.wav", b"RIFF calm"),
                       ("gone.wav", b"RIFF gone")):
        (media / name).write_bytes(body)
    old, young = (NOW - timedelta(days=40)).isoformat(), (NOW - timedelta(days=2)).isoformat()
    manifest = csv_file(media / "content.csv", CONTENT_HEADER, [
        content_line("BUSY-1", "fax_sent", old, "fax.pdf", direction="out"),
        content_line("BUSY-1", "voice_message", young, "vm.wav"),
        content_line("CALM-1", "voice_message", young, "calm.wav"),
        content_line("GONE-1", "voice_message", young, "gone.wav"),
    ])
    assert _import_content(engine, keyring.master_key, blobs, manifest) == 4
    return {"ids": ids, "manifest": manifest}


def test_a_restore_keeps_shredded_keys_deleted_rows_and_removed_files_gone(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        provider: dict[str, object], database_url: str) -> None:
    """SpectrumVoIP: "SpectrumVoIP is not able to recover customer data once it has been deleted." — not even by
    restoring a backup taken before the deletion."""
    ids: dict[str, int] = provider["ids"]  # type: ignore[assignment]
    before = _content(engine)
    voice = next(k for k, (acc, kind, _) in before.items() if acc == ids["BUSY-1"] and kind == "voice_message")
    fax = next(k for k, (_, kind, _) in before.items() if kind == "fax_sent")
    backup = tmp_path / "backup"
    manifest = archive.create(database_url, blobs.root, deletion_log, backup)
    assert manifest["deletion_log_head"]["lines"] == 0

    with transaction(engine) as conn:  # after the backup: a shred, a customer's deletion, a retention run
        Keyring(keyring.master_key).shred(conn, ids["GONE-1"])
    with transaction(engine) as conn:
        delete_for_customer(conn, account_id=ids["BUSY-1"], record_key=voice, actor="customer", now=NOW)
    flush_blobs(engine, blobs)
    run_retention(engine, Keyring(keyring.master_key), blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW,
                  actor="test")
    assert set(_content(engine)) == set(before) - {voice, fax}
    engine.dispose()

    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)

    after = _content(engine)
    assert set(after) == set(before) - {voice, fax}  # rows deleted since the backup are absent
    assert {key for key, _ in blobs.stored()} == {blob for _, _, blob in after.values()}  # and their files
    assert (receipt["keys_destroyed"], receipt["rows_deleted"]) == (1, {"content_item": 2})
    with engine.connect() as conn:
        assert conn.execute(select(account_key.c.wrapped_key)
                            .where(account_key.c.account_id == ids["GONE-1"])).scalar_one() is None
        with pytest.raises(AccountShredded):
            Keyring(keyring.master_key).cipher(conn, ids["GONE-1"])
        calm = next(b for acc, _, b in after.values() if acc == ids["CALM-1"])
        cipher = Keyring(keyring.master_key).cipher(conn, ids["CALM-1"])
        assert blobs.read(cipher, ids["CALM-1"], calm) == b"RIFF calm"  # everything else is back and readable
        assert audit.verify(conn) is None
        last = audit.search(conn, action="backup.restore")[0]
        assert last.detail["keys_destroyed"] == 1
    # re-importing the provider's file after the restore brings nothing back (floor and tombstone re-applied)
    assert _import_content(engine, keyring.master_key, blobs, provider["manifest"]) == 0  # type: ignore[arg-type]
    assert set(_content(engine)) == set(after)


def test_a_backup_holds_no_copy_of_the_master_key_and_verifies(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        provider: dict[str, object], database_url: str) -> None:
    backup = tmp_path / "backup"
    manifest = archive.create(database_url, blobs.root, deletion_log, backup)
    key = keyring.master_key
    forms = [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key),
             base64.urlsafe_b64encode(key), base64.b64encode(key).rstrip(b"=")]
    for path in backup.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(form in data for form in forms), path.name
    assert any(name.startswith("blobs/") for name in manifest["files"])
    checked = archive.read_manifest(backup)
    with archive.restored_copy(backup, checked, database_url, tmp_path) as url:
        result = archive.check(url, checked)
    assert result["audit_chain"] == "intact" and result["audit_head_matches"]
    assert result["rows"]["content_item"] == 4 and result["rows"]["account"] == 3


def test_a_changed_file_in_the_backup_is_named(engine: Engine, blobs: LocalBlobStore, deletion_log: DeletionLog,
                                               tmp_path: Path, provider: dict[str, object], database_url: str) -> None:
    backup = tmp_path / "backup"
    manifest = archive.create(database_url, blobs.root, deletion_log, backup)
    name = next(n for n in manifest["files"] if n.startswith("blobs/"))
    (backup / name).write_bytes(b"tampered")
    with pytest.raises(archive.BackupError, match="does not match its SHA-256"):
        archive.read_manifest(backup)


def test_a_deletion_whose_commit_outcome_was_never_written_is_carried_out_on_restore(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        provider: dict[str, object], database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crash window: the process dies after the database committed, before the log settled the entry."""
    ids: dict[str, int] = provider["ids"]  # type: ignore[assignment]
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)

    def crash(*_args: object) -> None:
        raise SystemExit("killed after the commit")

    monkeypatch.setattr(DeletionLog, "settle", crash)
    with pytest.raises(SystemExit), transaction(engine) as conn:
        Keyring(keyring.master_key).shred(conn, ids["GONE-1"])
    monkeypatch.undo()
    assert [e.state for e in deletion_log.entries()] == ["pending"]
    with engine.connect() as conn:  # the commit happened
        assert conn.execute(select(func.count()).select_from(account_key)
                            .where(account_key.c.wrapped_key.is_(None))).scalar_one() == 1
    engine.dispose()
    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)
    assert (receipt["keys_destroyed"], receipt["unconfirmed"]) == (1, 1)


def test_a_rolled_back_deletion_is_settled_abandoned_and_not_reapplied(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        provider: dict[str, object], database_url: str) -> None:
    ids: dict[str, int] = provider["ids"]  # type: ignore[assignment]
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    with pytest.raises(RuntimeError), transaction(engine) as conn:
        Keyring(keyring.master_key).shred(conn, ids["GONE-1"])
        raise RuntimeError("the audit append failed")
    assert [e.state for e in deletion_log.entries()] == ["abandoned"]
    engine.dispose()
    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)
    assert receipt["keys_destroyed"] == 0
    with engine.connect() as conn:
        Keyring(keyring.master_key).cipher(conn, ids["GONE-1"])


def test_an_erasure_on_request_after_the_backup_stays_done_after_a_restore(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        provider: dict[str, object], database_url: str) -> None:
    from custodian.dsr.erasure import erase_account

    ids: dict[str, int] = provider["ids"]  # type: ignore[assignment]
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    with transaction(engine) as conn:
        erased = erase_account(conn, Keyring(keyring.master_key), ids["BUSY-1"], kept_classes=frozenset(),
                               actor="desk", now=NOW)
    flush_blobs(engine, blobs)
    assert erased.shredded and erased.deleted
    left = _content(engine)
    engine.dispose()
    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)
    assert receipt["keys_destroyed"] == 1
    assert set(_content(engine)) == set(left)
    assert not any(acc == ids["BUSY-1"] for acc, _, _ in _content(engine).values())
    assert {key for key, _ in blobs.stored()} == {blob for _, _, blob in left.values()}
