"""Verifying who asks: the requester's details are matched against the record store (issue 15 §3).

Candidate accounts are found by blind index only (the holder's e-mail or phone, a current number, the
account reference); each candidate's holder is then read through the records store (an audited read) to
count the data points that agree: e-mail, phone, account reference, name with postal code. The policy says
how many points each request type needs. Whatever the outcome, the requester is told the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from custodian.audit import store as audit
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.dsr.types import RequestDetails
from custodian.kernel.phone import try_e164
from custodian.records import store as records
from custodian.records.tables import account, number_assignment, person
from custodian.records.types import AccountView


@dataclass(frozen=True)
class Match:
    """The best candidate account and how many data points it matched (0 and None when none did)."""

    account_id: int | None
    points: int


def normal_phone(text: str) -> str:
    """A phone number as the record store indexes it (E.164), or "" when it is not one."""
    return try_e164(text) or ""


def best_match(conn: Connection, keyring: Keyring, details: RequestDetails, *, reference: str,
               actor: str) -> Match:
    """The candidate account matching the most data points of `details`."""
    best = Match(None, 0)
    for account_id in sorted(_candidates(conn, keyring, details)):
        try:
            view = records.read_account(conn, keyring, account_id)
        except AccountShredded:
            continue
        audit.append(conn, actor=actor, action="dsr.identity_matched", account_id=account_id,
                     record_classes=["subscriber.basic"], reason=f"verify privacy request {reference}")
        points = count_points(details, view)
        if points > best.points:
            best = Match(account_id, points)
    return best


def count_points(details: RequestDetails, holder: AccountView) -> int:
    """How many of the requester's data points agree with the account holder's (pure)."""
    phone = normal_phone(details.phone)
    points = [
        bool(details.email) and details.email.strip().lower() == holder.email.strip().lower(),
        bool(phone) and phone == normal_phone(holder.contact_phone),
        bool(details.account_ref) and details.account_ref.strip() == holder.ref,
        bool(details.postal_code) and _name(details.name) == _name(f"{holder.first_name} {holder.last_name}")
        and holder.address is not None and _postal(details.postal_code) == _postal(holder.address.postal_code),
    ]
    return sum(points)


def _candidates(conn: Connection, keyring: Keyring, details: RequestDetails) -> set[int]:
    found: set[int] = set()
    if details.email:
        found |= set(records.accounts_by_email(conn, keyring, details.email))
    phone = normal_phone(details.phone)
    if phone:
        token = keyring.blind_index(conn, "number", phone)
        found |= set(conn.execute(select(person.c.account_id).where(person.c.phone_bidx == token)).scalars())
        found |= set(conn.execute(select(number_assignment.c.account_id).where(
            number_assignment.c.number_bidx == token, number_assignment.c.assigned_to.is_(None))).scalars())
    if details.account_ref:
        found |= set(conn.execute(select(account.c.id).where(account.c.ref == details.account_ref.strip())).scalars())
    return {int(a) for a in found}


def _name(text: str) -> str:
    return " ".join(text.casefold().split())


def _postal(text: str) -> str:
    return "".join(text.upper().split()).replace("-", "")
