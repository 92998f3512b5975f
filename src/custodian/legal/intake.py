"""What the intake asks of a request before it is received, and how its defects read to a person.

SpectrumVoIP DRG V: "SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least
the following information". A public submission (portal or API) that lacks a required field is refused at
the door with one error per field; it is not a request received (it is only counted, as "rejected at
intake", in the transparency report). Every other defect is the desk's to answer with a deficiency letter.
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem
from custodian.policy.vocabulary import CLASS_LABELS, REQUESTER_TYPES

# The codes that mean "a required field is absent" (issue "Validation"): refused at public intake.
MISSING_CODES = frozenset({"missing_field", "date_range_missing", "target_missing"})

REQUESTER_LABELS = {
    "agency": "Requesting agency", "agent_name": "Agent's name", "badge_number": "Badge / identification number",
    "email": "Employer-issued e-mail", "phone": "Telephone number", "phone_extension": "Extension",
    "party_name": "Requesting party", "counsel_name": "Counsel of record", "counsel_bar_number": "Counsel's bar number",
    "counsel_bar_state": "Bar state", "local_counsel_name": "Local counsel (Texas)",
    "local_counsel_texas_bar_number": "Local counsel's Texas bar number", "type": "Type of requester",
    "mailing_address": "Mailing address",
}
ADDRESS_LABELS = {"street": "street", "city": "city", "state": "state", "postal_code": "postal code",
                  "country": "country"}
OTHER_LABELS = {
    "kind": "Kind of request", "received_on": "Date received", "instrument.type": "Legal process",
    "instrument.jurisdiction": "Where the process was issued", "instrument.case_number": "Case number",
    "instrument.issued_by": "Issued by", "targets": "Telephone number, account number or e-mail sought",
    "date_range": "Date range of the records", "date_range.from": "Records from", "date_range.to": "Records to",
    "record_classes": "Records requested", "requested_response_on": "Requested response date",
    "emergency": "Emergency basis", "service.channel": "How the process was served",
    "nondisclosure_order.expires_on": "Nondisclosure order expires on",
}
REQUESTER_TYPE_LABELS = {"law_enforcement": "law enforcement", "civil": "civil (private party)",
                         "customer": "customer", "foreign_government": "foreign government"}
INDEXED = re.compile(r"^(targets|record_classes)\[(\d+)\](?:\.(\w+))?$")
TARGET_LABELS = {"phone_number": "telephone number", "account_ref": "account number", "email": "e-mail",
                 "name": "name"}


@dataclass(frozen=True)
class FieldError:
    """One field a submission must correct: the document path and a sentence a person understands."""

    field: str
    message: str


def missing_required(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that mean a required field is absent (the ones public intake refuses)."""
    return [p for p in problems if p.code in MISSING_CODES]


def field_label(path: str, document: LegalRequest | None = None) -> str:
    """The human name of a document field ("requester.mailing_address.street" -> "Mailing address: street")."""
    if path.startswith("requester.mailing_address."):
        part = path.rsplit(".", 1)[1]
        return f"Mailing address: {ADDRESS_LABELS.get(part, part.replace('_', ' '))}"
    if path.startswith("requester."):
        name = path.split(".", 1)[1]
        return REQUESTER_LABELS.get(name, name.replace("_", " ").capitalize())
    indexed = INDEXED.match(path)
    if indexed:
        return _indexed_label(indexed.group(1), int(indexed.group(2)), indexed.group(3), document)
    return OTHER_LABELS.get(path, path.replace("_", " ").replace(".", ": ").capitalize())


def _indexed_label(kind: str, index: int, part: str | None, document: LegalRequest | None) -> str:
    if kind == "targets":
        what = f"Target {index + 1}"
        return f"{what}: {TARGET_LABELS.get(part, part)}" if part else what
    name = document.record_classes[index] if document and index < len(document.record_classes) else ""
    return f"Records requested: {CLASS_LABELS.get(name, name) or f'item {index + 1}'}"


def plain_reason(problem: Problem, document: LegalRequest | None = None) -> str:
    """One line for a requester: the field's human name and what is wrong, with no internal codes."""
    label = field_label(problem.field, document)
    if problem.code in MISSING_CODES:
        return f"{label} is missing"
    return f"{label}: {plain_words(problem.message)}"


def plain_words(message: str) -> str:
    """A validation message with record-class keys and requester types in words."""
    for key in sorted(CLASS_LABELS, key=len, reverse=True):
        message = message.replace(repr(key), f'"{CLASS_LABELS[key]}"').replace(key, f'"{CLASS_LABELS[key]}"')
    for name in REQUESTER_TYPES:
        message = message.replace(f"{name} requesters", f"{REQUESTER_TYPE_LABELS[name]} requesters")
    for name in INSTRUMENT_WORDS:  # longest first, so court_order_2703d is replaced before court_order
        message = message.replace(name, INSTRUMENT_WORDS[name])
    return message


INSTRUMENT_WORDS = {"court_order_2703d": "court order under 18 U.S.C. 2703(d)",
                    "civil_investigative_demand": "civil investigative demand",
                    "national_security_letter": "national security letter",
                    "administrative_subpoena": "administrative subpoena", "grand_jury_subpoena": "grand jury subpoena",
                    "pen_register_order": "pen register or trap and trace order", "wiretap_order": "wiretap order",
                    "search_warrant": "search warrant", "fisa_order": "FISA order", "court_order": "court order",
                    "emergency_form": "emergency request form"}


def field_errors(problems: Sequence[Problem], document: LegalRequest | None = None) -> list[FieldError]:
    """The problems as {field, message} pairs, one per field path, in the order found."""
    seen: dict[str, FieldError] = {}
    for problem in problems:
        seen.setdefault(problem.field, FieldError(problem.field, plain_reason(problem, document)))
    return list(seen.values())
