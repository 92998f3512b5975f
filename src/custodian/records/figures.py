"""Live figures about the record store: counts by SQL only, nothing decrypted, nothing personal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from custodian.audit import store as audit_store
from custodian.ingest.tables import import_run
from custodian.records.tables import (
    account,
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    e911_address,
    fax_log,
    number_assignment,
    sms_log,
)

ACCOUNT_STATUSES = ("active", "suspended", "closed")
ACCOUNT_KINDS = ("residential", "business")
ACCOUNT_PROFILES = ("standard", "hipaa")


@dataclass(frozen=True)
class LastImport:
    """The newest import run that completed."""

    kind: str
    finished_at: datetime
    imported: int


@dataclass(frozen=True)
class AccountFigures:
    """Accounts counted by status, kind and profile (every key of each vocabulary is present)."""

    total: int
    by_status: dict[str, int]
    by_kind: dict[str, int]
    by_profile: dict[str, int]
    controlled_by_business_client: int

    @property
    def hipaa(self) -> int:
        """Accounts on the HIPAA profile."""
        return self.by_profile.get("hipaa", 0)


@dataclass(frozen=True)
class StoreFigures:
    """A snapshot of what the store holds, for the home page and /api/v1/figures."""

    accounts: AccountFigures
    numbers_assigned_now: int
    number_assignments: int
    call_records: int
    newest_call_at: datetime | None
    sms_records: int
    fax_records: int
    content_by_kind: dict[str, int] = field(default_factory=dict)
    comment_entries: int = 0
    billing_transactions: int = 0
    e911_registrations: int = 0
    last_import: LastImport | None = None
    audit_events: int = 0
    audit_head_hash: str = ""

    @property
    def content_items(self) -> int:
        """Content items of every kind."""
        return sum(self.content_by_kind.values())


def store_figures(conn: Connection) -> StoreFigures:
    """Count what the store holds now (a handful of aggregate queries; no row is decrypted)."""
    call_count, newest_call_at = conn.execute(
        select(func.count(), func.max(call_log.c.started_at))).one()
    numbers_now, numbers_total = conn.execute(select(
        func.count(case((number_assignment.c.assigned_to.is_(None), 1))),
        func.count(),
    ).select_from(number_assignment)).one()
    audit_seq, audit_hash = audit_store.head(conn)
    return StoreFigures(
        accounts=account_figures(conn),
        numbers_assigned_now=int(numbers_now),
        number_assignments=int(numbers_total),
        call_records=int(call_count),
        newest_call_at=newest_call_at,
        sms_records=_count(conn, sms_log),
        fax_records=_count(conn, fax_log),
        content_by_kind=_grouped_counts(conn, content_item.c.kind),
        e911_registrations=_count(conn, e911_address),
        comment_entries=_count(conn, comment_log),
        billing_transactions=_count(conn, billing_transaction),
        last_import=last_completed_import(conn),
        audit_events=int(audit_seq),
        audit_head_hash=audit_hash,
    )


def account_figures(conn: Connection) -> AccountFigures:
    """Accounts by status, kind, profile and controller, from one grouped query."""
    controlled = account.c.controller.is_not(None)
    rows = conn.execute(
        select(account.c.status, account.c.kind, account.c.profile,
               func.count(case((controlled, 1))), func.count())
        .group_by(account.c.status, account.c.kind, account.c.profile)
    ).all()
    by_status = dict.fromkeys(ACCOUNT_STATUSES, 0)
    by_kind = dict.fromkeys(ACCOUNT_KINDS, 0)
    by_profile = dict.fromkeys(ACCOUNT_PROFILES, 0)
    total = under_controller = 0
    for status, kind, profile, controlled_count, count in rows:
        by_status[status] = by_status.get(status, 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
        by_profile[profile] = by_profile.get(profile, 0) + count
        under_controller += controlled_count
        total += count
    return AccountFigures(total=total, by_status=by_status, by_kind=by_kind,
                          by_profile=by_profile, controlled_by_business_client=under_controller)


def last_completed_import(conn: Connection) -> LastImport | None:
    """The newest completed import run, or None before the first import."""
    row = conn.execute(
        select(import_run.c.kind, import_run.c.finished_at, import_run.c.imported)
        .where(import_run.c.status == "completed", import_run.c.finished_at.is_not(None))
        .order_by(import_run.c.finished_at.desc(), import_run.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return LastImport(kind=row.kind, finished_at=row.finished_at, imported=row.imported)


def _count(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _grouped_counts(conn: Connection, column: Any) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).group_by(column).order_by(column)).all()
    return {str(key): int(count) for key, count in rows}
