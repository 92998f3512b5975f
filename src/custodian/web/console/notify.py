"""Mail to a customer, sent after the transaction that produced it has committed; the outcome is then
audited in a transaction of its own, as sent only when the mail server accepted the message."""

from __future__ import annotations

from datetime import datetime

from custodian.access.customer_mail import CustomerNotice
from custodian.access.types import Actor
from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.mail.smtp import deliver as send_mail
from custodian.runtime import Runtime

# kind -> (action when the server accepted it, action when not, record classes the mail carries)
OUTCOMES = {
    "account_change": ("notice.sent", "notice.failed", ()),
    "call_detail": ("cpni.sent_to_address_of_record", "cpni.send_failed", ("cpni.call_log",)),
    "consent_choice": ("notice.sent", "notice.failed", ()),
}
NO_EMAIL = {"account_change": "the account has no e-mail address of record; send it by post to the postal "
                              "address of record",
            "call_detail": "the account has no e-mail address of record",
            "consent_choice": "the account has no e-mail address of record; tell the customer by post"}


def deliver(runtime: Runtime, actor: Actor, notice: CustomerNotice, now: datetime, *, kind: str,
            ticket_id: int | None = None) -> str:
    """Send `notice`; return "" when the server accepted it, else the problem to show (both audited)."""
    sent_action, failed_action, classes = OUTCOMES[kind]
    outcome = send_mail(runtime.mailer, notice.to, notice.subject, notice.body)
    problem = ""
    if not outcome.sent:
        reason = NO_EMAIL[kind] if not notice.to else outcome.reason
        by_post = "; send it by post" if kind != "call_detail" and notice.to else ""
        problem = f"{'call detail' if kind == 'call_detail' else 'notice'}: not sent, {reason}{by_post}"
    with transaction(runtime.engine) as conn:
        audit.append(conn, actor=f"staff:{actor.username}", action=sent_action if outcome.sent else failed_action,
                     account_id=notice.account_id, record_classes=classes,
                     reason=problem or "the mail server accepted the message for the address of record",
                     detail={"kind": kind, **({"ticket": ticket_id} if ticket_id is not None else {})}, now=now)
    return problem
