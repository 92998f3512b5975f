"""Run state that survives a crash: the run row, per-account tallies, floors and the blob queue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from custodian.kernel.timeparse import utc_text
from custodian.retention.tables import blob_deletion, retention_run, retention_tally


def open_run(conn: Connection, *, now: datetime, policy_hash: str, actor: str,
             started_at: datetime) -> tuple[int, datetime, bool]:
    """The unfinished run to resume (its id and `now`, True), or a new run (False)."""
    row = conn.execute(select(retention_run.c.id, retention_run.c.now_at).where(retention_run.c.status == "running")
                       .order_by(retention_run.c.id).limit(1)).first()
    if row is not None:
        return int(row.id), row.now_at, True
    run_id = conn.execute(insert(retention_run).values(now_at=now, policy_hash=policy_hash, actor=actor,
                                                       status="running", started_at=started_at)
                          .returning(retention_run.c.id)).scalar_one()
    return int(run_id), now, False


def finish_run(conn: Connection, run_id: int, *, audit_seq: int, finished_at: datetime) -> None:
    """Mark the run finished with its receipt's place in the audit chain."""
    conn.execute(update(retention_run).where(retention_run.c.id == run_id)
                 .values(status="finished", finished_at=finished_at, audit_seq=audit_seq))


def record_batch(conn: Connection, run_id: int, deleted: Iterable[tuple[int, str, Any]],
                 blob_keys: list[str], now: datetime) -> None:
    """In the batch's own transaction: add to the tallies, raise the floors, queue the blobs.

    Occurrence times are datetimes, or SQLite's stored UTC text (which sorts as time does).
    """
    grouped: dict[tuple[int, str], list[Any]] = {}
    for account_id, record_class, occurred_at in deleted:
        group = grouped.get((account_id, record_class))
        if group is None:
            grouped[(account_id, record_class)] = [1, occurred_at]
        else:
            group[0] += 1
            if occurred_at is not None and (group[1] is None or occurred_at > group[1]):
                group[1] = occurred_at
    _record_direct(conn, run_id, grouped, blob_keys, now)


def _record_direct(conn: Connection, run_id: int, grouped: dict[tuple[int, str], list[Any]], blob_keys: list[str],
                   now: datetime) -> None:
    """The batch's writes straight through the driver: a batch touches thousands of (account, class) pairs
    (PostgreSQL: one statement per table over arrays, not one per pair)."""
    if conn.dialect.name == "postgresql":
        _record_arrays(conn, run_id, grouped, blob_keys, now)
        return
    stamp = lambda t: t if isinstance(t, str) else utc_text(t)  # noqa: E731
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    cursor.executemany(
        "INSERT INTO retention_tally (run_id, account_id, record_class, deleted) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (run_id, account_id, record_class) DO UPDATE SET "
        "deleted = retention_tally.deleted + excluded.deleted",
        [(run_id, a, c, n) for (a, c), (n, _) in grouped.items()])
    cursor.executemany(
        "INSERT INTO retention_floor (account_id, record_class, deleted_through) VALUES (?, ?, ?) "
        "ON CONFLICT (account_id, record_class) DO UPDATE SET deleted_through = "
        "max(retention_floor.deleted_through, excluded.deleted_through)",
        [(a, c, stamp(latest)) for (a, c), (_, latest) in grouped.items() if latest is not None])
    if blob_keys:
        cursor.executemany("INSERT INTO blob_deletion (blob_key, queued_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           [(key, stamp(now)) for key in blob_keys])


def _record_arrays(conn: Connection, run_id: int, grouped: dict[tuple[int, str], list[Any]], blob_keys: list[str],
                   now: datetime) -> None:
    """PostgreSQL: update the pairs that exist (a join), insert the others; an upsert per pair that exists
    costs a failed speculative insert each, ten times the update."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    pairs = sorted(grouped.items())  # one lock order for every writer
    cursor.execute(
        "WITH u AS (SELECT * FROM unnest(%(a)s::bigint[], %(c)s::text[], %(n)s::int[]) AS u(account_id, "
        "record_class, deleted)), "
        "changed AS (UPDATE retention_tally t SET deleted = t.deleted + u.deleted FROM u WHERE t.run_id = %(run)s "
        "AND t.account_id = u.account_id AND t.record_class = u.record_class RETURNING t.account_id, t.record_class) "
        "INSERT INTO retention_tally (run_id, account_id, record_class, deleted) "
        "SELECT %(run)s, u.account_id, u.record_class, u.deleted FROM u WHERE NOT EXISTS (SELECT 1 FROM changed "
        "WHERE changed.account_id = u.account_id AND changed.record_class = u.record_class) "
        "ON CONFLICT (run_id, account_id, record_class) DO UPDATE SET "
        "deleted = retention_tally.deleted + excluded.deleted",
        {"run": run_id, "a": [a for (a, _), _ in pairs], "c": [c for (_, c), _ in pairs],
         "n": [n for _, (n, _) in pairs]})
    dated = [(a, c, _as_time(latest)) for (a, c), (_, latest) in pairs if latest is not None]
    cursor.execute(
        "WITH u AS (SELECT * FROM unnest(%(a)s::bigint[], %(c)s::text[], %(t)s::timestamptz[]) AS u(account_id, "
        "record_class, deleted_through)), "
        "raised AS (UPDATE retention_floor f SET deleted_through = u.deleted_through FROM u "
        "WHERE f.account_id = u.account_id AND f.record_class = u.record_class "
        "AND f.deleted_through < u.deleted_through) "
        "INSERT INTO retention_floor (account_id, record_class, deleted_through) SELECT * FROM u "
        "WHERE NOT EXISTS (SELECT 1 FROM retention_floor f WHERE f.account_id = u.account_id "
        "AND f.record_class = u.record_class) "
        "ON CONFLICT (account_id, record_class) DO UPDATE SET deleted_through = "
        "greatest(retention_floor.deleted_through, excluded.deleted_through)",
        {"a": [a for a, _, _ in dated], "c": [c for _, c, _ in dated], "t": [t for _, _, t in dated]})
    if blob_keys:
        cursor.execute("INSERT INTO blob_deletion (blob_key, queued_at) SELECT unnest(%s::text[]), %s "
                       "ON CONFLICT DO NOTHING", (blob_keys, now))


def record_counts(conn: Connection, run_id: int, counts: dict[tuple[int, str], tuple[int, datetime | None]],
                  blob_keys: list[str], now: datetime) -> None:
    """Tallies and floors from counts already grouped per (account, class): (deleted, newest occurrence)."""
    _record_direct(conn, run_id, {key: [n, latest] for key, (n, latest) in counts.items()}, blob_keys, now)


def queued_blobs(conn: Connection, limit: int = 5000) -> list[str]:
    """Blobs whose rows are gone but whose files may still exist."""
    return list(conn.execute(select(blob_deletion.c.blob_key).limit(limit)).scalars())


def dequeue_blobs(conn: Connection, keys: list[str]) -> None:
    """Forget blobs whose files are unlinked."""
    conn.execute(delete(blob_deletion).where(blob_deletion.c.blob_key.in_(keys)))


def tallies(conn: Connection, run_id: int) -> dict[int, dict[str, int]]:
    """Deleted counts per account per class of one run."""
    counts: dict[int, dict[str, int]] = {}
    for row in conn.execute(select(retention_tally).where(retention_tally.c.run_id == run_id)):
        counts.setdefault(row.account_id, {})[row.record_class] = row.deleted
    return counts


def _as_time(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
