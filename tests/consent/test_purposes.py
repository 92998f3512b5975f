"""Purpose rules compiled from the policy: CPNI to third parties needs opt-in, and which wording still counts."""

from __future__ import annotations

from custodian.consent.purposes import compile_rules, text_hash
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.policy.document import PolicyDocument
from tests.builders.consent import CONSENT_POLICY, CPNI_OFFERS_TEXT
from tests.builders.policy import example_policy

PARTNER = """\
  offers_partner:
    name: Offers Partner LLC
    kind: partner
    contract:
      signed_on: 2025-06-01
      terms: [confidentiality, purpose_limitation]
      description: Use only to send the provider's offers.
    classes: [subscriber.basic, cpni.call_log]
    purposes: [calling_plan_offers]
"""
RETENTION = "retention:\n"


def compiled(text: str) -> CompiledPolicy:
    document = check_text(text).document
    assert document is not None
    return compile_policy(document, text)


def document(text: str) -> PolicyDocument:
    return compiled(text).document


def test_cpni_disclosed_to_a_third_party_needs_opt_in_whatever_the_policy_says() -> None:
    """47 CFR 64.2007(b): "a telecommunications carrier may only use, disclose, or permit access to its
    customer's individually identifiable CPNI subject to opt-in approval" beyond (b)(1)'s opt-out cases."""
    shared = compiled(CONSENT_POLICY.replace(RETENTION, PARTNER + RETENTION, 1))
    rule = compile_rules(shared)["calling_plan_offers"]
    assert (rule.declared_choice, rule.choice, rule.uses_cpni, rule.third_party) == ("opt_out", "opt_in", True, True)
    own = compile_rules(compiled(CONSENT_POLICY))["calling_plan_offers"]
    assert (own.choice, own.uses_cpni, own.third_party) == ("opt_out", True, False)


def test_a_wording_change_keeps_consents_given_under_the_earlier_text() -> None:
    """A change of wording alone is not material (policy/diff.py), so a consent to the old words still counts."""
    reworded = CONSENT_POLICY.replace(CPNI_OFFERS_TEXT, "Suggest better calling plans from the service you use.")
    rule = compile_rules(compiled(reworded), [document(CONSENT_POLICY)])["calling_plan_offers"]
    assert rule.accepted_text_hashes == {text_hash(CPNI_OFFERS_TEXT), rule.text_sha256}


def test_a_material_change_of_a_purpose_needs_a_fresh_choice() -> None:
    """Seed 001 P49: "stated in our policy at the time we collected that information from you, we will give you
    a choice"; 002 P64: "SpectrumVoIP will seek consent in advance"."""
    changed = CONSENT_POLICY.replace("    data_use: functional.service\n", "    data_use: functional.storage\n", 1)
    changed = changed.replace("Transcribe call recordings", "Keep transcripts of call recordings", 1)
    rules = compile_rules(compiled(changed), [document(CONSENT_POLICY)])
    assert rules["recording_transcripts"].accepted_text_hashes == {rules["recording_transcripts"].text_sha256}
    assert len(rules["calling_plan_offers"].accepted_text_hashes) == 1


def test_a_new_purpose_counts_only_its_own_text() -> None:
    earlier = CONSENT_POLICY.replace("  calling_plan_offers:", "  earlier_offers:", 1)
    rule = compile_rules(compiled(CONSENT_POLICY), [document(earlier)])["calling_plan_offers"]
    assert rule.accepted_text_hashes == {text_hash(CPNI_OFFERS_TEXT)}


def test_advertising_and_third_party_uses_are_what_a_gpc_signal_opts_out_of() -> None:
    rules = compile_rules(example_policy("002-spectrumvoip.yaml"))
    assert {name for name, rule in rules.items() if rule.sale_or_sharing} == {"targeted_advertising"}
    assert rules["product_analytics"].uses_cpni and rules["product_analytics"].choice == "opt_out"
