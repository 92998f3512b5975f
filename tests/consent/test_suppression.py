"""Suppression lists: who must not be contacted for a purpose by a channel, decided by `consent.allowed` over
the ledger; opt-outs in every list at once, and those no list carried within the policy's limit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.consent.sms_inbound import answer_inbound
from custodian.consent.suppression import OPT_IN_NOTE, overdue, pull
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.policy import store as policy_store
from custodian.policy.compiled import CompiledPolicy
from custodian.records.types import PostalAddress
from tests.builders.consent import record
from tests.builders.consent_web import a_number
from tests.builders.legal import activate_spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def policy(engine: Engine) -> CompiledPolicy:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
        return policy_store.in_force(conn, NOW).compiled()  # type: ignore[union-attr]


def customer(engine: Engine, keyring: Keyring, n: int, **extra: object) -> int:
    fields: dict[str, object] = {"ref": f"ACC-{n:04d}", "email": f"Person{n}@Example.net",
                                 "contact_phone": f"+1512555{n:04d}",
                                 "address": PostalAddress(f"{n} Elm Street", "Austin", "TX", "78701"), **extra}
    return an_account(engine, keyring, **fields)


def pulled(engine: Engine, keyring: Keyring, policy: CompiledPolicy, purpose: str, channel: str,
           permitted: bool = False, now: datetime = NOW) -> list[str]:
    with transaction(engine) as conn:
        return list(pull(conn, keyring, policy, purpose=purpose, channel=channel, actor="test", now=now,
                         permitted=permitted).contacts)


def test_an_opt_out_is_in_the_list_of_its_medium_from_the_moment_it_is_recorded(
        engine: Engine, keyring: Keyring, policy: CompiledPolicy) -> None:
    """Seed 004: "Customers may opt out of receiving notices of new or upgraded products"."""
    opted_out, silent, texts_only = (customer(engine, keyring, n) for n in (1, 2, 3))
    a_number(engine, keyring, opted_out, "+15125550901")
    record(engine, policy, opted_out, "marketing", "denied", NOW - timedelta(minutes=5))
    record(engine, policy, texts_only, "marketing", "denied", NOW - timedelta(minutes=5), medium="sms")
    assert pulled(engine, keyring, policy, "marketing", "email") == ["person1@example.net"]
    assert pulled(engine, keyring, policy, "marketing", "sms") == ["+15125550001", "+15125550003", "+15125550901"]
    assert pulled(engine, keyring, policy, "marketing", "post") == ["1 Elm Street, Austin, TX 78701, US"]
    assert silent  # never chose: contacted under the opt-out rule, in no list


def test_a_stranger_who_texted_stop_is_in_the_sms_list_only(
        engine: Engine, keyring: Keyring, policy: CompiledPolicy) -> None:
    customer(engine, keyring, 1)
    with transaction(engine) as conn:
        answer_inbound(conn, keyring, policy, sender="+1 (512) 555-0777", body="STOP", now=NOW - timedelta(hours=1))
    assert pulled(engine, keyring, policy, "marketing", "sms") == ["+15125550777"]
    assert pulled(engine, keyring, policy, "marketing", "phone") == []


def test_for_an_opt_in_purpose_everyone_without_a_grant_is_suppressed_and_the_permission_list_is_offered(
        engine: Engine, keyring: Keyring, policy: CompiledPolicy) -> None:
    granted, silent = customer(engine, keyring, 1), customer(engine, keyring, 2)
    record(engine, policy, granted, "app_contacts", "granted", NOW - timedelta(minutes=1))
    assert silent
    with transaction(engine) as conn:
        found = pull(conn, keyring, policy, purpose="app_contacts", channel="email", actor="test", now=NOW)
    assert list(found.contacts) == ["person2@example.net"] and found.note == OPT_IN_NOTE
    assert found.header()["choice"] == "opt_in"
    assert pulled(engine, keyring, policy, "app_contacts", "email", permitted=True) == ["person1@example.net"]


def test_a_contact_point_shared_with_an_opted_out_account_is_never_permitted(
        engine: Engine, keyring: Keyring, policy: CompiledPolicy) -> None:
    first = customer(engine, keyring, 1)
    customer(engine, keyring, 2, email="Person1@example.net")  # the same household address
    record(engine, policy, first, "marketing", "denied", NOW - timedelta(minutes=1))
    assert pulled(engine, keyring, policy, "marketing", "email", permitted=True) == []


def test_each_pull_is_audited_without_personal_data_and_bad_arguments_name_the_field(
        engine: Engine, keyring: Keyring, policy: CompiledPolicy) -> None:
    record(engine, policy, customer(engine, keyring, 1), "marketing", "denied", NOW - timedelta(minutes=1))
    pulled(engine, keyring, policy, "marketing", "email")
    with engine.connect() as conn:
        [detail] = conn.execute(select(audit_event.c.detail)
                                .where(audit_event.c.action == "consent.suppression_pulled")).scalars()
    assert json.loads(detail) == {"purpose": "marketing", "channel": "email", "count": 1, "permitted": False}
    for purpose, channel, field in (("nothing", "email", "purpose"), ("billing", "email", "purpose"),
                                    ("marketing", "fax", "channel")):
        with pytest.raises(ValueError, match=f"^{field}: "):
            pulled(engine, keyring, policy, purpose, channel)


def test_an_opt_out_no_list_carried_within_ten_business_days_is_overdue_until_one_is_pulled(
        engine: Engine, keyring: Keyring, policy: CompiledPolicy) -> None:
    """Issue 16 §3: "opt-outs are honoured within the policy's limit (default 10 business days)"."""
    recorded_at = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # due 17 November (11th: Veterans Day)
    entry = record(engine, policy, customer(engine, keyring, 1), "marketing", "denied", recorded_at,
                   medium="email")
    with engine.connect() as conn:
        assert overdue(conn, policy, datetime(2026, 11, 17, 20, 0, tzinfo=UTC)) == []
        [late] = overdue(conn, policy, NOW)
    assert (late.receipt_id, late.channel, late.due_on.isoformat()) == (entry.receipt_id, "email", "2026-11-17")
    pulled(engine, keyring, policy, "marketing", "email")
    with engine.connect() as conn:
        assert overdue(conn, policy, NOW) == []
