"""The legal desk in the staff console: the queue, a request's file, entering a request received by mail or
e-mail, the invoice, the package download and the transparency report. Actions are in legal_actions.

The `legal_desk` role acts; the privacy officer may look at every page but changes nothing and never
downloads a package (she oversees the desk; disclosure decisions stay with the desk)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import Connection
from starlette.datastructures import UploadFile

from custodian.access.types import PRIVACY_OFFICER
from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.legal import desk_views, invoices, production, service
from custodian.legal.desk_key import desk_cipher
from custodian.legal.documents import invoice_pdf
from custodian.legal.fees import dollars
from custodian.legal.service import MAX_INSTRUMENT_BYTES
from custodian.legal.store import transparency_facts
from custodian.legal.transparency import build_report
from custodian.legal.types import LegalRequest
from custodian.policy.compiled import CompiledPolicy
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.legal_documents import PAYMENT_NOTE, invoice_rows, render_invoice_html, render_transparency_html
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/legal", include_in_schema=False)
LEGAL_DESK = "legal_desk"
desk_viewers = require_staff(roles=(LEGAL_DESK, PRIVACY_OFFICER))
desk_only = require_staff(roles=(LEGAL_DESK,))
STATES = ("received", "needs_information", "in_review", "approved", "producing", "awaiting_payment", "delivered",
          "closed", "rejected", "withdrawn")
KINDS = ("data", "emergency", "preservation")
REQUESTER_TYPES = ("law_enforcement", "foreign_government", "civil", "customer")
RECEIVED_BY = ("mail", "email")
PAYMENT_METHODS = ("check", "ach", "wire")
WORK_FIELDS = ("paralegal_hours", "engineer_hours", "attorney_hours", "chat_engineer_hours", "pages",
               "notarized_documents", "signatures")
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/", response_class=HTMLResponse)
def queue(request: Request, state: str = "", requester_type: str = "", kind: str = "", expedite: str = "",
          finished: str = "", staff: StaffContext = Depends(desk_viewers)) -> Response:
    """Open requests in working order, with filters."""
    runtime: Runtime = request.app.state.runtime
    wanted = desk_views.QueueFilter(state if state in STATES else "",
                                    requester_type if requester_type in REQUESTER_TYPES else "",
                                    kind if kind in KINDS else "", expedite == "yes", finished == "yes")
    with runtime.engine.connect() as conn:
        rows = desk_views.queue(conn, wanted)
    return render_page(request, "console/legal/queue.html", staff=staff, rows=rows, wanted=wanted, states=STATES,
                       kinds=KINDS, requester_types=REQUESTER_TYPES, today=staff.now.date(), can_act=can_act(staff))


@router.get("/new", response_class=HTMLResponse)
def enter_form(request: Request, staff: StaffContext = Depends(desk_only)) -> Response:
    """Enter a request received by mail or e-mail: the request document (JSON, as the API takes it)."""
    return _enter_page(request, staff, {}, {})


@router.post("/new", response_class=HTMLResponse)
async def enter(request: Request, staff: StaffContext = Depends(desk_only)) -> Response:
    """Validate and store an entered request exactly as the API does; show its tracking number and secret once."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in ("received_by", "document")}
    if values["received_by"] not in RECEIVED_BY:
        return _enter_page(request, staff, values, {"received_by": "received by: choose mail or e-mail"}, 422)
    try:
        document = LegalRequest.model_validate_json(values["document"] or "{}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        return _enter_page(request, staff, values, {"document": f"{where}: {first['msg']}"}, 422)
    upload = form.get("instrument_pdf")
    pdf = await upload.read(MAX_INSTRUMENT_BYTES + 1) if isinstance(upload, UploadFile) and upload.filename else None
    try:
        with transaction(runtime.engine) as conn:
            done = service.submit(conn, runtime.keyring(), policy_in_force(runtime), document,
                                  channel=values["received_by"], actor=actor_of(staff), now=staff.now,
                                  blobs=runtime.blobs, instrument_pdf=pdf or None)
    except service.DeskRuleBroken as exc:
        return _enter_page(request, staff, values, {"instrument_pdf": str(exc)}, 422)
    page = render_page(request, "console/legal/entered.html", 201, staff=staff, done=done)
    page.headers.update(NO_STORE)
    return page


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: int, done: str = "",
                 staff: StaffContext = Depends(desk_viewers)) -> Response:
    """One request's file: document, problems, letter, verification, scoping, review and production."""
    return show_request(request, staff, request_id, done=done[:20])


