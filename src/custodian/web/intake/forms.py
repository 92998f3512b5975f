"""The one definition of the legal request form: its fields, which the policy requires, the policy's limits
shown before submission, and the way back from the posted fields to the request document. The requester
portal (/legal/requests/new) and the desk's entry page (/console/legal/new) both render it from
templates/intake/_request_fields.html."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

from custodian.legal.intake import REQUESTER_LABELS, FieldError
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.document_legal import RequesterRules
from custodian.policy.sca import MLAT, NEVER
from custodian.policy.vocabulary import CLASS_LABELS, INSTRUMENTS, MORE_INSTRUMENTS, OTHER_INSTRUMENTS

REQUESTER_FIELDS = {
    "law_enforcement": ("agency", "agent_name", "badge_number", "email", "phone", "phone_extension"),
    "civil": ("party_name", "counsel_name", "counsel_bar_number", "counsel_bar_state", "local_counsel_name",
              "local_counsel_texas_bar_number", "email", "phone"),
    "foreign_government": ("agency", "agent_name", "email", "phone", "phone_extension"),
}
REQUESTER_TITLES = {"law_enforcement": "Law enforcement", "civil": "Civil litigation (counsel of record)",
                    "foreign_government": "Foreign government"}
FIELD_LABELS = {name: REQUESTER_LABELS[name] for fields in REQUESTER_FIELDS.values() for name in fields}
ADDRESS_FIELDS = ("street", "city", "state", "postal_code")
TARGET_ROWS = 3
# The process each requester type can hold (legal/reach.py): a private party holds no government-only process.
REQUESTER_INSTRUMENTS = {
    "law_enforcement": ("subpoena", "grand_jury_subpoena", "administrative_subpoena", "civil_investigative_demand",
                        "court_order_2703d", "court_order", "search_warrant", "national_security_letter",
                        "fisa_order", "pen_register_order", "wiretap_order", "emergency_form", "none"),
    "civil": ("subpoena", "court_order", "none"),
    "foreign_government": ("search_warrant", "court_order_2703d", "court_order", "subpoena", "mlat", "none"),
}
PROCESS_WORDS = {"subpoena": "a subpoena", "civil_investigative_demand": "a civil investigative demand",
                 "court_order_2703d": "a court order (18 U.S.C. 2703(d))", "court_order": "a court order",
                 "search_warrant": "a search warrant", MLAT: "a mutual legal assistance (MLAT) request"}
INDEXED = re.compile(r"^(targets|record_classes)\[(\d+)\](?:\.(\w+))?$")
DIRECT = {"kind": "kind", "instrument.type": "instrument_type", "instrument.jurisdiction": "instrument_jurisdiction",
          "instrument.case_number": "instrument_case_number", "instrument.issued_by": "instrument_issued_by",
          "instrument.issued_on": "instrument_issued_on", "instrument.foreign_basis": "instrument_foreign_basis",
          "instrument.country": "instrument_country",
          "targets": "target_0_phone_number", "date_range": "date_from", "date_range.from": "date_from",
          "date_range.to": "date_to", "record_classes": "record_classes",
          "requested_response_on": "requested_response_on", "emergency": "emergency_basis",
          "nondisclosure_order.expires_on": "nondisclosure_expires_on", "service.channel": "received_by",
          "received_on": "paper_received_on", "requester.mailing_address": "address_street"}


INSTRUMENT_LABELS = {"court_order_2703d": "Court order (18 U.S.C. 2703(d))", "mlat": "MLAT request",
                     "civil_investigative_demand": "Civil investigative demand",
                     "national_security_letter": "National security letter (18 U.S.C. 2709)",
                     "fisa_order": "FISA order", "pen_register_order": "Pen register or trap and trace order",
                     "wiretap_order": "Wiretap order (18 U.S.C. 2518)",
                     "none": "None (preservation or emergency only)"}


def instrument_choices(requester_type: str) -> tuple[tuple[str, str], ...]:
    """(value, label) of every instrument of the vocabulary this requester type can hold, 'none' last."""
    allowed = REQUESTER_INSTRUMENTS.get(requester_type, ())
    names = [name for name in dict.fromkeys((*INSTRUMENTS, *MORE_INSTRUMENTS, *OTHER_INSTRUMENTS))
             if name != "none" and name in allowed] + ["none"]
    return tuple((name, INSTRUMENT_LABELS.get(name, name.replace("_", " ").capitalize())) for name in names)


def required_inputs(policy: CompiledPolicy, requester_type: str) -> frozenset[str]:
    """The inputs the policy requires of this requester type (a data request's response date included)."""
    rules = policy.document.legal.requesters.get(requester_type, RequesterRules())
    names = {"kind", "instrument_type", "target_0_phone_number", "date_from", "date_to", "record_classes"}
    for name in rules.required_fields:
        names |= {f"address_{part}" for part in ADDRESS_FIELDS} if name == "mailing_address" else {name}
    return frozenset(names)


def class_reach(policy: CompiledPolicy, requester_type: str) -> list[tuple[str, str, str]]:
    """(class, label, the least process that reaches it) for every class, from the policy's process matrix."""
    rows = []
    for key, label in sorted(CLASS_LABELS.items(), key=lambda item: item[1]):
        needed = policy.process_needed(requester_type, key)
        reach = "not available to this requester" if needed == NEVER else f"needs {PROCESS_WORDS.get(needed, needed)}"
        rows.append((key, label, reach))
    return rows


def form_context(policy: CompiledPolicy, requester_type: str) -> dict[str, Any]:
    """What the form template needs besides the entered values and errors."""
    rules = policy.document.legal.requesters.get(requester_type, RequesterRules())
    return {"requester_type": requester_type, "title": REQUESTER_TITLES[requester_type],
            "fields": REQUESTER_FIELDS[requester_type], "labels": FIELD_LABELS, "address_fields": ADDRESS_FIELDS,
            "target_rows": range(TARGET_ROWS), "classes": class_reach(policy, requester_type),
            "instruments": instrument_choices(requester_type), "required": required_inputs(policy, requester_type),
            "max_months": policy.document.legal.max_date_range_months, "min_response_days": rules.min_response_days,
            "government_email_only": rules.government_email_only}


def input_of(path: str) -> str:
    """The form input that holds a document field (so an error is shown beside it)."""
    if path in DIRECT:
        return DIRECT[path]
    if path.startswith("requester.mailing_address."):
        return "address_" + path.rsplit(".", 1)[1]
    if path.startswith("requester."):
        return path.split(".", 1)[1]
    indexed = INDEXED.match(path)
    if indexed and indexed.group(1) == "targets":
        return f"target_{indexed.group(2)}_{indexed.group(3) or 'phone_number'}"
    return "record_classes" if indexed else path.replace(".", "_")


def errors_by_input(errors: list[FieldError]) -> dict[str, str]:
    """Each input's first error message."""
    found: dict[str, str] = {}
    for error in errors:
        found.setdefault(input_of(error.field), error.message)
    return found


def form_values(form: FormData, skip: str) -> dict[str, Any]:
    """The entered values to show again (every text field, and the list of checked record classes)."""
    values: dict[str, Any] = {key: str(value) for key, value in form.items() if isinstance(value, str) and key != skip}
    values["record_classes"] = [str(v) for v in form.getlist("record_classes")]
    return values


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def document_from_form(form: FormData, requester_type: str, channel: str) -> dict[str, Any]:
    """The request document the form describes; the server stamps the receipt date, never the form."""
    requester: dict[str, Any] = {"type": requester_type}
    for name in REQUESTER_FIELDS.get(requester_type, ()):
        requester[name] = _text(form, name)
    requester["mailing_address"] = {part: _text(form, f"address_{part}") for part in ADDRESS_FIELDS} | {
        "country": _text(form, "address_country") or "US"}
    targets = [{kind: _text(form, f"target_{row}_{kind}") for kind in ("phone_number", "account_ref", "email", "name")}
               for row in range(TARGET_ROWS)]
    document: dict[str, Any] = {
        "kind": _text(form, "kind") or "data", "requester": requester,
        "instrument": {name: _text(form, f"instrument_{name}")
                       for name in ("type", "jurisdiction", "case_number", "issued_by", "issued_on",
                                    "foreign_basis", "country")},
        "service": {"channel": channel, "requires_testimony": form.get("requires_testimony") == "on"},
        "targets": [t for t in targets if any(t.values())],
        "date_range": {"from": _text(form, "date_from"), "to": _text(form, "date_to")},
        "record_classes": [str(v) for v in form.getlist("record_classes")],
        "requested_response_on": _text(form, "requested_response_on"),
        "expedite": form.get("expedite") == "on",
    }
    if _text(form, "nondisclosure_expires_on") or form.get("nondisclosure") == "on":
        document["nondisclosure_order"] = {"expires_on": _text(form, "nondisclosure_expires_on")}
    if document["kind"] == "emergency":
        document["emergency"] = {"basis": _text(form, "emergency_basis"),
                                 "imminent_harm_attested": form.get("imminent_harm_attested") == "on"}
    return document


def pydantic_errors(errors: list[Any]) -> list[FieldError]:
    """A model validation failure as field errors (a date that is not a date, a kind not offered...)."""
    from custodian.legal.intake import field_label

    found = []
    for error in errors:
        path = ".".join(str(part) for part in error.get("loc", ()))
        found.append(FieldError(path, f"{field_label(path)}: {error.get('msg', 'invalid')}"))
    return found
