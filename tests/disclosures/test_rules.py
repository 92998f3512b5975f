"""Each refusal rule of the disclosure gate, against the seed providers' own policies (bent where a seed's policy
cannot break the rule), in the order the gate checks them."""

from __future__ import annotations

from typing import Any

from custodian.disclosures.rules import refusal
from custodian.policy.compiled import CompiledPolicy, compile_policy
from tests.builders.policy import example_policy

SPECTRUM = "002-spectrumvoip.yaml"
QUALITY = "003-quality-communications.yaml"


def bent(file_name: str, recipient: str, **changes: Any) -> CompiledPolicy:
    """A seed policy with one recipient's fields changed (compiled without the checker, as a runtime would meet a
    policy the checker never saw)."""
    policy = example_policy(file_name)
    doc = policy.document
    recipients = {**doc.recipients, recipient: doc.recipients[recipient].model_copy(update=changes)}
    return compile_policy(doc.model_copy(update={"recipients": recipients}), f"bent {recipient} {changes}")


def rule_of(policy: CompiledPolicy, recipient: str, purpose: str, classes: list[str], form: str) -> str | None:
    found = refusal(policy, recipient, purpose, classes, form)
    return None if found is None else found.rule


def test_a_listed_recipient_receives_its_classes_for_its_purpose() -> None:
    """002 P67: information is exchanged "with other companies and organizations for the purposes of fraud
    protection and credit risk reduction" — the fraud exchange, for fraud prevention, its listed classes."""
    policy = example_policy(SPECTRUM)
    assert refusal(policy, "fraud_exchange", "fraud_prevention", ["subscriber.basic", "billing.transactions"],
                   "identifiable") is None


def test_a_recipient_the_policy_does_not_name_is_refused() -> None:
    """002 P15: "SpectrumVoIP will not share or disclose personal information for purposes other than as described
    herein." """
    assert rule_of(example_policy(SPECTRUM), "data_broker", "fraud_prevention", ["subscriber.basic"],
                   "identifiable") == "unknown_recipient"


def test_a_purpose_the_policy_does_not_name_is_refused() -> None:
    """002 P15: "only for relevant, appropriate, and customary purposes"."""
    assert rule_of(example_policy(SPECTRUM), "fraud_exchange", "resale", ["subscriber.basic"],
                   "identifiable") == "unknown_purpose"


def test_a_recipient_is_refused_data_for_a_purpose_it_is_not_listed_for() -> None:
    """002 P15: "SpectrumVoIP will not share or disclose personal information for purposes other than as described
    herein." The credit bureau is listed for credit checks, not for fraud prevention."""
    found = refusal(example_policy(SPECTRUM), "credit_bureau", "fraud_prevention", ["subscriber.basic"],
                    "identifiable")
    assert found is not None and found.rule == "recipient_not_listed_for_purpose"
    assert "fraud_prevention" in found.words


def test_a_class_the_recipient_is_not_listed_for_is_refused_and_named() -> None:
    """002 P15: "only for relevant, appropriate, and customary purposes". The fraud exchange gets subscriber details
    and billing, never call detail, though fraud prevention itself may use call detail."""
    found = refusal(example_policy(SPECTRUM), "fraud_exchange", "fraud_prevention",
                    ["subscriber.basic", "cpni.call_log"], "identifiable")
    assert found is not None and found.rule == "recipient_not_listed_for_class"
    assert "cpni.call_log" in found.words and "subscriber.basic" not in found.words


def test_data_more_identifying_than_the_recipient_may_receive_is_refused() -> None:
    """003 P10: "disclose to third parties aggregate information on our web site's" traffic — advertisers get
    aggregates, never de-identified rows."""
    policy = example_policy(QUALITY)
    ask = ("internet_advertising_companies", "traffic_profile_sharing", ["web.visit_log"])
    assert rule_of(policy, *ask, "de_identified") == "form_too_identifying"
    assert rule_of(policy, *ask, "aggregate") is None


def test_the_purposes_data_form_limits_a_recipient_that_could_take_more() -> None:
    """002: site analytics uses de-identified data; a processor listed as identifiable still gets no more."""
    policy = bent(SPECTRUM, "google_analytics", data_form="identifiable")
    assert rule_of(policy, "google_analytics", "site_analytics", ["web.visit_log"], "identifiable") == \
        "form_too_identifying"
    assert rule_of(policy, "google_analytics", "site_analytics", ["web.visit_log"], "de_identified") is None


def test_a_processor_without_every_required_contract_term_is_refused_and_the_terms_named() -> None:
    """002 P53: "enter into a contract with the processor to ensure that the processor (1) acts only on instructions
    of SpectrumVoIP; (2) provides appropriate technical and organizational measures ...; and (3) assists SpectrumVoIP
    in responding to individuals exercising their rights"."""
    contract = example_policy(SPECTRUM).document.recipients["payment_processor"].contract
    policy = bent(SPECTRUM, "payment_processor", contract=contract.model_copy(update={"terms": ["security_measures"]}))
    found = refusal(policy, "payment_processor", "billing", ["billing.transactions"], "identifiable")
    assert found is not None and found.rule == "contract_term_missing"
    assert "acts_only_on_instructions" in found.words and "assists_with_rights_requests" in found.words


