"""The checker's sharing rules: sensitive data, data forms, transfers, contracts, data sets, voluntary disclosure."""

from __future__ import annotations

import pytest

from tests.builders.policy import SMALL_POLICY, policy_with, problems_of

RECORDING = "  content.call_recording:\n    categories: [user.content.private]\n" \
            "    description: Recordings of calls the customer chose to record.\n"
SENSITIVE_RECORDING = RECORDING + "    sensitive: true\n"
MARKETING = "    classes: [subscriber.basic]\n    description: Tell customers about new plans.\n"
PROCESSOR = "    kind: processor\n"


def _with(*replacements: tuple[str, str], extra: str = "") -> str:
    text = SMALL_POLICY
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + extra


def test_the_small_policy_breaks_no_sharing_rule() -> None:
    assert problems_of(SMALL_POLICY) == []


def test_an_opt_out_purpose_may_not_use_a_sensitive_class() -> None:
    text = _with((RECORDING, SENSITIVE_RECORDING),
                 (MARKETING, "    classes: [subscriber.basic, content.call_recording]\n"
                             "    description: Tell customers about new plans.\n"))
    assert "purposes.marketing_offers.choice: uses sensitive content.call_recording: needs opt_in " \
           "(or a sensitive_exception)" in problems_of(text)


def test_an_essential_purpose_may_use_a_sensitive_class() -> None:
    assert problems_of(_with((RECORDING, SENSITIVE_RECORDING))) == []


def test_a_sensitive_exception_needs_a_sensitive_class() -> None:
    text = _with((MARKETING, MARKETING + "    sensitive_exception: vital_interests\n"))
    assert problems_of(text) == ["purposes.marketing_offers.sensitive_exception: names an exception but uses no "
                                 "sensitive class"]


def test_a_third_party_gets_a_sensitive_class_only_for_an_opt_in_purpose() -> None:
    text = _with((PROCESSOR, "    kind: partner\n"))
    assert problems_of(text) == []
    sensitive = text.replace("    description: Card brand and last four digits.\n",
                             "    description: Card brand and last four digits.\n    sensitive: true\n", 1)
    assert "recipients.card_processor.classes.1: third party receives sensitive billing.payment_instrument " \
           "for 'provide_service', which is not opt_in" in problems_of(sensitive)


def test_cpni_disclosed_to_a_third_party_for_an_opt_out_purpose_is_a_finding() -> None:
    """47 CFR 64.2007(b): beyond marketing communications-related services by the carrier, its agents and its
    communications-related affiliates (b)(1), CPNI is used or disclosed "subject to opt-in approval"."""
    cpni_marketing = (MARKETING, "    classes: [subscriber.basic, cpni.call_log]\n"
                                 "    description: Tell customers about new plans.\n")
    to_agent = _with(cpni_marketing, ("    purposes: [provide_service]\n",
                                      "    purposes: [provide_service, marketing_offers]\n"))
    assert problems_of(to_agent) == []
    to_partner = to_agent.replace(PROCESSOR, "    kind: partner\n", 1)
    assert problems_of(to_partner) == ["purposes.marketing_offers.choice: discloses CPNI (cpni.call_log) to a third "
                                       "party: needs opt_in (47 CFR 64.2007(b))"]


def test_aggregate_data_names_its_smallest_group_and_only_aggregate_data_has_one() -> None:
    aggregate = _with((PROCESSOR, PROCESSOR + "    data_form: aggregate\n"))
    assert "recipients.card_processor.min_group_size: aggregate data names the smallest group it reports " \
           "(min_group_size)" in problems_of(aggregate)
    grouped = _with((PROCESSOR, PROCESSOR + "    min_group_size: 5\n"))
    assert problems_of(grouped) == ["recipients.card_processor.min_group_size: only aggregate data has a minimum "
                                    "group size"]


def test_a_recipient_gets_data_no_more_identifying_than_its_purposes_allow() -> None:
    text = _with(("    description: Connect calls, bill for them and keep the service running.\n",
                  "    description: Connect calls, bill for them and keep the service running.\n"
                  "    data_form: de_identified\n"))
    assert "recipients.card_processor.data_form: identifiable data for 'provide_service', which allows only " \
           "de_identified data" in problems_of(text)


