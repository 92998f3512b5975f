"""Recording choices: validated, audited in the same transaction, append-only, read back by the snapshot."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DBAPIError

from custodian.audit.tables import audit_event
from custodian.consent import allowed, service
from custodian.consent.purposes import text_hash
from custodian.consent.rules import Decision
from custodian.consent.tables import consent_entry
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from tests.builders.consent import CPNI_OFFERS_TEXT, T0, activate, record, snapshot
from tests.builders.records import an_account


def test_a_choice_is_recorded_with_the_purpose_text_hash_and_chained_into_the_audit_trail(
        engine: Engine, keyring: Keyring) -> None:
    """Seed 002 P21: "SpectrumVoIP shall obtain consent from the user for the processing of this data" - and the
    ledger proves it: the entry names the policy version and the SHA-256 of the words the person saw."""
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    entry = record(engine, policy, account_id, "calling_plan_offers", "denied", T0, channel="representative",
                   actor="staff:jdoe", ticket_id=7)
    assert entry.text_sha256 == text_hash(CPNI_OFFERS_TEXT)
    assert entry.policy_version == policy.version_hash
    with engine.connect() as conn:
        event = conn.execute(select(audit_event).where(audit_event.c.seq == entry.audit_seq)).one()
        assert [e.receipt_id for e in service.history(conn, account_id)] == [entry.receipt_id]
    assert event.action == "consent.recorded" and event.account_id == account_id
    assert json.loads(event.detail) == {"receipt_id": entry.receipt_id, "purpose": "calling_plan_offers",
                                        "medium": "any", "choice": "denied", "channel": "representative",
                                        "text_sha256": entry.text_sha256}


@pytest.mark.parametrize(("change", "field"), [
    ({"purpose": "no_such_purpose"}, "purpose"), ({"purpose": "provide_service"}, "purpose"),
    ({"choice": "maybe"}, "choice"), ({"channel": "pigeon"}, "channel"), ({"medium": "fax"}, "medium"),
    ({"valid_until": T0 - timedelta(minutes=1)}, "valid_until"),
])
def test_a_choice_that_does_not_fit_the_policy_is_refused_naming_the_field(
        engine: Engine, keyring: Keyring, change: dict[str, object], field: str) -> None:
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    fields: dict[str, object] = {"purpose": "marketing_offers", "choice": "granted", **change}
    with pytest.raises(ValueError, match=f"^{field}: "):
        record(engine, policy, account_id, fields.pop("purpose"), fields.pop("choice"), T0,  # type: ignore[arg-type]
               **fields)


def test_the_ledger_refuses_updates_and_deletes(engine: Engine, keyring: Keyring) -> None:
    """Issue 16 §1: "Hash-chained into the audit trail; never edited." The database itself refuses."""
    policy = activate(engine)
    entry = record(engine, policy, an_account(engine, keyring), "marketing_offers", "denied", T0)
    for statement in (update(consent_entry).values(choice="granted"), delete(consent_entry)):
        with pytest.raises(DBAPIError, match="append-only"), transaction(engine) as conn:
            conn.execute(statement)
    with engine.connect() as conn:
        assert conn.execute(select(consent_entry.c.choice)).scalars().all() == [entry.choice]


def test_a_medium_choice_overrides_an_earlier_any_choice_for_that_medium_only(engine: Engine, keyring: Keyring) -> None:
    """Seed 004 "No Solicitation": a customer stops e-mail offers without stopping every other contact."""
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    record(engine, policy, account_id, "marketing_offers", "granted", T0)
    record(engine, policy, account_id, "marketing_offers", "denied", T0 + timedelta(days=1), medium="email")
    seen = snapshot(engine, policy, T0 + timedelta(days=2))
    at = T0 + timedelta(days=2)
    assert allowed(seen, account_id, "marketing_offers", at, "email") == Decision(False, "opted out")
    assert allowed(seen, account_id, "marketing_offers", at, "sms") == Decision(True, "opt_in granted")
    assert allowed(seen, account_id, "marketing_offers", at) == Decision(True, "opt_in granted")


def test_a_later_any_choice_overrides_an_earlier_medium_choice(engine: Engine, keyring: Keyring) -> None:
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    record(engine, policy, account_id, "marketing_offers", "granted", T0, medium="post")
    record(engine, policy, account_id, "marketing_offers", "withdrawn", T0 + timedelta(days=1))
    seen = snapshot(engine, policy, T0 + timedelta(days=2))
    assert allowed(seen, account_id, "marketing_offers", T0 + timedelta(days=2), "post") == Decision(
        False, "opted out")


def test_the_snapshot_answers_the_latest_choice_and_no_later_one(engine: Engine, keyring: Keyring) -> None:
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    record(engine, policy, account_id, "recording_transcripts", "granted", T0)
    record(engine, policy, account_id, "recording_transcripts", "withdrawn", T0 + timedelta(days=3))
    before = snapshot(engine, policy, T0 + timedelta(days=1))
    after = snapshot(engine, policy, T0 + timedelta(days=4))
    assert before.allowed(account_id, "recording_transcripts", T0 + timedelta(days=1)) == Decision(
        True, "opt_in granted")
    assert after.allowed(account_id, "recording_transcripts", T0 + timedelta(days=4)) == Decision(False, "withdrawn")


def test_an_anonymous_web_visitor_choice_is_recorded_and_decided(engine: Engine) -> None:
    policy = activate(engine)
    with transaction(engine) as conn:
        service.record(conn, policy, subject="c0ffee-visitor", purpose="recording_transcripts", choice="granted",
                       channel="web_banner", made_at=T0, actor="customer", now=T0)
    seen = snapshot(engine, policy, T0 + timedelta(hours=1))
    assert seen.allowed_subject("c0ffee-visitor", "recording_transcripts", T0 + timedelta(hours=1)) == Decision(
        True, "opt_in granted")
    assert seen.allowed_subject("someone-else", "recording_transcripts", T0).basis == "opt_in not given"


def test_one_time_oral_approval_recorded_on_a_call_ends_with_the_call(engine: Engine, keyring: Keyring) -> None:
    """47 CFR 64.2008(f): one-time use of CPNI "for the duration of the call"."""
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    record(engine, policy, account_id, "calling_plan_offers", "granted", T0, channel="oral_call",
           valid_until=T0 + timedelta(minutes=20), actor="staff:jdoe")
    seen = snapshot(engine, policy, T0 + timedelta(minutes=1))
    assert seen.allowed(account_id, "calling_plan_offers", T0 + timedelta(minutes=5), "phone") == Decision(
        True, "one-time oral approval for this call")
    assert seen.allowed(account_id, "calling_plan_offers", T0 + timedelta(minutes=20)) == Decision(
        False, "oral approval ended with the call")


def test_a_choice_recorded_late_but_made_earlier_does_not_replace_a_newer_one(engine: Engine, keyring: Keyring) -> None:
    """A written form entered days after it was signed counts from when it was signed, not over a later choice."""
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    record(engine, policy, account_id, "recording_transcripts", "granted", T0 + timedelta(days=2))
    record(engine, policy, account_id, "recording_transcripts", "withdrawn", T0, channel="written_form",
           now=T0 + timedelta(days=3))
    seen = snapshot(engine, policy, T0 + timedelta(days=4))
    assert seen.allowed(account_id, "recording_transcripts", T0 + timedelta(days=4)) == Decision(True, "opt_in granted")
