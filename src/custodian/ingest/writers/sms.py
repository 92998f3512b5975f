"""Writing SMS: the log entry (numbers encrypted) and its body as an `sms_body` content item."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from custodian.crypto.keyring import Keyring
from custodian.db.bulk import BulkInserter, time_encoder
from custodian.db.partitions import ensure_partitions
from custodian.ingest.records import SmsRow
from custodian.ingest.writers import BatchResult, RowWriter
from custodian.records import payload
from custodian.records.own_lines import OwnLines
from custodian.records.tables import content_item, sms_log

LOG_COLUMNS = ("account_id", "sent_at", "record_key", "direction", "segments", "payload_enc", "own_number_bidx")
BODY_COLUMNS = ("account_id", "occurred_at", "record_key", "kind", "direction", "media_type",
                "size_bytes", "inline_enc", "payload_enc", "own_number_bidx")


class SmsWriter(RowWriter):
    """Resolves accounts by reference, encrypts, and bulk-inserts log entries and bodies."""

    record_classes = ("cpni.sms_log", "content.sms_body")

    def __init__(self, keyring: Keyring, **kwargs: object) -> None:
        super().__init__(keyring, **kwargs)
        self.log = BulkInserter(sms_log, LOG_COLUMNS)
        self.bodies = BulkInserter(content_item, BODY_COLUMNS)
        self.lines = OwnLines(keyring)

    def write(self, conn: Connection, batch: list[tuple[int, SmsRow]]) -> BatchResult:
        """Insert the batch; a message already present is a duplicate."""
        result = BatchResult()
        encode_time = time_encoder(conn)
        logs: list[tuple[Any, ...]] = []
        bodies: list[tuple[Any, ...]] = []
        for line, sms in batch:
            account_id = self.account_for(conn, line, sms.account_ref, result)
            if account_id is None:
                continue
            gate = self.retention
            if not gate.allows(conn, account_id, "cpni.sms_log", sms.sent_at, sms.key):
                result.duplicates += 1
                continue
            sent_at = encode_time(sms.sent_at)
            log_payload, body, counterpart = self._seal(conn, account_id, sms)
            line = self.lines.of_number(conn, sms.to_number if sms.direction == "in" else sms.from_number)
            logs.append((account_id, sent_at, sms.key, sms.direction, sms.segments, log_payload, line))
            if not gate.allows(conn, account_id, "content.sms_body", sms.sent_at, sms.key):
                continue  # the log is kept, the body was deleted
            bodies.append((account_id, sent_at, sms.key, "sms_body", sms.direction, "text/plain",
                           len(sms.body.encode("utf-8")), body, counterpart, line))
        moments = [sms.sent_at for _, sms in batch]
        ensure_partitions(conn, "sms_log", moments)
        ensure_partitions(conn, "content_item", moments)
        result.imported = self.log.insert(conn, logs)
        result.duplicates += len(logs) - result.imported
        self.bodies.insert(conn, bodies)
        return result

    def _seal(self, conn: Connection, account_id: int, sms: SmsRow) -> tuple[bytes, bytes, bytes]:
        """(sealed log payload, sealed body, sealed counterpart) under the account's key."""
        own, counterpart = ((sms.from_number, sms.to_number) if sms.direction == "out"
                            else (sms.to_number, sms.from_number))
        cipher = self.keyring.cipher(conn, account_id)
        log_payload = payload.encode(payload.SMS_FIELDS, {
            "own": own, "counterpart": counterpart, "from": sms.from_number, "to": sms.to_number})
        return (
            cipher.seal(log_payload, payload.aad("sms_log", "payload", account_id)),
            cipher.seal(sms.body, payload.aad("content_item", "inline", account_id)),
            cipher.seal(payload.encode(payload.CONTENT_FIELDS, {"counterpart": counterpart}),
                        payload.aad("content_item", "payload", account_id)),
        )
