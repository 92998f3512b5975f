"""Fast chain verification: rows straight from the driver's cursor, checked in segments, optionally
by several processes at once (each segment's hashes and inner links), joined in sequence order.

A chain is intact exactly when `chain.first_break` would say so; the segment form only lets the
per-event hash work, which dominates, run in parallel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from sqlalchemy import Connection

from custodian.audit.chain import ChainBreak, Segment, check_segment, first_break_of_segments
from custodian.db.engine import make_engine

FETCH_ROWS = 20_000
PARALLEL_FROM = 400_000  # below this, starting processes costs more than it saves


def head_of(conn: Connection) -> tuple[int, str]:
    """The chain head (sequence number and hash)."""
    row = conn.exec_driver_sql("SELECT seq, hash FROM audit_head WHERE id = 1").first()
    return (int(row[0]), str(row[1])) if row else (0, "0" * 64)


def verify_range(conn: Connection, after: int, upto: int) -> Segment | None:
    """Check events after..upto (exclusive, inclusive) as one segment."""
    return check_segment(stored_rows(conn, after, upto))


def verify_fast(conn: Connection) -> ChainBreak | None:
    """Verify the chain up to the head read first, in this process."""
    head_seq, head_hash = head_of(conn)
    return first_break_of_segments([verify_range(conn, 0, head_seq)], head_seq, head_hash)


def verify_parallel(url: str, workers: int | None = None, min_events: int = PARALLEL_FROM) -> ChainBreak | None:
    """Verify the chain up to the head read first, split across `workers` processes from `min_events` on."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            head_seq, head_hash = head_of(conn)
            workers = workers or os.cpu_count() or 1
            if workers < 2 or head_seq < min_events:
                return first_break_of_segments([verify_range(conn, 0, head_seq)], head_seq, head_hash)
    finally:
        engine.dispose()
    step = -(-head_seq // workers)
    bounds = [(lo, min(lo + step, head_seq)) for lo in range(0, head_seq, step)]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        segments = list(pool.map(_verify_range_at, [url] * len(bounds), *zip(*bounds, strict=True)))
    return first_break_of_segments(segments, head_seq, head_hash)


def _verify_range_at(url: str, after: int, upto: int) -> Segment | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return verify_range(conn, after, upto)
    finally:
        engine.dispose()


def stored_rows(conn: Connection, after: int, upto: int) -> Iterator[Sequence[Any]]:
    """Stored chain fields of events after..upto as plain tuples, from the driver's own cursor."""
    postgres = conn.dialect.name == "postgresql"
    occurred = "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" if postgres else "occurred_at"
    mark = "%s" if postgres else "?"
    sql = (f"SELECT seq, {occurred}, actor, action, account_id, record_classes, reason, detail, prev_hash, hash "
           f"FROM audit_event WHERE seq > {mark} AND seq <= {mark} ORDER BY seq")
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, (after, upto))
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield from rows
    finally:
        cursor.close()
