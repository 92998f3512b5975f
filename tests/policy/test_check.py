"""Checking a policy file: every problem names its line and field, and nothing wrong passes."""

from __future__ import annotations

import pytest

from custodian.policy.check import Problem, check_text
from tests.builders.policy import SMALL_POLICY, line_of, policy_with


def _problems(text: str) -> list[Problem]:
    result = check_text(text)
    assert not result.valid
    return list(result.problems)


def test_the_small_example_policy_is_valid() -> None:
    result = check_text(SMALL_POLICY)
    assert result.valid and result.document is not None
    assert result.document.provider.name == "Example Telecom, Inc."


def test_an_unknown_key_is_reported_at_its_line() -> None:
    text = policy_with("  website: https://telecom.example\n",
                       "  website: https://telecom.example\n  webiste: typo\n")
    assert _problems(text) == [Problem(line_of(text, "webiste"), "provider.webiste", "unknown key")]


def test_a_missing_required_section_is_reported() -> None:
    start, end = SMALL_POLICY.index("legal:\n"), len(SMALL_POLICY)
    problems = _problems(SMALL_POLICY[:start] + SMALL_POLICY[end:])
    assert [(p.path, p.message) for p in problems] == [("legal", "required")]


def test_an_unknown_record_class_is_an_error() -> None:
    text = policy_with("    classes: [subscriber.basic]\n    description: Tell",
                       "    classes: [subscriber.basic, cpni.telepathy_log]\n    description: Tell")
    problem, = _problems(text)
    assert problem.path == "purposes.marketing_offers.classes.1"
    assert problem.message == "unknown record class 'cpni.telepathy_log'"
    assert problem.line == line_of(text, "cpni.telepathy_log")


def test_a_purpose_using_a_class_the_provider_does_not_collect_is_an_error() -> None:
    text = policy_with("    classes: [subscriber.basic]\n    description: Tell",
                       "    classes: [subscriber.basic, marketing.profile]\n    description: Tell")
    problem, = _problems(text)
    assert problem.message == "record class 'marketing.profile' is not collected by this provider (record_classes)"


def test_a_class_both_not_available_and_time_limited_for_one_profile_is_a_contradiction() -> None:
    text = policy_with("      profiles: [hipaa]\n      keep: {days: 30}\n",
                       "      profiles: [hipaa]\n      keep: {days: 30}\n"
                       "    - classes: [content.call_recording]\n      profiles: [hipaa]\n      keep: not_available\n")
    problem, = _problems(text)
    assert problem.path == "retention.rules.2.keep"
    assert "content.call_recording for hipaa accounts is both not available and kept" in problem.message


@pytest.mark.parametrize(("old", "new", "path", "message"), [
    ("          purpose: provide_service\n          classes: [subscriber.basic, billing",
     "          purpose: sell_data\n          classes: [subscriber.basic, billing",
     "staff.roles.support_representative.topics.billing.purpose", "no purpose 'sell_data'"),
    ("    purposes: [provide_service]\n", "    purposes: [provide_service, resell]\n",
     "recipients.card_processor.purposes.1", "no purpose 'resell'"),
    ("  topics: [billing, technical]\n", "  topics: [billing]\n",
     "staff.roles.support_representative.topics.technical", "topic 'technical' is not in staff.topics"),
    ("    data_use: marketing.communications.email\n", "    data_use: marketing.spam\n",
     "purposes.marketing_offers.data_use", "not a fides data use: 'marketing.spam'"),
    ("    categories: [user.financial.credit_card]\n", "    categories: [user.financial.crypto_wallet]\n",
     "record_classes.billing.payment_instrument.categories.0",
     "not a fides data category: 'user.financial.crypto_wallet'"),
    ("    choice: opt_out\n", "    choice: none\n",
     "purposes.marketing_offers.choice", "choice none is only for essential data uses"),
    ("          masks: {cpni.call_log: masked_counterpart}\n",
     "          masks: {billing.payment_instrument: last_four}\n",
     "staff.roles.support_representative.topics.technical.masks.billing.payment_instrument",
     "masks 'billing.payment_instrument', which this topic does not show"),
    ("      min_response_days: 28\n", "      min_response_days: 28\n      accepted: true\n"
     "      email_domains_allowed: []\n    customer:\n      required_fields: [shoe_size]\n",
     "legal.requesters.customer.required_fields.0", "unknown request field 'shoe_size'"),
])
def test_dangling_references_are_errors(old: str, new: str, path: str, message: str) -> None:
    problem, = _problems(policy_with(old, new))
    assert (problem.path, problem.message) == (path, message)


