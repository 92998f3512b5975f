"""Policy diff: which changes are material (customers must be told and may need to choose again)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custodian.policy.check import check_text
from custodian.policy.diff import Change, diff_policies
from custodian.policy.document import PolicyDocument
from tests.builders.policy import SMALL_POLICY, policy_with
from tests.cli.conftest import run_cli

OPT_IN = policy_with("    choice: opt_out\n", "    choice: opt_in\n")


def _doc(text: str) -> PolicyDocument:
    result = check_text(text)
    assert result.valid and result.document is not None, result.problems
    return result.document


def _diff(old: str, new: str) -> list[Change]:
    return diff_policies(_doc(old), _doc(new))


def _material(changes: list[Change]) -> list[tuple[str, str]]:
    return [(change.path, change.reason) for change in changes if change.material]


def test_identical_policies_have_no_changes() -> None:
    assert _diff(SMALL_POLICY, SMALL_POLICY) == []


def test_rewording_and_new_contact_details_are_listed_but_not_material() -> None:
    new = policy_with("Tell customers about new plans.", "Tell customers about our new plans.")
    new = new.replace("privacy@telecom.example", "dpo@telecom.example")
    changes = _diff(SMALL_POLICY, new)
    assert {change.path for change in changes} == {"purposes.marketing_offers.description",
                                                  "provider.contacts.0.email"}
    assert not any(change.material for change in changes)


def test_a_new_purpose_for_a_class_already_collected_is_material() -> None:
    new = policy_with("staff:\n", "  analytics:\n    data_use: analytics.reporting\n    choice: opt_out\n"
                      "    classes: [cpni.call_log]\n    description: Study calling patterns.\nstaff:\n")
    assert _material(_diff(SMALL_POLICY, new)) == [
        ("purposes.analytics", "a new purpose for classes already collected: cpni.call_log")]


@pytest.mark.parametrize(("old", "new", "material"), [
    (OPT_IN, SMALL_POLICY, True),     # opt-in -> opt-out: weakened
    (SMALL_POLICY, OPT_IN, False),    # opt-out -> opt-in: stricter
])
def test_weakening_a_choice_is_material_and_strengthening_it_is_not(old: str, new: str, material: bool) -> None:
    change, = _diff(old, new)
    assert (change.path, change.material) == ("purposes.marketing_offers.choice", material)


def test_a_new_recipient_or_a_recipient_receiving_a_new_class_is_material_but_removing_one_is_not() -> None:
    more = policy_with("    classes: [subscriber.basic, billing.payment_instrument]\n    purposes: [provide_service]\n",
                       "    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log]\n"
                       "    purposes: [provide_service]\n")
    assert _material(_diff(SMALL_POLICY, more)) == [
        ("recipients.card_processor.classes", "a recipient receives new classes: cpni.call_log")]
    start = SMALL_POLICY.index("recipients:\n")
    without = SMALL_POLICY[:start] + SMALL_POLICY[SMALL_POLICY.index("retention:\n"):]
    assert _material(_diff(without, SMALL_POLICY)) == [("recipients.card_processor", "a new recipient")]
    assert _material(_diff(SMALL_POLICY, without)) == []


@pytest.mark.parametrize(("keep", "material"), [
    ("{days: 120}", True), ("while_needed", True), ("{days: 60}", False), ("not_available", False),
])
def test_longer_or_indefinite_retention_is_material_and_shorter_is_not(keep: str, material: bool) -> None:
    new = policy_with("      profiles: [standard]\n      keep: {days: 90}\n",
                      f"      profiles: [standard]\n      keep: {keep}\n")
    change, = _diff(SMALL_POLICY, new)
    assert (change.path, change.material) == ("retention.content.call_recording.standard", material)


def test_a_newly_collected_class_is_material() -> None:
    new = policy_with("purposes:\n", "  location.e911_address:\n    categories: [user.location.precise]\n"
                      "    description: Where 911 calls are sent.\npurposes:\n").replace(
        "cpni.call_log, content.call_recording]\nrecord_classes:",
        "cpni.call_log, content.call_recording, location.e911_address]\nrecord_classes:", 1)
    assert ("record_classes.location.e911_address", "a newly collected class") in _material(_diff(SMALL_POLICY, new))


def test_less_legal_process_for_a_class_is_material_and_more_is_not() -> None:
    lenient = policy_with("    civil: {cpni.call_log: never, content.call_recording: never}\n",
                          "    civil: {content.call_recording: never}\n")
    assert _material(_diff(SMALL_POLICY, lenient)) == [
        ("legal.process.civil.cpni.call_log", "less legal process needed: never -> subpoena")]
    assert _material(_diff(lenient, SMALL_POLICY)) == []


def test_weakened_customer_notification_is_material() -> None:
    new = policy_with("  notification: {notify_customer: true}\n", "  notification: {notify_customer: false}\n")
    assert _material(_diff(SMALL_POLICY, new)) == [("legal.notification.notify_customer",
                                                    "customer notification weakened")]
    assert _material(_diff(new, SMALL_POLICY)) == []


def test_the_cli_prints_the_documented_json(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(SMALL_POLICY)
    new.write_text(policy_with("  notification: {notify_customer: true}\n",
                               "  notification: {notify_customer: false}\n"))
    result = run_cli("policy", "diff", str(old), str(new), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"material": True, "changes": [{
        "path": "legal.notification.notify_customer", "kind": "changed", "material": True,
        "reason": "customer notification weakened"}]}


@pytest.mark.parametrize(("closure", "material"), [
    ("{purge_after_days: 40, deadline_days: 45}", True), ("{purge_after_days: 20, deadline_days: 45}", False),
])
def test_a_later_closure_purge_is_material_and_an_earlier_one_is_not(closure: str, material: bool) -> None:
    """SpectrumVoIP "normally deletes or de-identifies all data from a customer's account within 30-45 days of
    account closure": purging later keeps closed customers' data longer."""
    new = policy_with("  on_closure: {purge_after_days: 30, deadline_days: 45}\n", f"  on_closure: {closure}\n")
    change, = _diff(SMALL_POLICY, new)
    assert (change.path, change.material) == ("retention.on_closure.purge_after_days", material)


def test_keeping_a_class_de_identified_after_closure_is_material_and_deleting_it_again_is_not() -> None:
    text = (Path(__file__).resolve().parents[2] / "examples" / "policies" / "002-spectrumvoip.yaml").read_text()
    deleting = text.replace(", deidentify: [billing.transactions]}", "}")
    assert deleting != text
    added, = _diff(deleting, text)
    assert (added.path, added.material) == ("retention.on_closure.deidentify.billing.transactions", True)
    removed, = _diff(text, deleting)
    assert (removed.kind, removed.material) == ("removed", False)
