"""Sending mail to a customer after the transaction that produced it has committed; the outcome is audited."""

from __future__ import annotations

from datetime import datetime

from custodian.access.customer_mail import CustomerNotice
from custodian.access.types import Actor
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.mail.smtp import MailNotSent
from custodian.runtime import Runtime


def deliver(runtime: Runtime, actor: Actor, notice: CustomerNotice, now: datetime, *, kind: str) -> str:
    """Send `notice`; return "" when sent, else the problem to show (both outcomes are audited)."""
    problem = ""
    if not notice.to:
        problem = "notice: the account has no e-mail of record; send it by post"
    elif runtime.mailer is None:
        problem = "notice: no mail server is configured; send it by post"
    else:
        try:
            runtime.mailer.send(notice.to, notice.subject, notice.body)
        except MailNotSent as exc:
            problem = f"notice: {exc}; send it by post"
    with transaction(runtime.engine) as conn:
        audit.append(conn, actor=f"staff:{actor.username}", action="notice.failed" if problem else "notice.sent",
                     reason=problem or "mail sent to the contact of record",
                     detail={"kind": kind}, now=now)
    return problem
