"""Actions of the legal desk on one request. Each POST passes the guard again (legal desk role, CSRF) and
calls one service function, which applies the desk's rules and appends the audit event on the same
connection; a refusal re-renders the request page with the reason next to the form that was sent. Customer
notices the change queued are sent after it has committed (legal/notices.py); without a mail server they are
recorded as failed and the legal-notices job retries them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.legal import desk_views, invoices, preservation, production, service
from custodian.legal.delivery import deliver
from custodian.legal.lifecycle import TransitionNotAllowed
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.console.legal_pages import (
    LEGAL_DESK,
    PAYMENT_METHODS,
    WORK_FIELDS,
    actor_of,
    parse_instant,
    send_notices,
    show_request,
)

router = APIRouter(prefix="/console/legal/requests", include_in_schema=False)
desk_only = require_staff(roles=(LEGAL_DESK,))
MOVES = {"review": "in_review", "reject": "rejected", "withdraw": "withdrawn", "close": "closed"}


@router.post("/{request_id}/callback", response_class=HTMLResponse)
def callback(request: Request, request_id: int, who: str = Form(""), number: str = Form(""),
             called_at: str = Form(""), result: str = Form("passed"),
             staff: StaffContext = Depends(desk_only)) -> Response:
    """Record the emergency call-back to the agency: who answered, when, which published number."""
    runtime: Runtime = request.app.state.runtime
    if not who.strip():
        return show_request(request, staff, request_id, errors={"callback": "who answered: required"}, status=422)
    if not number.strip():
        return show_request(request, staff, request_id, errors={"callback": "number called: required"}, status=422)
    try:
        when = parse_instant(called_at, staff.now)
    except ValueError:
        return show_request(request, staff, request_id, errors={"callback": "when: not a date and time"},
                            status=422)
    return _act(request, staff, request_id, "callback", lambda conn: service.record_callback(
        conn, runtime.keyring(), request_id, who=who.strip(), number=number.strip(), called_at=when,
        passed=result == "passed", actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/scope", response_class=HTMLResponse)
def scope(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """Resolve the targets to accounts and windows from the number history."""
    runtime: Runtime = request.app.state.runtime
    return _act(request, staff, request_id, "scope", lambda conn: service.scope(
        conn, runtime.keyring(), request_id, actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/approve", response_class=HTMLResponse)
async def approve(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """Approve record classes with a rationale; a class the instrument does not reach is refused here too."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    classes = [str(value) for value in form.getlist("record_class")]
    rationale = str(form.get("rationale", ""))
    return await run_in_threadpool(_act, request, staff, request_id, "approve", lambda conn: service.approve(
        conn, runtime.keyring(), policy_in_force(runtime), request_id, classes, rationale=rationale,
        actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/move/{move}", response_class=HTMLResponse)
def move(request: Request, request_id: int, move: str, reason: str = Form(""),
         staff: StaffContext = Depends(desk_only)) -> Response:
    """Take into review anyway, reject, withdraw (with the reason recorded) or close."""
    runtime: Runtime = request.app.state.runtime
    if move not in MOVES:
        raise ConsoleForbidden("no such action")
    if move != "close" and not reason.strip():
        return show_request(request, staff, request_id, errors={move: "reason: say why"}, status=422)
    return _act(request, staff, request_id, move, lambda conn: service.transition(
        conn, request_id, runtime.keyring(), MOVES[move], actor=actor_of(staff), reason=reason.strip(),
        now=staff.now))


@router.post("/{request_id}/produce", response_class=HTMLResponse)
def produce(request: Request, request_id: int, custodian_name: str = Form(""),
            staff: StaffContext = Depends(desk_only)) -> Response:
    """Seal the production; the passphrase is shown in this one answer and stored nowhere."""
    runtime: Runtime = request.app.state.runtime
    name = custodian_name.strip() or staff.member.display_name
    made: list[production.Production] = []
    refused = _run(runtime, staff, request_id, lambda conn: made.append(production.produce(
        conn, runtime.keyring(), runtime.blobs, policy_in_force(runtime), request_id, custodian_name=name,
        actor=actor_of(staff), now=staff.now)))
    if refused:
        return show_request(request, staff, request_id, errors={"produce": refused}, status=422)
    return show_request(request, staff, request_id, passphrase=made[0].package.passphrase, done="produced")


@router.post("/{request_id}/invoice", response_class=HTMLResponse)
async def invoice(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """Issue the invoice from the policy's fee schedule and the work recorded."""
    form = await request.form()
    return await run_in_threadpool(_invoice, request, staff, request_id, form)  # the database work blocks


def _invoice(request: Request, staff: StaffContext, request_id: int, form: FormData) -> Response:
    runtime: Runtime = request.app.state.runtime
    work: dict[str, float] = {}
    for name in WORK_FIELDS:
        text = str(form.get(name, "") or "0").strip()
        try:
            work[name] = float(text)
        except ValueError:
            return show_request(request, staff, request_id, errors={"invoice": f"{name}: not a number"}, status=422)
        if work[name] < 0:
            return show_request(request, staff, request_id, errors={"invoice": f"{name}: negative"}, status=422)
    return _act(request, staff, request_id, "invoice", lambda conn: invoices.issue(
        conn, runtime.keyring(), policy_in_force(runtime), request_id, work, actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/payment", response_class=HTMLResponse)
def payment(request: Request, request_id: int, amount: str = Form(""), method: str = Form(""),
            reference: str = Form(""), staff: StaffContext = Depends(desk_only)) -> Response:
    """Record a payment (dollars and cents) against the invoice."""
    runtime: Runtime = request.app.state.runtime
    try:
        cents = int((Decimal(amount.strip().lstrip("$").replace(",", "")) * 100).to_integral_exact())
    except (InvalidOperation, ValueError):
        return show_request(request, staff, request_id, errors={"payment": "amount: dollars, e.g. 190.00"},
                            status=422)
    if method not in PAYMENT_METHODS or not reference.strip():
        return show_request(request, staff, request_id,
                            errors={"payment": "method and reference (check number, transfer id) are required"},
                            status=422)
    _get_or_403(runtime, request_id)
    return _act(request, staff, request_id, "payment", lambda conn: invoices.record_payment(
        conn, request_id, cents, method=method, reference=reference.strip(), actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/deliver", response_class=HTMLResponse)
def deliver_package(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """Release the production (a civil one withheld while payment the policy requires is outstanding)."""
    runtime: Runtime = request.app.state.runtime
    return _act(request, staff, request_id, "deliver", lambda conn: deliver(
        conn, runtime.keyring(), policy_in_force(runtime), request_id, actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/order-lifted", response_class=HTMLResponse)
def order_lifted(request: Request, request_id: int, lifted_on: str = Form(""),
                 staff: StaffContext = Depends(desk_only)) -> Response:
    """Record the day the nondisclosure order was lifted or overturned; the withheld notices are then sent."""
    runtime: Runtime = request.app.state.runtime
    try:
        day = date.fromisoformat(lifted_on.strip())
    except ValueError:
        return show_request(request, staff, request_id, errors={"order-lifted": "lifted on: a date, e.g. 2026-05-04"},
                            status=422)
    return _act(request, staff, request_id, "order-lifted", lambda conn: service.record_order_lifted(
        conn, runtime.keyring(), request_id, day, actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/preserve", response_class=HTMLResponse)
def preserve(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """Hold and snapshot every matched account of a preservation request."""
    runtime: Runtime = request.app.state.runtime
    return _act(request, staff, request_id, "preserve", lambda conn: preservation.preserve(
        conn, runtime.keyring(), runtime.blobs, policy_in_force(runtime), request_id, actor=actor_of(staff),
        now=staff.now))


@router.post("/{request_id}/extend", response_class=HTMLResponse)
def extend(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """Renew the preservation once, as the policy allows."""
    runtime: Runtime = request.app.state.runtime
    _get_or_403(runtime, request_id)
    return _act(request, staff, request_id, "extend", lambda conn: preservation.extend(
        conn, runtime.keyring(), policy_in_force(runtime), request_id, actor=actor_of(staff), now=staff.now))


@router.post("/{request_id}/link", response_class=HTMLResponse)
def link(request: Request, request_id: int, data_request: str = Form(""),
         staff: StaffContext = Depends(desk_only)) -> Response:
    """Link the later formal data request (tracking number or id) to this preservation."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        target = desk_views.request_id_for(conn, data_request) if data_request.strip() else None
    if target is None:
        return show_request(request, staff, request_id, errors={"link": "data request: no request has this "
                                                                        "tracking number"}, status=422)
    return _act(request, staff, request_id, "link", lambda conn: preservation.link(
        conn, runtime.keyring(), request_id, target, actor=actor_of(staff), now=staff.now))


def _get_or_403(runtime: Runtime, request_id: int) -> None:
    with runtime.engine.connect() as conn:
        if desk_views.request_id_for(conn, str(request_id)) is None:
            raise ConsoleForbidden("no such legal request")


def _run(runtime: Runtime, staff: StaffContext, request_id: int, change: Callable[[Connection], object]) -> str:
    """Run one service call in its own transaction; the refusal's reason, or '' when done."""
    try:
        with transaction(runtime.engine) as conn:
            change(conn)
    except service.RequestNotFound as exc:
        raise ConsoleForbidden("no such legal request") from exc
    except (service.DeskRuleBroken, TransitionNotAllowed) as exc:
        return str(exc)
    return ""


def _act(request: Request, staff: StaffContext, request_id: int, form: str,
         change: Callable[[Connection], object]) -> Response:
    runtime: Runtime = request.app.state.runtime
    refused = _run(runtime, staff, request_id, change)
    if refused:
        return show_request(request, staff, request_id, errors={form: refused}, status=422)
    send_notices(runtime, staff, request_id)
    return RedirectResponse(f"/console/legal/requests/{request_id}?done={form}", status_code=303)

