"""`custodian import`: a disk that refuses writes fails the command with one line naming the disk."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import insert
from sqlalchemy.exc import OperationalError

from custodian.cli import import_cmd
from custodian.db.engine import make_engine, transaction
from custodian.ingest.tables import import_run
from custodian.kernel.clock import utcnow
from tests.builders.files import ACCOUNTS_HEADER, CONTENT_HEADER, account_line, content_line, csv_file, full_disk

Cli = Callable[..., Result]


def _content(tmp_path: Path) -> Path:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "vm-1.wav").write_bytes(b"RIFF" + b"\x00" * 4096)
    return csv_file(tmp_path / "manifest.csv", CONTENT_HEADER,
                    [content_line("ACC-1", "voice_message", "2024-05-01T10:00:00Z", "media/vm-1.wav")])


def _one_account(cli: Cli, tmp_path: Path) -> None:
    accounts = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [account_line("ACC-1")])
    assert cli("import", "accounts", str(accounts)).exit_code == 0


def test_a_full_blob_store_fails_the_import_with_exit_1_naming_the_blob_directory(
        cli: Cli, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue: ENOSPC names the disk (the blob store path) and fails the import, never exit 0."""
    _one_account(cli, tmp_path)
    full_disk(monkeypatch)
    result = cli("import", "content", str(_content(tmp_path)))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (f"error: blob store {initialised / 'blobs'} cannot be written: "
                                     "no space left on the disk")
    assert "cannot read the file" not in result.output


def test_a_blob_directory_that_cannot_be_written_fails_the_import_with_exit_1(
        cli: Cli, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_account(cli, tmp_path)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file stands where the blob directory should be")
    monkeypatch.setenv("CUSTODIAN_BLOB_DIR", str(blocked / "blobs"))
    result = cli("import", "content", str(_content(tmp_path)))
    assert result.exit_code == 1 and f"blob store {blocked / 'blobs'} cannot be written" in result.stderr


def test_a_read_only_blob_directory_fails_the_import_with_exit_1(
        cli: Cli, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only directory (mode 0500) refuses writes to anyone but root, who ignores modes."""
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only directory; the blocked-path test covers this case")
    _one_account(cli, tmp_path)
    blobs = initialised / "blobs"
    blobs.mkdir(exist_ok=True)
    blobs.chmod(0o500)
    try:
        result = cli("import", "content", str(_content(tmp_path)))
    finally:
        blobs.chmod(0o700)
    assert result.exit_code == 1 and f"blob store {blobs} cannot be written" in result.stderr


def test_a_full_database_disk_names_the_data_directory_not_the_database_url(
        cli: Cli, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(import_cmd, "run_import", full)
    accounts = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER, [account_line("ACC-1")])
    result = cli("import", "accounts", str(accounts))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: no space left on the disk holding the database in {initialised.resolve()}"


def test_a_header_that_repeats_a_column_is_one_error_with_exit_1(cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER + ",city", [account_line("ACC-1") + ",Austin"])
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 1 and result.stderr.strip() == "error: line 1: header repeats column(s) city"
    assert cli("import", "accounts", str(csv_file(tmp_path / "ok.csv", ACCOUNTS_HEADER, [account_line("ACC-1")])),
               "--json").stdout.startswith('{"imported": 1,')


def test_import_status_lists_the_runs_and_shows_a_dead_run_as_interrupted(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    _one_account(cli, tmp_path)
    gone = subprocess.Popen(["true"])
    gone.wait()
    engine = make_engine(f"sqlite:///{initialised / 'custodian.db'}")
    with transaction(engine) as conn:  # what an importer killed with SIGKILL leaves behind
        conn.execute(insert(import_run).values(
            kind="calls", source_format="asterisk", file_name="Master.csv", file_sha256="", actor="cli:ops",
            status="running", imported=20000, rejected=0, duplicates=0, started_at=utcnow(),
            owner_host=socket.gethostname(), owner_pid=gone.pid, owner_started="1", heartbeat_at=utcnow()))
    engine.dispose()
    listed = json.loads(cli("import", "status", "--json").stdout)
    assert [(run["kind"], run["status"], run["imported"]) for run in listed] == [
        ("calls", "interrupted", 20000), ("accounts", "completed", 1)]
    text = cli("import", "status").stdout
    assert "interrupted (run the same import again to resume)" in text and "Master.csv" in text
