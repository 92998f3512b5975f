"""`custodian init`, `keys`, `import` and `jobs` in a temporary data directory (embedded SQLite)."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import inspect, select

from custodian.audit import store as audit
from custodian.audit.tables import audit_event
from custodian.crypto import envelope
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.crypto.master import load_master_key
from custodian.db import schema
from custodian.db.engine import make_engine
from custodian.records import store
from custodian.records.types import AccountView
from tests.builders.files import ACCOUNTS_HEADER, account_line, csv_file

Cli = Callable[..., Result]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _database(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'custodian.db'}"


def _head(data_dir: Path) -> tuple[int, str]:
    engine = make_engine(_database(data_dir))
    try:
        with engine.connect() as conn:
            return audit.head(conn)
    finally:
        engine.dispose()


def _read_account(data_dir: Path, master: bytes, ref: str) -> AccountView:
    engine = make_engine(_database(data_dir))
    try:
        with engine.connect() as conn:
            account_id = store.account_id_by_ref(conn, ref)
            assert account_id is not None
            return store.read_account(conn, Keyring(master), account_id)
    finally:
        engine.dispose()


def _accounts_file(folder: Path, *lines: str) -> Path:
    return csv_file(folder / "accounts.csv", ACCOUNTS_HEADER, list(lines))


def _one_line(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_init_creates_a_private_data_dir_a_0600_master_key_and_the_schema(cli: Cli, data_dir: Path) -> None:
    result = cli("init")
    assert result.exit_code == 0, result.output
    key_file = data_dir / "master.key"
    assert _mode(data_dir) == 0o700
    assert _mode(key_file) == 0o600
    assert len(envelope.decode_key(key_file.read_text())) == 32
    engine = make_engine(_database(data_dir))
    try:
        assert schema.current_revision(engine) == schema.head_revision(engine)
        assert set(schema.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert _head(data_dir)[0] == 1
    assert "generated" in result.stdout


def test_init_again_succeeds_and_changes_nothing(cli: Cli, initialised: Path) -> None:
    key_text = (initialised / "master.key").read_text()
    head = _head(initialised)
    again = cli("init")
    assert again.exit_code == 0, again.output
    assert (initialised / "master.key").read_text() == key_text
    assert _head(initialised) == head
    assert "up to date" in again.stdout
    assert not list(initialised.glob("*.tmp"))


def test_init_with_a_master_key_in_the_environment_writes_no_key_file(
        cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODIAN_MASTER_KEY", envelope.encode_key(envelope.new_key()))
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert not (data_dir / "master.key").exists()
    assert "from CUSTODIAN_MASTER_KEY" in result.stdout
    assert cli("audit", "verify").exit_code == 0


def test_rotate_master_writes_a_new_key_file_and_keeps_imported_data_readable(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = _accounts_file(tmp_path, account_line("ACC-1", first="Zephyrine", email="z@canary.example"))
    assert cli("import", "accounts", str(path)).exit_code == 0
    key_file = initialised / "master.key"
    old_master = load_master_key(None, key_file)

    result = cli("keys", "rotate-master")
    assert result.exit_code == 0, result.output
    new_master = load_master_key(None, key_file)
    assert new_master != old_master
    assert _mode(key_file) == 0o600
    assert not list(initialised.glob("master.key.*"))
    view = _read_account(initialised, new_master, "ACC-1")
    assert (view.first_name, view.email) == ("Zephyrine", "z@canary.example")
    assert cli("audit", "verify").exit_code == 0
    more = _accounts_file(tmp_path, account_line("ACC-2"))
    assert json.loads(cli("import", "accounts", str(more), "--json").stdout)["imported"] == 1


def test_rotate_master_with_the_key_in_the_environment_needs_a_new_key_file(
        cli: Cli, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODIAN_MASTER_KEY", envelope.encode_key(envelope.new_key()))
    assert cli("init").exit_code == 0
    result = cli("keys", "rotate-master")
    assert result.exit_code == 1
    assert "--new-key-file" in _one_line(result)


def test_shred_with_yes_destroys_the_accounts_key_and_records_the_reason(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = _accounts_file(tmp_path, account_line("ACC-1"), account_line("ACC-2"))
    assert cli("import", "accounts", str(path)).exit_code == 0
    result = cli("keys", "shred", "ACC-1", "--yes", "--reason", "closure purge")
    assert result.exit_code == 0, result.output
    assert "destroyed" in result.stdout
    master = load_master_key(None, initialised / "master.key")
    with pytest.raises(AccountShredded):
        _read_account(initialised, master, "ACC-1")
    assert _read_account(initialised, master, "ACC-2").first_name == "Ada"
    engine = make_engine(_database(initialised))
    try:
        with engine.connect() as conn:
            last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc())).first()
    finally:
        engine.dispose()
    assert last is not None and (last.action, last.reason) == ("keys.shred", "closure purge")
    again = cli("keys", "shred", "ACC-1", "--yes", "--reason", "closure purge")
    assert again.exit_code == 0
    assert "already destroyed" in again.stdout


def test_shred_without_yes_exits_non_zero_with_a_one_line_reason(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    assert cli("import", "accounts", str(_accounts_file(tmp_path, account_line("ACC-1")))).exit_code == 0
    head = _head(initialised)
    result = cli("keys", "shred", "ACC-1", "--reason", "x")
    assert result.exit_code != 0
    assert "--yes" in _one_line(result)
    master = load_master_key(None, initialised / "master.key")
    assert _read_account(initialised, master, "ACC-1").first_name == "Ada"
    assert _head(initialised) == head


def test_shred_of_an_unknown_account_exits_non_zero(cli: Cli, initialised: Path) -> None:
    result = cli("keys", "shred", "ACC-404", "--yes", "--reason", "x")
    assert result.exit_code != 0
    assert "ACC-404" in _one_line(result)


def test_import_json_prints_exactly_the_documented_shape(cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = _accounts_file(tmp_path, account_line("ACC-1"), account_line("ACC-2", kind="alien"),
                          account_line("ACC-3", email="not-an-address"))
    result = cli("import", "accounts", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    assert json.loads(result.stdout) == {
        "imported": 1, "rejected": 2, "duplicates": 0,
        "errors": [{"line": 3, "reason": "kind: must be one of business, residential"},
                   {"line": 4, "reason": "email: not an e-mail address"}],
    }
    again = json.loads(cli("import", "accounts", str(path), "--json").stdout)
    assert (again["imported"], again["duplicates"], again["rejected"]) == (0, 1, 2)


def test_import_without_json_reports_counts_and_bad_lines(cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = _accounts_file(tmp_path, account_line("ACC-1"), account_line("ACC-2", kind="alien"))
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 1, duplicates 0, rejected 1" in result.stdout
    assert "line 3: kind: must be one of" in result.stdout


def test_importing_a_file_with_a_wrong_header_exits_one_naming_line_one(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", "account_ref,kind,given_name,a_column_nobody_expects_here",
                    ["ACC-1,residential,Ada,x"])
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 1
    line = _one_line(result)
    assert line.startswith("error: line 1: header has missing column(s)")
    assert "a_column_nobody_expects_here" in line


def test_importing_a_file_without_a_header_exits_one_without_echoing_its_first_row(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = csv_file(tmp_path / "accounts.csv", account_line("ACC-1", first="Zephyrine", last="Quillfeather"),
                    [account_line("ACC-2")])
    result = cli("import", "accounts", str(path))
    assert result.exit_code == 1
    line = _one_line(result)
    assert line.startswith("error: line 1: no header row; expected the columns account_ref,kind,")
    assert "Zephyrine" not in line and "Quillfeather" not in line and "ACC-1" not in line


def test_importing_an_unknown_kind_exits_non_zero_with_a_one_line_reason(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    path = _accounts_file(tmp_path, account_line("ACC-1"))
    result = cli("import", "faxes", str(path))
    assert result.exit_code != 0
    assert "unknown import" in _one_line(result)


def test_jobs_run_partitions_succeeds(cli: Cli, initialised: Path) -> None:
    result = cli("jobs", "run", "partitions")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("partitions: ")


def test_jobs_run_blob_sweep_succeeds_on_an_empty_store(cli: Cli, initialised: Path) -> None:
    result = cli("jobs", "run", "blob-sweep")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("blob-sweep: removed 0 unreferenced blobs and 0 partial files")


def test_jobs_run_with_an_unknown_job_exits_non_zero(cli: Cli, initialised: Path) -> None:
    result = cli("jobs", "run", "no-such-job")
    assert result.exit_code != 0
    line = _one_line(result)
    assert "no-such-job" in line and "partitions" in line


def test_db_status_json_says_whether_the_schema_is_up_to_date(cli: Cli, initialised: Path) -> None:
    result = cli("db", "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert status["up_to_date"] is True and status["current"] == status["newest"]


def test_db_status_reports_the_schema_at_head(cli: Cli, initialised: Path) -> None:
    result = cli("db", "status")
    assert result.exit_code == 0, result.output
    engine = make_engine(_database(initialised))
    try:
        head = schema.head_revision(engine)
    finally:
        engine.dispose()
    assert result.stdout.strip() == f"database: {head}; newest: {head}"


def test_an_unreachable_database_is_a_one_line_reason_naming_the_setting(
        cli: Cli, initialised: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODIAN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/nowhere")
    result = cli("db", "status")
    assert result.exit_code == 1
    line = _one_line(result)
    assert "database unavailable" in line and "CUSTODIAN_DATABASE_URL" in line
    assert "nobody" not in line and "127.0.0.1" not in line


def test_db_upgrade_fills_the_line_of_records_stored_before_lines_existed(
        cli: Cli, initialised: Path, tmp_path: Path) -> None:
    """Particularity needs each record's line; a migration cannot decrypt, so `db upgrade` backfills with the key."""
    from sqlalchemy import update

    from custodian.records.tables import call_log
    from tests.builders.files import CALLS_HEADER, NUMBERS_HEADER, custodian_call_line, number_line

    assert cli("import", "accounts", str(_accounts_file(tmp_path, account_line("ACC-1")))).exit_code == 0
    numbers = csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")])
    calls = csv_file(tmp_path / "c.csv", CALLS_HEADER, [
        custodian_call_line("ACC-1", "out", "+15125550100", "+14155550142", "2026-01-10T10:00:00Z")])
    assert cli("import", "numbers", str(numbers)).exit_code == 0
    assert cli("import", "calls", str(calls), "--format", "custodian").exit_code == 0
    engine = make_engine(_database(initialised))
    try:
        with engine.begin() as conn:
            conn.execute(update(call_log).values(own_number_bidx=None))  # as a row stored before 0008
        result = cli("db", "upgrade")
        assert result.exit_code == 0, result.output
        assert "record lines: 1 filled, 0 unknown" in result.stdout
        with engine.connect() as conn:
            assert conn.execute(select(call_log.c.own_number_bidx)).scalar() is not None
    finally:
        engine.dispose()
