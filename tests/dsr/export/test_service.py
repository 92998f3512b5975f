"""The customer's own export: one CSV and one JSON per record class the policy lets them see, content files as
they were received, a manifest of checksums, a README that explains every column and names what is withheld,
and an audited self-access."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.dsr.export.layout import SPECS
from custodian.dsr.export.service import AccountNotFound, account_id_of, export_account
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.policy.document import PolicyDocument
from tests.builders.files import (
    BILLING_HEADER,
    CALLS_HEADER,
    COMMENTS_HEADER,
    CONTENT_HEADER,
    NUMBERS_HEADER,
    SMS_HEADER,
    billing_line,
    comment_line,
    content_line,
    csv_file,
    custodian_call_line,
    number_line,
    pdf_bytes,
    sms_line,
)
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
NUMBER = "+15125550100"
WAV = b"RIFF" + bytes(range(256)) * 8
E911_HEADER = "number,account_ref,street,city,state,postal_code,country,registered_at"


def load(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path) -> None:
    """ACC-1 holds NUMBER until mid-January, then ACC-2 holds it; both have calls, texts, billing and a note."""
    an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2", email="b@example.com")
    files = {
        "numbers": (NUMBERS_HEADER, [number_line(NUMBER, "ACC-1", "2025-01-01", "2026-01-15"),
                                     number_line(NUMBER, "ACC-2", "2026-01-15")]),
        "calls": (CALLS_HEADER, [
            custodian_call_line("ACC-1", "out", NUMBER, "+14155550142", "2026-01-10T10:00:00Z"),
            custodian_call_line("ACC-1", "in", NUMBER, "+14155550143", "2026-01-11T10:00:00Z"),
            custodian_call_line("ACC-2", "in", NUMBER, "+14155550145", "2026-02-01T09:00:00Z")]),
        "sms": (SMS_HEADER, [sms_line("ACC-1", "out", NUMBER, "+14155550150", "2026-01-02T08:00:00Z",
                                      body="meet at noon"),
                             sms_line("ACC-2", "out", NUMBER, "+14155550151", "2026-02-02T08:00:00Z",
                                      body="not yours")]),
        "comments": (COMMENTS_HEADER, [comment_line("ACC-1", "2026-01-05T12:00:00Z", "caller asked about porting"),
                                       comment_line("ACC-1", "2026-01-06T12:00:00Z", "=HYPERLINK(1)")]),
        "billing": (BILLING_HEADER, [billing_line("ACC-1", "2026-01-01T00:00:00Z", "INV-7", last4="4242")]),
        "e911": (E911_HEADER, [f"{NUMBER},ACC-1,1 Main St,Austin,TX,78701,US,2025-01-02T00:00:00Z"]),
    }
    for kind, (header, rows) in files.items():
        summary = run_import(engine, keyring, blobs, lookup(kind, "custodian" if kind == "calls" else ""),
                             csv_file(tmp / f"{kind}.csv", header, rows), actor="test")
        assert summary.rejected == 0, summary.as_json()
    (tmp / "media").mkdir()
    (tmp / "media" / "vm.wav").write_bytes(WAV)
    (tmp / "media" / "fax.pdf").write_bytes(pdf_bytes(2))
    manifest = csv_file(tmp / "content.csv", CONTENT_HEADER, [
        content_line("ACC-1", "voice_message", "2026-01-03T12:00:00Z", "media/vm.wav", media_type="audio/wav"),
        content_line("ACC-1", "fax_incoming", "2026-01-04T12:00:00Z", "media/fax.pdf",
                     media_type="application/pdf"),
        content_line("ACC-2", "voice_message", "2026-02-03T12:00:00Z", "media/vm.wav", media_type="audio/wav")])
    assert run_import(engine, keyring, blobs, lookup("content"), manifest, actor="test").rejected == 0


def export(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, out: Path, document: PolicyDocument | None = None,
           ref: str = "ACC-1") -> tuple[dict[str, object], dict[str, bytes]]:
    with transaction(engine) as conn:
        summary = export_account(conn, keyring, blobs, document or spectrumvoip().document, account_id_of(conn, ref),
                                 out, actor="customer:ACC-1", now=NOW)
    with zipfile.ZipFile(out) as archive:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        return summary.as_json(), {name: archive.read(name) for name in archive.namelist()}


def rows_of(files: dict[str, bytes], stem: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{stem}.csv"].decode("utf-8"))))


def withholding(record_class: str) -> PolicyDocument:
    """SpectrumVoIP's policy, with `record_class` withheld from the customer's own copy."""
    document = spectrumvoip().document
    process = {**document.legal.process, "customer": {record_class: "never"}}
    return document.model_copy(update={"legal": document.legal.model_copy(update={"process": process})})


def test_every_class_the_customer_may_see_is_a_csv_and_a_json_with_the_same_rows_and_columns(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Issue 15 §2: 'a ZIP with one JSON and one CSV file per record class'."""
    load(engine, keyring, blobs, tmp_path)
    summary, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    for record_class, count in summary["files"].items():  # type: ignore[attr-defined]
        spec = SPECS[record_class]
        table = rows_of(files, spec.stem)
        assert files[f"{spec.stem}.csv"].decode().splitlines()[0].split(",") == list(spec.header)
        assert [list(r) for r in json.loads(files[f"{spec.stem}.json"])] == [list(spec.header)] * count
        assert len(table) == count
    assert summary["files"] == {"subscriber.basic": 1, "numbers.assignments": 1, "location.e911_address": 1,
                                "cpni.call_log": 2, "cpni.fax_log": 1, "cpni.sms_log": 1,
                                "content.voice_message": 1, "content.call_recording": 0,
                                "content.fax_incoming": 1, "content.fax_outgoing": 0, "content.fax_sent": 0,
                                "content.sms_body": 1, "content.chat": 0, "billing.transactions": 1,
                                "billing.payment_instrument": 1, "support.comment_log": 2}
    assert summary["content_files"] == 2 and summary["bytes"] == (tmp_path / "export.zip").stat().st_size
    assert rows_of(files, "subscriber")[0]["account"] == "ACC-1"
    assert rows_of(files, "e911_locations")[0] == {
        "number": "'" + NUMBER, "street": "1 Main St", "city": "Austin", "state": "TX", "postal_code": "78701",
        "country": "US", "registered_at": "2025-01-02T00:00:00+00:00"}
    assert rows_of(files, "support_notes")[0]["text"] == "caller asked about porting"
    assert not (tmp_path / "export.zip.part").exists()


