"""Monthly range partitions on PostgreSQL, created ahead of the data they receive (no-op on SQLite).

Whole partitions can then be detached or dropped by time-based retention, and every query on
subscriber data stays scoped by account and time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event, text

from custodian.kernel.timeparse import month_start, next_month

PARTITIONED = ("call_log", "fax_log", "sms_log", "content_item", "audit_event")

_known: WeakKeyDictionary[Engine, set[tuple[str, datetime]]] = WeakKeyDictionary()


def partition_name(table: str, month: datetime) -> str:
    """`call_log_y2026m03` for March 2026."""
    return f"{table}_y{month.year:04d}m{month.month:02d}"


def ensure_partition(conn: Connection, table: str, moment: datetime) -> None:
    """Make sure the month partition holding `moment` exists (cached per engine)."""
    ensure_partitions(conn, table, (moment,))


def ensure_partitions(conn: Connection, table: str, moments: Iterable[datetime]) -> None:
    """Create any missing month partitions of `table` for the given times."""
    if conn.dialect.name != "postgresql":
        return
    known = _known.get(conn.engine)
    if known is None:
        known = _known[conn.engine] = set()
        # A rolled-back transaction takes the partitions it created with it: forget those (only those: the
        # read-only connections every request closes with a rollback must not make us ask again).
        for name in ("rollback", "rollback_savepoint"):
            event.listen(conn.engine, name, _forget_new)
        event.listen(conn.engine, "commit", lambda c: c.info.pop(_NEW, None))
    for month in {month_start(m) for m in moments}:
        if (table, month) in known:
            continue
        name = partition_name(table, month)
        conn.execute(
            text(
                f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{table}" '
                f"FOR VALUES FROM ('{month.isoformat()}') TO ('{next_month(month).isoformat()}')"
            )
        )
        known.add((table, month))
        conn.info.setdefault(_NEW, set()).add((table, month))


_NEW = "custodian_new_partitions"  # (table, month) this connection's open transaction made sure of


def _forget_new(conn: Connection, *_args: object) -> None:
    created = conn.info.pop(_NEW, None)
    known = _known.get(conn.engine)
    if created and known is not None:
        known.difference_update(created)


def ensure_ahead(conn: Connection, now: datetime, months_ahead: int = 3) -> int:
    """Create partitions for the current month and `months_ahead` following, for every table."""
    months = [month_start(now)]
    for _ in range(months_ahead):
        months.append(next_month(months[-1]))
    for table in PARTITIONED:
        ensure_partitions(conn, table, months)
    return len(months) * len(PARTITIONED) if conn.dialect.name == "postgresql" else 0


def forget_known(engine: Engine) -> None:
    """Drop the cache of known partitions (after a schema reset in tests)."""
    _known.pop(engine, None)


__all__ = ["PARTITIONED", "drop_partition", "ensure_ahead", "ensure_partition", "ensure_partitions", "forget_known",
           "month_partitions", "partition_name"]


def month_partitions(conn: Connection, table: str) -> list[tuple[str, datetime]]:
    """The month partitions of `table` that exist (name, first instant of the month), oldest first."""
    if conn.dialect.name != "postgresql":
        return []
    rows = conn.execute(text(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :table"), {"table": table}).scalars()
    found = []
    for name in rows:
        stamp = name.removeprefix(f"{table}_y")
        if len(stamp) == 7 and stamp[4] == "m" and stamp[:4].isdigit() and stamp[5:].isdigit():
            found.append((name, datetime(int(stamp[:4]), int(stamp[5:]), 1, tzinfo=UTC)))
    return sorted(found, key=lambda item: item[1])


def drop_partition(conn: Connection, table: str, month: datetime) -> None:
    """Detach and drop one month partition (retention of a whole expired month); it is re-created on demand."""
    name = partition_name(table, month)
    conn.execute(text(f'ALTER TABLE "{table}" DETACH PARTITION "{name}"'))
    conn.execute(text(f'DROP TABLE "{name}"'))
    known = _known.get(conn.engine)
    if known is not None:
        known.discard((table, month_start(month)))
