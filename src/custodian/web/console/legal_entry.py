"""The desk enters a request received by mail, fax or e-mail through the same form as the requester portal
(web/intake/forms.py, one definition), validated by the same rules. Unlike the portal, a request lacking
fields is still entered (it arrived; the desk answers it with a deficiency letter), and the desk may record
the earlier day the paper arrived, with the reason, which the service audits. Legal desk only."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.legal import submission
from custodian.legal.intake import FieldError, plain_reason
from custodian.legal.types import LegalRequest
from custodian.runtime import Runtime
from custodian.web.console.guard import CSRF_FIELD, StaffContext, require_staff
from custodian.web.console.legal_pages import LEGAL_DESK, NO_STORE, actor_of, send_notices
from custodian.web.intake.forms import (
    REQUESTER_FIELDS,
    REQUESTER_TITLES,
    document_from_form,
    errors_by_input,
    form_context,
    form_values,
    pydantic_errors,
)
from custodian.web.intake.routes import NOT_A_PDF, instrument_bytes
from custodian.web.rendering import render_page

router = APIRouter(prefix="/console/legal", include_in_schema=False)
desk_only = require_staff(roles=(LEGAL_DESK,))
RECEIVED_BY = {"mail": "Mail", "fax": "Fax", "email": "E-mail"}


@router.get("/new", response_class=HTMLResponse)
def enter_form(request: Request, type: str = "law_enforcement", staff: StaffContext = Depends(desk_only)) -> Response:
    """The request form of one requester type, for a request received on paper or by e-mail."""
    requester_type = type if type in REQUESTER_FIELDS else "law_enforcement"
    return _enter_page(request, staff, requester_type, {}, [])


@router.post("/new", response_class=HTMLResponse)
async def enter(request: Request, staff: StaffContext = Depends(desk_only)) -> Response:
    """Validate and store an entered request as the portal does; show its tracking number and secret once."""
    form = await request.form()
    pdf = await instrument_bytes(form)
    return await run_in_threadpool(_enter, request, staff, form, pdf)  # the database work blocks: off the loop


def _enter(request: Request, staff: StaffContext, form: FormData, pdf: bytes | None) -> Response:
    runtime: Runtime = request.app.state.runtime
    requester_type = str(form.get("requester_type", ""))
    requester_type = requester_type if requester_type in REQUESTER_FIELDS else "law_enforcement"
    values = form_values(form, CSRF_FIELD)
    document, errors = _document(form, requester_type)
    paper, paper_errors = _paper(form, staff.now.date())
    errors += paper_errors + ([NOT_A_PDF] if pdf is not None and not submission.is_pdf(pdf) else [])
    if document is None or errors:
        return _enter_page(request, staff, requester_type, values, errors, 422)
    try:
        with transaction(runtime.engine) as conn:
            done = submission.submit(conn, runtime.keyring(), policy_in_force(runtime), document,
                                  channel=values["received_by"], actor=actor_of(staff), now=staff.now,
                                  blobs=runtime.blobs, instrument_pdf=pdf, paper=paper)
    except submission.CustomerRequestRouted as exc:  # 47 U.S.C. 222(c)(2): not the desk's to answer
        return _enter_page(request, staff, requester_type, values, [FieldError("requester.type", str(exc))], 422)
    send_notices(runtime, staff, done.request_id)  # after the commit: "sent" only once the server accepted it
    reasons = [plain_reason(p, document) for p in done.problems]
    page = render_page(request, "console/legal/entered.html", 201, staff=staff, done=done, reasons=reasons)
    page.headers.update(NO_STORE)
    return page


def _document(form: FormData, requester_type: str) -> tuple[LegalRequest | None, list[FieldError]]:
    channel = str(form.get("received_by", ""))
    if channel not in RECEIVED_BY:
        return None, [FieldError("service.channel", "Received by: choose mail, fax or e-mail")]
    try:
        return LegalRequest.model_validate(document_from_form(form, requester_type, channel)), []
    except ValidationError as exc:
        return None, pydantic_errors(exc.errors())


def _paper(form: FormData, today: date) -> tuple[submission.PaperReceipt | None, list[FieldError]]:
    """The earlier day the request arrived, with the reason (both, or neither)."""
    text, reason = str(form.get("paper_received_on", "")).strip(), str(form.get("paper_reason", "")).strip()
    if not text:
        return None, []
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, [FieldError("received_on", "Date received: not a date")]
    if day > today:
        return None, [FieldError("received_on", "Date received: cannot be after today")]
    if not reason:
        return None, [FieldError("paper_reason", "Why this date: say why (for example, the postmark or the "
                                                 "day the mail was opened)")]
    return submission.PaperReceipt(day, reason), []


def _enter_page(request: Request, staff: StaffContext, requester_type: str, values: dict[str, Any],
                errors: list[FieldError], status: int = 200) -> Response:
    policy = policy_in_force(request.app.state.runtime)
    return render_page(request, "console/legal/enter.html", status, staff=staff, values=values,
                       errors=errors_by_input(errors), received_by=RECEIVED_BY, today=staff.now.date(),
                       titles=REQUESTER_TITLES, **form_context(policy, requester_type))
