"""A consent receipt per recorded choice, in the Kantara Initiative Consent Receipt 1.1 JSON shape
(KI-CR-v1.1.0), downloadable by the person it records (issue 16 §1). Pure: everything is passed in.

The receipt carries no public key (receipts are not signed). Custodian adds one field beyond the
specification, `consentChoice` (granted, denied or withdrawn), because the ledger records refusals too.
"""

from __future__ import annotations

from typing import Any

from custodian.consent.purposes import PurposeRule
from custodian.consent.types import Entry
from custodian.policy.compiled import CompiledPolicy

VERSION = "KI-CR-v1.1.0"
COLLECTION_METHODS = {
    "portal": "customer portal preference centre",
    "representative": "customer service representative, on a ticket",
    "phone_ivr": "telephone menu (IVR)",
    "sms_keyword": "text message keyword",
    "web_banner": "website cookie banner",
    "gpc": "Global Privacy Control browser signal",
    "written_form": "written form",
    "oral_call": "oral approval during a telephone call",
    "privacy_request": "a privacy request (opt-out of sale or sharing, or limit sensitive information)",
}


def consent_receipt(entry: Entry, policy: CompiledPolicy, rule: PurposeRule, *, principal_id: str,
                    public_base_url: str) -> dict[str, Any]:
    """The receipt of `entry`, recorded under `policy` (the version it names); `principal_id` is the account
    reference or the anonymous consent id."""
    document = policy.document
    purpose = document.purposes[entry.purpose]
    uses = [document.record_classes[name] for name in purpose.classes if name in document.record_classes]
    sensitive = sorted({category for use in uses if use.sensitive for category in use.categories})
    third_parties = sorted(recipient.name for recipient in document.recipients.values()
                           if recipient.kind != "processor" and entry.purpose in recipient.purposes)
    detail: dict[str, Any] = {
        "purpose": purpose.description,
        "purposeCategory": [purpose.data_use],
        "consentType": "EXPLICIT" if rule.choice == "opt_in" else "IMPLIED",
        "piiCategory": sorted({category for use in uses for category in use.categories}),
        "primaryPurpose": False,  # only purposes that offer a choice are recorded; essential ones are primary
        "termination": _termination(entry),
        "thirdPartyDisclosure": rule.third_party,
    }
    if third_parties:
        detail["thirdPartyName"] = ", ".join(third_parties)
    return {
        "version": VERSION,
        "jurisdiction": document.provider.jurisdictions[0],
        "consentTimestamp": int(entry.made_at.timestamp()),
        "collectionMethod": COLLECTION_METHODS[entry.channel],
        "consentReceiptID": entry.receipt_id,
        "language": "en",
        "piiPrincipalId": principal_id,
        "piiControllers": [_controller(policy)],
        "policyUrl": public_base_url.rstrip("/") + "/privacy",
        "services": [{"service": document.provider.name, "purposes": [detail]}],
        "sensitive": bool(sensitive),
        "spiCat": sensitive,
        "consentChoice": entry.choice,
    }


def _termination(entry: Entry) -> str:
    if entry.valid_until is not None:
        return f"ends with the call, at {entry.valid_until.isoformat()} (47 CFR 64.2008(f))"
    if entry.choice == "granted":
        return "until withdrawn, or until the purpose's wording changes materially"
    return "until the person chooses again"


def _controller(policy: CompiledPolicy) -> dict[str, Any]:
    provider = policy.document.provider
    privacy = next((contact for contact in provider.contacts if contact.role == "privacy"), provider.contacts[0])
    controller: dict[str, Any] = {"piiController": provider.name, "onBehalf": False,
                                  "contact": privacy.name or "Privacy Office", "email": privacy.email,
                                  "address": privacy.address, "phone": privacy.phone}
    if provider.website:
        controller["piiControllerUrl"] = provider.website
    return controller
