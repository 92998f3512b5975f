"""Audit-chain benchmark: batched appends and chain verification, against bare baselines.

Appends: `audit.store.append_many` (one head lock, one bulk insert and one commit per batch) vs a
bare sqlite3 `executemany` / psycopg `COPY` of the same, already hashed rows with the same batching.
Verification: `audit.store.verify` in one process, and `audit.verify.verify_parallel` across
processes, vs a bare baseline that only fetches the stored rows (all ten chain fields) in one process.
Also the officer's chain page status right after a recorded whole-chain verification.

    python bench/audit.py                              # 1,000,000 events on SQLite, commits of 5,000
    CUSTODIAN_BENCH_EVENTS=200000 CUSTODIAN_BENCH_BATCH=2000 python bench/audit.py
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/audit.py
Targets (issue #5): appends >= 20,000 events/s, verification >= 500,000 events/s.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import nullcontext
from datetime import UTC, datetime

from scratch_db import ScratchServer, scratch_server

from custodian.audit import checkpoints
from custodian.audit import store as audit
from custodian.audit.verify import stored_rows, verify_parallel
from custodian.db import schema
from custodian.db.engine import make_engine, transaction
from custodian.db.partitions import ensure_partition

EVENTS = int(os.environ.get("CUSTODIAN_BENCH_EVENTS", "1000000"))
BATCH = int(os.environ.get("CUSTODIAN_BENCH_BATCH", "5000"))
WORKERS = int(os.environ.get("CUSTODIAN_BENCH_WORKERS", str(os.cpu_count() or 2)))
PG_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL", "")


def decision(i: int) -> dict:
    """One access decision as the console records it."""
    return {"actor": f"staff:rep{i % 40}", "action": "access.permit" if i % 4 else "access.deny",
            "account_id": 1 + i % 5000, "record_classes": ["cpni.call_log"],
            "reason": "needed for a technical ticket (support_representative)",
            "detail": {"ticket": i // 5, "purpose": "support", "mask": "masked_counterpart", "action": "read",
                       "break_glass": False, "policy": "0706ec684ff7e9fb"}}


def fresh_database(label: str, server: ScratchServer | None) -> str:
    """An empty SQLite file, or a scratch PostgreSQL database of `server` (dropped when the run ends)."""
    if server is None:
        return f"sqlite:///{tempfile.mkdtemp(prefix='custodian-audit-')}/audit.db"
    return server.create("custodian_bench")


def appends(url: str) -> float:
    engine = make_engine(url)
    schema.upgrade(engine)
    started = time.perf_counter()
    for lo in range(0, EVENTS, BATCH):
        with transaction(engine) as conn:
            audit.append_many(conn, (decision(i) for i in range(lo, min(lo + BATCH, EVENTS))))
    seconds = time.perf_counter() - started
    engine.dispose()
    return EVENTS / seconds


def bare_appends(url: str, source_url: str) -> float:
    """Copy the already hashed rows into a second, empty chain table with plain executemany."""
    engine, source = make_engine(url), make_engine(source_url)
    with source.connect() as conn:
        rows = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT occurred_at, seq, actor, action, account_id, record_classes, reason, detail, prev_hash, hash "
            "FROM audit_event ORDER BY seq")]
    schema.upgrade(engine)
    with transaction(engine) as conn:  # partitions exist before timing, as for a running system
        for moment in {datetime.fromisoformat(str(r[0])).replace(tzinfo=UTC) for r in rows[:1] + rows[-1:]}:
            ensure_partition(conn, "audit_event", moment)
    mark = "?" if url.startswith("sqlite") else "%s"
    sql = ("INSERT INTO audit_event (occurred_at, seq, actor, action, account_id, record_classes, reason, detail, "
           f"prev_hash, hash) VALUES ({', '.join([mark] * 10)})")
    started = time.perf_counter()
    for lo in range(0, len(rows), BATCH):
        with transaction(engine) as conn:
            if url.startswith("sqlite"):
                conn.exec_driver_sql(sql, rows[lo:lo + BATCH])
                continue
            with conn.connection.dbapi_connection.cursor().copy(sql.split(" VALUES")[0].replace(
                    "INSERT INTO", "COPY") + " FROM STDIN") as copy:
                for row in rows[lo:lo + BATCH]:
                    copy.write_row(row)
    seconds = time.perf_counter() - started
    engine.dispose()
    source.dispose()
    return len(rows) / seconds


def verification(url: str) -> tuple[float, float, float]:
    """Events per second of a bare fetch, one-process and parallel verification: the median of three runs each."""
    engine = make_engine(url)
    fetch, one, many = [], [], []
    for _ in range(3):
        with engine.connect() as conn:
            started = time.perf_counter()
            count = sum(1 for _ in stored_rows(conn, 0, EVENTS))
            fetch.append(count / (time.perf_counter() - started))
            started = time.perf_counter()
            assert audit.verify(conn) is None
            one.append(EVENTS / (time.perf_counter() - started))
        started = time.perf_counter()
        assert verify_parallel(url, WORKERS, min_events=1) is None
        many.append(EVENTS / (time.perf_counter() - started))
    engine.dispose()
    return statistics.median(fetch), statistics.median(one), statistics.median(many)


def chain_page(url: str) -> tuple[float, float]:
    """Seconds to record a whole-chain verification, then to build the chain page's status."""
    engine = make_engine(url)
    started = time.perf_counter()
    assert checkpoints.verify_whole_chain(engine, actor="bench", now=datetime.now(UTC), workers=WORKERS)[1] is None
    whole = time.perf_counter() - started
    with engine.connect() as conn:
        started = time.perf_counter()
        assert checkpoints.status(conn).found is None
        page = time.perf_counter() - started
    engine.dispose()
    return whole, page


def main() -> None:
    targets = ["sqlite"] + (["postgresql"] if PG_URL else [])
    print(f"workload: {EVENTS:,} access decisions, commits of {BATCH:,}, {WORKERS} verification processes "
          f"on {os.cpu_count()} CPUs")
    for label in targets:
        with scratch_server(PG_URL) if label == "postgresql" else nullcontext() as server:
            measure(label, server)


def measure(label: str, server: ScratchServer | None) -> None:
    """Appends against a bare insert, verification against a bare fetch, and the chain page, on one backend."""
    url = fresh_database(label, server)
    ours = appends(url)
    bare = bare_appends(fresh_database(label, server), url)
    print(f"[{label}] append_many {ours:,.0f} events/s; bare {'executemany' if label == 'sqlite' else 'COPY'} "
          f"{bare:,.0f} rows/s; "
          f"ratio {ours / bare:.2f} (target >= 20,000 events/s)")
    fetch, one, many = verification(url)
    print(f"[{label}] verify: one process {one:,.0f} events/s, {WORKERS} processes {many:,.0f} events/s; "
          f"bare fetch {fetch:,.0f} rows/s; ratio {max(one, many) / fetch:.2f} (target >= 500,000 events/s)")
    whole, page = chain_page(url)
    print(f"[{label}] chain page: whole-chain verification recorded in {whole:.2f} s; "
          f"the page's status after it {page * 1000:.1f} ms")


if __name__ == "__main__":
    main()
