"""Fast chain verification: the database builds each event's canonical text (or, on PostgreSQL, hashes
it), Python checks hashes and links in segments, optionally in several processes, joined in order.

A chain is intact exactly when `chain.first_break` would say so. The fast form only moves work:
- SQLite builds the JSON array `chain.link_hash` hashes with its C `json_array`, so Python hashes
  one byte string per event instead of assembling it from ten columns;
- PostgreSQL builds the same array with `to_json` and compares its `sha256` to the stored hash in
  the server (the same trust as reading the rows: either way the database reports what it holds).
Any event the fast check rejects is re-checked by the reference rule on its stored fields before it
is reported, so a difference in how a database escapes text can never show as a false break.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import chain
from multiprocessing import get_all_start_methods, get_context
from typing import Any

from sqlalchemy import Connection

from custodian.audit.chain import (
    GENESIS_HASH,
    ChainBreak,
    Segment,
    check_checked_segment,
    first_break_of_segments,
    reference_verdict,
)
from custodian.db.engine import make_engine

FETCH_ROWS = 5_000
PARALLEL_FROM = 200_000  # below this, starting processes costs more than it saves

_PG_OCCURRED = "pg_catalog.to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
_STORED_COLUMNS = "seq, {occurred}, actor, action, account_id, record_classes, reason, detail, prev_hash, hash"
# NULL (the reference rule then judges the event) when a field holds another type: json_array refuses a
# BLOB, and a re-typed field is tampering to report, never an error (SQLite stores any type in any column).
_SQLITE_TYPES = " AND ".join([*(f"typeof({c}) = 'text'" for c in (
    "occurred_at", "actor", "action", "record_classes", "reason", "detail", "prev_hash", "hash")),
    "typeof(seq) = 'integer'", "typeof(account_id) IN ('integer', 'null')"])
_SQLITE_CHECK = (f"CASE WHEN {_SQLITE_TYPES} THEN CAST(json_array(seq, occurred_at, actor, action, account_id, "
                 "record_classes, reason, detail, prev_hash) AS BLOB) END")
_PG_TEXT = " || ',' || ".join([
    "'[' || seq::text", f"pg_catalog.to_json({_PG_OCCURRED})::text", "pg_catalog.to_json(actor)::text",
    "pg_catalog.to_json(action)::text", "coalesce(account_id::text, 'null')",
    "pg_catalog.to_json(record_classes)::text", "pg_catalog.to_json(reason)::text", "pg_catalog.to_json(detail)::text",
    "pg_catalog.to_json(prev_hash)::text || ']'"])
_PG_CHECK = f"pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to({_PG_TEXT}, 'UTF8')), 'hex') = hash"


def head_of(conn: Connection) -> tuple[int, str]:
    """The chain head (sequence number and hash)."""
    row = conn.exec_driver_sql("SELECT seq, hash FROM audit_head WHERE id = 1").first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


def verify_range(conn: Connection, after: int, upto: int) -> Segment | None:
    """Check events after..upto (exclusive, inclusive) as one segment."""
    return check_checked_segment(checked_rows(conn, after, upto), confirm=lambda seq: _reference_holds(conn, seq))


def verify_fast(conn: Connection, after: tuple[int, str] = (0, GENESIS_HASH),
                upto: tuple[int, str] | None = None) -> ChainBreak | None:
    """Verify the events after `after` (the genesis by default) up to `upto` (the head, read first), here."""
    head_seq, head_hash = upto or head_of(conn)
    return first_break_of_segments([verify_range(conn, after[0], head_seq)], head_seq, head_hash, after)


def verify_parallel(url: str, workers: int | None = None, min_events: int = PARALLEL_FROM,
                    after: tuple[int, str] = (0, GENESIS_HASH),
                    upto: tuple[int, str] | None = None) -> ChainBreak | None:
    """Verify like `verify_fast`, split across `workers` processes when there are `min_events` to check."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            head_seq, head_hash = upto or head_of(conn)
            workers = workers or os.cpu_count() or 1
            if workers < 2 or head_seq - after[0] < min_events:
                return verify_fast(conn, after, (head_seq, head_hash))
    finally:
        engine.dispose()
    step = -(-(head_seq - after[0]) // workers)
    bounds = [(lo, min(lo + step, head_seq)) for lo in range(after[0], head_seq, step)]
    with ProcessPoolExecutor(workers, mp_context=get_context(_start_method())) as pool:
        segments = list(pool.map(_verify_range_at, [url] * len(bounds), *zip(*bounds, strict=True)))
    return first_break_of_segments(segments, head_seq, head_hash, after)


def _start_method() -> str:
    """Fork when this process runs one thread (the CLI, a job): the children start at once instead of
    re-importing the program; spawn otherwise (a web server's threads may hold locks a fork would copy)."""
    return "fork" if threading.active_count() == 1 and "fork" in get_all_start_methods() else "spawn"


def _verify_range_at(url: str, after: int, upto: int) -> Segment | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return verify_range(conn, after, upto)
    finally:
        engine.dispose()


def checked_rows(conn: Connection, after: int, upto: int) -> Iterator[Sequence[Any]]:
    """(seq, prev_hash, hash, check) of events after..upto: check is the canonical array's bytes on
    SQLite and the server's verdict on the hash on PostgreSQL (see `chain.check_checked_segment`)."""
    check = _PG_CHECK if conn.dialect.name == "postgresql" else _SQLITE_CHECK
    return chain.from_iterable(_batches(conn, f"seq, prev_hash, hash, {check}", after, upto))


def stored_rows(conn: Connection, after: int, upto: int) -> Iterator[Sequence[Any]]:
    """Stored chain fields of events after..upto as plain tuples in StoredEvent order (the reference form)."""
    occurred = _PG_OCCURRED if conn.dialect.name == "postgresql" else "occurred_at"
    return chain.from_iterable(_batches(conn, _STORED_COLUMNS.format(occurred=occurred), after, upto))


def _reference_holds(conn: Connection, seq: int) -> bool | str:
    """Whether the reference rule accepts event `seq`'s stored fields (the fallback of a failed fast check),
    or what is wrong with them."""
    rows = list(stored_rows(conn, seq - 1, seq))
    return len(rows) == 1 and reference_verdict(rows[0])


def _batches(conn: Connection, columns: str, after: int, upto: int) -> Iterator[list[Sequence[Any]]]:
    """Rows of `columns` for events after..upto in sequence order, in batches from the driver's own cursor
    (flattened by `itertools.chain`, which costs no Python frame per row)."""
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    sql = f"SELECT {columns} FROM audit_event WHERE seq > {mark} AND seq <= {mark} ORDER BY seq"
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, (after, upto))
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield rows
    finally:
        cursor.close()
