"""Consent decision benchmark (issue 16, Benchmark): `consent.allowed` over a compiled snapshot of a big ledger.

The store holds CUSTODIAN_BENCH_ACCOUNTS accounts (default 1,000,000) and CUSTODIAN_BENCH_ENTRIES ledger entries
(5,000,000) over the SpectrumVoIP policy's eight purposes that offer a choice, every medium, a year of choices,
one in ten under an earlier wording; half the accounts had a CPNI opt-out notice. It is bulk-inserted once into
a cache directory (CUSTODIAN_BENCH_CACHE, default ~/.cache/custodian-bench) and reused. Bench rows carry
audit_seq 0: the chain is not what is measured (bench/audit.py measures appends).

Timed in a fresh process (peak RSS reported): building the snapshot from the database, then DECISIONS random
`allowed` calls, each timed alone, against a bare dict lookup timed the same way in the same run.

    python bench/consent.py
    CUSTODIAN_BENCH_ACCOUNTS=100000 CUSTODIAN_BENCH_ENTRIES=500000 python bench/consent.py   # while developing
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python bench/consent.py
Target: `allowed` p50 <= 5 us.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ACCOUNTS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNTS", "1000000"))
ENTRIES = int(os.environ.get("CUSTODIAN_BENCH_ENTRIES", "5000000"))
DECISIONS = int(os.environ.get("CUSTODIAN_BENCH_DECISIONS", "200000"))
DATABASE_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL", "")
CACHE = Path(os.environ.get("CUSTODIAN_BENCH_CACHE", Path.home() / ".cache" / "custodian-bench"))
POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BATCH = 100_000
ENTRY_COLUMNS = ("receipt_id", "account_id", "purpose", "medium", "choice", "channel", "policy_version",
                 "text_sha256", "made_at", "recorded_at", "recorded_by", "audit_seq")


def workdir() -> Path:
    """The cache directory of a store of this size and backend."""
    return CACHE / f"consent-{'pg' if DATABASE_URL else 'sqlite'}-{ACCOUNTS}-{ENTRIES}"


def engine_of(work: Path) -> Any:
    from custodian.db.engine import make_engine

    work.mkdir(parents=True, exist_ok=True)
    return make_engine(DATABASE_URL or f"sqlite:///{work}/custodian.db")


def consent_store() -> tuple[Path, Any]:
    """The cached store (built on first use) and its engine: the suppression-list benchmark reuses it."""
    from custodian.db import schema

    work = workdir()
    engine = engine_of(work)
    ready = work / "ready.json"
    if not ready.exists():
        began = time.time()
        schema.upgrade(engine)
        build_store(engine)
        ready.write_text(json.dumps({"accounts": ACCOUNTS, "entries": ENTRIES, "built_s": round(time.time() - began)}))
        print(f"store built in {time.time() - began:.0f}s", file=sys.stderr)
    return work, engine


def policy_in_force(engine: Any) -> Any:
    """The SpectrumVoIP policy, activated once in the store."""
    from custodian.db.engine import transaction
    from custodian.policy import store as policy_store

    with transaction(engine) as conn:
        version = policy_store.in_force(conn, NOW)
        if version is None:
            version = policy_store.activate(conn, POLICY.read_text(encoding="utf-8"), actor="bench",
                                            effective_at=NOW - timedelta(days=400), now=NOW - timedelta(days=400))
    return version.compiled()


def build_store(engine: Any) -> None:
    """Accounts, ledger entries and CPNI notices, bulk-inserted."""
    from custodian.consent.purposes import compile_rules
    from custodian.consent.tables import consent_entry, cpni_notice
    from custodian.db.bulk import BulkInserter, time_encoder
    from custodian.db.engine import transaction
    from custodian.records.tables import account

    policy = policy_in_force(engine)
    rules = [rule for rule in compile_rules(policy).values() if rule.choice != "none"]
    rng = random.Random(16)
    with transaction(engine) as conn:
        stamp = time_encoder(conn)
        created = stamp(NOW - timedelta(days=800))
        accounts = BulkInserter(account, ("id", "ref", "kind", "profile", "status", "created_at"))
        for start in range(1, ACCOUNTS + 1, BATCH):
            accounts.insert(conn, [(i, f"B{i:08d}", "residential", "standard", "active", created)
                                   for i in range(start, min(start + BATCH, ACCOUNTS + 1))])
        notices = BulkInserter(cpni_notice, ("account_id", "medium", "sent_at", "policy_version", "audit_seq"))
        for start in range(1, ACCOUNTS + 1, BATCH * 2):
            stop = min(start + BATCH * 2, ACCOUNTS + 1)
            notices.insert(conn, [(i, "email", stamp(NOW - timedelta(days=rng.randrange(1, 800))),
                                   policy.version_hash, 0) for i in range(start, stop, 2)])
    entries = BulkInserter(consent_entry, ENTRY_COLUMNS)
    media = ("any", "any", "any", "email", "sms", "phone", "post")
    written = 0
    while written < ENTRIES:
        with transaction(engine) as conn:
            rows = []
            for _ in range(min(BATCH, ENTRIES - written)):
                rule = rng.choice(rules)
                made = stamp(NOW - timedelta(seconds=rng.randrange(0, 365 * 86400)))
                rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), rng.randrange(1, ACCOUNTS + 1),
                             rule.name, rng.choice(media), rng.choice(("granted", "granted", "denied", "withdrawn")),
                             "portal", policy.version_hash, rule.text_sha256 if rng.random() < 0.9 else "0" * 64,
                             made, made, "customer", 0))
            written += entries.insert(conn, rows)
        print(f"  {written:,} ledger entries", file=sys.stderr)


def percentiles(call: Callable[[Any], Any], cases: list[Any]) -> tuple[float, float]:
    """p50 and p99 in microseconds of `call(case)`, each call timed alone."""
    clock = time.perf_counter_ns
    samples = []
    for case in cases:
        began = clock()
        call(case)
        samples.append(clock() - began)
    samples.sort()
    return samples[len(samples) // 2] / 1000, samples[int(len(samples) * 0.99)] / 1000


def measure(work: Path) -> dict[str, Any]:
    """Build the snapshot, then time `allowed` and a bare dict lookup (run in a fresh process)."""
    from custodian.consent import allowed
    from custodian.consent.service import load_snapshot
    from custodian.consent.types import MEDIA

    engine = engine_of(work)
    policy = policy_in_force(engine)
    began = time.perf_counter()
    with engine.connect() as conn:
        snapshot = load_snapshot(conn, policy, NOW)
    built = time.perf_counter() - began
    purposes = sorted(name for name, rule in snapshot.rules.items() if rule.choice != "none")
    rng = random.Random(5)
    cases = [(rng.randrange(1, ACCOUNTS + 1), rng.choice(purposes), rng.choice(MEDIA)) for _ in range(DECISIONS)]
    bases = Counter(allowed(snapshot, a, p, NOW, m).basis for a, p, m in cases[:20000])
    ours = percentiles(lambda case: allowed(snapshot, case[0], case[1], NOW, case[2]), cases)
    bare: dict[tuple[int, str, str], bool] = {case: True for case in cases[::2]}
    baseline = percentiles(lambda case: bare.get(case), cases)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"built_s": built, "keys": len(snapshot), "rss_mb": rss_mb, "ours": ours, "bare": baseline,
            "bases": dict(bases.most_common())}


def _in_fresh_process(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def main() -> None:
    backend = "PostgreSQL" if DATABASE_URL else "SQLite"
    work, engine = consent_store()
    engine.dispose()
    print(f"workload ({backend}): {ACCOUNTS:,} accounts, {ENTRIES:,} ledger entries; store in {work}")
    result = _in_fresh_process(measure, work)
    (p50, p99), (bare50, bare99) = result["ours"], result["bare"]
    print(f"snapshot: {result['keys']:,} latest choices built in {result['built_s']:.1f}s, "
          f"peak RSS {result['rss_mb']:.0f} MB")
    print(f"allowed: p50 {p50:.2f} us, p99 {p99:.2f} us; bare dict lookup: p50 {bare50:.2f} us, p99 {bare99:.2f} us "
          f"(ratio p50 {p50 / bare50:.1f})")
    print("bases of 20,000 decisions: " + ", ".join(f"{basis} {count:,}" for basis, count in result["bases"].items()))
    print(f"target p50 <= 5 us: {'met' if p50 <= 5 else 'NOT MET'}")


if __name__ == "__main__":
    main()
