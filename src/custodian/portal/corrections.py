"""The customer correcting their own details: name, postal address, contact phone, e-mail of record.

Each change is audited ("account.change", actor "customer") in the caller's transaction. A new e-mail of
record is confirmed by a code sent to it before it replaces the old one; the change notice then goes to the
e-mail of record as it was 30 days ago, never to the new one (47 CFR 64.2010(f), 64.2003(b)).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.kernel.email import email_problem, normal_email
from custodian.kernel.phone import try_e164
from custodian.portal import codes
from custodian.portal.service import ACTOR, PortalError, notice_to
from custodian.records import payload
from custodian.records import store as records
from custodian.records.addresses import postal_line, record_address
from custodian.records.tables import person, postal_address
from custodian.records.types import PostalAddress

MAX_FIELD = 120


def _audit(conn: Connection, account_id: int, change: str, now: datetime) -> None:
    audit.append(conn, actor=ACTOR, action="account.change", account_id=account_id,
                 record_classes=("subscriber.basic",), reason="corrected by the customer",
                 detail={"change": change, "channel": "portal"}, now=now)


def _seal(conn: Connection, keyring: Keyring, account_id: int, table: str, column: str, value: str) -> bytes | None:
    return keyring.cipher(conn, account_id).seal(value, payload.aad(table, column, account_id)) if value else None


def _text(name: str, value: str, required: bool = True) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise PortalError(f"{name}: required")
    if len(value) > MAX_FIELD:
        raise PortalError(f"{name}: at most {MAX_FIELD} characters")
    return value


def correct_name(conn: Connection, keyring: Keyring, account_id: int, first: str, last: str, now: datetime) -> None:
    """Replace the account holder's name."""
    first, last = _text("first_name", first), _text("last_name", last)
    conn.execute(update(person).where(person.c.account_id == account_id, person.c.role == "holder").values(
        first_name_enc=_seal(conn, keyring, account_id, "person", "first_name", first),
        last_name_enc=_seal(conn, keyring, account_id, "person", "last_name", last)))
    _audit(conn, account_id, "name", now)


def correct_phone(conn: Connection, keyring: Keyring, account_id: int, phone: str, now: datetime) -> None:
    """Replace the contact phone (a telephone number, stored as E.164 with its blind index)."""
    number = try_e164(phone.strip())
    if number is None:
        raise PortalError("contact_phone: not a telephone number")
    conn.execute(update(person).where(person.c.account_id == account_id, person.c.role == "holder").values(
        phone_enc=_seal(conn, keyring, account_id, "person", "phone", number),
        phone_bidx=keyring.blind_index(conn, "number", number)))
    _audit(conn, account_id, "contact_phone", now)


def correct_address(conn: Connection, keyring: Keyring, account_id: int, *, street: str, city: str, state: str,
                    postal_code: str, country: str, now: datetime) -> str:
    """Replace the postal address (it becomes the postal address of record now: its 30 days start); return where
    the change notice goes (the e-mail of record)."""
    address = PostalAddress(_text("street", street), _text("city", city), _text("state", state),
                            _text("postal_code", postal_code), _text("country", country or "US").upper()[:2])
    c = postal_address.c
    sealed = {f"{name}_enc": _seal(conn, keyring, account_id, "postal_address", name, getattr(address, name))
              for name in ("street", "city", "state", "postal_code")}
    found = conn.execute(select(c.id).where(c.account_id == account_id, c.purpose == "contact")).first()
    if found is None:
        conn.execute(insert(postal_address).values(account_id=account_id, purpose="contact", country=address.country,
                                                   created_at=now, **sealed))
    else:
        conn.execute(update(postal_address).where(c.id == found.id).values(country=address.country, **sealed))
    to = notice_to(conn, keyring, account_id, now)
    record_address(conn, keyring, account_id, "postal", postal_line(address), by="customer (portal)", now=now)
    _audit(conn, account_id, "address_of_record", now)
    return to


def ask_new_email(conn: Connection, keyring: Keyring, key: bytes, account_id: int, new_email: str,
                  now: datetime) -> tuple[codes.Issued, str]:
    """A code for `new_email` (and the address as stored), which becomes the e-mail of record once the code
    comes back."""
    problem = email_problem(new_email.strip())
    if problem:
        raise PortalError(f"email: not an e-mail address ({problem})")
    email = normal_email(new_email)
    if email == records.read_account(conn, keyring, account_id).email:
        raise PortalError("email: that is already your e-mail address of record")
    sealed = _seal(conn, keyring, account_id, "portal_code", "target", email)
    return codes.issue(conn, key, purpose="new_email", account_id=account_id, target_enc=sealed, now=now), email


def confirm_new_email(conn: Connection, keyring: Keyring, key: bytes, account_id: int, flow: str, code: str,
                      now: datetime) -> str | None:
    """Make the confirmed address the e-mail of record; return where the notice goes (the e-mail of record as it
    was 30 days ago), or None when the code is wrong, used or expired."""
    accepted = codes.check(conn, key, flow=flow, purpose="new_email", code=code, now=now)
    if accepted is None or accepted.account_id != account_id or accepted.target_enc is None:
        return None
    email = keyring.cipher(conn, account_id).open(accepted.target_enc,
                                                  payload.aad("portal_code", "target", account_id))
    to = notice_to(conn, keyring, account_id, now)
    records.set_holder_email(conn, keyring, account_id, email, by="customer (portal)", now=now)
    _audit(conn, account_id, "address_of_record", now)
    return to

