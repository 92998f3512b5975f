"""Carrying out the deletion log's entries again on a restored database, before anything else opens it.

Every step is idempotent: a key already destroyed, a row already gone or a floor already higher changes
nothing. Blob files of re-deleted rows and expired preservation snapshots, and the names of expired export
ZIPs, are returned for unlinking after the commit.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from custodian.backup import deletions
from custodian.backup.deletion_log import Entry
from custodian.crypto.tables import account_key
from custodian.db.metadata import metadata
from custodian.dsr.tables import dsr_export
from custodian.legal.tables import legal_preservation
from custodian.portal.tables import portal_account, portal_device, portal_session
from custodian.records.tables import account, content_item
from custodian.retention import deidentify
from custodian.retention.tables import account_purge, legal_hold, retention_floor, retention_tombstone

CHUNK = 500
RELEASED_BY = "backup.restore: deletion log"


@dataclass
class Reapplied:
    """What a restore did again: keys destroyed, rows deleted per table, floors and tombstones restored."""

    entries: int = 0
    unconfirmed: int = 0  # entries left pending (a crash between their write and their commit)
    keys_destroyed: int = 0
    rows_deleted: Counter[str] = field(default_factory=Counter)
    accounts_deidentified: int = 0
    snapshots_deleted: int = 0
    blob_keys: list[str] = field(default_factory=list)
    export_files: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The receipt's counts (no record keys, no blob names)."""
        return {"entries": self.entries, "unconfirmed": self.unconfirmed, "keys_destroyed": self.keys_destroyed,
                "rows_deleted": dict(sorted(self.rows_deleted.items())),
                "accounts_deidentified": self.accounts_deidentified, "snapshots_deleted": self.snapshots_deleted,
                "blobs_removed": len(self.blob_keys), "export_files_removed": len(self.export_files)}


def reapply(conn: Connection, entries: Iterable[Entry], now: datetime) -> Reapplied:
    """Re-apply `entries` in the order written, in the caller's transaction."""
    done = Reapplied()
    for entry in entries:
        done.entries += 1
        done.unconfirmed += entry.state == "pending"
        step = _STEPS.get(entry.kind)
        if step is None:
            raise ValueError(f"deletion log: unknown entry kind {entry.kind!r}")
        step(conn, entry.data, now, done)
    return done


