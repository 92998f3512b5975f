"""Legal request intake over JSON: `POST /api/v1/legal/requests` and the requester's status lookup.

Both are public by design (requesters have no account); the status answer needs the tracking number
AND the secret issued at submission, and tells nothing about the subscriber.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel, Field

from custodian.api.errors import ApiError
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import service
from custodian.legal.types import LegalRequest
from custodian.policy import store as policy_store
from custodian.policy.compiled import CompiledPolicy
from custodian.runtime import Runtime

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
    inquire_after: date = Field(description="please allow ten business days before inquiring")


class StatusOut(BaseModel):
    """What a requester may see of their request."""

    tracking_number: str
    state: str
    received_on: date
    due_on: date
    inquire_after: date
    problems: list[ProblemOut]


def policy_in_force(runtime: Runtime) -> CompiledPolicy:
    """The active policy, or a 503 naming the reason."""
    with runtime.engine.connect() as conn:
        version = policy_store.in_force(conn, utcnow())
    if version is None:
        raise ApiError(503, "no_policy_in_force", "no privacy policy is in force; the desk cannot take requests")
    return version.compiled()


@router.post("/requests", response_model=SubmittedOut, status_code=201)
def submit_request(body: LegalRequest, request: Request) -> SubmittedOut:
    """Submit a legal request; it is validated against the policy in force and queued."""
    runtime: Runtime = request.app.state.runtime
    policy = policy_in_force(runtime)
    with transaction(runtime.engine) as conn:
        done = service.submit(conn, runtime.keyring(), policy, body, channel="api", actor="requester:api",
                              now=utcnow())
        stored = service.get(conn, runtime.keyring(), done.request_id)
    return SubmittedOut(tracking_number=done.tracking_number, secret=done.secret, state=done.state,
                        valid=not done.problems, problems=[ProblemOut(**p.__dict__) for p in done.problems],
                        inquire_after=stored.inquiry_on)


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
