"""Validation of legal requests under the SpectrumVoIP policy: every problem code of issue #4.

Quotes are from the SpectrumVoIP Data Request Guidelines (seed 002_9098c538d5e390c3.txt).
"""

from __future__ import annotations

import pytest

from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem, assess_request, validate_request
from custodian.policy.compiled import CompiledPolicy
from tests.builders.legal import CIVIL, a_request, spectrumvoip
from tests.builders.policy import SMALL_POLICY

SUBPOENA = {"instrument__type": "subpoena"}


def problems(request: LegalRequest, policy: CompiledPolicy | None = None) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in validate_request(request, policy or spectrumvoip())]


def test_a_complete_law_enforcement_request_has_no_problems() -> None:
    assert problems(a_request()) == []


def test_a_complete_civil_request_has_no_problems() -> None:
    assert problems(a_request(CIVIL)) == []


@pytest.mark.parametrize("field", ["agency", "agent_name", "badge_number", "email", "phone", "phone_extension"])
def test_each_law_enforcement_field_is_required(field: str) -> None:
    """'SpectrumVoIP requires that each law enforcement request include at least the following information:
    Requesting Agency's Name, Requesting Agent's Name, ... Badge/Identification Number, ... E-mail Address,
    ... Telephone Number (including extension)'."""
    assert problems(a_request(**{f"requester__{field}": ""})) == [("missing_field", f"requester.{field}")]
    assert problems(a_request(**{f"requester__{field}": None})) == [("missing_field", f"requester.{field}")]


@pytest.mark.parametrize("field", ["party_name", "counsel_name", "counsel_bar_number", "counsel_bar_state",
                                   "local_counsel_name", "local_counsel_texas_bar_number", "phone", "email"])
def test_each_civil_field_is_required(field: str) -> None:
    """'Counsel Name and applicable State Bar Number; Local Counsel Name and Texas State Bar Number;
    Telephone Number; E-mail Address'."""
    assert problems(a_request(CIVIL, **{f"requester__{field}": "  "})) == [("missing_field", f"requester.{field}")]


def test_a_missing_mailing_address_and_response_date_are_reported_by_path() -> None:
    request = a_request(requester__mailing_address=None, requested_response_on="")
    assert problems(request) == [("missing_field", "requester.mailing_address"),
                                 ("missing_field", "requested_response_on")]


def test_a_partial_mailing_address_names_the_missing_part() -> None:
    request = a_request(requester__mailing_address={"street": "909 E 14th St", "city": "Plano", "state": "TX"})
    assert problems(request) == [("missing_field", "requester.mailing_address.postal_code")]


@pytest.mark.parametrize("street", ["P.O. Box 250588", "PO Box 12", "po box 7", "Post Office Box 3", "p. o. box 9"])
def test_a_po_box_is_not_accepted(street: str) -> None:
    """'Requesting Agent's Mailing Address (P.O. boxes will not be accepted)'."""
    request = a_request(requester__mailing_address={"street": street, "city": "Plano", "state": "TX",
                                                    "postal_code": "75025"})
    assert problems(request) == [("po_box_not_accepted", "requester.mailing_address.street")]


def test_a_street_that_merely_contains_box_letters_is_accepted() -> None:
    request = a_request(requester__mailing_address={"street": "12 Boxwood Rd", "city": "Plano", "state": "TX",
                                                    "postal_code": "75025"})
    assert problems(request) == []


@pytest.mark.parametrize("email", ["agent@gmail.com", "agent@yahoo.com", "agent@leelaw.com", "agent@plano.gov.com",
                                   "not-an-address"])
def test_a_law_enforcement_email_outside_a_government_domain_is_refused(email: str) -> None:
    """'SpectrumVoIP will not respond to an individual's private email address or any e-mail address in a
    domain unassociated with the Requesting Agency'."""
    assert problems(a_request(requester__email=email)) == [("email_not_government_domain", "requester.email")]


@pytest.mark.parametrize("email", ["a@plano.gov", "a@fbi.gov", "a@army.mil", "a@police.ci.plano.tx.us",
                                   "a@sheriff.co.collin.tx.us"])
