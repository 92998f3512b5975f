"""Actions on an open ticket: CPNI verification (the password or the secret question's answer the caller
gives, or a call-back at the number of record), call detail to the address of record, changing the
e-mail of record, the CPNI password or the secret question (each with a notice), recording a choice the
customer states (consent ledger, with a notice), closing."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from custodian.access import cpni, customer_secrets
from custodian.access import service as access
from custodian.access.customer_mail import CustomerNotice
from custodian.access.rules import AccessRules
from custodian.access.service import AccessError, NotFound
from custodian.consent.on_ticket import record_on_ticket
from custodian.db.engine import transaction
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from custodian.web.console import notify
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.console.ticket_pages import own_or_403, ticket_page

router = APIRouter(prefix="/console/tickets", include_in_schema=False)
staff_only = require_staff()


@router.post("/{ticket_id}/cpni")
def cpni_verified(request: Request, ticket_id: int, method: str = Form("password"), given: str = Form(""),
                  unprompted: str = Form(""), staff: StaffContext = Depends(staff_only)) -> Response:
    """Authenticate the caller for call detail: check the password or answer they gave, or record the call-back."""
    if method not in ("password", "secret_question"):
        return _act(request, staff, ticket_id, lambda conn: cpni.record_verification(
            conn, _rules(staff), staff.actor, ticket_id, method=method, now=staff.now))
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:  # a wrong answer is committed: it counts toward the limit
            problem = customer_secrets.check_secret(conn, staff.actor, ticket_id, method=method,  # type: ignore[arg-type]
                                                    given=given, unprompted=unprompted == "yes", now=staff.now)
    except NotFound as exc:
        raise ConsoleForbidden("no such ticket of yours") from exc
    except AccessError as exc:
        return _after(request, staff, ticket_id, problem=str(exc), status=422)
    if problem:
        return _after(request, staff, ticket_id, problem=problem, status=422)
    return RedirectResponse(f"/console/tickets/{ticket_id}", status_code=303)


@router.post("/{ticket_id}/secrets", response_class=HTMLResponse)
def set_secret(request: Request, ticket_id: int, change: str = Form(""), secret: str = Form(""),
               repeat: str = Form(""), question: str = Form(""),
               staff: StaffContext = Depends(staff_only)) -> Response:
    """Set the CPNI password or the secret question the customer dictates; notify the e-mail of record."""
    runtime: Runtime = request.app.state.runtime
    return _mail(request, staff, ticket_id, "account_change", lambda conn: customer_secrets.set_secret(
        conn, runtime.keyring(), _rules(staff), staff.actor, ticket_id, change=change,  # type: ignore[arg-type]
        secret=secret, repeat=repeat, question=question, now=staff.now))


@router.post("/{ticket_id}/close")
def close(request: Request, ticket_id: int, staff: StaffContext = Depends(staff_only)) -> Response:
    """Close the ticket: its access ends."""
    return _act(request, staff, ticket_id, lambda conn: access.close_ticket(conn, staff.actor, ticket_id, staff.now))


@router.post("/{ticket_id}/cpni-mail", response_class=HTMLResponse)
def call_detail_by_mail(request: Request, ticket_id: int, staff: StaffContext = Depends(staff_only)) -> Response:
    """Send the call detail to the e-mail address of record instead of showing it."""
    runtime: Runtime = request.app.state.runtime
    return _mail(request, staff, ticket_id, "call_detail", lambda conn: cpni.call_detail_to_address_of_record(
        conn, runtime.keyring(), _rules(staff), staff.actor, ticket_id, staff.now))


@router.post("/{ticket_id}/address-of-record", response_class=HTMLResponse)
def change_address(request: Request, ticket_id: int, email: str = Form(""),
                   staff: StaffContext = Depends(staff_only)) -> Response:
    """Change the e-mail of record; notify the customer at the old address without the new value."""
    runtime: Runtime = request.app.state.runtime
    return _mail(request, staff, ticket_id, "account_change", lambda conn: access.change_address_of_record(
        conn, runtime.keyring(), _rules(staff), staff.actor, ticket_id, email, staff.now))


@router.post("/{ticket_id}/choice", response_class=HTMLResponse)
def record_choice(request: Request, ticket_id: int, purpose: str = Form(""), medium: str = Form("any"),
                  choice: str = Form(""), how: str = Form("representative"),
                  staff: StaffContext = Depends(staff_only)) -> Response:
    """Record the choice the customer states on this contact (or sent in writing); tell them by e-mail."""
    runtime: Runtime = request.app.state.runtime

    def compose(conn: Connection) -> CustomerNotice:
        version = policy_store.in_force(conn, staff.now)
        if version is None:
            raise AccessError("policy: no policy is in force")
        return record_on_ticket(conn, runtime.keyring(), version.compiled(), staff.actor, ticket_id,
                                purpose=purpose, medium=medium, choice=choice, how=how, now=staff.now)[1]

    return _mail(request, staff, ticket_id, "consent_choice", compose)


def _rules(staff: StaffContext) -> AccessRules:
    if staff.rules is None:
        raise AccessError("policy: no policy is in force")
    return staff.rules


def _act(request: Request, staff: StaffContext, ticket_id: int, change: Callable[[Connection], None]) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            change(conn)
    except NotFound as exc:
        raise ConsoleForbidden("no such ticket of yours") from exc
    except AccessError as exc:
        return _after(request, staff, ticket_id, problem=str(exc), status=422)
    return RedirectResponse(f"/console/tickets/{ticket_id}", status_code=303)


def _mail(request: Request, staff: StaffContext, ticket_id: int, kind: str,
          compose: Callable[[Connection], CustomerNotice | str]) -> Response:
    """Run `compose` in a transaction committed either way (a refusal returned as text is audited), then mail."""
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            notice = compose(conn)
    except NotFound as exc:
        raise ConsoleForbidden("no such ticket of yours") from exc
    except AccessError as exc:
        return _after(request, staff, ticket_id, problem=str(exc), status=422)
    if isinstance(notice, str):
        return _after(request, staff, ticket_id, problem=notice, status=422)
    problem = notify.deliver(runtime, staff.actor, notice, staff.now, kind=kind, ticket_id=ticket_id)
    return _after(request, staff, ticket_id, problem=problem, sent="" if problem else kind)


def _after(request: Request, staff: StaffContext, ticket_id: int, *, problem: str, status: int = 200,
           sent: str = "") -> Response:
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found = own_or_403(conn, staff, ticket_id)
        failures = len(customer_secrets.recent_failures(conn, found.grant.account_id, staff.now))
    return ticket_page(request, staff, found, None, problem=problem, status=status, sent=sent, failures=failures)
