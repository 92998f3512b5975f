"""Ticket and break-glass use cases. Each change and its audit event share the caller's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from custodian.access import store as access_store
from custodian.access.customer_mail import CustomerNotice, change_notice
from custodian.access.decide import decide
from custodian.access.rules import AccessRules
from custodian.access.secret_rules import IDENTITY_DOCUMENTS
from custodian.access.store import BreakGlass, Ticket
from custodian.access.types import CHANNELS, Actor, Context
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.kernel.email import email_problem
from custodian.records import addresses
from custodian.records import store as records
from custodian.records.address_rules import AddressOfRecord, notice_address
from custodian.records.store import account_id_by_ref

BREAK_GLASS_DURATION = timedelta(hours=1)
MIN_BREAK_GLASS_REASON = 15
OUTCOMES = ("justified", "unjustified")


class AccessError(ValueError):
    """An access operation refused, with a reason naming the field."""


class NotFound(LookupError):
    """No such ticket or break-glass access for this staff member (the same answer whether it exists or not)."""


def open_ticket(conn: Connection, rules: AccessRules, actor: Actor, *, account_ref: str, topic: str, channel: str,
                summary: str, now: datetime, identity_document: str = "") -> int:
    """Open a ticket: `actor` may see what the policy gives their role on `topic`, for `ticket_hours`.

    In person, the type of government photo ID checked is required and authenticates the customer (64.2010(d))."""
    if rules.acknowledgement_required and actor.acknowledged_version != rules.version:
        raise AccessError("policy: acknowledge the policy in force before opening tickets")
    if topic not in rules.topics_of_role.get(actor.role, ()):
        raise AccessError(f"topic: your role has no access on {topic!r} tickets")
    if channel not in CHANNELS:
        raise AccessError(f"channel: one of {', '.join(CHANNELS)}")
    identified = _identity_checked(channel, identity_document, now)
    account_id = account_id_by_ref(conn, account_ref.strip())
    if account_id is None:
        raise AccessError("account: no account with this reference")
    ticket_id = access_store.insert_ticket(
        conn, staff_id=actor.staff_id, account_id=account_id, topic=topic, channel=channel,
        summary=summary.strip()[:200], opened_at=now, expires_at=now + timedelta(hours=rules.ticket_hours),
        **identified)
    audit.append(conn, actor=_who(actor), action="ticket.open", account_id=account_id,
                 record_classes=rules.classes_on_topic.get((actor.role, topic), ()),
                 reason=f"{topic} ticket opened", detail={"ticket": ticket_id, "channel": channel}, now=now)
    if identified:
        audit.append(conn, actor=_who(actor), action="ticket.cpni_verified", account_id=account_id,
                     reason=f"customer in person showed a {IDENTITY_DOCUMENTS[identity_document]}",
                     detail={"ticket": ticket_id, "method": "in_person", "identity_document": identity_document},
                     now=now)
    return ticket_id


def _identity_checked(channel: str, identity_document: str, now: datetime) -> dict[str, Any]:
    """The ticket columns recording an in-person ID check; in person, saying which ID was checked is required."""
    if channel != "in_person":
        if identity_document:
            raise AccessError("identity_document: a government ID is checked only in person")
        return {}
    if identity_document not in IDENTITY_DOCUMENTS:
        raise AccessError("identity_document: in person, record which government photo ID you checked ("
                          + ", ".join(IDENTITY_DOCUMENTS.values()) + ")")
    return {"cpni_verified_at": now, "cpni_method": "in_person", "identity_document": identity_document}


def own_ticket(conn: Connection, actor: Actor, ticket_id: int) -> Ticket:
    """The actor's own ticket; anyone else's is NotFound."""
    found = access_store.ticket_by_id(conn, ticket_id)
    if found is None or found.grant.staff_id != actor.staff_id:
        raise NotFound("no such ticket")
    return found


def close_ticket(conn: Connection, actor: Actor, ticket_id: int, now: datetime) -> None:
    """Close the actor's ticket: its access ends now."""
    found = own_ticket(conn, actor, ticket_id)
    if found.grant.closed_at is None:
        access_store.update_ticket(conn, ticket_id, closed_at=now)
        audit.append(conn, actor=_who(actor), action="ticket.close", account_id=found.grant.account_id,
                     reason="ticket closed", detail={"ticket": ticket_id}, now=now)


