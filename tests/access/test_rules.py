"""The access tables compiled from the policy's staff section, and the checks on `changes`."""

from __future__ import annotations

from custodian.access.rules import compile_access
from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from tests.builders.policy import SMALL_POLICY, policy_with

BILLING = """          classes: [subscriber.basic, billing.payment_instrument]
          masks: {billing.payment_instrument: last_four}"""


def test_changes_a_topic_allows_are_compiled_and_nothing_else_is() -> None:
    text = policy_with(BILLING, BILLING + "\n          changes: [address_of_record]")
    document = check_text(text).document
    assert document is not None
    rules = compile_access(compile_policy(document, text))
    assert set(rules.changes) == {("support_representative", "billing", "address_of_record")}
    assert rules.provider == "Example Telecom, Inc." and rules.ticket_hours == 8


def test_changes_on_a_topic_that_does_not_show_the_subscriber_are_an_error_naming_the_field() -> None:
    text = policy_with(BILLING, """          classes: [billing.payment_instrument]
          masks: {billing.payment_instrument: last_four}
          changes: [address_of_record]""")
    problems = [problem.render("p.yaml") for problem in check_text(text).problems]
    assert any("staff.roles.support_representative.topics.billing.changes" in p and "subscriber.basic" in p
               for p in problems), problems


def test_unknown_change_kinds_are_refused() -> None:
    text = policy_with(BILLING, BILLING + "\n          changes: [shoe_size]")
    assert not check_text(text).valid


def test_the_small_policy_gives_no_changes() -> None:
    document = check_text(SMALL_POLICY).document
    assert document is not None
    assert compile_access(compile_policy(document, SMALL_POLICY)).changes == {}
