"""`accounts` CSV: one account and its holder per row."""

from __future__ import annotations

from custodian.ingest.parse import (
    ParseOptions,
    RowRejected,
    bounded,
    choice,
    day,
    optional,
    phone,
)
from custodian.ingest.records import AccountRow
from custodian.kernel.email import CONTROL_CHARACTER, email_problem
from custodian.records.rules import ACCOUNT_KINDS, ACCOUNT_PROFILES, ACCOUNT_STATUSES
from custodian.records.types import NewAccount, PostalAddress

HEADER = ("account_ref", "kind", "profile", "status", "company", "first_name", "last_name", "email",
          "contact_phone", "street", "city", "state", "postal_code", "country", "signup_on",
          "closed_on", "controller")


def parse(row: dict[str, str], options: ParseOptions) -> AccountRow:
    """Validate one account row."""
    status = choice(row, "status", ACCOUNT_STATUSES)
    closed_on = day(row, "closed_on", required_=False)
    if status == "closed" and closed_on is None:
        raise RowRejected("closed_on: required when status is closed")
    if status != "closed" and closed_on is not None:
        raise RowRejected("closed_on: must be empty unless status is closed")
    signup_on = day(row, "signup_on", required_=False)
    if signup_on and closed_on and closed_on < signup_on:
        raise RowRejected("closed_on: before signup_on")
    kind = choice(row, "kind", ACCOUNT_KINDS)
    company = optional(row, "company")
    if kind == "business" and not company:
        raise RowRejected("company: required for business accounts")
    email = optional(row, "email").lower()
    problem = email_problem(row.get("email", "")) if email else None
    if problem:  # a CR or LF would inject headers into every mail sent to the address (kernel.email)
        raise RowRejected("email: not an e-mail address" + (f" ({problem})" if problem == CONTROL_CHARACTER else ""))
    if not (optional(row, "first_name") or optional(row, "last_name") or company):
        raise RowRejected("first_name/last_name: a name or company is required")
    return AccountRow(NewAccount(
        ref=bounded(row, "account_ref", 64),
        kind=kind,
        profile=choice(row, "profile", ACCOUNT_PROFILES),
        status=status,
        company=company,
        first_name=optional(row, "first_name"),
        last_name=optional(row, "last_name"),
        email=email,
        contact_phone=phone(row, "contact_phone", options.region, required_=False),
        address=_address(row),
        signup_on=signup_on,
        closed_on=closed_on,
        controller=optional(row, "controller") or None,
    ))


def _address(row: dict[str, str]) -> PostalAddress | None:
    names = ("street", "city", "state", "postal_code", "country")
    parts = {name: optional(row, name) for name in names}
    if not any(parts[name] for name in ("street", "city", "postal_code")):
        return None
    country = (parts["country"] or "US").upper()
    if len(country) != 2 or not country.isalpha():
        raise RowRejected("country: must be a two-letter ISO 3166 code")
    return PostalAddress(street=parts["street"], city=parts["city"], state=parts["state"],
                         postal_code=parts["postal_code"], country=country)
