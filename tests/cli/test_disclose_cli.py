"""`custodian disclose ... --json` prints exactly {"disclosed", "excluded_by_choice", "refused"} and exits 1 when the
gate refuses; `custodian disclose aggregate` states k and how many cells it withheld."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import Result

from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key
from custodian.db.engine import make_engine
from tests.builders.disclosures import DISCLOSING_POLICY, choose
from tests.builders.records import an_account


def _accounts(data_dir: Path, tmp_path: Path) -> Path:
    """ACC-1 opted in to partner offers and usage statistics; ACC-2 made no choice. Return the policy file."""
    engine = make_engine(f"sqlite:///{data_dir / 'custodian.db'}")
    keyring = Keyring(load_master_key(None, data_dir / "master.key"))
    first = an_account(engine, keyring, ref="ACC-1", signup_on=date(2025, 6, 1))
    an_account(engine, keyring, ref="ACC-2", email="second@example.com", signup_on=date(2025, 6, 1))
    choose(engine, first, "partner_offers", "granted")
    choose(engine, first, "usage_statistics", "granted")
    engine.dispose()
    policy = tmp_path / "policy.yaml"
    policy.write_text(DISCLOSING_POLICY, encoding="utf-8")
    return policy


def test_disclose_prints_exactly_the_counts_and_writes_the_feed(cli: Callable[..., Result], initialised: Path,
                                                                 tmp_path: Path) -> None:
    """Issue 17 §1: `custodian disclose --recipient NAME --purpose P --classes a,b (--accounts FILE | --all) --out
    FILE [--json]` prints `{"disclosed": n, "excluded_by_choice": n, "refused": null | "reason"}`."""
    policy = _accounts(initialised, tmp_path)
    out = tmp_path / "feed.csv"
    result = cli("disclose", "--recipient", "offers_partner", "--purpose", "partner_offers", "--classes",
                 "subscriber.basic", "--all", "--out", str(out), "--policy", str(policy), "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout == '{"disclosed": 1, "excluded_by_choice": 1, "refused": null}\n'
    assert "ACC-1" in out.read_text(encoding="utf-8") and "ACC-2" not in out.read_text(encoding="utf-8")


def test_disclose_reads_account_references_from_a_file(cli: Callable[..., Result], initialised: Path,
                                                        tmp_path: Path) -> None:
    policy = _accounts(initialised, tmp_path)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text("ACC-2\n", encoding="utf-8")
    result = cli("disclose", "--recipient", "offers_partner", "--purpose", "partner_offers", "--classes",
                 "subscriber.basic", "--accounts", str(accounts), "--out", str(tmp_path / "f.jsonl"), "--format",
                 "jsonl", "--policy", str(policy), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"disclosed": 0, "excluded_by_choice": 1, "refused": None}


def test_disclose_exits_1_naming_the_rule_when_refused(cli: Callable[..., Result], initialised: Path,
                                                        tmp_path: Path) -> None:
    """002 P15: "SpectrumVoIP will not share or disclose personal information for purposes other than as described
    herein." The card processor is not listed for partner offers."""
    policy = _accounts(initialised, tmp_path)
    out = tmp_path / "feed.csv"
    result = cli("disclose", "--recipient", "card_processor", "--purpose", "partner_offers", "--classes",
                 "subscriber.basic", "--all", "--out", str(out), "--policy", str(policy), "--json")
    assert result.exit_code == 1
    printed = json.loads(result.stdout)
    assert list(printed) == ["disclosed", "excluded_by_choice", "refused"]
    assert printed["disclosed"] == 0 and printed["refused"].startswith("recipient_not_listed_for_purpose: ")
    assert not out.exists()


def test_disclose_needs_accounts_or_all_and_names_the_flag(cli: Callable[..., Result], initialised: Path,
                                                            tmp_path: Path) -> None:
    policy = _accounts(initialised, tmp_path)
    result = cli("disclose", "--recipient", "offers_partner", "--purpose", "partner_offers", "--classes",
                 "subscriber.basic", "--out", str(tmp_path / "f.csv"), "--policy", str(policy))
    assert result.exit_code == 1 and "--accounts FILE or --all" in result.output


def test_disclose_aggregate_states_k_and_the_cells_suppressed(cli: Callable[..., Result], initialised: Path,
                                                               tmp_path: Path) -> None:
    """Issue 17 §2: "the output states k and how many cells were suppressed"."""
    policy = _accounts(initialised, tmp_path)
    out = tmp_path / "report.json"
    result = cli("disclose", "aggregate", "--recipient", "report_partner", "--purpose", "usage_statistics",
                 "--metric", "accounts", "--by", "state", "--from", "2020-01-01", "--to", "2030-01-01", "--out",
                 str(out), "--policy", str(policy))
    assert result.exit_code == 0, result.output
    assert "k = 3" in result.stdout and "1 suppressed" in result.stdout
    assert "1 left out by their choice" in result.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["k"] == 3 and report["cells"] == [] and report["withheld"] == [{"state": "TX"}]


def test_disclose_aggregate_rejects_an_unknown_metric_naming_the_flag(cli: Callable[..., Result],
                                                                       initialised: Path, tmp_path: Path) -> None:
    policy = _accounts(initialised, tmp_path)
    result = cli("disclose", "aggregate", "--recipient", "report_partner", "--purpose", "usage_statistics",
                 "--metric", "bytes", "--by", "state", "--out", str(tmp_path / "r.json"), "--policy", str(policy))
    assert result.exit_code == 1 and "--metric" in result.output


TRANSFER = ("business_transfer:\n  classes: [subscriber.basic]\n  notify_customers: {notify}\n"
            "  description: In a merger, customer information passes to the successor.\n")


def test_business_transfer_prints_what_passes_the_binding_and_the_release(cli: Callable[..., Result],
                                                                          initialised: Path, tmp_path: Path) -> None:
    """Issue 17 §5: `custodian disclose business-transfer --successor NAME --classes ...` runs the policy's
    business_transfer rule: the classes that pass, the successor's binding, and the release to the successor."""
    policy = _accounts(initialised, tmp_path)
    policy.write_text(DISCLOSING_POLICY + TRANSFER.format(notify="never"), encoding="utf-8")
    args = ("disclose", "business-transfer", "--successor", "Acme Holdings", "--classes",
            "subscriber.basic,cpni.call_log", "--policy", str(policy))
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert (answer["passes"], answer["accounts"], answer["recorded_now"], answer["notices"]) == (
        ["subscriber.basic"], 2, True, None)
    assert answer["refused"] == [{"class": "cpni.call_log",
                                  "why": "the policy's business_transfer rule does not include it"}]
    assert answer["binding"][0].startswith("Acme Holdings must honour")
    again = cli(*args)
    assert again.exit_code == 0, again.output
    assert f"release {answer['release_id']} (recorded before): 2 accounts" in again.stdout


def test_business_transfer_exits_1_naming_the_rule_when_nothing_may_pass(
        cli: Callable[..., Result], initialised: Path, tmp_path: Path) -> None:
    policy = _accounts(initialised, tmp_path)
    policy.write_text(DISCLOSING_POLICY + TRANSFER.format(notify="after_transfer"), encoding="utf-8")
    result = cli("disclose", "business-transfer", "--successor", "Acme Holdings", "--classes", "cpni.call_log",
                 "--policy", str(policy), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["refused_transfer"].startswith("no_class_passes: ")
