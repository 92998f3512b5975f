"""Retention benchmark: plan and run SpectrumVoIP's schedule over N content records vs a bare DELETE.

The database is built with the bulk path (db/bulk.py), then copied: the engine's run (batched
DELETE … RETURNING, tallies, floors, receipt) deletes from one copy, and a bare `DELETE … WHERE`
of the same rows (the same predicates, one statement each, no batching or bookkeeping) deletes
from the other, in the same run on the same machine. Both leave the same rows. Records carry no
blob payloads (blob unlinking is file-system work the baseline could not do either).

    python bench/retention.py --records 100000
    python bench/retention.py --records 10000000
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/retention.py
    CUSTODIAN_BENCH_DATABASE_URL=… python bench/retention.py --records 1000000 --postgresql-only --no-partition-drop
Target (issue #6): ratio >= 0.5 on SQLite; on PostgreSQL the partition-drop path is reported apart.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scratch_db import scratch_server
from sqlalchemy import Engine, delete, func, insert, select

from custodian.backup import deletions
from custodian.backup.deletion_log import DeletionLog
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import new_key
from custodian.crypto.keyring import Keyring
from custodian.db import schema
from custodian.db.bulk import BulkInserter, time_encoder
from custodian.db.engine import make_engine, transaction
from custodian.db.partitions import ensure_partitions
from custodian.policy.check import check_file
from custodian.records.tables import account, content_item
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan, purge_targets
from custodian.retention.rules import Schedule, compile_schedule
from custodian.retention.targets import gather_work

POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"
NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)
KINDS = ("voice_message", "fax_incoming", "fax_outgoing", "fax_sent", "sms_body", "call_recording", "chat")
COLUMNS = ("account_id", "occurred_at", "record_key", "kind", "direction", "size_bytes", "payload_enc")
PG_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL", "")


def schedule() -> Schedule:
    """SpectrumVoIP's schedule."""
    document = check_file(POLICY).document
    assert document is not None
    return compile_schedule(document.retention)


def build(engine: Engine, records: int, accounts: int, seed: int = 6, kinds: tuple[str, ...] = KINDS,
          mixed: bool = True) -> None:
    """Accounts (if `mixed`: 30% HIPAA, 2% closed 60 days ago) and `records` content rows of `kinds` over two
    years, in bulk."""
    rng = random.Random(seed)
    with transaction(engine) as conn:
        conn.execute(insert(account), [
            {"ref": f"B-{i}", "kind": "business", "profile": "hipaa" if mixed and i % 10 < 3 else "standard",
             "status": "closed" if mixed and i % 50 == 0 else "active",
             "closed_on": NOW.date() - timedelta(days=60) if mixed and i % 50 == 0 else None, "created_at": NOW}
            for i in range(1, accounts + 1)])
    inserter = BulkInserter(content_item, COLUMNS)
    span = 730 * 86400
    done = 0
    while done < records:
        size = min(200_000, records - done)
        with transaction(engine) as conn:
            encode = time_encoder(conn)
            moments = [NOW - timedelta(seconds=rng.randrange(span)) for _ in range(size)]
            ensure_partitions(conn, "content_item", moments)
            rows = [(rng.randrange(1, accounts + 1), encode(moment), rng.randbytes(16), rng.choice(kinds),
                     "in", 1000, b"\x00" * 40) for moment in moments]
            inserter.insert(conn, rows)
        done += size
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def bare_delete(engine: Engine, plan_schedule: Schedule) -> tuple[int, float]:
    """The same rows removed with one plain DELETE … WHERE per rule (predicates worked out untimed)."""
    with engine.connect() as conn:
        work = gather_work(conn, plan_schedule, NOW)
    targets = [*work.targets, *(t for t in purge_targets(work.purges) if t.table is content_item)]
    started = time.perf_counter()
    deleted = 0
    with transaction(engine) as conn:
        for target in targets:
            deleted += conn.execute(delete(target.table).where(target.where)).rowcount
    return deleted, time.perf_counter() - started


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(content_item)).scalar_one())


BATCH = int(os.environ.get("CUSTODIAN_BENCH_BATCH", "20000"))


