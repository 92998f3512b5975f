"""The privacy officer's CPNI registers (issue 18 §1): complaints about the release of CPNI (by category, linked to
a ticket, with outcome), actions against data brokers, and whether last year's certificate is generated. Officer
only, checked on every route; forms carry the session's CSRF token; every entry is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from custodian.access.types import PRIVACY_OFFICER
from custodian.compliance import cpni_certification, registers
from custodian.compliance.certificate import filing_due
from custodian.compliance.registers import RegisterError
from custodian.db.engine import transaction
from custodian.runtime import Runtime
from custodian.web.console.guard import StaffContext, require_staff
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/officer", include_in_schema=False)
officer_only = require_staff(roles=(PRIVACY_OFFICER,))
PAGE = "/console/officer/cpni-registers"


@router.get("/cpni-registers", response_class=HTMLResponse)
def registers_page(request: Request, staff: StaffContext = Depends(officer_only)) -> Response:
    """Both registers with their forms, and the certificate's status."""
    return _page(request, staff, problem="", form={})


def _page(request: Request, staff: StaffContext, *, problem: str, form: dict[str, Any], status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    year = staff.now.year - 1
    with runtime.engine.connect() as conn:
        complaints = registers.complaints(conn)
        actions = registers.broker_actions(conn)
        generated = cpni_certification.generated(conn, year)
    return render_page(request, "console/officer/cpni_registers.html", status=status, staff=staff,
                       complaints=complaints, actions=actions, categories=registers.CATEGORIES,
                       broker_actions=registers.BROKER_ACTIONS, year=year, due=filing_due(year), generated=generated,
                       problem=problem, form=form, today=staff.now.date())


@router.post("/cpni-registers/complaints")
def add_complaint(request: Request, received: str = Form(""), category: str = Form(""), ticket: str = Form(""),
                  summary: str = Form(""), staff: StaffContext = Depends(officer_only)) -> Response:
    """Record a complaint about the release of CPNI."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            registers.record_complaint(conn, _who(staff), received_on=_day(received, "received"), category=category,
                                       summary=summary, ticket_id=_ticket(ticket), now=staff.now)
    except RegisterError as exc:
        typed = {"received": received, "category": category, "ticket": ticket, "summary": summary}
        return _page(request, staff, problem=str(exc), form=typed, status=422)
    return RedirectResponse(PAGE, status_code=303)


@router.post("/cpni-registers/complaints/{reference}/outcome")
def resolve(request: Request, reference: str, outcome: str = Form(""),
            staff: StaffContext = Depends(officer_only)) -> Response:
    """Record the outcome of a complaint."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            registers.resolve_complaint(conn, _who(staff), reference, outcome, staff.now)
    except RegisterError as exc:
        return _page(request, staff, problem=str(exc), form={}, status=422)
    return RedirectResponse(PAGE, status_code=303)


@router.post("/cpni-registers/broker-actions")
def add_action(request: Request, detected: str = Form(""), attempt: str = Form(""), action: str = Form(""),
               detail: str = Form(""), staff: StaffContext = Depends(officer_only)) -> Response:
    """Record a pretexting attempt and the action taken against the data broker."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            registers.record_broker_action(conn, _who(staff), detected_on=_day(detected, "detected"), attempt=attempt,
                                           action=action, action_detail=detail, now=staff.now)
    except RegisterError as exc:
        typed = {"detected": detected, "attempt": attempt, "action": action, "detail": detail}
        return _page(request, staff, problem=str(exc), form=typed, status=422)
    return RedirectResponse(PAGE, status_code=303)


def _who(staff: StaffContext) -> str:
    return f"staff:{staff.member.username}"


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RegisterError(f"{field}: a day as YYYY-MM-DD") from None


def _ticket(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise RegisterError("ticket: the ticket's number")
    return int(text.strip())
