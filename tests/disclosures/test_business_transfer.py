"""A business transfer: the policy's business_transfer rule decides which classes pass to the successor, the
transfer is one release in the disclosure ledger (one disclosure per account), and every impacted customer is told
by e-mail, once, as the policy says (before or after the transfer), even across runs that fail part-way.

Seed 004 P18: "In the case of a business transaction, including but not limited to, a merger or sale of a portion of
Com 1 Communications assets, customer information will likely be part of the assets transferred." P19: "In this
event, will attempt to notify impacted customers that their information has been transferred."
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.audit.verify import verify_fast
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.rules import Refusal
from custodian.disclosures.tables import business_transfer_notice, disclosure, disclosure_release
from custodian.disclosures.transfer import FEED_NAME, RECORD_NAME, Mailing, Transferred, plan_or_refuse, run_transfer
from custodian.disclosures.transfer_rules import TransferPlan, plan_transfer
from custodian.kernel.clock import utcnow
from custodian.kernel.progress import SilentProgress
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from tests.builders.disclosures import DISCLOSING_POLICY, accounts_with_calls
from tests.builders.smtp import Outbox

NOW = utcnow()  # the addresses of record start when the accounts are made
SUCCESSOR = "Acme Telecom Holdings"
STATES = {"ACC-1": "TX", "ACC-2": "TX", "ACC-3": "CA"}


def transfer_policy(notify: str = "attempt_after_transfer", bound: bool = True) -> CompiledPolicy:
    text = DISCLOSING_POLICY + (
        "business_transfer:\n  classes: [subscriber.basic, cpni.call_log]\n"
        f"  notify_customers: {notify}\n  successor_bound_by_policy: {str(bound).lower()}\n"
        "  description: In a merger or sale of assets, customer information passes to the successor.\n")
    result = check_text(text)
    assert result.valid and result.document is not None, result.problems
    return compile_policy(result.document, text)


def plan_of(policy: CompiledPolicy, *classes: str) -> TransferPlan:
    found = plan_transfer(policy.document, SUCCESSOR, classes)
    assert isinstance(found, TransferPlan), found
    return found


def transfer(engine: Engine, keyring: Keyring, policy: CompiledPolicy, outbox: Outbox, *classes: str,
             out_dir: Path | None = None, blobs: LocalBlobStore | None = None) -> Transferred:
    return run_transfer(engine, keyring, policy, plan_of(policy, *classes), actor="staff:officer", now=NOW,
                        progress=SilentProgress(), mailing=Mailing(outbox, "https://privacy.example", batch=2),
                        out_dir=out_dir, blobs=blobs)


@pytest.fixture
def accounts(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> dict[str, int]:
    return accounts_with_calls(engine, keyring, blobs, tmp_path, STATES)


def test_only_the_classes_the_rule_names_pass_and_the_others_say_why() -> None:
    plan = plan_of(transfer_policy(), "subscriber.basic", "billing.payment_instrument", "cpni.call_log",
                   "biometric.voice_print")
    assert plan.passes == ("subscriber.basic", "cpni.call_log")
    assert dict(plan.refused) == {
        "billing.payment_instrument": "the policy's business_transfer rule does not include it",
        "biometric.voice_print": "the policy lists no record class biometric.voice_print"}


def test_the_successor_is_bound_to_the_policy_when_the_policy_says_so() -> None:
    bound = plan_of(transfer_policy(), "subscriber.basic").binding
    assert bound[0].startswith(f"{SUCCESSOR} must honour Example Telecom, Inc.'s privacy policy")
    free = plan_of(transfer_policy(bound=False), "subscriber.basic").binding
    assert free == (f"The policy does not bind {SUCCESSOR} to it: after the transfer {SUCCESSOR}'s own privacy "
                    "policy governs the information.",)


def test_a_policy_without_the_rule_or_a_transfer_of_nothing_it_names_is_refused() -> None:
    without = check_text(DISCLOSING_POLICY).document
    assert without is not None
    found = plan_transfer(without, SUCCESSOR, ["subscriber.basic"])
    assert isinstance(found, Refusal) and found.rule == "no_business_transfer_rule"
    found = plan_transfer(transfer_policy().document, SUCCESSOR, ["billing.payment_instrument"])
    assert isinstance(found, Refusal) and found.rule == "no_class_passes"


def test_a_refused_transfer_records_no_release_and_audits_the_rule(engine: Engine) -> None:
    found = plan_or_refuse(engine, transfer_policy(), SUCCESSOR, ("billing.payment_instrument",),
                           actor="staff:officer", now=NOW)
    assert isinstance(found, Refusal)
    with transaction(engine) as conn:
        assert conn.execute(select(disclosure_release.c.id)).all() == []
        [(reason,)] = conn.execute(select(audit_event.c.reason).where(audit_event.c.action == "disclosure.refused"))
    assert reason == "no_class_passes"


def test_the_transfer_is_one_release_to_the_successor_and_every_impacted_customer_is_told(
        engine: Engine, keyring: Keyring, accounts: dict[str, int]) -> None:
    """004 P18 and P19: the classes that pass are recorded as one release to the successor, one disclosure per
    account, and every impacted customer is told by e-mail that their information has been transferred."""
    outbox = Outbox()
    done = transfer(engine, keyring, transfer_policy(), outbox, "subscriber.basic", "cpni.call_log")
    assert (done.recorded_now, done.accounts) == (True, 3)
    assert done.told is not None and (done.told.sent, done.told.failed, done.told.no_address) == (3, 0, 0)
    with transaction(engine) as conn:
        [release] = conn.execute(select(disclosure_release)).all()
        disclosed = sorted(row.account_id for row in conn.execute(select(disclosure.c.account_id)))
        assert verify_fast(conn) is None
    assert (release.recipient, release.purpose, json.loads(release.classes)) == (
        SUCCESSOR, "business_transfer", ["subscriber.basic", "cpni.call_log"])
    assert disclosed == sorted(accounts.values())
    assert sorted(mail.to for mail in outbox.sent) == ["acc-1@example.com", "acc-2@example.com", "acc-3@example.com"]
    mail = outbox.sent[0]
    assert mail.subject == f"Example Telecom, Inc.: your information and {SUCCESSOR}"
    assert f"Your information has passed to {SUCCESSOR}." in mail.body
    assert "must honour Example Telecom, Inc.'s privacy policy" in mail.body
    assert "cpni.call_log" not in mail.body and "https://privacy.example/privacy" in mail.body


def test_a_second_run_records_no_second_release_and_tells_only_those_not_yet_told(
        engine: Engine, keyring: Keyring, accounts: dict[str, int]) -> None:
    """Resumable: a send the mail server refused is retried on the next run; nobody is told twice."""
    first = transfer(engine, keyring, transfer_policy(), Outbox(refuse=1), "subscriber.basic")
    assert first.told is not None and (first.told.sent, first.told.failed) == (2, 1)
    outbox = Outbox()
    second = transfer(engine, keyring, transfer_policy(), outbox, "subscriber.basic")
    assert (second.recorded_now, second.release_id) == (False, first.release_id)
    assert second.told is not None and (second.told.sent, second.told.already) == (1, 2)
    assert len(outbox.sent) == 1
    with transaction(engine) as conn:
        assert len(conn.execute(select(disclosure_release.c.id)).all()) == 1
        states = [row.state for row in conn.execute(select(business_transfer_notice.c.state))]
        sent = conn.execute(select(audit_event.c.account_id).where(audit_event.c.action == "notice.sent")).all()
    assert states == ["sent"] * 3 and len(sent) == 3


def test_before_transfer_tells_the_customers_before_the_release_is_recorded(
        engine: Engine, keyring: Keyring, accounts: dict[str, int]) -> None:
    outbox = Outbox()
    transfer(engine, keyring, transfer_policy("before_transfer"), outbox, "subscriber.basic")
    assert f"Your information will pass to {SUCCESSOR}." in outbox.sent[0].body
    with transaction(engine) as conn:
        actions = [row.action for row in conn.execute(
            select(audit_event.c.action).where(audit_event.c.action.in_(["notice.sent", "disclosure.release"]))
            .order_by(audit_event.c.seq))]
    assert actions == ["notice.sent"] * 3 + ["disclosure.release"]


def test_never_tells_nobody_and_needs_no_mail_server(engine: Engine, keyring: Keyring,
                                                       accounts: dict[str, int]) -> None:
    policy = transfer_policy("never")
    done = run_transfer(engine, keyring, policy, plan_of(policy, "subscriber.basic"), actor="staff:officer",
                        now=NOW, progress=SilentProgress(), mailing=None)
    assert done.told is None and done.accounts == 3
    with pytest.raises(ValueError, match="no mail server"):
        run_transfer(engine, keyring, transfer_policy(), plan_of(transfer_policy(), "subscriber.basic"),
                     actor="staff:officer", now=NOW, progress=SilentProgress(), mailing=None)


def test_the_feed_in_the_output_folder_holds_only_the_classes_that_pass_and_matches_the_ledger(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, accounts: dict[str, int], tmp_path: Path) -> None:
    folder = tmp_path / "transfer"
    done = transfer(engine, keyring, transfer_policy(), Outbox(), "subscriber.basic", "billing.payment_instrument",
                    out_dir=folder, blobs=blobs)
    feed = (folder / FEED_NAME).read_bytes()
    assert hashlib.sha256(feed).hexdigest() == done.feed_sha256
    rows = list(csv.DictReader(feed.decode("utf-8").splitlines()))
    assert {row["record_class"] for row in rows} == {"subscriber.basic"}
    assert {row["account"] for row in rows} == set(STATES)
    record = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    assert record["passes"] == ["subscriber.basic"] and record["accounts"] == 3
    assert record["refused"] == [{"class": "billing.payment_instrument",
                                  "why": "the policy's business_transfer rule does not include it"}]