def test_government_and_locality_domains_qualify(email: str) -> None:
    assert problems(a_request(requester__email=email)) == []


def test_an_agency_domain_on_the_policy_allow_list_qualifies_but_free_mail_never_does() -> None:
    text = SMALL_POLICY.replace("      government_email_only: true",
                                "      government_email_only: true\n"
                                "      email_domains_allowed: [dallaspolice.net, gmail.com]", 1)
    policy = _compiled(text)
    assert problems(a_request(requester__email="a@dallaspolice.net", record_classes=["subscriber.basic"]),
                    policy) == []
    assert problems(a_request(requester__email="a@gmail.com", record_classes=["subscriber.basic"]), policy) == [
        ("email_not_government_domain", "requester.email")]


def test_civil_requester_emails_are_not_held_to_government_domains() -> None:
    assert problems(a_request(CIVIL, requester__email="counsel@gmail.com")) == []


def test_a_missing_date_range_is_one_problem() -> None:
    """'SpectrumVoIP cannot reasonably consider a Data Request unless it includes ... A specific date or a
    narrowly tailored date range'."""
    assert problems(a_request(date_range=None)) == [("date_range_missing", "date_range")]
    assert problems(a_request(date_range={"from": "2026-01-01", "to": ""})) == [("date_range_missing", "date_range")]


@pytest.mark.parametrize("window", [{"from": "2026-02-01", "to": "2026-01-31"},
                                    {"from": "2026-02-01", "to": "2026-03-03"}])
def test_a_range_ending_before_it_starts_or_after_receipt_is_invalid(window: dict[str, str]) -> None:
    assert problems(a_request(date_range=window)) == [("date_range_invalid", "date_range.to")]


def test_a_range_both_too_long_and_ending_after_receipt_is_two_problems() -> None:
    """Each defect is named once: the end after receipt, and the span beyond two calendar months."""
    assert problems(a_request(date_range={"from": "2025-12-01", "to": "2026-03-10"}, **SUBPOENA)) == [
        ("date_range_invalid", "date_range.to"), ("date_range_too_long", "date_range")]


def test_a_range_longer_than_two_calendar_months_is_too_long() -> None:
    """'A specific date or a narrowly tailored date range (generally up to 2 months).'"""
    assert problems(a_request(date_range={"from": "2025-12-31", "to": "2026-02-28"}, **SUBPOENA)) == []
    assert problems(a_request(date_range={"from": "2025-12-15", "to": "2026-02-15"}, **SUBPOENA)) == []
    assert problems(a_request(date_range={"from": "2025-12-15", "to": "2026-02-16"}, **SUBPOENA)) == [
        ("date_range_too_long", "date_range")]


@pytest.mark.parametrize("instrument", ["court_order_2703d", "search_warrant", "court_order"])
def test_a_judges_order_over_the_range_limit_is_a_warning_for_review_not_a_defect(instrument: str) -> None:
    """'narrowly tailored date range (generally up to 2 months)': 'generally' yields to a judge's order, whose
    scope the issuing court set; the desk reviews it instead of refusing it."""
    request = a_request(date_range={"from": "2025-10-01", "to": "2026-02-28"}, instrument__type=instrument)
    result = assess_request(request, spectrumvoip())
    assert result.valid and result.problems == ()
    assert [(w.code, w.field) for w in result.warnings] == [("date_range_too_long", "date_range")]


def test_law_enforcement_must_allow_two_weeks_and_civil_four() -> None:
    """'Requested Response Date (please allow at least 2 weeks for processing)' and '(please allow at least 4
    weeks for processing)'."""
    assert problems(a_request(requested_response_on="2026-03-16")) == []
    assert problems(a_request(requested_response_on="2026-03-15")) == [
        ("response_date_too_soon", "requested_response_on")]
    assert problems(a_request(CIVIL, requested_response_on="2026-03-30")) == []
    assert problems(a_request(CIVIL, requested_response_on="2026-03-29")) == [
        ("response_date_too_soon", "requested_response_on")]


