"""The history of the address of record (47 CFR 64.2003(b): "an address that the carrier has associated
with the customer's account for at least 30 days"): sealed with the account's key, each with the time it
became the address of record, written when an account is created and when its e-mail changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from tests.builders.records import CANARY_EMAIL, CANARY_STREET, an_account

from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.kernel.email import InvalidEmail
from custodian.records import addresses
from custodian.records import store as records
from custodian.records.tables import address_of_record


def test_a_new_account_has_its_email_and_postal_address_of_record_sealed_with_when_they_became_so(
        engine: Engine, keyring: Keyring) -> None:
    since = utcnow() - timedelta(days=45)
    account_id = an_account(engine, keyring, address_since=since)
    with engine.connect() as conn:
        history = addresses.history_of(conn, keyring, account_id)
        stored = conn.execute(select(address_of_record.c.address_enc)).scalars().all()
    assert [(e.medium, e.became_at) for e in history] == [("email", since), ("postal", since)]
    assert history[0].address == CANARY_EMAIL and CANARY_STREET in history[1].address
    assert not any(CANARY_EMAIL.encode() in row or CANARY_STREET.encode() in row for row in stored)


def test_changing_the_email_adds_to_the_history_and_an_address_with_a_line_break_is_refused(
        engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    now = utcnow()
    with transaction(engine) as conn:
        records.set_holder_email(conn, keyring, account_id, "New.Address@Example.com", by="staff:rita", now=now)
        with pytest.raises(InvalidEmail):
            records.set_holder_email(conn, keyring, account_id, "a@example.com\r\nBcc: b@evil.example",
                                     by="staff:rita", now=now)
    with engine.connect() as conn:
        emails = [(e.address, e.became_at) for e in addresses.history_of(conn, keyring, account_id)
                  if e.medium == "email"]
        assert records.read_account(conn, keyring, account_id).email == "new.address@example.com"
    assert emails[-1] == ("new.address@example.com", now) and emails[0][0] == CANARY_EMAIL


def test_an_account_stored_before_the_history_was_kept_counts_its_address_from_its_creation(
        engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        conn.execute(address_of_record.delete())
        view = records.read_account(conn, keyring, account_id)
        history = addresses.history_or_since_creation(conn, keyring, account_id, view.email, view.address)
    assert {e.medium for e in history} == {"email", "postal"}
    assert all(utcnow() - e.became_at < timedelta(minutes=5) for e in history)
