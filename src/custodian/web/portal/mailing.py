"""Mail from the portal, sent after the transaction that produced it committed; the outcome is audited
in a transaction of its own (never the address or the code)."""

from __future__ import annotations

from datetime import datetime

from custodian.access.customer_mail import CustomerNotice
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.mail.smtp import deliver
from custodian.portal.service import ACTOR
from custodian.runtime import Runtime


def send(runtime: Runtime, notice: CustomerNotice, now: datetime, *, kind: str) -> bool:
    """Send `notice` (kind: "code" or "account_change"); True when the mail server accepted it."""
    outcome = deliver(runtime.mailer, notice.to, notice.subject, notice.body)
    if notice.account_id is not None:
        with transaction(runtime.engine) as conn:
            audit.append(conn, actor=ACTOR, action="notice.sent" if outcome.sent else "notice.failed",
                         account_id=notice.account_id,
                         reason="the mail server accepted the message" if outcome.sent else outcome.reason,
                         detail={"kind": kind, "channel": "portal"}, now=now)
    return outcome.sent