def test_response_time_is_not_applied_to_preservation_or_emergency_requests() -> None:
    preservation = a_request(kind="preservation", requested_response_on="2026-03-03", instrument=None)
    assert problems(preservation) == []
    emergency = a_request(kind="emergency", requested_response_on="2026-03-02",
                          instrument={"type": "emergency_form"},
                          emergency={"basis": "kidnapping in progress", "imminent_harm_attested": True})
    assert problems(emergency) == []


def test_targets_are_required_and_a_name_alone_is_overbroad() -> None:
    """'searching by user name may be unreasonably over-broad so SpectrumVoIP may require the requestor to
    provide narrower criteria'."""
    assert problems(a_request(targets=[])) == [("target_missing", "targets")]
    assert problems(a_request(targets=[{"phone_number": "", "name": ""}])) == [("target_missing", "targets")]
    assert problems(a_request(targets=[{"phone_number": "+15125550100"}, {"name": "Customer Service"}])) == [
        ("target_overbroad", "targets[1]")]


def test_an_undialable_target_number_is_invalid() -> None:
    assert problems(a_request(targets=[{"phone_number": "12"}, {"phone_number": "(512) 555-0100"}])) == [
        ("phone_number_invalid", "targets[0].phone_number")]


def test_a_class_outside_the_vocabulary_is_unknown() -> None:
    assert problems(a_request(record_classes=["subscriber.basic", "cpni.call_logs"])) == [
        ("record_class_unknown", "record_classes[1]")]


@pytest.mark.parametrize(("instrument", "classes", "short"), [
    ("subpoena", ["subscriber.basic", "cpni.call_log", "support.comment_log"], [2]),
    ("civil_investigative_demand", ["billing.transactions", "cpni.sms_log", "content.sms_body"], [2]),
    ("court_order_2703d", ["cpni.call_log", "content.voice_message"], [1]),
    ("search_warrant", ["content.voice_message", "content.chat", "cpni.fax_log"], []),
])
def test_the_instrument_must_reach_every_class(instrument: str, classes: list[str], short: list[int]) -> None:
    """18 U.S.C. 2703: a subpoena (or a civil investigative demand) reaches basic subscriber records and
    "local and long distance telephone connection records" (2703(c)(2)), a 2703(d) order other non-content
    records, a warrant content."""
    request = a_request(instrument__type=instrument, record_classes=classes)
    assert problems(request) == [("instrument_insufficient", f"record_classes[{i}]") for i in short]


def test_civil_requesters_never_get_logs_or_content_from_spectrumvoip() -> None:
    """'SpectrumVoIP typically may provide Basic Subscriber Information, Billing History Information, Additional
    Number or Extensions and Comment Log Data (not Call/Fax Logs, SMS Message Records, or Media)'."""
    request = a_request(CIVIL, record_classes=["numbers.assignments", "cpni.call_log", "cpni.sms_log",
                                               "content.fax_incoming"])
    assert problems(request) == [("record_class_not_available", f"record_classes[{i}]") for i in (1, 2, 3)]


def test_without_a_stricter_policy_the_default_matrix_and_any_jurisdiction_apply() -> None:
    """DESIGN.md: 'Private litigants never receive content'; a civil subpoena reaches the rest by default."""
    policy = _compiled(SMALL_POLICY)
    request = a_request(CIVIL, instrument={"type": "subpoena", "jurisdiction": "US-NY"}, service={"channel": "mail"},
                        record_classes=["billing.payment_instrument", "content.call_recording"])
    assert problems(request, policy) == [("record_class_not_available", "record_classes[1]")]


def test_civil_process_must_be_issued_or_domesticated_in_texas() -> None:
    """'All service of process in civil matters should be localized through the Texas state or federal courts'."""
    assert problems(a_request(CIVIL, instrument={"type": "subpoena", "jurisdiction": "US-NY"})) == [
        ("civil_process_not_domesticated", "instrument.jurisdiction")]
    assert problems(a_request(CIVIL, instrument={"type": "subpoena"})) == [
        ("civil_process_not_domesticated", "instrument.jurisdiction")]




