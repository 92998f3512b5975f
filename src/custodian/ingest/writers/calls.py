"""Writing call-detail records from any switch format, in bulk.

The account is the accountcode when it names one; otherwise whoever held `src` at the start
(an outbound call) or `dst` (an inbound call), per the number history. This is the hot path of
the largest imports: per-row work is kept to dictionary look-ups, one AES-GCM call and a tuple.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from custodian.crypto.keyring import Keyring
from custodian.db.bulk import NULL, BulkInserter, CopyBlock, copy_bytes, copy_text
from custodian.db.partitions import ensure_partitions
from custodian.ingest.records import CallRow
from custodian.ingest.resolve import AccountRefs, NumberDirectory
from custodian.ingest.writers import BatchResult, Prepared
from custodian.kernel.timeparse import month_start
from custodian.records import payload
from custodian.records.own_lines import OwnLines
from custodian.records.tables import call_log
from custodian.retention.gate import RetentionGate

COLUMNS = ("account_id", "started_at", "record_key", "direction", "source_format", "answered_at",
           "ended_at", "duration_s", "billsec_s", "disposition", "payload_enc", "own_number_bidx")


class CallWriter:
    """Resolves, encrypts and bulk-inserts call records."""

    record_classes = ("cpni.call_log",)

    def __init__(self, keyring: Keyring, **_: object) -> None:
        self.keyring = keyring
        self.refs = AccountRefs()
        self.inserter = BulkInserter(call_log, COLUMNS)
        self.directory: NumberDirectory | None = None
        self.lines = OwnLines(keyring)
        self._sealers: dict[int, tuple[object, bytes]] = {}
        self.retention = RetentionGate()  # refuses records retention deleted (re-importing an old export)

    def write(self, conn: Connection, batch: list[tuple[int, CallRow]]) -> BatchResult:
        """Prepare and store one batch in the caller's transaction."""
        return self.store(conn, self.prepare(conn, batch))

    def prepare(self, conn: Connection, batch: list[tuple[int, CallRow]]) -> Prepared:
        """Resolve and encrypt (reads only, so it can run in a worker process)."""
        prepared = Prepared()
        if self.directory is None:
            self.directory = NumberDirectory(conn, self.keyring)
        offset = "" if conn.dialect.name == "sqlite" else "+00"  # PostgreSQL: explicit UTC for COPY
        rows, errors, line_of = prepared.rows, prepared.errors, self.lines.of_number
        for line, call in batch:
            resolved = self._resolve(conn, call)
            if isinstance(resolved, str):
                errors.append((line, resolved))
                continue
            account_id, direction, own, counterpart = resolved
            if not self.retention.allows(conn, account_id, "cpni.call_log", call.started_at, call.key):
                prepared.refused += 1
                continue
            seal, aad = self._sealer(conn, account_id)
            text = payload.encode_values((own, counterpart, call.src, call.dst, *call.extra))
            answered, ended = call.answered_text, call.ended_text
            rows.append((account_id, call.started_text + offset, call.key, direction, call.source_format,
                         answered and answered + offset, ended and ended + offset, call.duration_s,
                         call.billsec_s, call.disposition, seal(text, aad),  # type: ignore[operator]
                         line_of(conn, own)))
        prepared.moments = {month_start(call.started_at) for _, call in batch}
        if offset:
            prepared.copy_block = _copy_block(rows)
            prepared.rows = []
        return prepared

    def store(self, conn: Connection, prepared: Prepared) -> BatchResult:
        """Insert prepared rows, skipping those already present."""
        ensure_partitions(conn, "call_log", prepared.moments)
        imported = self.inserter.insert(conn, prepared.insertable)
        return BatchResult(imported=imported, duplicates=prepared.count - imported + prepared.refused,
                           errors=list(prepared.errors))

    def _sealer(self, conn: Connection, account_id: int) -> tuple[object, bytes]:
        cached = self._sealers.get(account_id)
        if cached is None:
            cipher = self.keyring.cipher(conn, account_id)
            cached = self._sealers[account_id] = (cipher.seal,
                                                  payload.aad("call_log", "payload", account_id))
        return cached

    def _resolve(self, conn: Connection, call: CallRow) -> tuple[int, str, str, str] | str:
        """(account id, direction, own number, counterpart) or the reason it cannot be placed."""
        assert self.directory is not None
        src_holder = self.directory.holder(call.src, call.started_at)
        dst_holder = self.directory.holder(call.dst, call.started_at)
        if call.account_ref:
            account_id = self.refs.get(conn, call.account_ref)
            if account_id is None:
                return self.refs.missing_reason(conn, call.account_ref, "account")
        elif src_holder is not None:
            account_id = src_holder
        elif dst_holder is not None:
            account_id = dst_holder
        else:
            return "account: no account held src or dst at the start time"
        if call.direction:
            direction = call.direction
        elif src_holder == account_id:
            direction = "internal" if dst_holder == account_id else "out"
        else:
            direction = "in" if dst_holder == account_id else "out"
        own, counterpart = (call.dst, call.src) if direction == "in" else (call.src, call.dst)
        return account_id, direction, own, counterpart


def _copy_block(rows: list[tuple[Any, ...]]) -> CopyBlock:
    """Render call rows (COLUMNS order) as PostgreSQL COPY text, so the importing process only streams it."""
    lines = [
        f"{account_id}\t{started}\t{copy_bytes(key)}\t{direction}\t{source}\t{answered or NULL}\t"
        f"{ended or NULL}\t{duration}\t{billsec}\t{copy_text(disposition)}\t{copy_bytes(sealed)}\t"
        f"{copy_bytes(line) if line else NULL}\n"
        for (account_id, started, key, direction, source, answered, ended, duration, billsec, disposition,
             sealed, line) in rows
    ]
    return CopyBlock("".join(lines).encode("utf-8"), len(lines))
