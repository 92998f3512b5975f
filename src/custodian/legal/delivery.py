"""Delivering a production and closing the request. Customers were told when the request was accepted for
review; an emergency's customers are told now, after the disclosure (18 U.S.C. 2702(b)(8) gives no prior
notice). The notices are only queued here; legal/notices.py sends them once this transaction has committed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.legal import notice_store, service, store
from custodian.legal.invoices import delivery_blocker
from custodian.legal.lifecycle import check_transition
from custodian.legal.notice_rules import notified_after_delivery
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
    if not notified_after_delivery(request.kind):
        return 0
    produced = conn.execute(select(legal_production.c.account_id)
                            .where(legal_production.c.request_id == request_id).distinct()).scalars()
    return notice_store.queue(conn, request, produced, occasion="delivered", actor=actor, now=now)