def test_a_foreign_government_needs_an_mlat_request() -> None:
    """'a Mutual Legal Assistance Treaty (MLAT) Request or letter interrogatory is typically required': the MLAT
    request is the channel; the data leaves only under the U.S. instrument it obtains (18 U.S.C. 3512)."""
    foreign = {"requester__type": "foreign_government"}
    assert problems(a_request(**foreign, instrument={"type": "mlat"})) == [
        ("foreign_requires_us_instrument", "instrument.foreign_basis")]
    assert problems(a_request(**foreign, instrument__foreign_basis="us_3512")) == []


@pytest.mark.parametrize("change", [
    {"instrument": {"type": "subpoena"}, "emergency": {"basis": "threat", "imminent_harm_attested": True}},
    {"instrument": {"type": "emergency_form"}, "emergency": {"basis": "", "imminent_harm_attested": True}},
    {"instrument": {"type": "emergency_form"}, "emergency": {"basis": "threat", "imminent_harm_attested": False}},
    {"instrument": {"type": "emergency_form"}, "emergency": None},
])
def test_an_emergency_request_needs_the_form_a_basis_and_an_attestation(change: dict[str, object]) -> None:
    """'Emergency requests for customer Data will not be considered unless they are made using the Emergency
    Data Request Form ... or are made in connection with a Court Order' and 'are only appropriate in cases
    involving the risk of serious bodily harm or death'."""
    request = a_request(kind="emergency", **change)
    assert problems(request) == [("emergency_not_qualified", "emergency")]




def test_preservation_needs_identifying_information_but_no_instrument_and_no_matrix() -> None:
    """'Preservation Requests must include all of the information outlined in Section V'."""
    request = a_request(kind="preservation", instrument=None, record_classes=["content.sms_body"])
    assert problems(request) == []
    assert problems(a_request(kind="preservation", instrument=None, requester__badge_number="")) == [
        ("missing_field", "requester.badge_number")]


def test_a_data_request_without_legal_process_or_classes_is_missing_them() -> None:
    """'SpectrumVoIP generally will not respond to Data Requests unless they are made through formal legal
    processes'."""
    assert problems(a_request(instrument={"type": "none"})) == [("missing_field", "instrument.type")]
    assert problems(a_request(record_classes=[])) == [("missing_field", "record_classes")]


@pytest.mark.parametrize(("channel", "testimony", "expected"), [
    ("email", True, [("service_channel_not_accepted", "service.channel")]),
    ("fax", False, [("service_channel_not_accepted", "service.channel")]),
    ("personal", True, []),
    ("email", False, []),
])
def test_process_seeking_testimony_is_not_accepted_by_email_or_fax(
        channel: str, testimony: bool, expected: list[tuple[str, str]]) -> None:
    """'SpectrumVoIP does not consent to service by fax or email for subpoenas ... seeking oral testimony or
    the personal appearance of a SpectrumVoIP representative.'"""
    request = a_request(service={"channel": channel, "requires_testimony": testimony})
    assert problems(request) == expected


def test_a_customer_asking_for_their_own_data_is_sent_to_the_portal() -> None:
    """47 U.S.C. 222(c)(2): a carrier "shall disclose customer proprietary network information, upon
    affirmative written request by the customer, to any person designated by the customer"; and 'Customers or
    End Users who need copies of their own data should download that data through their Admin Portals, rather
    than submitting Data Requests to SpectrumVoIP.'"""
    result = assess_request(a_request(requester={"type": "customer", "email": "me@example.com"}), spectrumvoip())
    assert result.problems == () and result.route == "customer_requests"
    assert assess_request(a_request(), spectrumvoip()).route is None


def test_one_problem_per_distinct_defect() -> None:
    request = a_request(requester__email="x@gmail.com", requester__badge_number="",
                        record_classes=["content.chat", "support.comment_log", "nope"],
                        instrument={"type": "subpoena"})
    found = validate_request(request, spectrumvoip())
    assert len(found) == len(set(found)) == 5
    assert all(isinstance(p, Problem) and p.message for p in found)


def _compiled(text: str) -> CompiledPolicy:
    from custodian.policy.check import check_text
    from custodian.policy.compiled import compile_policy

    result = check_text(text)
    assert result.valid and result.document is not None, result.problems
    return compile_policy(result.document, text)

