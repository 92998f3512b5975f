"""The CLI's shared guards: commands that write check the master key first; jobs run alone.

DESIGN.md: "a master key (generated on `custodian init` into the data dir with mode 0600, or given by
`CUSTODIAN_MASTER_KEY`, or a KMS) wraps one data key per account"; "Jobs: ... each an idempotent function
run by `custodian jobs run NAME` from cron, holding a job lock".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select

from custodian.crypto.envelope import encode_key, new_key
from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.crypto.tables import account_key
from custodian.db.engine import make_engine
from custodian.jobs.lock import EX_TEMPFAIL, job_lock
from custodian.retention.tables import legal_hold, retention_run
from custodian.staff.tables import staff_member
from tests.builders.records import an_account
from tests.builders.retention import SPECTRUMVOIP

Cli = Callable[..., Result]
WRITING_COMMANDS = [
    ("keys", "shred", "ACC-0001", "--yes", "--reason", "customer asked"),
    ("hold", "add", "--account", "ACC-0001", "--until", "2099-01-01", "--reason", "preservation"),
    ("staff", "add", "rita", "--role", "privacy_officer"),
    ("retention", "run", "--policy", str(SPECTRUMVOIP)),
    ("jobs", "run", "blob-sweep"),
]


def _with_account(data_dir: Path) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    an_account(engine, Keyring(load_master_key(None, data_dir / "master.key")))
    engine.dispose()


def _rows(data_dir: Path) -> tuple[int, ...]:
    """What the writing commands would change: shredded keys, holds, staff, retention runs."""
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    with engine.connect() as conn:
        counts = (conn.execute(select(func.count()).select_from(account_key)
                               .where(account_key.c.wrapped_key.is_(None))).scalar_one(),
                  *(conn.execute(select(func.count()).select_from(table)).scalar_one()
                    for table in (legal_hold, staff_member, retention_run)))
    engine.dispose()
    return counts


@pytest.mark.parametrize("command", WRITING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_writing_command_with_the_wrong_master_key_stops_with_one_line_before_writing(
        cli: Cli, initialised: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]) -> None:
    _with_account(initialised)
    assert cli("policy", "activate", str(SPECTRUMVOIP), "--effective", "2026-01-01").exit_code == 0
    monkeypatch.setenv("CUSTODIAN_MASTER_KEY", encode_key(new_key()))
    result = cli(*command)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "error: keys were wrapped by master key" in result.output
    assert _rows(initialised) == (0, 0, 0, 0)


def test_a_writing_command_with_the_right_master_key_writes(cli: Cli, initialised: Path) -> None:
    _with_account(initialised)
    result = cli("keys", "shred", "ACC-0001", "--yes", "--reason", "customer asked")
    assert result.exit_code == 0, result.output
    assert _rows(initialised) == (1, 0, 0, 0)


@pytest.mark.parametrize("command", [("retention", "run", "--policy", str(SPECTRUMVOIP)),
                                     ("jobs", "run", "retention")], ids=["retention run", "jobs run retention"])
def test_a_second_retention_run_while_one_is_live_exits_75_and_leaves_the_live_run_alone(
        cli: Cli, initialised: Path, command: tuple[str, ...]) -> None:
    engine = make_engine(f"sqlite:///{initialised / 'custodian.db'}")
    with job_lock(engine, "retention", initialised):
        result = cli(*command)
    engine.dispose()
    assert result.exit_code == EX_TEMPFAIL == 75
    assert "already running" in result.output and result.output.count("\n") == 1
    assert _rows(initialised)[3] == 0  # no run opened, none resumed
    assert cli("retention", "run", "--policy", str(SPECTRUMVOIP)).exit_code == 0  # the lock is free again
