"""`custodian retention plan|run|receipts` and `custodian jobs run retention` on a data directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import Result

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.db.engine import make_engine, transaction
from custodian.kernel.clock import utcnow
from tests.builders.records import an_account
from tests.builders.retention import SPECTRUMVOIP, add_content

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _records(data_dir: Path, now: datetime = NOW) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    keyring = Keyring(load_master_key(None, data_dir / "master.key"))
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        for days in (10, 95, 120):
            add_content(conn, acc, "content.call_recording", now - timedelta(days=days))
    engine.dispose()


def test_plan_prints_exactly_the_documented_json(cli: Callable[..., Result], initialised: Path) -> None:
    _records(initialised)
    result = cli("retention", "plan", "--now", NOW.isoformat(), "--policy", str(SPECTRUMVOIP), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"now": NOW.isoformat(), "deletions": {"content.call_recording": 2},
                                         "held": {}, "accounts_purged": 0}


def test_plan_without_a_policy_in_force_says_what_to_do(cli: Callable[..., Result], initialised: Path) -> None:
    result = cli("retention", "plan", "--json")
    assert result.exit_code == 1
    assert "no policy version is in force" in result.output


def test_run_deletes_the_plan_and_receipts_list_it(cli: Callable[..., Result], initialised: Path) -> None:
    _records(initialised)
    assert cli("policy", "activate", str(SPECTRUMVOIP), "--effective", "2026-01-01").exit_code == 0
    ran = cli("retention", "run", "--now", NOW.isoformat())
    assert ran.exit_code == 0, ran.output
    assert "deleted 2 records" in ran.stdout
    [receipt] = json.loads(cli("retention", "receipts", "--json").stdout)
    assert receipt["deleted"] == {"content.call_recording": 2}
    after = json.loads(cli("retention", "plan", "--now", NOW.isoformat(), "--json").stdout)
    assert after["deletions"] == {}


def test_the_retention_job_runs_the_policy_in_force(cli: Callable[..., Result], initialised: Path) -> None:
    _records(initialised, utcnow())
    assert cli("policy", "activate", str(SPECTRUMVOIP), "--effective", "2026-01-01").exit_code == 0
    result = cli("jobs", "run", "retention")
    assert result.exit_code == 0, result.output
    assert "deleted 2 records" in result.stdout
