"""The privacy officer's retention page: the schedule as the policy states it, what the next run
will delete, the legal holds in effect and the latest receipts. Counts and account references only:
no subscriber data."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.retention import hold_service
from custodian.retention.service import NoPolicyInForce, policy_in_force, retention_view
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))


@router.get("/retention", response_class=HTMLResponse)
def retention(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """The retention schedule, the next run's plan, holds and receipts."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        try:
            view = retention_view(conn, policy_in_force(conn, staff.now), staff.now)
        except NoPolicyInForce:
            return render_page(request, "console/officer/retention.html", staff=staff, view=None, refs={})
        refs = hold_service.account_refs(conn, [hold.account_id for hold in view.holds])
    return render_page(request, "console/officer/retention.html", staff=staff, view=view, refs=refs)
