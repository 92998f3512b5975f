"""`custodian backup create|verify|restore` on a data directory: a shred made after the backup survives the
restore, because `keys shred` writes the deletion log and `restore` carries it out again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from sqlalchemy import select

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.crypto.tables import account_key
from custodian.db.engine import make_engine
from tests.builders.records import an_account


def _wrapped_key(data_dir: Path, account_id: int) -> bytes | None:
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    with engine.connect() as conn:
        found = conn.execute(select(account_key.c.wrapped_key).where(account_key.c.account_id == account_id)).scalar()
    engine.dispose()
    return found


def test_create_verify_and_restore_keep_a_later_shred(cli: Callable[..., Result], initialised: Path,
                                                      tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{initialised / 'custodian.db'}")
    account_id = an_account(engine, Keyring(load_master_key(None, initialised / "master.key")), ref="ACC-9")
    engine.dispose()
    backup = tmp_path / "backup"
    created = cli("backup", "create", "--out", str(backup))
    assert created.exit_code == 0, created.output
    assert "deletion log line 0" in created.output
    key_file = (initialised / "master.key").read_bytes().strip()
    key = load_master_key(None, initialised / "master.key")
    for path in backup.rglob("*"):  # the key file lives beside the blobs; no copy of it goes into the backup
        assert not path.is_file() or (key_file not in path.read_bytes() and key not in path.read_bytes())
    verified = cli("backup", "verify", str(backup), "--json")
    assert verified.exit_code == 0, verified.output
    outcome = json.loads(verified.stdout)
    assert (outcome["ok"], outcome["audit_chain"], outcome["rows"]["account"]) == (True, "intact", 1)

    shred = cli("keys", "shred", "ACC-9", "--reason", "closed", "--yes")
    assert shred.exit_code == 0, shred.output
    assert (initialised / "deletion-log" / "deletions.jsonl").exists()

    refused = cli("backup", "restore", str(backup))
    assert refused.exit_code == 1
    assert "pass --yes" in refused.output
    restored = cli("backup", "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert json.loads(restored.stdout)["keys_destroyed"] == 1
    assert _wrapped_key(initialised, account_id) is None
    assert cli("audit", "verify").exit_code == 0


def test_verify_names_a_file_that_changed(cli: Callable[..., Result], initialised: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    assert cli("backup", "create", "--out", str(backup)).exit_code == 0
    with (backup / "database.sqlite").open("ab") as handle:
        handle.write(b"\0")
    result = cli("backup", "verify", str(backup))
    assert result.exit_code == 1
    assert "database.sqlite: does not match its SHA-256" in result.output


def test_create_refuses_a_directory_that_is_not_empty(cli: Callable[..., Result], initialised: Path,
                                                      tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = cli("backup", "create", "--out", str(tmp_path / "full"))
    assert result.exit_code == 1
    assert "is not empty" in result.output
