"""Importing FreeSWITCH mod_cdr_csv call-detail records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.parse import ParseOptions
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.kernel.timeparse import zone
from custodian.records import store
from custodian.records.tables import call_log
from tests.builders.files import NUMBERS_HEADER, csv_file, freeswitch_line, number_line, write_lines
from tests.builders.records import an_account

OWN = "+15125550100"
OTHER = "+15125550199"


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path,
            options: ParseOptions | None = None) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("calls", "freeswitch"), path, actor="test",
                      options=options)


def _first_fields(line: str, count: int) -> str:
    return ",".join(line.split(",")[:count])


def test_good_freeswitch_rows_are_imported_with_13_14_or_15_fields(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        freeswitch_line(OWN, "5125550199", "2024-05-01 10:00:00", accountcode="ACC-1",
                        end="2024-05-01 10:01:05", uuid="uuid-1"),
        freeswitch_line(OWN, OTHER, "2024-05-01 11:00:00", accountcode="ACC-1", codecs=False),
        _first_fields(freeswitch_line(OWN, OTHER, "2024-05-01 12:00:00", accountcode="ACC-1"), 14),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 3, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        calls = store.calls_of(conn, keyring, account_id)
        rows = conn.execute(select(call_log).order_by(call_log.c.started_at)).all()
    first = calls[-1]
    assert (first.direction, first.disposition, first.duration_s, first.billsec_s) == (
        "out", "NORMAL_CLEARING", 65, 60)
    assert (first.detail["own"], first.detail["counterpart"]) == (OWN, OTHER)
    assert (first.detail["src"], first.detail["dst"]) == (OWN, OTHER)
    assert (first.detail["clid"], first.detail["dcontext"], first.detail["uniqueid"]) == (
        "Ada Lovelace", "default", "uuid-1")
    assert {row.source_format for row in rows} == {"freeswitch"}
    assert rows[0].ended_at == datetime(2024, 5, 1, 10, 1, 5, tzinfo=UTC)


def test_an_unanswered_freeswitch_call_has_no_answer_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        freeswitch_line(OTHER, OWN, "2024-05-01 10:00:00", answer="", accountcode="ACC-1",
                        cause="no_answer")])
    assert _import(engine, keyring, blobs, path).imported == 1
    with transaction(engine) as conn:
        row = conn.execute(select(call_log)).one()
    assert (row.answered_at, row.disposition, row.billsec_s) == (None, "NO_ANSWER", 0)


def test_freeswitch_times_are_read_in_the_switch_zone_and_stored_in_utc(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        freeswitch_line(OWN, OTHER, "2024-07-01 12:00:00", accountcode="ACC-1",
                        end="2024-07-01 12:01:05"),
        freeswitch_line(OWN, OTHER, "2024-01-15 23:30:00", accountcode="ACC-1")])
    chicago = ParseOptions(zone=zone("America/Chicago"), base_dir=tmp_path)
    assert _import(engine, keyring, blobs, path, chicago).imported == 2
    with transaction(engine) as conn:
        rows = conn.execute(select(call_log).order_by(call_log.c.started_at)).all()
    assert [row.started_at for row in rows] == [datetime(2024, 1, 16, 5, 30, tzinfo=UTC),
                                                datetime(2024, 7, 1, 17, 0, tzinfo=UTC)]
    assert rows[1].answered_at == datetime(2024, 7, 1, 17, 0, tzinfo=UTC)
    assert rows[1].ended_at == datetime(2024, 7, 1, 17, 1, 5, tzinfo=UTC)


def test_a_freeswitch_call_without_accountcode_goes_to_the_number_holder(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    numbers = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER,
                       [number_line(OWN, "ACC-1", "2024-01-01")])
    run_import(engine, keyring, blobs, lookup("numbers"), numbers, actor="test")
    path = write_lines(tmp_path / "Master.csv", [
        freeswitch_line(OTHER, "5125550100", "2024-05-01 10:00:00")])
    assert _import(engine, keyring, blobs, path).imported == 1
    with transaction(engine) as conn:
        (call,) = store.calls_of(conn, keyring, account_id)
    assert (call.direction, call.detail["own"], call.detail["counterpart"]) == ("in", OWN, OTHER)


def test_bad_freeswitch_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    good = freeswitch_line(OWN, OTHER, "2024-05-01 10:00:00", accountcode="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        good,
        _first_fields(good, 12),
        freeswitch_line(OWN, OTHER, "01/05/2024 10:00", accountcode="ACC-1"),
        freeswitch_line(OWN, OTHER, "2024-05-01 10:00:00", accountcode="ACC-1", cause=""),
        freeswitch_line(OWN, OTHER, "2024-05-01 10:00:00", accountcode="ACC-404"),
        good.replace('"65"', '"sixty"'),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [(2, "expected 13 to 15 fields, found 12"),
                              (3, "start_stamp: not a date-time (YYYY-MM-DD HH:MM:SS)"),
                              (4, "hangup_cause: required"),
                              (5, "account: no such account"),
                              (6, "duration: must be a whole number of seconds")]


def test_importing_the_same_freeswitch_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        freeswitch_line(OWN, OTHER, "2024-05-01 10:00:00", accountcode="ACC-1"),
        freeswitch_line(OWN, OTHER, "2024-06-01 10:00:00", accountcode="ACC-1", answer="")])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
