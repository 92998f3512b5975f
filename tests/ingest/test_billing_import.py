"""Importing billing: transactions with cards only as brand and last four; never a full number."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.db.metadata import metadata
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.records.tables import billing_transaction, payment_instrument
from tests.builders.files import BILLING_HEADER, billing_line, csv_file
from tests.builders.records import an_account

FULL_CARD = "4111111111111111"


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("billing"), path, actor="test")


def test_good_billing_rows_are_imported_and_a_card_becomes_one_instrument(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "billing.csv", BILLING_HEADER, [
        billing_line("ACC-1", "2024-05-01", "INV-1001"),
        billing_line("ACC-1", "2024-06-01T09:30:00Z", "INV-1002", brand="VISA"),
        billing_line("ACC-1", "2024-07-01", "INV-1003", method="ach", brand="", last4="",
                     amount="-500", currency="usd", state="refunded"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 3, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        instruments = conn.execute(select(payment_instrument)).all()
        rows = conn.execute(select(billing_transaction)
                            .order_by(billing_transaction.c.occurred_at)).all()
    assert [(i.account_id, i.brand, i.last4) for i in instruments] == [(account_id, "visa", "4242")]
    assert [r.instrument_id for r in rows] == [instruments[0].id, instruments[0].id, None]
    assert [r.id for r in rows] == [1, 2, 3]  # keyed (account_id, id): ids still come from the database
    assert [(r.reference, r.amount_cents, r.currency, r.method, r.state) for r in rows][2] == (
        "INV-1003", -500, "USD", "ach", "refunded")


def test_a_full_card_number_in_any_field_rejects_the_row_and_is_never_stored(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    spaced = "4111 1111 1111 1111"
    path = csv_file(tmp_path / "billing.csv", BILLING_HEADER, [
        billing_line("ACC-1", "2024-05-01", "INV-1", last4=FULL_CARD),
        billing_line("ACC-1", "2024-05-01", f"paid with {spaced}"),
        billing_line("ACC-1", "2024-05-01", "INV-3", method="other", brand="", last4="",
                     state=FULL_CARD),
        billing_line("ACC-1", "2024-05-01", "INV-4"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [(2, "full card numbers are not accepted"),
                              (3, "full card numbers are not accepted"),
                              (4, "full card numbers are not accepted")]
    with transaction(engine) as conn:
        stored = " ".join(str(row) for table in metadata.sorted_tables
                          for row in conn.execute(select(table)).all())
    for text in (stored, str(summary.as_json())):
        assert FULL_CARD not in text and spaced not in text


def test_bad_billing_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "billing.csv", BILLING_HEADER, [
        billing_line("ACC-1", "2024-05-01", "INV-1"),
        billing_line("ACC-1", "2024-05-01", "INV-2", last4="424"),
        billing_line("ACC-1", "2024-05-01", "INV-3", last4="42a2"),
        billing_line("ACC-1", "2024-05-01", "INV-4", brand=""),
        billing_line("ACC-1", "2024-05-01", "INV-5", last4=""),
        billing_line("ACC-1", "2024-05-01", "INV-6", method="cash"),
        billing_line("ACC-1", "2024-05-01", "INV-7", amount="12.50"),
        billing_line("ACC-1", "2024-05-01", "INV-8", currency="dollars"),
        billing_line("ACC-404", "2024-05-01", "INV-9"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [
        (3, "card_last4: must be exactly 4 digits"),
        (4, "card_last4: must be exactly 4 digits"),
        (5, "card_brand: required for method card"),
        (6, "card_last4: required for method card"),
        (7, "card_brand/card_last4: only for method card"),
        (8, "amount_cents: must be a whole number of cents"),
        (9, "currency: must be a three-letter ISO 4217 code"),
        (10, "account_ref: no such account"),
    ]


def test_importing_the_same_billing_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "billing.csv", BILLING_HEADER, [
        billing_line("ACC-1", "2024-05-01", "INV-1"),
        billing_line("ACC-1", "2024-06-01", "INV-2", brand="amex", last4="0005"),
    ])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    with transaction(engine) as conn:
        assert len(conn.execute(select(billing_transaction)).all()) == 2
        assert len(conn.execute(select(payment_instrument)).all()) == 2
