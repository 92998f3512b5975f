"""The legal request document (issue #4 "Request document"): API body, intake form and CLI input.

Absent or empty strings count as missing: every text field is normalised to "" and every optional
date to None, so the validator asks one question ("is it there?") of every field.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custodian.kernel.email import CONTROL_CHARACTER, has_control_character
from custodian.policy.strict import empty_list

RequestKind = Literal["data", "preservation", "emergency"]
RequesterKind = Literal["law_enforcement", "civil", "customer", "foreign_government"]
InstrumentKind = Literal["subpoena", "grand_jury_subpoena", "administrative_subpoena", "civil_investigative_demand",
                         "court_order_2703d", "court_order", "search_warrant", "national_security_letter",
                         "fisa_order", "pen_register_order", "wiretap_order", "emergency_form", "mlat", "none"]
# How a foreign government's request becomes U.S. process: an instrument a U.S. court issued under
# 18 U.S.C. 3512, or an order under a CLOUD Act executive agreement (18 U.S.C. 2523).
ForeignBasis = Literal["us_3512", "cloud_act"]
# National security process always carries a nondisclosure requirement (18 U.S.C. 2709(c); 50 U.S.C. 1861(d)).
ALWAYS_GAGGED = frozenset({"national_security_letter", "fisa_order"})
Channel = Literal["email", "personal", "mail", "fax"]


class Loose(BaseModel):
    """Unknown keys are errors; empty strings for dates become None; None strings become ""."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip() or None
        return value


def _an_email(value: str | None) -> str | None:
    """An e-mail field holds no control character (kernel.email: no header injection); whether it is a usable
    address otherwise is the validator's question, answered as a deficiency (legal.validate)."""
    if value and has_control_character(value):
        raise ValueError(f"not an e-mail address: {CONTROL_CHARACTER}")
    return value


class MailingAddress(Loose):
    """Where the requester receives mail."""

    street: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None

    def is_empty(self) -> bool:
        """True when no part of the address was given."""
        return not any((self.street, self.city, self.state, self.postal_code))


class Requester(Loose):
    """Who asks: an agency and agent, or a party and counsel."""

    type: RequesterKind | None = None
    agency: str | None = None
    agent_name: str | None = None
    badge_number: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_extension: str | None = None
    mailing_address: MailingAddress | None = None
    party_name: str | None = None
    counsel_name: str | None = None
    counsel_bar_number: str | None = None
    counsel_bar_state: str | None = None
    local_counsel_name: str | None = None
    local_counsel_texas_bar_number: str | None = None

    _email_is_an_address = field_validator("email")(_an_email)


class Instrument(Loose):
    """The legal process the request rests on."""

    type: InstrumentKind | None = None
    jurisdiction: str | None = None
    case_number: str | None = None
    issued_by: str | None = None
    issued_on: date | None = None
    foreign_basis: ForeignBasis | None = None
    country: str | None = None  # ISO 3166-1 alpha-2 of the foreign government, for a CLOUD Act order


class Service(Loose):
    """How the process was served."""

    channel: Channel | None = None
    requires_testimony: bool = False


class Target(Loose):
    """One thing identifying the subscriber sought."""

    phone_number: str | None = None
    account_ref: str | None = None
    email: str | None = None
    name: str | None = None

    _email_is_an_address = field_validator("email")(_an_email)

    def identifies(self) -> bool:
        """True when the target names a number, an account or an e-mail (a name alone is overbroad)."""
        return bool(self.phone_number or self.account_ref or self.email)


class DateRange(Loose):
    """The window of records asked for, both days inclusive."""

    from_on: date | None = Field(default=None, alias="from")
    to_on: date | None = Field(default=None, alias="to")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NondisclosureOrder(Loose):
    """A 2705(b) order forbidding notice to the customer until it expires."""

    expires_on: date | None = None


class EmergencyBasis(Loose):
    """The stated basis of an emergency request (2702(b)(8), (c)(4))."""

    basis: str | None = None
    imminent_harm_attested: bool = False


class LegalRequest(Loose):
    """One legal request as received."""

    kind: RequestKind | None = None
    received_on: date | None = None
    requester: Requester = Field(default_factory=Requester)
    instrument: Instrument = Field(default_factory=Instrument)
    service: Service = Field(default_factory=Service)
    targets: list[Target] = Field(default_factory=empty_list)
    date_range: DateRange | None = None
    record_classes: list[str] = Field(default_factory=empty_list)
    requested_response_on: date | None = None
    nondisclosure_order: NondisclosureOrder | None = None
    emergency: EmergencyBasis | None = None
    expedite: bool = False

    @field_validator("record_classes", mode="before")
    @classmethod
    def _no_blank_classes(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [item.strip() if isinstance(item, str) else item for item in value]
        return value

    def nondisclosure(self) -> NondisclosureOrder | None:
        """The nondisclosure requirement in force: the order given, or for national security process
        (which always carries one) an order without expiry."""
        if self.nondisclosure_order is None and self.instrument.type in ALWAYS_GAGGED:
            return NondisclosureOrder()
        return self.nondisclosure_order

    def gagged_on(self, day: date) -> bool:
        """True while a nondisclosure requirement forbids telling the customer."""
        order = self.nondisclosure()
        return order is not None and (order.expires_on is None or day < order.expires_on)


class QuoteRequest(BaseModel):
    """What a quote is computed from (issue #4 "Fees"): the scoped request and the work it took."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    accounts: int = Field(ge=0)
    record_classes: list[str] = Field(default_factory=empty_list)
    date_range: DateRange | None = None
    preservation: bool = False
    expedite: bool = False
    chat_engineer_hours: float = Field(default=0, ge=0)
    paralegal_hours: float = Field(default=0, ge=0)
    engineer_hours: float = Field(default=0, ge=0)
    attorney_hours: float = Field(default=0, ge=0)
    pages: int = Field(default=0, ge=0)
    notarized_documents: int = Field(default=0, ge=0)
    signatures: int = Field(default=0, ge=0)
