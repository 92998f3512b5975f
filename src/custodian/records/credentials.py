"""A customer's CPNI password and back-up secret question (record class `subscriber.credentials`).

Only argon2id hashes of the password and of the normalised answer are stored; the question is
sealed with the account's key, so shredding the account makes it unreadable. Joins the caller's
transaction, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from custodian.crypto.keyring import Keyring
from custodian.crypto.passwords import hash_secret, secret_matches
from custodian.records import payload
from custodian.records.tables import account_credential, number_assignment


@dataclass(frozen=True)
class StoredSecret:
    """One credential on file: its kind, when and by whom it was set, and the question (for a question)."""

    kind: str
    question: str
    set_at: datetime
    set_by: str


def store_secret(conn: Connection, keyring: Keyring, account_id: int, kind: str, secret: str, *, question: str = "",
                 by: str, now: datetime) -> bool:
    """Set the account's `kind` credential to `secret` (hashed); return True when it was created, not changed."""
    cipher = keyring.cipher(conn, account_id)
    values = {"secret_hash": hash_secret(secret), "set_at": now, "set_by": by,
              "question_enc": cipher.seal(question, _aad(account_id)) if question else None}
    exists = conn.execute(select(account_credential.c.id).where(
        account_credential.c.account_id == account_id, account_credential.c.credential == kind)).first()
    if exists:
        conn.execute(update(account_credential).where(account_credential.c.id == exists.id).values(**values))
        return False
    conn.execute(insert(account_credential).values(account_id=account_id, credential=kind, **values))
    return True


def secrets_on_file(conn: Connection, keyring: Keyring, account_id: int) -> dict[str, StoredSecret]:
    """The account's credentials by kind (questions decrypted; never the secrets)."""
    rows = conn.execute(select(account_credential).where(account_credential.c.account_id == account_id)).all()
    if not rows:
        return {}
    cipher = keyring.cipher(conn, account_id)
    return {row.credential: StoredSecret(row.credential, cipher.open(row.question_enc, _aad(account_id))
                                   if row.question_enc else "", row.set_at, row.set_by) for row in rows}


def secret_holds(conn: Connection, account_id: int, kind: str, given: str) -> bool:
    """True when `given` is the account's `kind` credential."""
    found = conn.execute(select(account_credential.c.secret_hash).where(
        account_credential.c.account_id == account_id, account_credential.c.credential == kind)).scalar()
    return bool(found) and secret_matches(str(found), given)


def numbers_of(conn: Connection, keyring: Keyring, account_id: int) -> list[str]:
    """Every telephone number ever assigned to the account, decrypted."""
    rows = conn.execute(select(number_assignment.c.number_enc).where(number_assignment.c.account_id == account_id))
    cipher = keyring.cipher(conn, account_id)
    aad = payload.aad("number_assignment", "number", account_id)
    return [cipher.open(row.number_enc, aad) for row in rows]


def _aad(account_id: int) -> bytes:
    return payload.aad("account_credential", "question", account_id)
