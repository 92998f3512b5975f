"""Producing an approved request: only matched accounts inside their windows, a manifest with SHA-256 of
every file, a certification, an AES-256 zip with a one-time passphrase, a disclosure per account."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pyzipper
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.legal import production, service, submission
from custodian.legal.tables import legal_production
from tests.builders.files import (
    BILLING_HEADER,
    CALLS_HEADER,
    COMMENTS_HEADER,
    NUMBERS_HEADER,
    SMS_HEADER,
    billing_line,
    comment_line,
    csv_file,
    custodian_call_line,
    number_line,
    sms_line,
)
from tests.builders.legal import a_request, spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
NUMBER = "+15125550100"


def _load(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path) -> None:
    an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2", email="b@example.com")
    an_account(engine, keyring, ref="ACC-3", email="c@example.com")
    files = {
        "numbers": (NUMBERS_HEADER, [number_line(NUMBER, "ACC-1", "2025-01-01", "2026-01-15"),
                                     number_line(NUMBER, "ACC-2", "2026-01-15")]),
        "calls": (CALLS_HEADER, [
            custodian_call_line("ACC-1", "out", NUMBER, "+14155550142", "2026-01-10T10:00:00Z"),
            custodian_call_line("ACC-1", "out", NUMBER, "+14155550143", "2026-01-20T10:00:00Z"),  # after handover
            custodian_call_line("ACC-1", "out", NUMBER, "+14155550144", "2025-12-20T10:00:00Z"),  # before window
            custodian_call_line("ACC-2", "in", NUMBER, "+14155550145", "2026-02-01T09:00:00Z"),
            custodian_call_line("ACC-3", "in", "+15125550177", "+14155550146", "2026-02-01T09:00:00Z")]),
        "sms": (SMS_HEADER, [sms_line("ACC-2", "out", NUMBER, "+14155550150", "2026-02-02T08:00:00Z",
                                      body="meet at noon")]),
        "comments": (COMMENTS_HEADER, [comment_line("ACC-1", "2026-01-05T12:00:00Z", "caller asked about porting")]),
        "billing": (BILLING_HEADER, [billing_line("ACC-2", "2026-02-01T00:00:00Z", "INV-9")]),
    }
    for kind, (header, rows) in files.items():
        summary = run_import(engine, keyring, blobs, lookup(kind, "custodian" if kind == "calls" else ""),
                             csv_file(tmp / f"{kind}.csv", header, rows),
                             actor="test")
        assert summary.as_json()["rejected"] == 0, summary.as_json()


def _approved(engine: Engine, keyring: Keyring, classes: list[str]) -> int:
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            instrument__type="search_warrant", record_classes=classes),
            channel="staff", actor="staff", now=NOW)
        assert done.state == "in_review", done.problems
        service.approve(conn, keyring, spectrumvoip(), done.request_id, classes, rationale="warrant reviewed",
                        actor="staff:ana", now=NOW)
        return done.request_id


def _open(package: production.Production) -> dict[str, bytes]:
    with pyzipper.AESZipFile(io.BytesIO(package.package.data)) as archive:
        archive.setpassword(package.package.passphrase.encode())
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_production_holds_only_matched_accounts_inside_their_windows(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """'a given telephone number may be assigned to many different users over a comparatively short period of
    time'; the production never strays outside the holder's own period."""
    _load(engine, keyring, blobs, tmp_path)
    classes = ["subscriber.basic", "cpni.call_log", "cpni.sms_log", "content.sms_body", "support.comment_log",
               "billing.transactions", "numbers.assignments"]
    request_id = _approved(engine, keyring, classes)
    with transaction(engine) as conn:
        made = production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat Custodian",
                                  actor="staff:ana", now=NOW)
    assert made.accounts == ("ACC-1", "ACC-2")
    files = _open(made)
    calls_1 = files["account-01/call_log.csv"].decode()
    assert "+14155550142" in calls_1 and "+14155550143" not in calls_1 and "+14155550144" not in calls_1
    assert calls_1.splitlines()[1].startswith("2026-01-10T10:00:00Z,out,'+15125550100,'+14155550142,")
    assert "+14155550145" in files["account-02/call_log.csv"].decode()
    assert not any("ACC-" in name for name in files)
    assert "meet at noon" in files["account-02/sms_bodies.csv"].decode()
    assert "asked about porting" in files["account-01/comments.csv"].decode()
    assert "INV-9" in files["account-02/billing.csv"].decode()
    assert "INV-9" not in files["account-01/billing.csv"].decode()
    assert files["account-01/subscriber.pdf"].startswith(b"%PDF")
    assert files["account-01/certification.pdf"].startswith(b"%PDF")
    manifest = json.loads(files["manifest.json"])
    assert [(a["folder"], a["account_ref"]) for a in manifest["accounts"]] == [("account-01", "ACC-1"),
                                                                               ("account-02", "ACC-2")]
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    assert all(hashlib.sha256(files[path]).hexdigest() == digest for path, digest in listed.items())
    assert len(made.package.passphrase) >= 24


def test_the_zip_does_not_open_without_the_passphrase_and_each_account_is_a_disclosure(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _load(engine, keyring, blobs, tmp_path)
    request_id = _approved(engine, keyring, ["subscriber.basic"])
    with transaction(engine) as conn:
        made = production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat",
                                  actor="staff:ana", now=NOW)
        rows = conn.execute(select(legal_production)).all()
        disclosures = conn.execute(select(audit_event.c.account_id).where(
            audit_event.c.action == "legal.disclosure")).scalars().all()
        stored = production.package_bytes(conn, keyring, blobs, request_id)
    with pyzipper.AESZipFile(io.BytesIO(made.package.data)) as archive, pytest.raises(RuntimeError):
        archive.setpassword(b"wrong")
        archive.read("manifest.json")
    assert len(rows) == 2 and all(r.package_sha256 == made.package.sha256 for r in rows)
    assert len(disclosures) == 2 and None not in disclosures
    assert stored == made.package.data


def test_an_emergency_is_not_produced_before_a_call_back_is_recorded(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    _load(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            kind="emergency", instrument={"type": "emergency_form"}, record_classes=["cpni.call_log"],
            emergency={"basis": "hostage situation", "imminent_harm_attested": True}),
            channel="staff", actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, ["cpni.call_log"], rationale="exigent",
                        actor="staff", now=NOW)
        with pytest.raises(service.DeskRuleBroken, match="call-back"):
            production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                               actor="staff", now=NOW)
        service.record_callback(conn, keyring, done.request_id, who="Sgt. Diaz, Plano PD dispatch",
                                number="+19725550000", called_at=NOW, passed=True, actor="staff", now=NOW)
        made = production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                                  actor="staff", now=NOW)
    assert made.accounts == ("ACC-1", "ACC-2")


def test_content_is_produced_as_stored_faxes_as_pdf_and_chat_as_json(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """'Faxes will be delivered as PDF formatted files; Incoming Voice Messages and Call Recordings will be
    delivered as either MP3 or WAV format files ...; Glip Data will be delivered in JavaScript Object Notation
    (JSON) format'."""
    from tests.builders.files import CONTENT_HEADER, content_line, pdf_bytes

    _load(engine, keyring, blobs, tmp_path)
    media = tmp_path / "export" / "media"
    media.mkdir(parents=True)
    voice, fax = b"RIFF\x00\x01WAVEfmt " + bytes(range(256)) * 10, pdf_bytes(2)
    (media / "vm.wav").write_bytes(voice)
    (media / "fax.pdf").write_bytes(fax)
    (media / "chat.txt").write_text("see you at the dock", encoding="utf-8")
    manifest = csv_file(tmp_path / "export" / "manifest.csv", CONTENT_HEADER, [
        content_line("ACC-2", "voice_message", "2026-02-03T10:00:00Z", "media/vm.wav"),
        content_line("ACC-2", "fax_incoming", "2026-02-04T10:00:00Z", "media/fax.pdf", media_type="application/pdf"),
        content_line("ACC-2", "chat", "2026-02-05T10:00:00Z", "media/chat.txt", direction="out"),
        content_line("ACC-1", "voice_message", "2026-01-20T10:00:00Z", "media/vm.wav")])  # after ACC-1's period
    assert run_import(engine, keyring, blobs, lookup("content"), manifest, actor="test").rejected == 0
    classes = ["content.voice_message", "content.fax_incoming", "content.chat"]
    request_id = _approved(engine, keyring, classes)
    with transaction(engine) as conn:
        made = production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat",
                                  actor="staff", now=NOW)
    files = _open(made)
    wavs = [name for name in files if name.startswith("account-02/voice_message/") and name.endswith(".wav")]
    pdfs = [name for name in files if name.startswith("account-02/fax_incoming/") and name.endswith(".pdf")]
    assert len(wavs) == 1 and files[wavs[0]] == voice and len(pdfs) == 1 and files[pdfs[0]] == fax
    assert json.loads(files["account-02/chat.json"])[0]["text"] == "see you at the dock"
    assert not any(name.startswith("account-01/voice_message/") for name in files)
