"""Vendors and contracts (issue 17 §4): each recipient of the policy in force with its kind, country and transfer
mechanism, contract terms, what it may receive and what the disclosure ledger says it received, and warnings (a term
the policy requires missing, a transfer the gate would refuse, a review overdue). The privacy officer records
contract reviews; the legal desk may read the page. Roles checked on every route; the form carries the CSRF token."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.db.engine import transaction
from custodian.disclosures import vendor_store
from custodian.disclosures.vendor_store import ReviewProblem
from custodian.disclosures.vendors import KIND_LABELS, MECHANISM_LABELS, vendors
from custodian.policy.document import PolicyDocument
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, policy_in_force, require_staff
from custodian.web.rendering import render_page

LEGAL_DESK = "legal_desk"
router = APIRouter(prefix="/console/vendors", include_in_schema=False)
readers = require_staff(roles=(PRIVACY_OFFICER, LEGAL_DESK))
officer_only = require_staff(roles=(PRIVACY_OFFICER,))


def _policy(request: Request, staff: StaffContext) -> PolicyDocument:
    return policy_in_force(request, staff, "the recipients")


@router.get("", response_class=HTMLResponse)
def vendor_list(request: Request, staff: StaffContext = Depends(readers)) -> Response:
    """Every recipient of the policy in force, with its contract, its disclosures and what needs attention."""
    return _page(request, staff, problem="", status=200, form={})


def _page(request: Request, staff: StaffContext, *, problem: str, status: int, form: dict[str, Any]) -> Response:
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found = vendors(policy, vendor_store.latest_reviews(conn), vendor_store.usage_by_recipient(conn),
                        staff.now.date())
        others = vendor_store.others_in_ledger(conn, list(policy.recipients))
    return render_page(request, "console/vendors.html", status=status, staff=staff, vendors=found, others=others,
                       kinds=KIND_LABELS, mechanisms=MECHANISM_LABELS, policy=policy, problem=problem, form=form,
                       can_review=staff.member.role == PRIVACY_OFFICER, today=staff.now.date(),
                       options=[(vendor.key, vendor.recipient.name) for vendor in found])


@router.post("/reviews")
def record_review(request: Request, recipient: str = Form(""), reviewed_on: str = Form(""),
                  next_review_on: str = Form(""), note: str = Form(""),
                  staff: StaffContext = Depends(officer_only)) -> Response:
    """Record a review of a recipient's contract, then show the list again."""
    policy = _policy(request, staff)
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            vendor_store.record_review(conn, recipient=recipient, known=list(policy.recipients),
                                       reviewed_on=_day(reviewed_on, "review day", required=True) or staff.now.date(),
                                       next_review_on=_day(next_review_on, "next review day", required=False),
                                       note=note, actor=f"staff:{staff.member.username}", now=staff.now)
    except ReviewProblem as exc:
        typed = {"recipient": recipient, "reviewed_on": reviewed_on, "next_review_on": next_review_on, "note": note}
        return _page(request, staff, problem=str(exc), status=422, form=typed)
    return RedirectResponse(f"/console/vendors#vendor-{recipient}", status_code=303)


def _day(text: str, what: str, *, required: bool) -> date | None:
    if not text.strip():
        if required:
            raise ReviewProblem(f"give the {what} (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReviewProblem(f"give the {what} as YYYY-MM-DD") from None
