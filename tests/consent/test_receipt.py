"""The Kantara Consent Receipt 1.1 JSON of one recorded choice (issue 16 §1)."""

from __future__ import annotations

from datetime import timedelta

from custodian.consent.purposes import compile_rules
from custodian.consent.receipt import consent_receipt
from custodian.consent.types import Entry
from tests.builders.consent import T0
from tests.builders.policy import example_policy

POLICY = example_policy("002-spectrumvoip.yaml")
RULES = compile_rules(POLICY)


def an_entry(purpose: str, choice: str = "granted", **extra: object) -> Entry:
    fields: dict[str, object] = {
        "id": 1, "receipt_id": "8b1e4a4e-1d1c-4c55-9e2f-3f0b8f5c2a11", "account_id": 5, "subject": None,
        "purpose": purpose, "medium": "any", "choice": choice, "channel": "portal",
        "policy_version": POLICY.version_hash, "text_sha256": RULES[purpose].text_sha256, "made_at": T0,
        "valid_until": None, "recorded_at": T0, "recorded_by": "customer", "ticket_id": None, "audit_seq": 3,
        **extra}
    return Entry(**fields)  # type: ignore[arg-type]


def test_a_receipt_has_the_kantara_1_1_fields() -> None:
    body = consent_receipt(an_entry("gravatar_avatars"), POLICY, RULES["gravatar_avatars"], principal_id="ACC-5",
                           public_base_url="https://custodian.example/")
    assert set(body) == {"version", "jurisdiction", "consentTimestamp", "collectionMethod", "consentReceiptID",
                         "language", "piiPrincipalId", "piiControllers", "policyUrl", "services", "sensitive",
                         "spiCat", "consentChoice"}
    assert (body["version"], body["consentTimestamp"], body["consentReceiptID"], body["policyUrl"]) == (
        "KI-CR-v1.1.0", int(T0.timestamp()), "8b1e4a4e-1d1c-4c55-9e2f-3f0b8f5c2a11",
        "https://custodian.example/privacy")
    assert body["piiControllers"][0]["piiController"] == POLICY.document.provider.name
    [service] = body["services"]
    [purpose] = service["purposes"]
    assert purpose["purpose"] == POLICY.document.purposes["gravatar_avatars"].description
    assert (purpose["consentType"], purpose["primaryPurpose"], purpose["thirdPartyDisclosure"]) == (
        "EXPLICIT", False, True)
    assert purpose["thirdPartyName"] == POLICY.document.recipients["gravatar"].name
    assert purpose["purposeCategory"] == ["functional.service"]


def test_an_opt_out_choice_is_implied_consent_and_an_oral_approval_ends_with_the_call() -> None:
    until = T0 + timedelta(minutes=15)
    body = consent_receipt(an_entry("marketing", valid_until=until, channel="oral_call"), POLICY,
                           RULES["marketing"], principal_id="ACC-5", public_base_url="https://custodian.example")
    purpose = body["services"][0]["purposes"][0]
    assert purpose["consentType"] == "IMPLIED"
    assert purpose["termination"].startswith(f"ends with the call, at {until.isoformat()}")
    assert body["collectionMethod"] == "oral approval during a telephone call"
