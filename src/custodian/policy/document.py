"""The policy file's shape (version 1). Structure only: cross-references are checked in check.py.

Every model forbids unknown keys, so a misspelt key is an error naming its line, never a rule
silently ignored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Choice = Literal["none", "opt_out", "opt_in"]
Profile = Literal["standard", "hipaa"]
RequesterType = Literal["law_enforcement", "civil", "customer", "foreign_government"]
Instrument = Literal["subpoena", "civil_investigative_demand", "court_order_2703d", "court_order", "search_warrant"]
Mask = Literal["last_four", "masked_counterpart", "counts_only"]
# Changes to these notify the customer at the contact of record (47 CFR 64.2010(f)).
AccountChange = Literal["address_of_record", "password", "secret_question", "online_account"]
ALL_PROFILES: tuple[Profile, ...] = ("standard", "hipaa")
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """Unknown keys are errors; documents are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Contact(Strict):
    """How to reach the provider about one kind of matter."""

    role: Literal["privacy", "legal_requests", "customer_service", "data_protection_officer", "security"]
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    url: str = ""


class Provider(Strict):
    """Who the provider is and where its rules apply."""

    name: NonEmpty
    website: str = ""
    jurisdictions: list[str] = Field(min_length=1)
    effective_on: date
    contacts: list[Contact] = Field(min_length=1)


class DataSet(Strict):
    """Data the provider holds in one role: as controller, or as processor for a business client."""

    id: NonEmpty
    role: Literal["controller", "processor"]
    description: str = ""
    classes: list[str] = Field(min_length=1)


class RecordClassUse(Strict):
    """A record class the provider collects, mapped to fides data categories."""

    categories: list[str] = Field(min_length=1)
    description: NonEmpty


class Purpose(Strict):
    """Why data is used: a fides data use, the classes it may use, and the choice it needs."""

    data_use: NonEmpty
    choice: Choice
    classes: list[str] = Field(min_length=1)
    description: NonEmpty


class TopicAccess(Strict):
    """What a role may see on a ticket of one topic, under which purpose, masked how."""

    purpose: NonEmpty
    classes: list[str] = Field(min_length=1)
    masks: dict[str, Mask] = Field(default_factory=dict)
    changes: list[AccountChange] = Field(default_factory=list)  # what the role may change on such a ticket


class Role(Strict):
    """A staff role and its need-to-know per ticket topic."""

    description: NonEmpty
    topics: dict[str, TopicAccess] = Field(min_length=1)


class CpniAuthentication(Strict):
    """Call detail released on a customer-initiated contact only after the CPNI password (47 CFR 64.2010)."""

    classes: list[str] = Field(min_length=1)
    channels: list[Literal["inbound_call", "chat", "email", "in_person"]] = Field(min_length=1)
    alternatives: list[Literal["send_to_address_of_record", "call_number_of_record", "in_person_with_photo_id"]]


class Staff(Strict):
    """Ticket topics, roles, CPNI authentication and policy acknowledgement."""

    topics: list[str] = Field(min_length=1)
    roles: dict[str, Role] = Field(min_length=1)
    cpni_authentication: CpniAuthentication
    acknowledgement_required: bool = True
    ticket_hours: int = Field(default=8, gt=0, le=720)  # a ticket's grant ends this long after opening


class Contract(Strict):
    """The terms a recipient signed."""

    signed_on: date | None = None
    confidentiality: bool = True
    terms: list[str] = Field(default_factory=list)


class Recipient(Strict):
    """A third party that receives data: which classes, for which purposes, under what contract."""

    name: NonEmpty
    kind: Literal["processor", "partner", "advertiser", "auditor", "affiliate"]
    description: str = ""
    contract: Contract = Field(default_factory=Contract)
    classes: list[str] = Field(min_length=1)
    purposes: list[str] = Field(min_length=1)


class KeepFor(Strict):
    """A limit: at most `days` old, the newest `newest` (across the rule's classes), or as the customer sets."""

    days: int | None = Field(default=None, gt=0)
    newest: int | None = Field(default=None, gt=0)
    customer_set_min_hours: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> KeepFor:
        chosen = [value for value in (self.days, self.newest, self.customer_set_min_hours) if value is not None]
        if len(chosen) != 1:
            raise ValueError("give exactly one of days, newest, customer_set_min_hours")
        return self


class RetentionRule(Strict):
    """How long records of some classes are kept, for some account profiles."""

    classes: list[str] = Field(min_length=1)
    profiles: list[Profile] = Field(default_factory=lambda: list(ALL_PROFILES), min_length=1)
    keep: Literal["while_needed", "not_available"] | KeepFor
    note: str = ""


