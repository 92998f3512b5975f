"""A restore does not bring back an online account closed, a preserved snapshot expired or an export ZIP deleted
after the backup was taken (issue 19 §4: "A restore must never resurrect data that was deleted after the backup
was taken").

SpectrumVoIP DRG II.B: "On the ninety-first (91st) day the preserved data may be deleted"; issue 15 §2: the export
"link works for 7 days, then the file is deleted".
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from custodian.backup import archive
from custodian.backup.deletion_log import DeletionLog
from custodian.backup.restore import restore
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr.export_links import expire_exports, exports_dir, open_download, store_export
from custodian.dsr.tables import dsr_export
from custodian.legal import preservation
from custodian.legal.service import DeskRuleBroken
from custodian.legal.tables import legal_preservation
from custodian.portal import store as portal
from custodian.portal.closing import close_account
from custodian.portal.tables import portal_account, portal_device, portal_session
from custodian.records.tables import account
from custodian.retention import hold_service
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account
from tests.legal.test_preservation import _preserved
from tests.legal.test_production import NOW


def _count(engine: Engine, table: object, where: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(where)).scalar_one())  # type: ignore


def test_an_online_account_closed_after_the_backup_stays_deleted_and_the_account_stays_closed(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        database_url: str) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        online_id = portal.insert_online(conn, account_id, "argon2id-hash", NOW)
        portal.insert_session(conn, online_id, "full", NOW)
        portal.remember_device(conn, online_id, NOW, timedelta(days=30))
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    with transaction(engine) as conn:
        dates = close_account(conn, spectrumvoip(), account_id, online_id, NOW + timedelta(days=1))
    engine.dispose()

    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW + timedelta(days=2))

    assert receipt["rows_deleted"] == {"portal_account": 1, "portal_device": 1, "portal_session": 1}
    with engine.connect() as conn:
        assert portal.online_of(conn, account_id=account_id) is None  # no sign-in to a closed account
        status = conn.execute(select(account.c.status, account.c.closed_on).where(account.c.id == account_id)).one()
    assert tuple(status) == ("closed", dates.closed_on)  # so its purge stays due on the policy's date
    assert _count(engine, portal_session, portal_session.c.portal_account_id == online_id) == 0
    assert _count(engine, portal_device, portal_device.c.portal_account_id == online_id) == 0
    assert _count(engine, portal_account, portal_account.c.id == online_id) == 0


def test_a_preserved_snapshot_expired_after_the_backup_is_not_readable_after_a_restore(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        database_url: str) -> None:
    request_id = _preserved(engine, keyring, blobs, tmp_path)
    with engine.connect() as conn:
        rows = conn.execute(select(legal_preservation.c.account_id, legal_preservation.c.snapshot_blob_key)
                            .where(legal_preservation.c.request_id == request_id)).all()
    snapshots = {int(r.account_id): str(r.snapshot_blob_key) for r in rows}
    source = f"legal:preservation:{request_id}"
    with transaction(engine) as conn:  # one hold outlives the snapshot; the expiry releases it
        longer = hold_service.list_holds(conn, NOW, source_prefix=source)[0]
        hold_service.extend_hold(conn, longer.id, until=NOW + timedelta(days=200), actor="staff", reason="test",
                                 now=NOW)
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    with transaction(engine) as conn:
        assert len(preservation.expire(conn, blobs, actor="job", now=NOW + timedelta(days=90))) == len(snapshots) == 2
    engine.dispose()
    assert all(f"blobs/{key[:2]}/{key[2:4]}/{key}" in archive.read_manifest(backup)["files"]
               for key in snapshots.values())  # the backup holds both snapshot files

    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW + timedelta(days=91))

    assert (receipt["snapshots_deleted"], receipt["blobs_removed"]) == (2, 2)
    assert not {key for key, _ in blobs.stored()} & set(snapshots.values())  # the files are gone
    with engine.connect() as conn:
        rows = conn.execute(select(legal_preservation)).all()
        assert all(r.snapshot_blob_key is None and r.deleted_at is not None and r.receipt for r in rows)
        assert hold_service.list_holds(conn, NOW + timedelta(days=91), source_prefix=source) == []
        for account_id in snapshots:
            try:
                preservation.snapshot_bytes(conn, keyring, blobs, request_id, account_id)
            except DeskRuleBroken as refused:
                assert "no snapshot is kept" in str(refused)
            else:
                raise AssertionError("the expired snapshot was readable after the restore")


def test_an_export_zip_deleted_after_the_backup_is_not_downloadable_after_a_restore(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog, tmp_path: Path,
        database_url: str) -> None:
    """Export ZIPs are not in backups; a data directory brought back by other means (a disk snapshot) may hold one,
    and the restore unlinks it and keeps its link dead."""
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        stored = store_export(conn, keyring, blobs, spectrumvoip().document, account_id, request_id=None,
                              actor="test", now=NOW)
        name = conn.execute(select(dsr_export.c.file_name)).scalar_one()
    zip_bytes = (exports_dir(blobs) / name).read_bytes()
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    with transaction(engine) as conn:
        assert expire_exports(conn, blobs, now=stored.expires_at) == 1
    engine.dispose()
    (exports_dir(blobs) / name).write_bytes(zip_bytes)  # the old file is back on the disk

    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=stored.expires_at)

    assert receipt["export_files_removed"] == 1
    assert not (exports_dir(blobs) / name).exists()
    with transaction(engine) as conn:
        assert conn.execute(select(dsr_export.c.deleted_at)).scalar_one() is not None
        assert open_download(conn, blobs, stored.token, now=NOW + timedelta(days=1)) is None
