"""Restoring a backup so that nothing deleted after it comes back.

The database is restored, then — before anything else opens it — every deletion-log entry after the
backup's recorded head is carried out again (keys destroyed, rows deleted, floors and tombstones put back,
closed accounts de-identified), with a `backup.restore` audit event in the same transaction. SQLite is
restored and re-applied in a side file that then replaces the database in one rename; PostgreSQL is
restored in place (the service stopped) and re-applied by the same command. The blob directory becomes the
backup's, less the files of rows and snapshots deleted again; export ZIPs deleted since (not in backups, but a
data directory restored by other means may hold them) are unlinked from <data>/exports/.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from custodian.audit import store as audit
from custodian.backup import archive
from custodian.backup.deletion_log import DeletionLog, Head
from custodian.backup.reapply import reapply
from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import make_engine, transaction
from custodian.dsr.export_links import exports_dir


def in_use(url: str) -> str | None:
    """Why restoring over the database at `url` needs confirming (it holds data, or others are connected)."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            path = Path(engine.url.database or "")
            return f"the database {path.name} exists and will be replaced" if path.exists() else None
        with engine.connect() as conn:
            others = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                       "AND pid <> pg_backend_pid()")).scalar_one()
            tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"))
            held = tables.scalar_one()
        if others:
            return f"{others} other sessions are connected to the database"
        return f"the database holds {held} tables that will be replaced" if held else None
    finally:
        engine.dispose()


def restore(url: str, blob_dir: Path, deletion_log: DeletionLog, backup: Path, *, actor: str,
            now: datetime) -> dict[str, Any]:
    """Restore `backup` over the database at `url` and the blob directory; return the receipt."""
    manifest = archive.read_manifest(backup)
    entries = deletion_log.after(Head(**manifest["deletion_log_head"]))  # a broken log stops us before any change
    engine = make_engine(url)
    if engine.dialect.name != manifest["dialect"]:
        raise archive.BackupError(f"a {manifest['dialect']} backup cannot be restored into {engine.dialect.name}")
    _copy_blobs(backup / archive.BLOBS, blob_dir)
    if engine.dialect.name == "sqlite":
        engine.dispose()
        target = Path(engine.url.database or "")
        side = target.with_name(target.name + ".restoring")
        shutil.copyfile(backup / archive.SQLITE_FILE, side)
        side_engine = make_engine(f"sqlite:///{side}")
        receipt = _reapply(side_engine, entries, manifest, actor, now)
        side_engine.dispose()
        for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            stale.unlink(missing_ok=True)
        os.replace(side, target)
    else:
        _empty_schema(engine)
        engine.dispose()
        archive.pg_restore(url, backup / archive.PG_FILE)
        engine = make_engine(url)
        receipt = _reapply(engine, entries, manifest, actor, now)
        engine.dispose()
    blobs = LocalBlobStore(blob_dir)
    for key in receipt.pop("blob_keys"):
        blobs.delete(key)
    for name in receipt.pop("export_files"):
        if name == Path(name).name:  # a bare file name, never a path
            (exports_dir(blobs) / name).unlink(missing_ok=True)
    return receipt


def _reapply(engine: Engine, entries: list[Any], manifest: dict[str, Any], actor: str,
             now: datetime) -> dict[str, Any]:
    with transaction(engine) as conn:
        done = reapply(conn, entries, now)
        summary = {"backup_created_at": manifest["created_at"], "schema_revision": manifest["schema_revision"],
                   **done.summary()}
        event = audit.append(conn, actor=actor, action="backup.restore", now=now, detail=summary,
                             reason="backup restored; deletions made since it was taken carried out again")
    return {**summary, "audit_seq": event.seq, "blob_keys": done.blob_keys, "export_files": done.export_files}


def _empty_schema(engine: Engine) -> None:
    """Drop every table and function of the current schema (partitions with their parents) before loading the
    dump."""
    with transaction(engine) as conn:
        names = conn.execute(text("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()"))
        listed = ", ".join(names.scalars())
        if listed:
            conn.execute(text(f"DROP TABLE IF EXISTS {listed} CASCADE"))
        # The dump creates the schema's own functions (the append-only ledgers' trigger functions) again.
        functions = conn.execute(text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"))
        signatures = ", ".join(functions.scalars())
        if signatures:
            conn.execute(text(f"DROP FUNCTION IF EXISTS {signatures} CASCADE"))


def _copy_blobs(source: Path, blob_dir: Path) -> None:
    """Make the blob directory the backup's: copy its files, remove files it does not hold."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()} if source.exists() else set()
    if blob_dir.exists():
        for path in blob_dir.rglob("*"):
            if path.is_file() and path.relative_to(blob_dir) not in wanted:
                path.unlink()
    for relative in wanted:
        target = blob_dir / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target)
