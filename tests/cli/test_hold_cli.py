"""`custodian hold add|list|release` against an initialised data directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.db.engine import make_engine
from tests.builders.records import an_account


def _account(data_dir: Path, ref: str) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    an_account(engine, Keyring(load_master_key(None, data_dir / "master.key")), ref=ref)
    engine.dispose()


def test_hold_add_prints_the_id_and_list_shows_the_hold(cli: Callable[..., Result], initialised: Path) -> None:
    _account(initialised, "ACC-9")
    added = cli("hold", "add", "--account", "ACC-9", "--classes", "content.sms_body,cpni.sms_log",
                "--from", "2026-01-01", "--to", "2026-02-28", "--until", "2099-12-31", "--reason", "subpoena 17")
    assert added.exit_code == 0, added.output
    hold_id = int(added.stdout.strip())
    listed = json.loads(cli("hold", "list", "--json").stdout)
    assert [(h["id"], h["account"], h["classes"]) for h in listed] == [
        (hold_id, "ACC-9", ["content.sms_body", "cpni.sms_log"])]
    assert listed[0]["window_start"].startswith("2026-01-01T00:00")
    assert listed[0]["window_end"].startswith("2026-03-01T00:00")  # through the end of Feb 28
    released = cli("hold", "release", str(hold_id), "--reason", "case closed")
    assert released.exit_code == 0, released.output
    assert json.loads(cli("hold", "list", "--json").stdout) == []
    assert json.loads(cli("hold", "list", "--all", "--json").stdout)[0]["active"] is False


def test_hold_add_with_an_unknown_class_fails_naming_the_field(cli: Callable[..., Result], initialised: Path) -> None:
    _account(initialised, "ACC-9")
    result = cli("hold", "add", "--account", "ACC-9", "--classes", "content.bogus", "--until", "2099-01-01",
                 "--reason", "r")
    assert result.exit_code == 1
    assert "classes: unknown record class content.bogus" in result.output


def test_hold_add_for_an_unknown_account_fails(cli: Callable[..., Result], initialised: Path) -> None:
    result = cli("hold", "add", "--account", "NOPE", "--until", "2099-01-01", "--reason", "r")
    assert result.exit_code == 1
    assert "account: no account 'NOPE'" in result.output
