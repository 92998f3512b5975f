"""Large bulk imports are prepared in worker processes: same result as the sequential path, by line."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest import parallel
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records.tables import call_log
from tests.builders.files import NUMBERS_HEADER, asterisk_line, csv_file, number_line, write_lines
from tests.builders.records import an_account


def test_chunks_are_cut_only_at_line_breaks_outside_quotes() -> None:
    text = 'a,"one\nline two",b\nc,d,e\nf,g,h\n"x\ny",z,w\n'
    chunks = list(parallel.text_chunks(io.StringIO(text, newline=""), 1, None, lines_per_chunk=1))
    assert "".join(chunk for _, chunk in chunks) == text
    assert [first for first, _ in chunks] == [1, 3, 4, 5]
    assert all(chunk.count('"') % 2 == 0 for _, chunk in chunks)


def _calls_file(tmp_path: Path) -> Path:
    lines = []
    for day in range(1, 29):
        lines.append(asterisk_line("5125550100", "8005551212", f"2026-02-{day:02d} 10:00:00"))
        lines.append(asterisk_line("8005551212", "5125550100", f"2026-03-{day:02d} 09:30:00"))
    lines.insert(5, asterisk_line("5125550100", "8005551212", "2026-02-30 10:00:00"))  # no such day
    lines.insert(9, asterisk_line("9999", "8885550000", "2026-02-03 10:00:00"))  # nobody's numbers
    return write_lines(tmp_path / "Master.csv", lines)


def _stored(engine: Engine) -> list[tuple[object, ...]]:
    with transaction(engine) as conn:
        rows = conn.execute(select(call_log.c.account_id, call_log.c.started_at, call_log.c.direction,
                                   call_log.c.record_key).order_by(call_log.c.started_at)).all()
    return [tuple(row) for row in rows]


def test_worker_processes_import_exactly_what_the_sequential_path_imports(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    run_import(engine, keyring, blobs, lookup("numbers"), csv_file(tmp_path / "numbers.csv", NUMBERS_HEADER, [
        number_line("+15125550100", "ACC-1", "2024-01-01")]), actor="test")
    path = _calls_file(tmp_path)
    in_workers = run_import(engine, Keyring(keyring.master_key), blobs, lookup("calls"), path,
                            actor="test", workers=True, batch_size=7)
    stored = _stored(engine)
    assert (in_workers.imported, in_workers.rejected) == (56, 2)
    assert sorted(in_workers.errors) == [(6, "start: not a date-time (YYYY-MM-DD HH:MM:SS)"),
                                         (10, "account: no account held src or dst at the start time")]
    again = run_import(engine, Keyring(keyring.master_key), blobs, lookup("calls"), path,
                       actor="test", workers=False)
    assert (again.imported, again.duplicates, again.rejected) == (0, 56, 2)
    assert _stored(engine) == stored
    assert {direction for _, _, direction, _ in stored} == {"in", "out"}
