"""Delivering a production and closing the request. Customers were told when the request was accepted for
review; an emergency's customers are told now, after the disclosure (18 U.S.C. 2702(b)(8) gives no prior
notice). The notices are only queued here; legal/notices.py sends them once this transaction has committed.

Delivery records the production in the disclosure ledger (issue 17 §3), as the gate records its releases: the
requesting agency, purpose `legal_obligation`, the classes produced and one disclosure per account produced. While
a nondisclosure order binds, the release is withheld from the customer's accounting until the order's end, or,
for an order without end, until the desk records it lifted (`legal order-lifted`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.disclosures.accounting import LEGAL_PURPOSE
from custodian.disclosures.store import Release, record_release
from custodian.legal import notice_store, service, store
from custodian.legal.invoices import delivery_blocker
from custodian.legal.lifecycle import check_transition
from custodian.legal.notice_rules import notified_after_delivery
from custodian.legal.store import StoredRequest
from custodian.legal.tables import legal_production
from custodian.policy.compiled import CompiledPolicy


def deliver(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, *, actor: str,
            now: datetime) -> int:
    """Mark the package delivered (a civil one only once paid, where the policy says so); returns the number of
    customer notices queued (an emergency's)."""
    request = service.get(conn, keyring, request_id)
    check_transition(request.state, "delivered")
    blocker = delivery_blocker(conn, policy, request_id)
    if blocker is not None:
        raise service.DeskRuleBroken(f"delivery withheld: {blocker}")
    store.set_state(conn, request_id, "delivered", now)
    audit.append(conn, actor=actor, action="legal.request.delivered", reason="production delivered to requester",
                 detail={"request": request.tracking_number}, now=now)
    produced = record_in_ledger(conn, request, actor=actor, now=now)
    if not notified_after_delivery(request.kind):
        return 0
    return notice_store.queue(conn, request, produced, occasion="delivered", actor=actor, now=now)


def record_in_ledger(conn: Connection, request: StoredRequest, *, actor: str, now: datetime) -> list[int]:
    """Record the delivered production in the disclosure ledger: exactly the accounts and classes produced, to the
    requesting agency, withheld from the customers' accounting while a nondisclosure order binds; returns the
    accounts produced."""
    rows = conn.execute(select(legal_production.c.account_id, legal_production.c.record_classes,
                               legal_production.c.package_sha256)
                        .where(legal_production.c.request_id == request.id)
                        .order_by(legal_production.c.id)).all()
    accounts = list(dict.fromkeys(int(row.account_id) for row in rows))
    if not accounts:
        return accounts
    classes = tuple(sorted({name for row in rows for name in json.loads(row.record_classes)}))
    until, until_lifted = withheld_until(request, now)
    record_release(conn, Release(recipient_label(request), LEGAL_PURPOSE, classes, "identifiable", 0,
                                 rows[0].package_sha256, "zip", legal_request_id=request.id, withheld_until=until,
                                 withheld_until_lifted=until_lifted), accounts, actor=actor, now=now)
    return accounts


def recipient_label(request: StoredRequest) -> str:
    """Who received the production, as the ledger names it: the agency, or for a private party its kind only
    (a party's or counsel's name may be a person's, and the ledger holds no personal data)."""
    requester = request.document.requester
    if requester.type in ("law_enforcement", "foreign_government") and requester.agency:
        return requester.agency.strip()[:80]
    return {"civil": "A party to a civil case", "customer": "The account holder's own request",
            "foreign_government": "A foreign government"}.get(request.requester_type, "A law enforcement agency")


def withheld_until(request: StoredRequest, now: datetime) -> tuple[datetime | None, bool]:
    """While a nondisclosure order binds: (the moment it ends, False), or (None, True) for an order without end,
    which holds until the desk records it lifted; otherwise (None, False)."""
    if not notice_store.gagged(request, now.date()):
        return None, False
    order = request.document.nondisclosure()
    if order is None or order.expires_on is None:
        return None, True
    return datetime.combine(order.expires_on, time(), tzinfo=UTC), False
