"""`custodian dsr export --account REF --out FILE [--json]` against an initialised data directory."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from click.testing import Result

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.db.engine import make_engine, transaction
from custodian.db.partitions import ensure_partition
from custodian.records import payload
from custodian.records.tables import call_log, sms_log
from tests.builders.legal import SPECTRUMVOIP
from tests.builders.records import an_account


def _account_with_calls(data_dir: Path, ref: str, calls: int) -> None:
    """An account with `calls` call records and one text message, sealed as the importer seals them."""
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    keyring = Keyring(load_master_key(None, data_dir / "master.key"))
    account_id = an_account(engine, keyring, ref=ref)
    with transaction(engine) as conn:
        cipher = keyring.cipher(conn, account_id)
        numbers = {"own": "+15125550100", "counterpart": "+14155550142"}
        sealed = cipher.seal(payload.encode(payload.CALL_FIELDS, numbers),
                             payload.aad("call_log", "payload", account_id))
        for minute in range(calls):
            started = datetime(2026, 1, 1, 9, minute, tzinfo=UTC)
            ensure_partition(conn, "call_log", started)
            conn.execute(call_log.insert().values(
                account_id=account_id, started_at=started, record_key=bytes([minute]) * 16, direction="out",
                source_format="test", duration_s=65, billsec_s=60, disposition="ANSWERED", payload_enc=sealed))
        sent = datetime(2026, 1, 2, tzinfo=UTC)
        ensure_partition(conn, "sms_log", sent)
        conn.execute(sms_log.insert().values(
            account_id=account_id, sent_at=sent, record_key=b"s" * 16, direction="in", segments=1,
            payload_enc=cipher.seal(payload.encode(payload.SMS_FIELDS, {"own": "+15125550100"}),
                                    payload.aad("sms_log", "payload", account_id))))
    engine.dispose()


def test_dsr_export_prints_rows_per_class_content_files_and_bytes(cli: Callable[..., Result], initialised: Path,
                                                                   tmp_path: Path) -> None:
    """Issue 15 §4: prints `{"files": {"<record_class>": rows, ...}, "content_files": n, "bytes": n}`."""
    _account_with_calls(initialised, "ACC-9", 3)
    out = tmp_path / "acc-9.zip"
    result = cli("dsr", "export", "--account", "ACC-9", "--out", str(out), "--policy", str(SPECTRUMVOIP), "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert list(printed) == ["files", "content_files", "bytes"]
    assert printed["files"]["cpni.call_log"] == 3 and printed["files"]["cpni.sms_log"] == 1
    assert printed["files"]["subscriber.basic"] == 1 and printed["content_files"] == 0
    assert printed["bytes"] == out.stat().st_size
    with zipfile.ZipFile(out) as archive:
        assert {"README.txt", "manifest.json", "call_log.csv", "call_log.json"} <= set(archive.namelist())


def test_dsr_export_without_json_says_what_it_wrote(cli: Callable[..., Result], initialised: Path,
                                                    tmp_path: Path) -> None:
    _account_with_calls(initialised, "ACC-9", 2)
    result = cli("dsr", "export", "--account", "ACC-9", "--out", str(tmp_path / "x.zip"), "--policy",
                 str(SPECTRUMVOIP))
    assert result.exit_code == 0, result.output
    assert "content files" in result.stdout and "records in" in result.stdout


def test_dsr_export_of_an_unknown_account_fails_in_one_line_and_writes_nothing(
        cli: Callable[..., Result], initialised: Path, tmp_path: Path) -> None:
    out = tmp_path / "nope.zip"
    result = cli("dsr", "export", "--account", "NOPE", "--out", str(out), "--policy", str(SPECTRUMVOIP))
    assert result.exit_code == 1
    assert "no account has the reference 'NOPE'" in result.output
    assert not out.exists() and not list(tmp_path.glob("nope.zip*"))