@router.get("/requests/{request_id}/invoice", response_class=HTMLResponse)
def invoice_html(request: Request, request_id: int, staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The invoice as HTML (print it, or send it with the package)."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found, issued = _invoiced(conn, runtime, request_id)
    return HTMLResponse(render_invoice_html(issued, policy_in_force(runtime), found.tracking_number))


@router.get("/requests/{request_id}/invoice.pdf")
def invoice_download(request: Request, request_id: int, staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The invoice as PDF."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    with runtime.engine.connect() as conn:
        found, issued = _invoiced(conn, runtime, request_id)
    data = invoice_pdf(policy.document.provider.name, issued.number, found.tracking_number, issued.issued_at,
                       invoice_rows(issued, policy), dollars(issued.total_cents), PAYMENT_NOTE)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{issued.number}.pdf"'})


@router.get("/requests/{request_id}/package")
def package_download(request: Request, request_id: int, staff: StaffContext = Depends(desk_only)) -> Response:
    """The production zip (AES-256; opened only with the passphrase shown once). Legal desk only."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found = _get(conn, runtime, request_id)
        try:
            data = production.package_bytes(conn, runtime.keyring(), runtime.blobs, request_id)
        except service.DeskRuleBroken as exc:
            raise ConsoleForbidden(str(exc)) from exc
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{found.tracking_number}.zip"', **NO_STORE})


@router.get("/transparency", response_class=HTMLResponse)
def transparency(request: Request, period: str = "", staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The transparency report of a period (the standalone HTML with its chart), or the period form."""
    runtime: Runtime = request.app.state.runtime
    if period.strip():
        try:
            with runtime.engine.connect() as conn:
                facts = transparency_facts(conn, desk_cipher(conn, runtime.keyring()))
            report = build_report(policy_in_force(runtime).document.provider.name, period, facts)
        except ValueError as exc:
            return render_page(request, "console/legal/transparency.html", 422, staff=staff, period=period,
                               error=str(exc))
        return HTMLResponse(render_transparency_html(report))
    default = f"{staff.now.year}H{1 if staff.now.month <= 6 else 2}"
    return render_page(request, "console/legal/transparency.html", staff=staff, period=default, error="")


def can_act(staff: StaffContext) -> bool:
    """Only the legal desk changes requests; the privacy officer views."""
    return staff.member.role == LEGAL_DESK


def actor_of(staff: StaffContext) -> str:
    """The audit actor of a staff member."""
    return f"staff:{staff.member.username}"


def show_request(request: Request, staff: StaffContext, request_id: int, *, errors: dict[str, str] | None = None,
                 status: int = 200, passphrase: str = "", done: str = "") -> Response:
    """Render a request's file, with the errors of a refused action next to its form."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    with runtime.engine.connect() as conn:
        found = _get(conn, runtime, request_id)
        context = request_file(conn, runtime, policy, found)
    page = render_page(request, "console/legal/request.html", status, staff=staff, r=found, errors=errors or {},
                       passphrase=passphrase, done=done, can_act=can_act(staff), now=staff.now,
                       payment_methods=PAYMENT_METHODS, work_fields=WORK_FIELDS, **context)
    page.headers.update(NO_STORE)
    return page


def request_file(conn: Connection, runtime: Runtime, policy: CompiledPolicy, found: Any) -> dict[str, Any]:
    """Everything the request page shows besides the request itself."""
    keyring = runtime.keyring()
    issued = invoices.invoice_of(conn, found.id)
    return {
        "document": found.document.model_dump_json(by_alias=True, indent=2, exclude_none=True),
        "letter": service.letter_for(found, policy) if found.state == "needs_information" else "",
        "verifications": desk_views.verifications(conn, keyring, found.id),
        "accounts": desk_views.matched_accounts(conn, found.id),
        "approvals": desk_views.approvals(conn, found.id),
        "offers": desk_views.offers(found, policy),
        "notices": desk_views.notices(conn, found.id),
        "preserved": desk_views.preserved(conn, found.id),
        "history": desk_views.history(conn, found),
        "invoice": issued, "outstanding": dollars(issued.outstanding_cents) if issued else "",
        "total": dollars(issued.total_cents) if issued else "",
        "blocker": invoices.delivery_blocker(conn, policy, found.id),
        "has_package": bool(found.state in ("producing", "awaiting_payment", "delivered", "closed")
                            and found.kind != "preservation"),
    }


def _get(conn: Connection, runtime: Runtime, request_id: int) -> Any:
    try:
        return service.get(conn, runtime.keyring(), request_id)
    except service.RequestNotFound as exc:
        raise ConsoleForbidden("no such legal request") from exc


def _invoiced(conn: Connection, runtime: Runtime, request_id: int) -> tuple[Any, invoices.Invoice]:
    found = _get(conn, runtime, request_id)
    issued = invoices.invoice_of(conn, request_id)
    if issued is None:
        raise ConsoleForbidden("no invoice has been issued for this request")
    return found, issued


def _enter_page(request: Request, staff: StaffContext, values: dict[str, str], errors: dict[str, str],
                status: int = 200) -> Response:
    return render_page(request, "console/legal/enter.html", status, staff=staff, values=values, errors=errors,
                       received_by=RECEIVED_BY)


def parse_instant(text: str, now: datetime) -> datetime:
    """A datetime-local value (taken as UTC) or now when empty; ValueError when unreadable."""
    from datetime import UTC

    if not text.strip():
        return now
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=UTC)
