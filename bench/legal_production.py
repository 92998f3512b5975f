"""Legal production benchmark: scope and produce one number over two months from a store of call records.

The store (SQLite; built with the bulk path, db/bulk.py, sealed payloads as the importer writes them)
holds CUSTODIAN_BENCH_CALLS call records (default 10,000,000) over twelve months across
CUSTODIAN_BENCH_ACCOUNTS accounts. The target number is a busy business line: it carries
CUSTODIAN_BENCH_TARGET_SHARE of all calls (default 1%) and changes hands mid-January, so the scope
finds two accounts. Timed: number history scope + the whole production (decrypting each row, CSVs,
subscriber and certification PDFs, manifest, AES-256 zip). Baseline (same run, same rows): a bare
indexed SELECT of those rows per matched account and window, written to CSV with the csv module.

    python bench/legal_production.py                        # 10M calls (build takes minutes)
    CUSTODIAN_BENCH_CALLS=100000 python bench/legal_production.py
Targets (issue #4): ratio <= 3 and under 2 s on SQLite.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import new_key
from custodian.crypto.keyring import Keyring
from custodian.db import schema
from custodian.db.bulk import BulkInserter, sqlite_time
from custodian.db.engine import make_engine, transaction
from custodian.legal import production, service, submission
from custodian.legal.scope import Window
from custodian.legal.targets import scope_number
from custodian.legal.types import LegalRequest
from custodian.policy.check import check_file
from custodian.policy.compiled import compile_policy
from custodian.records import payload
from custodian.records import store as records
from custodian.records.tables import call_log, number_assignment
from custodian.records.types import NewAccount

CALLS = int(os.environ.get("CUSTODIAN_BENCH_CALLS", "10000000"))
ACCOUNTS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNTS", "1000"))
SHARE = float(os.environ.get("CUSTODIAN_BENCH_TARGET_SHARE", "0.01"))
TARGET = "+15125550100"
YEAR_START = datetime(2025, 3, 1, tzinfo=UTC)
HANDOVER = datetime(2026, 1, 15, tzinfo=UTC)
WINDOW = Window.of_days(datetime(2026, 1, 1).date(), datetime(2026, 2, 28).date())
POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"
CALL_COLUMNS = ("account_id", "started_at", "record_key", "direction", "source_format", "answered_at", "ended_at",
                "duration_s", "billsec_s", "disposition", "payload_enc", "own_number_bidx")
BATCH = 50_000


def build_store(engine: Engine, keyring: Keyring) -> None:
    """Accounts and numbers through the record store; calls through the bulk inserter, account by account."""
    with transaction(engine) as conn:
        ids = [records.create_account(conn, keyring, NewAccount(
            ref=f"ACC-{i:05d}", kind="business", profile="standard", status="active", first_name="Bench",
            last_name=f"Holder {i}", email=f"holder{i}@example.com", contact_phone="+15125550000"))
            for i in range(ACCOUNTS)]
        token = keyring.blind_index(conn, "number", TARGET)
        for account_id, start, end in ((ids[0], YEAR_START, HANDOVER), (ids[1], HANDOVER, None)):
            cipher = keyring.cipher(conn, account_id)
            conn.execute(number_assignment.insert().values(
                account_id=account_id, number_bidx=token, created_at=start, assigned_from=start, assigned_to=end,
                number_enc=cipher.seal(TARGET, payload.aad("number_assignment", "number", account_id))))
    target_calls = int(CALLS * SHARE)
    plan = [(ids[0], target_calls // 2, YEAR_START, HANDOVER), (ids[1], target_calls - target_calls // 2,
                                                                 HANDOVER, YEAR_START + timedelta(days=365))]
    rest = (CALLS - target_calls) // (ACCOUNTS - 2)
    plan += [(account_id, rest, YEAR_START, YEAR_START + timedelta(days=365)) for account_id in ids[2:]]
    inserter, rng, serial, written, began = BulkInserter(call_log, CALL_COLUMNS), random.Random(7), 0, 0, time.time()
    report = 1_000_000
    for account_id, count, first, last in plan:
        with transaction(engine) as conn:
            cipher = keyring.cipher(conn, account_id)
            aad = payload.aad("call_log", "payload", account_id)
            span = (last - first).total_seconds()
            own = TARGET if account_id in ids[:2] else f"+1512555{account_id % 10000:04d}"
            line = keyring.blind_index(conn, "number", own)
            rows = []
            for index in range(count):
                started = first + timedelta(seconds=span * index / max(count, 1))
                other = f"+1415{rng.randrange(2000000, 9999999)}"
                serial += 1
                rows.append((account_id, sqlite_time(started), serial.to_bytes(16, "big"), "out", "custodian",
                             sqlite_time(started), sqlite_time(started + timedelta(seconds=65)), 65, 60, "ANSWERED",
                             cipher.seal(payload.encode_values((own, other, own, other, "", "", "", "", "", "", "",
                                                                "")), aad), line))
                if len(rows) == BATCH:
                    written += inserter.insert(conn, rows)
                    rows = []
            written += inserter.insert(conn, rows)
        if written >= report:
            print(f"  built {written:,} call records ({time.time() - began:.0f}s)", file=sys.stderr)
            report += 1_000_000


def produce_once(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> tuple[float, int]:
    """Scope the number, then produce subscriber info and call logs for every match; returns (seconds, rows)."""
    policy = compile_policy(check_file(POLICY).document, POLICY.read_text())  # type: ignore[arg-type]
    now = datetime(2026, 3, 2, tzinfo=UTC)
    document = LegalRequest.model_validate({
        "kind": "data", "received_on": "2026-03-02",
        "requester": {"type": "law_enforcement", "agency": "Bench PD", "agent_name": "A. Agent", "badge_number": "1",
                      "email": "agent@bench.gov", "phone": "+19725550142", "phone_extension": "1",
                      "mailing_address": {"street": "1 Main St", "city": "Plano", "state": "TX",
                                          "postal_code": "75074"}},
        "instrument": {"type": "court_order_2703d", "jurisdiction": "US-TX"}, "service": {"channel": "email"},
        "targets": [{"phone_number": TARGET}], "date_range": {"from": "2026-01-01", "to": "2026-02-28"},
        "record_classes": ["subscriber.basic", "cpni.call_log"], "requested_response_on": "2026-03-20"})
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, policy, document, channel="staff", actor="bench", now=now)
        service.approve(conn, keyring, policy, done.request_id, ["subscriber.basic", "cpni.call_log"],
                        rationale="bench", actor="bench", now=now)
    began = time.perf_counter()
    with transaction(engine) as conn:
        service.scope(conn, keyring, done.request_id, actor="bench", now=now)
        made = production.produce(conn, keyring, blobs, policy, done.request_id, custodian_name="Bench",
                                  actor="bench", now=now)
    seconds = time.perf_counter() - began
    return seconds, len(made.package.data)


def baseline(engine: Engine, keyring: Keyring) -> tuple[float, int]:
    """A bare indexed SELECT of the same rows (per matched account and window) through the driver's own
    cursor (no ORM, no type processing, no decryption), written to CSV with the csv module."""
    with transaction(engine) as conn:
        matches = scope_number(conn, keyring, TARGET, WINDOW)
    columns = ", ".join(CALL_COLUMNS)
    sql = (f"SELECT {columns} FROM call_log WHERE account_id = ? AND started_at >= ? AND started_at < ? "
           "AND own_number_bidx = ? ORDER BY started_at")
    began = time.perf_counter()
    rows = 0
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for match in matches:
            cursor.execute(sql, (match.account_id, sqlite_time(match.window.start), sqlite_time(match.window.end),
                                 match.line))
            for row in cursor:
                writer.writerow(row)
                rows += 1
    return time.perf_counter() - began, rows


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="custodian-legal-bench-"))
    engine = make_engine(f"sqlite:///{work}/custodian.db")
    schema.upgrade(engine)
    keyring, blobs = Keyring(new_key()), LocalBlobStore(work / "blobs")
    print(f"workload: {CALLS:,} call records, {ACCOUNTS:,} accounts, target share {SHARE:.1%} in {work}")
    began = time.time()
    build_store(engine, keyring)
    print(f"store built in {time.time() - began:.0f}s")
    base_seconds, rows = baseline(engine, keyring)
    ours, size = produce_once(engine, keyring, blobs)
    ratio = ours / base_seconds
    print(f"baseline (indexed SELECT -> CSV): {rows:,} rows in {base_seconds:.3f}s")
    print(f"scope + production: {rows:,} rows, zip {size / 1e6:.1f} MB in {ours:.3f}s")
    met = ratio <= 3 and ours < 2
    print(f"ratio {ratio:.2f} (target <= 3), {ours:.2f}s (target < 2 s): {'met' if met else 'NOT MET'}")


if __name__ == "__main__":
    main()
