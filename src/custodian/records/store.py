"""Queries on the record store. Functions flush within the caller's transaction and never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.kernel.clock import utcnow
from custodian.kernel.email import normal_email
from custodian.records import payload
from custodian.records.addresses import postal_line, record_address
from custodian.records.rules import Assignment
from custodian.records.tables import (
    account,
    call_log,
    number_assignment,
    person,
    postal_address,
)
from custodian.records.types import AccountView, CallView, NewAccount, PostalAddress


def account_id_by_ref(conn: Connection, ref: str) -> int | None:
    """The internal id of the account with reference `ref`."""
    return conn.execute(select(account.c.id).where(account.c.ref == ref)).scalar()


def create_account(conn: Connection, keyring: Keyring, new: NewAccount, now: datetime | None = None) -> int:
    """Insert an account with its own data key, its holder and contact address; return its id."""
    at = now or utcnow()
    account_id = conn.execute(
        insert(account)
        .values(ref=new.ref, kind=new.kind, profile=new.profile, status=new.status,
                signup_on=new.signup_on, closed_on=new.closed_on, controller=new.controller or None,
                created_at=at)
        .returning(account.c.id)
    ).scalar_one()
    cipher = keyring.create_account_key(conn, account_id)
    if new.company:
        conn.execute(account.update().where(account.c.id == account_id).values(
            company_enc=cipher.seal(new.company, payload.aad("account", "company", account_id))))
    email = normal_email(new.email) if new.email.strip() else ""
    conn.execute(insert(person).values(
        account_id=account_id, role="holder", created_at=at,
        first_name_enc=_seal(cipher, new.first_name, "person", "first_name", account_id),
        last_name_enc=_seal(cipher, new.last_name, "person", "last_name", account_id),
        email_enc=_seal(cipher, email, "person", "email", account_id),
        email_bidx=keyring.blind_index(conn, "email", email) if email else None,
        phone_enc=_seal(cipher, new.contact_phone, "person", "phone", account_id),
        phone_bidx=keyring.blind_index(conn, "number", new.contact_phone) if new.contact_phone else None,
    ))
    if new.address is not None:
        add_address(conn, cipher, account_id, "contact", new.address, at)
    since = new.address_since or at
    if email:
        record_address(conn, keyring, account_id, "email", email, by="account created", now=since)
    if new.address is not None:
        record_address(conn, keyring, account_id, "postal", postal_line(new.address), by="account created",
                       now=since)
    return int(account_id)


def add_address(conn: Connection, cipher: FieldCipher, account_id: int, purpose: str,
                address: PostalAddress, now: datetime) -> None:
    """Store a postal address of the account, each part encrypted."""
    conn.execute(insert(postal_address).values(
        account_id=account_id, purpose=purpose, country=address.country, created_at=now,
        street_enc=_seal(cipher, address.street, "postal_address", "street", account_id),
        city_enc=_seal(cipher, address.city, "postal_address", "city", account_id),
        state_enc=_seal(cipher, address.state, "postal_address", "state", account_id),
        postal_code_enc=_seal(cipher, address.postal_code, "postal_address", "postal_code", account_id),
    ))


def read_account(conn: Connection, keyring: Keyring, account_id: int) -> AccountView:
    """Decrypt one account for an authorised reader (raises AccountShredded after shredding)."""
    row = conn.execute(select(account).where(account.c.id == account_id)).one()
    cipher = keyring.cipher(conn, account_id)
    holder = conn.execute(select(person).where(person.c.account_id == account_id,
                                               person.c.role == "holder")).first()
    addr = conn.execute(select(postal_address).where(postal_address.c.account_id == account_id,
                                                     postal_address.c.purpose == "contact")).first()
    return AccountView(
        id=row.id, ref=row.ref, kind=row.kind, profile=row.profile, status=row.status,
        company=_open(cipher, row.company_enc, "account", "company", account_id),
        first_name=_open(cipher, holder.first_name_enc if holder else None, "person", "first_name", account_id),
        last_name=_open(cipher, holder.last_name_enc if holder else None, "person", "last_name", account_id),
        email=_open(cipher, holder.email_enc if holder else None, "person", "email", account_id),
        contact_phone=_open(cipher, holder.phone_enc if holder else None, "person", "phone", account_id),
        address=_address(cipher, addr, account_id) if addr else None,
        signup_on=row.signup_on, closed_on=row.closed_on, controller=row.controller,
    )


def accounts_by_email(conn: Connection, keyring: Keyring, email: str) -> list[int]:
    """Accounts whose holder has this e-mail (exact match through the blind index)."""
    token = keyring.blind_index(conn, "email", email.strip().lower())
    return list(conn.execute(select(person.c.account_id).where(person.c.email_bidx == token)).scalars())


def assignments_of(conn: Connection, number_bidx: bytes) -> list[Assignment]:
    """Every assignment of one number (by blind index), oldest first."""
    rows = conn.execute(
        select(number_assignment.c.account_id, number_assignment.c.assigned_from, number_assignment.c.assigned_to)
        .where(number_assignment.c.number_bidx == number_bidx)
        .order_by(number_assignment.c.assigned_from)
    ).all()
    return [Assignment(r.account_id, r.assigned_from, r.assigned_to) for r in rows]


def all_assignments(conn: Connection) -> dict[bytes, list[Assignment]]:
    """The whole number history keyed by blind index (for resolving call records in bulk)."""
    directory: dict[bytes, list[Assignment]] = {}
    rows = conn.execute(select(number_assignment.c.number_bidx, number_assignment.c.account_id,
                               number_assignment.c.assigned_from, number_assignment.c.assigned_to))
    for row in rows:
        directory.setdefault(row.number_bidx, []).append(
            Assignment(row.account_id, row.assigned_from, row.assigned_to))
    return directory


def calls_of(conn: Connection, keyring: Keyring, account_id: int, limit: int = 50) -> list[CallView]:
    """The newest call-detail records of one account, decrypted."""
    cipher = keyring.cipher(conn, account_id)
    rows = conn.execute(select(call_log).where(call_log.c.account_id == account_id)
                        .order_by(call_log.c.started_at.desc()).limit(limit)).all()
    aad = payload.aad("call_log", "payload", account_id)
    return [CallView(started_at=r.started_at, direction=r.direction, disposition=r.disposition,
                     duration_s=r.duration_s, billsec_s=r.billsec_s,
                     detail=payload.decode(payload.CALL_FIELDS, cipher.open(r.payload_enc, aad)))
            for r in rows]


def count_rows(conn: Connection, table: Any, *where: Any) -> int:
    """Row count of a table, optionally filtered."""
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _seal(cipher: FieldCipher, value: str, table: str, column: str, account_id: int) -> bytes | None:
    return cipher.seal(value, payload.aad(table, column, account_id)) if value else None


def _open(cipher: FieldCipher, sealed: bytes | None, table: str, column: str, account_id: int) -> str:
    return cipher.open(sealed, payload.aad(table, column, account_id)) if sealed else ""


def _address(cipher: FieldCipher, row: Any, account_id: int) -> PostalAddress:
    part = lambda name: _open(cipher, getattr(row, f"{name}_enc"), "postal_address", name, account_id)  # noqa: E731
    return PostalAddress(street=part("street"), city=part("city"), state=part("state"),
                         postal_code=part("postal_code"), country=row.country or "")


def set_holder_email(conn: Connection, keyring: Keyring, account_id: int, email: str, *, by: str,
                     now: datetime) -> None:
    """Replace the account holder's e-mail (the address of record), sealed, with its blind index, and note in
    the history when it became the address of record (InvalidEmail when it is not an address)."""
    cipher = keyring.cipher(conn, account_id)
    email = normal_email(email)
    conn.execute(person.update().where(person.c.account_id == account_id, person.c.role == "holder").values(
        email_enc=_seal(cipher, email, "person", "email", account_id),
        email_bidx=keyring.blind_index(conn, "email", email)))
    record_address(conn, keyring, account_id, "email", email, by=by, now=now)
