"""Legal production benchmark: scope and produce one number over two months from a store of call records.

The store (built with the bulk path, db/bulk.py — COPY on PostgreSQL — sealed payloads as the importer writes
them) holds CUSTODIAN_BENCH_CALLS call records (default 10,000,000) over twelve months across
CUSTODIAN_BENCH_ACCOUNTS accounts. The target number is a busy business line: it carries
CUSTODIAN_BENCH_TARGET_SHARE of all calls (default 1%) and changes hands mid-January, so the scope
finds two accounts. Timed: number history scope + the whole production (decrypting each row, CSVs,
subscriber and certification PDFs, manifest, AES-256 zip). Baseline (same run, same rows): a bare
indexed SELECT of those rows per matched account and window through the driver's cursor, written to CSV
with the csv module.

The store is SQLite in a temporary folder. With CUSTODIAN_BENCH_DATABASE_URL the same workload is also
built and measured on PostgreSQL, in a fresh database created beside the one named and dropped afterwards
(--postgresql-only skips SQLite).

    python bench/legal_production.py                        # 10M calls (build takes minutes)
    CUSTODIAN_BENCH_CALLS=200000 python bench/legal_production.py
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/legal_production.py
Targets (issue #4, issue 19 §1): ratio <= 3 and under 2 s, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from call_records import CALL_COLUMNS, account_line, add_calls
from sample_request import law_enforcement_request
from scratch_db import scratch_server
from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import new_key
from custodian.crypto.keyring import Keyring
from custodian.db import schema
from custodian.db.bulk import time_encoder
from custodian.db.engine import make_engine, transaction
from custodian.legal import production, service, submission
from custodian.legal.scope import Window
from custodian.legal.targets import scope_number
from custodian.legal.types import LegalRequest
from custodian.policy.check import check_file
from custodian.policy.compiled import compile_policy
from custodian.records import payload
from custodian.records import store as records
from custodian.records.tables import number_assignment
from custodian.records.types import NewAccount

CALLS = int(os.environ.get("CUSTODIAN_BENCH_CALLS", "10000000"))
ACCOUNTS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNTS", "1000"))
SHARE = float(os.environ.get("CUSTODIAN_BENCH_TARGET_SHARE", "0.01"))
DATABASE_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL", "")
TARGET = "+15125550100"
YEAR_START = datetime(2025, 3, 1, tzinfo=UTC)
YEAR = timedelta(days=365)
HANDOVER = datetime(2026, 1, 15, tzinfo=UTC)
WINDOW = Window.of_days(datetime(2026, 1, 1).date(), datetime(2026, 2, 28).date())
POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"


def build_store(engine: Engine, keyring: Keyring) -> None:
    """Accounts and numbers through the record store; calls through the bulk inserter, account by account.

    The two holders of the target number get their calls sealed one by one (those are produced); the other
    accounts' calls reuse one sealed payload of the same size."""
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
    plan = [(ids[0], target_calls // 2, YEAR_START, HANDOVER - YEAR_START),
            (ids[1], target_calls - target_calls // 2, HANDOVER, YEAR_START + YEAR - HANDOVER)]
    rest = (CALLS - target_calls) // (ACCOUNTS - 2)
    plan += [(account_id, rest, YEAR_START, YEAR) for account_id in ids[2:]]
    written, began, report = 0, time.time(), 1_000_000
    for account_id, count, start, span in plan:
        target = account_id in ids[:2]
        written += add_calls(engine, keyring, account_id, count, own=TARGET if target else account_line(account_id),
                             start=start, span=span, unique=target)
        if written >= report:
            print(f"  built {written:,} call records ({time.time() - began:.0f}s)", file=sys.stderr)
            report += 1_000_000


def produce_once(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> tuple[float, int]:
    """Scope the number, then produce subscriber info and call logs for every match; returns (seconds, rows)."""
    policy = compile_policy(check_file(POLICY).document, POLICY.read_text())  # type: ignore[arg-type]
    now = datetime(2026, 3, 2, tzinfo=UTC)
    document = LegalRequest.model_validate(law_enforcement_request(received_on="2026-03-02",
                                                                   requested_response_on="2026-03-20"))
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
        stamp = time_encoder(conn)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    sql = (f"SELECT {', '.join(CALL_COLUMNS)} FROM call_log WHERE account_id = {mark} AND started_at >= {mark} "
           f"AND started_at < {mark} AND own_number_bidx = {mark} ORDER BY started_at")
    began = time.perf_counter()
    rows = 0
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for match in matches:
            cursor.execute(sql, (match.account_id, stamp(match.window.start), stamp(match.window.end), match.line))
            for row in cursor:
                writer.writerow(row)
                rows += 1
    return time.perf_counter() - began, rows


def settle(engine: Engine) -> float:
    """On PostgreSQL, VACUUM ANALYZE the call log after the bulk load, as autovacuum would before long (hint bits
    set, planner statistics current), so neither the baseline nor the production pays for it; returns seconds."""
    if engine.dialect.name != "postgresql":
        return 0.0
    began = time.time()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) call_log")
        conn.exec_driver_sql("VACUUM (ANALYZE) number_assignment")
    return time.time() - began


def measure(label: str, url: str, work: Path) -> dict[str, float | int | str]:
    """Build the store at `url`, then time the baseline and the production on it; print and return the figures."""
    engine = make_engine(url)
    schema.upgrade(engine)
    keyring, blobs = Keyring(new_key()), LocalBlobStore(work / f"blobs-{label}")
    print(f"[{label}] workload: {CALLS:,} call records, {ACCOUNTS:,} accounts, target share {SHARE:.1%}")
    began = time.time()
    build_store(engine, keyring)
    built = time.time() - began
    settled = settle(engine)
    print(f"[{label}] store built in {built:.0f}s" + (f", VACUUM ANALYZE {settled:.0f}s" if settled else ""))
    load_before = os.getloadavg()[0]
    base_seconds, rows = baseline(engine, keyring)
    ours, size = produce_once(engine, keyring, blobs)
    load_after = os.getloadavg()[0]
    engine.dispose()
    ratio = ours / base_seconds
    met = ratio <= 3 and ours < 2
    print(f"[{label}] baseline (indexed SELECT -> CSV): {rows:,} rows in {base_seconds:.3f}s")
    print(f"[{label}] scope + production: {rows:,} rows, zip {size / 1e6:.1f} MB in {ours:.3f}s")
    print(f"[{label}] ratio {ratio:.2f} (target <= 3), {ours:.2f}s (target < 2 s): {'met' if met else 'NOT MET'}")
    print(f"[{label}] load average (1 min): {load_before:.2f} before the baseline, {load_after:.2f} after")
    return {"database": label, "rows": rows, "ours": ours, "baseline": base_seconds, "ratio": ratio,
            "built": built, "load": f"{load_before:.1f} / {load_after:.1f}", "met": "met" if met else "NOT MET"}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgresql-only", action="store_true", help="skip the SQLite run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custodian-legal-bench-"))
    results = []
    try:
        if not args.postgresql_only:
            results.append(measure("SQLite", f"sqlite:///{work}/custodian.db", work))
        if DATABASE_URL:
            with scratch_server(DATABASE_URL) as server:
                results.append(measure("PostgreSQL", server.create("custodian_bench_legal"), work))
        elif args.postgresql_only:
            sys.exit("--postgresql-only needs CUSTODIAN_BENCH_DATABASE_URL")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| database | rows produced | scope + production | baseline | ratio | build | load avg. | targets |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['database']} | {r['rows']:,} | {r['ours']:.2f} s | {r['baseline']:.2f} s | {r['ratio']:.2f} | "
              f"{r['built']:.0f} s | {r['load']} | {r['met']} |")


if __name__ == "__main__":
    main()
