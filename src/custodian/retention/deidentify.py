"""Closure de-identification: what a purge keeps for tax, accounting or disputes stays without a person.

SpectrumVoIP "normally deletes or de-identifies all data from a customer's account within 30-45 days of
account closure" (seed 002, Data Request Guidelines VII). The policy names the classes kept
(`retention.on_closure.deidentify`); for them the purge, after shredding the account's data key,
clears every identifying column of the kept rows (references, instrument links, record keys derived
from the source records) and leaves amounts, currency, dates, methods and states. Every other row is
deleted, and the account row becomes a shell under a random pseudonym with its personal fields gone.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable

from sqlalchemy import Connection, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from custodian.crypto.keyring import Keyring
from custodian.records.tables import account, billing_transaction
from custodian.retention.tables import account_purge

PSEUDONYM_PREFIX = "deidentified-"


def deidentify_kept(conn: Connection, account_id: int, classes: Iterable[str]) -> dict[str, int]:
    """Clear the identifying columns of the account's kept rows; return how many rows each class keeps."""
    kept: dict[str, int] = {}
    if "billing.transactions" in set(classes):
        mine = billing_transaction.c.account_id == account_id
        conn.execute(update(billing_transaction).where(mine).values(
            reference=None, instrument_id=None, record_key=_random_key(conn)))
        count = conn.execute(select(func.count()).select_from(billing_transaction).where(mine)).scalar_one()
        kept["billing.transactions"] = int(count)
    return kept


def record_kept(conn: Connection, account_id: int, run_id: int, kept: dict[str, int]) -> None:
    """Remember, in the purge's row, what this run kept de-identified (the receipt reports it)."""
    conn.execute(update(account_purge).where(account_purge.c.account_id == account_id)
                 .values(run_id=run_id, deidentified=json.dumps(dict(sorted(kept.items())))))


def reference_index(conn: Connection, keyring: Keyring, account_id: int) -> bytes:
    """The blind index of the account's reference (the purge replaces the reference; the index lets the accounts
    importer refuse the purged customer's row, and stores no reference)."""
    ref = conn.execute(select(account.c.ref).where(account.c.id == account_id)).scalar_one()
    return keyring.blind_index(conn, "account_ref", ref)


def purged_index(conn: Connection, account_id: int) -> bytes | None:
    """The reference index a purge of `account_id` recorded, if any."""
    return conn.execute(select(account_purge.c.ref_bidx).where(account_purge.c.account_id == account_id)).scalar()


def purged_account_of(conn: Connection, keyring: Keyring, ref: str) -> int | None:
    """The purged account that had reference `ref`, if any."""
    token = keyring.blind_index(conn, "account_ref", ref)
    return conn.execute(select(account_purge.c.account_id).where(account_purge.c.ref_bidx == token)).scalar()


def make_shells(conn: Connection, account_ids: list[int]) -> None:
    """Each purged account keeps only a random pseudonym, its kind, profile, status and closing date."""
    for account_id in account_ids:
        conn.execute(update(account).where(account.c.id == account_id, ~account.c.ref.startswith(PSEUDONYM_PREFIX))
                     .values(ref=PSEUDONYM_PREFIX + secrets.token_hex(12), company_enc=None, signup_on=None,
                             controller=None))


def kept_in_run(conn: Connection, run_id: int) -> dict[str, dict[str, int]]:
    """What each account purged by `run_id` kept de-identified: {account id: {record class: rows}}."""
    rows = conn.execute(select(account_purge.c.account_id, account_purge.c.deidentified)
                        .where(account_purge.c.run_id == run_id, account_purge.c.deidentified.is_not(None)))
    return {str(account_id): json.loads(text) for account_id, text in rows if json.loads(text)}


def _random_key(conn: Connection) -> ColumnElement[bytes]:
    """A fresh random 16-byte key per row: the old one was derived from the source record."""
    if conn.dialect.name == "postgresql":
        return func.uuid_send(func.gen_random_uuid())
    return func.randomblob(16)
