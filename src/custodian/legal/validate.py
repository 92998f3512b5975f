"""Validating a legal request against the policy (issue #4 "Validation"; SpectrumVoIP DRG II-V, IX).

One problem per distinct defect, with the exact codes of the issue. Rules come from the compiled
policy: required fields, response time, e-mail domains, date-range limit, civil jurisdictions and the
legal process matrix (the SCA default of policy/sca.py, made stricter by the provider's policy).
Preservation is not disclosure, so it is not checked against the matrix; a qualified emergency
request may receive any class relating to the emergency (18 U.S.C. 2702(b)(8), (c)(4)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from custodian.kernel.phone import InvalidPhoneNumber, to_e164
from custodian.legal.calendar import add_months
from custodian.legal.email_domains import is_government_email
from custodian.legal.types import LegalRequest, MailingAddress
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document import RequesterRules
from custodian.policy.sca import MLAT, NEVER, process_rank
from custodian.policy.vocabulary import RECORD_CLASSES

PO_BOX = re.compile(r"\b(?:p\.?\s*o\.?\s*box|post\s+office\s+box)\b", re.IGNORECASE)
ADDRESS_PARTS = ("street", "city", "state", "postal_code")
# Court orders qualify an emergency request without a stated basis (DRG II.C: "if made without a Court Order").
EMERGENCY_COURT_ORDERS = frozenset({"court_order", "court_order_2703d"})
# Fields asked of a data request only: an emergency or a preservation letter has no response date to set.
DATA_ONLY_FIELDS = frozenset({"requested_response_on"})


@dataclass(frozen=True)
class Problem:
    """One defect of a request: a stable code, the field's path and a sentence for the requester."""

    code: str
    field: str
    message: str


