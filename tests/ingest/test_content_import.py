"""Importing content manifests: files encrypted into the blob store, faxes also logged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.crypto.blobs import BlobStoreUnwritable, LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.ingest.tables import import_run
from custodian.records import payload
from custodian.records.tables import content_item, fax_log
from tests.builders.files import CONTENT_HEADER, content_line, csv_file, full_disk, pdf_bytes
from tests.builders.records import an_account

VOICE = b"RIFF\x00\x01WAVEfmt " + bytes(range(256)) * 600  # spans several blob chunks


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, path: Path) -> ImportSummary:
    return run_import(engine, keyring, blobs, lookup("content"), path, actor="test")


def _blob_files(blobs: LocalBlobStore) -> list[Path]:
    return [p for p in blobs.root.rglob("*") if p.is_file()] if blobs.root.exists() else []


def _manifest(folder: Path, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "media" / "vm-1.wav").write_bytes(VOICE)
    (folder / "media" / "fax-1.pdf").write_bytes(pdf_bytes(3))
    return csv_file(folder / "manifest.csv", CONTENT_HEADER, rows)


def test_content_files_are_stored_encrypted_and_decrypt_back_to_the_original_bytes(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = _manifest(tmp_path / "export", [
        content_line("ACC-1", "voice_message", "2024-05-01T10:00:00Z", "media/vm-1.wav"),
        content_line("ACC-1", "chat", "2024-05-02", "", direction="out", counterpart=""),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.as_json() == {"imported": 2, "rejected": 0, "duplicates": 0, "errors": []}
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        voice, chat = conn.execute(select(content_item).order_by(content_item.c.occurred_at)).all()
        counterpart = cipher.open(voice.payload_enc,
                                  payload.aad("content_item", "payload", account_id))
    assert (voice.kind, voice.media_type, voice.size_bytes) == ("voice_message", "audio/x-wav",
                                                                len(VOICE))
    assert blobs.read(cipher, account_id, voice.blob_key) == VOICE
    assert counterpart == "+15125550199"
    assert VOICE[:64] not in _blob_files(blobs)[0].read_bytes()
    assert (chat.blob_key, chat.size_bytes, chat.direction) == (None, None, "out")


def test_fax_content_also_adds_a_fax_log_row_with_its_page_count(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = _manifest(tmp_path / "export", [
        content_line("ACC-1", "fax_incoming", "2024-05-01T10:00:00Z", "media/fax-1.pdf",
                     media_type="application/pdf"),
        content_line("ACC-1", "fax_sent", "2024-05-03", "", direction="out"),
    ])
    assert _import(engine, keyring, blobs, path).imported == 2
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        faxes = conn.execute(select(fax_log).order_by(fax_log.c.occurred_at)).all()
        item = conn.execute(select(content_item).where(content_item.c.kind == "fax_incoming")).one()
        opened = payload.decode(payload.FAX_FIELDS, cipher.open(
            faxes[0].payload_enc, payload.aad("fax_log", "payload", account_id)))
    assert [(f.direction, f.pages, f.status) for f in faxes] == [("in", 3, "delivered"),
                                                                 ("out", None, "delivered")]
    assert faxes[0].record_key == item.record_key
    assert opened["counterpart"] == "+15125550199"
    assert blobs.read(cipher, account_id, item.blob_key) == pdf_bytes(3)


def test_content_paths_outside_the_manifest_folder_or_missing_files_are_rejected(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    (tmp_path / "secret.wav").write_bytes(b"not yours")
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "media").mkdir()
    (tmp_path / "export" / "media" / "link.wav").symlink_to(tmp_path / "secret.wav")
    path = _manifest(tmp_path / "export", [
        content_line("ACC-1", "voice_message", "2024-05-01", "media/vm-1.wav"),
        content_line("ACC-1", "voice_message", "2024-05-01", "../secret.wav"),
        content_line("ACC-1", "voice_message", "2024-05-01", str(tmp_path / "secret.wav")),
        content_line("ACC-1", "voice_message", "2024-05-01", "media/../../secret.wav"),
        content_line("ACC-1", "voice_message", "2024-05-01", "media/link.wav"),
        content_line("ACC-1", "voice_message", "2024-05-01", "media/missing.wav"),
    ])
    summary = _import(engine, keyring, blobs, path)
    outside = "path: must stay inside the manifest's folder"
    assert summary.imported == 1
    assert sorted(summary.errors) == [(3, outside), (4, outside), (5, outside), (6, outside),
                              (7, "path: no such file")]
    assert len(_blob_files(blobs)) == 1


def test_bad_content_rows_are_reported_by_line_while_good_rows_still_import(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = _manifest(tmp_path / "export", [
        content_line("ACC-1", "voice_message", "2024-05-01", "media/vm-1.wav"),
        content_line("ACC-1", "hologram", "2024-05-01", ""),
        content_line("ACC-1", "fax_incoming", "2024-05-01", "", direction="out"),
        content_line("ACC-1", "chat", "2024-05-01", "", direction="both"),
        content_line("ACC-1", "chat", "whenever", ""),
        content_line("ACC-1", "chat", "2024-05-01", "", media_type="not a type"),
        content_line("ACC-404", "chat", "2024-05-01", ""),
    ])
    summary = _import(engine, keyring, blobs, path)
    assert summary.imported == 1
    reasons = dict(summary.errors)
    assert reasons[3].startswith("kind: must be one of")
    assert reasons[4] == "direction: must be in for fax_incoming"
    assert reasons[5] == "direction: must be one of in, out"
    assert reasons[6].startswith("occurred_at:")
    assert reasons[7] == "media_type: must be a media type such as application/pdf"
    assert reasons[8] == "account_ref: no such account"


def test_importing_the_same_manifest_twice_imports_nothing_and_stores_no_orphan_blob(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = _manifest(tmp_path / "export", [
        content_line("ACC-1", "voice_message", "2024-05-01", "media/vm-1.wav"),
        content_line("ACC-1", "fax_incoming", "2024-06-01", "media/fax-1.pdf"),
    ])
    _import(engine, keyring, blobs, path)
    stored = _blob_files(blobs)
    again = _import(engine, keyring, blobs, path)
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    assert _blob_files(blobs) == stored
    with transaction(engine) as conn:
        assert len(conn.execute(select(content_item)).all()) == 2
        assert len(conn.execute(select(fax_log)).all()) == 1


def test_a_manifest_may_name_the_own_number_and_a_multi_line_accounts_item_without_one_has_no_line(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """The optional `own_number` column names the line of an item on an account with several numbers
    (particularity: a number target reaches only its line's records)."""
    from custodian.records.tables import number_assignment

    account_id = an_account(engine, keyring, ref="ACC-1")
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        for number in ("+15125550200", "+15125550201"):
            conn.execute(number_assignment.insert().values(
                account_id=account_id, number_bidx=keyring.blind_index(conn, "number", number),
                number_enc=cipher.seal(number, payload.aad("number_assignment", "number", account_id)),
                assigned_from=datetime(2025, 1, 1, tzinfo=UTC), created_at=datetime(2025, 1, 1, tzinfo=UTC)))
        wanted = keyring.blind_index(conn, "number", "+15125550201")
    folder = tmp_path / "export"
    _manifest(folder, [])
    manifest = csv_file(folder / "lines.csv", CONTENT_HEADER + ",own_number", [
        content_line("ACC-1", "voice_message", "2026-01-10T10:00:00Z", "media/vm-1.wav") + ",+1 512 555 0201",
        content_line("ACC-1", "voice_message", "2026-01-11T10:00:00Z", "media/vm-1.wav") + ","])
    assert _import(engine, keyring, blobs, manifest).imported == 2
    with engine.connect() as conn:
        lines = conn.execute(select(content_item.c.own_number_bidx).order_by(content_item.c.occurred_at)).scalars()
        assert [None if line is None else bytes(line) for line in lines] == [wanted, None]


def test_a_blob_store_that_cannot_be_written_fails_the_import_instead_of_rejecting_rows(
        engine: Engine, keyring: Keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue: a full or read-only blob store fails the import (exit 1), never "cannot read the file" (exit 0)."""
    an_account(engine, keyring, ref="ACC-1")
    path = _manifest(tmp_path / "export", [
        content_line("ACC-1", "voice_message", "2024-05-01T10:00:00Z", "media/vm-1.wav")])
    full_disk(monkeypatch)
    with pytest.raises(BlobStoreUnwritable, match="no space left"):
        _import(engine, keyring, LocalBlobStore(tmp_path / "blobs"), path)
    with engine.connect() as conn:
        assert conn.execute(select(content_item)).all() == []
        assert conn.execute(select(import_run.c.status)).scalar_one() == "failed"
