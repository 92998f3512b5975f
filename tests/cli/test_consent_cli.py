"""`custodian consent check|record|history|receipt|notify-cpni|approve-campaign` on an initialised data directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.db.engine import make_engine
from tests.builders.consent import CONSENT_POLICY, activate
from tests.builders.records import an_account


def _provider(data_dir: Path, ref: str = "ACC-7", **account: str) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    activate(engine, CONSENT_POLICY)
    an_account(engine, Keyring(load_master_key(None, data_dir / "master.key")), ref=ref, **account)
    engine.dispose()


def test_check_prints_exactly_the_decision_as_json(cli: Callable[..., Result], initialised: Path) -> None:
    """Issue 16 §2: `custodian consent check ... --json` prints `{"allowed": bool, "basis": "..."}`."""
    _provider(initialised)
    before = cli("consent", "check", "--account", "ACC-7", "--purpose", "recording_transcripts", "--json")
    assert before.exit_code == 0, before.output
    assert before.stdout == '{"allowed": false, "basis": "opt_in not given"}\n'
    recorded = cli("consent", "record", "--account", "ACC-7", "--purpose", "recording_transcripts",
                   "--choice", "granted", "--channel", "written_form", "--at", "2026-01-05T10:00:00Z")
    assert recorded.exit_code == 0, recorded.output
    after = cli("consent", "check", "--account", "ACC-7", "--purpose", "recording_transcripts", "--json")
    assert after.stdout == '{"allowed": true, "basis": "opt_in granted"}\n'
    earlier = cli("consent", "check", "--account", "ACC-7", "--purpose", "recording_transcripts",
                  "--at", "2026-01-04T10:00:00Z", "--json")
    assert json.loads(earlier.stdout) == {"allowed": False, "basis": "opt_in not given"}


def test_cpni_use_is_refused_until_the_opt_out_notice_is_sent(cli: Callable[..., Result], initialised: Path) -> None:
    """47 CFR 64.2009(a): "the status of a customer's CPNI approval can be clearly established prior to the use
    of CPNI"."""
    _provider(initialised)
    result = cli("consent", "check", "--account", "ACC-7", "--purpose", "calling_plan_offers", "--json")
    assert json.loads(result.stdout) == {"allowed": False, "basis": "cpni opt-out notice not sent"}


def test_record_errors_name_the_flag(cli: Callable[..., Result], initialised: Path) -> None:
    _provider(initialised)
    base = ("consent", "record", "--account", "ACC-7", "--purpose", "marketing_offers")
    for args, expected in (((*base, "--choice", "maybe", "--channel", "portal"), "--choice: "),
                           ((*base, "--choice", "denied", "--channel", "pigeon"), "--channel: "),
                           ((*base, "--choice", "denied", "--channel", "portal", "--medium", "fax"), "--medium: "),
                           ((*base, "--choice", "denied", "--channel", "portal", "--at", "soon"), "--at: "),
                           (("consent", "record", "--account", "NOPE", "--purpose", "marketing_offers", "--choice",
                             "denied", "--channel", "portal"), "--account: ")):
        result = cli(*args)
        assert result.exit_code == 1 and expected in result.output, (args, result.output)


def test_history_and_receipt_show_the_recorded_choice(cli: Callable[..., Result], initialised: Path) -> None:
    _provider(initialised)
    receipt_id = cli("consent", "record", "--account", "ACC-7", "--purpose", "marketing_offers", "--choice",
                     "denied", "--channel", "representative", "--medium", "email").stdout.strip()
    rows = json.loads(cli("consent", "history", "--account", "ACC-7", "--json").stdout)
    assert [(r["receipt_id"], r["purpose"], r["medium"], r["choice"]) for r in rows] == [
        (receipt_id, "marketing_offers", "email", "denied")]
    receipt = json.loads(cli("consent", "receipt", "--id", receipt_id).stdout)
    assert (receipt["consentReceiptID"], receipt["piiPrincipalId"], receipt["version"]) == (
        receipt_id, "ACC-7", "KI-CR-v1.1.0")


def test_approve_campaign_records_the_supervisor_for_a_cpni_purpose_only(
        cli: Callable[..., Result], initialised: Path) -> None:
    """47 CFR 64.2009(d): "sales personnel must obtain supervisory approval of any proposed outbound marketing
    request for customer approval"."""
    _provider(initialised)
    approved = cli("consent", "approve-campaign", "--name", "Spring plans", "--purpose", "calling_plan_offers",
                   "--supervisor", "mgarcia", "--description", "Call customers who call abroad about plans.")
    assert approved.exit_code == 0 and approved.stdout.strip().isdigit(), approved.output
    refused = cli("consent", "approve-campaign", "--name", "News", "--purpose", "marketing_offers",
                  "--supervisor", "mgarcia", "--description", "Newsletter.")
    assert refused.exit_code == 1 and "--purpose: 'marketing_offers' uses no CPNI" in refused.output


def test_notify_cpni_writes_a_letter_without_an_email_of_record_and_sends_nothing_twice(
        cli: Callable[..., Result], initialised: Path, tmp_path: Path) -> None:
    """47 CFR 64.2008(d)(1): approval is assumed only after notice; a second run sends nothing new."""
    _provider(initialised, email="")
    letters = tmp_path / "letters"
    first = cli("consent", "notify-cpni", "--letters", str(letters))
    assert first.stdout == "0 notices e-mailed, 1 letters written, 0 not sent\n", first.output
    second = cli("consent", "notify-cpni", "--letters", str(letters))
    assert second.stdout == "0 notices e-mailed, 0 letters written, 0 not sent\n"
    [letter] = letters.iterdir()
    assert "Refusing will not affect the provision of any service" in letter.read_text()
    result = cli("consent", "check", "--account", "ACC-7", "--purpose", "calling_plan_offers", "--json")
    assert json.loads(result.stdout) == {"allowed": False, "basis": "cpni opt-out notice period running"}
