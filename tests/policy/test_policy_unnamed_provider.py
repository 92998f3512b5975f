"""Seed provider 001's policy (examples/policies/001-unnamed-provider.yaml) keeps what its Privacy Policy promises.

The seed document (001_d4aab5214b35a79f.txt) does not name the provider. Each test quotes the promises it
proves and reads the answer from the compiled policy, as the features that enforce it will.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from custodian.policy.check import check_file
from custodian.policy.compiled import CompiledPolicy, compile_policy
from tests.builders.policy import assert_no_class_below_the_legal_floor, notice_text, problems_of

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "001-unnamed-provider.yaml"
ESSENTIAL_PURPOSES = ("account_management", "credit_risk", "service_delivery", "customer_support",
                      "fraud_and_network_protection")


@pytest.fixture(scope="module")
def policy() -> CompiledPolicy:
    result = check_file(POLICY)
    assert result.valid and result.document is not None, [p.render(str(POLICY)) for p in result.problems]
    return compile_policy(result.document, POLICY.read_text(encoding="utf-8"))


def _classes_of(policy: CompiledPolicy, purpose: str) -> frozenset[str]:
    return frozenset(policy.document.purposes[purpose].classes)


def test_one_policy_covers_every_user_and_every_product_the_provider_holds_data_for(policy: CompiledPolicy) -> None:
    """'In addition, this Privacy Policy applies to all products and services thay we provided.'"""
    covered = {name for data_set in policy.document.data_sets for name in data_set.classes}
    assert covered == policy.collected
    assert {data_set.role for data_set in policy.document.data_sets} == {"controller"}


def test_every_kind_of_information_the_seed_says_it_collects_is_a_declared_record_class(
        policy: CompiledPolicy) -> None:
    """'We collect information when you communicate with us and when you use our products, services and sites.'
    'prints, the reason for contacting us and payment information.'
    'includes call records, websites visited and network traffic data, product and device-specific'
    'information and identifiers, service options you choose.'
    'When you contact us or we contact you, we may monitor or record that communication or keep a record of'
    'We obtain information from outside companies such as those that collect consumer information'
    'We also obtain contact information and other marketing lead information from third parties, website'
    """
    assert {"subscriber.basic", "support.comment_log", "cpni.call_log", "network.session_log", "web.visit_log",
            "billing.payment_instrument", "numbers.assignments", "content.call_recording",
            "marketing.profile", "marketing.lead"} <= policy.collected
    categories = {name: set(use.categories) for name, use in policy.document.record_classes.items()}
    assert "user.behavior.browsing_history" in categories["network.session_log"]  # websites visited
    assert {"user.account.settings", "user.device.device_id"} <= categories["subscriber.basic"]
    assert "user.financial.credit_card" in categories["billing.payment_instrument"]
    outside = next(data_set for data_set in policy.document.data_sets if data_set.id == "marketing_sources")
    assert set(outside.classes) == {"marketing.profile", "marketing.lead"}


def test_call_records_are_released_to_a_caller_only_after_cpni_authentication(policy: CompiledPolicy) -> None:
    """'includes call records, websites visited and network traffic data, product and device-specific'"""
    assert policy.cpni_protected == frozenset({"cpni.call_log"})
    assert "inbound_call" in policy.document.staff.cpni_authentication.channels


def test_account_billing_credit_service_support_and_protection_uses_are_essential_and_limited_to_their_classes(
        policy: CompiledPolicy) -> None:
    """'We use this information to establish, monitor and maintain your account and billing records; measure'
    'credit and payment risk' 'provide account-related services; deliver and maintain your products and'
    'help you with service-related issues or questions' 'and users from fraudulent, abusive, or unlawful uses'
    """
    assert {policy.choice_of_purpose[name] for name in ESSENTIAL_PURPOSES} == {"none"}
    assert _classes_of(policy, "credit_risk") == {"subscriber.basic", "billing.transactions",
                                                  "billing.payment_instrument"}
    assert "account_management" in policy.purposes_of_class["billing.transactions"]
    assert "customer_support" in policy.purposes_of_class["support.comment_log"]
    assert "fraud_and_network_protection" in policy.purposes_of_class["network.session_log"]
    for name in ESSENTIAL_PURPOSES:
        assert not _classes_of(policy, name) & {"subscriber.credentials", "marketing.profile", "marketing.lead"}


def test_improvement_and_network_performance_use_only_usage_records(policy: CompiledPolicy) -> None:
    """'help us improve our services and research and'
    'We may automatically measure and monitor network performance and the performance of your connections to'
    """
    assert _classes_of(policy, "product_improvement") == {"network.session_log", "cpni.call_log", "web.visit_log"}
    assert _classes_of(policy, "network_performance") == {"network.session_log"}


def test_recorded_contacts_serve_only_customer_support_and_staff_training(policy: CompiledPolicy) -> None:
    """'When you contact us or we contact you, we may monitor or record that communication or keep a record of'
    'the transaction to help us train employees and better serve you.'
    """
    assert policy.purposes_of_class["content.call_recording"] == frozenset({"customer_support", "staff_training"})
    assert "content.call_recording" not in policy.recipients_of_class
    training = policy.grant("quality_trainer", "training")
    assert training is not None and training.classes == {"content.call_recording", "support.comment_log"}


def test_sign_in_credentials_serve_only_authentication_and_no_staff_role_sees_them(policy: CompiledPolicy) -> None:
    """'your user identification, secret questions and answers.' 'authenticate you when you sign in.'"""
    assert "subscriber.credentials" in policy.collected
    assert policy.purposes_of_class["subscriber.credentials"] == frozenset({"authentication"})
    assert all("subscriber.credentials" not in grant.classes for grant in policy.grants.values())
    assert "subscriber.credentials" not in policy.recipients_of_class


def test_eligibility_and_every_marketing_use_can_be_opted_out_of(policy: CompiledPolicy) -> None:
    """'determine your eligibility for new products and' 'services and contact you with marketing offers.'
    'including demographic and interest data. We use this data and combine it with other information to'
    '“refer-a-friend” options or social media platforms and may combine it with information to contact you or'
    """
    for name, purpose in policy.document.purposes.items():
        if purpose.data_use.startswith("marketing"):
            assert policy.choice_of_purpose[name] in ("opt_out", "opt_in"), name
    assert policy.choice_of_purpose["eligibility"] == "opt_out"
    assert policy.choice_of_purpose["marketing_offers"] == "opt_out"
    assert _classes_of(policy, "targeted_marketing") == {"marketing.profile", "subscriber.basic"}
    assert _classes_of(policy, "lead_marketing") == {"marketing.lead", "marketing.profile"}
    assert policy.purposes_of_class["marketing.lead"] == frozenset({"lead_marketing"})


def test_vendors_receive_only_what_their_work_needs_must_protect_it_and_never_market_with_it(
        policy: CompiledPolicy) -> None:
    """'when it is necessary for them to perform work on our behalf.'
    'We require that these vendors and partners protect the customer'
    'information we provide to them and limit their use of our customer data to the purposes for which'
    'We do not permit these types of vendors and partners to use this information for their'
    """
    processors = {name: r for name, r in policy.document.recipients.items() if r.kind == "processor"}
    assert set(processors) == {"payment_processor", "service_vendors"}
    for name, recipient in processors.items():
        assert {"security_measures", "purpose_limitation", "no_own_marketing"} <= set(recipient.contract.terms), name
        uses = {policy.document.purposes[purpose].data_use for purpose in recipient.purposes}
        assert all(use.startswith("essential") for use in uses), name
    assert policy.document.contract_requirements["processor"] == ["security_measures", "purpose_limitation",
                                                                   "no_own_marketing"]
    vendors = policy.document.recipients["service_vendors"]
    assert not set(vendors.classes) & {"billing.payment_instrument", "subscriber.credentials", "content.call_recording"}


def test_the_payment_processor_receives_card_and_billing_address_solely_to_process_payments(
        policy: CompiledPolicy) -> None:
    """'card information and billing address to our payment processing company solely for processing payment for'"""
    processor = policy.document.recipients["payment_processor"]
    assert set(processor.classes) == {"billing.payment_instrument", "subscriber.basic"}
    assert processor.purposes == ["payment_processing"]
    assert policy.recipients_of_class["billing.payment_instrument"] == frozenset(
        {"payment_processor", "auditors_and_regulators"})


def test_identifying_information_goes_to_legal_process_only_as_the_stored_communications_act_allows(
        policy: CompiledPolicy) -> None:
    """'To comply with valid legal process including subpoenas, court orders or search warrants, and as'"""
    assert policy.process_needed("law_enforcement", "subscriber.basic") == "subpoena"
    assert policy.process_needed("law_enforcement", "cpni.call_log") == "subpoena"  # 2703(c)(2) connection records
    assert policy.process_needed("law_enforcement", "content.call_recording") == "search_warrant"
    assert policy.process_needed("civil", "content.call_recording") == "never"
    assert policy.process_needed("foreign_government", "subscriber.basic") == "mlat"
    assert_no_class_below_the_legal_floor(policy)
    assert policy.document.legal.notification.notify_customer


def test_a_verifier_and_advertisers_receive_information_only_with_the_customers_opt_in(policy: CompiledPolicy) -> None:
    """'To a third-party that you have authorized to verify your account information;'"""
    assert policy.choice_of_purpose["account_verification"] == "opt_in"
    assert policy.document.recipients["account_verifiers"].purposes == ["account_verification"]
    assert policy.choice_of_purpose["advertising_campaigns"] == "opt_in"


def test_joint_offer_partners_and_auditors_receive_only_their_declared_classes_and_purposes(
        policy: CompiledPolicy) -> None:
    """'be received by our partner that is providing your service.' 'To outside auditors and regulators; or'"""
    partners = policy.document.recipients["joint_offer_partners"]
    assert (partners.kind, partners.purposes) == ("partner", ["joint_offer_service"])
    assert set(partners.classes) == {"subscriber.basic", "numbers.assignments", "billing.transactions"}
    auditors = policy.document.recipients["auditors_and_regulators"]
    assert (auditors.kind, auditors.purposes) == ("auditor", ["audit_and_regulation"])
    assert not any(name.startswith("content.") for name in auditors.classes)


def test_the_notice_tells_what_is_collected_how_it_is_used_and_the_choices(policy: CompiledPolicy) -> None:
    """P01: "Our Privacy Policy is designed to inform you about the information we collect, how we use it, and
    your" (choices)."""
    collection, use, choices = (notice_text(policy, s) for s in ("collection", "use", "choices"))
    for record_class in policy.document.record_classes.values():
        assert record_class.description.rstrip() in collection
    for purpose in policy.document.purposes.values():
        assert purpose.description in use
        assert (purpose.description.rstrip(".") in choices) is (purpose.choice != "none")


