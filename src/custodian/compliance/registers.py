"""The complaints register (customer complaints about the release of CPNI) and the data-broker actions register
(pretexting attempts detected and what was done about them), which the annual CPNI certificate summarises
(47 CFR 64.2009(e)). Each entry is audited in the caller's transaction; texts hold no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Table, func, insert, select, update

from custodian.access.tables import ticket
from custodian.audit import store as audit
from custodian.compliance.certificate import COMPLAINT_CATEGORIES
from custodian.compliance.tables import cpni_complaint, data_broker_action

# The four categories of the certificate's complaint summary (64.2009(e)), in the order it lists them.
CATEGORIES = COMPLAINT_CATEGORIES
BROKER_ACTIONS = {
    "proceeding": "Proceedings instituted",
    "state_commission_complaint": "Complaint filed with a state commission",
    "fcc_petition": "Petition filed at the FCC",
    "law_enforcement_referral": "Referred to law enforcement",
    "other": "Other action",
    "none": "No action taken",
}


class RegisterError(ValueError):
    """An entry the register cannot take, with the reason in words."""


@dataclass(frozen=True)
class Complaint:
    """One complaint about the release of CPNI."""

    id: int
    reference: str
    received_on: date
    category: str
    ticket_id: int | None
    summary: str
    outcome: str | None
    resolved_on: date | None
    recorded_by: str


@dataclass(frozen=True)
class BrokerAction:
    """One pretexting attempt detected and the action taken against the data broker."""

    id: int
    reference: str
    detected_on: date
    attempt: str
    action: str
    action_detail: str
    recorded_by: str


def _next_reference(conn: Connection, table: Table, prefix: str) -> str:
    count = conn.execute(select(func.count()).select_from(table).where(table.c.reference.startswith(prefix)))
    return f"{prefix}{int(count.scalar_one()) + 1:04d}"


def record_complaint(conn: Connection, actor: str, *, received_on: date, category: str, summary: str,
                     ticket_id: int | None, now: datetime) -> Complaint:
    """Add a complaint, linked to the ticket it came in on (audited `complaint.record` on the ticket's account)."""
    if category not in CATEGORIES:
        raise RegisterError(f"category: one of {', '.join(CATEGORIES)}")
    if not summary.strip():
        raise RegisterError("summary: say what the customer complained of, without personal data")
    if received_on > now.date():
        raise RegisterError("received: a complaint cannot be received in the future")
    account_id = None
    if ticket_id is not None:
        account_id = conn.execute(select(ticket.c.account_id).where(ticket.c.id == ticket_id)).scalar()
        if account_id is None:
            raise RegisterError(f"ticket: there is no ticket {ticket_id}")
    reference = _next_reference(conn, cpni_complaint, f"CC-{received_on.year}-")
    new_id = conn.execute(insert(cpni_complaint).values(
        reference=reference, received_on=received_on, category=category, ticket_id=ticket_id,
        summary=summary.strip(), recorded_by=actor, recorded_at=now)).inserted_primary_key[0]  # type: ignore[index]
    audit.append(conn, actor=actor, action="complaint.record", account_id=account_id,
                 reason="complaint about the release of CPNI recorded",
                 detail={"complaint": reference, "category": category, "ticket": ticket_id}, now=now)
    return complaint_by_id(conn, int(new_id))


def resolve_complaint(conn: Connection, actor: str, reference: str, outcome: str, now: datetime) -> Complaint:
    """Record the outcome of a complaint (audited `complaint.resolve`)."""
    found = complaint_by_reference(conn, reference)
    if not outcome.strip():
        raise RegisterError("outcome: say how the complaint was resolved")
    conn.execute(update(cpni_complaint).where(cpni_complaint.c.id == found.id)
                 .values(outcome=outcome.strip(), resolved_on=now.date()))
    account_id = None
    if found.ticket_id is not None:
        account_id = conn.execute(select(ticket.c.account_id).where(ticket.c.id == found.ticket_id)).scalar()
    audit.append(conn, actor=actor, action="complaint.resolve", account_id=account_id,
                 reason="outcome of a CPNI complaint recorded", detail={"complaint": reference}, now=now)
    return complaint_by_id(conn, found.id)


def record_broker_action(conn: Connection, actor: str, *, detected_on: date, attempt: str, action: str,
                         action_detail: str, now: datetime) -> BrokerAction:
    """Add a pretexting attempt and the action taken (audited `broker_action.record`)."""
    if action not in BROKER_ACTIONS:
        raise RegisterError(f"action: one of {', '.join(BROKER_ACTIONS)}")
    if not attempt.strip():
        raise RegisterError("attempt: describe the pretexting attempt, without personal data")
    if detected_on > now.date():
        raise RegisterError("detected: an attempt cannot be detected in the future")
    reference = _next_reference(conn, data_broker_action, f"DB-{detected_on.year}-")
    new_id = conn.execute(insert(data_broker_action).values(
        reference=reference, detected_on=detected_on, attempt=attempt.strip(), action=action,
        action_detail=action_detail.strip(), recorded_by=actor,
        recorded_at=now)).inserted_primary_key[0]  # type: ignore[index]
    audit.append(conn, actor=actor, action="broker_action.record", reason="action against a data broker recorded",
                 detail={"entry": reference, "action": action}, now=now)
    row = conn.execute(select(data_broker_action).where(data_broker_action.c.id == new_id)).one()
    return _action(row)


def complaint_by_id(conn: Connection, complaint_id: int) -> Complaint:
    """One complaint by its id."""
    return _complaint(conn.execute(select(cpni_complaint).where(cpni_complaint.c.id == complaint_id)).one())


def complaint_by_reference(conn: Connection, reference: str) -> Complaint:
    """One complaint by its reference, or RegisterError."""
    row = conn.execute(select(cpni_complaint).where(cpni_complaint.c.reference == reference)).first()
    if row is None:
        raise RegisterError(f"there is no complaint {reference}")
    return _complaint(row)


def complaints(conn: Connection, start: date | None = None, end: date | None = None) -> list[Complaint]:
    """Complaints received from `start` to `end` (inclusive), newest first."""
    query = select(cpni_complaint).order_by(cpni_complaint.c.received_on.desc(), cpni_complaint.c.id.desc())
    if start is not None:
        query = query.where(cpni_complaint.c.received_on >= start)
    if end is not None:
        query = query.where(cpni_complaint.c.received_on <= end)
    return [_complaint(row) for row in conn.execute(query)]


def broker_actions(conn: Connection, start: date | None = None, end: date | None = None) -> list[BrokerAction]:
    """Data-broker actions detected from `start` to `end` (inclusive), newest first."""
    query = select(data_broker_action).order_by(data_broker_action.c.detected_on.desc(),
                                                data_broker_action.c.id.desc())
    if start is not None:
        query = query.where(data_broker_action.c.detected_on >= start)
    if end is not None:
        query = query.where(data_broker_action.c.detected_on <= end)
    return [_action(row) for row in conn.execute(query)]


def _complaint(row: object) -> Complaint:
    m = row._mapping  # type: ignore[attr-defined]
    return Complaint(int(m["id"]), m["reference"], m["received_on"], m["category"],
                     None if m["ticket_id"] is None else int(m["ticket_id"]), m["summary"], m["outcome"],
                     m["resolved_on"], m["recorded_by"])


def _action(row: object) -> BrokerAction:
    m = row._mapping  # type: ignore[attr-defined]
    return BrokerAction(int(m["id"]), m["reference"], m["detected_on"], m["attempt"], m["action"],
                        m["action_detail"], m["recorded_by"])
