"""`custodian consent suppression --purpose P --channel C --out FILE [--json] [--permitted]`."""

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
from custodian.policy import store as policy_store
from tests.builders.consent import record
from tests.builders.legal import activate_spectrumvoip
from tests.builders.records import an_account


def _an_opt_out(data_dir: Path, days_ago: int) -> str:
    """The SpectrumVoIP policy in force and one opt-out of marketing e-mail `days_ago`; its receipt id."""
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    keyring = Keyring(load_master_key(None, data_dir / "master.key"))
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
        policy = policy_store.in_force(conn, utcnow()).compiled()  # type: ignore[union-attr]
    account_id = an_account(engine, keyring, email="No.More@example.net")
    made = utcnow() - timedelta(days=days_ago)
    entry = record(engine, policy, account_id, "marketing", "denied", made, medium="email")
    engine.dispose()
    return entry.receipt_id


def test_the_list_is_written_as_csv_and_the_json_names_overdue_opt_outs(
        cli: Callable[..., Result], initialised: Path, tmp_path: Path) -> None:
    receipt = _an_opt_out(initialised, days_ago=30)
    out = tmp_path / "suppressed.csv"
    first = cli("consent", "suppression", "--purpose", "marketing", "--channel", "sms", "--out", str(out), "--json")
    assert first.exit_code == 0, first.output
    printed = json.loads(first.stdout)
    assert printed["list"] == "suppressed" and printed["choice"] == "opt_out" and printed["count"] == 0
    assert [(o["receipt_id"], o["channel"]) for o in printed["overdue_opt_outs"]] == [(receipt, "email")]
    second = cli("consent", "suppression", "--purpose", "marketing", "--channel", "email", "--out", str(out), "--json")
    assert json.loads(second.stdout)["overdue_opt_outs"] == []
    assert out.read_bytes() == b"contact\r\nno.more@example.net\r\n"
    assert out.stat().st_mode & 0o077 == 0


def test_an_unknown_channel_fails_in_one_line_naming_the_flag(cli: Callable[..., Result], initialised: Path,
                                                               tmp_path: Path) -> None:
    _an_opt_out(initialised, days_ago=1)
    result = cli("consent", "suppression", "--purpose", "marketing", "--channel", "fax", "--out",
                 str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "--channel: 'fax' is not one of email, sms, phone, post" in result.output
    assert not (tmp_path / "x.csv").exists()
