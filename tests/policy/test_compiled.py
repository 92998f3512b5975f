"""The compiled policy answers the questions decisions ask, with the law as the floor for legal process."""

from __future__ import annotations

import pytest

from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from tests.builders.policy import SMALL_POLICY, assert_no_class_below_the_legal_floor, policy_with


def _compiled(text: str = SMALL_POLICY) -> CompiledPolicy:
    result = check_text(text)
    assert result.document is not None and result.valid, result.problems
    return compile_policy(result.document, text)


def test_a_role_sees_exactly_the_classes_its_ticket_topic_allows_masked_as_the_policy_says() -> None:
    policy = _compiled()
    billing = policy.grant("support_representative", "billing")
    assert billing is not None
    assert billing.classes == frozenset({"subscriber.basic", "billing.payment_instrument"})
    assert billing.masks == {"billing.payment_instrument": "last_four"}
    assert "cpni.call_log" not in billing.classes
    assert policy.grant("support_representative", "sales") is None
    assert policy.grant("janitor", "billing") is None


def test_call_detail_is_cpni_protected_and_purposes_and_recipients_are_indexed_by_class() -> None:
    policy = _compiled()
    assert policy.cpni_protected == frozenset({"cpni.call_log"})
    assert policy.purposes_of_class["subscriber.basic"] == frozenset({"provide_service", "marketing_offers"})
    assert policy.choice_of_purpose["marketing_offers"] == "opt_out"
    assert policy.recipients_of_class["billing.payment_instrument"] == frozenset({"card_processor"})


def test_retention_rules_are_found_by_class_and_profile() -> None:
    policy = _compiled()
    standard, = policy.retention[("content.call_recording", "standard")]
    hipaa, = policy.retention[("content.call_recording", "hipaa")]
    assert (standard.keep.days, hipaa.keep.days) == (90, 30)  # type: ignore[union-attr]


@pytest.mark.parametrize(("requester", "record_class", "process"), [
    ("law_enforcement", "subscriber.basic", "subpoena"),            # 18 U.S.C. 2703(c)(2)
    ("law_enforcement", "billing.payment_instrument", "subpoena"),  # means of payment
    ("law_enforcement", "cpni.call_log", "subpoena"),               # connection records, 2703(c)(2)
    ("law_enforcement", "content.call_recording", "search_warrant"),
    ("civil", "subscriber.basic", "subpoena"),
    ("civil", "cpni.call_log", "never"),            # the policy is stricter than the default
    ("civil", "content.call_recording", "never"),   # private litigants never receive content
    ("foreign_government", "cpni.call_log", "mlat"),
])
def test_legal_process_follows_the_stored_communications_act_unless_the_policy_is_stricter(
        requester: str, record_class: str, process: str) -> None:
    assert _compiled().process_needed(requester, record_class) == process


def test_no_class_is_ever_released_on_less_process_than_the_law_requires() -> None:
    assert_no_class_below_the_legal_floor(_compiled())


def test_a_policy_asking_for_less_process_than_the_law_is_rejected() -> None:
    text = policy_with("    civil: {cpni.call_log: never, content.call_recording: never}\n",
                       "    law_enforcement: {content.call_recording: subpoena}\n")
    problem, = check_text(text).problems
    assert problem.path == "legal.process.law_enforcement.content.call_recording"
    assert problem.message == "subpoena is less than the law requires for content.call_recording (search_warrant)"


def test_the_version_hash_changes_with_any_change_to_the_file_and_tables_are_read_only() -> None:
    policy = _compiled()
    reworded = _compiled(policy_with("Tell customers about new plans.", "Tell customers about new offers."))
    assert policy.version_hash != reworded.version_hash and len(policy.version_hash) == 64
    with pytest.raises(TypeError):
        policy.grants[("support_representative", "billing")] = None  # type: ignore[index]
