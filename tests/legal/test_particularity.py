"""Particularity: a production holds only what the instrument names (Fourth Amendment; DESIGN: "a number target
reaches that line's records inside its window, never the rest of a multi-line account"; SpectrumVoIP DRG V:
"a given telephone number may be assigned to many different users").

A business account with forty extensions: a warrant for one number produces that line's calls, messages and
voice messages only; an account-reference target produces the whole account.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pyzipper
from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.legal import production, service, store, submission
from tests.builders.files import (
    ACCOUNTS_HEADER,
    CALLS_HEADER,
    CONTENT_HEADER,
    NUMBERS_HEADER,
    SMS_HEADER,
    account_line,
    content_line,
    csv_file,
    custodian_call_line,
    number_line,
    sms_line,
)
from tests.builders.legal import a_request, spectrumvoip

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
LINES = [f"+1512555{1000 + index:04d}" for index in range(40)]  # the business's forty extension numbers
TARGET = LINES[7]
CLASSES = ["subscriber.basic", "cpni.call_log", "cpni.sms_log", "content.sms_body", "content.voice_message"]
WAV = b"RIFF\x00\x01WAVEfmt " + bytes(range(64))


def _other(index: int) -> str:
    return f"+1415555{2000 + index:04d}"


def _business(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path) -> None:
    """ACC-BIZ holds forty numbers; each line has a call, an SMS and (every other line) a voice message, each
    with a counterpart unique to that line. One voice message names no line (the manifest has no own number)."""
    files = {
        "accounts": (ACCOUNTS_HEADER, [account_line("ACC-BIZ", kind="business", company="Forty Lines LLC")]),
        "numbers": (NUMBERS_HEADER, [number_line(n, "ACC-BIZ", "2025-01-01", extension=str(100 + i))
                                     for i, n in enumerate(LINES)]),
        "calls": (CALLS_HEADER, [custodian_call_line("ACC-BIZ", "out" if i % 2 else "in", n, _other(i),
                                                     f"2026-01-{1 + i % 28:02d}T10:{i:02d}:00Z")
                                 for i, n in enumerate(LINES)]),
        "sms": (SMS_HEADER, [sms_line("ACC-BIZ", "out", n, _other(i), f"2026-02-{1 + i % 27:02d}T08:{i:02d}:00Z",
                                      body=f"body of line {i}") for i, n in enumerate(LINES)]),
    }
    for kind, (header, rows) in files.items():
        summary = run_import(engine, keyring, blobs, lookup(kind, "custodian" if kind == "calls" else ""),
                             csv_file(tmp / f"{kind}.csv", header, rows), actor="test")
        assert summary.rejected == 0, summary.as_json()
    (tmp / "media").mkdir()
    (tmp / "media" / "vm.wav").write_bytes(WAV)
    voice = [content_line("ACC-BIZ", "voice_message", f"2026-01-{1 + i % 28:02d}T12:{i:02d}:00Z", "media/vm.wav",
                          counterpart=_other(i)) + f",{n}" for i, n in enumerate(LINES) if i % 2 == 1]
    voice.append(content_line("ACC-BIZ", "voice_message", "2026-01-30T12:00:00Z", "media/vm.wav",
                              counterpart="+14155559999") + ",")
    manifest = csv_file(tmp / "content.csv", CONTENT_HEADER + ",own_number", voice)
    assert run_import(engine, keyring, blobs, lookup("content"), manifest, actor="test").rejected == 0


def _produce(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, target: dict[str, str]) -> dict[str, bytes]:
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            instrument={"type": "search_warrant", "jurisdiction": "US-TX", "issued_by": "Collin County District Court",
                        "issued_on": "2026-02-27", "case_number": "26-0042"}, record_classes=CLASSES,
            targets=[target]), channel="staff", actor="staff", now=NOW)
        assert done.state == "in_review", done.problems
        service.approve(conn, keyring, spectrumvoip(), done.request_id, CLASSES, rationale="warrant reviewed",
                        actor="staff:ana", now=NOW)
        made = production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                                  actor="staff:ana", now=NOW)
    with pyzipper.AESZipFile(io.BytesIO(made.package.data)) as archive:
        archive.setpassword(made.package.passphrase.encode())
        return {name: archive.read(name) for name in archive.namelist()}


def _json(files: dict[str, bytes], name: str) -> list[dict[str, object]]:
    return json.loads(files[f"account-01/{name}.json"])  # type: ignore[no-any-return]


def test_a_warrant_for_one_of_forty_extensions_produces_only_that_lines_records(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """'a given telephone number may be assigned to many different users': the other thirty-nine employees'
    calls, messages and voice mail stay out of a warrant that names one number."""
    _business(engine, keyring, blobs, tmp_path)
    files = _produce(engine, keyring, blobs, {"phone_number": TARGET})
    index = LINES.index(TARGET)
    calls, sms, bodies = _json(files, "call_log"), _json(files, "sms_log"), _json(files, "sms_bodies")
    assert [(c["own_number"], c["other_number"]) for c in calls] == [(TARGET, _other(index))]
    assert [(m["own_number"], m["other_number"]) for m in sms] == [(TARGET, _other(index))]
    assert [b["body"] for b in bodies] == [f"body of line {index}"]
    voice = [name for name in files if "/voice_message/" in name]
    assert len(voice) == 1 and files[voice[0]] == WAV
    csv_text = files["account-01/call_log.csv"].decode()
    assert len(csv_text.splitlines()) == 2 and "'" + TARGET in csv_text  # a formula-safe cell; raw in the JSON
    assert not any(_other(i) in files["account-01/call_log.csv"].decode() for i in range(40) if i != index)
    subscriber = _json(files, "subscriber")[0]
    assert "Forty Lines LLC" in json.dumps(subscriber)  # subscriber information: the account holding the number
    manifest = json.loads(files["manifest.json"])
    [entry] = manifest["accounts"]
    assert entry["target"] == f"number {TARGET}" and entry["account_ref"] == "ACC-BIZ"
    assert entry["withheld"] == {"content.voice_message": 1} and "unknown" in entry["withheld_reason"]
    assert all(f["target"] == f"number {TARGET}" and f["from"] == entry["from"] and f["to"] == entry["to"]
               for f in manifest["files"])
    assert not any("ACC-BIZ" in name for name in files)


def test_an_account_reference_target_produces_every_line_of_the_account(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """An account-reference target names the whole account: all forty lines, and the voice message on no line."""
    _business(engine, keyring, blobs, tmp_path)
    files = _produce(engine, keyring, blobs, {"account_ref": "ACC-BIZ"})
    assert {c["own_number"] for c in _json(files, "call_log")} == set(LINES)
    assert {m["own_number"] for m in _json(files, "sms_log")} == set(LINES)
    assert len(_json(files, "sms_bodies")) == 40
    assert len([name for name in files if "/voice_message/" in name]) == 21
    manifest = json.loads(files["manifest.json"])
    assert manifest["accounts"][0]["target"] == "account" and "withheld" not in manifest["accounts"][0]
    assert {f["target"] for f in manifest["files"]} == {"account"}


def test_a_number_and_its_account_named_together_produce_the_whole_account_once(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """A whole-account match of the same account and window subsumes the line's match: one folder, not two."""
    _business(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            instrument={"type": "search_warrant", "jurisdiction": "US-TX", "issued_by": "Collin County District Court",
                        "issued_on": "2026-02-27", "case_number": "26-0042"}, record_classes=CLASSES,
            targets=[{"phone_number": TARGET}, {"account_ref": "ACC-BIZ"}]), channel="staff", actor="s", now=NOW)
        service.scope(conn, keyring, done.request_id, actor="s", now=NOW)
        matches = store.matches_of(conn, done.request_id)
    assert [(m.line, m.window.first_day().isoformat()) for m in matches] == [(None, "2026-01-01")]
