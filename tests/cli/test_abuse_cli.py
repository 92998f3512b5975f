"""`custodian abuse`: scan, queue, contact, block, report and campaign register from the shell, against a policy in
force; refusals exit 1 with the rule named."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from click.testing import Result

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.db.engine import make_engine, transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from tests.builders.abuse import an_abuse_ticket, an_account_with_usage, number_of, spectrumvoip_text

TEN_PERCENT = "abuse:\n  threshold_percentile: 90\n  min_peer_group: 5\n"


def _provider(data_dir: Path) -> int:
    """SpectrumVoIP's policy (90th percentile) in force, ten households and one that texts 4,000 times; return the
    id of an open abuse ticket on the texter's account."""
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    master_key = load_master_key(None, data_dir / "master.key")
    keyring, now = Keyring(master_key), utcnow()
    with transaction(engine) as conn:
        policy_store.activate(conn, spectrumvoip_text(TEN_PERCENT), actor="test",
                              effective_at=now - timedelta(days=1), now=now)
    day = now - timedelta(days=2)
    for i in range(10):
        an_account_with_usage(engine, keyring, f"HOME-{i}", calls=3, messages=5, day=day)
    spammer = an_account_with_usage(engine, keyring, "HOME-SPAM", messages=4000, day=day)
    an_account_with_usage(engine, keyring, "BIZ", kind="business", numbers=2, day=day)
    ticket = an_abuse_ticket(engine, master_key, spammer, now=now).grant.ticket_id
    engine.dispose()
    return ticket


def test_the_desk_from_the_shell(cli: Callable[..., Result], initialised: Path, tmp_path: Path) -> None:
    ticket = str(_provider(initialised))
    scanned = cli("abuse", "scan", "--json")
    assert scanned.exit_code == 0, scanned.output
    assert json.loads(scanned.stdout)["opened"] == 1
    queue = json.loads(cli("abuse", "queue", "--json").stdout)
    assert [case["account"] for case in queue] == ["HOME-SPAM"]
    number = number_of("HOME-SPAM", 0)
    early = cli("abuse", "block", "--ticket", ticket, "--number", number, "--reason", "4,000 texts in two days")
    assert early.exit_code == 1 and "contact_first" in early.output
    assert cli("abuse", "contact", "--ticket", ticket, "--method", "phone", "--outcome", "reached").exit_code == 0
    blocked = cli("abuse", "block", "--ticket", ticket, "--number", number, "--reason", "4,000 texts in two days")
    assert blocked.exit_code == 0 and "blocked from sending" in blocked.output
    out = tmp_path / "report.csv"
    reported = cli("abuse", "report", "--ticket", ticket, "--out", str(out))
    assert reported.exit_code == 0, reported.output
    assert "HOME-SPAM" in out.read_text(encoding="utf-8")
    refused = cli("abuse", "report", "--ticket", ticket, "--classes", "cpni.sms_log", "--out", str(tmp_path / "x"))
    assert refused.exit_code == 1 and "recipient_not_listed_for_class" in refused.output


def test_campaign_register_refuses_a_sole_proprietor_without_an_ein(cli: Callable[..., Result], initialised: Path,
                                                                    tmp_path: Path) -> None:
    """002 P111: "SpectrumVoIP cannot provide SMS / MMS functionality to businesses with the legal entity type of
    Sole Proprietorship without EINs." """
    _provider(initialised)
    numbers = ",".join(number_of("BIZ", i) for i in range(2))
    out = tmp_path / "registration.csv"
    refused = cli("abuse", "campaign", "register", "--account", "BIZ", "--entity-type", "sole_proprietor",
                  "--use-case", "appointment reminders", "--numbers", numbers, "--out", str(out))
    assert refused.exit_code == 1 and "ein_required" in refused.output and not out.exists()
    done = cli("abuse", "campaign", "register", "--account", "BIZ", "--entity-type", "sole_proprietor", "--ein",
               "12-3456789", "--use-case", "appointment reminders", "--numbers", numbers, "--out", str(out))
    assert done.exit_code == 0, done.output
    assert "campaign 1: registered" in done.output and out.exists()
