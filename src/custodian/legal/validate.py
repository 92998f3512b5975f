"""Validating a legal request against the policy (issue #4 "Validation"; SpectrumVoIP DRG II-V, IX).

One problem per distinct defect, with the exact codes of the issue. Rules come from the compiled
policy: required fields, response time, e-mail domains, date-range limit, civil jurisdictions and the
legal process matrix (the SCA default of policy/sca.py, made stricter by the provider's policy). What
process reaches what, for whom, is legal/reach.py, shared with review. A date range longer than the
policy allows on a judge's order is a warning for review, not a defect: the judge set the scope. A
customer's own request for their CPNI (47 U.S.C. 222(c)(2)) is no problem but a route elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from custodian.kernel.phone import InvalidPhoneNumber, to_e164
from custodian.legal.calendar import add_months
from custodian.legal.email_domains import agency_email_problem
from custodian.legal.reach import (
    JUDICIAL,
    PROSPECTIVE,
    Problem,
    class_problem,
    customer_route,
    gate_problems,
    reach_problem,
)
from custodian.legal.types import LegalRequest, MailingAddress
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document_legal import RequesterRules

__all__ = ["Problem", "Validation", "assess_request", "reach_problem", "validate_request"]

PO_BOX = re.compile(r"\b(?:p\.?\s*o\.?\s*box|post\s+office\s+box)\b", re.IGNORECASE)
ADDRESS_PARTS = ("street", "city", "state", "postal_code")
# Fields asked of a data request only: an emergency or a preservation letter has no response date to set.
DATA_ONLY_FIELDS = frozenset({"requested_response_on"})
DETAILS = (("issued_by", "issuing court"), ("issued_on", "date of issue"), ("case_number", "case number"))
FEDERAL_COURT = re.compile(r"\b(?:united\s+states|u\.\s?s\.|us)\s+(?:district|bankruptcy|magistrate)\b|\bfederal\b",
                           re.IGNORECASE)
EMAIL_MESSAGES = {
    "email_not_government_domain": "the e-mail address must be in the requesting agency's own government domain",
    "email_not_agency_domain": "the e-mail address is not in a domain of the agency named",
    "email_domain_other_agency": "the e-mail address is in the domain of a different agency",
}


@dataclass(frozen=True)
class Validation:
    """Defects (the request is invalid), warnings (for review) and a route to another process, if any."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    route: str | None = None

    @property
    def valid(self) -> bool:
        """True when there is no defect; warnings do not make a request invalid."""
        return not self.problems


