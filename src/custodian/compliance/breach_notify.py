"""Drafting and sending breach notifications (issue 18 §2): export a notice as text and PDF, e-mail the customer
notice to every affected account's e-mail address of record, or record a filing made outside Custodian (the
central reporting facility is a web form). Each is recorded in the register and audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine

from custodian.access.customer_mail import CustomerNotice
from custodian.access.service import addresses_of_record
from custodian.audit import store as audit
from custodian.compliance import breach_service as service
from custodian.compliance import breach_store as store
from custodian.compliance.breach_store import Incident, Notification
from custodian.compliance.notices import TEMPLATES, IncidentFacts, Sender, notice_letter
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.legal.letters import Letter, letter_text
from custodian.policy.document import PolicyDocument
from custodian.policy.vocabulary import CLASS_LABELS, class_name
from custodian.records.address_rules import current


@dataclass(frozen=True)
class Sent:
    """What a customer sending did."""

    sent: int
    failed: int
    no_address: int


def facts_for(conn: Connection, incident: Incident, *, for_customers: bool = False) -> IncidentFacts:
    """The incident as a notice states it: register words, counts, and the record classes as agencies read them
    (or, `for_customers`, in the published notice's words)."""
    facts = service.facts_of(conn, incident)
    names = tuple(CLASS_LABELS.get(c, class_name(c)) if for_customers else class_name(c) for c in incident.classes)
    return IncidentFacts(incident.reference, incident.description, incident.method, incident.occurred_from,
                         incident.occurred_to, facts.discovered or facts.determined, facts.determined, facts.affected,
                         incident.financial_loss, names)


def sender_for(policy: PolicyDocument) -> Sender:
    """The provider, signed by its security contact, else privacy, else data protection officer."""
    contacts = {c.role: c for c in policy.provider.contacts}
    chosen = next((contacts[r] for r in ("security", "privacy", "data_protection_officer") if r in contacts), None)
    if chosen is None:
        return Sender(policy.provider.name, (policy.provider.name,))
    lines = tuple(part for part in (chosen.name or "Privacy Office", policy.provider.name, chosen.address) if part)
    return Sender(policy.provider.name, lines, chosen.phone, chosen.email)


def draft(conn: Connection, incident: Incident, kind: str, policy: PolicyDocument, now: datetime) -> Letter:
    """The notice of `kind` for the incident."""
    if kind not in TEMPLATES:
        raise service.BreachError(f"a notification is one of: {', '.join(TEMPLATES)}")
    facts = facts_for(conn, incident, for_customers=kind == "customer")
    return notice_letter(kind, facts, sender_for(policy), now.date())


def export(conn: Connection, actor: str, incident: Incident, kind: str, policy: PolicyDocument, out: Path,
           now: datetime) -> list[Path]:
    """Write the notice as text and PDF into `out`, and record the draft."""
    from custodian.legal.documents import letter_pdf  # fpdf loads only when a PDF is drawn

    letter = draft(conn, incident, kind, policy, now)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{incident.reference}-{kind}"
    text, pdf = stem.with_suffix(".txt"), stem.with_suffix(".pdf")
    text.write_text(letter_text(letter), encoding="utf-8")
    pdf.write_bytes(letter_pdf(letter))
    service.record_notification(conn, actor, incident, Notification(
        0, kind, TEMPLATES[kind], now, None, "export", 0, 0, actor), now)
    return [text, pdf]


def record_filed(conn: Connection, actor: str, incident: Incident, kind: str, now: datetime,
                 sent_at: datetime | None = None) -> None:
    """Record that the notice of `kind` was sent outside Custodian (e.g. through the central reporting facility),
    at `sent_at` (default now): the clocks counting from law enforcement's notification count from that day."""
    sent_at = sent_at or now
    if sent_at > now or sent_at < incident.discovered_at.replace(hour=0, minute=0, second=0, microsecond=0):
        raise service.BreachError("a notice is sent between the incident's discovery and now")
    if kind == "customer":
        raise service.BreachError("customer notices are sent by e-mail from Custodian (--send)")
    if kind not in TEMPLATES:
        raise service.BreachError(f"a notification is one of: {', '.join(TEMPLATES)}")
    service.record_notification(conn, actor, incident, Notification(
        0, kind, TEMPLATES[kind], now, sent_at, "filed", 1, 0, actor), now)


def send_to_customers(engine: Engine, keyring: Keyring, send: Callable[[CustomerNotice], str], actor: str,
                      reference: str, policy: PolicyDocument, now: datetime) -> Sent:
    """E-mail the customer notice to every affected account's e-mail of record; `send` returns "" when the mail
    server accepted a message, else why not. Each message is audited on its account; the sending is recorded."""
    with engine.connect() as conn:
        incident = store.incident_by_reference(conn, reference)
        letter = draft(conn, incident, "customer", policy, now)
        accounts = [a.account_id for a in store.affected(conn, incident.id)]
    if not accounts:
        raise service.BreachError("no affected accounts are listed for this incident")
    subject, body = f"{policy.provider.name}: notice of a data security incident", letter_text(letter)
    sent = failed = no_address = 0
    for account_id in accounts:
        with engine.connect() as conn:
            try:
                found = current(addresses_of_record(conn, keyring, account_id), "email", now)
            except AccountShredded:
                found = None
        reason = send(CustomerNotice(found.address, subject, body, account_id)) if found else "no e-mail of record"
        sent, failed, no_address = sent + (not reason), failed + bool(reason and found), no_address + (not found)
        with transaction(engine) as conn:
            audit.append(conn, actor=actor, action="notice.failed" if reason else "notice.sent", account_id=account_id,
                         reason=reason or "the mail server accepted the message",
                         detail={"kind": "breach", "incident": incident.reference}, now=now)
    with transaction(engine) as conn:
        service.record_notification(conn, actor, incident, Notification(
            0, "customer", TEMPLATES["customer"], now, now, "email", sent, failed + no_address, actor), now)
    return Sent(sent, failed, no_address)
