"""Stored export ZIPs and their 7-day download links (issue 15 §2 "the link works for 7 days, then the file is
deleted"). The file sits under <data>/exports/ with a random name; the e-mailed token is the only credential and
is stored as its SHA-256, so a copy of the database cannot download anything."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.backup.deletions import record_export_files
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.dsr.export.service import export_account
from custodian.dsr.store import token_hash
from custodian.dsr.tables import dsr_export
from custodian.policy.document import PolicyDocument

LINK_DAYS = 7
DOWNLOAD_PATH = "/privacy/requests/download/"


@dataclass(frozen=True)
class StoredExport:
    """A freshly stored export: the token to e-mail (never stored) and when its link stops working."""

    token: str
    expires_at: datetime
    bytes: int
    export_id: int


def exports_dir(blobs: LocalBlobStore) -> Path:
    """<data>/exports/, next to the blob store."""
    return blobs.root.parent / "exports"


def download_link(base_url: str, token: str) -> str:
    """The link the requester is e-mailed."""
    return base_url.rstrip("/") + DOWNLOAD_PATH + token


def store_export(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, document: PolicyDocument,
                 account_id: int, *, request_id: int | None, actor: str, now: datetime) -> StoredExport:
    """Build the account's export ZIP under <data>/exports/ and record its link, valid LINK_DAYS days."""
    name = new_file_name(blobs)
    summary = export_account(conn, keyring, blobs, document, account_id, exports_dir(blobs) / name, actor=actor,
                             now=now)
    return record_link(conn, account_id, name, summary.bytes, request_id=request_id, now=now)


def new_file_name(blobs: LocalBlobStore) -> str:
    """A fresh random ZIP name under <data>/exports/ (the folder is made if missing)."""
    exports_dir(blobs).mkdir(parents=True, exist_ok=True)
    return secrets.token_hex(16) + ".zip"


def record_link(conn: Connection, account_id: int, file_name: str, size: int, *, request_id: int | None,
                now: datetime) -> StoredExport:
    """Record a written export ZIP behind a new download link, valid LINK_DAYS days."""
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=LINK_DAYS)
    export_id = conn.execute(insert(dsr_export).values(
        account_id=account_id, request_id=request_id, token_hash=token_hash(token), file_name=file_name, bytes=size,
        created_at=now, expires_at=expires_at).returning(dsr_export.c.id)).scalar_one()
    return StoredExport(token, expires_at, size, int(export_id))


def open_download(conn: Connection, blobs: LocalBlobStore, token: str, *, now: datetime) -> Path | None:
    """The file a download token opens, or None when the token is unknown, expired or its file is gone (one
    answer for all three). The lookup is by the token's hash, compared again in constant time."""
    wanted = token_hash(token)
    row = conn.execute(select(dsr_export.c.id, dsr_export.c.account_id, dsr_export.c.token_hash,
                              dsr_export.c.file_name, dsr_export.c.expires_at, dsr_export.c.deleted_at)
                       .where(dsr_export.c.token_hash == wanted)).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    path: Path = exports_dir(blobs) / str(row.file_name)
    if row.deleted_at is not None or now >= row.expires_at or not path.is_file():
        return None
    audit.append(conn, actor="requester:download-link", action="dsr.export_downloaded", account_id=row.account_id,
                 now=now, reason="the requester downloaded their export through the e-mailed link")
    return path


def _delete_files(conn: Connection, blobs: LocalBlobStore, where: Any, now: datetime) -> int:
    due = conn.execute(select(dsr_export.c.id, dsr_export.c.file_name)
                       .where(dsr_export.c.deleted_at.is_(None), where)).all()
    record_export_files(conn, ((row.id, row.file_name) for row in due), now)  # before the files go
    for row in due:
        (exports_dir(blobs) / row.file_name).unlink(missing_ok=True)
        conn.execute(update(dsr_export).where(dsr_export.c.id == row.id).values(deleted_at=now))
    return len(due)


def revoke_exports(conn: Connection, blobs: LocalBlobStore, account_id: int, *, now: datetime) -> int:
    """Delete the account's stored exports at once (its data is being deleted); their links stop working."""
    return _delete_files(conn, blobs, dsr_export.c.account_id == account_id, now)


def expire_exports(conn: Connection, blobs: LocalBlobStore, *, now: datetime) -> int:
    """Delete the files whose link expired and mark them deleted; a second run finds nothing to do."""
    deleted = _delete_files(conn, blobs, dsr_export.c.expires_at <= now, now)
    if deleted:
        audit.append(conn, actor="job:export-expiry", action="dsr.exports_expired", now=now,
                     reason="export download links ran out after 7 days: files deleted",
                     detail={"deleted": deleted})
    return deleted
