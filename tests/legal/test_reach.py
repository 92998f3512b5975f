"""What process reaches what, for whom: validation and review (`reach_problem`) under one set of rules.

Statutes quoted: 18 U.S.C. 2702, 2703, 2709, 2711(4), 2518, 3123, 3512, 2523; 50 U.S.C. 1861. Seed sentences
are from the SpectrumVoIP Data Request Guidelines (seed 002_9098c538d5e390c3.txt).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custodian.legal.reach import NSL_CLASSES, prospective_answer, reach_problem
from custodian.legal.types import LegalRequest
from custodian.legal.validate import assess_request, validate_request
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.vocabulary import CONTENT_CLASSES, RECORD_CLASSES
from tests.builders.legal import CIVIL, a_request, spectrumvoip
from tests.builders.policy import policy_with

BASIS = {"basis": "caller threatened to shoot his family tonight", "imminent_harm_attested": True}
COURT = {"jurisdiction": "US-TX", "case_number": "26-0042", "issued_by": "Collin County District Court",
         "issued_on": "2026-02-27"}
FOREIGN = {"type": "foreign_government", "agency": "Metropolitan Police Service", "agent_name": "DI Jane Hale",
           "badge_number": "MPS-77", "email": "jane.hale@met.police.uk", "phone": "+44 20 7230 1212",
           "phone_extension": "4", "mailing_address": {"street": "New Scotland Yard, Victoria Embankment",
                                                       "city": "London", "state": "LDN", "postal_code": "SW1A 2JL",
                                                       "country": "GB"}}


def codes(request: LegalRequest, policy: CompiledPolicy | None = None) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in validate_request(request, policy or spectrumvoip())]


def reach(request: LegalRequest, record_class: str, policy: CompiledPolicy | None = None) -> str | None:
    problem = reach_problem(request, policy or spectrumvoip(), record_class)
    return None if problem is None else problem.code


def _compiled(text: str) -> CompiledPolicy:
    from custodian.policy.check import check_text
    from custodian.policy.compiled import compile_policy

    result = check_text(text)
    assert result.valid and result.document is not None, result.problems
    return compile_policy(result.document, text)


# 1. Emergency disclosure only to a governmental entity.

@pytest.mark.parametrize("requester", [CIVIL["requester"], FOREIGN, {"type": "customer", "email": "me@x.example"}])
@pytest.mark.parametrize("instrument", ["emergency_form", "search_warrant", "court_order", "mlat"])
def test_civil_requester_never_receives_emergency_disclosure(requester: dict[str, Any], instrument: str) -> None:
    """2702(c)(4) allows disclosure "to a governmental entity", defined in 2711(4) as "a department or agency of
    the United States or any State or political subdivision thereof": no private party, customer or foreign
    government, whatever instrument it attaches."""
    request = a_request(kind="emergency", requester=requester, instrument={"type": instrument, **COURT},
                        emergency=BASIS, record_classes=["cpni.call_log"])
    assert ("emergency_requester_not_government", "requester.type") in codes(request)
    assert reach(request, "cpni.call_log") == "emergency_requester_not_government"


def test_a_foreign_government_is_told_to_ask_through_a_us_agency() -> None:
    request = a_request(kind="emergency", requester=FOREIGN, instrument={"type": "emergency_form"}, emergency=BASIS)
    problem = validate_request(request, spectrumvoip())[0]
    assert problem.code == "emergency_requester_not_government" and "U.S. agency" in problem.message


# 2. The emergency basis is always required.

def test_an_emergency_with_the_form_and_a_stated_basis_reaches_any_class() -> None:
    """2702(c)(4): "if the provider, in good faith, believes that an emergency involving danger of death or
    serious physical injury to any person requires disclosure without delay"."""
    request = a_request(kind="emergency", instrument={"type": "emergency_form"}, emergency=BASIS,
                        record_classes=["content.voice_message", "cpni.call_log"])
    assert codes(request) == []
    assert reach(request, "content.voice_message") is None


def test_an_emergency_backed_by_a_search_warrant_is_valid() -> None:
    request = a_request(kind="emergency", instrument={"type": "search_warrant", **COURT}, emergency=BASIS,
                        record_classes=["content.sms_body"])
    assert codes(request) == []
    assert reach(request, "content.sms_body") is None


