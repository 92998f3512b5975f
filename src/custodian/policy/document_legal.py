"""The policy file's `legal:` section: who may ask for what under which process, preservation, emergencies,
the agencies' e-mail domains, customer notification, and the fee schedule (the legal desk's rules)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from custodian.policy.document_sharing import Country, VoluntaryDisclosure
from custodian.policy.strict import NonEmpty, Strict, empty_dict, empty_list

RequesterType = Literal["law_enforcement", "civil", "customer", "foreign_government"]
Instrument = Literal["subpoena", "civil_investigative_demand", "court_order_2703d", "court_order", "search_warrant"]


class RequesterRules(Strict):
    """What a requester of one type must supply."""

    required_fields: list[str] = Field(default_factory=empty_list)
    min_response_days: int = Field(default=0, ge=0)
    government_email_only: bool = False
    email_domains_allowed: list[str] = Field(default_factory=empty_list)
    accepted: bool = True


class Preservation(Strict):
    """Preservation of existing records (18 U.S.C. 2703(f)): period and renewals."""

    days: int = Field(gt=0)
    renewals: int = Field(default=0, ge=0)
    renewal_days: int = Field(default=0, ge=0)


class Emergency(Strict):
    """Voluntary emergency disclosure (18 U.S.C. 2702(b)(8), (c)(4)).

    The stated basis is always required: the statute allows disclosure only on "a good faith belief that
    an emergency involving danger of death or serious physical injury to any person requires disclosure
    without delay", so `requires_basis` cannot be switched off.
    """

    accepted: bool = True
    requires_basis: Literal[True] = True
    requires_imminent_harm_attestation: bool = True


class AgencyDomains(Strict):
    """The e-mail domains of one law enforcement agency (DRG V.A: no "e-mail address in a domain unassociated
    with the Requesting Agency"); city and county police departments are rarely .gov."""

    agency: NonEmpty
    domains: list[NonEmpty] = Field(min_length=1)


class Notification(Strict):
    """Telling the customer about a request for their records."""

    notify_customer: bool
    unless_nondisclosure_order: bool = True
    after_order_expires: bool = True
    # Days a civil production waits after the customer notice, so the customer can move to quash.
    objection_days: int = Field(default=14, ge=0, le=90)


FeeBasis = Literal["per_account", "per_account_month", "per_content_type_month", "hourly", "per_page",
                   "per_document", "per_signature", "per_returned_check", "actual_cost"]
FeeTrigger = Literal["records", "preservation", "expedite"]
HoursOf = Literal["engineer", "paralegal", "attorney", "chat_engineer"]


class Fee(Strict):
    """One line of the cost-reimbursement schedule, structured so a quote can be computed (legal/fees.py).

    `per_account` lines are charged once per account when any of `classes` is requested (or when the
    request asks for `preservation` / `expedite`); `per_account_month` per account and calendar month
    touched; `per_content_type_month` per account, month and content type of `content_types` requested;
    `hourly` lines bill `hours` at `minimum_hours` once they exceed `threshold_hours`; `per_page` pages
    beyond `free_pages`; `actual_cost` lines have no amount and are entered on the invoice by hand.
    """

    code: NonEmpty
    item: NonEmpty
    basis: FeeBasis
    amount_cents: int | None = Field(default=None, ge=0)
    applies_to: FeeTrigger = "records"
    classes: list[str] = Field(default_factory=empty_list)
    content_types: dict[str, list[str]] = Field(default_factory=empty_dict)
    hours: HoursOf | None = None
    threshold_hours: float = Field(default=0, ge=0)
    minimum_hours: float = Field(default=0, ge=0)
    free_pages: int = Field(default=0, ge=0)
    # The prospective orders an actual_cost line bills (pen register, wiretap).
    instruments: list[Literal["pen_register_order", "wiretap_order"]] = Field(default_factory=empty_list)
    note: str = ""

    @model_validator(mode="after")
    def _complete_for_basis(self) -> Fee:
        if (self.basis == "actual_cost") != (self.amount_cents is None):
            raise ValueError("amount_cents is required, except on an actual_cost line, which has none")
        if self.instruments and self.basis != "actual_cost":
            raise ValueError("only an actual_cost line bills prospective orders (instruments:)")
        if self.basis == "hourly" and self.hours is None:
            raise ValueError("an hourly line names whose hours it bills (hours:)")
        if self.basis == "per_content_type_month" and not self.content_types:
            raise ValueError("a per_content_type_month line lists its content_types")
        if self.basis in ("per_account_month",) and not self.classes:
            raise ValueError("a per_account_month line lists the record classes it covers")
        if self.basis == "per_account" and self.applies_to == "records" and not self.classes:
            raise ValueError("a per_account line for records lists the record classes it covers")
        return self


class Legal(Strict):
    """How the legal desk treats requests: who may ask, how, for what, and at what cost."""

    requesters: dict[RequesterType, RequesterRules] = Field(min_length=1)
    service_channels: list[Literal["email", "personal", "mail", "fax"]] = Field(min_length=1)
    po_box_accepted: bool = False
    max_date_range_months: int | None = Field(default=None, gt=0)
    # Where civil process must be issued or domesticated (ISO 3166-2, "US-TX"); empty = anywhere.
    civil_process_jurisdictions: list[str] = Field(default_factory=empty_list)
    withhold_delivery_until_paid: bool = False
    # Stricter-than-default legal process: requester type -> record class -> instrument, or "never".
    process: dict[RequesterType, dict[str, Instrument | Literal["never"]]] = Field(default_factory=empty_dict)
    preservation: Preservation
    emergency: Emergency = Field(default_factory=Emergency)
    notification: Notification
    fees: list[Fee] = Field(default_factory=empty_list)
    voluntary_disclosures: dict[str, VoluntaryDisclosure] = Field(default_factory=empty_dict)
    # Countries with a CLOUD Act executive agreement (18 U.S.C. 2523) whose orders the desk honours.
    cloud_act_countries: list[Country] = Field(default_factory=empty_list)
    agency_email_domains: list[AgencyDomains] = Field(default_factory=empty_list)
    # The transparency report counts national security process only in bands of this width (50 U.S.C. 1874(a)).
    national_security_band: Literal[250, 500] = 250
