"""Material changes to the sharing terms: less protection is material, more is not."""

from __future__ import annotations

import pytest

from custodian.policy.change import Change
from custodian.policy.check import check_text
from custodian.policy.diff import diff_policies
from tests.builders.policy import SMALL_POLICY

RECORDING = "    description: Recordings of calls the customer chose to record.\n"
PROCESSOR = "    kind: processor\n"
SERVICE = "    description: Connect calls, bill for them and keep the service running.\n"


def _diff(old: str, new: str) -> list[Change]:
    before, after = check_text(old), check_text(new)
    assert before.document is not None and after.document is not None, (before.problems, after.problems)
    return diff_policies(before.document, after.document)


def _with(old: str, new: str, text: str = SMALL_POLICY) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _material(changes: list[Change]) -> list[tuple[str, str]]:
    return [(change.path, change.reason) for change in changes if change.material]


def _both_ways(protective: str, weaker: str, path: str, reason: str) -> None:
    """Going from `protective` to `weaker` is material with `reason`; the way back is not material."""
    assert (path, reason) in _material(_diff(protective, weaker))
    assert _material(_diff(weaker, protective)) == []


def test_a_class_no_longer_sensitive_is_material() -> None:
    sensitive = _with(RECORDING, RECORDING + "    sensitive: true\n")
    _both_ways(sensitive, SMALL_POLICY, "record_classes.content.call_recording.sensitive",
               "no longer treated as sensitive")


def test_a_class_holding_more_fields_or_now_stored_is_material() -> None:
    limited = _with(RECORDING, RECORDING + "    fields: [audio]\n")
    _both_ways(limited, _with(RECORDING, RECORDING + "    fields: [audio, transcript]\n"),
               "record_classes.content.call_recording.fields", "holds more than before")
    assert ("record_classes.content.call_recording.fields", "holds more than before") in _material(
        _diff(limited, SMALL_POLICY))


@pytest.mark.parametrize(("before", "after"), [("aggregate", "de_identified"), ("de_identified", "identifiable")])
def test_data_used_in_a_more_identifying_form_is_material(before: str, after: str) -> None:
    _both_ways(_with(SERVICE, SERVICE + f"    data_form: {before}\n"),
               _with(SERVICE, SERVICE + f"    data_form: {after}\n"),
               "purposes.provide_service.data_form", f"uses {after} data, was {before}")


def test_smaller_aggregate_groups_for_a_recipient_are_material() -> None:
    def grouped(size: int) -> str:
        text = _with(SERVICE, SERVICE + "    data_form: aggregate\n")
        return _with(PROCESSOR, PROCESSOR + f"    data_form: aggregate\n    min_group_size: {size}\n", text)

    _both_ways(grouped(20), grouped(5), "recipients.card_processor.min_group_size", "smaller aggregate groups")


def test_a_recipient_moving_abroad_is_material() -> None:
    abroad = _with(PROCESSOR, PROCESSOR + "    country: IE\n    transfer_mechanism: standard_contractual_clauses\n")
    _both_ways(SMALL_POLICY, abroad, "recipients.card_processor.country",
               "processed in IE under standard_contractual_clauses")


def test_fewer_contract_terms_signed_or_required_are_material() -> None:
    fewer = _with("      terms: [confidentiality, purpose_limitation]\n", "      terms: [confidentiality]\n")
    _both_ways(SMALL_POLICY, fewer, "recipients.card_processor.contract.terms",
               "signs fewer terms: purpose_limitation dropped")
    strict = SMALL_POLICY + "contract_requirements:\n  processor: [confidentiality, purpose_limitation]\n"
    lax = SMALL_POLICY + "contract_requirements:\n  processor: [confidentiality]\n"
    _both_ways(strict, lax, "contract_requirements.processor",
               "no longer required of every processor: purpose_limitation")


