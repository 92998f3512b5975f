"""Importing call-detail records in the Custodian calls CSV (account and direction given)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.records import store
from custodian.records.tables import call_log
from tests.builders.files import CALLS_HEADER, csv_file, custodian_call_line
from tests.builders.records import an_account

OWN = "+15125550100"
OTHER = "+15125550199"


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("calls", "custodian"), path, actor="test")


def test_good_custodian_call_rows_are_imported_with_their_direction(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "calls.csv", CALLS_HEADER, [
        custodian_call_line("ACC-1", "out", "512-555-0100", "(512) 555-0199",
                            "2024-05-01T10:00:00", answered_at="2024-05-01T10:00:05",
                            ended_at="2024-05-01T10:01:05"),
        custodian_call_line("ACC-1", "in", OWN, OTHER, "2024-05-02T10:00:00-05:00",
                            disposition="no answer", billsec="0"),
        custodian_call_line("ACC-1", "internal", OWN, "+15125550101", "2024-05-03"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 3, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        internal, inbound, outbound = store.calls_of(conn, keyring, account_id)
        rows = conn.execute(select(call_log).order_by(call_log.c.started_at)).all()
    assert (outbound.direction, outbound.detail["src"], outbound.detail["dst"]) == (
        "out", OWN, OTHER)
    assert (inbound.direction, inbound.detail["src"], inbound.detail["dst"]) == ("in", OTHER, OWN)
    assert (inbound.detail["own"], inbound.detail["counterpart"]) == (OWN, OTHER)
    assert (inbound.disposition, internal.direction) == ("NO ANSWER", "internal")
    assert [row.started_at for row in rows] == [datetime(2024, 5, 1, 10, tzinfo=UTC),
                                                datetime(2024, 5, 2, 15, tzinfo=UTC),
                                                datetime(2024, 5, 3, tzinfo=UTC)]
    assert rows[0].answered_at == datetime(2024, 5, 1, 10, 0, 5, tzinfo=UTC)
    assert {row.source_format for row in rows} == {"custodian"}


def test_bad_custodian_call_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "calls.csv", CALLS_HEADER, [
        custodian_call_line("ACC-1", "out", OWN, OTHER, "2024-05-01T10:00:00"),
        custodian_call_line("ACC-1", "forward", OWN, OTHER, "2024-05-01T10:00:00"),
        custodian_call_line("ACC-1", "out", "12", OTHER, "2024-05-01T10:00:00"),
        custodian_call_line("", "out", OWN, OTHER, "2024-05-01T10:00:00"),
        custodian_call_line("ACC-1", "out", OWN, OTHER, "2024-05-01T10:00:00",
                            ended_at="2024-05-01T09:00:00"),
        custodian_call_line("ACC-1", "out", OWN, OTHER, "2024-05-01T10:00:00", duration="-3"),
        custodian_call_line("ACC-404", "out", OWN, OTHER, "2024-05-01T10:00:00"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [
        (3, "direction: must be one of in, internal, out"),
        (4, "own_number: not a dialable phone number"),
        (5, "account_ref: required"),
        (6, "ended_at: before started_at"),
        (7, "duration_s: must be at least 0"),
        (8, "account: no such account"),
    ]


def test_importing_the_same_custodian_calls_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "calls.csv", CALLS_HEADER, [
        custodian_call_line("ACC-1", "out", OWN, OTHER, "2024-05-01T10:00:00"),
        custodian_call_line("ACC-1", "in", OWN, OTHER, "2024-07-01T10:00:00")])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