def test_a_third_party_controller_without_the_onward_transfer_terms_is_refused() -> None:
    """002 P54: the contract provides that "(3) the third party controller will notify the SpectrumVoIP Privacy Shield
    Company if the third party can no longer meet its obligation"; P59: "data processing and further transfer are
    limited and to specified purposes"."""
    contract = example_policy(SPECTRUM).document.recipients["fraud_exchange"].contract
    policy = bent(SPECTRUM, "fraud_exchange", contract=contract.model_copy(
        update={"terms": ["purpose_limitation", "same_protection_level", "ceases_processing_on_notice"]}))
    found = refusal(policy, "fraud_exchange", "fraud_prevention", ["subscriber.basic"], "identifiable")
    assert found is not None and found.rule == "contract_term_missing"
    assert found.words.startswith("fraud_exchange's contract lacks notifies_if_unable_to_protect")


def test_sensitive_data_goes_to_a_third_party_only_for_an_opt_in_purpose() -> None:
    """002 P51: "individuals will be offered a similar choice mechanism to give affirmative or explicit (opt-in)
    choices on whether their sensitive personal information is to be disclosed to a third party"."""
    policy = example_policy(SPECTRUM)
    doc = policy.document
    marketing = doc.purposes["marketing"].model_copy(
        update={"classes": [*doc.purposes["marketing"].classes, "content.voice_message"]})
    partner = doc.recipients["credit_bureau"].model_copy(
        update={"classes": ["subscriber.basic", "content.voice_message"], "purposes": ["credit_check", "marketing"]})
    bent_policy = compile_policy(doc.model_copy(update={"purposes": {**doc.purposes, "marketing": marketing},
                                                        "recipients": {**doc.recipients, "credit_bureau": partner}}),
                                 "sensitive to a partner")
    found = refusal(bent_policy, "credit_bureau", "marketing", ["content.voice_message"], "identifiable")
    assert found is not None and found.rule == "sensitive_needs_opt_in"
    assert "content.voice_message" in found.words


def test_a_processor_transcribing_voicemail_for_an_opt_in_purpose_receives_it() -> None:
    """002 P52: the opt-in choice governs sensitive data; voicemail transcription is opt-in, so its vendor may
    receive the voice messages of the extensions that chose it."""
    assert rule_of(example_policy(SPECTRUM), "transcription_vendor", "voicemail_transcription",
                   ["content.voice_message"], "identifiable") is None


def test_a_processor_acting_on_instructions_is_not_a_third_party_for_sensitive_data() -> None:
    """002 P51 speaks of sensitive information "disclosed to a third party": a processor acting only on the
    provider's instructions (P53) is not one, as the policy checker also holds (policy/sharing_rules.py)."""
    doc = example_policy(SPECTRUM).document
    opt_out = doc.purposes["voicemail_transcription"].model_copy(update={"choice": "opt_out"})
    policy = compile_policy(doc.model_copy(update={"purposes": {**doc.purposes, "voicemail_transcription": opt_out}}),
                            "transcription opt-out")
    assert rule_of(policy, "transcription_vendor", "voicemail_transcription", ["content.voice_message"],
                   "identifiable") is None


def test_a_recipient_abroad_needs_a_transfer_mechanism_and_privacy_shield_is_none() -> None:
    """002 P58: "SpectrumVoIP will only transfer or provide direct access to EU, UK, and Swiss personal information
    covered by this policy to third parties that:" ... Privacy Shield itself was invalidated by the Court of Justice
    of the EU on 16 July 2020 (C-311/18, Schrems II)."""
    ask = ("fraud_exchange", "fraud_prevention", ["subscriber.basic"], "identifiable")
    assert rule_of(bent(SPECTRUM, "fraud_exchange", country="DE"), *ask) == "transfer_mechanism_missing"
    shield = refusal(bent(SPECTRUM, "fraud_exchange", country="DE", transfer_mechanism="privacy_shield"), *ask)
    assert shield is not None and shield.rule == "transfer_mechanism_missing" and "Schrems II" in shield.words
    assert rule_of(bent(SPECTRUM, "fraud_exchange", country="DE", transfer_mechanism="standard_contractual_clauses"),
                   *ask) is None
    assert rule_of(bent(SPECTRUM, "fraud_exchange", country="US"), *ask) is None


def test_the_first_rule_broken_is_the_one_named() -> None:
    """A release breaking several rules is refused by the first in the gate's order (class before form)."""
    policy = bent(QUALITY, "internet_advertising_companies", country="DE")
    assert rule_of(policy, "internet_advertising_companies", "traffic_profile_sharing",
                   ["web.visit_log", "subscriber.basic"], "identifiable") == "recipient_not_listed_for_class"
    assert rule_of(policy, "internet_advertising_companies", "traffic_profile_sharing", ["web.visit_log"],
                   "identifiable") == "form_too_identifying"
    assert rule_of(policy, "internet_advertising_companies", "traffic_profile_sharing", ["web.visit_log"],
                   "aggregate") == "transfer_mechanism_missing"
