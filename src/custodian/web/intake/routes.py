"""Pages of the requester portal: choose a form, submit with the signed instrument, follow the status."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from custodian.api.errors import ApiError
from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import service
from custodian.legal.service import MAX_INSTRUMENT_BYTES
from custodian.legal.types import LegalRequest
from custodian.policy.vocabulary import CLASS_LABELS
from custodian.runtime import Runtime
from custodian.web.intake.csrf import FIELD, check_token, issue_token, set_token_cookie
from custodian.web.intake.forms import ADDRESS_FIELDS, FIELD_LABELS, REQUESTER_FIELDS, TARGET_ROWS, document_from_form
from custodian.web.rendering import render_page

router = APIRouter(prefix="/legal", include_in_schema=False)
REQUESTER_TITLES = {"law_enforcement": "Law enforcement", "civil": "Civil litigation (counsel of record)",
                    "foreign_government": "Foreign government (MLAT)"}
INSTRUMENTS = ("subpoena", "civil_investigative_demand", "court_order_2703d", "court_order", "search_warrant",
               "emergency_form", "mlat", "none")


def _page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    token = issue_token(request)
    response = render_page(request, name, status, csrf_field=FIELD, csrf_token=token, **context)
    set_token_cookie(response, token)
    return response


@router.get("", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    """Choose the form for your kind of requester, or follow a request already made."""
    return _page(request, "intake/start.html", titles=REQUESTER_TITLES)


@router.get("/requests/new", response_class=HTMLResponse)
def new_request(request: Request, type: str = "law_enforcement") -> HTMLResponse:
    """The request form of one requester type."""
    if type not in REQUESTER_FIELDS:
        raise ApiError(404, "not_found", "there is no form for that requester type")
    return _form(request, type, {}, [])


def _form(request: Request, requester_type: str, values: dict[str, str], errors: list[str],
          status: int = 200) -> HTMLResponse:
    classes = sorted(CLASS_LABELS.items())
    return _page(request, "intake/form.html", status, requester_type=requester_type,
                 title=REQUESTER_TITLES[requester_type], fields=REQUESTER_FIELDS[requester_type],
                 labels=FIELD_LABELS, address_fields=ADDRESS_FIELDS, target_rows=range(TARGET_ROWS),
                 classes=classes, instruments=INSTRUMENTS, values=values, errors=errors)


@router.post("/requests", response_class=HTMLResponse)
async def submit(request: Request) -> HTMLResponse:
    """Take a request with its signed instrument; show the tracking number and secret once."""
    form = await request.form()
    token = form.get(FIELD)
    check_token(request, token if isinstance(token, str) else None)
    requester_type = str(form.get("requester_type", ""))
    if requester_type not in REQUESTER_FIELDS:
        raise ApiError(422, "invalid_request", "requester_type: unknown requester type")
    runtime: Runtime = request.app.state.runtime
    now = utcnow()
    values = {key: str(value) for key, value in form.items() if isinstance(value, str) and key != FIELD}
    try:
        document = LegalRequest.model_validate(document_from_form(form, requester_type, now.date()))
    except ValidationError as exc:
        first = exc.errors()[0]
        message = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        return _form(request, requester_type, values, [message], status=422)
    pdf = await _instrument_bytes(form.get("instrument_pdf"))
    policy = policy_in_force(runtime)
    with transaction(runtime.engine) as conn:
        done = service.submit(conn, runtime.keyring(), policy, document, channel="portal", actor="requester:portal",
                              now=now, blobs=runtime.blobs, instrument_pdf=pdf)
        stored = service.get(conn, runtime.keyring(), done.request_id)
    return _page(request, "intake/receipt.html", 201, done=done, stored=stored)


async def _instrument_bytes(upload: object) -> bytes | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(MAX_INSTRUMENT_BYTES + 1)
    return data or None


@router.get("/status", response_class=HTMLResponse)
def status_form(request: Request) -> HTMLResponse:
    """Ask for the tracking number and secret (never in the address bar)."""
    return _page(request, "intake/status.html", found=None, failed=False)


@router.post("/status", response_class=HTMLResponse)
async def status(request: Request) -> HTMLResponse:
    """The status of a request for the holder of its secret."""
    form = await request.form()
    token = form.get(FIELD)
    check_token(request, token if isinstance(token, str) else None)
    runtime: Runtime = request.app.state.runtime
    try:
        with transaction(runtime.engine) as conn:
            found = service.by_tracking(conn, runtime.keyring(), str(form.get("tracking_number", "")),
                                        str(form.get("secret", "")))
    except service.RequestNotFound:
        return _page(request, "intake/status.html", 404, found=None, failed=True)
    return _page(request, "intake/status.html", found=found, failed=False)