def test_a_court_order_never_replaces_the_stated_danger() -> None:
    """'Emergency Requests (if made without a Court Order) are only appropriate in cases involving the risk of
    serious bodily harm or death': an attached 2703(d) order labelled emergency, with no basis, reaches only
    what a 2703(d) order reaches (2703(d): "the contents of a wire or electronic communication" excepted)."""
    request = a_request(kind="emergency", instrument={"type": "court_order_2703d", **COURT}, emergency=None,
                        record_classes=["cpni.call_log", "content.voice_message"])
    assert codes(request) == [("instrument_insufficient", "record_classes[1]")]
    assert reach(request, "cpni.call_log") is None
    assert reach(request, "content.voice_message") == "instrument_insufficient"
    with_basis = a_request(kind="emergency", instrument={"type": "court_order_2703d", **COURT}, emergency=BASIS,
                           record_classes=["cpni.call_log", "content.voice_message"])
    assert reach(with_basis, "content.voice_message") is None and codes(with_basis) == []


def test_the_emergency_form_without_a_basis_reaches_nothing() -> None:
    request = a_request(kind="emergency", instrument={"type": "emergency_form"},
                        emergency={"basis": "", "imminent_harm_attested": True})
    assert codes(request) == [("emergency_not_qualified", "emergency")]
    assert reach(request, "subscriber.basic") == "emergency_not_qualified"


def test_a_policy_cannot_waive_the_emergency_basis() -> None:
    from custodian.policy.check import check_text

    text = policy_with("  notification: {notify_customer: true}",
                       "  emergency: {requires_basis: false}\n  notification: {notify_customer: true}")
    assert not check_text(text).valid


# 3. Subpoenas reach connection records.

@pytest.mark.parametrize("instrument", ["subpoena", "grand_jury_subpoena", "administrative_subpoena"])
@pytest.mark.parametrize("record_class", ["cpni.call_log", "cpni.fax_log", "cpni.sms_log"])
def test_a_government_subpoena_reaches_connection_records_but_never_content(instrument: str,
                                                                          record_class: str) -> None:
    """2703(c)(2) lets "a Federal or State grand jury or trial subpoena" or "an administrative subpoena" compel
    "local and long distance telephone connection records, or records of session times and durations"."""
    request = a_request(instrument={"type": instrument}, record_classes=[record_class, "content.sms_body"])
    assert codes(request) == [("instrument_insufficient", "record_classes[1]")]
    assert reach(request, record_class) is None and reach(request, "content.sms_body") == "instrument_insufficient"


def test_a_policy_stricter_than_the_statute_still_binds_subpoenas() -> None:
    """The provider may ask for more process than the default, never less (DESIGN.md "Legal process")."""
    policy = _compiled(policy_with("    civil: {cpni.call_log: never, content.call_recording: never}",
                                   "    civil: {cpni.call_log: never, content.call_recording: never}\n"
                                   "    law_enforcement: {cpni.call_log: court_order_2703d}"))
    request = a_request(instrument={"type": "subpoena"}, record_classes=["cpni.call_log"])
    assert reach(request, "cpni.call_log", policy) == "instrument_insufficient"


# 4. New instrument types.

def test_a_national_security_letter_reaches_only_subscriber_and_toll_billing_records() -> None:
    """18 U.S.C. 2709(a): a provider complies with a request "for subscriber information and toll billing
    records information, or electronic communication transactional records"."""
    request = a_request(instrument={"type": "national_security_letter"}, record_classes=sorted(NSL_CLASSES))
    assert codes(request) == []
    for name in RECORD_CLASSES - NSL_CLASSES:
        assert reach(request, name) in ("instrument_insufficient", "record_class_unknown",
                                        "record_class_not_available"), name
    assert reach(request, "support.comment_log") == "instrument_insufficient"


def test_only_law_enforcement_serves_a_national_security_letter() -> None:
    request = a_request(CIVIL, instrument={"type": "national_security_letter"})
    assert codes(request) == [("instrument_requires_government", "instrument.type")]


def test_national_security_process_is_always_gagged_unless_an_expiry_is_given() -> None:
    """2709(c): "no wire or electronic communications service provider ... shall disclose to any person that
    the Federal Bureau of Investigation has sought or obtained access"."""
    from datetime import date

    nsl = a_request(instrument={"type": "national_security_letter"})
    assert nsl.gagged_on(date(2040, 1, 1))
    lifted = a_request(instrument={"type": "fisa_order", **COURT}, nondisclosure_order={"expires_on": "2027-01-01"})
    assert lifted.gagged_on(date(2026, 12, 31)) and not lifted.gagged_on(date(2027, 1, 1))
    assert not a_request().gagged_on(date(2026, 3, 2))


