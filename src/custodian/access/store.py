"""Queries on tickets and break-glass accesses. Joins the caller's transaction, never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from custodian.access.tables import break_glass, cpni_failure, ticket
from custodian.access.types import TicketGrant
from custodian.records.tables import account


@dataclass(frozen=True)
class Ticket:
    """A ticket with the account reference it is about."""

    grant: TicketGrant
    account_ref: str
    summary: str
    opened_at: datetime
    cpni_failures: int = 0  # wrong CPNI passwords or answers given on this ticket
    cpni_method: str | None = None  # how the caller was authenticated
    identity_document: str | None = None  # in person: the type of government photo ID checked


@dataclass(frozen=True)
class BreakGlass:
    """One access outside a ticket, with its reason and the privacy officer's review."""

    id: int
    staff_id: int
    account_id: int
    account_ref: str
    reason: str
    opened_at: datetime
    expires_at: datetime
    reviewed: bool
    reviewed_by: str | None
    outcome: str | None
    review_note: str | None


def account_id_for_ref(conn: Connection, ref: str) -> int | None:
    """The internal id of an account reference (no personal data: for filters and tickets)."""
    return conn.execute(select(account.c.id).where(account.c.ref == ref)).scalar()


def insert_ticket(conn: Connection, **values: Any) -> int:
    """Store a ticket; return its id."""
    return int(conn.execute(insert(ticket).values(**values).returning(ticket.c.id)).scalar_one())


def ticket_by_id(conn: Connection, ticket_id: int) -> Ticket | None:
    """One ticket."""
    row = conn.execute(_tickets().where(ticket.c.id == ticket_id)).first()
    return _ticket(row) if row else None


def tickets_of(conn: Connection, staff_id: int, limit: int = 50) -> list[Ticket]:
    """A staff member's tickets, newest first."""
    rows = conn.execute(_tickets().where(ticket.c.staff_id == staff_id).order_by(ticket.c.id.desc()).limit(limit))
    return [_ticket(row) for row in rows]


def update_ticket(conn: Connection, ticket_id: int, **values: Any) -> None:
    """Change a ticket (close it, mark the CPNI password given)."""
    conn.execute(update(ticket).where(ticket.c.id == ticket_id).values(**values))


def open_ticket_count(conn: Connection, account_id: int, now: datetime) -> int:
    """How many tickets on the account are open now (any staff member)."""
    rows = conn.execute(select(ticket.c.id).where(ticket.c.account_id == account_id, ticket.c.closed_at.is_(None),
                                                  ticket.c.expires_at > now)).all()
    return len(rows)


def add_cpni_failure(conn: Connection, account_id: int, ticket_id: int, now: datetime) -> None:
    """Count one wrong CPNI password or answer against the customer."""
    conn.execute(insert(cpni_failure).values(account_id=account_id, ticket_id=ticket_id, failed_at=now))


def cpni_failures_since(conn: Connection, account_id: int, since: datetime) -> list[datetime]:
    """When the customer gave a wrong CPNI password or answer after `since`, on any ticket."""
    return list(conn.execute(select(cpni_failure.c.failed_at).where(
        cpni_failure.c.account_id == account_id, cpni_failure.c.failed_at > since)).scalars())


def insert_break_glass(conn: Connection, **values: Any) -> int:
    """Store a break-glass access; return its id."""
    return int(conn.execute(insert(break_glass).values(**values).returning(break_glass.c.id)).scalar_one())


def break_glass_by_id(conn: Connection, access_id: int) -> BreakGlass | None:
    """One break-glass access."""
    row = conn.execute(_break_glasses().where(break_glass.c.id == access_id)).first()
    return _break_glass(row) if row else None


def break_glasses(conn: Connection, *, reviewed: bool | None = None, staff_id: int | None = None,
                  limit: int = 100) -> list[BreakGlass]:
    """Break-glass accesses, newest first, optionally only (un)reviewed or of one staff member."""
    query = _break_glasses().order_by(break_glass.c.id.desc()).limit(limit)
    if reviewed is not None:
        query = query.where(break_glass.c.reviewed == reviewed)
    if staff_id is not None:
        query = query.where(break_glass.c.staff_id == staff_id)
    return [_break_glass(row) for row in conn.execute(query)]


def update_break_glass(conn: Connection, access_id: int, **values: Any) -> None:
    """Record the review of a break-glass access."""
    conn.execute(update(break_glass).where(break_glass.c.id == access_id).values(**values))


def _tickets() -> Any:
    return select(ticket, account.c.ref.label("account_ref")).join(account, account.c.id == ticket.c.account_id)


def _ticket(row: Any) -> Ticket:
    grant = TicketGrant(ticket_id=row.id, staff_id=row.staff_id, account_id=row.account_id, topic=row.topic,
                        channel=row.channel, expires_at=row.expires_at, closed_at=row.closed_at,
                        cpni_verified=row.cpni_verified_at is not None)
    return Ticket(grant, row.account_ref, row.summary, row.opened_at, row.cpni_failures, row.cpni_method,
                  row.identity_document)


def _break_glasses() -> Any:
    return (select(break_glass, account.c.ref.label("account_ref"))
            .join(account, account.c.id == break_glass.c.account_id))


def _break_glass(row: Any) -> BreakGlass:
    return BreakGlass(row.id, row.staff_id, row.account_id, row.account_ref, row.reason, row.opened_at,
                      row.expires_at, row.reviewed, row.reviewed_by, row.outcome, row.review_note)
