"""`custodian breach clock|record|affected|delay|notify|list`: the breach register from the shell, customers
mailed through a real local SMTP server (issue 18 §2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import Result

from custodian.audit import store as audit
from custodian.cli.context import runtime, settings
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from tests.builders.legal import SPECTRUMVOIP
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import smtp_server

Cli = Callable[..., Result]


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def with_policy(cli: Cli, initialised: Path) -> Path:
    assert cli("policy", "activate", str(SPECTRUMVOIP)).exit_code == 0
    return initialised


def test_clock_prints_exactly_the_rule_sets_keys_as_iso_dates(cli: Cli, data_dir: Path) -> None:
    """47 CFR 64.2011(b), (b)(1) (2007): seven business days to tell the USSS and FBI, then seven full business
    days before customers (Thanksgiving 2026-11-26 is no business day)."""
    printed = json.loads(_ok(cli("breach", "clock", "--rules", "fcc_2007", "--determined", "2026-11-20",
                                 "--le-notified", "2026-11-23", "--json")))
    assert printed == {"law_enforcement_due": "2026-12-02", "customer_notice_earliest": "2026-12-04"}


def test_clock_for_texas_adds_the_attorney_general_from_250_residents(cli: Cli, data_dir: Path) -> None:
    """Tex. Bus. & Com. Code 521.053(b), (i)."""
    printed = json.loads(_ok(cli("breach", "clock", "--rules", "texas", "--determined", "2026-11-26",
                                 "--affected", "300", "--json")))
    assert printed == {"customer_notice_due": "2027-01-25", "attorney_general_due": "2026-12-26"}


def test_clock_refuses_an_unknown_rule_set_and_a_bad_date_in_one_line(cli: Cli, data_dir: Path) -> None:
    unknown = cli("breach", "clock", "--rules", "gdpr", "--determined", "2026-11-20")
    assert unknown.exit_code == 1 and "no breach rule set 'gdpr'" in unknown.stderr
    bad = cli("breach", "clock", "--rules", "texas", "--determined", "20 Nov")
    assert bad.exit_code == 1 and "--determined '20 Nov' is not a date" in bad.stderr


def test_an_incident_from_record_to_customer_notice(cli: Cli, with_policy: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings.cache_clear()
    rt = runtime()
    start = utcnow()
    read, unread = an_account(rt.engine, rt.keyring(), ref="ACC-1"), an_account(rt.engine, rt.keyring(), ref="ACC-2")
    with transaction(rt.engine) as conn:
        # The trail's times only move forward: the reads are stamped after the policy's activation.
        for account_id, at in ((read, start + timedelta(hours=1)), (unread, start + timedelta(days=3))):
            audit.append(conn, actor="staff:mallory", action="access.permit", account_id=account_id,
                         record_classes=("cpni.call_log",), reason="billing ticket", now=at)
    rt.engine.dispose()
    reference = _ok(cli("breach", "record", "--discovered", "2026-11-16", "--determined", "2026-11-20",
                        "--description", "A representative read call detail without a ticket need",
                        "--classes", "cpni.call_log")).strip()  # the policy suggests fcc_2023, texas
    assert reference.startswith("BR-")
    added = _ok(cli("breach", "affected", "--incident", reference, "--actor", "mallory",
                    "--from", start.date().isoformat(), "--to", (start + timedelta(days=1)).date().isoformat()))
    assert added.startswith("1 accounts added; 1 affected")  # the read three days later is outside the window
    drafted = _ok(cli("breach", "notify", "--incident", reference, "--kind", "law_enforcement",
                      "--out", str(tmp_path / "out"))).split()
    assert sorted(Path(p).suffix for p in drafted) == [".pdf", ".txt"]
    text = Path(next(p for p in drafted if p.endswith(".txt"))).read_text(encoding="utf-8")
    assert "Approximate number of customers affected: 1" in text and "Call detail" in text
    assert _ok(cli("breach", "notify", "--incident", reference, "--kind", "law_enforcement", "--send"))
    with smtp_server() as (inbox, port):
        monkeypatch.setenv("CUSTODIAN_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CUSTODIAN_SMTP_PORT", str(port))
        told = _ok(cli("breach", "notify", "--incident", reference, "--kind", "customer", "--send"))
    assert told.startswith("1 sent, 0 failed")
    assert [m["To"] for m in inbox.messages] == [CANARY_EMAIL]
    listed = json.loads(_ok(cli("breach", "list", "--json")))["incidents"][0]
    assert listed["rule_sets"] == ["fcc_2023", "texas"]  # SpectrumVoIP's jurisdictions: US, US-TX
    done = {c["key"]: c["done"] for c in listed["clocks"]}
    assert done["law_enforcement_due"] and done["customer_notice_due"] and not done["regulator_due"]
    assert CANARY_EMAIL not in cli("breach", "list").output


def test_a_notice_filed_earlier_is_recorded_on_its_day_and_the_2007_earliest_counts_from_it(
        cli: Cli, with_policy: Path) -> None:
    """47 CFR 64.2011(b)(1) (2007): customers not told "until 7 full business days have passed after notification
    to the USSS and the FBI" - counted from the day the officer filed it, not the day it was recorded."""
    reference = _ok(cli("breach", "record", "--discovered", "2026-11-16", "--determined", "2026-11-20",
                        "--description", "Pretexting call", "--classes", "cpni.call_log",
                        "--rules", "fcc_2007")).strip()
    assert _ok(cli("breach", "notify", "--incident", reference, "--kind", "law_enforcement", "--send",
                   "--sent-on", "2026-11-23"))
    clocks = json.loads(_ok(cli("breach", "list", "--json")))["incidents"][0]["clocks"]
    assert {c["key"]: c["on"] for c in clocks} == {
        "law_enforcement_due": "2026-12-02", "customer_notice_earliest": "2026-12-04"}
    assert next(c["done"] for c in clocks if c["key"] == "law_enforcement_due")
    future = cli("breach", "notify", "--incident", reference, "--kind", "regulator", "--send",
                 "--sent-on", "2099-01-01")
    assert future.exit_code == 1 and "between the incident's discovery and now" in future.stderr


