"""What the legal desk's console pages show: the filtered queue and one request's file (verifications,
matched accounts, approvals, notices, preservation, audit history, the classes review may offer).
Reads only; every change goes through service, production, invoices, delivery and preservation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.audit.chain import AuditEvent
from custodian.crypto.keyring import Keyring
from custodian.legal.desk_key import desk_cipher
from custodian.legal.lifecycle import FINAL_STATES, QueueEntry, queue_order
from custodian.legal.store import StoredRequest
from custodian.legal.tables import (
    legal_approval,
    legal_match,
    legal_notice,
    legal_preservation,
    legal_request,
    legal_verification,
)
from custodian.legal.validate import reach_problem
from custodian.policy.compiled import CompiledPolicy
from custodian.records.tables import account

HISTORY_SCAN = 5000


@dataclass(frozen=True)
class QueueFilter:
    """The desk's queue filters; empty means any. `finished` also lists closed, rejected and withdrawn."""

    state: str = ""
    requester_type: str = ""
    kind: str = ""
    expedite_only: bool = False
    finished: bool = False


@dataclass(frozen=True)
class Verification:
    """One verification step: the e-mail domain check, or an emergency call-back (who, which number, when)."""

    method: str
    passed: bool
    verified_by: str
    called_at: datetime | None
    who: str
    number: str
    recorded_at: datetime


@dataclass(frozen=True)
class Offer:
    """A record class review may approve, or why it may not."""

    record_class: str
    refused: str


def queue(conn: Connection, wanted: QueueFilter) -> list[Any]:
    """Requests in working order (emergency, law enforcement before civil, expedited, order received)."""
    query = select(legal_request.c.id, legal_request.c.tracking_number, legal_request.c.kind,
                   legal_request.c.requester_type, legal_request.c.state, legal_request.c.expedite,
                   legal_request.c.received_at, legal_request.c.due_on, legal_request.c.nondisclosure)
    if not wanted.finished and wanted.state not in FINAL_STATES:
        query = query.where(legal_request.c.state.not_in(tuple(FINAL_STATES)))
    for column, value in ((legal_request.c.state, wanted.state), (legal_request.c.kind, wanted.kind),
                          (legal_request.c.requester_type, wanted.requester_type)):
        if value:
            query = query.where(column == value)
    if wanted.expedite_only:
        query = query.where(legal_request.c.expedite.is_(True))
    rows = {row.id: row for row in conn.execute(query).all()}
    ordered = queue_order(QueueEntry(r.id, r.requester_type, r.kind, r.expedite, r.received_at)
                          for r in rows.values())
    return [rows[entry.request_id] for entry in ordered]


def verifications(conn: Connection, keyring: Keyring, request_id: int) -> list[Verification]:
    """The request's verification steps, call-back details opened."""
    cipher = desk_cipher(conn, keyring)
    found = []
    for row in conn.execute(select(legal_verification).where(legal_verification.c.request_id == request_id)
                            .order_by(legal_verification.c.id)).all():
        who, number = "", ""
        if row.detail_enc:
            who, _, number = cipher.open(row.detail_enc, f"legal_verification:{request_id}".encode()).partition("\n")
        found.append(Verification(row.method, bool(row.passed), row.verified_by, row.called_at, who, number,
                                  row.recorded_at))
    return found


def matched_accounts(conn: Connection, request_id: int) -> list[dict[str, Any]]:
    """The scoped accounts by reference, with the window of each and whether it reaches one line only."""
    rows = conn.execute(select(account.c.ref, legal_match.c.window_start, legal_match.c.window_end,
                               legal_match.c.line_bidx)
                        .join(account, account.c.id == legal_match.c.account_id)
                        .where(legal_match.c.request_id == request_id)
                        .order_by(account.c.ref, legal_match.c.window_start)).all()
    return [{"account_ref": r.ref, "from": r.window_start, "to": r.window_end, "line": r.line_bidx is not None}
            for r in rows]


def approvals(conn: Connection, request_id: int) -> list[Any]:
    """Each approved class with who approved it, when and why."""
    return list(conn.execute(select(legal_approval).where(legal_approval.c.request_id == request_id)
                             .order_by(legal_approval.c.id)).all())


def notices(conn: Connection, request_id: int) -> list[dict[str, Any]]:
    """Customer notice per account (pending, sent, withheld under a nondisclosure order, failed) and its occasion."""
    rows = conn.execute(select(account.c.ref, legal_notice.c.outcome, legal_notice.c.reason,
                               legal_notice.c.logged_at, legal_notice.c.occasion)
                        .join(account, account.c.id == legal_notice.c.account_id)
                        .where(legal_notice.c.request_id == request_id).order_by(legal_notice.c.id)).all()
    return [{"account_ref": r.ref, "outcome": r.outcome, "reason": r.reason, "at": r.logged_at,
             "occasion": r.occasion} for r in rows]


def preserved(conn: Connection, request_id: int) -> list[dict[str, Any]]:
    """Snapshots of a preservation request: account, window, expiry, extensions, linked request, deletion."""
    linked = legal_request.alias("linked")
    rows = conn.execute(select(legal_preservation, account.c.ref, linked.c.tracking_number.label("linked_to"))
                        .join(account, account.c.id == legal_preservation.c.account_id)
                        .outerjoin(linked, linked.c.id == legal_preservation.c.linked_request_id)
                        .where(legal_preservation.c.request_id == request_id)
                        .order_by(legal_preservation.c.id)).all()
    return [{"account_ref": r.ref, "from": r.window_start, "to": r.window_end, "preserved_at": r.preserved_at,
             "expires_at": r.expires_at, "extensions": r.extensions, "linked_to": r.linked_to,
             "deleted_at": r.deleted_at, "sha256": r.snapshot_sha256} for r in rows]


def request_id_for(conn: Connection, reference: str) -> int | None:
    """A request by its tracking number or its id (as typed by the desk)."""
    text = reference.strip().upper()
    if text.isdigit():
        return conn.execute(select(legal_request.c.id).where(legal_request.c.id == int(text))).scalar()
    return conn.execute(select(legal_request.c.id).where(legal_request.c.tracking_number == text)).scalar()


def history(conn: Connection, request: StoredRequest) -> list[AuditEvent]:
    """The audit trail of the request, oldest first (events naming it, or it as the preservation linked)."""
    events = audit.search(conn, action="legal.*", limit=HISTORY_SCAN)
    mine = [e for e in events if e.detail.get("request") == request.tracking_number
            or e.detail.get("preservation") == request.id]
    return sorted(mine, key=lambda e: e.seq)


def offers(request: StoredRequest, policy: CompiledPolicy) -> list[Offer]:
    """Every class the request asks for, with the reason review may not approve it ('' when it may)."""
    found = []
    for name in request.document.record_classes:
        problem = reach_problem(request.document, policy, name)
        found.append(Offer(name, problem.message if problem else ""))
    return found
