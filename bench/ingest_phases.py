"""The measured phases of bench/ingest.py, each run in its own process."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import resource
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, make_url, text

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import new_key
from custodian.crypto.keyring import Keyring
from custodian.db import schema
from custodian.db.engine import make_engine, normalise_url
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import

ACCOUNTS = int(os.environ.get("CUSTODIAN_BENCH_ACCOUNTS", "2000"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def database(url: str, name: str) -> str:
    """For PostgreSQL, a fresh database `name` beside the given one."""
    if not name:
        return url
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(normalise_url(url)).set(database=name).render_as_string(hide_password=False)


def importer(url: str, work: str, name: str) -> dict:
    folder = Path(work)
    url = database(url, name)
    engine = make_engine(url)
    schema.upgrade(engine)
    key = new_key()
    blobs = LocalBlobStore(folder / "blobs")
    for kind, file in (("accounts", "accounts.csv"), ("numbers", "numbers.csv")):
        run_import(engine, Keyring(key), blobs, lookup(kind), folder / file, actor="bench")
    started = time.perf_counter()
    summary = run_import(engine, Keyring(key), blobs, lookup("calls", "asterisk"), folder / "Master.csv",
                         actor="bench")
    seconds = time.perf_counter() - started
    assert summary.rejected == 0, summary.errors[:5]
    return {"rows": summary.imported, "seconds": seconds, "rows_per_s": summary.imported / seconds,
            "peak_rss_mb": peak_rss_mb()}


def parsed_rows(folder: Path) -> list[tuple]:
    """The rows, parsed as the bare baseline receives them (not timed)."""
    rows = []
    with open(folder / "Master.csv", newline="") as handle:
        for f in csv.reader(handle):
            started = datetime.fromisoformat(f[9]).replace(tzinfo=UTC)
            key = hashlib.blake2b("\x1f".join(f).encode(), digest_size=16).digest()
            rows.append((int(f[1][-5:]) % (ACCOUNTS + 1), started, key,
                         "out", "asterisk", started, started, int(f[12]), int(f[13]), f[14],
                         "\x1f".join((f[1], f[2], f[4], f[5], f[6], f[7], f[8], f[16]))))
    return rows


BASELINE_COLUMNS = ("account_id, started_at, record_key, direction, source_format, answered_at, ended_at, "
                    "duration_s, billsec_s, disposition, payload")


def baseline(url: str, work: str, name: str) -> dict:
    rows = parsed_rows(Path(work))
    if url.startswith("sqlite"):
        return _sqlite_baseline(url.removeprefix("sqlite:///"), rows)
    return _postgres_baseline(database(url, name), rows)


def _sqlite_baseline(path: str, rows: list[tuple]) -> dict:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE account (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO account VALUES (?)", [(i,) for i in range(ACCOUNTS + 1)])
    conn.execute("CREATE TABLE call_log (account_id INTEGER NOT NULL REFERENCES account (id), "
                 "started_at DATETIME NOT NULL, record_key BLOB NOT NULL, direction VARCHAR(8), "
                 "source_format VARCHAR(12), answered_at DATETIME, ended_at DATETIME, duration_s INTEGER, "
                 "billsec_s INTEGER, disposition VARCHAR(32), payload TEXT, "
                 "PRIMARY KEY (account_id, started_at, record_key))")
    rows = [(r[0], r[1].strftime("%Y-%m-%d %H:%M:%S.000000"), *r[2:5], r[5].strftime("%Y-%m-%d %H:%M:%S.000000"),
             r[6].strftime("%Y-%m-%d %H:%M:%S.000000"), *r[7:]) for r in rows]
    started = time.perf_counter()
    for i in range(0, len(rows), 10_000):
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO call_log ({BASELINE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         rows[i:i + 10_000])
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    return {"method": "sqlite3 executemany", "rows": len(rows), "seconds": seconds, "rows_per_s": len(rows) / seconds}


def _postgres_baseline(url: str, rows: list[tuple]) -> dict:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE account (id BIGINT PRIMARY KEY)")
        conn.execute(f"INSERT INTO account SELECT generate_series(0, {ACCOUNTS})")
        conn.execute("CREATE TABLE call_log (account_id BIGINT NOT NULL REFERENCES account (id), "
                     "started_at TIMESTAMPTZ NOT NULL, record_key BYTEA NOT NULL, direction VARCHAR(8), "
                     "source_format VARCHAR(12), answered_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, duration_s INTEGER, "
                     "billsec_s INTEGER, disposition VARCHAR(32), payload TEXT, "
                     "PRIMARY KEY (account_id, started_at, record_key)) PARTITION BY RANGE (started_at)")
        for month in range(1, 13):  # the same monthly partitions Custodian creates, made before timing
            end = f"{2027 if month == 12 else 2026}-{1 if month == 12 else month + 1:02d}-01"
            conn.execute(f"CREATE TABLE call_log_m{month:02d} PARTITION OF call_log "
                         f"FOR VALUES FROM ('2026-{month:02d}-01 00:00+00') TO ('{end} 00:00+00')")
        started = time.perf_counter()
        for i in range(0, len(rows), 10_000):
            sql = f"COPY call_log ({BASELINE_COLUMNS}) FROM STDIN"
            with conn.transaction(), conn.cursor() as cur, cur.copy(sql) as copy:
                for row in rows[i:i + 10_000]:
                    copy.write_row(row)
        seconds = time.perf_counter() - started
    return {"method": "psycopg COPY", "rows": len(rows), "seconds": seconds, "rows_per_s": len(rows) / seconds}


if __name__ == "__main__":
    phase_name, *args = sys.argv[1:]
    print(json.dumps({"importer": importer, "baseline": baseline}[phase_name](*args)))
