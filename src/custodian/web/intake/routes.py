"""Pages of the requester portal: choose a form, submit with the signed legal process, follow the status.

The server stamps the day a request is received; the form has no such field and any posted one is ignored
(the JSON API refuses it). A submission missing a required field is re-shown with each error beside its
field and the entered values kept; it is not received, only counted as rejected at intake."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from custodian.api.errors import ApiError
from custodian.api.legal import admit_intake, policy_in_force
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import service, submission
from custodian.legal.intake import FieldError, plain_reason
from custodian.legal.types import LegalRequest
from custodian.runtime import Runtime
from custodian.web.intake.csrf import FIELD, check_token, issue_token, set_token_cookie
from custodian.web.intake.forms import (
    REQUESTER_FIELDS,
    REQUESTER_TITLES,
    document_from_form,
    errors_by_input,
    form_context,
    form_values,
    pydantic_errors,
)
from custodian.web.rendering import render_page

router = APIRouter(prefix="/legal", include_in_schema=False)
NOT_A_PDF = FieldError("instrument_pdf", "Signed legal process: the file is not a PDF")


def _page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    token = issue_token(request)
    response = render_page(request, name, status, csrf_field=FIELD, csrf_token=token, **context)
    set_token_cookie(response, token, secure=secure_cookies(request))
    return response


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure when the public address is https (app.state) or the request came over TLS."""
    return request.url.scheme == "https" or bool(getattr(request.app.state, "secure_cookies", False))


@router.get("", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    """Choose the form for your kind of requester, or follow a request already made."""
    return _page(request, "intake/start.html", titles=REQUESTER_TITLES)


@router.get("/requests/new", response_class=HTMLResponse)
def new_request(request: Request, type: str = "law_enforcement") -> HTMLResponse:
    """The request form of one requester type, with what the policy requires and allows."""
    if type not in REQUESTER_FIELDS:
        raise ApiError(404, "not_found", "there is no form for that requester type")
    return _form(request, type, {}, [])


def _form(request: Request, requester_type: str, values: dict[str, Any], errors: list[FieldError],
          status: int = 200) -> HTMLResponse:
    policy = policy_in_force(request.app.state.runtime)
    return _page(request, "intake/form.html", status, values=values, errors=errors_by_input(errors),
                 **form_context(policy, requester_type))


@router.post("/requests", response_class=HTMLResponse)
async def submit(request: Request) -> HTMLResponse:
    """Take a request with its signed legal process; show the tracking number and secret once."""
    form = await request.form()
    pdf = await instrument_bytes(form)
    return await run_in_threadpool(_submit, request, form, pdf)  # the database work blocks: off the event loop


def _submit(request: Request, form: FormData, pdf: bytes | None) -> HTMLResponse:
    token = form.get(FIELD)
    check_token(request, token if isinstance(token, str) else None)
    admit_intake(request, "requester:portal")
    requester_type = str(form.get("requester_type", ""))
    if requester_type not in REQUESTER_FIELDS:
        raise ApiError(422, "invalid_request", "requester_type: unknown requester type")
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    now = utcnow()
    values = form_values(form, FIELD)
    try:
        document = LegalRequest.model_validate(document_from_form(form, requester_type, "email"))
    except ValidationError as exc:
        return _refused(request, requester_type, values, pydantic_errors(exc.errors()), now)
    limit = request.app.state.limits.max_targets  # CUSTODIAN_MAX_REQUEST_TARGETS, as the API
    if len(document.targets) > limit:
        return _refused(request, requester_type, values,
                        [FieldError("targets", f"targets: at most {limit} in one request")], now)
    errors = submission.intake_errors(document, policy, now)
    if pdf is not None and not submission.is_pdf(pdf):
        errors.append(NOT_A_PDF)
    if errors:
        return _refused(request, requester_type, values, errors, now)
    with transaction(runtime.engine) as conn:
        done = submission.submit(conn, runtime.keyring(), policy, document, channel="portal", actor="requester:portal",
                              now=now, blobs=runtime.blobs, instrument_pdf=pdf)
        stored = service.get(conn, runtime.keyring(), done.request_id)
    reasons = [plain_reason(p, stored.document) for p in done.problems]
    return _page(request, "intake/receipt.html", 201, done=done, stored=stored, reasons=reasons)


def _refused(request: Request, requester_type: str, values: dict[str, Any], errors: list[FieldError],
             now: Any) -> HTMLResponse:
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        submission.refuse_at_intake(conn, "portal", now)
    return _form(request, requester_type, values, errors, status=422)


async def instrument_bytes(form: FormData) -> bytes | None:
    """The uploaded PDF's bytes (the upload limit was applied while it streamed in), or None."""
    upload = form.get("instrument_pdf")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read()
    return data or None


@router.get("/status", response_class=HTMLResponse)
def status_form(request: Request) -> HTMLResponse:
    """Ask for the tracking number and secret (never in the address bar)."""
    return _page(request, "intake/status.html", found=None, failed=False)


@router.post("/status", response_class=HTMLResponse)
async def status(request: Request) -> HTMLResponse:
    """The status of a request for the holder of its secret."""
    return await run_in_threadpool(_status, request, await request.form())


def _status(request: Request, form: FormData) -> HTMLResponse:
    token = form.get(FIELD)
    check_token(request, token if isinstance(token, str) else None)
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            found = service.by_tracking(conn, runtime.keyring(), str(form.get("tracking_number", "")),
                                        str(form.get("secret", "")))
    except service.RequestNotFound:
        return _page(request, "intake/status.html", 404, found=None, failed=True)
    reasons = [plain_reason(p, found.document) for p in found.problems]
    return _page(request, "intake/status.html", found=found, failed=False, reasons=reasons)