def change_address_of_record(conn: Connection, keyring: Keyring, rules: AccessRules, actor: Actor, ticket_id: int,
                             new_email: str, now: datetime) -> CustomerNotice | str:
    """Change the e-mail of record on a ticket whose topic allows it, once the caller is authenticated; return
    the notice for the address of record as it was 30 days ago (never the new one, 64.2010(f)), or the problem
    when refused (the decision is audited either way, so the caller commits either way)."""
    found = own_ticket(conn, actor, ticket_id)
    account_id = found.grant.account_id
    refused = authorise_change(conn, rules, actor, found, "subscriber.basic", "address_of_record", now)
    if refused:
        return refused
    problem = email_problem(new_email)
    if problem:
        return f"email: not an e-mail address ({problem})"
    notify = notice_address(addresses_of_record(conn, keyring, account_id), "email", now)
    records.set_holder_email(conn, keyring, account_id, new_email, by=f"staff:{actor.username}", now=now)
    audit.append(conn, actor=_who(actor), action="account.change", account_id=account_id,
                 record_classes=("subscriber.basic",), reason="address of record changed",
                 detail={"ticket": ticket_id, "change": "address_of_record"}, now=now)
    return change_notice(rules.provider, found.account_ref, "address_of_record", notify, now, account_id=account_id)


def addresses_of_record(conn: Connection, keyring: Keyring, account_id: int) -> list[AddressOfRecord]:
    """The account's e-mail and postal addresses of record, each with when it became so."""
    view = records.read_account(conn, keyring, account_id)
    return addresses.history_or_since_creation(conn, keyring, account_id, view.email, view.address)


def authorise_change(conn: Connection, rules: AccessRules, actor: Actor, found: Ticket, record_class: str,
                     change: str, now: datetime) -> str:
    """Decide whether `actor` may make `change` on the ticket's account and audit the decision; return ""
    when permitted, else the refusal to show (the caller commits either way, so the deny is kept)."""
    decision = decide(actor, "change", found.grant.account_id, record_class,
                      Context(now, rules, found.grant, change=change))
    audit.append(conn, actor=_who(actor), action="access.permit" if decision.permit else "access.deny",
                 account_id=found.grant.account_id, record_classes=(record_class,), reason=decision.reason,
                 detail={"ticket": found.grant.ticket_id, "action": "change", "change": change}, now=now)
    return "" if decision.permit else "change: " + decision.reason


def open_break_glass(conn: Connection, rules: AccessRules, actor: Actor, *, account_ref: str, reason: str,
                     now: datetime) -> int:
    """Access an account outside a ticket, for an hour, with a stated reason the privacy officer reviews."""
    reason = reason.strip()
    if len(reason) < MIN_BREAK_GLASS_REASON:
        raise AccessError(f"reason: say why, in at least {MIN_BREAK_GLASS_REASON} characters")
    if actor.role not in rules.roles:
        raise AccessError("role: your role sees no subscriber data")
    if rules.acknowledgement_required and actor.acknowledged_version != rules.version:
        raise AccessError("policy: acknowledge the policy in force first")
    account_id = account_id_by_ref(conn, account_ref.strip())
    if account_id is None:
        raise AccessError("account: no account with this reference")
    access_id = access_store.insert_break_glass(conn, staff_id=actor.staff_id, account_id=account_id, reason=reason,
                                                opened_at=now, expires_at=now + BREAK_GLASS_DURATION, reviewed=False)
    audit.append(conn, actor=_who(actor), action="break_glass.open", account_id=account_id,
                 reason="break-glass: " + reason, detail={"break_glass": access_id}, now=now)
    return access_id


def own_break_glass(conn: Connection, actor: Actor, access_id: int, now: datetime) -> BreakGlass:
    """The actor's own break-glass access while it lasts; anything else is NotFound."""
    found = access_store.break_glass_by_id(conn, access_id)
    if found is None or found.staff_id != actor.staff_id or found.expires_at <= now:
        raise NotFound("no such break-glass access")
    return found


def review_break_glass(conn: Connection, officer: Actor, access_id: int, *, outcome: str, note: str,
                       now: datetime) -> None:
    """The privacy officer's finding on one break-glass access."""
    if outcome not in OUTCOMES:
        raise AccessError(f"outcome: one of {', '.join(OUTCOMES)}")
    found = access_store.break_glass_by_id(conn, access_id)
    if found is None:
        raise NotFound("no such break-glass access")
    access_store.update_break_glass(conn, access_id, reviewed=True, reviewed_by=officer.username, reviewed_at=now,
                                    outcome=outcome, review_note=note.strip()[:2000])
    audit.append(conn, actor=_who(officer), action="break_glass.review", account_id=found.account_id,
                 reason=f"reviewed: {outcome}", detail={"break_glass": access_id}, now=now)


def _who(actor: Actor) -> str:
    return f"staff:{actor.username}"
