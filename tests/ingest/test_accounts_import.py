"""Importing accounts: each new reference gets an account and its own data key."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.records import store
from custodian.records.tables import account
from tests.builders.files import ACCOUNTS_HEADER, account_line, csv_file


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("accounts"), path, actor="test")


def test_good_account_rows_are_imported_with_personal_fields_encrypted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [
        account_line("ACC-1", email="Ada@Example.com"),
        account_line("ACC-2", kind="business", company="Engines Ltd"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 2, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        first_id = store.account_id_by_ref(conn, "ACC-1")
        assert first_id is not None
        first = store.read_account(conn, keyring, first_id)
        second_id = store.account_id_by_ref(conn, "ACC-2")
        assert second_id is not None
        second = store.read_account(conn, keyring, second_id)
    assert (first.first_name, first.email, first.contact_phone) == (
        "Ada", "ada@example.com", "+15125550100")
    assert (second.kind, second.company) == ("business", "Engines Ltd")


def test_closed_on_is_required_exactly_when_the_account_is_closed(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [
        account_line("ACC-1", status="closed", closed_on="2024-06-30"),
        account_line("ACC-2", status="closed"),
        account_line("ACC-3", status="active", closed_on="2024-06-30"),
        account_line("ACC-4", status="suspended"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 2
    assert sorted(summary.errors) == [(3, "closed_on: required when status is closed"),
                                      (4, "closed_on: must be empty unless status is closed")]
    with transaction(engine) as conn:
        rows = conn.execute(select(account.c.ref, account.c.status).order_by(account.c.ref)).all()
    assert [tuple(row) for row in rows] == [("ACC-1", "closed"), ("ACC-4", "suspended")]


def test_bad_account_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [
        account_line("ACC-1"),
        account_line("ACC-2", kind="business"),
        account_line("ACC-3", email="not-an-address"),
        account_line("ACC-4", first="", last=""),
        account_line("ACC-5", kind="alien"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [
        (3, "company: required for business accounts"),
        (4, "email: not an e-mail address"),
        (5, "first_name/last_name: a name or company is required"),
        (6, "kind: must be one of business, residential"),
    ]
    assert "not-an-address" not in str(summary.as_json())


def test_an_email_with_a_line_break_is_refused_at_import_so_no_mail_header_can_be_injected(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """RFC 5322 2.2: a header field "MUST NOT include CR and LF except when used in folding"."""
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [
        account_line("ACC-1", email='"ada@example.com\r\nBcc: thief@evil.example"'),
        account_line("ACC-2", email='"ada@example.com\nBcc: thief@evil.example"'),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 0 and {problem for _, problem in summary.errors} == {
        "email: not an e-mail address (contains a control character (a line break, tab or similar))"}
    assert "evil" not in str(summary.as_json())


def test_importing_the_same_accounts_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER,
                    [account_line("ACC-1"), account_line("ACC-2")])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