def validate_request(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    """Every problem of `request` under `policy`; an empty list means the request is valid."""
    return list(assess_request(request, policy).problems)


def assess_request(request: LegalRequest, policy: CompiledPolicy) -> Validation:
    """The problems, warnings and route of `request` under `policy`."""
    requester_type = request.requester.type
    if requester_type is None:
        return Validation((Problem("missing_field", "requester.type", "the requester type is required"),))
    route = customer_route(request)
    if route is not None:
        return Validation((), route=route)
    rules = policy.document.legal.requesters.get(requester_type, RequesterRules())
    dates, warnings = _date_problems(request, rules, policy)
    return Validation((
        *_document_problems(request),
        *_requester_problems(request, rules, policy),
        *dates,
        *_target_problems(request),
        *_process_problems(request, policy),
        *_service_problems(request, policy),
    ), tuple(warnings))


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
    if rules.government_email_only and requester.email:
        code = agency_email_problem(requester.email, requester.agency, policy.document.legal.agency_email_domains,
                                    rules.email_domains_allowed)
        if code is not None:
            found.append(Problem(code, "requester.email", EMAIL_MESSAGES[code]))
    return found


def _address_missing(address: MailingAddress | None) -> list[Problem]:
    if address is None or address.is_empty():
        return [Problem("missing_field", "requester.mailing_address", "a mailing address is required")]
    return [Problem("missing_field", f"requester.mailing_address.{part}", f"the mailing address needs a {part}")
            for part in ADDRESS_PARTS if not getattr(address, part)]


def _date_problems(request: LegalRequest, rules: RequesterRules,
                   policy: CompiledPolicy) -> tuple[list[Problem], list[Problem]]:
    """Problems and warnings of the date range and the requested response date."""
    found: list[Problem] = []
    warnings: list[Problem] = []
    window = request.date_range
    prospective = request.instrument.type in PROSPECTIVE  # the window of a prospective order lies ahead
    if window is None or window.from_on is None or window.to_on is None:
        if not prospective:
            found.append(Problem("date_range_missing", "date_range",
                                 "a specific date or narrow date range is required"))
    elif window.to_on < window.from_on:
        found.append(Problem("date_range_invalid", "date_range.to", "the range must end on or after its start"))
    else:
        if request.received_on is not None and window.to_on > request.received_on and not prospective:
            found.append(Problem("date_range_invalid", "date_range.to",
                                 "the range must end no later than the day the request was received"))
        months = policy.document.legal.max_date_range_months
        if months is not None and window.to_on > add_months(window.from_on, months):
            judicial = request.instrument.type in JUDICIAL
            (warnings if judicial else found).append(Problem(
                "date_range_too_long", "date_range", f"the date range may cover at most {months} calendar months"
                + ("; a judge set this scope, so review it rather than refuse it" if judicial else "")))
    found.extend(_response_date_problems(request, rules))
    return found, warnings


def _response_date_problems(request: LegalRequest, rules: RequesterRules) -> list[Problem]:
    due = request.requested_response_on
    if request.kind != "data" or due is None or request.received_on is None:
        return []
    earliest = request.received_on + timedelta(days=rules.min_response_days)
    if due >= earliest:
        return []
    return [Problem("response_date_too_soon", "requested_response_on",
                    f"please allow at least {rules.min_response_days} days: no earlier than {earliest.isoformat()}")]


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
    gates = gate_problems(request, policy)
    found = [*gates, *_instrument_detail_problems(request)]
    if request.kind == "data" and request.requester.type == "civil" and not gates:
        found.extend(_civil_jurisdiction_problems(request, policy))
    if request.kind == "data" and not request.record_classes and request.instrument.type not in PROSPECTIVE:
        found.append(Problem("missing_field", "record_classes", "name the record classes requested"))
    for index, name in enumerate(request.record_classes):
        problem = class_problem(request, policy, name, f"record_classes[{index}]")
        if problem is None or (gates and problem.code != "record_class_unknown"):
            continue  # a refused request is not also measured class by class
        if problem.field == "instrument.type":
            found.append(problem)
            break
        found.append(problem)
    return found


def _instrument_detail_problems(request: LegalRequest) -> list[Problem]:
    """A warrant or any court order names its issuing court, its date and its case number."""
    instrument = request.instrument
    if instrument.type not in JUDICIAL:
        return []
    return [Problem("missing_field", f"instrument.{name}", f"a {instrument.type.replace('_', ' ')} needs its "
                    f"{label}") for name, label in DETAILS if not getattr(instrument, name)]


def _civil_jurisdiction_problems(request: LegalRequest, policy: CompiledPolicy) -> list[Problem]:
    """Civil process is domesticated where the policy says, except federal process (Fed. R. Civ. P. 45(b)(2):
    a federal subpoena "may be served at any place within the United States")."""
    allowed = policy.document.legal.civil_process_jurisdictions
    where = request.instrument.jurisdiction
    if not allowed or where == "US" or FEDERAL_COURT.search(request.instrument.issued_by or ""):
        return []
    if where is not None and any(where == code or where.startswith(code + "-") for code in allowed):
        return []
    return [Problem("civil_process_not_domesticated", "instrument.jurisdiction",
                    f"civil process must be issued or domesticated in {', '.join(allowed)}")]


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
