"""Plain values going into and coming out of the record store (always plaintext, never stored as is)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PostalAddress:
    """A street address; stored encrypted field by field."""

    street: str
    city: str
    state: str
    postal_code: str
    country: str = "US"


@dataclass(frozen=True)
class NewAccount:
    """An account with its holder, as imported or created."""

    ref: str
    kind: str
    profile: str
    status: str
    company: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    contact_phone: str = ""
    address: PostalAddress | None = None
    signup_on: date | None = None
    closed_on: date | None = None
    controller: str | None = None
    address_since: datetime | None = None  # when the e-mail and postal address became of record; None = now


@dataclass(frozen=True)
class AccountView:
    """An account decrypted for an authorised reader."""

    id: int
    ref: str
    kind: str
    profile: str
    status: str
    company: str
    first_name: str
    last_name: str
    email: str
    contact_phone: str
    address: PostalAddress | None
    signup_on: date | None
    closed_on: date | None
    controller: str | None


@dataclass(frozen=True)
class CallView:
    """One call-detail record, decrypted."""

    started_at: datetime
    direction: str
    disposition: str
    duration_s: int
    billsec_s: int
    detail: dict[str, str] = field(default_factory=dict)
