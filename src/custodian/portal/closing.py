"""The customer closing their account from the portal: the account is closed today, the online account and
its sessions end, and the policy's closure rule says when the data is purged or de-identified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, delete, select, update

from custodian.audit import store as audit
from custodian.backup.deletions import record_online_closure
from custodian.policy.compiled import CompiledPolicy
from custodian.portal.service import ACTOR, PortalError
from custodian.portal.tables import portal_account, portal_device, portal_session
from custodian.records.tables import account
from custodian.retention.planner import schedule_of


@dataclass(frozen=True)
class ClosureDates:
    """When the account closed, and when its data is purged (at the latest), or None when the policy says not."""

    closed_on: date
    purge_on: date | None
    purge_by: date | None
    deidentified: tuple[str, ...]  # classes kept de-identified instead of deleted


def closure_dates(policy: CompiledPolicy, closed_on: date) -> ClosureDates:
    """The dates of the policy's closure rule for an account closed on `closed_on`."""
    schedule = schedule_of(policy)
    after, by = schedule.purge_after_days, schedule.deadline_days
    return ClosureDates(closed_on, closed_on + timedelta(days=after) if after is not None else None,
                        closed_on + timedelta(days=by) if by is not None else None, tuple(sorted(schedule.deidentify)))


def close_account(conn: Connection, policy: CompiledPolicy, account_id: int, online_id: int,
                  now: datetime) -> ClosureDates:
    """Close the account today; end the online account, its sessions and remembered devices; audited and in the
    deletion log (a restored backup deletes the online account again and keeps the account closed)."""
    status = conn.execute(select(account.c.status).where(account.c.id == account_id)).scalar_one()
    if status == "closed":
        raise PortalError("account: already closed")
    closed_on = now.date()
    conn.execute(update(account).where(account.c.id == account_id).values(status="closed", closed_on=closed_on))
    record_online_closure(conn, account_id, online_id, closed_on)
    conn.execute(delete(portal_session).where(portal_session.c.portal_account_id == online_id))
    conn.execute(delete(portal_device).where(portal_device.c.portal_account_id == online_id))
    conn.execute(delete(portal_account).where(portal_account.c.id == online_id))
    dates = closure_dates(policy, closed_on)
    audit.append(conn, actor=ACTOR, action="account.close", account_id=account_id,
                 reason="closed by the customer in the portal",
                 detail={"closed_on": closed_on.isoformat(),
                         "purge_on": dates.purge_on.isoformat() if dates.purge_on else None}, now=now)
    return dates
