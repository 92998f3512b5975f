"""A closure purge de-identifies what the policy keeps for tax, accounting or disputes, and deletes the rest.

SpectrumVoIP: "SpectrumVoIP normally deletes or de-identifies all data from a customer's account within 30-45
days of account closure" (Data Request Guidelines VII); billing history is kept "as necessary to comply with our
legal obligations, resolve disputes, and enforce our agreements".
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.db.metadata import metadata
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records.tables import account, billing_transaction, payment_instrument, person, postal_address
from custodian.retention import hold_service
from custodian.retention.executor import RunResult, run_retention
from custodian.retention.rules import Schedule
from custodian.retention.service import receipts
from tests.builders.files import BILLING_HEADER, billing_line, csv_file
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.retention import add_call, spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
REF, INVOICE = "ACC-7731", "INV-CANARY-55190"
KEPT_COLUMNS = (billing_transaction.c.occurred_at, billing_transaction.c.amount_cents, billing_transaction.c.currency,
                billing_transaction.c.method, billing_transaction.c.state)


def _closed_customer(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> int:
    """An account with two card payments and a call, closed on 1 May 2026 (due for purge from 31 May)."""
    acc = an_account(engine, keyring, ref=REF)
    path = csv_file(tmp_path / "billing.csv", BILLING_HEADER, [
        billing_line(REF, "2026-03-01T09:00:00Z", INVOICE, amount="2999", last4="7731"),
        billing_line(REF, "2026-04-01T09:00:00Z", INVOICE + "-2", amount="-500", state="refunded", last4="7731")])
    assert run_import(engine, Keyring(keyring.master_key), blobs, lookup("billing"), path, actor="test").imported == 2
    with transaction(engine) as conn:
        add_call(conn, acc, NOW - timedelta(days=40))
        conn.execute(update(account).where(account.c.id == acc).values(status="closed", closed_on=date(2026, 5, 1)))
    return acc


def _run(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, schedule: Schedule | None = None,
         now: datetime = NOW) -> RunResult:
    return run_retention(engine, Keyring(keyring.master_key), blobs, schedule or spectrumvoip_schedule(),
                         policy_hash="t", now=now, actor="test")


def _billing(engine: Engine, acc: int) -> list[Any]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(*KEPT_COLUMNS, billing_transaction.c.reference, billing_transaction.c.instrument_id,
                   billing_transaction.c.record_key)
            .where(billing_transaction.c.account_id == acc).order_by(billing_transaction.c.occurred_at))]


def _every_value(engine: Engine) -> str:
    """Every stored value of every table, as text (ciphertext included, as its bytes)."""
    seen = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                seen.extend(value.decode("latin-1") if isinstance(value, bytes) else str(value) for value in row)
    return "\n".join(seen)


def test_after_a_closure_purge_nothing_identifying_is_readable_and_the_amounts_and_dates_stay(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    acc = _closed_customer(engine, keyring, blobs, tmp_path)
    before = _billing(engine, acc)
    result = _run(engine, keyring, blobs)
    after = _billing(engine, acc)
    assert [row[:5] for row in after] == [row[:5] for row in before]  # dates, amounts, currency, method, state
    assert [row[5:7] for row in after] == [(None, None), (None, None)]  # reference and instrument link cleared
    assert not {row[7] for row in after} & {row[7] for row in before}  # record keys derived from the source: new
    with engine.connect() as conn:
        with pytest.raises(AccountShredded):
            Keyring(keyring.master_key).cipher(conn, acc)
        shell = conn.execute(select(account).where(account.c.id == acc)).one()
        for table in (person, postal_address, payment_instrument):
            assert conn.execute(select(table).where(table.c.account_id == acc)).all() == []
    assert shell.ref.startswith("deidentified-") and (shell.company_enc, shell.signup_on) == (None, None)
    assert (shell.status, shell.closed_on) == ("closed", date(2026, 5, 1))
    # SHA-256 digests (the audit chain's hashes) are hex and may contain "7731" by chance; they hold no plaintext
    stored = re.sub(r"\b[0-9a-f]{64}\b", "<digest>", _every_value(engine))
    for identifying in (REF, INVOICE, "7731", CANARY_EMAIL):
        assert identifying not in stored
    with engine.connect() as conn:
        receipt = receipts(conn)[0]
    assert receipt.run_id == result.run_id
    assert receipt.deidentified == {str(acc): {"billing.transactions": 2}}
    assert receipt.accounts[str(acc)]["billing.payment_instrument"] == 1
    assert "billing.transactions" not in receipt.deleted


def test_running_the_purge_again_changes_nothing(engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
                                                 tmp_path: Path) -> None:
    acc = _closed_customer(engine, keyring, blobs, tmp_path)
    _run(engine, keyring, blobs)
    with engine.connect() as conn:
        pseudonym = conn.execute(select(account.c.ref).where(account.c.id == acc)).scalar_one()
    kept = _billing(engine, acc)
    again = _run(engine, keyring, blobs, now=NOW + timedelta(days=1))
    assert (again.deleted, again.counts) == (0, {})
    assert _billing(engine, acc) == kept
    with engine.connect() as conn:
        assert conn.execute(select(account.c.ref).where(account.c.id == acc)).scalar_one() == pseudonym
        assert receipts(conn)[0].deidentified == {}


def test_a_policy_that_keeps_nothing_deletes_the_billing_history_too(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    acc = _closed_customer(engine, keyring, blobs, tmp_path)
    result = _run(engine, keyring, blobs, replace(spectrumvoip_schedule(), deidentify=frozenset()))
    assert _billing(engine, acc) == []
    assert result.counts[acc]["billing.transactions"] == 2
    with engine.connect() as conn:
        assert conn.execute(select(account.c.ref).where(account.c.id == acc)).scalar_one().startswith("deidentified-")


def test_a_held_closed_account_keeps_its_billing_identifiable_until_the_hold_ends(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """A legal hold keeps records from retention; de-identification waits for the purge after the hold."""
    acc = _closed_customer(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        hold_service.place_hold(conn, account_id=acc, until=NOW + timedelta(days=10), reason="preservation",
                                source="cli", actor="test", now=NOW - timedelta(days=1),
                                classes=["subscriber.basic"])
    _run(engine, keyring, blobs)
    assert [row[5] for row in _billing(engine, acc)] == [INVOICE, INVOICE + "-2"]
    _run(engine, keyring, blobs, now=NOW + timedelta(days=11))
    assert [row[5:7] for row in _billing(engine, acc)] == [(None, None), (None, None)]
