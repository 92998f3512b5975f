"""Importing content manifests: files encrypted into the blob store, faxes also logged."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import ImportSummary, run_import
from custodian.records import payload
from custodian.records.tables import content_item, fax_log
from tests.builders.files import CONTENT_HEADER, content_line, csv_file, pdf_bytes
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
