"""Disclosure gate benchmark (issue 17): a release of subscriber details and call detail of every account.

The store holds CUSTODIAN_BENCH_ACCOUNTS accounts (default 2,000) with CUSTODIAN_BENCH_ACCOUNT_CALLS calls each
(default 100), every call's numbers sealed with the account's key. Timed: `disclosures.gate.release` of
subscriber.basic and cpni.call_log to SpectrumVoIP's fraud exchange (listed here for call detail too) for --all,
identifiable and de-identified, CSV (policy checks, consent decisions, decryption, pseudonyms, the feed, the ledger
rows). Baseline (same run, same rows): a bare SELECT of every account's calls through the driver, decrypted with
the same cipher, written with the csv module. Prints rows per second, the ratio, and peak RSS.

    python bench/disclosures.py
    CUSTODIAN_BENCH_ACCOUNTS=200 python bench/disclosures.py
"""

from __future__ import annotations

import csv
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ACCOUNTS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNTS", "2000"))
CALLS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNT_CALLS", "100"))
POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"
START = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 1, tzinfo=UTC)
CALL_COLUMNS = ("account_id", "started_at", "record_key", "direction", "source_format", "answered_at", "ended_at",
                "duration_s", "billsec_s", "disposition", "payload_enc", "own_number_bidx")


def policy() -> Any:
    """SpectrumVoIP's policy, its fraud exchange also listed for call detail."""
    from custodian.policy.check import check_file
    from custodian.policy.compiled import compile_policy

    doc = check_file(POLICY).document
    assert doc is not None
    exchange = doc.recipients["fraud_exchange"]
    recipients = {**doc.recipients, "fraud_exchange": exchange.model_copy(
        update={"classes": [*exchange.classes, "cpni.call_log"], "data_form": "identifiable"})}
    return compile_policy(doc.model_copy(update={"recipients": recipients}), "bench")


def build(engine: Any, keyring: Any) -> None:
    """ACCOUNTS accounts with CALLS calls each."""
    from custodian.db.bulk import BulkInserter, time_encoder
    from custodian.db.engine import transaction
    from custodian.db.partitions import ensure_partitions
    from custodian.records import payload
    from custodian.records.store import create_account
    from custodian.records.tables import call_log
    from custodian.records.types import NewAccount, PostalAddress

    inserter = BulkInserter(call_log, CALL_COLUMNS)
    with transaction(engine) as conn:
        stamp = time_encoder(conn)
        ensure_partitions(conn, "call_log", [START, START + timedelta(days=31)])
        for index in range(ACCOUNTS):
            account_id = create_account(conn, keyring, NewAccount(
                ref=f"ACC-{index:06d}", kind="residential", profile="standard", status="active", first_name="Pat",
                last_name=f"Doe{index}", email=f"pat{index}@example.com", contact_phone="+15125550100",
                address=PostalAddress("1 Main St", "Austin", "TX", "78701")), now=NOW)
            cipher, aad = keyring.cipher(conn, account_id), payload.aad("call_log", "payload", account_id)
            own = f"+1512555{index % 10000:04d}"
            rows = []
            for call in range(CALLS):
                started = START + timedelta(minutes=call * 7)
                sealed = cipher.seal(payload.encode_values((own, f"+1415555{call % 10000:04d}", own, "", *[""] * 8)),
                                     aad)
                rows.append((account_id, stamp(started), (account_id << 40 | call).to_bytes(16, "big"), "out",
                             "custodian", stamp(started), stamp(started + timedelta(seconds=65)), 65, 60, "ANSWERED",
                             sealed, None))
            inserter.insert(conn, rows)


def gate(engine: Any, keyring: Any, compiled: Any, out: Path, form: str) -> float:
    from custodian.consent.service import load_snapshot
    from custodian.db.engine import transaction
    from custodian.disclosures.gate import ALL, Ask, release

    began = time.perf_counter()
    with transaction(engine) as conn:
        snapshot = load_snapshot(conn, compiled, NOW)
    recipient = "fraud_exchange"
    outcome = release(engine, keyring, compiled, snapshot,
                      Ask(recipient, "fraud_prevention", ("subscriber.basic", "cpni.call_log"), form, "bench"),
                      ALL, out, "csv", NOW)
    assert outcome.refused is None and outcome.disclosed == ACCOUNTS, outcome
    return time.perf_counter() - began


def baseline(engine: Any, keyring: Any, out: Path) -> float:
    """A bare SELECT of every account's calls, decrypted, written with the csv module."""
    from sqlalchemy import select

    from custodian.records import payload
    from custodian.records.tables import account, call_log

    began = time.perf_counter()
    with engine.connect() as conn, out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for (account_id,) in conn.execute(select(account.c.id).order_by(account.c.id)).all():
            cipher, aad = keyring.cipher(conn, account_id), payload.aad("call_log", "payload", account_id)
            query = (select(call_log.c.started_at, call_log.c.duration_s, call_log.c.payload_enc)
                     .where(call_log.c.account_id == account_id).order_by(call_log.c.started_at))
            for started, duration, sealed in conn.execute(query):
                writer.writerow((account_id, started, duration, *cipher.open(sealed, aad).split(payload.SEPARATOR)))
    return time.perf_counter() - began


def main() -> None:
    from custodian.crypto.envelope import new_key
    from custodian.crypto.keyring import Keyring
    from custodian.db import schema
    from custodian.db.engine import make_engine

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        engine = make_engine(f"sqlite:///{work / 'bench.db'}")
        schema.upgrade(engine)
        master = new_key()
        build(engine, Keyring(master))
        compiled = policy()
        rows = ACCOUNTS * (CALLS + 1)
        bare = baseline(engine, Keyring(master), work / "baseline.csv")
        for form in ("identifiable", "de_identified"):
            took = gate(engine, Keyring(master), compiled, work / f"{form}.csv", form)
            print(f"gate {form}: {ACCOUNTS:,} accounts, {rows:,} rows in {took:.2f} s ({rows / took:,.0f} rows/s); "
                  f"bare SELECT + decrypt + csv {bare:.2f} s; ratio {took / bare:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
