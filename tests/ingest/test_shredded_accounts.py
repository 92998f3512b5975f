"""A crypto-shredded account takes no new records: its rows are rejected by line, the rest still import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from tests.builders.files import COMMENTS_HEADER, asterisk_line, comment_line, csv_file, write_lines
from tests.builders.records import an_account


def test_rows_for_a_shredded_account_are_rejected_and_the_others_imported(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    gone = an_account(engine, keyring, ref="GONE-1")
    an_account(engine, keyring, ref="KEPT-1")
    with transaction(engine) as conn:
        keyring.shred(conn, gone)
    path = csv_file(tmp_path / "comments.csv", COMMENTS_HEADER, [
        comment_line("GONE-1", "2026-01-02T10:00:00", "called about a bill"),
        comment_line("KEPT-1", "2026-01-02T11:00:00", "called about a bill"),
    ])
    summary = run_import(engine, Keyring(keyring.master_key), blobs, lookup("comments"), path, actor="test")
    assert (summary.imported, summary.rejected) == (1, 1)
    assert summary.errors == [(2, "account_ref: the account was crypto-shredded and takes no new records")]


def test_call_records_naming_a_shredded_account_are_rejected_with_that_reason(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    gone = an_account(engine, keyring, ref="GONE-1")
    with transaction(engine) as conn:
        keyring.shred(conn, gone)
    path = write_lines(tmp_path / "Master.csv", [
        asterisk_line("5125550100", "8005551212", "2026-01-05 10:00:00", accountcode="GONE-1")])
    summary = run_import(engine, Keyring(keyring.master_key), blobs, lookup("calls"), path, actor="test")
    assert summary.errors == [(1, "account: the account was crypto-shredded and takes no new records")]
