"""Importing SMS: log entry and body, both encrypted, idempotent."""

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
from custodian.records.tables import content_item, sms_log
from tests.builders.files import SMS_HEADER, csv_file, sms_line
from tests.builders.records import an_account

OWN = "+15125550100"
OTHER = "+15125550199"


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("sms"), path, actor="test")


def test_good_sms_rows_are_imported_with_numbers_and_body_encrypted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "sms.csv", SMS_HEADER, [
        sms_line("ACC-1", "out", "(512) 555-0100", OTHER, "2024-05-01T10:00:00Z",
                 body='Hi, "Bo"'),
        sms_line("ACC-1", "in", OTHER, OWN, "2024-05-01T10:01:00", segments="2"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 2, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        logs = conn.execute(select(sms_log).order_by(sms_log.c.sent_at)).all()
        bodies = conn.execute(select(content_item).order_by(content_item.c.occurred_at)).all()
    assert [log.direction for log in logs] == ["out", "in"]
    assert logs[1].segments == 2
    assert logs[1].sent_at == datetime(2024, 5, 1, 10, 1, tzinfo=UTC)
    opened = payload.decode(payload.SMS_FIELDS, cipher.open(
        logs[0].payload_enc, payload.aad("sms_log", "payload", account_id)))
    assert opened == {"own": OWN, "counterpart": OTHER, "from": OWN, "to": OTHER}
    assert [body.kind for body in bodies] == ["sms_body", "sms_body"]
    assert [body.record_key for body in bodies] == [log.record_key for log in logs]
    assert cipher.open(bodies[0].inline_enc,
                       payload.aad("content_item", "inline", account_id)) == 'Hi, "Bo"'
    assert cipher.open(bodies[1].payload_enc,
                       payload.aad("content_item", "payload", account_id)) == OTHER


def test_bad_sms_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "sms.csv", SMS_HEADER, [
        sms_line("ACC-1", "out", OWN, OTHER, "2024-05-01T10:00:00Z"),
        sms_line("ACC-1", "sideways", OWN, OTHER, "2024-05-01T10:00:00Z"),
        sms_line("ACC-1", "out", OWN, "not a number", "2024-05-01T10:00:00Z"),
        sms_line("ACC-1", "out", OWN, OTHER, "yesterday"),
        sms_line("ACC-1", "out", OWN, OTHER, "2024-05-01", segments="0"),
        sms_line("ACC-404", "out", OWN, OTHER, "2024-05-01"),
        "ACC-1,out",
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert summary.rejected == 6
    reasons = dict(summary.errors)
    assert reasons[3].startswith("direction: must be one of")
    assert reasons[4].startswith("to_number:")
    assert reasons[5].startswith("sent_at:")
    assert reasons[6] == "segments: must be at least 1"
    assert reasons[7] == "account_ref: no such account"
    assert reasons[8] == "expected 7 fields, found 2"
    assert not any("not a number" in reason for reason in reasons.values())


def test_an_sms_from_a_short_code_is_accepted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "sms.csv", SMS_HEADER,
                    [sms_line("ACC-1", "in", "72345", OWN, "2024-05-01T10:00:00Z")])
    assert _import(engine, keyring, blobs, path).imported == 1


def test_importing_the_same_sms_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "sms.csv", SMS_HEADER, [
        sms_line("ACC-1", "out", OWN, OTHER, "2024-05-01T10:00:00Z"),
        sms_line("ACC-1", "in", OTHER, OWN, "2024-06-01T10:00:00Z"),
    ])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    with transaction(engine) as conn:
        assert len(conn.execute(select(sms_log)).all()) == 2
        assert len(conn.execute(select(content_item)).all()) == 2