def test_a_key_given_twice_is_an_error_at_the_second_one() -> None:
    text = policy_with("  max_date_range_months: 2\n", "  max_date_range_months: 2\n  max_date_range_months: 3\n")
    problem, = _problems(text)
    assert problem.line == line_of(text, "max_date_range_months: 3")
    assert problem.message == "not valid YAML: key 'max_date_range_months' appears twice"


def test_broken_yaml_is_reported_at_its_line() -> None:
    text = policy_with("  website: https://telecom.example\n", "  website: [unclosed\n")
    problem, = _problems(text)
    assert problem.line >= line_of(text, "[unclosed") and problem.message.startswith("not valid YAML")


def test_a_retention_limit_must_name_exactly_one_measure() -> None:
    text = policy_with("      keep: {days: 90}\n", "      keep: {days: 90, newest: 200}\n")
    problem, = _problems(text)
    assert problem.path == "retention.rules.0.keep"
    assert "exactly one of days, newest, customer_set_min_hours" in problem.message


def test_every_problem_renders_as_file_line_path_message() -> None:
    assert Problem(12, "provider.webiste", "unknown key").render("p.yaml") == "p.yaml:12: provider.webiste: unknown key"


@pytest.mark.parametrize(("keep", "path", "message"), [
    ("forever", "retention.rules.0.keep", "Input should be 'while_needed' or 'not_available'"),
    ("{weeks: 3}", "retention.rules.0.keep.weeks", "unknown key"),
])
def test_a_retention_rule_reports_the_mistake_in_what_was_written(keep: str, path: str, message: str) -> None:
    problems = _problems(policy_with("      keep: {days: 90}\n", f"      keep: {keep}\n"))
    assert (problems[0].path, problems[0].message) == (path, message)


def test_a_billing_log_cannot_be_not_available_because_it_follows_the_log_rule() -> None:
    """SpectrumVoIP's HIPAA table: "SMS Messages — Not Available" is about messages; logs are billing records."""
    text = policy_with("      profiles: [hipaa]\n      keep: {days: 30}\n",
                       "      profiles: [hipaa]\n      keep: {days: 30}\n"
                       "    - classes: [cpni.call_log]\n      profiles: [hipaa]\n      keep: not_available\n")
    paths = {p.path: p.message for p in _problems(text)}
    assert "is a billing record: it follows the call/fax log rule" in paths["retention.rules.2.classes.0"]


def test_closure_deidentifies_only_classes_the_engine_can_strip_of_identity() -> None:
    """"normally deletes or de-identifies all data from a customer's account within 30-45 days of account
    closure": payment instruments (brand, last four) are deleted, not kept de-identified."""
    text = policy_with("  on_closure: {purge_after_days: 30, deadline_days: 45}\n",
                       "  on_closure: {purge_after_days: 30, deadline_days: 45,\n"
                       "               deidentify: [billing.payment_instrument, billing.transactions]}\n")
    assert [(p.path, p.message) for p in _problems(text)] == [
        ("retention.on_closure.deidentify.0",
         "billing.payment_instrument cannot be de-identified (only billing.transactions)"),
        ("retention.on_closure.deidentify.1",
         "record class 'billing.transactions' is not collected by this provider (record_classes)")]
