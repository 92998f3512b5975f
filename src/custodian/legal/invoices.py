"""Invoices from the fee schedule, payments, and delivery withheld until paid (DRG IV: "to require
payment in advance of any production ...; to withhold delivery of information until payment is received").

Withholding binds civil requests only: emergency disclosures and compelled governmental productions are
delivered, then invoiced (18 U.S.C. 2706 is a claim for reimbursement, not a right to withhold; see
notice_rules.withholds_delivery_until_paid). An overpayment is refused, never silently kept: the desk records
at most what is outstanding (no credit balance is kept)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.legal import service, store
from custodian.legal.fees import Quote, QuoteLine, dollars, quote
from custodian.legal.lifecycle import check_transition
from custodian.legal.notice_rules import withholds_delivery_until_paid
from custodian.legal.store import StoredRequest
from custodian.legal.tables import legal_invoice, legal_payment, legal_request
from custodian.legal.types import QuoteRequest
from custodian.policy.compiled import CompiledPolicy


@dataclass(frozen=True)
class Invoice:
    """An issued invoice and what has been paid against it."""

    id: int
    request_id: int
    number: str
    lines: tuple[QuoteLine, ...]
    total_cents: int
    paid_cents: int
    issued_at: datetime

    @property
    def outstanding_cents(self) -> int:
        """What is still owed."""
        return max(0, self.total_cents - self.paid_cents)


def quote_request(conn: Connection, request: StoredRequest, policy: CompiledPolicy, work: dict[str, float]) -> Quote:
    """The fee quote of a request: its matched accounts, approved classes, window, plus the work recorded."""
    accounts = len({m.account_id for m in store.matches_of(conn, request.id)})
    classes = store.approved_classes(conn, request.id) or list(request.document.record_classes)
    window = request.document.date_range
    body = {"accounts": accounts, "record_classes": classes, "preservation": request.kind == "preservation",
            "expedite": request.expedite, **work}
    if window is not None:
        body["date_range"] = window.model_dump(by_alias=True, mode="json")
    return quote(QuoteRequest.model_validate(body), list(policy.document.legal.fees))


def issue(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, work: dict[str, float], *,
          actor: str, now: datetime) -> Invoice:
    """Issue the invoice of a request; a civil one withheld until paid then awaits payment when anything is owed."""
    request = service.get(conn, keyring, request_id)
    if invoice_of(conn, request_id) is not None:
        raise service.DeskRuleBroken("this request already has an invoice")
    result = quote_request(conn, request, policy, work)
    lines = [line.__dict__ for line in result.lines]
    invoice_id = int(conn.execute(insert(legal_invoice).values(
        request_id=request_id, number=f"pending-{request_id}", lines=json.dumps(lines),
        total_cents=result.total_cents, issued_at=now, paid_cents=0).returning(legal_invoice.c.id)).scalar_one())
    number = f"INV-{now.year}-{invoice_id:06d}"
    conn.execute(update(legal_invoice).where(legal_invoice.c.id == invoice_id).values(number=number))
    withheld = withholds_delivery_until_paid(policy.document.legal.withhold_delivery_until_paid, request.kind,
                                             request.requester_type)
    if result.total_cents and request.state == "producing" and withheld:
        check_transition(request.state, "awaiting_payment")
        store.set_state(conn, request_id, "awaiting_payment", now)
    audit.append(conn, actor=actor, action="legal.invoice.issued", reason="fees from the policy's schedule",
                 detail={"request": request.tracking_number, "invoice": number, "total_cents": result.total_cents},
                 now=now)
    found = invoice_of(conn, request_id)
    assert found is not None
    return found


def invoice_of(conn: Connection, request_id: int) -> Invoice | None:
    """The invoice of a request, if issued."""
    row = conn.execute(select(legal_invoice).where(legal_invoice.c.request_id == request_id)).first()
    if row is None:
        return None
    lines = tuple(QuoteLine(**item) for item in json.loads(row.lines))
    return Invoice(row.id, row.request_id, row.number, lines, row.total_cents, row.paid_cents, row.issued_at)


def record_payment(conn: Connection, request_id: int, amount_cents: int, *, method: str, reference: str, actor: str,
                   now: datetime) -> Invoice:
    """Record a payment (check, ACH, wire) against the request's invoice."""
    invoice = invoice_of(conn, request_id)
    if invoice is None:
        raise service.DeskRuleBroken("no invoice has been issued for this request")
    if amount_cents <= 0:
        raise service.DeskRuleBroken("a payment is a positive amount")
    if amount_cents > invoice.outstanding_cents:
        raise service.DeskRuleBroken(
            f"a payment of {dollars(amount_cents)} exceeds the {dollars(invoice.outstanding_cents)} outstanding on "
            f"invoice {invoice.number}; record at most the amount outstanding and return the difference")
    conn.execute(insert(legal_payment).values(invoice_id=invoice.id, amount_cents=amount_cents, method=method,
                                              reference=reference, received_at=now, recorded_by=actor))
    conn.execute(update(legal_invoice).where(legal_invoice.c.id == invoice.id)
                 .values(paid_cents=legal_invoice.c.paid_cents + amount_cents))
    audit.append(conn, actor=actor, action="legal.invoice.paid", reason=f"payment by {method}",
                 detail={"invoice": invoice.number, "amount_cents": amount_cents}, now=now)
    paid = invoice_of(conn, request_id)
    assert paid is not None
    return paid


def delivery_blocker(conn: Connection, policy: CompiledPolicy, request_id: int) -> str | None:
    """Why the package may not be delivered yet, or None (only civil requests wait for payment)."""
    row = conn.execute(select(legal_request.c.kind, legal_request.c.requester_type)
                       .where(legal_request.c.id == request_id)).first()
    if row is None or not withholds_delivery_until_paid(policy.document.legal.withhold_delivery_until_paid,
                                                        row.kind, row.requester_type):
        return None
    invoice = invoice_of(conn, request_id)
    if invoice is None:
        return "the policy withholds delivery until paid: issue the invoice first"
    if invoice.outstanding_cents:
        return f"{dollars(invoice.outstanding_cents)} is outstanding on invoice {invoice.number}"
    return None
