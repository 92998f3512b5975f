"""The seeds' sharing promises, kept by the disclosure gate's rules against each seed's own policy."""

from __future__ import annotations

from typing import Any

import pytest

from custodian.disclosures.rules import refusal
from custodian.policy.compiled import CompiledPolicy, compile_policy
from tests.builders.policy import example_policy

RED = "000-red-spectrum.yaml"
UNNAMED = "001-unnamed-provider.yaml"
SPECTRUM = "002-spectrumvoip.yaml"


def rule_of(policy: CompiledPolicy, recipient: str, purpose: str, classes: list[str],
            form: str = "identifiable") -> str | None:
    found = refusal(policy, recipient, purpose, classes, form)
    return None if found is None else found.rule


def without_term(file_name: str, recipient: str, term: str) -> CompiledPolicy:
    """The seed's policy with one term struck from a recipient's contract."""
    doc = example_policy(file_name).document
    contract = doc.recipients[recipient].contract
    changed: Any = doc.recipients[recipient].model_copy(
        update={"contract": contract.model_copy(update={"terms": [t for t in contract.terms if t != term]})})
    return compile_policy(doc.model_copy(update={"recipients": {**doc.recipients, recipient: changed}}), term)


def every_release(policy: CompiledPolicy, classes: list[str]) -> list[tuple[str, str]]:
    """Every (recipient, purpose) of the policy that would receive `classes`."""
    return [(name, purpose) for name in policy.document.recipients for purpose in policy.document.purposes
            if refusal(policy, name, purpose, classes, "identifiable") is None]


def test_red_spectrum_gives_out_no_billing_information_and_contact_details_only_to_its_agents() -> None:
    """000 P04: "We do not give out your personal, contact and billing information or usernames." """
    policy = example_policy(RED)
    assert every_release(policy, ["billing.transactions"]) == []
    assert every_release(policy, ["subscriber.basic"]) == [("contracted_agents", "deliver_ordered_service")]
    assert rule_of(policy, "data_broker", "provide_service", ["subscriber.basic"]) == "unknown_recipient"


def test_red_spectrum_gives_numbers_and_usernames_only_to_deliver_what_was_ordered() -> None:
    """000 P06: "Red Spectrum Communications will not give out your telephone number or usernames (e-mail
    addresses), except where needed to deliver a product or service you ordered." """
    policy = example_policy(RED)
    for classes in (["numbers.assignments"], ["subscriber.credentials"]):
        assert every_release(policy, classes) == [("contracted_agents", "deliver_ordered_service")]
    assert rule_of(policy, "contracted_agents", "customer_support", ["numbers.assignments"]) == \
        "recipient_not_listed_for_purpose"


def test_red_spectrums_agents_receive_nothing_without_a_confidentiality_agreement() -> None:
    """000 P17: "any company with which Red Spectrum Communications contracts to be our agent in conducting our
    business is required to adhere to confidentiality agreements"."""
    policy = without_term(RED, "contracted_agents", "confidentiality")
    found = refusal(policy, "contracted_agents", "deliver_ordered_service", ["subscriber.basic"], "identifiable")
    assert found is not None and found.rule == "contract_term_missing" and "confidentiality" in found.words


def test_card_details_go_to_the_payment_processor_only_to_process_payment() -> None:
    """001 P28: "card information and billing address to our payment processing company solely for processing
    payment for" a transaction the customer requested."""
    policy = example_policy(UNNAMED)
    assert rule_of(policy, "payment_processor", "payment_processing", ["billing.payment_instrument",
                                                                       "subscriber.basic"]) is None
    assert rule_of(policy, "payment_processor", "marketing_offers", ["billing.payment_instrument"]) == \
        "recipient_not_listed_for_purpose"
    assert rule_of(policy, "service_vendors", "service_delivery", ["billing.payment_instrument"]) == \
        "recipient_not_listed_for_class"


@pytest.mark.parametrize(("term", "promise"), [
    ("security_measures", '001 P29: "We require that these vendors and partners protect the customer" information'),
    ("purpose_limitation", '001 P30: "limit their use of our customer data to the purposes for which" we provide it'),
    ("no_own_marketing", '001 P31: "We do not permit these types of vendors and partners to use this information '
                         'for their" own marketing'),
])
def test_vendors_receive_nothing_without_the_contract_terms_the_policy_requires(term: str, promise: str) -> None:
    """001 P29, P30, P31: every processor signs security_measures, purpose_limitation and no_own_marketing."""
    for vendor, purpose, classes in (("service_vendors", "service_delivery", ["numbers.assignments"]),
                                     ("payment_processor", "payment_processing", ["billing.payment_instrument"])):
        found = refusal(without_term(UNNAMED, vendor, term), vendor, purpose, classes, "identifiable")
        assert found is not None and found.rule == "contract_term_missing" and term in found.words, promise


def test_vendors_receive_data_only_for_the_work_they_do_for_the_provider() -> None:
    """001 P30: "limit their use of our customer data to the purposes for which" it was provided."""
    assert rule_of(example_policy(UNNAMED), "service_vendors", "advertising_campaigns", ["subscriber.basic"]) == \
        "recipient_not_listed_for_purpose"


def test_advertising_partners_receive_only_de_identified_data() -> None:
    """001 P32: information shared for the "delivery of advertising campaigns" is not identifiable."""
    policy = example_policy(UNNAMED)
    assert rule_of(policy, "advertising_partners", "advertising_campaigns", ["marketing.profile"]) == \
        "form_too_identifying"
    assert rule_of(policy, "advertising_partners", "advertising_campaigns", ["marketing.profile"],
                   "de_identified") is None


def test_report_recipients_receive_only_aggregate_reports() -> None:
    """001 P33: "preparing and sharing aggregate reports"."""
    policy = example_policy(UNNAMED)
    assert rule_of(policy, "report_recipients", "aggregate_reporting", ["network.session_log"],
                   "de_identified") == "form_too_identifying"
    assert rule_of(policy, "report_recipients", "aggregate_reporting", ["network.session_log"], "aggregate") is None


def test_app_contacts_go_to_no_advertiser_or_third_party() -> None:
    """002 P10: "SpectrumVoIP does not share this data with any advertisers or third parties under any
    circumstances." No recipient is listed for the app's phone contacts, for any purpose."""
    policy = example_policy(SPECTRUM)
    assert every_release(policy, ["app.phone_contact"]) == []
