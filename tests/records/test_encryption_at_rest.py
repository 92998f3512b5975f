"""Encryption at rest: planted personal values never appear in the database file or the blob store.

SQLite only, on purpose: the test reads the bytes of the database file itself (and its write-ahead
log), which only the embedded database has. PostgreSQL stores the same ciphertexts through the
same code.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.builders.files import (
    CALLS_HEADER,
    COMMENTS_HEADER,
    CONTENT_HEADER,
    NUMBERS_HEADER,
    SMS_HEADER,
    comment_line,
    content_line,
    csv_file,
    custodian_call_line,
    number_line,
    pdf_bytes,
    sms_line,
    write_lines,
)
from tests.builders.records import (
    CANARY_COMMENT,
    CANARY_COUNTERPART,
    CANARY_COUNTERPART_DIALLED,
    CANARY_NAME,
    CANARY_SMS_BODY,
    CANARY_STREET,
    CANARY_SURNAME,
    CANARY_VALUES,
    an_account,
)

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import make_engine
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import

OWN = "+15125550100"
CANARIES = CANARY_VALUES
VOICE = b"RIFF\x00\x01WAVEfmt " + f"transcript: {CANARY_NAME} {CANARY_SURNAME} ".encode() * 3000


@pytest.fixture
def sqlite_engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database file of this test's own (never PostgreSQL: we read the file)."""
    path = tmp_path / "db" / "custodian.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def _encodings(value: str) -> list[bytes]:
    forms = {value, value.lower(), value.upper()}
    return [form.encode(codec) for form in forms for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _database_bytes(engine: Engine) -> bytes:
    """The database file and any write-ahead log, after checkpointing everything into the file."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(str(engine.url.database))
    engine.dispose()
    files = [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))]
    return b"".join(file.read_bytes() for file in files if file.exists())


def _blob_bytes(blobs: LocalBlobStore) -> list[bytes]:
    return [path.read_bytes() for path in sorted(blobs.root.rglob("*")) if path.is_file()]


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, kind: str, path: Path,
            fmt: str = "") -> None:
    summary = run_import(engine, keyring, blobs, lookup(kind, fmt), path, actor="test")
    assert summary.rejected == 0, summary.errors
    assert summary.imported > 0


def _fill_store(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, folder: Path) -> None:
    folder.mkdir()
    an_account(engine, keyring, ref="ACC-CANARY-1")
    _import(engine, keyring, blobs, "numbers", csv_file(folder / "numbers.csv", NUMBERS_HEADER, [
        number_line(OWN, "ACC-CANARY-1", "2024-01-01")]))
    _import(engine, keyring, blobs, "calls", csv_file(folder / "calls.csv", CALLS_HEADER, [
        custodian_call_line("ACC-CANARY-1", "out", OWN, f'"{CANARY_COUNTERPART_DIALLED}"', "2024-05-01T10:00:00Z"),
        custodian_call_line("ACC-CANARY-1", "in", OWN, CANARY_COUNTERPART, "2024-05-02T10:00:00Z"),
    ]), "custodian")
    clid = f'"""{CANARY_NAME} {CANARY_SURNAME}"" <{CANARY_COUNTERPART.removeprefix("+1")}>"'
    _import(engine, keyring, blobs, "calls", write_lines(folder / "Master.csv", [
        f'"","{CANARY_COUNTERPART.removeprefix("+1")}","{OWN.removeprefix("+1")}","from-pstn",{clid},'
        f'"SIP/a-1","SIP/b-2","Dial","SIP/100","2024-05-03 10:00:00","2024-05-03 10:00:05",'
        f'"2024-05-03 10:01:05",65,60,"ANSWERED","DOCUMENTATION"',
    ]), "asterisk")
    _import(engine, keyring, blobs, "sms", csv_file(folder / "sms.csv", SMS_HEADER, [
        sms_line("ACC-CANARY-1", "out", OWN, CANARY_COUNTERPART_DIALLED, "2024-05-01T10:00:00Z",
                 body=CANARY_SMS_BODY),
        sms_line("ACC-CANARY-1", "in", CANARY_COUNTERPART, OWN, "2024-05-01T11:00:00Z",
                 body=f"Re: {CANARY_SMS_BODY}"),
    ]))
    _import(engine, keyring, blobs, "comments", csv_file(folder / "comments.csv", COMMENTS_HEADER, [
        comment_line("ACC-CANARY-1", "2024-05-01T10:00:00", CANARY_COMMENT)]))
    (folder / "media").mkdir()
    (folder / "media" / "vm.wav").write_bytes(VOICE)
    (folder / "media" / "fax.pdf").write_bytes(pdf_bytes(2) + CANARY_STREET.encode())
    _import(engine, keyring, blobs, "content", csv_file(folder / "manifest.csv", CONTENT_HEADER, [
        content_line("ACC-CANARY-1", "voice_message", "2024-05-01T10:00:00Z", "media/vm.wav",
                     counterpart=CANARY_COUNTERPART),
        content_line("ACC-CANARY-1", "fax_incoming", "2024-05-02T10:00:00Z", "media/fax.pdf",
                     counterpart=CANARY_COUNTERPART, media_type="application/pdf"),
    ]))


def test_no_planted_personal_value_appears_in_the_database_file(
        sqlite_engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _fill_store(sqlite_engine, keyring, blobs, tmp_path / "export")
    raw = _database_bytes(sqlite_engine)
    assert b"ACC-CANARY-1" in raw and b"audio/x-wav" in raw  # the scan does read the stored rows
    for canary in CANARIES:
        for encoded in _encodings(canary):
            assert encoded not in raw, f"{canary!r} is stored in plaintext"


def test_no_planted_personal_value_appears_in_any_blob_file(
        sqlite_engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _fill_store(sqlite_engine, keyring, blobs, tmp_path / "export")
    files = _blob_bytes(blobs)
    assert len(files) == 2 and sum(map(len, files)) > len(VOICE)
    for content in files:
        assert VOICE[:16] not in content and b"%PDF" not in content
        for canary in CANARIES:
            for encoded in _encodings(canary):
                assert encoded not in content, f"{canary!r} is stored in plaintext in a blob"


def test_the_scan_would_find_a_value_stored_in_plaintext(
        sqlite_engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    with sqlite_engine.begin() as conn:
        conn.execute(text("CREATE TABLE leak (value TEXT)"))
        conn.execute(text("INSERT INTO leak VALUES (:v)"), {"v": CANARY_SMS_BODY})
    assert CANARY_SMS_BODY.encode() in _database_bytes(sqlite_engine)
