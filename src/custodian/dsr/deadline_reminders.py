"""Deadline reminders (issue 15 §3 "e-mail reminders 5 days before a deadline"): one e-mail to the provider's
privacy contact (the policy's `privacy` contact) listing each open, verified request due within 5 days,
each request once. The list names references, types and due days: no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.dsr import store
from custodian.dsr.service import Mail
from custodian.dsr.tables import privacy_request
from custodian.dsr.types import TYPE_LABELS
from custodian.policy.compiled import CompiledPolicy

DAYS_AHEAD = 5
ACTOR = "job:dsr-deadlines"


@dataclass(frozen=True)
class DueSoon:
    """One request the reminder names."""

    reference: str
    request_type: str
    due_on: date


def privacy_contact(policy: CompiledPolicy) -> str:
    """The e-mail of the policy's privacy contact, or "" when it has none."""
    return next((c.email for c in policy.document.provider.contacts if c.role == "privacy" and c.email), "")


def remind_of_deadlines(conn: Connection, policy: CompiledPolicy, *, now: datetime) -> Mail | None:
    """The reminder of open requests due within 5 days not yet reminded (marked reminded), or None."""
    to = privacy_contact(policy)
    rows = conn.execute(select(privacy_request.c.id, privacy_request.c.reference, privacy_request.c.request_type,
                               privacy_request.c.due_on)
                        .where(privacy_request.c.state.in_(("in_progress", "unverified")),
                               privacy_request.c.due_on.is_not(None),
                               privacy_request.c.due_on <= now.date() + timedelta(days=DAYS_AHEAD),
                               privacy_request.c.deadline_reminded_at.is_(None))
                        .order_by(privacy_request.c.due_on, privacy_request.c.id)).all()
    if not rows or not to:
        return None
    due = [DueSoon(r.reference, r.request_type, r.due_on) for r in rows]
    for row in rows:
        store.update_request(conn, int(row.id), deadline_reminded_at=now)
        store.add_event(conn, int(row.id), actor=ACTOR, action="deadline_reminder", now=now,
                        note=f"the privacy contact was reminded: due {row.due_on.isoformat()}")
    audit.append(conn, actor=ACTOR, action="dsr.deadline_reminder", now=now, reason="privacy requests due soon",
                 detail={"requests": len(due)})
    return Mail(to, *reminder_text(policy.document.provider.name, due, now.date()))


def reminder_text(provider: str, due: list[DueSoon], today: date) -> tuple[str, str]:
    """(subject, body) of the reminder (pure)."""
    lines = [f"- {d.reference}: {TYPE_LABELS.get(d.request_type, d.request_type)}, due {d.due_on.isoformat()} "
             f"({_left(d.due_on, today)})" for d in due]
    subject = f"{len(due)} privacy request{'s' if len(due) != 1 else ''} due within {DAYS_AHEAD} days"
    body = (f"These privacy requests to {provider} are due within {DAYS_AHEAD} days:\n\n" + "\n".join(lines)
            + "\n\nOpen them in the staff console under Privacy requests.\n")
    return subject, body


def _left(due_on: date, today: date) -> str:
    days = (due_on - today).days
    return f"{-days} days overdue" if days < 0 else "due today" if days == 0 else f"{days} days left"
