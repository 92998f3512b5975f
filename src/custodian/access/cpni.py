"""CPNI on a customer-initiated contact (47 CFR 64.2010(b)): call detail is released to the caller
only after the CPNI password (checked in `customer_secrets`); otherwise only by sending it to the
address of record or by calling the customer back at the number of record. Each path joins the
caller's transaction and is audited.

The address of record is one "that the carrier has associated with the customer's account for at
least 30 days" (64.2003(b)): a newer address is refused. The mail is composed here and sent by the edge
after the commit; only the mail server's acceptance is audited as sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from custodian.access import store as access_store
from custodian.access.customer_mail import CallLine, CustomerNotice, call_detail_mail
from custodian.access.decide import decide
from custodian.access.rules import AccessRules
from custodian.access.service import AccessError, addresses_of_record, own_ticket
from custodian.access.store import Ticket
from custodian.access.types import Actor, Context
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.records import store as records
from custodian.records.address_rules import call_detail_address

METHODS = {"call_number_of_record": "customer called back at the number of record"}
CALLS_MAILED = 50


def record_verification(conn: Connection, rules: AccessRules, actor: Actor, ticket_id: int, *, method: str,
                        now: datetime) -> None:
    """Mark the ticket's caller authenticated for call detail by an alternative the policy accepts."""
    found = own_ticket(conn, actor, ticket_id)
    if method not in METHODS or method not in rules.cpni_alternatives:
        raise AccessError("method: not a way the policy accepts to authenticate for call detail")
    if found.grant.closed_at is not None or found.grant.expires_at <= now:
        raise AccessError("ticket: the ticket is no longer open")
    access_store.update_ticket(conn, ticket_id, cpni_verified_at=now, cpni_method=method)
    audit.append(conn, actor=f"staff:{actor.username}", action="ticket.cpni_verified",
                 account_id=found.grant.account_id, reason=METHODS[method],
                 detail={"ticket": ticket_id, "method": method}, now=now)


def call_detail_to_address_of_record(conn: Connection, keyring: Keyring, rules: AccessRules, actor: Actor,
                                     ticket_id: int, now: datetime) -> CustomerNotice | str:
    """The call detail mail for the e-mail of record, when the ticket would show call detail once verified and
    that address has been of record for 30 days; or the problem when refused (then audited as a deny, so the
    caller commits either way). Sending it, and auditing whether it was sent, is the caller's after commit."""
    found = own_ticket(conn, actor, ticket_id)
    account_id = found.grant.account_id
    decision = decide(actor, "read", account_id, "cpni.call_log", Context(now, rules, found.grant))
    if not (decision.permit or "send_to_address_of_record" in decision.alternatives):
        return _refuse(conn, actor, found, decision.reason, now)
    eligible = call_detail_address(addresses_of_record(conn, keyring, account_id), "email", now)
    if not eligible.address:
        return _refuse(conn, actor, found, eligible.problem, now,
                       eligible_at=eligible.eligible_at.isoformat() if eligible.eligible_at else None)
    calls = [CallLine(c.started_at.strftime("%Y-%m-%d %H:%M UTC"), c.direction, c.detail.get("counterpart", ""),
                      c.billsec_s) for c in records.calls_of(conn, keyring, account_id, limit=CALLS_MAILED)]
    audit.append(conn, actor=f"staff:{actor.username}", action="access.permit", account_id=account_id,
                 record_classes=("cpni.call_log",),
                 reason="call detail to the e-mail address of record (on it 30 days or more), not shown to staff",
                 detail={"ticket": ticket_id, "action": "send_to_address_of_record", "calls": len(calls)}, now=now)
    return call_detail_mail(rules.provider, found.account_ref, eligible.address, calls, account_id=account_id)


def _refuse(conn: Connection, actor: Actor, found: Ticket, reason: str, now: datetime, **detail: object) -> str:
    """Audit a refused send of call detail as a deny; return the refusal for the representative."""
    audit.append(conn, actor=f"staff:{actor.username}", action="access.deny", account_id=found.grant.account_id,
                 record_classes=("cpni.call_log",), reason=reason,
                 detail={"ticket": found.grant.ticket_id, "action": "send_to_address_of_record",
                         **{k: v for k, v in detail.items() if v is not None}}, now=now)
    return "cpni: " + reason