def validate_request(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    """Every problem of `request` under `policy`; an empty list means the request is valid."""
    requester_type = request.requester.type
    if requester_type is None:
        return [Problem("missing_field", "requester.type", "the requester type is required")]
    if requester_type == "customer":
        return [Problem("self_request_use_portal", "requester.type",
                        "customers obtain their own data through the customer portal, not a data request")]
    rules = policy.document.legal.requesters.get(requester_type, RequesterRules())
    return [
        *_document_problems(request),
        *_requester_problems(request, rules, policy),
        *_date_problems(request, rules, policy),
        *_target_problems(request),
        *_process_problems(request, policy),
        *_service_problems(request, policy),
    ]


def _document_problems(request: LegalRequest) -> list[Problem]:
    found = []
    if request.kind is None:
        found.append(Problem("missing_field", "kind", "the request kind is required (data, preservation, emergency)"))
    if request.received_on is None:
        found.append(Problem("missing_field", "received_on", "the date the request was received is required"))
    return found


def _requester_problems(request: LegalRequest, rules: RequesterRules, policy: CompiledPolicy) -> list[Problem]:
    requester = request.requester
    found = []
    for name in rules.required_fields:
        if name in DATA_ONLY_FIELDS and request.kind in ("emergency", "preservation"):
            continue
        if name == "requested_response_on":
            if request.requested_response_on is None:
                found.append(Problem("missing_field", name, "a requested response date is required"))
        elif name == "mailing_address":
            found.extend(_address_missing(requester.mailing_address))
        elif not getattr(requester, name):
            found.append(Problem("missing_field", f"requester.{name}", f"requester.{name} is required"))
    address = requester.mailing_address
    if address and address.street and not policy.document.legal.po_box_accepted and PO_BOX.search(address.street):
        found.append(Problem("po_box_not_accepted", "requester.mailing_address.street",
                             "P.O. boxes are not accepted as a mailing address"))
    if rules.government_email_only and requester.email and not is_government_email(
            requester.email, rules.email_domains_allowed):
        found.append(Problem("email_not_government_domain", "requester.email",
                             "the e-mail address must be in the requesting agency's own government domain"))
    return found


def _address_missing(address: MailingAddress | None) -> list[Problem]:
    if address is None or address.is_empty():
        return [Problem("missing_field", "requester.mailing_address", "a mailing address is required")]
    return [Problem("missing_field", f"requester.mailing_address.{part}", f"the mailing address needs a {part}")
            for part in ADDRESS_PARTS if not getattr(address, part)]


def _date_problems(request: LegalRequest, rules: RequesterRules, policy: CompiledPolicy) -> list[Problem]:
    found = []
    window = request.date_range
    if window is None or window.from_on is None or window.to_on is None:
        found.append(Problem("date_range_missing", "date_range", "a specific date or narrow date range is required"))
    elif window.to_on < window.from_on:
        found.append(Problem("date_range_invalid", "date_range.to", "the range must end on or after its start"))
    else:
        if request.received_on is not None and window.to_on > request.received_on:
            found.append(Problem("date_range_invalid", "date_range.to",
                                 "the range must end no later than the day the request was received"))
        months = policy.document.legal.max_date_range_months
        if months is not None and window.to_on > add_months(window.from_on, months):
            found.append(Problem("date_range_too_long", "date_range",
                                 f"the date range may cover at most {months} calendar months"))
    due = request.requested_response_on
    if request.kind == "data" and due is not None and request.received_on is not None:
        earliest = request.received_on + timedelta(days=rules.min_response_days)
        if due < earliest:
            found.append(Problem("response_date_too_soon", "requested_response_on",
                                 f"please allow at least {rules.min_response_days} days: no earlier than "
                                 f"{earliest.isoformat()}"))
    return found


def _target_problems(request: LegalRequest) -> list[Problem]:
    given = [(index, target) for index, target in enumerate(request.targets)
             if target.identifies() or target.name]
    if not given:
        return [Problem("target_missing", "targets", "at least one telephone number, account or e-mail is required")]
    found = []
    for index, target in given:
        if target.phone_number:
            try:
                to_e164(target.phone_number)
            except InvalidPhoneNumber:
                found.append(Problem("phone_number_invalid", f"targets[{index}].phone_number",
                                     "not a dialable telephone number"))
        if not target.identifies():
            found.append(Problem("target_overbroad", f"targets[{index}]",
                                 "a name alone is overbroad: give a telephone number, account or e-mail"))
    return found


def _process_problems(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    found = [Problem("record_class_unknown", f"record_classes[{index}]", f"unknown record class {name!r}")
             for index, name in enumerate(request.record_classes) if name not in RECORD_CLASSES]
    requester_type = request.requester.type
    instrument = request.instrument.type
    if requester_type == "foreign_government" and request.kind != "preservation" and instrument != "mlat":
        return [*found, Problem("foreign_requires_mlat", "instrument.type",
                                "foreign governments request data through a mutual legal assistance treaty")]
    if request.kind == "emergency":
        return [*found, *_emergency_problems(request, policy)]
    if request.kind != "data":
        return found  # preserving is not disclosing: no instrument and no matrix
    if requester_type == "civil":
        found.extend(_civil_jurisdiction_problems(request, policy))
    if not request.record_classes:
        return [*found, Problem("missing_field", "record_classes", "name the record classes requested")]
    if instrument is None or instrument == "none":
        return [*found, Problem("missing_field", "instrument.type", "a data request needs formal legal process")]
    for index, name in enumerate(request.record_classes):
        if name in RECORD_CLASSES and requester_type is not None:
            found.extend(_matrix_problems(index, name, requester_type, instrument, policy))
    return found


def reach_problem(request: LegalRequest, policy: CompiledPolicy, record_class: str) -> Problem | None:
    """Why the request's instrument cannot reach `record_class`, or None when it can (review uses this)."""
    if record_class not in RECORD_CLASSES:
        return Problem("record_class_unknown", "record_classes", f"unknown record class {record_class!r}")
    if request.kind == "preservation" or (request.kind == "emergency" and not _emergency_problems(request, policy)):
        return None
    requester_type = request.requester.type
    instrument = request.instrument.type
    if requester_type is None or requester_type == "customer":
        return Problem("self_request_use_portal", "requester.type", "not a legal requester")
    if requester_type == "foreign_government" and instrument != "mlat":
        return Problem("foreign_requires_mlat", "instrument.type", "foreign governments need an MLAT request")
    if request.kind == "emergency":
        return Problem("emergency_not_qualified", "emergency", "the emergency request does not qualify")
    if instrument is None or instrument == "none":
        return Problem("missing_field", "instrument.type", "no legal process")
    found = _matrix_problems(0, record_class, requester_type, instrument, policy)
    return found[0] if found else None


def _matrix_problems(index: int, name: str, requester_type: str, instrument: str,
                     policy: CompiledPolicy) -> list[Problem]:
    needed = policy.process_needed(requester_type, name)
    field = f"record_classes[{index}]"
    if needed == NEVER:
        return [Problem("record_class_not_available", field,
                        f"{name} is never disclosed to {requester_type} requesters")]
    if needed == MLAT:
        return []
    if process_rank(instrument) < process_rank(needed):
        return [Problem("instrument_insufficient", field, f"{name} needs at least a {needed}, not a {instrument}")]
    return []


def _civil_jurisdiction_problems(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    allowed = policy.document.legal.civil_process_jurisdictions
    where = request.instrument.jurisdiction
    if not allowed or (where is not None and any(where == code or where.startswith(code + "-") for code in allowed)):
        return []
    return [Problem("civil_process_not_domesticated", "instrument.jurisdiction",
                    f"civil process must be issued or domesticated in {', '.join(allowed)}")]


def _emergency_problems(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    rules = policy.document.legal.emergency
    instrument = request.instrument.type
    basis = request.emergency
    court_ordered = instrument in EMERGENCY_COURT_ORDERS
    stated = (basis is not None and (basis.basis or not rules.requires_basis)
              and (basis.imminent_harm_attested or not rules.requires_imminent_harm_attestation))
    if rules.accepted and (instrument == "emergency_form" or court_ordered) and (court_ordered or stated):
        return []
    return [Problem("emergency_not_qualified", "emergency",
                    "an emergency request needs the emergency form (or a court order) and a stated basis "
                    "attesting imminent danger of death or serious bodily harm")]


def _service_problems(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    channel = request.service.channel
    if channel is None:
        return []
    testimony_by_wire = request.service.requires_testimony and channel in ("email", "fax")
    if testimony_by_wire or channel not in policy.document.legal.service_channels:
        return [Problem("service_channel_not_accepted", "service.channel",
                        f"process served by {channel} is not accepted"
                        + (" when it seeks testimony; serve the registered agent in person" if testimony_by_wire
                           else ""))]
    return []