@pytest.mark.parametrize(("lines", "expected"), [
    ("    country: DE\n", ["recipients.card_processor.transfer_mechanism: a recipient in DE needs a transfer "
                         "mechanism"]),
    ("    country: DE\n    transfer_mechanism: standard_contractual_clauses\n", []),
    ("    country: US\n    transfer_mechanism: consent\n", ["recipients.card_processor.transfer_mechanism: a "
                                                            "transfer mechanism is only for a recipient abroad"]),
])
def test_a_recipient_abroad_needs_a_transfer_mechanism(lines: str, expected: list[str]) -> None:
    assert problems_of(_with((PROCESSOR, PROCESSOR + lines))) == expected


def test_a_country_must_be_a_two_letter_code() -> None:
    assert any(p.startswith("recipients.card_processor.country") for p in
               problems_of(_with((PROCESSOR, PROCESSOR + "    country: Germany\n"))))


def test_every_recipient_signs_the_terms_its_kind_requires() -> None:
    required = "contract_requirements:\n  processor: [confidentiality, security_measures]\n"
    assert problems_of(SMALL_POLICY + required) == [
        "recipients.card_processor.contract.terms: every processor signs security_measures (contract_requirements)"]
    assert problems_of(SMALL_POLICY + "contract_requirements:\n  processor: [confidentiality]\n") == []


def test_processor_data_serves_only_the_purposes_its_controller_authorises() -> None:
    held_for_client = _with(
        ("    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log, content.call_recording]\n"
         "record_classes:",
         "    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log]\n"
         "  - id: client_recordings\n    role: processor\n    classes: [content.call_recording]\n"
         "    purposes: [marketing_offers]\nrecord_classes:"))
    assert "purposes.provide_service.classes.3: content.call_recording is held only as processor, and no " \
           "controller authorised 'provide_service'" in problems_of(held_for_client)
    authorised = held_for_client.replace("    purposes: [marketing_offers]\n", "    purposes: [provide_service]\n", 1)
    assert problems_of(authorised) == []
    unlisted = held_for_client.replace("    purposes: [marketing_offers]\n", "", 1)
    assert "data_sets.1.purposes: a processor data set lists the purposes its controller authorises" in \
        problems_of(unlisted)


def test_a_controller_data_set_lists_no_purposes() -> None:
    text = policy_with("    role: controller\n", "    role: controller\n    purposes: [provide_service]\n")
    assert problems_of(text) == ["data_sets.0.purposes: a controller decides its own purposes; only processor data "
                                 "sets list them"]


def _voluntary(basis: str, classes: str, audiences: str, review: str = "") -> str:
    return SMALL_POLICY.replace("legal:\n", "legal:\n  voluntary_disclosures:\n    rule:\n"
                                f"      basis: {basis}\n      classes: [{classes}]\n      audiences: [{audiences}]\n"
                                f"      description: A disclosure.\n{review}", 1)


@pytest.mark.parametrize(("basis", "classes", "audiences", "expected"), [
    ("protect_rights_or_property", "subscriber.basic, content.call_recording", "law_enforcement", []),
    ("legal_claims", "content.call_recording", "private_parties",
     ["legal.voluntary_disclosures.rule.classes: 18 U.S.C. 2702(b) permits no disclosure of content for legal_claims"]),
    ("legal_claims", "subscriber.basic", "government",
     ["legal.voluntary_disclosures.rule.audiences: 18 U.S.C. 2702(c) permits no disclosure to a governmental entity "
      "for legal_claims"]),
    ("legal_claims", "subscriber.basic", "private_parties", []),
    ("inadvertent_crime_evidence", "content.call_recording", "law_enforcement", []),
    ("inadvertent_crime_evidence", "content.call_recording", "private_parties",
     ["legal.voluntary_disclosures.rule: 2702(b)(7) covers only content, and only to law enforcement"]),
    ("inadvertent_crime_evidence", "cpni.call_log", "law_enforcement",
     ["legal.voluntary_disclosures.rule: 2702(b)(7) covers only content, and only to law enforcement"]),
    ("protect_safety", "cpni.call_log", "marketing_department", None),
])
def test_voluntary_disclosure_stays_inside_the_stored_communications_act(
        basis: str, classes: str, audiences: str, expected: list[str] | None) -> None:
    problems = problems_of(_voluntary(basis, classes, audiences))
    if expected is None:
        assert any(p.startswith("legal.voluntary_disclosures.rule.audiences.0") for p in problems)
    else:
        assert problems == expected