class Closure(Strict):
    """What happens after an account closes: purge after N days, at the latest M."""

    purge_after_days: int = Field(ge=0)
    deadline_days: int = Field(ge=0)

    @model_validator(mode="after")
    def _deadline_after_purge(self) -> Closure:
        if self.deadline_days < self.purge_after_days:
            raise ValueError("deadline_days must not be before purge_after_days")
        return self


class Retention(Strict):
    """The retention schedule."""

    rules: list[RetentionRule] = Field(min_length=1)
    on_closure: Closure | None = None


class RequesterRules(Strict):
    """What a requester of one type must supply."""

    required_fields: list[str] = Field(default_factory=list)
    min_response_days: int = Field(default=0, ge=0)
    government_email_only: bool = False
    email_domains_allowed: list[str] = Field(default_factory=list)
    accepted: bool = True


class Preservation(Strict):
    """Preservation of existing records (18 U.S.C. 2703(f)): period and renewals."""

    days: int = Field(gt=0)
    renewals: int = Field(default=0, ge=0)
    renewal_days: int = Field(default=0, ge=0)


class Emergency(Strict):
    """Voluntary emergency disclosure (18 U.S.C. 2702(b)(8), (c)(4))."""

    accepted: bool = True
    requires_basis: bool = True
    requires_imminent_harm_attestation: bool = True


class Notification(Strict):
    """Telling the customer about a request for their records."""

    notify_customer: bool
    unless_nondisclosure_order: bool = True
    after_order_expires: bool = True


class Fee(Strict):
    """One line of the cost-reimbursement schedule, in integer cents."""

    item: NonEmpty
    amount_cents: int = Field(ge=0)
    unit: NonEmpty
    note: str = ""


class Legal(Strict):
    """How the legal desk treats requests: who may ask, how, for what, and at what cost."""

    requesters: dict[RequesterType, RequesterRules] = Field(min_length=1)
    service_channels: list[Literal["email", "personal", "mail", "fax"]] = Field(min_length=1)
    po_box_accepted: bool = False
    max_date_range_months: int | None = Field(default=None, gt=0)
    # Stricter-than-default legal process: requester type -> record class -> instrument, or "never".
    process: dict[RequesterType, dict[str, Instrument | Literal["never"]]] = Field(default_factory=dict)
    preservation: Preservation
    emergency: Emergency = Field(default_factory=Emergency)
    notification: Notification
    fees: list[Fee] = Field(default_factory=list)


class Notice(Strict):
    """Wording for the published notice; structure and tables come from the rules."""

    introduction: str = ""
    security: str = ""
    rights: str = ""
    changes: str = ""


class Promise(Strict):
    """One promise of the provider's published documents, and what keeps it.

    `enforced`: the rules (dotted paths into this file) that make it true and the tests that prove
    it; `process`: no software can keep it (say why); `not_yet_enforced`: the feature that will
    (e.g. "retention engine"), so the ledger shows the whole gap.
    """

    id: NonEmpty
    quote: NonEmpty
    status: Literal["enforced", "process", "not_yet_enforced"]
    enforced_by: list[str] = Field(default_factory=list)
    tests: list[str] = Field(default_factory=list)
    explanation: str = ""
    pending_feature: str = ""

    @model_validator(mode="after")
    def _status_has_its_evidence(self) -> Promise:
        if self.status == "enforced" and not (self.enforced_by and self.tests):
            raise ValueError("an enforced promise names the rules that enforce it and the tests that prove it")
        if self.status == "process" and not self.explanation:
            raise ValueError("a process-only promise explains why no software can keep it")
        if self.status == "not_yet_enforced" and not self.pending_feature:
            raise ValueError("a promise not yet enforced names the feature that will enforce it")
        return self


class PolicyDocument(Strict):
    """A whole policy file."""

    custodian_policy: Literal[1]
    provider: Provider
    data_sets: list[DataSet] = Field(min_length=1)
    record_classes: dict[str, RecordClassUse] = Field(min_length=1)
    purposes: dict[str, Purpose] = Field(min_length=1)
    staff: Staff
    recipients: dict[str, Recipient] = Field(default_factory=dict)
    retention: Retention
    legal: Legal
    notice: Notice = Field(default_factory=Notice)
    seed_document: str = ""  # the published document the promises quote (a file name)
    promises: list[Promise] = Field(default_factory=list)
