"""Recording deletions in the deletion log, from the code paths that delete, inside their transactions.

The runtime attaches one log to its engine (`attach`). Each `record_*` writes a pending entry at once and
settles it when `db.engine.transaction` commits or rolls back. An engine with no log attached (a bare
engine in a unit test) records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine

from custodian.backup.deletion_log import DeletionLog
from custodian.db.engine import on_outcome
from custodian.kernel.clock import utcnow
from custodian.kernel.timeparse import utc_text

log = logging.getLogger(__name__)
_LOGS: WeakKeyDictionary[Engine, DeletionLog] = WeakKeyDictionary()

SHRED, ROWS, MONTHS, PURGE, CUSTOMER = "shred", "rows", "months", "purge", "customer_delete"
ONLINE, SNAPSHOT, EXPORTS = "online_close", "snapshot_expiry", "export_files"


def attach(engine: Engine, deletion_log: DeletionLog) -> None:
    """Every deletion made through `engine` is recorded in `deletion_log`."""
    _LOGS[engine] = deletion_log


def log_of(engine: Engine) -> DeletionLog | None:
    """The log attached to `engine`, if any."""
    return _LOGS.get(engine)


def record(conn: Connection, kind: str, data: dict[str, Any]) -> None:
    """Write a pending entry now (before the commit); settle it with the transaction's outcome."""
    deletion_log = _LOGS.get(conn.engine)
    if deletion_log is None:
        return
    entry_id = deletion_log.write_pending(kind, data, utc_text(utcnow()))

    def settle(committed: bool) -> None:
        try:
            deletion_log.settle(entry_id, committed, utc_text(utcnow()))
        except OSError as exc:  # left pending, which a restore treats as committed
            log.warning("deletion log entry %s left pending: %s", entry_id, exc.strerror)

    on_outcome(conn, settle)


def record_shred(conn: Connection, account_id: int) -> None:
    """The account's data key is destroyed."""
    record(conn, SHRED, {"account": account_id})


def record_rows(conn: Connection, table: str, key_column: str,
                rows: Iterable[tuple[int, Any, str | None, Any]], *, floors: bool = False) -> None:
    """Rows deleted from `table`, as (account, key, record class, occurrence time); `floors` also records the
    newest time per account and class (retention's floors, which keep a re-import from bringing rows back)."""
    keys: dict[int, list[Any]] = {}
    newest: dict[tuple[int, str], Any] = {}
    for account_id, key, record_class, occurred_at in rows:  # the hot path of a retention batch: no per-row text
        group = keys.get(account_id)
        if group is None:
            group = keys[account_id] = []
        group.append(key)
        if floors and record_class and occurred_at is not None:
            latest = newest.get((account_id, record_class))
            if latest is None or occurred_at > latest:
                newest[(account_id, record_class)] = occurred_at
    by_account: dict[str, dict[str, str]] = {}
    for (account_id, record_class), latest in newest.items():
        by_account.setdefault(str(account_id), {})[record_class] = time_text(latest)
    if keys:
        listed = {str(a): [k.hex() if isinstance(k, bytes) else k for k in group] for a, group in keys.items()}
        record(conn, ROWS, {"table": table, "key": key_column, "rows": listed,
                            **({"floors": by_account} if floors else {})})


def record_months(conn: Connection, table: str, time_column: str, start: datetime, end: datetime,
                  counts: dict[tuple[int, str], tuple[int, Any]]) -> None:
    """A month partition dropped: every row of `table` with `start <= time < end` (`counts`: per account and
    class, rows and newest time, whose floors a restore raises again)."""
    newest: dict[str, dict[str, str]] = {}
    for (account_id, record_class), (_, latest) in counts.items():
        if latest is not None:
            newest.setdefault(str(account_id), {})[record_class] = time_text(latest)
    record(conn, MONTHS, {"table": table, "time": time_column, "from": utc_text(start), "to": utc_text(end),
                          "floors": newest})


def record_purge(conn: Connection, account_id: int, kept: Iterable[str], ref_bidx: bytes | None = None) -> None:
    """A closed account's kept rows de-identified and the account made a pseudonymous shell; `ref_bidx` is the
    blind index of its replaced reference (a restore keeps the accounts importer refusing it)."""
    record(conn, PURGE, {"account": account_id, "kept": sorted(kept), **({"ref": ref_bidx.hex()} if ref_bidx else {})})


def record_customer_deletion(conn: Connection, account_id: int, record_key: bytes, record_class: str,
                             deleted: bool) -> None:
    """A customer deleted one message or fax (`deleted`), or asked to while a hold keeps it (tombstone only)."""
    record(conn, CUSTOMER, {"account": account_id, "key": record_key.hex(), "class": record_class,
                            "deleted": deleted})


def record_online_closure(conn: Connection, account_id: int, online_id: int, closed_on: date) -> None:
    """The customer closed the account in the portal: its online account, sessions and devices deleted."""
    record(conn, ONLINE, {"account": account_id, "online": online_id, "closed_on": closed_on.isoformat()})


def record_snapshot_expiry(conn: Connection, preservation_id: int, receipt: Mapping[str, Any]) -> None:
    """A legal preservation's snapshot (a blob file) deleted after its period; `receipt`: account, the snapshot's
    SHA-256 and times (what its `legal_preservation` row keeps)."""
    record(conn, SNAPSHOT, {"preservation": preservation_id, "receipt": dict(receipt)})


def record_export_files(conn: Connection, files: Iterable[tuple[int, str]], deleted_at: datetime) -> None:
    """Export ZIPs deleted (link expired, or revoked because the account's data went): (export id, file name)."""
    listed = [[export_id, name] for export_id, name in files]
    if listed:
        record(conn, EXPORTS, {"exports": listed, "deleted_at": utc_text(deleted_at)})


def time_text(value: Any) -> str:
    """An occurrence time as canonical UTC text (SQLite hands back its stored text already)."""
    return value if isinstance(value, str) else utc_text(value)