def test_voice_prints_are_a_sensitive_class_used_only_to_help_with_the_customers_questions(
        policy: CompiledPolicy) -> None:
    """P05: "This includes information you provide such as name and contact information, images, voice recordings
    or" prints."""
    assert "biometric.voice_print" in policy.sensitive
    assert policy.purposes_of_class["biometric.voice_print"] == frozenset({"customer_support"})
    assert "biometric.voice_print" not in policy.recipients_of_class
    assert "Sensitive" in notice_text(policy, "collection")


def test_advertisers_get_no_identifying_data_and_report_recipients_only_aggregates(policy: CompiledPolicy) -> None:
    """P32/P33: "We also may share certain information with outside companies, for example, to assist with the
    delivery of advertising campaigns, or preparing and sharing aggregate reports." """
    recipients = policy.document.recipients
    assert recipients["advertising_partners"].data_form == "de_identified"
    assert (recipients["report_recipients"].data_form, recipients["report_recipients"].min_group_size) == (
        "aggregate", 10)
    identifying = POLICY.read_text(encoding="utf-8").replace(
        "    purposes: [advertising_campaigns]\n    data_form: de_identified",
        "    purposes: [advertising_campaigns]\n    data_form: identifiable", 1)
    assert ("recipients.advertising_partners.data_form: identifiable data for 'advertising_campaigns', "
            "which allows only de_identified data") in problems_of(identifying)


