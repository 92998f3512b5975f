"""The history of the account's e-mail and postal address of record (47 CFR 64.2003(b)): each address
sealed with the account's key, with the time it became the address of record. Joins the caller's
transaction, never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from custodian.crypto.keyring import Keyring
from custodian.records import payload
from custodian.records.address_rules import AddressOfRecord, Medium
from custodian.records.tables import account, address_of_record
from custodian.records.types import PostalAddress


def record_address(conn: Connection, keyring: Keyring, account_id: int, medium: Medium, address: str, *,
                   by: str, now: datetime) -> None:
    """Note that `address` became the account's `medium` address of record at `now`."""
    cipher = keyring.cipher(conn, account_id)
    conn.execute(insert(address_of_record).values(
        account_id=account_id, medium=medium, became_at=now, recorded_by=by[:120],
        address_enc=cipher.seal(address, _aad(account_id))))


def history_of(conn: Connection, keyring: Keyring, account_id: int) -> list[AddressOfRecord]:
    """Every address of record the account had, oldest first (decrypted)."""
    rows = conn.execute(select(address_of_record).where(address_of_record.c.account_id == account_id)
                        .order_by(address_of_record.c.became_at, address_of_record.c.id)).all()
    if not rows:
        return []
    cipher = keyring.cipher(conn, account_id)
    return [AddressOfRecord(row.medium, cipher.open(row.address_enc, _aad(account_id)), row.became_at)
            for row in rows]


def history_or_since_creation(conn: Connection, keyring: Keyring, account_id: int, email: str,
                              postal: PostalAddress | None) -> list[AddressOfRecord]:
    """The history; for a medium with none recorded (an account stored before the history was kept), the
    current address counted from the account's creation."""
    history = history_of(conn, keyring, account_id)
    created_at = conn.execute(select(account.c.created_at).where(account.c.id == account_id)).scalar_one()
    kept = {entry.medium for entry in history}
    if "email" not in kept and email:
        history.append(AddressOfRecord("email", email, created_at))
    if "postal" not in kept and postal is not None:
        history.append(AddressOfRecord("postal", postal_line(postal), created_at))
    return history


def postal_line(address: PostalAddress) -> str:
    """A postal address on one line, as the history keeps it."""
    parts = [address.street, address.city, " ".join(p for p in (address.state, address.postal_code) if p),
             address.country]
    return ", ".join(part for part in parts if part)


def _aad(account_id: int) -> bytes:
    return payload.aad("address_of_record", "address", account_id)
