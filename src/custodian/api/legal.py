"""Legal request intake over JSON: `POST /api/v1/legal/requests` and the requester's status lookup.

Both are public by design (requesters have no account); the status answer needs the tracking number
AND the secret issued at submission, and tells nothing about the subscriber. The server stamps the day a
request is received: a body carrying `received_on` is refused (422), so no request can be backdated into
an earlier transparency period or past the policy's minimum response time. A body missing a required
field (DRG V) is refused with 422 and one {field, message} per field, and only counted as rejected at intake.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from custodian.api.client import client_address
from custodian.api.errors import ApiError
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import service, submission
from custodian.legal.types import LegalRequest
from custodian.policy import store as policy_store
from custodian.policy.compiled import CompiledPolicy
from custodian.runtime import Runtime
from custodian.staff import throttle

router = APIRouter(prefix="/api/v1/legal", tags=["legal"])


class ProblemOut(BaseModel):
    """One defect of the request (issue #4 problem codes)."""

    code: str
    field: str
    message: str


class SubmittedOut(BaseModel):
    """The receipt: keep the secret, it is shown once and needed for the status page."""

    tracking_number: str
    secret: str = Field(description="shown once; needed with the tracking number to see the status")
    state: str = Field(description="in_review, or needs_information when problems are listed")
    valid: bool
    problems: list[ProblemOut]
    warnings: list[ProblemOut] = Field(default_factory=list, description="points for review; not defects")
    inquire_after: date = Field(description="please allow ten business days before inquiring")


class StatusOut(BaseModel):
    """What a requester may see of their request."""

    tracking_number: str
    state: str
    received_on: date
    due_on: date
    inquire_after: date
    problems: list[ProblemOut]


def admit_intake(request: Request, actor: str) -> None:
    """Rate-limit submissions per client address (429 with Retry-After, audited): a public door that
    validates against the policy and stores a PDF must not be a free amplifier."""
    runtime: Runtime = request.app.state.runtime
    throttle.admit(runtime.engine, runtime.bucket_secret(),
                   [("intake.address", client_address(request), runtime.throttle.intake_per_address)],
                   actor=actor, action="legal.intake_throttled", now=utcnow())


def policy_in_force(runtime: Runtime) -> CompiledPolicy:
    """The active policy (compiled once per version, see `PolicyVersion.compiled`), or a 503 naming the reason."""
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    if version is None:
        raise ApiError(503, "no_policy_in_force", "no privacy policy is in force; the desk cannot take requests")
    return version.compiled()


@router.post("/requests", response_model=SubmittedOut, status_code=201, responses={
    422: {"description": "a required field is missing, `received_on` was sent, or the body is malformed; "
                         "`error.fields` lists each field with a message"}})
def submit_request(body: LegalRequest, request: Request) -> SubmittedOut:
    """Submit a legal request; the server stamps its receipt, validates it against the policy in force and
    queues it (needs_information with the problems listed, when the desk must ask for more). Rate-limited
    per client address: 429 with Retry-After.

    A customer's own request for their records (requester type `customer`) is not a legal request: the answer
    is a 422 with code `customer_requests` telling where it goes (the customer data-request process).
    Instrument types: subpoena, grand_jury_subpoena, administrative_subpoena, civil_investigative_demand,
    court_order_2703d, court_order, search_warrant, national_security_letter, fisa_order, pen_register_order,
    wiretap_order, emergency_form, mlat, none; warrants and court orders give issued_by, issued_on and
    case_number; a foreign government gives instrument.foreign_basis (us_3512 or cloud_act) and country.
    """
    runtime: Runtime = request.app.state.runtime
    admit_intake(request, "requester:api")
    request.app.state.limits.check_targets(len(body.targets))
    policy = policy_in_force(runtime)
    now = utcnow()
    errors = submission.intake_errors(body, policy, now)
    if errors:
        with transaction(runtime.engine) as conn:
            submission.refuse_at_intake(conn, "api", now)
        raise ApiError(422, "required_fields_missing", "the request cannot be received: "
                       + "; ".join(error.message for error in errors),
                       tuple((error.field, error.message) for error in errors))
    with transaction(runtime.engine) as conn:
        done = submission.submit(conn, runtime.keyring(), policy, body, channel="api", actor="requester:api",
                                 now=now)
    return SubmittedOut(tracking_number=done.tracking_number, secret=done.secret, state=done.state,
                        valid=not done.problems, problems=[ProblemOut(**p.__dict__) for p in done.problems],
                        warnings=[ProblemOut(**w.__dict__) for w in done.warnings],
                        inquire_after=done.inquiry_on)


@router.get("/requests/{tracking_number}", response_model=StatusOut)
def request_status(tracking_number: str, request: Request,
                   x_request_secret: str = Header(..., description="the secret issued at submission")) -> StatusOut:
    """The status of a request, for the requester holding its secret."""
    runtime: Runtime = request.app.state.runtime
    with transaction(runtime.engine) as conn:
        found = service.by_tracking(conn, runtime.keyring(), tracking_number, x_request_secret)
    return StatusOut(tracking_number=found.tracking_number, state=found.state, received_on=found.received_on,
                     due_on=found.due_on, inquire_after=found.inquiry_on,
                     problems=[ProblemOut(**p.__dict__) for p in found.problems])
