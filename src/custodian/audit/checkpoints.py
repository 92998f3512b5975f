"""Recorded verifications. Each whole-chain verification is itself an audit event (`audit.verified`),
so the officer's chain page re-checks only the events after the last intact one, and the record of
who verified what, when, sits in the chain it speaks about (editing it breaks the chain after it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from custodian.audit import store as audit
from custodian.audit.chain import GENESIS_HASH, ChainBreak
from custodian.audit.tables import audit_event
from custodian.audit.verify import head_of, verify_fast, verify_parallel
from custodian.db.engine import transaction

VERIFIED = "audit.verified"  # a whole-chain verification found the chain intact
VERIFICATION_FAILED = "audit.verification_failed"  # ... or found it broken


@dataclass(frozen=True)
class Checkpoint:
    """A whole-chain verification on record: through which event, with what outcome, by whom, when."""

    through_seq: int
    through_hash: str
    intact: bool
    break_seq: int | None
    problem: str
    actor: str
    at: datetime
    event_seq: int  # the audit event that records it


@dataclass(frozen=True)
class ChainStatus:
    """What the chain page shows: the head, the last intact full verification, and the events since it."""

    head_seq: int
    head_hash: str
    checkpoint: Checkpoint | None  # the newest intact whole-chain verification
    latest: Checkpoint | None  # the newest whole-chain verification, intact or not
    checked_since: int  # events after the checkpoint, verified for this status
    found: ChainBreak | None  # the first break among them


def verify_whole_chain(engine: Engine, *, actor: str, now: datetime, workers: int | None = None,
                       record: bool = True) -> tuple[tuple[int, str], ChainBreak | None]:
    """Verify every event up to the head read first (in parallel for large chains); record the outcome."""
    with engine.connect() as conn:
        upto = head_of(conn)
    found = verify_parallel(engine.url.render_as_string(hide_password=False), workers, upto=upto)
    if record:
        with transaction(engine) as conn:
            _record(conn, upto, found, actor=actor, now=now)
    return upto, found


def status(conn: Connection) -> ChainStatus:
    """The chain's status, checking only the events after the last intact whole-chain verification."""
    head_seq, head_hash = head_of(conn)
    checkpoint = _newest(conn, VERIFIED)
    failed = _newest(conn, VERIFICATION_FAILED)
    latest = failed if failed is not None and (checkpoint is None or failed.event_seq > checkpoint.event_seq) \
        else checkpoint
    after = (checkpoint.through_seq, checkpoint.through_hash) if checkpoint else (0, GENESIS_HASH)
    found = verify_fast(conn, after, (head_seq, head_hash))
    return ChainStatus(head_seq, head_hash, checkpoint, latest, head_seq - after[0], found)


def _record(conn: Connection, upto: tuple[int, str], found: ChainBreak | None, *, actor: str,
            now: datetime) -> None:
    outcome = "intact" if found is None else f"broken at event {found.seq}: {found.problem}"
    detail = {"scope": "full", "through_seq": upto[0], "through_hash": upto[1], "intact": found is None,
              "break_seq": None if found is None else found.seq, "problem": "" if found is None else found.problem}
    audit.append(conn, actor=actor, action=VERIFIED if found is None else VERIFICATION_FAILED,
                 reason=f"whole audit chain verified: {outcome}", detail=detail, now=now)


def _newest(conn: Connection, action: str) -> Checkpoint | None:
    """The newest recorded whole-chain verification with outcome `action`."""
    columns = (audit_event.c.seq, audit_event.c.actor, audit_event.c.occurred_at, audit_event.c.detail)
    row = conn.execute(select(*columns).where(audit_event.c.action == action)
                       .order_by(audit_event.c.seq.desc()).limit(1)).first()
    if row is None:
        return None
    try:
        detail = json.loads(row.detail)
        return Checkpoint(int(detail["through_seq"]), str(detail["through_hash"]), bool(detail["intact"]),
                          detail.get("break_seq"), str(detail.get("problem", "")), str(row.actor), row.occurred_at,
                          int(row.seq))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None  # an edited record of a verification: trusted for nothing, so everything is re-checked
