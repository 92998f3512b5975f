"""Delivering a production and closing the request; customer notices follow delivery."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.legal import service, store
from custodian.legal.invoices import delivery_blocker
from custodian.legal.lifecycle import check_transition
from custodian.legal.notices import Mailer, notify_customers
from custodian.policy.compiled import CompiledPolicy


def deliver(conn: Connection, keyring: Keyring, policy: CompiledPolicy, mailer: Mailer, request_id: int, *,
            actor: str, now: datetime) -> dict[str, int]:
    """Mark the package delivered (refused while payment the policy requires is outstanding), then notify."""
    request = service.get(conn, keyring, request_id)
    check_transition(request.state, "delivered")
    blocker = delivery_blocker(conn, policy, request_id)
    if blocker is not None:
        raise service.DeskRuleBroken(f"delivery withheld: {blocker}")
    store.set_state(conn, request_id, "delivered", now)
    audit.append(conn, actor=actor, action="legal.request.delivered", reason="production delivered to requester",
                 detail={"request": request.tracking_number}, now=now)
    return notify_customers(conn, keyring, policy, mailer, request_id, actor=actor, now=now)
