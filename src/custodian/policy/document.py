"""The policy file's shape (version 1). Structure only: cross-references are checked in check.py.

Every model forbids unknown keys, so a misspelt key is an error naming its line, never a rule
silently ignored.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from custodian.policy.document_abuse import AbuseDesk
from custodian.policy.document_compliance import Breach
from custodian.policy.document_consent import ConsentSettings
from custodian.policy.document_legal import Legal
from custodian.policy.document_requests import PrivacyRequests
from custodian.policy.document_sharing import (
    BusinessTransfer,
    ContractTerm,
    Country,
    DataForm,
    InternationalTransfer,
    RecipientKind,
    Security,
    TransferMechanism,
)
from custodian.policy.strict import NonEmpty, Strict, empty_dict, empty_list

Choice = Literal["none", "opt_out", "opt_in"]
Profile = Literal["standard", "hipaa"]
Mask = Literal["last_four", "masked_counterpart", "counts_only"]
# Changes to these notify the customer at the contact of record (47 CFR 64.2010(f)).
AccountChange = Literal["address_of_record", "password", "secret_question", "online_account"]
ALL_PROFILES: tuple[Profile, ...] = ("standard", "hipaa")
# Privacy Shield's exceptions to the sensitive-data opt-in (seed 002, P52).
SensitiveException = Literal["vital_interests", "legal_claims", "medical_care", "employment_law",
                             "manifestly_public"]


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
    international_transfers: list[InternationalTransfer] = Field(default_factory=empty_list)


class DataSet(Strict):
    """Data the provider holds in one role: as controller, or as processor for a business client."""

    id: NonEmpty
    role: Literal["controller", "processor"]
    description: str = ""
    classes: list[str] = Field(min_length=1)
    # For a processor data set: the purposes its controller (the business client) authorises.
    purposes: list[str] = Field(default_factory=empty_list)


class RecordClassUse(Strict):
    """A record class the provider collects, mapped to fides data categories.

    `sensitive` classes need opt-in for any non-essential use; `fields` limits what the class holds
    (empty: what the vocabulary says); a class that is not `stored` only passes through.
    """

    categories: list[str] = Field(min_length=1)
    description: NonEmpty
    sensitive: bool = False
    fields: list[NonEmpty] = Field(default_factory=empty_list)
    stored: bool = True


class Purpose(Strict):
    """Why data is used: a fides data use, the classes it may use, and the choice it needs."""

    data_use: NonEmpty
    choice: Choice
    classes: list[str] = Field(min_length=1)
    description: NonEmpty
    data_form: DataForm = "identifiable"
    sensitive_exception: SensitiveException | None = None


class TopicAccess(Strict):
    """What a role may see on a ticket of one topic, under which purpose, masked how."""

    purpose: NonEmpty
    classes: list[str] = Field(min_length=1)
    masks: dict[str, Mask] = Field(default_factory=empty_dict)
    changes: list[AccountChange] = Field(default_factory=empty_list)  # what the role may change on such a ticket


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
    # The one privacy officer (by username) whose one-time credentials issued in the console need no
    # second officer's approval: for a provider with a single officer. Only the shell activates a policy.
    credentials_admin: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9._-]{1,63}$")


class Contract(Strict):
    """The terms a recipient signed."""

    signed_on: date | None = None
    terms: list[ContractTerm] = Field(default_factory=empty_list)
    description: str = ""


class Recipient(Strict):
    """A third party that receives data: which classes, for which purposes, under what contract."""

    name: NonEmpty
    kind: RecipientKind
    description: str = ""
    address: str = ""  # postal address, as a Shine the Light answer (Cal. Civ. Code 1798.83(a)(1)) gives it
    contract: Contract = Field(default_factory=Contract)
    classes: list[str] = Field(min_length=1)
    purposes: list[str] = Field(min_length=1)
    data_form: DataForm = "identifiable"
    min_group_size: int | None = Field(default=None, ge=2)  # for aggregate data: the smallest group reported
    country: Country | None = None  # where it processes the data; absent: the provider's own country
    transfer_mechanism: TransferMechanism | None = None
    # Feed columns left out of a de-identified release to this recipient (disclosures/feed.py): fields that,
    # combined, could single a person out (postal code, city, sign-up day).
    quasi_identifiers: list[NonEmpty] = Field(default_factory=empty_list)


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
    """What happens after an account closes: purge after N days, at the latest M; `deidentify` names the
    classes kept for tax, accounting or dispute purposes, de-identified instead of deleted."""

    purge_after_days: int = Field(ge=0)
    deadline_days: int = Field(ge=0)
    deidentify: list[str] = Field(default_factory=empty_list)

    @model_validator(mode="after")
    def _deadline_after_purge(self) -> Closure:
        if self.deadline_days < self.purge_after_days:
            raise ValueError("deadline_days must not be before purge_after_days")
        return self


class Retention(Strict):
    """The retention schedule."""

    rules: list[RetentionRule] = Field(min_length=1)
    on_closure: Closure | None = None


class Notice(Strict):
    """Wording for the published notice; structure and tables come from the rules."""

    introduction: str = ""
    security: str = ""
    rights: str = ""
    changes: str = ""


class Promise(Strict):
    """One promise of the provider's published documents, and what keeps it (docs/policy.md "The ledger").

    `enforced`: runtime code makes it true and a cited test drives that code (a test that only reads this file
    proves configuration, not enforcement; tests/policy/test_ledger_runs.py checks it); `declared`: this file
    states the rule (`enforced_by`) and the notice publishes it, but no runtime code acts on it yet: name the
    feature that will (`pending_feature`); `process`: people outside the software keep it (say how);
    `not_yet_enforced`: nothing states or keeps it yet (name the feature that will).
    """

    id: NonEmpty
    quote: NonEmpty
    status: Literal["enforced", "declared", "process", "not_yet_enforced"]
    enforced_by: list[str] = Field(default_factory=empty_list)
    tests: list[str] = Field(default_factory=empty_list)
    explanation: str = ""
    pending_feature: str = ""

    @model_validator(mode="after")
    def _status_has_its_evidence(self) -> Promise:
        if self.status == "enforced" and not (self.enforced_by and self.tests):
            raise ValueError("an enforced promise names the rules that enforce it and the tests that prove it")
        if self.status == "declared" and not (self.enforced_by and self.pending_feature):
            raise ValueError("a declared promise names the rules that state it and the feature that will enforce it")
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
    recipients: dict[str, Recipient] = Field(default_factory=empty_dict)
    contract_requirements: dict[RecipientKind, list[ContractTerm]] = Field(default_factory=empty_dict)
    business_transfer: BusinessTransfer | None = None
    security: Security = Field(default_factory=Security)
    retention: Retention
    legal: Legal
    notice: Notice = Field(default_factory=Notice)
    privacy_requests: PrivacyRequests = Field(default_factory=PrivacyRequests)
    consent: ConsentSettings = Field(default_factory=ConsentSettings)
    breach: Breach = Field(default_factory=Breach)
    abuse: AbuseDesk = Field(default_factory=AbuseDesk)
    seed_document: str = ""  # the published document the promises quote (a file name)
    promises: list[Promise] = Field(default_factory=empty_list)
