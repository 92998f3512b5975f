"""The public privacy-request pages: the form, its receipt, and the page the e-mailed link opens.

The verification link opens a page with a button rather than verifying on GET, so a mail scanner that
follows links cannot confirm a request. No page says whether the person is a customer."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from custodian.api.legal import policy_in_force
from custodian.api.privacy_requests import admit, next_step
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.export_links import open_download
from custodian.dsr.types import TYPE_LABELS, PrivacyRequestIn
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.policy.document_requests import EU_AND_UK, US_STATES_45_DAYS
from custodian.runtime import Runtime
from custodian.web.intake.routes import secure_cookies
from custodian.web.privacy_requests.csrf import FIELD, check_token, issue_token, set_token_cookie
from custodian.web.rendering import render_page

router = APIRouter(prefix="/privacy/requests", include_in_schema=False)
TEXT_FIELDS = ("request_type", "scope", "jurisdiction", "name", "email", "phone", "account_ref", "postal_code",
               "details", "agent_name")
STATE_NAMES = {"US-CA": "California", "US-VA": "Virginia", "US-CO": "Colorado", "US-CT": "Connecticut",
               "US-TX": "Texas"}
COUNTRY_NAMES = {"AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
                 "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France", "DE": "Germany",
                 "GR": "Greece", "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LV": "Latvia", "LT": "Lithuania",
                 "LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal",
                 "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia", "ES": "Spain", "SE": "Sweden",
                 "GB": "United Kingdom"}


def jurisdictions() -> list[tuple[str, str]]:
    """(code, label) of the places the form offers; "ZZ" is anywhere else."""
    states = [(code, STATE_NAMES[code]) for code in US_STATES_45_DAYS]
    countries = sorted(((code, COUNTRY_NAMES[code]) for code in EU_AND_UK), key=lambda pair: pair[1])
    return [*states, ("US", "Another U.S. state"), *countries, ("ZZ", "Somewhere else")]


def _page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    token = issue_token(request)
    response = render_page(request, name, status, csrf_field=FIELD, csrf_token=token, **context)
    set_token_cookie(response, token, secure=secure_cookies(request))
    return response


def _form(request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> HTMLResponse:
    runtime: Runtime = request.app.state.runtime
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    portal_first = version is not None and version.compiled().document.privacy_requests.portal_first
    return _page(request, "privacy_requests/form.html", status, values=values, errors=errors, types=TYPE_LABELS,
                 places=jurisdictions(), portal_first=portal_first)


@router.get("", response_class=HTMLResponse)
def new_request(request: Request) -> HTMLResponse:
    """The request form."""
    return _form(request, {"jurisdiction": "US-CA", "request_type": "access", "scope": "categories"}, {})


@router.post("", response_class=HTMLResponse)
async def submit(request: Request) -> HTMLResponse:
    """Take a request; the receipt page tells the person to open the e-mailed link."""
    form = await request.form()
    upload = await _upload(form)
    return await run_in_threadpool(_submit, request, form, upload)  # the database work blocks: off the loop


def _submit(request: Request, form: FormData, upload: bytes | None) -> HTMLResponse:
    token = form.get(FIELD)
    check_token(request, token if isinstance(token, str) else None)
    admit(request, "requester:privacy-form")
    values = {name: _text(form, name) for name in TEXT_FIELDS}
    values["portal_unavailable"] = "on" if form.get("portal_unavailable") == "on" else ""
    data = {**values, "confirm_truthful": form.get("confirm_truthful") == "on",
            "portal_unavailable": form.get("portal_unavailable") == "on",
            "authorization_pdf_base64": base64.b64encode(upload).decode() if upload else ""}
    try:
        model = PrivacyRequestIn.model_validate(data)
    except ValidationError as exc:
        errors = {str(e["loc"][0]): f"{e['loc'][0]}: {e['msg']}".replace("_", " ").capitalize()
                  for e in exc.errors() if e.get("loc")}
        return _form(request, values, errors, 422)
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            receipt = service.submit(conn, runtime.keyring(), runtime.blobs, policy_in_force(runtime), model,
                                     link_base=str(request.base_url), actor="requester:privacy-form", now=utcnow())
    except service.RequestRefused as exc:
        return _form(request, values, {exc.field: str(exc)}, 422)
    service.send_all(runtime.mailer, receipt.mail)
    return _page(request, "privacy_requests/receipt.html", 201, receipt=receipt, next_step=next_step(receipt),
                 type_label=TYPE_LABELS[model.request_type])


@router.get("/verify", response_class=HTMLResponse)
def confirm_page(request: Request, token: str = "") -> HTMLResponse:
    """The page the e-mailed link opens: one button confirms the request."""
    return _page(request, "privacy_requests/verify.html", token=token, reference=None, invalid=False)


@router.post("/verify", response_class=HTMLResponse)
async def confirm(request: Request) -> HTMLResponse:
    """Confirm the request; the answer is the same whether or not the person is a customer."""
    return await run_in_threadpool(_confirm, request, await request.form())


def _confirm(request: Request, form: FormData) -> HTMLResponse:
    csrf = form.get(FIELD)
    check_token(request, csrf if isinstance(csrf, str) else None)
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            reference = service.verify(conn, runtime.keyring(), policy_in_force(runtime), _text(form, "token"),
                                       now=utcnow())
    except service.LinkNotValid:
        return _page(request, "privacy_requests/verify.html", 404, token="", reference=None, invalid=True)
    return _page(request, "privacy_requests/verify.html", token="", reference=reference, invalid=False)


@router.get("/download/{token}", response_model=None)
def download(request: Request, token: str) -> FileResponse:
    """The export ZIP the e-mailed link names (the token is the credential); an unknown and an expired link get
    the same 404. Each download is audited."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        path = open_download(conn, runtime.blobs, token[:200], now=utcnow())
    if path is None:
        raise HTTPException(404, "This download link is not valid or has expired.")
    return FileResponse(path, media_type="application/zip", filename="my-information.zip",
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _upload(form: FormData) -> bytes | None:
    """The uploaded authorization's bytes (the upload limit was applied while it streamed in), or None."""
    upload = form.get("authorization_pdf")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return (await upload.read()) or None