def test_a_fisa_order_reaches_non_content_never_content() -> None:
    """50 U.S.C. 1861 business records orders reach "tangible things", read as non-content like a 2703(d)
    order; content needs a warrant (2703(a))."""
    request = a_request(instrument={"type": "fisa_order", **COURT},
                        record_classes=["cpni.call_log", "network.session_log", "content.chat"])
    assert codes(request) == [("instrument_insufficient", "record_classes[2]")]


@pytest.mark.parametrize("instrument", ["pen_register_order", "wiretap_order"])
def test_prospective_orders_reach_no_stored_record_and_are_answered(instrument: str) -> None:
    """18 U.S.C. 3123 (pen register) and 2518 (interception) orders operate going forward; the provider holds
    no real-time interception capability, so no stored record is produced under them."""
    recorded = a_request(instrument={"type": instrument, **COURT}, record_classes=[],
                         date_range={"from": "2026-03-05", "to": "2026-05-05"})
    assert codes(recorded) == []
    asking = a_request(instrument={"type": instrument, **COURT}, record_classes=["cpni.call_log"])
    assert codes(asking) == [("prospective_order", "record_classes[0]")]
    assert reach(asking, "cpni.call_log") == "prospective_order"
    answer = prospective_answer(instrument, "SpectrumVoIP, Inc.")
    assert answer is not None and "no real-time interception capability" in answer and "actual cost" in answer
    assert prospective_answer("subpoena", "SpectrumVoIP, Inc.") is None


@pytest.mark.parametrize("instrument", ["grand_jury_subpoena", "administrative_subpoena", "search_warrant",
                                        "court_order_2703d", "pen_register_order", "wiretap_order", "fisa_order"])
def test_a_private_party_holds_no_government_only_process(instrument: str) -> None:
    request = a_request(CIVIL, instrument={"type": instrument, **COURT})
    assert ("instrument_requires_government", "instrument.type") in codes(request)


# 5. Civil investigative demands.

def test_only_governments_issue_civil_investigative_demands() -> None:
    """DRG IV.A accepts "governmental civil investigative demands"; a private party issues none."""
    assert codes(a_request(CIVIL, instrument={"type": "civil_investigative_demand", "jurisdiction": "US-TX"})) == [
        ("cid_requires_government", "instrument.type")]
    assert codes(a_request(instrument={"type": "civil_investigative_demand"})) == []


# 6. Foreign requests.

def test_an_mlat_request_alone_is_a_channel_not_process() -> None:
    """'a Mutual Legal Assistance Treaty (MLAT) Request or letter interrogatory is typically required': the
    MLAT request leads to a U.S. instrument (18 U.S.C. 3512); the request itself compels nothing."""
    request = a_request(requester=FOREIGN, instrument={"type": "mlat"})
    assert codes(request) == [("foreign_requires_us_instrument", "instrument.foreign_basis")]
    assert reach(request, "subscriber.basic") == "foreign_requires_us_instrument"


def test_a_us_instrument_under_3512_reaches_what_it_reaches_for_a_us_agency() -> None:
    """18 U.S.C. 3512(a)(2): a federal judge may issue "a warrant or order for contents of stored wire or
    electronic communications or for records related thereto, as provided under section 2703"."""
    warrant = a_request(requester=FOREIGN, instrument={"type": "search_warrant", "foreign_basis": "us_3512", **COURT},
                        record_classes=["content.voice_message", "cpni.call_log"])
    assert codes(warrant) == []
    order = a_request(requester=FOREIGN, instrument={"type": "court_order_2703d", "foreign_basis": "us_3512", **COURT},
                      record_classes=["content.voice_message"])
    assert codes(order) == [("instrument_insufficient", "record_classes[0]")]


def test_a_cloud_act_order_counts_only_from_a_country_the_policy_lists() -> None:
    """18 U.S.C. 2523: an order of a foreign government under an executive agreement the Attorney General has
    certified; the provider's policy lists the countries it honours."""
    request = a_request(requester=FOREIGN, instrument={"type": "search_warrant", "foreign_basis": "cloud_act",
                                                       "country": "GB", **COURT}, record_classes=["content.chat"])
    assert codes(request) == [("cloud_act_country_not_listed", "instrument.country")]
    policy = _compiled(policy_with("  max_date_range_months: 2", "  max_date_range_months: 2\n"
                                   "  cloud_act_countries: [GB, AU]"))
    assert reach(request, "content.call_recording", policy) is None
    assert reach(request, "cpni.call_log", policy) is None


