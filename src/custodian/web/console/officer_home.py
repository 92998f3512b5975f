"""The privacy officer's home: the figures and deadlines that exist today, each linking to its page —
legal requests due, break-glass reviews and credential approvals pending, what retention deletes next,
and the audit chain's status. Counts, references and dates only: no subscriber data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access import store as access_store
from custodian.access.types import PRIVACY_OFFICER
from custodian.audit import checkpoints
from custodian.legal import desk_views
from custodian.retention.planner import PlanSummary
from custodian.retention.service import NoPolicyInForce, policy_in_force, retention_view
from custodian.runtime import Runtime
from custodian.staff import store as staff_store
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))
DUE_SOON_DAYS = 7
SHOWN_DUE = 5
ANSWERED = frozenset({"delivered", "closed", "rejected", "withdrawn"})


@dataclass(frozen=True)
class LegalDeadlines:
    """Open legal requests by deadline: overdue, due within a week, and the next few to answer."""

    open: int
    overdue: int
    due_soon: int
    next_due: tuple[Any, ...]


def legal_deadlines(rows: list[Any], today: date) -> LegalDeadlines:
    """The deadlines of the desk's open requests as of `today` (delivered ones owe no answer)."""
    waiting = sorted((r for r in rows if r.state not in ANSWERED and r.due_on is not None), key=lambda r: r.due_on)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return LegalDeadlines(len(waiting), sum(r.due_on < today for r in waiting),
                          sum(today <= r.due_on <= soon for r in waiting), tuple(waiting[:SHOWN_DUE]))


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """The officer's overview page."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        legal = legal_deadlines(desk_views.queue(conn, desk_views.QueueFilter()), staff.now.date())
        reviews = len(access_store.break_glasses(conn, reviewed=False))
        approvals = sum(issue.state == "pending" for issue in staff_store.issues(conn))
        chain = checkpoints.status(conn)
        retention: PlanSummary | None = None
        holds = 0
        try:
            view = retention_view(conn, policy_in_force(conn, staff.now), staff.now)
            retention, holds = view.next_run, len(view.holds)
        except NoPolicyInForce:
            pass
    return render_page(request, "console/officer/overview.html", staff=staff, legal=legal, reviews=reviews,
                       approvals=approvals, chain=chain, retention=retention, holds=holds, today=staff.now.date())
