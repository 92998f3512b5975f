"""The line of each record (records/own_lines.py): importers fill `own_number_bidx`, and the backfill that
`custodian db upgrade` runs fills rows stored before it existed (particularity; SpectrumVoIP DRG V: "a given
telephone number may be assigned to many different users")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select, update
from tests.builders.files import (
    CALLS_HEADER,
    CONTENT_HEADER,
    NUMBERS_HEADER,
    SMS_HEADER,
    content_line,
    csv_file,
    custodian_call_line,
    number_line,
    pdf_bytes,
    sms_line,
)
from tests.builders.records import an_account

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records import own_lines
from custodian.records.rules import HeldLine, sole_line_at
from custodian.records.tables import call_log, content_item, fax_log, sms_log

SOLO, FIRST, SECOND = "+15125550100", "+15125550200", "+15125550201"
TABLES = (call_log, fax_log, sms_log, content_item)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def test_the_sole_line_is_known_only_while_the_account_held_exactly_one_number() -> None:
    held = [HeldLine(b"a", at("2026-01-01"), at("2026-02-01")), HeldLine(b"b", at("2026-01-20"), None)]
    assert sole_line_at(held, at("2026-01-10")) == b"a"
    assert sole_line_at(held, at("2026-01-25")) is None  # two numbers: which one is unknown
    assert sole_line_at(held, at("2026-03-01")) == b"b"
    assert sole_line_at(held, at("2025-12-31")) is None


def _load(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path) -> dict[str, int]:
    """ACC-1 holds one number, ACC-2 two: calls, SMS, a fax and a voice message on each."""
    ids = {"ACC-1": an_account(engine, keyring, ref="ACC-1"),
           "ACC-2": an_account(engine, keyring, ref="ACC-2", email="two@example.com")}
    (tmp / "media").mkdir()
    (tmp / "media" / "fax.pdf").write_bytes(pdf_bytes(1))
    files = {
        "numbers": (NUMBERS_HEADER, [number_line(SOLO, "ACC-1", "2025-01-01"),
                                     number_line(FIRST, "ACC-2", "2025-01-01"),
                                     number_line(SECOND, "ACC-2", "2025-01-01")]),
        "calls": (CALLS_HEADER, [custodian_call_line("ACC-1", "out", SOLO, "+14155550142", "2026-01-10T10:00:00Z"),
                                 custodian_call_line("ACC-2", "in", SECOND, "+14155550143", "2026-01-11T10:00:00Z")]),
        "sms": (SMS_HEADER, [sms_line("ACC-2", "in", "+14155550144", FIRST, "2026-01-12T10:00:00Z")]),
        "content": (CONTENT_HEADER, [content_line("ACC-1", "fax_incoming", "2026-01-13T10:00:00Z", "media/fax.pdf"),
                                     content_line("ACC-2", "fax_incoming", "2026-01-14T10:00:00Z", "media/fax.pdf")]),
    }
    for kind, (header, rows) in files.items():
        fmt = lookup(kind, "custodian" if kind == "calls" else "")
        assert run_import(engine, keyring, blobs, fmt, csv_file(tmp / f"{kind}.csv", header, rows),
                          actor="test").rejected == 0
    return ids


def _lines(engine: Engine) -> dict[tuple[str, int, str], bytes | None]:
    found = {}
    with engine.connect() as conn:
        for table in TABLES:
            kind = table.c.kind if table is content_item else table.c.direction
            for account_id, label, line in conn.execute(select(table.c.account_id, kind, table.c.own_number_bidx)):
                found[(table.name, account_id, label)] = None if line is None else bytes(line)
    return found


def test_imports_give_each_record_its_line_and_leave_it_unknown_when_the_account_had_several(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    ids = _load(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        token = {n: keyring.blind_index(conn, "number", n) for n in (SOLO, FIRST, SECOND)}
    assert _lines(engine) == {
        ("call_log", ids["ACC-1"], "out"): token[SOLO], ("call_log", ids["ACC-2"], "in"): token[SECOND],
        ("sms_log", ids["ACC-2"], "in"): token[FIRST], ("content_item", ids["ACC-2"], "sms_body"): token[FIRST],
        ("fax_log", ids["ACC-1"], "in"): token[SOLO], ("content_item", ids["ACC-1"], "fax_incoming"): token[SOLO],
        ("fax_log", ids["ACC-2"], "in"): None, ("content_item", ids["ACC-2"], "fax_incoming"): None}


def test_the_backfill_restores_the_line_of_rows_stored_before_it_existed_and_can_run_again(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """A migration cannot decrypt: rows from before 0008 have no line until the backfill, run with the keyring."""
    _load(engine, keyring, blobs, tmp_path)
    imported = _lines(engine)
    with transaction(engine) as conn:
        for table in TABLES:
            conn.execute(update(table).values(own_number_bidx=None))
    report = own_lines.backfill(engine, Keyring(keyring.master_key))
    assert _lines(engine) == imported
    assert report.filled == {"call_log": 2, "fax_log": 1, "sms_log": 1, "content_item": 2}
    assert report.unknown == {"call_log": 0, "fax_log": 1, "sms_log": 0, "content_item": 1}
    again = own_lines.backfill(engine, Keyring(keyring.master_key))
    assert sum(again.filled.values()) == 0 and sum(again.unknown.values()) == 2
    assert _lines(engine) == imported


def test_the_backfill_skips_crypto_shredded_accounts(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    ids = _load(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        conn.execute(update(call_log).values(own_number_bidx=None))
        keyring.shred(conn, ids["ACC-1"])
    own_lines.backfill(engine, Keyring(keyring.master_key))
    lines = _lines(engine)
    assert lines[("call_log", ids["ACC-1"], "out")] is None and lines[("call_log", ids["ACC-2"], "in")] is not None