def test_a_requester_type_the_policy_does_not_accept_is_refused() -> None:
    policy = _compiled(policy_with("      min_response_days: 28", "      min_response_days: 28\n      accepted: false"))
    request = a_request(CIVIL, instrument__jurisdiction="US-TX")
    assert ("requester_type_not_accepted", "requester.type") in codes(request, policy)
    assert reach(request, "subscriber.basic", policy) == "requester_type_not_accepted"


def test_foreign_requesters_give_the_identity_fields_the_policy_requires() -> None:
    policy = _compiled(policy_with("  service_channels: [email, mail]",
                                   "    foreign_government:\n      required_fields: [agency, agent_name, email]\n"
                                   "  service_channels: [email, mail]"))
    request = a_request(requester={**FOREIGN, "agent_name": ""}, instrument={"type": "mlat"},
                        record_classes=["subscriber.basic"])
    assert ("missing_field", "requester.agent_name") in codes(request, policy)


# 7. Preservation.

def test_a_civil_preservation_request_is_invalid() -> None:
    """2703(f)(1): "A provider ... upon the request of a governmental entity, shall take all necessary steps to
    preserve records"."""
    request = a_request(CIVIL, kind="preservation", instrument=None)
    assert codes(request) == [("preservation_requires_government", "kind")]
    assert reach(request, "subscriber.basic") == "preservation_requires_government"
    assert codes(a_request(kind="preservation", instrument=None)) == []


# 8. Instrument details.

@pytest.mark.parametrize("instrument", ["search_warrant", "court_order", "court_order_2703d", "pen_register_order",
                                        "wiretap_order", "fisa_order"])
@pytest.mark.parametrize("detail", ["issued_by", "issued_on", "case_number"])
def test_a_judges_order_names_its_court_date_and_case(instrument: str, detail: str) -> None:
    request = a_request(instrument={**COURT, "type": instrument, detail: ""}, record_classes=["subscriber.basic"])
    assert ("missing_field", f"instrument.{detail}") in codes(request)


# 10. Federal civil process.

@pytest.mark.parametrize("instrument", [{"type": "subpoena", "jurisdiction": "US"},
                                        {"type": "subpoena", "jurisdiction": "US-NY",
                                         "issued_by": "United States District Court for the Southern District of "
                                                      "New York"}])
def test_a_federal_subpoena_needs_no_texas_domestication(instrument: dict[str, str]) -> None:
    """Fed. R. Civ. P. 45(b)(2): "A subpoena may be served at any place within the United States"; the DRG asks
    civil process to be 'localized through the Texas state or federal courts'."""
    assert codes(a_request(CIVIL, instrument=instrument)) == []
    assert codes(a_request(CIVIL, instrument={"type": "subpoena", "jurisdiction": "US-NY"})) == [
        ("civil_process_not_domesticated", "instrument.jurisdiction")]


# Review agrees with validation.

@settings(max_examples=120, deadline=None)
@given(requester=st.sampled_from(["law_enforcement", "civil", "foreign_government"]),
       kind=st.sampled_from(["data", "emergency", "preservation"]),
       instrument=st.sampled_from(["subpoena", "grand_jury_subpoena", "civil_investigative_demand",
                                   "court_order_2703d", "court_order", "search_warrant", "national_security_letter",
                                   "fisa_order", "pen_register_order", "wiretap_order", "emergency_form", "mlat"]),
       basis=st.booleans(), foreign_basis=st.sampled_from([None, "us_3512", "cloud_act"]),
       record_class=st.sampled_from(sorted(RECORD_CLASSES)))
def test_review_never_approves_a_class_validation_forbids(requester: str, kind: str, instrument: str, basis: bool,
                                                          foreign_basis: str | None, record_class: str) -> None:
    base = {"law_enforcement": {}, "civil": {"requester": CIVIL["requester"]},
            "foreign_government": {"requester": FOREIGN}}[requester]
    request = a_request(kind=kind, **base, instrument={"type": instrument, "foreign_basis": foreign_basis,
                                                       "country": "GB", **COURT},
                        emergency=BASIS if basis else None, record_classes=[record_class])
    result = assess_request(request, spectrumvoip())
    process_codes = {p.code for p in result.problems} - {"missing_field", "date_range_invalid",
                                                          "response_date_too_soon", "service_channel_not_accepted"}
    if reach(request, record_class) is None:
        assert not process_codes, process_codes
    else:
        assert result.problems
    if kind != "preservation" and record_class in CONTENT_CLASSES and requester == "civil":
        assert reach(request, record_class) is not None