def test_csv_cells_are_formula_safe_while_the_json_keeps_the_values(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """OWASP CSV injection: a cell starting '=' or '+' is written with a leading apostrophe."""
    load(engine, keyring, blobs, tmp_path)
    _, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    assert [c["other_number"] for c in rows_of(files, "call_log")] == ["'+14155550142", "'+14155550143"]
    assert [c["other_number"] for c in json.loads(files["call_log.json"])] == ["+14155550142", "+14155550143"]
    assert rows_of(files, "support_notes")[1]["text"] == "'=HYPERLINK(1)"
    assert json.loads(files["support_notes.json"])[1]["text"] == "=HYPERLINK(1)"


def test_the_numbers_are_the_customers_own_periods_and_no_later_holders_records(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Seed 002: 'a given telephone number may be assigned to many different users'; the customer sees the numbers
    they hold and held, their own periods only, never a previous or later holder's (issue 15 §2)."""
    load(engine, keyring, blobs, tmp_path)
    _, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    assert [(n["added_at"][:10], n["removed_at"][:10]) for n in rows_of(files, "numbers")] == [
        ("2025-01-01", "2026-01-15")]
    everything = b"".join(files.values()).decode("utf-8", "replace")
    assert "+14155550145" not in everything and "not yours" not in everything and "+14155550151" not in everything
    _, theirs = export(engine, keyring, blobs, tmp_path / "acc2.zip", ref="ACC-2")
    assert [n["removed_at"] for n in rows_of(theirs, "numbers")] == [""]
    assert "meet at noon" not in b"".join(theirs.values()).decode("utf-8", "replace")


def test_content_files_are_byte_identical_to_what_was_received(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Issue 15 §2: 'content files in their original format'."""
    load(engine, keyring, blobs, tmp_path)
    _, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    voice, fax = rows_of(files, "voice_messages"), rows_of(files, "faxes_received")
    assert files[voice[0]["file"]] == WAV and voice[0]["file"].endswith(".wav")
    assert files[fax[0]["file"]] == pdf_bytes(2) and fax[0]["file"].startswith("faxes_received/")
    assert voice[0]["size_bytes"] == str(len(WAV))


def test_the_manifest_lists_every_file_with_its_size_and_sha256(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    load(engine, keyring, blobs, tmp_path)
    _, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    manifest = json.loads(files["manifest.json"])
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest() and entry["bytes"] == len(files[path])
    assert manifest["account"] == "ACC-1"


def test_the_card_is_only_its_brand_and_last_four_digits(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """DESIGN: 'Payment cards are never stored: a processor token, brand and last four digits only'."""
    load(engine, keyring, blobs, tmp_path)
    _, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    assert rows_of(files, "billing")[0]["card"] == "visa ****4242"
    assert rows_of(files, "payment_cards")[0]["card"] == "****4242"
    assert b"token" not in files["payment_cards.json"]


def test_the_readme_explains_each_file_and_column_and_names_what_is_withheld_and_why(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Issue 15 §2: 'Classes the policy withholds from self-access (for example notes of a fraud investigation)
    are listed in the README with the reason.'"""
    load(engine, keyring, blobs, tmp_path)
    summary, files = export(engine, keyring, blobs, tmp_path / "export.zip", withholding("support.comment_log"))
    readme = files["README.txt"].decode()
    assert "support.comment_log" not in summary["files"]  # type: ignore[operator]
    assert "support_notes.csv" not in files and "caller asked about porting" not in str(files)
    withheld = readme.split("Not in this copy, and why")[1]
    assert "Notes from your contacts with our support staff: Our privacy policy does not release" in withheld
    assert "Passwords, PINs and security questions" in withheld and "one-way hashes" in withheld
    for record_class in summary["files"]:  # type: ignore[attr-defined]
        spec = SPECS[record_class]
        assert f"{spec.stem}.csv, {spec.stem}.json" in readme
        assert all(f"  {name}: {meaning}" in readme for name, meaning in spec.columns)
    assert "Network session records" in readme.split("Kept outside this records system")[1]


def test_every_export_is_an_audited_self_access(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Issue 15 §2: 'Every view is an audited self-access'."""
    load(engine, keyring, blobs, tmp_path)
    export(engine, keyring, blobs, tmp_path / "export.zip")
    with engine.connect() as conn:
        event = conn.execute(select(audit_event).where(audit_event.c.action == "dsr.export")).one()
        acc_1 = account_id_of(conn, "ACC-1")
    assert event.actor == "customer:ACC-1" and event.account_id == acc_1
    assert "cpni.call_log" in event.record_classes and "self-access" in event.reason


def test_an_unknown_account_reference_is_refused_and_nothing_is_written(
        engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as conn, pytest.raises(AccountNotFound):
        account_id_of(conn, "NOPE")


def test_a_shredded_account_cannot_be_exported_and_leaves_no_file(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """DESIGN: 'destroying an account's data key makes every copy of its data unreadable'."""
    load(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        keyring.shred(conn, account_id_of(conn, "ACC-1"))
    with pytest.raises(AccountShredded):
        export(engine, keyring, blobs, tmp_path / "gone.zip")
    assert not list(tmp_path.glob("gone.zip*"))


class _Heard:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    def begin(self, phase: str, total: int) -> None:
        self.events.append(("begin", phase, total))

    def advance(self, phase: str, amount: int) -> None:
        self.events.append(("advance", phase, amount))


def test_the_export_reports_its_progress_one_record_class_at_a_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Issue 15 §2: 'a background export job (the page shows progress)'."""
    load(engine, keyring, blobs, tmp_path)
    heard = _Heard()
    with transaction(engine) as conn:
        summary = export_account(conn, keyring, blobs, spectrumvoip().document, account_id_of(conn, "ACC-1"),
                                 tmp_path / "p.zip", actor="customer:ACC-1", now=NOW, progress=heard)
    assert heard.events[0] == ("begin", "record classes", len(summary.files))
    assert heard.events[1:] == [("advance", "record classes", 1)] * len(summary.files)


def test_the_export_holds_the_accounting_of_disclosures_and_the_readme_explains_it(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """Issue 17 §3: the customer's copy lists who received their data, as the portal does; a production a
    nondisclosure order still covers is not in it."""
    from custodian.disclosures.store import Release, record_release
    from custodian.policy import store as policy_store
    from tests.builders.legal import SPECTRUMVOIP

    load(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        policy_store.activate(conn, SPECTRUMVOIP.read_text(encoding="utf-8"), actor="test",
                              effective_at=datetime(2020, 1, 1, tzinfo=UTC), now=NOW)
        own = account_id_of(conn, "ACC-1")
        record_release(conn, Release("advertising_networks", "targeted_advertising", ("web.cookie",), "identifiable",
                                     0, "0" * 64, "csv"), [own], actor="staff:officer", now=datetime(2026, 2, 1,
                                                                                                   tzinfo=UTC))
        record_release(conn, Release("Plano Police Department", "legal_obligation", ("cpni.call_log",),
                                     "identifiable", 0, "1" * 64, "zip", withheld_until_lifted=True), [own],
                       actor="staff:desk", now=datetime(2026, 2, 2, tzinfo=UTC))
    _, files = export(engine, keyring, blobs, tmp_path / "export.zip")
    rows = rows_of(files, "disclosures")
    assert rows == [{"date": "2026-02-01", "recipient": "Advertising and third-party cookie providers",
                     "address": rows[0]["address"], "purpose": rows[0]["purpose"],
                     "categories": "Cookies and similar identifiers", "form": "Records that identify you",
                     "legal_process": "no"}]
    assert json.loads(files["disclosures.json"]) == rows
    readme = files["README.txt"].decode("utf-8")
    assert "Who received your data: disclosures.csv, disclosures.json" in readme and "1 disclosure." in readme
    assert "  legal_process: yes when we gave them because the law required it" in readme
    assert json.loads(files["manifest.json"])["disclosures"] == 1