def test_a_new_international_transfer_is_material() -> None:
    transfer = _with("  contacts:\n", "  international_transfers:\n    - {origins: [EEA], destination: US, "
                                      "mechanism: data_privacy_framework}\n  contacts:\n")
    _both_ways(SMALL_POLICY, transfer, "provider.international_transfers.EEA.US",
               "personal information from EEA to US under data_privacy_framework")


def _voluntary(classes: str, review: str = "true") -> str:
    return _with("legal:\n", "legal:\n  voluntary_disclosures:\n    rights:\n      basis: protect_rights_or_property\n"
                             f"      classes: [{classes}]\n      audiences: [law_enforcement]\n"
                             f"      description: Protect our property.\n      requires_review: {review}\n")


def test_a_new_or_wider_or_unreviewed_voluntary_disclosure_is_material() -> None:
    _both_ways(SMALL_POLICY, _voluntary("subscriber.basic"), "legal.voluntary_disclosures.rights",
               "a new disclosure without legal process")
    _both_ways(_voluntary("subscriber.basic"), _voluntary("subscriber.basic, cpni.call_log"),
               "legal.voluntary_disclosures.rights", "wider: cpni.call_log")


def _transfer(notify: str, bound: str = "true") -> str:
    return SMALL_POLICY + (f"business_transfer:\n  classes: [subscriber.basic]\n  notify_customers: {notify}\n"
                           f"  successor_bound_by_policy: {bound}\n  description: A sale of assets.\n")


def test_a_business_transfer_introduced_or_with_weaker_notice_is_material() -> None:
    _both_ways(SMALL_POLICY, _transfer("before_transfer"), "business_transfer",
               "customer information may pass to a successor")
    _both_ways(_transfer("before_transfer"), _transfer("attempt_after_transfer"), "business_transfer.notify_customers",
               "customer notice weakened from before_transfer to attempt_after_transfer")
    _both_ways(_transfer("never"), _transfer("never", "false"), "business_transfer.classes",
               "the successor is no longer bound by this policy")


def test_a_dropped_security_control_is_material() -> None:
    two = SMALL_POLICY + "security:\n  controls: [encryption_at_rest, crypto_shredding]\n"
    one = SMALL_POLICY + "security:\n  controls: [encryption_at_rest]\n"
    _both_ways(two, one, "security.controls", "security controls dropped: crypto_shredding")


def test_client_data_used_for_more_purposes_is_material() -> None:
    held = "    classes: [subscriber.basic, billing.payment_instrument, cpni.call_log, content.call_recording]\n"

    def client(purposes: str) -> str:
        return _with(held + "record_classes:", held +
                     f"  - id: client\n    role: processor\n    classes: [cpni.call_log]\n    purposes: [{purposes}]\n"
                     "record_classes:")

    _both_ways(client("provide_service"), client("provide_service, marketing_offers"), "data_sets.client.purposes",
               "client data used for more purposes: marketing_offers")


def test_a_sharing_change_is_listed_once_not_again_as_a_leaf() -> None:
    paths = [change.path for change in _diff(SMALL_POLICY, _voluntary("subscriber.basic"))]
    assert paths == ["legal.voluntary_disclosures.rights"]


def test_a_de_identified_recipient_given_back_a_quasi_identifier_is_material() -> None:
    """A field a de-identified feed used to leave out (disclosures/feed.py) now goes to the recipient."""
    de_identified = _with(PROCESSOR, PROCESSOR + "    data_form: de_identified\n",
                          _with(SERVICE, SERVICE + "    data_form: de_identified\n"))
    protective = _with(PROCESSOR, PROCESSOR + "    quasi_identifiers: [postal_code, city]\n", de_identified)
    weaker = _with(PROCESSOR, PROCESSOR + "    quasi_identifiers: [city]\n", de_identified)
    _both_ways(protective, weaker, "recipients.card_processor.quasi_identifiers",
               "no longer left out of its feeds: postal_code")
