"""Customer export benchmark (issue 15 §5): one account's whole export ZIP from a big store.

The store holds CUSTODIAN_BENCH_RECORDS call, SMS and content records (default 10,000,000) over twelve months:
the target account has CUSTODIAN_BENCH_CALLS calls (100,000), CUSTODIAN_BENCH_SMS text messages with bodies
(20,000) and CUSTODIAN_BENCH_CONTENT voice messages in the blob store (500); a small account has 1,000 calls;
the rest are call records of 1,000 other accounts. The store is built once into a cache directory
(CUSTODIAN_BENCH_CACHE, default ~/.cache/custodian-bench) and reused by later runs of the same size.

Timed, each in a fresh process (its peak RSS reported): the export of the target account end to end
(dsr/export: policy, decryption, CSV + JSON per class, content files, README, manifest, ZIP on disk), and the
1,000-call account's. Baseline (same run, same rows): a bare indexed SELECT of the account's call, SMS and content
rows through the driver's cursor, written to CSV with the csv module, plus reading the same blob files.

    python bench/dsr_export.py                                   # 10M records (the build takes a while)
    CUSTODIAN_BENCH_RECORDS=300000 python bench/dsr_export.py    # a small store while developing
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python bench/dsr_export.py
Targets: ratio <= 2, the 1,000-call account under 1 s, peak RSS under 300 MB.
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from call_records import CALL_COLUMNS, account_line, add_calls

RECORDS = int(os.environ.get("CUSTODIAN_BENCH_RECORDS", "10000000"))
CALLS = int(os.environ.get("CUSTODIAN_BENCH_CALLS", "100000"))
SMS = int(os.environ.get("CUSTODIAN_BENCH_SMS", "20000"))
CONTENT = int(os.environ.get("CUSTODIAN_BENCH_CONTENT", "500"))
SMALL_CALLS = 1000
OTHERS = 1000
DATABASE_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL", "")
CACHE = Path(os.environ.get("CUSTODIAN_BENCH_CACHE", Path.home() / ".cache" / "custodian-bench"))
YEAR_START = datetime(2025, 3, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"
SMS_COLUMNS = ("account_id", "sent_at", "record_key", "direction", "segments", "payload_enc", "own_number_bidx")
CONTENT_COLUMNS = ("account_id", "occurred_at", "record_key", "kind", "direction", "media_type", "blob_key",
                   "size_bytes", "inline_enc", "payload_enc", "own_number_bidx")
MONTHS = [YEAR_START + timedelta(days=day) for day in range(0, 366, 28)]  # a day in every month of the year
VOICE_BYTES = 48_000  # three seconds of 8 kHz 16-bit audio


def workdir() -> Path:
    """The cache directory of a store of this size and backend."""
    backend = "pg" if DATABASE_URL else "sqlite"
    return CACHE / f"dsr-export-{backend}-{RECORDS}-{CALLS}-{SMS}-{CONTENT}"


def services(work: Path) -> tuple[Any, Any, Any]:
    """(engine, keyring, blob store) of the cached store; the master key is kept beside it."""
    from custodian.crypto.blobs import LocalBlobStore
    from custodian.crypto.envelope import new_key
    from custodian.crypto.keyring import Keyring
    from custodian.db.engine import make_engine

    work.mkdir(parents=True, exist_ok=True)
    key_file = work / "master.key"
    if not key_file.exists():
        key_file.write_bytes(new_key())
    engine = make_engine(DATABASE_URL or f"sqlite:///{work}/custodian.db")
    return engine, Keyring(key_file.read_bytes()), LocalBlobStore(work / "blobs")


def build_store(engine: Any, keyring: Any, blobs: Any) -> None:
    """Accounts through the record store; records through the bulk inserter, account by account."""
    from custodian.db.engine import transaction
    from custodian.records import store as records
    from custodian.records.types import NewAccount

    with transaction(engine) as conn:
        ids = [records.create_account(conn, keyring, NewAccount(
            ref=ref, kind="business", profile="standard", status="active", first_name="Bench", last_name=ref,
            email=f"{ref.lower()}@example.com", contact_phone="+15125550000"))
            for ref in ["DSR-TARGET", "DSR-SMALL", *(f"ACC-{i:05d}" for i in range(OTHERS))]]
    target, small, others = ids[0], ids[1], ids[2:]
    rest = max(0, RECORDS - CALLS - SMS - CONTENT - SMALL_CALLS) // OTHERS
    began, written = time.time(), 0
    for account_id, count in [(target, CALLS), (small, SMALL_CALLS), *((a, rest) for a in others)]:
        written += add_calls(engine, keyring, account_id, count, own=account_line(account_id), start=YEAR_START,
                             span=YEAR, unique=account_id in (target, small))
        if written and written % 1_000_000 < count:
            print(f"  built {written:,} call records ({time.time() - began:.0f}s)", file=sys.stderr)
    _sms(engine, keyring, target)
    _content(engine, keyring, blobs, target)


def _sms(engine: Any, keyring: Any, account_id: int) -> None:
    """SMS log rows and their bodies (content items, inline)."""
    from custodian.db.bulk import BulkInserter, time_encoder
    from custodian.db.engine import transaction
    from custodian.db.partitions import ensure_partitions
    from custodian.records import payload
    from custodian.records.tables import content_item, sms_log

    with transaction(engine) as conn:
        ensure_partitions(conn, "sms_log", MONTHS)
        ensure_partitions(conn, "content_item", MONTHS)
        stamp, cipher = time_encoder(conn), keyring.cipher(conn, account_id)
        own = account_line(account_id)
        line = keyring.blind_index(conn, "number", own)
        logs, bodies = [], []
        for index in range(SMS):
            sent = YEAR_START + YEAR * index / SMS + timedelta(seconds=7)
            other = f"+1415555{index % 10000:04d}"
            key = (account_id << 40 | index).to_bytes(16, "big")
            logs.append((account_id, stamp(sent), key, "out", 1, cipher.seal(payload.encode_values(
                (own, other, own, other)), payload.aad("sms_log", "payload", account_id)), line))
            bodies.append((account_id, stamp(sent), key, "sms_body", "out", "text/plain", None, None,
                           cipher.seal(f"Message {index}: see you at noon", payload.aad("content_item", "inline",
                                                                                         account_id)),
                           cipher.seal(other, payload.aad("content_item", "payload", account_id)), line))
        BulkInserter(sms_log, SMS_COLUMNS).insert(conn, logs)
        BulkInserter(content_item, CONTENT_COLUMNS).insert(conn, bodies)


def _content(engine: Any, keyring: Any, blobs: Any, account_id: int) -> None:
    """Voice messages: each payload sealed into the blob store, a content item pointing at it."""
    from custodian.db.bulk import BulkInserter, time_encoder
    from custodian.db.engine import transaction
    from custodian.records import payload
    from custodian.records.tables import content_item

    audio = random.Random(5).randbytes(VOICE_BYTES // 4) * 4
    with transaction(engine) as conn:
        stamp, cipher = time_encoder(conn), keyring.cipher(conn, account_id)
        line = keyring.blind_index(conn, "number", account_line(account_id))
        rows = []
        for index in range(CONTENT):
            at = YEAR_START + YEAR * index / CONTENT + timedelta(seconds=13)
            blob_key, size, _ = blobs.put(cipher, account_id, [b"RIFF" + index.to_bytes(4, "big") + audio])
            rows.append((account_id, stamp(at), (account_id << 40 | 1 << 32 | index).to_bytes(16, "big"),
                         "voice_message", "in", "audio/wav", blob_key, size, None,
                         cipher.seal("+14155550123", payload.aad("content_item", "payload", account_id)), line))
        BulkInserter(content_item, CONTENT_COLUMNS).insert(conn, rows)


def measure_export(work: Path, ref: str) -> dict[str, Any]:
    """Export one account to a ZIP in the cache directory (run in a fresh process)."""
    from custodian.db.engine import transaction
    from custodian.dsr.export.service import account_id_of, export_account
    from custodian.policy.check import check_file

    engine, keyring, blobs = services(work)
    document = check_file(POLICY).document
    out = work / f"{ref}.zip"
    began = time.perf_counter()
    with transaction(engine) as conn:
        summary = export_account(conn, keyring, blobs, document, account_id_of(conn, ref), out, actor="bench",
                                 now=datetime.now(UTC))
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "rows": sum(summary.files.values()), "content_files": summary.content_files,
            "bytes": summary.bytes, "rss_mb": _peak_rss_mb()}


def measure_baseline(work: Path, ref: str) -> dict[str, Any]:
    """A bare indexed SELECT of the account's call, SMS and content rows written to CSV, plus its blob files."""
    from custodian.db.engine import transaction
    from custodian.dsr.export.service import account_id_of

    engine, _, blobs = services(work)
    with transaction(engine) as conn:
        account_id = account_id_of(conn, ref)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    queries = [(f"SELECT {', '.join(columns)} FROM {table} WHERE account_id = {mark} ORDER BY {time}")
               for table, columns, time in (("call_log", CALL_COLUMNS, "started_at"),
                                            ("sms_log", SMS_COLUMNS, "sent_at"),
                                            ("content_item", CONTENT_COLUMNS, "occurred_at"))]
    began, rows, read = time.perf_counter(), 0, 0
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        writer = csv.writer(io.StringIO())
        keys = []
        for sql in queries:
            cursor.execute(sql, (account_id,))
            for row in cursor:
                writer.writerow(row)
                rows += 1
                if sql.startswith("SELECT account_id, occurred_at") and row[6]:
                    keys.append(row[6])
        for key in keys:
            read += len(blobs._path(key).read_bytes())
    return {"seconds": time.perf_counter() - began, "rows": rows, "blob_bytes": read, "rss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_fresh_process(function: Any, *args: Any) -> dict[str, Any]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        result: dict[str, Any] = pool.apply(function, args)
    return result


def main() -> None:
    from custodian.db import schema

    work = workdir()
    engine, keyring, blobs = services(work)
    ready = work / "ready.json"
    backend = "PostgreSQL" if DATABASE_URL else "SQLite"
    print(f"workload ({backend}): {RECORDS:,} records; one account with {CALLS:,} calls, {SMS:,} SMS, "
          f"{CONTENT:,} voice messages; store in {work}")
    if ready.exists() and json.loads(ready.read_text()).get("database", "") != DATABASE_URL.rsplit("@", 1)[-1]:
        sys.exit(f"{ready} was built in another database; remove {work} (and empty the database) to rebuild")
    if not ready.exists():
        began = time.time()
        schema.upgrade(engine)
        build_store(engine, keyring, blobs)
        ready.write_text(json.dumps({"records": RECORDS, "built_s": round(time.time() - began),
                                     "database": DATABASE_URL.rsplit("@", 1)[-1]}))
        print(f"store built in {time.time() - began:.0f}s")
    engine.dispose()
    base = _in_fresh_process(measure_baseline, work, "DSR-TARGET")
    ours = _in_fresh_process(measure_export, work, "DSR-TARGET")
    small = _in_fresh_process(measure_export, work, "DSR-SMALL")
    ratio = ours["seconds"] / base["seconds"]
    print(f"baseline (indexed SELECT -> CSV + blob files): {base['rows']:,} rows, {base['blob_bytes'] / 1e6:.1f} MB "
          f"of blobs in {base['seconds']:.3f}s")
    print(f"export: {ours['rows']:,} rows, {ours['content_files']:,} content files, zip {ours['bytes'] / 1e6:.1f} MB "
          f"in {ours['seconds']:.3f}s, peak RSS {ours['rss_mb']:.0f} MB")
    print(f"1,000-call account: {small['rows']:,} rows in {small['seconds']:.3f}s, peak RSS {small['rss_mb']:.0f} MB")
    met = ratio <= 2 and small["seconds"] < 1 and max(ours["rss_mb"], small["rss_mb"]) < 300
    print(f"ratio {ratio:.2f} (target <= 2), small {small['seconds']:.2f}s (target < 1 s), peak RSS "
          f"{max(ours['rss_mb'], small['rss_mb']):.0f} MB (target < 300 MB): {'met' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
