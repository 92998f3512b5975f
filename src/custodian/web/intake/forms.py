"""From the intake form's fields to the request document (issue #4 "Request document")."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData

REQUESTER_FIELDS = {
    "law_enforcement": ("agency", "agent_name", "badge_number", "email", "phone", "phone_extension"),
    "civil": ("party_name", "counsel_name", "counsel_bar_number", "counsel_bar_state", "local_counsel_name",
              "local_counsel_texas_bar_number", "email", "phone"),
    "foreign_government": ("agency", "agent_name", "email", "phone", "phone_extension"),
}
FIELD_LABELS = {
    "agency": "Requesting agency", "agent_name": "Agent's name", "badge_number": "Badge / identification number",
    "email": "Employer-issued e-mail", "phone": "Telephone number", "phone_extension": "Extension",
    "party_name": "Requesting party", "counsel_name": "Counsel of record", "counsel_bar_number": "Counsel's bar number",
    "counsel_bar_state": "Bar state", "local_counsel_name": "Local counsel (Texas)",
    "local_counsel_texas_bar_number": "Local counsel's Texas bar number",
}
ADDRESS_FIELDS = ("street", "city", "state", "postal_code")
TARGET_ROWS = 3


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def document_from_form(form: FormData, requester_type: str, today: date) -> dict[str, Any]:
    """The request document the form describes (validation happens in the desk, not here)."""
    requester: dict[str, Any] = {"type": requester_type}
    for name in REQUESTER_FIELDS.get(requester_type, ()):
        requester[name] = _text(form, name)
    requester["mailing_address"] = {part: _text(form, f"address_{part}") for part in ADDRESS_FIELDS} | {
        "country": _text(form, "address_country") or "US"}
    targets = [{kind: _text(form, f"target_{row}_{kind}") for kind in ("phone_number", "account_ref", "email", "name")}
               for row in range(TARGET_ROWS)]
    document: dict[str, Any] = {
        "kind": _text(form, "kind") or "data", "received_on": today.isoformat(), "requester": requester,
        "instrument": {name: _text(form, f"instrument_{name}")
                       for name in ("type", "jurisdiction", "case_number", "issued_by")},
        "service": {"channel": "email", "requires_testimony": form.get("requires_testimony") == "on"},
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