def test_only_disclosure_needed_for_the_service_may_skip_review() -> None:
    unreviewed = "      requires_review: false\n"
    assert problems_of(_voluntary("provide_service", "content.call_recording", "private_parties", unreviewed)) == []
    assert problems_of(_voluntary("protect_safety", "cpni.call_log", "law_enforcement", unreviewed)) == [
        "legal.voluntary_disclosures.rule.requires_review: only disclosure needed to provide the service may skip "
        "review"]


def test_voluntary_disclosure_and_business_transfer_name_only_collected_classes() -> None:
    assert "legal.voluntary_disclosures.rule.classes.0: record class 'location.e911_address' is not collected by " \
           "this provider (record_classes)" in problems_of(_voluntary("protect_safety", "location.e911_address",
                                                                       "law_enforcement"))
    transfer = "business_transfer:\n  classes: [web.cookie]\n  notify_customers: never\n  description: A sale.\n"
    assert problems_of(SMALL_POLICY + transfer) == [
        "business_transfer.classes.0: record class 'web.cookie' is not collected by this provider (record_classes)"]


def test_a_class_that_is_not_stored_has_no_retention_rule() -> None:
    text = _with((RECORDING, RECORDING + "    stored: false\n"))
    assert problems_of(text) == [
        "retention.rules.0.classes.0: content.call_recording is not stored, so nothing of it is retained",
        "retention.rules.1.classes.0: content.call_recording is not stored, so nothing of it is retained"]


def test_a_collected_class_is_held_in_some_data_set() -> None:
    text = _with(("    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log, content.call_recording]\n"
                  "record_classes:",
                  "    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log]\nrecord_classes:"))
    assert problems_of(text) == ["record_classes.content.call_recording: content.call_recording is held in no data "
                                 "set (data_sets)"]


def _warnings(text: str) -> list[str]:
    from custodian.policy.check import check_text

    result = check_text(text)
    assert result.valid, result.problems
    return [f"{w.path}: {w.message}" for w in result.warnings]


def test_privacy_shield_gets_a_warning_naming_schrems_ii_and_its_successors_but_no_error() -> None:
    """Issue 17 §4: "Privacy Shield was invalidated in 2020: policies may still cite it as history, but the
    checker warns and suggests the EU–U.S. Data Privacy Framework (2023) or standard contractual clauses"."""
    transfer = ("  jurisdictions: [US, US-TX]\n", "  jurisdictions: [US, US-TX]\n  international_transfers:\n"
                "    - {origins: [EEA], destination: US, mechanism: privacy_shield}\n")
    abroad = ("    purposes: [provide_service]\nretention:", "    purposes: [provide_service]\n    country: IE\n"
              "    transfer_mechanism: privacy_shield\nretention:")
    found = _warnings(_with(transfer, abroad))
    assert [line.split(":")[0] for line in found] == ["provider.international_transfers.0.mechanism",
                                                      "recipients.card_processor.transfer_mechanism"]
    for line in found:
        assert "C-311/18" in line and "16 July 2020" in line and "10 July 2023" in line
        assert "Data Privacy Framework" in line and "standard contractual clauses" in line


def test_the_data_privacy_framework_draws_no_warning() -> None:
    abroad = ("    purposes: [provide_service]\nretention:", "    purposes: [provide_service]\n    country: IE\n"
              "    transfer_mechanism: data_privacy_framework\nretention:")
    assert _warnings(_with(abroad)) == []
    assert _warnings(SMALL_POLICY) == []
