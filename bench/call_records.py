"""Call records for the benchmarks' stores, written with the bulk inserter (db/bulk.py: COPY on PostgreSQL),
shared by bench/legal_production.py and bench/dsr_export.py.

Custodian is imported inside the function, so a script that measures a fresh process's peak RSS can import this
module at its top without loading the application.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

CALL_COLUMNS = ("account_id", "started_at", "record_key", "direction", "source_format", "answered_at", "ended_at",
                "duration_s", "billsec_s", "disposition", "payload_enc", "own_number_bidx")
BATCH = 50_000


def account_line(account_id: int) -> str:
    """The (fictional) number of benchmark account `account_id`."""
    return f"+1512555{account_id % 10000:04d}"


def add_calls(engine: Any, keyring: Any, account_id: int, count: int, *, own: str, start: datetime,
              span: timedelta, unique: bool) -> int:
    """`count` answered outbound calls from `own`, evenly spread over [start, start + span), in one transaction.

    With `unique`, each call's payload is sealed on its own (the rows a measurement decrypts); otherwise one
    sealed payload is reused (filler rows of the same size, never decrypted). The month partitions the calls
    fall in are created first. Returns how many rows were written.
    """
    from custodian.db.bulk import BulkInserter, time_encoder
    from custodian.db.engine import transaction
    from custodian.db.partitions import ensure_partitions
    from custodian.records import payload
    from custodian.records.tables import call_log

    inserter, rng, written = BulkInserter(call_log, CALL_COLUMNS), random.Random(account_id), 0
    with transaction(engine) as conn:
        stamp = time_encoder(conn)
        ensure_partitions(conn, "call_log", [start + timedelta(days=day) for day in range(0, span.days, 28)]
                          + [start + span - timedelta(microseconds=1)])
        cipher, aad = keyring.cipher(conn, account_id), payload.aad("call_log", "payload", account_id)
        line = keyring.blind_index(conn, "number", own)
        shared = cipher.seal(payload.encode_values((own, "+14155550100", own, "+14155550100", *[""] * 8)), aad)
        rows = []
        for index in range(count):
            started = start + span * index / max(count, 1)
            other = f"+1415{rng.randrange(2000000, 9999999)}"
            sealed = cipher.seal(payload.encode_values((own, other, own, other, *[""] * 8)), aad) if unique else shared
            rows.append((account_id, stamp(started), (account_id << 40 | index).to_bytes(16, "big"), "out",
                         "custodian", stamp(started), stamp(started + timedelta(seconds=65)), 65, 60, "ANSWERED",
                         sealed, line))
            if len(rows) == BATCH:
                written += inserter.insert(conn, rows)
                rows = []
        written += inserter.insert(conn, rows)
    return written
