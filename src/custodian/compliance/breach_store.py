"""Queries of the breach register: incidents, law-enforcement delays, affected accounts, notifications.
Flushes, never commits: the caller's transaction also holds the audit event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, func, insert, select, update

from custodian.compliance.tables import breach_affected, breach_incident, breach_le_delay, breach_notification
from custodian.records.tables import account


class IncidentNotFound(LookupError):
    """No incident has that reference."""


@dataclass(frozen=True)
class Incident:
    """One incident of the register (its description holds no personal data)."""

    id: int
    reference: str
    discovered_at: datetime
    determined_at: datetime
    description: str
    method: str
    occurred_from: datetime | None
    occurred_to: datetime | None
    financial_loss: str
    classes: tuple[str, ...]
    harm_likely: bool
    rule_sets: tuple[str, ...]
    affected_estimate: int | None
    state: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class Delay:
    """Law enforcement asked that customers not be told before `until_on` has passed."""

    requested_at: datetime
    until_on: date
    agency: str


@dataclass(frozen=True)
class Affected:
    """An affected account, and how it was found."""

    account_id: int
    how_found: str
    first_read_at: datetime | None
    classes: tuple[str, ...]


@dataclass(frozen=True)
class Notification:
    """A notification drafted, and sent when `sent_at` is set."""

    id: int
    kind: str
    template: str
    drafted_at: datetime
    sent_at: datetime | None
    channel: str
    recipients: int
    failed: int
    sent_by: str


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _incident(row: object) -> Incident:
    r = row._mapping  # type: ignore[attr-defined]
    return Incident(r["id"], r["reference"], r["discovered_at"], r["determined_at"], r["description"], r["method"],
                    r["occurred_from"], r["occurred_to"], r["financial_loss"], _split(r["classes"]),
                    bool(r["harm_likely"]), _split(r["rule_sets"]), r["affected_estimate"], r["state"],
                    r["recorded_by"], r["recorded_at"])


def insert_incident(conn: Connection, values: dict[str, object], now: datetime) -> Incident:
    """A new incident numbered BR-YEAR-NNNN within the year it is recorded."""
    prefix = f"BR-{now.year}-"
    count = conn.execute(select(func.count()).select_from(breach_incident)
                         .where(breach_incident.c.reference.startswith(prefix))).scalar_one()
    row = {**values, "reference": f"{prefix}{int(count) + 1:04d}", "state": "open", "recorded_at": now,
           "updated_at": now}
    row["classes"] = ",".join(row["classes"])  # type: ignore[arg-type]
    row["rule_sets"] = ",".join(row["rule_sets"])  # type: ignore[arg-type]
    new_id = conn.execute(insert(breach_incident).values(**row)).inserted_primary_key[0]  # type: ignore[index]
    return incident_by_id(conn, int(new_id))


def incident_by_id(conn: Connection, incident_id: int) -> Incident:
    """The incident with this id."""
    row = conn.execute(select(breach_incident).where(breach_incident.c.id == incident_id)).first()
    if row is None:
        raise IncidentNotFound(f"no breach incident {incident_id}")
    return _incident(row)


def incident_by_reference(conn: Connection, reference: str) -> Incident:
    """The incident with this reference, or IncidentNotFound."""
    row = conn.execute(select(breach_incident).where(breach_incident.c.reference == reference.strip())).first()
    if row is None:
        raise IncidentNotFound(f"no breach incident {reference.strip()!r}")
    return _incident(row)


def incidents(conn: Connection, *, open_only: bool = False) -> list[Incident]:
    """Every incident, newest first."""
    query = select(breach_incident).order_by(breach_incident.c.id.desc())
    if open_only:
        query = query.where(breach_incident.c.state == "open")
    return [_incident(row) for row in conn.execute(query)]


def set_state(conn: Connection, incident_id: int, state: str, now: datetime) -> None:
    """Open or close an incident."""
    conn.execute(update(breach_incident).where(breach_incident.c.id == incident_id)
                 .values(state=state, updated_at=now))


def set_rule_sets(conn: Connection, incident_id: int, rule_sets: Iterable[str], now: datetime) -> None:
    """Replace the incident's rule sets."""
    conn.execute(update(breach_incident).where(breach_incident.c.id == incident_id)
                 .values(rule_sets=",".join(rule_sets), updated_at=now))


def affected_profiles(conn: Connection, incident_id: int) -> set[str]:
    """The account profiles (standard, hipaa) among the incident's affected accounts."""
    query = (select(account.c.profile).distinct().join(breach_affected, breach_affected.c.account_id == account.c.id)
             .where(breach_affected.c.incident_id == incident_id))
    return {row[0] for row in conn.execute(query)}


def insert_delay(conn: Connection, incident_id: int, delay: Delay) -> None:
    """Record a law-enforcement delay request."""
    conn.execute(insert(breach_le_delay).values(incident_id=incident_id, requested_at=delay.requested_at,
                                                until_on=delay.until_on, agency=delay.agency))


def delays(conn: Connection, incident_id: int) -> list[Delay]:
    """The incident's delay requests, oldest first."""
    rows = conn.execute(select(breach_le_delay).where(breach_le_delay.c.incident_id == incident_id)
                        .order_by(breach_le_delay.c.id))
    return [Delay(row.requested_at, row.until_on, row.agency) for row in rows]


def insert_affected(conn: Connection, incident_id: int, found: Iterable[Affected]) -> int:
    """Add affected accounts not yet listed; how many were new."""
    known = {row[0] for row in conn.execute(select(breach_affected.c.account_id)
                                            .where(breach_affected.c.incident_id == incident_id))}
    rows = [{"incident_id": incident_id, "account_id": a.account_id, "how_found": a.how_found,
             "first_read_at": a.first_read_at, "classes": ",".join(a.classes)}
            for a in found if a.account_id not in known]
    if rows:
        conn.execute(insert(breach_affected), rows)
    return len(rows)


def affected(conn: Connection, incident_id: int) -> list[Affected]:
    """The incident's affected accounts, in account order."""
    rows = conn.execute(select(breach_affected).where(breach_affected.c.incident_id == incident_id)
                        .order_by(breach_affected.c.account_id))
    return [Affected(row.account_id, row.how_found, row.first_read_at, _split(row.classes)) for row in rows]


def insert_notification(conn: Connection, incident_id: int, note: Notification) -> None:
    """Record a notification drafted or sent."""
    conn.execute(insert(breach_notification).values(
        incident_id=incident_id, kind=note.kind, template=note.template, drafted_at=note.drafted_at,
        sent_at=note.sent_at, channel=note.channel, recipients=note.recipients, failed=note.failed,
        sent_by=note.sent_by))


def notifications(conn: Connection, incident_id: int) -> list[Notification]:
    """The incident's notifications, oldest first."""
    rows = conn.execute(select(breach_notification).where(breach_notification.c.incident_id == incident_id)
                        .order_by(breach_notification.c.id))
    return [Notification(row.id, row.kind, row.template, row.drafted_at, row.sent_at, row.channel, row.recipients,
                         row.failed, row.sent_by) for row in rows]
