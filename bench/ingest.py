"""Ingest benchmark: 1,000,000 Asterisk CDRs through the real importer vs a bare baseline.

Baseline (same run, same machine, same rows): on SQLite, sqlite3 `executemany` of the already
parsed rows into an equivalent unencrypted table (same columns, primary key and foreign key to an
account table); on PostgreSQL, psycopg `COPY` of the same rows into the same kind of table, also
range-partitioned by month. Parsing is not timed in the baseline. Each phase runs in its own
process so peak RSS is its own.

    make bench                          # SQLite, and PostgreSQL when a URL is given
    CUSTODIAN_BENCH_ROWS=200000 python bench/ingest.py
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/ingest.py
Targets (issue #2): ratio >= 0.5 on both databases, importer peak RSS < 400 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).parent
ROWS = int(os.environ.get("CUSTODIAN_BENCH_ROWS", "1000000"))
ACCOUNTS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNTS", "2000"))
PG_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL") or os.environ.get("CUSTODIAN_TEST_DATABASE_URL", "")


def phase(name: str, *args: str) -> dict:
    """Run one measured phase in a fresh interpreter; it prints one JSON line."""
    result = subprocess.run([sys.executable, str(HERE / "ingest_phases.py"), name, *args],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.path.insert(0, str(HERE))
    from workload import write_accounts, write_cdrs

    work = Path(tempfile.mkdtemp(prefix="custodian-bench-"))
    print(f"workload: {ROWS:,} Asterisk CDRs, {ACCOUNTS:,} accounts in {work}")
    write_accounts(work, ACCOUNTS)
    write_cdrs(work / "Master.csv", ROWS, ACCOUNTS)
    targets = [("sqlite", f"sqlite:///{work}/custodian.db", f"sqlite:///{work}/baseline.db")]
    if PG_URL:
        targets.append(("postgresql", PG_URL, PG_URL))
    failed = False
    for label, url, baseline_url in targets:
        db = f"custodian_bench_{uuid.uuid4().hex[:8]}" if label == "postgresql" else ""
        ours = phase("importer", url, str(work), db)
        bare = phase("baseline", baseline_url, str(work), db)
        ratio = ours["rows_per_s"] / bare["rows_per_s"]
        ok = ratio >= 0.5 and ours["peak_rss_mb"] < 400
        failed |= not ok
        print(f"[{label}] importer: {ours['rows']:,} rows in {ours['seconds']:.1f}s = "
              f"{ours['rows_per_s']:,.0f} rows/s, "
              f"peak RSS {ours['peak_rss_mb']:.0f} MB")
        print(f"[{label}] baseline ({bare['method']}): {bare['rows_per_s']:,.0f} rows/s")
        print(f"[{label}] ratio {ratio:.2f} (target >= 0.50), RSS target < 400 MB: {'met' if ok else 'NOT MET'}")
    sys.exit(1 if failed and os.environ.get("CUSTODIAN_BENCH_STRICT") else 0)


if __name__ == "__main__":
    main()
