"""Importing Asterisk Master.csv: account by accountcode or by who held the number at the time."""

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
from tests.builders.files import NUMBERS_HEADER, asterisk_line, csv_file, number_line, write_lines
from tests.builders.records import an_account

SHARED = "+15125550111"
OUTSIDE = "+12125550123"


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path,
            options: ParseOptions | None = None) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("calls", "asterisk"), path, actor="test",
                      options=options)


def _numbers(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
             rows: list[str]) -> None:
    path = csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, rows)
    summary = run_import(engine, keyring, blobs, lookup("numbers"), path, actor="test")
    assert summary.rejected == 0


def test_asterisk_calls_with_an_accountcode_go_to_that_account(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    first = an_account(engine, keyring, ref="ACC-1")
    second = an_account(engine, keyring, ref="ACC-2")
    path = write_lines(tmp_path / "Master.csv", [
        asterisk_line("5125550100", OUTSIDE, "2024-05-01 10:00:00", accountcode="ACC-1"),
        asterisk_line("5125550101", OUTSIDE, "2024-05-01 11:00:00", accountcode="ACC-2"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 2, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        (one,) = store.calls_of(conn, keyring, first)
        (two,) = store.calls_of(conn, keyring, second)
    assert (one.detail["src"], one.detail["dst"]) == ("+15125550100", OUTSIDE)
    assert two.detail["src"] == "+15125550101"
    assert (one.disposition, one.duration_s, one.billsec_s) == ("ANSWERED", 65, 60)


def test_a_reassigned_number_places_each_call_on_whoever_held_it_at_the_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    before = an_account(engine, keyring, ref="ACC-1")
    after = an_account(engine, keyring, ref="ACC-2")
    _numbers(engine, keyring, blobs, tmp_path, [
        number_line(SHARED, "ACC-1", "2024-01-01", "2024-03-01"),
        number_line(SHARED, "ACC-2", "2024-03-01"),
    ])
    path = write_lines(tmp_path / "Master.csv", [
        asterisk_line(SHARED, OUTSIDE, "2024-02-10 10:00:00"),
        asterisk_line(SHARED, OUTSIDE, "2024-04-10 10:00:00"),
    ])
    assert _import(engine, keyring, blobs, path).imported == 2
    with transaction(engine) as conn:
        (old,) = store.calls_of(conn, keyring, before)
        (new,) = store.calls_of(conn, keyring, after)
    assert old.started_at == datetime(2024, 2, 10, 10, tzinfo=UTC)
    assert new.started_at == datetime(2024, 4, 10, 10, tzinfo=UTC)


def test_asterisk_direction_is_in_when_the_account_holds_dst_and_out_when_it_holds_src(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    _numbers(engine, keyring, blobs, tmp_path, [number_line(SHARED, "ACC-1", "2024-01-01")])
    path = write_lines(tmp_path / "Master.csv", [
        asterisk_line(OUTSIDE, "5125550111", "2024-05-01 10:00:00"),
        asterisk_line("5125550111", OUTSIDE, "2024-05-01 11:00:00"),
    ])
    assert _import(engine, keyring, blobs, path).imported == 2
    with transaction(engine) as conn:
        outbound, inbound = store.calls_of(conn, keyring, account_id)
    assert (inbound.direction, inbound.detail["own"], inbound.detail["counterpart"]) == (
        "in", SHARED, OUTSIDE)
    assert (outbound.direction, outbound.detail["own"], outbound.detail["counterpart"]) == (
        "out", SHARED, OUTSIDE)


def test_asterisk_rows_of_16_17_and_18_columns_are_all_accepted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    sixteen = asterisk_line(SHARED, OUTSIDE, "2024-05-01 10:00:00", accountcode="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        sixteen,
        asterisk_line(SHARED, OUTSIDE, "2024-05-01 11:00:00", accountcode="ACC-1") + ',"u-17"',
        asterisk_line(SHARED, OUTSIDE, "2024-05-01 12:00:00", accountcode="ACC-1",
                      uniqueid="u-18"),
    ])
    assert _import(engine, keyring, blobs, path).imported == 3
    with transaction(engine) as conn:
        calls = store.calls_of(conn, keyring, account_id)
    assert [call.detail["uniqueid"] for call in calls] == ["u-18", "u-17", ""]


def test_asterisk_times_are_read_in_the_switch_zone_and_stored_in_utc(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        asterisk_line(SHARED, OUTSIDE, "2024-07-01 12:00:00", accountcode="ACC-1"),
        asterisk_line(SHARED, OUTSIDE, "2024-12-31 19:00:00", accountcode="ACC-1")])
    chicago = ParseOptions(zone=zone("America/Chicago"), base_dir=tmp_path)
    assert _import(engine, keyring, blobs, path, chicago).imported == 2
    with transaction(engine) as conn:
        rows = conn.execute(select(call_log).order_by(call_log.c.started_at)).all()
    assert [row.started_at for row in rows] == [datetime(2024, 7, 1, 17, tzinfo=UTC),
                                                datetime(2025, 1, 1, 1, tzinfo=UTC)]
    assert rows[0].answered_at == datetime(2024, 7, 1, 17, 0, 5, tzinfo=UTC)


def test_bad_asterisk_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    good = asterisk_line(SHARED, OUTSIDE, "2024-05-01 10:00:00", accountcode="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        good,
        asterisk_line(SHARED, OUTSIDE, "2024-13-01 10:00:00", accountcode="ACC-1"),
        ",".join(good.split(",")[:15]),
        asterisk_line(SHARED, OUTSIDE, "2024-05-01 10:00:00", accountcode="ACC-404"),
        asterisk_line(OUTSIDE, "+14155550100", "2024-05-01 10:00:00"),
        asterisk_line(SHARED, OUTSIDE, "2024-05-01 10:00:00", accountcode="ACC-1",
                      disposition="MAYBE"),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    assert sorted(summary.errors) == [
        (2, "start: not a date-time (YYYY-MM-DD HH:MM:SS)"),
        (3, "expected 16 to 18 fields, found 15"),
        (4, "account: no such account"),
        (5, "account: no account held src or dst at the start time"),
        (6, "disposition: must be one of ANSWERED, BUSY, CONGESTION, FAILED, NO ANSWER"),
    ]


def test_importing_the_same_asterisk_file_twice_imports_nothing_the_second_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = write_lines(tmp_path / "Master.csv", [
        asterisk_line(SHARED, OUTSIDE, "2024-05-01 10:00:00", accountcode="ACC-1"),
        asterisk_line(SHARED, OUTSIDE, "2024-06-01 10:00:00", accountcode="ACC-1",
                      disposition="BUSY")])
    _import(engine, keyring, blobs, path)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    with transaction(engine) as conn:
        assert len(conn.execute(select(call_log)).all()) == 2
