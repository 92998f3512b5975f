"""Builders for retention tests: the SpectrumVoIP schedule, records with and without blobs."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, insert

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.partitions import ensure_partition
from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.records import payload
from custodian.records.rules import CONTENT_KINDS
from custodian.records.tables import call_log, content_item, sms_log
from custodian.retention.rules import Schedule, compile_schedule

SPECTRUMVOIP = Path(__file__).resolve().parents[2] / "examples" / "policies" / "002-spectrumvoip.yaml"
KIND_OF = {record_class: kind for kind, record_class in CONTENT_KINDS.items()}


@lru_cache(maxsize=1)
def spectrumvoip_policy() -> CompiledPolicy:
    """SpectrumVoIP's compiled policy (seed 002)."""
    result = check_file(SPECTRUMVOIP)
    assert result.document is not None
    return compile_policy(result.document, SPECTRUMVOIP.read_text(encoding="utf-8"))


def spectrumvoip_schedule() -> Schedule:
    """SpectrumVoIP's retention schedule."""
    return compile_schedule(spectrumvoip_policy().document.retention)


def a_key(*parts: object) -> bytes:
    """A deterministic 16-byte record key."""
    return hashlib.sha256(repr(parts).encode()).digest()[:16]


def add_content(conn: Connection, account_id: int, record_class: str, occurred_at: datetime, *,
                key: bytes | None = None, keyring: Keyring | None = None, blobs: LocalBlobStore | None = None,
                body: bytes = b"") -> bytes:
    """Store one content record (its payload in the blob store when `blobs` is given); return its key."""
    kind = KIND_OF[record_class]
    record_key = key or a_key(account_id, record_class, occurred_at)
    blob_key = size = inline = None
    if blobs is not None and keyring is not None:
        blob_key, size, _ = blobs.put(keyring.cipher(conn, account_id), account_id, [body])
    elif body and keyring is not None:
        inline = keyring.cipher(conn, account_id).seal(body.decode(), payload.aad("content_item", "inline", account_id))
    ensure_partition(conn, "content_item", occurred_at)
    conn.execute(insert(content_item).values(
        account_id=account_id, occurred_at=occurred_at, record_key=record_key, kind=kind,
        direction="out" if kind in ("fax_outgoing", "fax_sent") else "in", blob_key=blob_key, size_bytes=size,
        inline_enc=inline))
    return record_key


def add_call(conn: Connection, account_id: int, started_at: datetime) -> bytes:
    """Store one call-detail record; return its key."""
    key = a_key(account_id, "call", started_at)
    ensure_partition(conn, "call_log", started_at)
    conn.execute(insert(call_log).values(account_id=account_id, started_at=started_at, record_key=key,
                                         direction="in", source_format="test", duration_s=1, billsec_s=1,
                                         disposition="ANSWERED", payload_enc=b"x"))
    return key


def add_sms(conn: Connection, account_id: int, sent_at: datetime) -> bytes:
    """Store one SMS log record; return its key."""
    key = a_key(account_id, "sms", sent_at)
    ensure_partition(conn, "sms_log", sent_at)
    conn.execute(insert(sms_log).values(account_id=account_id, sent_at=sent_at, record_key=key, direction="in",
                                        segments=1, payload_enc=b"x"))
    return key
