"""Importing support comment logs: text encrypted, idempotent."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.records import payload
from custodian.records.tables import comment_log
from tests.builders.files import COMMENTS_HEADER, comment_line, csv_file
from tests.builders.records import an_account


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("comments"), path, actor="test")


def test_good_comment_rows_are_imported_with_the_text_encrypted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "comments.csv", COMMENTS_HEADER, [
        comment_line("ACC-1", "2024-05-01T10:00:00", "Customer asked about \"porting\", line 2"),
        comment_line("ACC-1", "2024-05-02", "Called back", author="rep.smith"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 2, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        rows = conn.execute(select(comment_log).order_by(comment_log.c.written_at)).all()
        texts = [cipher.open(r.text_enc, payload.aad("comment_log", "text", account_id))
                 for r in rows]
    assert texts == ['Customer asked about "porting", line 2', "Called back"]
    assert [r.author for r in rows] == ["rep.jones", "rep.smith"]
    assert rows[1].written_at == datetime(2024, 5, 2, tzinfo=UTC)


def test_bad_comment_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "comments.csv", COMMENTS_HEADER, [
        comment_line("ACC-1", "2024-05-01", "Fine"),
        comment_line("ACC-1", "2024-05-01", "  "),
        comment_line("ACC-1", "May 1st", "Secret remark"),
        comment_line("ACC-1", "2024-05-01", "Long author", author="x" * 121),
        comment_line("ACC-404", "2024-05-01", "Nobody"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [(3, "text: required"),
                              (4, "written_at: not an ISO 8601 date or time"),
                              (5, "author: longer than 120 characters"),
                              (6, "account_ref: no such account")]


def test_importing_the_same_comments_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "comments.csv", COMMENTS_HEADER, [
        comment_line("ACC-1", "2024-05-01", "One"), comment_line("ACC-1", "2024-05-01", "Two")])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    with transaction(engine) as conn:
        assert len(conn.execute(select(comment_log)).all()) == 2