@pytest.mark.parametrize(("basis", "audience"), [("protect_rights_or_property", "law_enforcement"),
                                                 ("protect_safety", "law_enforcement"),
                                                 ("fraud_prevention", "private_parties"),
                                                 ("legal_claims", "private_parties")])
def test_identifying_information_goes_out_without_process_only_on_the_stated_bases(
        policy: CompiledPolicy, basis: str, audience: str) -> None:
    """P36: "To protect our rights or property, or the safety of our customers or employees;"
    P37: "To protect against fraudulent, malicious, abusive, unauthorized or unlawful use of or"
    P38: "To advance or defend against complaints or legal claims in court, administrative proceedings and" """
    assert policy.voluntary_rule("subscriber.basic", basis, audience) is not None
    assert policy.voluntary_rule("content.call_recording", basis, audience) is None
    assert policy.voluntary_rule("subscriber.basic", "legal_claims", "law_enforcement") is None
    assert all(rule.requires_review for rule in policy.document.legal.voluntary_disclosures.values())


def test_device_settings_reach_the_technical_support_agent_only_for_customer_support(policy: CompiledPolicy) -> None:
    """P20: "access information about your computer or other device settings to provide customized technical
    support" (network.session_log holds device settings)."""
    grant = policy.grant("technical_support_agent", "technical_support")
    assert grant is not None
    assert "network.session_log" in grant.classes and grant.purpose == "customer_support"
    assert grant.masks == {"cpni.call_log": "masked_counterpart"}
