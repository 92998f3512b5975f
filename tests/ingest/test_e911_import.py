"""Importing E911 registered addresses: stored encrypted, only for a number the account holds then."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.records import payload
from custodian.records.tables import e911_address
from tests.builders.files import NUMBERS_HEADER, csv_file, number_line
from tests.builders.records import an_account

E911_HEADER = "number,account_ref,street,city,state,postal_code,country,registered_at"


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, kind: str, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup(kind), path, actor="test")


def _numbers(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2")
    _import(engine, keyring, blobs, "numbers", csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550111", "ACC-1", "2024-01-01", "2024-06-01"),
        number_line("+15125550111", "ACC-2", "2024-07-01"),
    ]))


def test_a_registered_address_is_stored_encrypted_for_the_number_holder(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _numbers(engine, keyring, blobs, tmp_path)
    path = csv_file(tmp_path / "e911.csv", E911_HEADER, [
        "(512) 555-0111,ACC-1,12 Dispatch Way,Austin,TX,78701,US,2024-01-02"])
    summary = _import(engine, keyring, blobs, "e911", path)
    assert summary.as_json() == {"imported": 1, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        row = conn.execute(select(e911_address)).one()
        cipher = keyring.cipher(conn, row.account_id)
        assert row.number_bidx == keyring.blind_index(conn, "number", "+15125550111")
    assert cipher.open(row.street_enc, payload.aad("e911_address", "street", row.account_id)) == "12 Dispatch Way"
    assert row.country == "US"


def test_an_address_for_a_number_the_account_did_not_hold_then_is_rejected(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _numbers(engine, keyring, blobs, tmp_path)
    path = csv_file(tmp_path / "e911.csv", E911_HEADER, [
        "+15125550111,ACC-2,1 Elm St,Austin,TX,78701,US,2024-03-01",   # ACC-1 held it then
        "+15125550111,ACC-2,1 Elm St,Austin,TX,78701,US,2024-08-01",
        "+15125550111,NOPE,1 Elm St,Austin,TX,78701,US,2024-08-01",
        "+15125550111,ACC-2,,Austin,TX,78701,US,2024-08-01",
    ])
    summary = _import(engine, keyring, blobs, "e911", path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [(2, "number: not assigned to this account at registered_at"),
                              (4, "account_ref: no such account"), (5, "street: required")]


def test_importing_the_same_e911_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _numbers(engine, keyring, blobs, tmp_path)
    path = csv_file(tmp_path / "e911.csv", E911_HEADER, [
        "+15125550111,ACC-1,12 Dispatch Way,Austin,TX,78701,US,2024-01-02"])
    _import(engine, keyring, blobs, "e911", path)
    again = _import(engine, keyring, blobs, "e911", path)
    assert again.as_json() == {"imported": 0, "rejected": 0, "duplicates": 1, "errors": []}