def test_a_delay_moves_the_customer_deadline_past_its_last_day(cli: Cli, with_policy: Path) -> None:
    """47 CFR 64.2011(a)(2) (2024): law enforcement may direct the carrier not to notify for up to 30 days."""
    reference = _ok(cli("breach", "record", "--discovered", "2026-11-16", "--determined", "2026-11-20",
                        "--description", "Stolen laptop", "--classes", "subscriber.basic", "--rules", "fcc_2023",
                        "--affected", "40")).strip()
    assert _ok(cli("breach", "delay", "--incident", reference, "--until", "2099-01-31", "--agency", "FBI"))
    clocks = json.loads(_ok(cli("breach", "list", "--json")))["incidents"][0]["clocks"]
    assert {c["key"]: c["on"] for c in clocks}["customer_notice_due"] == "2099-02-01"


def test_record_refuses_a_rule_set_or_class_the_policy_lacks(cli: Cli, with_policy: Path) -> None:
    base = ["breach", "record", "--discovered", "2026-11-16", "--determined", "2026-11-20", "--description", "x"]
    bad_rules = cli(*base, "--classes", "subscriber.basic", "--rules", "gdpr")
    assert bad_rules.exit_code == 1 and "no breach rule set gdpr" in bad_rules.stderr
    bad_class = cli(*base, "--classes", "content.nothing", "--rules", "texas")
    assert bad_class.exit_code == 1 and "content.nothing unknown" in bad_class.stderr
    missing = cli("breach", "delay", "--incident", "BR-1999-0001", "--until", "2099-01-01", "--agency", "FBI")
    assert missing.exit_code == 1 and "no breach incident 'BR-1999-0001'" in missing.stderr
