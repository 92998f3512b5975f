"""The legal desk in the staff console: the queue, a request's file, the invoice, the package download and the
transparency report. Entering a paper request is in legal_entry, the letter and the legal process in
legal_files, actions in legal_actions.

The `legal_desk` role acts; the privacy officer may look at every page but changes nothing and never
downloads a package (she oversees the desk; disclosure decisions stay with the desk)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from custodian.access.types import PRIVACY_OFFICER
from custodian.api.legal import policy_in_force
from custodian.legal import desk_views, invoices, notice_store, notices, production, service
from custodian.legal.desk_key import desk_cipher
from custodian.legal.documents import invoice_pdf
from custodian.legal.fees import dollars
from custodian.legal.intake import plain_reason
from custodian.legal.letters import letter_text
from custodian.legal.store import intake_rejection_days, transparency_facts
from custodian.legal.transparency import build_report
from custodian.policy.compiled import CompiledPolicy
from custodian.runtime import Runtime
from custodian.web.console.guard import ConsoleForbidden, StaffContext, require_staff
from custodian.web.legal_documents import PAYMENT_NOTE, invoice_context, invoice_rows, transparency_context
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/legal", include_in_schema=False)
LEGAL_DESK = "legal_desk"
desk_viewers = require_staff(roles=(LEGAL_DESK, PRIVACY_OFFICER))
desk_only = require_staff(roles=(LEGAL_DESK,))
STATES = ("received", "needs_information", "in_review", "approved", "producing", "awaiting_payment", "delivered",
          "closed", "rejected", "withdrawn")
KINDS = ("data", "emergency", "preservation")
REQUESTER_TYPES = ("law_enforcement", "foreign_government", "civil", "customer")
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


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: int, done: str = "",
                 staff: StaffContext = Depends(desk_viewers)) -> Response:
    """One request's file: document, problems, letter, verification, scoping, review and production."""
    return show_request(request, staff, request_id, done=done[:20])


@router.get("/requests/{request_id}/invoice", response_class=HTMLResponse)
def invoice_html(request: Request, request_id: int, staff: StaffContext = Depends(desk_viewers)) -> Response:
    """The invoice inside the console (print it: the navigation is left out), with its PDF."""
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        found, issued = _invoiced(conn, runtime, request_id)
    return render_page(request, "console/legal/document.html", staff=staff, body="legal/_invoice_body.html",
                       title=f"Invoice {issued.number}", back_href=f"/console/legal/requests/{request_id}",
                       back_text=f"Request {found.tracking_number}",
                       pdf_href=f"/console/legal/requests/{request_id}/invoice.pdf",
                       **invoice_context(issued, policy_in_force(runtime), found.tracking_number))


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
    """The transparency report of a period with its chart, inside the console (printable), or the period form."""
    runtime: Runtime = request.app.state.runtime
    if period.strip():
        try:
            with runtime.engine.connect() as conn:
                facts = transparency_facts(conn, desk_cipher(conn, runtime.keyring()))
                refused = intake_rejection_days(conn)
            document = policy_in_force(runtime).document
            report = build_report(document.provider.name, period, facts, refused,
                                  document.legal.national_security_band)
        except ValueError as exc:
            return render_page(request, "console/legal/transparency.html", 422, staff=staff, period=period,
                               error=str(exc))
        return render_page(request, "console/legal/document.html", staff=staff, body="legal/_transparency_body.html",
                           title=f"Transparency report {report['period']}", back_href="/console/legal/transparency",
                           back_text="Another period", pdf_href="", **transparency_context(report))
    default = f"{staff.now.year}H{1 if staff.now.month <= 6 else 2}"
    return render_page(request, "console/legal/transparency.html", staff=staff, period=default, error="")


def can_act(staff: StaffContext) -> bool:
    """Only the legal desk changes requests; the privacy officer views."""
    return staff.member.role == LEGAL_DESK


def send_notices(runtime: Runtime, staff: StaffContext, request_id: int) -> None:
    """Send the customer notices a committed change queued (outcomes are on the request page and audited)."""
    notices.send_due(runtime.engine, runtime.keyring(), policy_in_force(runtime), runtime.mailer,
                     actor=actor_of(staff), now=staff.now, request_id=request_id)


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
        context = request_file(conn, runtime, policy, found, staff.now.date())
    page = render_page(request, "console/legal/request.html", status, staff=staff, r=found, errors=errors or {},
                       passphrase=passphrase, done=done, can_act=can_act(staff), now=staff.now,
                       payment_methods=PAYMENT_METHODS, work_fields=WORK_FIELDS, **context)
    page.headers.update(NO_STORE)
    return page


def request_file(conn: Connection, runtime: Runtime, policy: CompiledPolicy, found: Any,
                 today: date) -> dict[str, Any]:
    """Everything the request page shows besides the request itself."""
    keyring = runtime.keyring()
    issued = invoices.invoice_of(conn, found.id)
    notes = service.review_notes(found.document, policy)
    return {
        "document": found.document.model_dump_json(by_alias=True, indent=2, exclude_none=True),
        "reasons": [plain_reason(p, found.document) for p in found.problems],
        "letter": letter_text(service.letter_for(found, policy, today)) if found.state == "needs_information" else "",
        "verifications": desk_views.verifications(conn, keyring, found.id),
        "accounts": desk_views.matched_accounts(conn, found.id),
        "approvals": desk_views.approvals(conn, found.id),
        "offers": desk_views.offers(found, policy),
        "notes": notes,
        "warning_reasons": [plain_reason(w, found.document) for w in notes.warnings],
        "notices": desk_views.notices(conn, found.id),
        "preserved": desk_views.preserved(conn, found.id),
        "history": desk_views.history(conn, found),
        "invoice": issued, "outstanding": dollars(issued.outstanding_cents) if issued else "",
        "total": dollars(issued.total_cents) if issued else "",
        "blocker": invoices.delivery_blocker(conn, policy, found.id),
        "production_starts_on": notice_store.production_start(conn, policy, found)
        if found.state in ("in_review", "approved") else None,
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


def parse_instant(text: str, now: datetime) -> datetime:
    """A datetime-local value (taken as UTC) or now when empty; ValueError when unreadable."""
    from datetime import UTC

    if not text.strip():
        return now
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=UTC)
