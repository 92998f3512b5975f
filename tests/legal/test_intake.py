"""How a request's defects read to a person: human field names, no internal codes; which defects public intake
refuses at the door."""

from __future__ import annotations

from custodian.legal.intake import field_errors, field_label, missing_required, plain_reason
from custodian.legal.validate import Problem, validate_request
from tests.builders.legal import CIVIL, a_request, spectrumvoip


def test_field_paths_read_as_the_form_labels_them() -> None:
    assert field_label("requester.mailing_address.street") == "Mailing address: street"
    assert field_label("requester.mailing_address.postal_code") == "Mailing address: postal code"
    assert field_label("requester.badge_number") == "Badge / identification number"
    assert field_label("targets[1].phone_number") == "Target 2: telephone number"
    assert field_label("date_range.to") == "Records to"
    document = a_request(record_classes=["subscriber.basic", "content.sms_body"])
    assert field_label("record_classes[1]", document) == "Records requested: Text message contents"


def test_a_missing_street_reads_as_the_letter_says_it() -> None:
    """The deficiency letter names the field a person filled in: 'Mailing address: street is missing'."""
    problem = Problem("missing_field", "requester.mailing_address.street", "the mailing address needs a street")
    assert plain_reason(problem) == "Mailing address: street is missing"


def test_reasons_name_records_and_process_in_words_not_codes() -> None:
    """DRG VII.B: civil requesters get 'not Call/Fax Logs, SMS Message Records, or Media'."""
    civil = a_request(CIVIL, record_classes=["subscriber.basic", "cpni.call_log"])
    problems = [p for p in validate_request(civil, spectrumvoip()) if p.field.startswith("record_classes")]
    reasons = [plain_reason(p, civil) for p in problems]
    assert reasons == ['Records requested: Call records: numbers called and calling, dates, times, durations: '
                       '"Call records: numbers called and calling, dates, times, durations" is never disclosed to '
                       'civil (private party) requesters']
    law = a_request(instrument={"type": "subpoena", "jurisdiction": "US-TX"}, record_classes=["support.comment_log"])
    reason = plain_reason(validate_request(law, spectrumvoip())[0], law)
    assert "court order under 18 U.S.C. 2703(d), not a subpoena" in reason and "support." not in reason


def test_only_missing_fields_are_refused_at_intake_one_error_per_field() -> None:
    problems = [Problem("missing_field", "requester.agency", "x"), Problem("target_missing", "targets", "y"),
                Problem("email_not_government_domain", "requester.email", "z"),
                Problem("missing_field", "requester.agency", "again")]
    assert [p.field for p in missing_required(problems)] == ["requester.agency", "targets", "requester.agency"]
    assert [e.field for e in field_errors(missing_required(problems))] == ["requester.agency", "targets"]
