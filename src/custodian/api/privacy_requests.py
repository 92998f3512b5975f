"""Data-subject requests over JSON: `POST /api/v1/privacy-requests`.

Public by design (the person has no account, or cannot sign in). The answer is the same whether or not the
person is a customer: a reference, the day it was received and its due day; nothing happens until the person
opens the link e-mailed to the address given. Rate-limited per client address like the legal intake.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from custodian.api.client import client_address
from custodian.api.errors import ApiError
from custodian.api.legal import policy_in_force
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.types import PrivacyRequestIn
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import throttle

router = APIRouter(prefix="/api/v1/privacy-requests", tags=["privacy requests"])


class ReceivedOut(BaseModel):
    """The receipt. It never says whether the person is a customer."""

    reference: str
    received_on: date
    due_on: date | None = Field(description="the day the answer is due; null when no law sets a deadline")
    next_step: str


def admit(request: Request, actor: str) -> None:
    """Rate-limit submissions per client address, in a bucket of their own (429 with Retry-After, audited)."""
    runtime: Runtime = request.app.state.runtime
    throttle.admit(runtime.engine, runtime.bucket_secret(),
                   [("privacy_requests.address", client_address(request), runtime.throttle.intake_per_address)],
                   actor=actor, action="dsr.intake_throttled", now=utcnow())


def receive(request: Request, form: PrivacyRequestIn, actor: str) -> service.Receipt:
    """Take a request, commit it, then e-mail the verification link; 422 naming the field at fault."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    try:
        with transaction(runtime.engine) as conn:
            receipt = service.submit(conn, runtime.keyring(), runtime.blobs, policy, form,
                                     link_base=str(request.base_url), actor=actor, now=utcnow())
    except service.RequestRefused as exc:
        raise ApiError(422, "invalid_request", str(exc), ((exc.field, str(exc)),)) from None
    service.send_all(runtime.mailer, receipt.mail)
    return receipt


def next_step(receipt: service.Receipt) -> str:
    """What the person does now, in words."""
    return (f"Open the link we e-mailed to the address you gave within {receipt.link_valid_days} days "
            "to confirm the request.")


@router.post("", response_model=ReceivedOut, status_code=202, responses={
    422: {"description": "a field is missing or not valid; `error.fields` names it"},
    429: {"description": "too many requests from this address; see Retry-After"}})
def submit_privacy_request(body: PrivacyRequestIn, request: Request) -> ReceivedOut:
    """Ask for access to, deletion or correction of your personal information, opt out of its sale or sharing,
    limit the use of sensitive information, ask who received it for direct marketing (Shine the Light), ask for
    a copy of your CPNI, ask to remove content you posted as a minor, or report a child's information.
    An authorized agent gives `agent_name` and the person's signed authorization as a base64 PDF.
    Types: access (scope categories or specific_pieces), deletion, correction, opt_out, limit_sensitive,
    shine_the_light, cpni_copy, minor_content_removal, child_data_report."""
    admit(request, "requester:api")
    receipt = receive(request, body, "requester:api")
    return ReceivedOut(reference=receipt.reference, received_on=receipt.received_on, due_on=receipt.due_on,
                       next_step=next_step(receipt))
