"""Sending a customer notice after the change it reports has committed, and auditing the outcome."""

from __future__ import annotations

from datetime import datetime

from custodian.access.change_notice import ChangeNotice
from custodian.access.types import Actor
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.mail.smtp import MailNotSent
from custodian.runtime import Runtime


def deliver(runtime: Runtime, actor: Actor, notice: ChangeNotice, now: datetime) -> str:
    """Send `notice`; return "" when sent, else the problem to show (both outcomes are audited)."""
    problem = ""
    if not notice.to:
        problem = "notice: the account has no e-mail of record; send the notice by post"
    elif runtime.mailer is None:
        problem = "notice: no mail server is configured; send the notice by post"
    else:
        try:
            runtime.mailer.send(notice.to, notice.subject, notice.body)
        except MailNotSent as exc:
            problem = f"notice: {exc}; send the notice by post"
    with transaction(runtime.engine) as conn:
        audit.append(conn, actor=f"staff:{actor.username}", action="notice.failed" if problem else "notice.sent",
                     reason=problem or "change notice sent to the contact of record",
                     detail={"kind": "account_change"}, now=now)
    return problem
