"""Importing the number assignment history: E.164 numbers, never held by two accounts at once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.records import NumberRow
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.ingest.writers.numbers import NUMBER_LOCK, NumberWriter
from custodian.records import payload
from custodian.records.tables import number_assignment
from tests.builders.files import NUMBERS_HEADER, csv_file, number_line
from tests.builders.records import an_account


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("numbers"), path, actor="test")


def test_any_dialable_number_format_is_stored_as_e164(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line('"(512) 555-0101"', "ACC-1", "2024-01-01"),
        number_line("512.555.0102", "ACC-1", "2024-01-01"),
        number_line('"+1 512 555 0103"', "ACC-1", "2024-01-01"),
        number_line("15125550104", "ACC-1", "2024-01-01", extension="204"),
        number_line("+44 20 7946 0958", "ACC-1", "2024-01-01T12:00:00+01:00", "2024-02-01"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 5, "rejected": 0, "duplicates": 0, "errors": []}
    aad = payload.aad("number_assignment", "number", account_id)
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        rows = conn.execute(select(number_assignment).order_by(number_assignment.c.id)).all()
        tokens = [keyring.blind_index(conn, "number", "+15125550101")]
    assert [cipher.open(row.number_enc, aad) for row in rows] == [
        "+15125550101", "+15125550102", "+15125550103", "+15125550104", "+442079460958"]
    assert rows[0].number_bidx == tokens[0]
    assert rows[3].extension == "204"
    assert (rows[4].assigned_from, rows[4].assigned_to) == (
        datetime(2024, 1, 1, 11, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC))


def test_an_overlapping_assignment_of_the_same_number_is_rejected_with_its_line(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2")
    path = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550111", "ACC-1", "2024-01-01", "2024-03-01"),
        number_line("+15125550111", "ACC-2", "2024-03-01"),
        number_line("(512) 555-0111", "ACC-2", "2024-02-15", "2024-02-20"),
        number_line("+15125550112", "ACC-1", "2024-01-01"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 3
    assert len(summary.errors) == 1
    line, reason = summary.errors[0]
    assert line == 4
    assert reason.startswith("number: overlaps an existing assignment of this number")


def test_bad_number_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550111", "ACC-1", "2024-01-01"),
        number_line("555", "ACC-1", "2024-01-01"),
        number_line("+15125550112", "ACC-1", "2024-03-01", "2024-02-01"),
        number_line("+15125550113", "ACC-404", "2024-01-01"),
        number_line("+15125550114", "ACC-1", ""),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [(3, "number: not a dialable phone number"),
                                      (4, "assigned_to: must be after assigned_from"),
                                      (5, "account_ref: no such account"),
                                      (6, "assigned_from: required")]


def test_importing_the_same_numbers_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550111", "ACC-1", "2024-01-01", "2024-03-01"),
        number_line("+15125550112", "ACC-1", "2024-01-01")])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)


def test_a_row_giving_a_number_a_second_holder_from_the_same_moment_is_rejected_with_its_line(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    # The keys lead with account_id (Citus, migration 0030): no constraint spans accounts, so the importer refuses.
    holder = an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2")
    path = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550121", "ACC-1", "2024-01-01"),
        number_line("+15125550121", "ACC-2", "2024-01-01"),
        number_line("+15125550122", "ACC-2", "2024-01-01"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert (summary.imported, summary.errors) == (2, [(3, (
        "number: overlaps an existing assignment of this number (2024-01-01T00:00:00+00:00 to open-ended); "
        "another account holds it then, and a number has one holder at a time"))])
    with transaction(engine) as conn:
        token = keyring.blind_index(conn, "number", "+15125550121")
        holders = conn.execute(select(number_assignment.c.account_id)
                               .where(number_assignment.c.number_bidx == token)).scalars().all()
    assert holders == [holder]


def test_a_later_import_cannot_give_a_held_number_a_second_holder(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2")
    _import(engine, keyring, blobs, csv_file(tmp_path / "first.csv", NUMBERS_HEADER, [
        number_line("+15125550131", "ACC-1", "2024-01-01", "2024-06-01")]))
    summary = _import(engine, keyring, blobs, csv_file(tmp_path / "second.csv", NUMBERS_HEADER, [
        number_line("+15125550131", "ACC-2", "2024-06-01"),
        number_line("+15125550131", "ACC-2", "2024-01-01", "2024-02-01"),
    ]))
    assert summary.imported == 1
    assert [(line, reason.endswith("a number has one holder at a time")) for line, reason in summary.errors] == [
        (3, True)]


def test_an_account_overlapping_its_own_assignment_is_refused_as_an_overlap_alone(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    summary = _import(engine, keyring, blobs, csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550141", "ACC-1", "2024-01-01"),
        number_line("+15125550141", "ACC-1", "2024-01-01", "2024-02-01"),
    ]))
    assert summary.errors == [(3, "number: overlaps an existing assignment of this number "
                                  "(2024-01-01T00:00:00+00:00 to open-ended)")]


def test_a_numbers_batch_holds_the_assignment_lock_until_it_commits_so_two_imports_cannot_both_assign(
        engine: Engine, keyring: Keyring) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the second transaction starts after the first commits")
    an_account(engine, keyring, ref="ACC-1")
    row = NumberRow("+15125550151", "ACC-1", "", datetime(2024, 1, 1, tzinfo=UTC), None, "")
    probe = "SELECT pg_try_advisory_xact_lock(:space, :key)"
    lock = {"space": NUMBER_LOCK[0], "key": NUMBER_LOCK[1]}
    with engine.connect() as writing, engine.connect() as other:
        with writing.begin():
            assert NumberWriter(keyring=keyring).write(writing, [(2, row)]).imported == 1
            with other.begin():
                assert other.execute(text(probe), lock).scalar() is False
        with other.begin():
            assert other.execute(text(probe), lock).scalar() is True