def measure(label: str, ours: Engine, bare: Engine, blob_dir: Path) -> bool:
    """Plan and run on `ours`, bare DELETE on `bare`; print the figures; True when the target is met."""
    plan_schedule = schedule()
    started = time.perf_counter()
    with ours.connect() as conn:
        plan = build_plan(conn, plan_schedule, NOW)
    planned = sum(plan.deletions.values())
    print(f"[{label}] plan: {planned:,} rows to delete in {time.perf_counter() - started:.1f}s; "
          f"accounts purged {plan.accounts_purged}")
    if os.environ.get("CUSTODIAN_BENCH_DELETION_LOG", "1") != "0":  # as in production: every batch is logged
        deletions.attach(ours, DeletionLog(blob_dir.parent / f"deletion-log-{label}" / "deletions.jsonl"))
    started = time.perf_counter()
    result = run_retention(ours, Keyring(new_key()), LocalBlobStore(blob_dir), plan_schedule, policy_hash="bench",
                           now=NOW, actor="bench", batch=BATCH)
    seconds = time.perf_counter() - started
    bare_rows, bare_seconds = bare_delete(bare, plan_schedule)
    same = count(ours) == count(bare)
    rate, bare_rate = result.deleted / seconds, bare_rows / bare_seconds
    print(f"[{label}] run: {result.deleted:,} rows in {seconds:.1f}s = {rate:,.0f} rows/s "
          f"(partition drops: {result.partition_rows:,} rows)")
    print(f"[{label}] bare DELETE … WHERE: {bare_rows:,} rows in {bare_seconds:.1f}s = {bare_rate:,.0f} rows/s; "
          f"same rows left: {same}")
    ratio = rate / bare_rate
    print(f"[{label}] ratio {ratio:.2f} (target >= 0.50)")
    return same and result.deleted == planned and (ratio >= 0.5 or label != "sqlite")


def sqlite_run(records: int, accounts: int, work: Path) -> bool:
    ours_path, bare_path = work / "custodian.db", work / "baseline.db"
    engine = make_engine(f"sqlite:///{ours_path}")
    schema.upgrade(engine)
    started = time.perf_counter()
    build(engine, records, accounts)
    engine.dispose()
    print(f"[sqlite] built {records:,} records in {time.perf_counter() - started:.1f}s")
    shutil.copy(ours_path, bare_path)
    return measure("sqlite", make_engine(f"sqlite:///{ours_path}"), make_engine(f"sqlite:///{bare_path}"),
                   work / "blobs")


def postgres_run(records: int, accounts: int, work: Path, partitions: bool = True) -> bool:
    """The mixed workload (row by row: every month holds rows no single rule covers), then the partition path."""
    ok = _postgres("postgresql", records, accounts, work, KINDS, True)
    if partitions:
        ok = _postgres("postgresql, partition drop", records, accounts, work, ("call_recording",), False) and ok
    return ok


def _postgres(label: str, records: int, accounts: int, work: Path, kinds: tuple[str, ...], mixed: bool) -> bool:
    with scratch_server(PG_URL) as server:
        ours = server.create("custodian_bench")
        engine = make_engine(ours)
        schema.upgrade(engine)
        build(engine, records, accounts, kinds=kinds, mixed=mixed)
        engine.dispose()
        bare = server.create("custodian_bare", template=ours)
        ours_engine, bare_engine = make_engine(ours), make_engine(bare)
        try:
            return measure(label, ours_engine, bare_engine, work / "pg-blobs")
        finally:
            ours_engine.dispose()
            bare_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=int(os.environ.get("CUSTODIAN_BENCH_RECORDS", 10_000_000)))
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--postgresql-only", action="store_true", help="skip the SQLite run")
    parser.add_argument("--no-partition-drop", action="store_true", help="skip the partition-drop workload")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custodian-retention-bench-"))
    print(f"workload: {args.records:,} content records, {args.accounts:,} accounts in {work}; now = {NOW.isoformat()}")
    ok = True if args.postgresql_only else sqlite_run(args.records, args.accounts, work)
    if PG_URL:
        ok &= postgres_run(args.records, args.accounts, work, partitions=not args.no_partition_drop)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok or not os.environ.get("CUSTODIAN_BENCH_STRICT") else 1)


if __name__ == "__main__":
    main()
