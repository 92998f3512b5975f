"""Hash chain rules for the audit trail (tamper evidence; DESIGN.md "audit/").

Each event's hash covers its own fields and the previous event's hash, so editing, deleting or
reordering any event breaks every hash after it. Verification walks events in sequence order
and reports the first one that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    """One thing that happened: who did what, to which account's which record classes, and why."""

    seq: int
    occurred_at: datetime
    actor: str
    action: str
    account_id: int | None
    record_classes: tuple[str, ...]
    reason: str
    detail: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the canonical JSON of every field except the hash itself."""
    body = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "account_id": event.account_id,
        "record_classes": list(event.record_classes),
        "reason": event.reason,
        "detail": dict(event.detail),
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where verification failed: the sequence number and what was wrong there."""

    seq: int
    problem: str


def first_break(events: Iterable[AuditEvent], head_seq: int, head_hash: str) -> ChainBreak | None:
    """Return the first event that breaks the chain, or None if it is intact up to the recorded head."""
    expected_prev, expected_seq = GENESIS_HASH, 1
    for event in events:
        if event.seq != expected_seq:
            return ChainBreak(expected_seq, f"event {expected_seq} is missing or out of order (found {event.seq})")
        if event.prev_hash != expected_prev:
            return ChainBreak(event.seq, "previous-hash link does not match the event before it")
        if event_hash(event) != event.hash:
            return ChainBreak(event.seq, "event content does not match its hash (edited)")
        expected_prev, expected_seq = event.hash, expected_seq + 1
    last = expected_seq - 1
    if last != head_seq:
        return ChainBreak(last + 1, f"chain ends at event {last} but the head records event {head_seq}")
    if last and expected_prev != head_hash:
        return ChainBreak(last, "last event's hash does not match the recorded head")
    return None
