"""What a data-subject request is: the submitted form (a pydantic model, also the API's body), the states
it passes through, the labels people read, and the fixed list of reasons a request may be denied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from custodian.policy.document_requests import RequestType

TYPE_LABELS: dict[str, str] = {
    "access": "See the personal information you hold about me",
    "deletion": "Delete my personal information",
    "correction": "Correct my personal information",
    "opt_out": "Do not sell or share my personal information",
    "limit_sensitive": "Limit the use of my sensitive personal information",
    "shine_the_light": "Who received my information for their direct marketing (Shine the Light)",
    "cpni_copy": "A copy of my customer proprietary network information (CPNI)",
    "minor_content_removal": "Remove content I posted when I was under 18",
    "child_data_report": "I am a parent: report information collected about my child",
}
STATE_LABELS: dict[str, str] = {
    "awaiting_verification": "Waiting for the requester to confirm the e-mail",
    "expired": "Expired: the e-mail was never confirmed",
    "in_progress": "Verified: to be answered",
    "unverified": "E-mail confirmed, identity not verified",
    "denied": "Denied",
    "fulfilled": "Answered",
}
OPEN_STATES = ("awaiting_verification", "in_progress", "unverified")
# The reasons a request may be denied. The legal obligation reason never names which obligation: a sealed
# legal request or a nondisclosure order may forbid saying more (issue 15 §3).
DENY_REASONS: dict[str, str] = {
    "identity_not_verified": "We could not verify your identity from the information you gave.",
    "legal_obligation": "A legal obligation requires us to keep it.",
    "security_or_fraud": "We need it to detect security incidents or protect against fraud.",
    "service_in_progress": "We need it to provide the service you asked for or complete a transaction.",
    "no_such_right": "The law that applies to you does not give this right.",
    "manifestly_unfounded": "The request is manifestly unfounded or excessive.",
}
Scope = Literal["categories", "specific_pieces"]


class PrivacyRequestIn(BaseModel):
    """A data-subject request as the public form or `POST /api/v1/privacy-requests` submits it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    request_type: RequestType
    scope: Scope = Field("categories", description="access only: categories, or specific pieces of information")
    jurisdiction: str = Field(pattern=r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$", description="ISO 3166, e.g. US-CA, DE")
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254, description="where the verification link is sent")
    phone: str = Field("", max_length=40)
    account_ref: str = Field("", max_length=64)
    postal_code: str = Field("", max_length=16)
    details: str = Field("", max_length=4000, description="what to correct, or anything that helps us find it")
    agent_name: str = Field("", max_length=200, description="an authorized agent submitting for the person")
    authorization_pdf_base64: str = Field("", description="the agent's signed authorization (PDF, base64)")
    portal_unavailable: bool = Field(False, description="access or cpni_copy: the requester states the information "
                                     "cannot be obtained through the customer portal")
    confirm_truthful: bool = Field(description="the requester declares the information is true")


@dataclass(frozen=True)
class RequestDetails:
    """The sealed part of a request: the person's contact details and what they asked."""

    name: str
    email: str
    phone: str = ""
    account_ref: str = ""
    postal_code: str = ""
    details: str = ""
    agent_name: str = ""


@dataclass(frozen=True)
class PrivacyRequest:
    """One stored request, opened for staff."""

    id: int
    reference: str
    request_type: str
    scope: str | None
    jurisdiction: str
    by_agent: bool
    state: str
    received_at: datetime
    received_on: date
    due_on: date | None
    extendable_to: date | None
    extended_at: datetime | None
    account_id: int | None
    matched_points: int | None
    deny_reason: str | None
    verified_at: datetime | None
    closed_at: datetime | None
    has_authorization: bool
    details: RequestDetails
    portal_showing: bool | None = None  # access, cpni_copy: the requester said the portal cannot give it

    @property
    def may_extend(self) -> bool:
        """Once only, while the first period runs, when the rule allows an extension."""
        return self.extendable_to is not None and self.extended_at is None and self.state in OPEN_STATES


@dataclass(frozen=True)
class RequestEvent:
    """One step of a request's history."""

    at: datetime
    actor: str
    action: str
    note: str
