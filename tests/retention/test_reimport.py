"""Re-importing an export after retention (or the customer) deleted records does not bring them back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records.tables import content_item, sms_log
from custodian.retention.customer_deletion import delete_for_customer
from custodian.retention.executor import flush_blobs, run_retention
from tests.builders.files import CONTENT_HEADER, SMS_HEADER, content_line, csv_file, sms_line
from tests.builders.records import an_account
from tests.builders.retention import spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _import(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, kind: str, path: Path) -> int:
    return run_import(engine, Keyring(keyring.master_key), blobs, lookup(kind), path, actor="test").imported


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _retention(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    run_retention(engine, Keyring(keyring.master_key), blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW,
                  actor="test")


def test_sms_deleted_from_a_hipaa_account_do_not_come_back_on_reimport(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """HIPAA "SMS Messages — Not Available": the bodies go and stay gone; the logs (billing records) stay."""
    an_account(engine, keyring, ref="H-1", profile="hipaa")
    path = csv_file(tmp_path / "sms.csv", SMS_HEADER, [
        sms_line("H-1", "in", "+14155550142", "+15125550100", f"2026-05-{day:02d}T10:00:00Z") for day in (1, 2, 3)])
    assert _import(engine, keyring, blobs, "sms", path) == 3
    _retention(engine, keyring, blobs)
    assert (_count(engine, sms_log), _count(engine, content_item)) == (3, 0)
    assert _import(engine, keyring, blobs, "sms", path) == 0
    assert (_count(engine, sms_log), _count(engine, content_item)) == (3, 0)


def test_expired_faxes_and_customer_deleted_messages_stay_deleted_on_reimport(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    account_id = an_account(engine, keyring, ref="S-1")
    media = tmp_path / "fax.pdf"
    media.write_bytes(b"%PDF-1.4 fax")
    voice = tmp_path / "vm.wav"
    voice.write_bytes(b"RIFF voicemail")
    old, young = (NOW - timedelta(days=40)).isoformat(), (NOW - timedelta(days=2)).isoformat()
    path = csv_file(tmp_path / "content.csv", CONTENT_HEADER, [
        content_line("S-1", "fax_sent", old, media.name, direction="out"),
        content_line("S-1", "voice_message", young, voice.name),
    ])
    assert _import(engine, keyring, blobs, "content", path) == 2
    with engine.connect() as conn:
        voice_key = conn.execute(select(content_item.c.record_key)
                                 .where(content_item.c.kind == "voice_message")).scalar_one()
    with transaction(engine) as conn:
        delete_for_customer(conn, account_id=account_id, record_key=voice_key, actor="customer", now=NOW)
    flush_blobs(engine, blobs)
    _retention(engine, keyring, blobs)
    assert _count(engine, content_item) == 0
    assert _import(engine, keyring, blobs, "content", path) == 0
    assert _count(engine, content_item) == 0
    assert list(blobs.stored()) == []
