"""The customer notices a legal request owes, one row per request and account (DRG VIII: "SpectrumVoIP's
notifies its customers of Data Requests unless precluded from doing so by law or court order").

A notice is queued `pending` (or `withheld` while a nondisclosure order binds) inside the transaction that
accepts or delivers the request; it becomes `sent` only after the mail server accepted it (legal/notices.py),
never inside that transaction. Joins the caller's transaction; never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.legal.notice_rules import (
    OPEN_OUTCOMES,
    NoticeState,
    Occasion,
    gag_in_force,
    production_blocker,
    production_starts_on,
    waits_for_objection,
)
from custodian.legal.store import StoredRequest
from custodian.legal.tables import legal_notice, legal_request
from custodian.policy.compiled import CompiledPolicy

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class OwedNotice:
    """A notice still to be sent (pending, or failed and to be retried)."""

    id: int
    request_id: int
    account_id: int
    occasion: Occasion
    outcome: str
    attempts: int
    reason: str


def gagged(request: StoredRequest, today: date) -> bool:
    """True while a nondisclosure order (or an instrument's own gag) forbids telling the customer."""
    return gag_in_force(request.document.gagged_on(today), request.nondisclosure_lifted_on, today)


def queue(conn: Connection, request: StoredRequest, account_ids: Iterable[int], *, occasion: Occasion, actor: str,
          now: datetime) -> int:
    """Owe a notice to each account not yet owed one: pending, or withheld while an order binds; returns how many."""
    known = set(conn.execute(select(legal_notice.c.account_id)
                             .where(legal_notice.c.request_id == request.id)).scalars())
    held = gagged(request, now.date())
    reason = _gag_reason(request) if held else "to be sent once this change is recorded"
    added = 0
    for account_id in dict.fromkeys(a for a in account_ids if a not in known):
        conn.execute(insert(legal_notice).values(
            request_id=request.id, account_id=account_id, outcome="withheld" if held else "pending", reason=reason,
            logged_at=now, occasion=occasion, held_by_order=held, attempts=0))
        audit.append(conn, actor=actor, action="legal.notice.withheld" if held else "legal.notice.queued",
                     account_id=account_id, reason=reason, detail={"request": request.tracking_number,
                                                                   "occasion": occasion}, now=now)
        added += 1
    return added


def held_request_ids(conn: Connection, request_id: int | None) -> list[int]:
    """Requests with notices withheld under a nondisclosure order (the release step's work list)."""
    query = select(legal_notice.c.request_id).where(legal_notice.c.outcome == "withheld",
                                                    legal_notice.c.held_by_order.is_(True)).distinct()
    if request_id is not None:
        query = query.where(legal_notice.c.request_id == request_id)
    return sorted(conn.execute(query).scalars())


def release(conn: Connection, request: StoredRequest, *, actor: str, now: datetime) -> int:
    """Once the order expired or was lifted, its withheld notices become pending (occasion `order_ended`)."""
    if gagged(request, now.date()):
        return 0
    rows = conn.execute(select(legal_notice.c.id, legal_notice.c.account_id).where(
        legal_notice.c.request_id == request.id, legal_notice.c.outcome == "withheld",
        legal_notice.c.held_by_order.is_(True))).all()
    reason = f"the nondisclosure order {order_end(request, now.date())}"
    for row in rows:
        conn.execute(update(legal_notice).where(legal_notice.c.id == row.id).values(
            outcome="pending", occasion="order_ended", reason=reason, logged_at=now))
        audit.append(conn, actor=actor, action="legal.notice.released", account_id=row.account_id, reason=reason,
                     detail={"request": request.tracking_number}, now=now)
    return len(rows)


def order_end(request: StoredRequest, today: date) -> str:
    """How the order ended: "was lifted on DATE" (lifted or overturned early) or "expired on DATE"."""
    lifted = request.nondisclosure_lifted_on
    order = request.document.nondisclosure_order
    expires = order.expires_on if order is not None else None
    if lifted is not None and lifted <= today and (expires is None or lifted < expires):
        return f"was lifted on {lifted.isoformat()}"
    return f"expired on {expires.isoformat()}" if expires else "ended"


def owed(conn: Connection, request_id: int | None, *, retry_failed: bool) -> list[OwedNotice]:
    """Notices to send now: pending ones, and failed ones under MAX_ATTEMPTS when `retry_failed`."""
    outcomes = OPEN_OUTCOMES if retry_failed else ("pending",)
    query = select(legal_notice).where(legal_notice.c.outcome.in_(outcomes),
                                       legal_notice.c.attempts < MAX_ATTEMPTS).order_by(legal_notice.c.id)
    if request_id is not None:
        query = query.where(legal_notice.c.request_id == request_id)
    return [OwedNotice(r.id, r.request_id, r.account_id, r.occasion, r.outcome, r.attempts, r.reason)
            for r in conn.execute(query).all()]


def record(conn: Connection, notice: OwedNotice, outcome: str, reason: str, *, tracking: str, actor: str,
           now: datetime, final: bool = False) -> None:
    """Record one attempt's outcome (sent, failed, withheld) on the notice and in the audit trail."""
    values: dict[str, Any] = {"outcome": outcome, "reason": reason[:200], "logged_at": now,
                              "attempts": MAX_ATTEMPTS if final else notice.attempts + 1}
    if outcome == "sent":
        values["sent_at"] = now
    conn.execute(update(legal_notice).where(legal_notice.c.id == notice.id).values(**values))
    audit.append(conn, actor=actor, action=f"legal.notice.{outcome}", account_id=notice.account_id,
                 reason=reason[:200], detail={"request": tracking, "occasion": notice.occasion,
                                              "attempt": values["attempts"]}, now=now)


def production_refusal(conn: Connection, policy: CompiledPolicy, request: StoredRequest, today: date) -> str | None:
    """Why a civil production may not start yet (the customer's objection period), or None."""
    rules = policy.document.legal.notification
    if not rules.notify_customer:
        return None
    return production_blocker(request.requester_type, _states(conn, request.id), rules.objection_days, today)


def production_start(conn: Connection, policy: CompiledPolicy, request: StoredRequest) -> date | None:
    """The day a civil production may start (the end of the customers' objection period), if notices went out."""
    rules = policy.document.legal.notification
    if not rules.notify_customer or not waits_for_objection(request.requester_type):
        return None
    return production_starts_on(_states(conn, request.id), rules.objection_days)


def _states(conn: Connection, request_id: int) -> list[NoticeState]:
    rows = conn.execute(select(legal_notice.c.outcome, legal_notice.c.sent_at)
                        .where(legal_notice.c.request_id == request_id)).all()
    return [NoticeState(r.outcome, r.sent_at.date() if r.sent_at else None) for r in rows]


def set_lifted(conn: Connection, request_id: int, lifted_on: date, now: datetime) -> None:
    """Record the day the request's nondisclosure order was lifted or overturned."""
    conn.execute(update(legal_request).where(legal_request.c.id == request_id)
                 .values(nondisclosure_lifted_on=lifted_on, updated_at=now))


def _gag_reason(request: StoredRequest) -> str:
    order = request.document.nondisclosure_order
    until = order.expires_on.isoformat() if order is not None and order.expires_on else "further order"
    return f"nondisclosure order until {until}"