def _shred(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    done.keys_destroyed += _destroy_key(conn, int(data["account"]), now)


def _rows(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    table = metadata.tables[data["table"]]
    for account_id, keys in data["rows"].items():
        for start in range(0, len(keys), CHUNK):
            chunk = [bytes.fromhex(k) if isinstance(k, str) else k for k in keys[start:start + CHUNK]]
            where = (table.c.account_id == int(account_id)) & table.c[data["key"]].in_(chunk)
            _delete(conn, table, where, done)
    _raise_floors(conn, data.get("floors", {}))


def _months(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    table = metadata.tables[data["table"]]
    time = table.c[data["time"]]
    _delete(conn, table, (time >= _moment(data["from"])) & (time < _moment(data["to"])), done)
    _raise_floors(conn, data["floors"])


def _purge(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    account_id = int(data["account"])
    deidentify.deidentify_kept(conn, account_id, data["kept"])
    deidentify.make_shells(conn, [account_id])
    if data.get("ref"):  # the replaced reference's index, so the accounts importer keeps refusing it
        bidx = bytes.fromhex(data["ref"])
        updated = conn.execute(update(account_purge).where(account_purge.c.account_id == account_id)
                               .values(ref_bidx=bidx)).rowcount
        if not updated:
            conn.execute(insert(account_purge).values(account_id=account_id, shredded_at=now, purged_at=now,
                                                      ref_bidx=bidx))
    done.accounts_deidentified += 1


def _destroy_key(conn: Connection, account_id: int, now: datetime) -> int:
    result = conn.execute(update(account_key)
                          .where(account_key.c.account_id == account_id, account_key.c.wrapped_key.is_not(None))
                          .values(wrapped_key=None, master_key_id=None, shredded_at=now))
    return int(result.rowcount)


def _delete(conn: Connection, table: Table, where: Any, done: Reapplied) -> None:
    if table is content_item:
        gone = conn.execute(delete(table).where(where).returning(table.c.blob_key)).scalars().all()
        done.blob_keys.extend(k for k in gone if k)
        done.rows_deleted[table.name] += len(gone)
    else:
        done.rows_deleted[table.name] += int(conn.execute(delete(table).where(where)).rowcount)


def _raise_floors(conn: Connection, floors: dict[str, dict[str, str]]) -> None:
    rows = [{"account_id": int(a), "record_class": c, "deleted_through": _moment(t)}
            for a, per_class in floors.items() for c, t in per_class.items()]
    if not rows:
        return
    pg = conn.dialect.name == "postgresql"
    stmt = (postgresql if pg else sqlite).insert(retention_floor)
    newest = (func.greatest if pg else func.max)(retention_floor.c.deleted_through, stmt.excluded.deleted_through)
    conn.execute(stmt.on_conflict_do_update(index_elements=["account_id", "record_class"],
                                            set_={"deleted_through": newest}), rows)


def _customer_deletion(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    account_id, key = int(data["account"]), bytes.fromhex(data["key"])
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(retention_tombstone).values(account_id=account_id, record_key=key,
                                                            record_class=data["class"], deleted_at=now)
                 .on_conflict_do_nothing())
    if data["deleted"]:
        _delete(conn, content_item, (content_item.c.account_id == account_id) & (content_item.c.record_key == key),
                done)


def _close_online(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    """The portal closure: the online account, its sessions and devices gone; the account closed on its day."""
    account_id, online_id = int(data["account"]), int(data["online"])
    ours = conn.execute(select(portal_account.c.id).where(portal_account.c.id == online_id,
                                                          portal_account.c.account_id == account_id)).first()
    if ours is not None:  # the id names this account's online account (never another's that reused it)
        for table, column in ((portal_session, portal_session.c.portal_account_id),
                              (portal_device, portal_device.c.portal_account_id),
                              (portal_account, portal_account.c.id)):
            _delete(conn, table, column == online_id, done)
    conn.execute(update(account).where(account.c.id == account_id, account.c.status != "closed")
                 .values(status="closed", closed_on=date.fromisoformat(data["closed_on"])))


def _expire_snapshot(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    """An expired preservation: its snapshot file unlinked, its row marked deleted with the receipt, and its hold
    released as of the deletion if the copy has it still in effect then (as `legal.preservation.expire` did)."""
    row = conn.execute(select(legal_preservation.c.snapshot_blob_key, legal_preservation.c.hold_id)
                       .where(legal_preservation.c.id == int(data["preservation"]),
                              legal_preservation.c.account_id == int(data["receipt"]["account_id"]),
                              legal_preservation.c.deleted_at.is_(None))).first()
    if row is None:  # already deleted in the restored copy, or preserved after the backup was taken
        return
    receipt = dict(data["receipt"])
    deleted_at = datetime.fromisoformat(receipt["deleted_at"])
    conn.execute(update(legal_preservation).where(legal_preservation.c.id == int(data["preservation"])).values(
        snapshot_blob_key=None, deleted_at=deleted_at, receipt=json.dumps({**receipt, "blob_removed": True})))
    if row.hold_id is not None:
        conn.execute(update(legal_hold).where(legal_hold.c.id == row.hold_id, legal_hold.c.released_at.is_(None),
                                              legal_hold.c.placed_at <= deleted_at, legal_hold.c.until_at > deleted_at)
                     .values(released_at=deleted_at, released_by=RELEASED_BY))
    if row.snapshot_blob_key:
        done.blob_keys.append(row.snapshot_blob_key)
    done.snapshots_deleted += 1


def _delete_exports(conn: Connection, data: Mapping[str, Any], now: datetime, done: Reapplied) -> None:
    """Expired or revoked export ZIPs: their links marked deleted again, their files (if any are back) unlinked."""
    listed = [(int(export_id), str(name)) for export_id, name in data["exports"]]
    conn.execute(update(dsr_export).where(tuple_(dsr_export.c.id, dsr_export.c.file_name).in_(listed),
                                          dsr_export.c.deleted_at.is_(None))
                 .values(deleted_at=_moment(data["deleted_at"])))
    done.export_files.extend(name for _, name in listed)


_STEPS: dict[str, Callable[[Connection, Mapping[str, Any], datetime, Reapplied], None]] = {
    deletions.SHRED: _shred, deletions.ROWS: _rows, deletions.MONTHS: _months, deletions.PURGE: _purge,
    deletions.CUSTOMER: _customer_deletion, deletions.ONLINE: _close_online, deletions.SNAPSHOT: _expire_snapshot,
    deletions.EXPORTS: _delete_exports,
}


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
