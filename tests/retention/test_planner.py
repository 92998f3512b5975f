"""The plan of SpectrumVoIP's schedule, rule type by rule type, on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, update

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.policy.check import check_file
from custodian.records.tables import account, call_log, content_item, sms_log
from custodian.retention import hold_service
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan
from custodian.retention.rules import compile_schedule
from custodian.retention.tables import account_retention_choice
from tests.builders.records import an_account
from tests.builders.retention import SPECTRUMVOIP, add_call, add_content, add_sms, spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _plan(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return build_plan(conn, spectrumvoip_schedule(), NOW).as_json()


def test_a_time_limit_deletes_what_occurred_before_now_minus_n_days(engine: Engine, keyring: Keyring) -> None:
    """Standard: "Call Recordings: 90 Days" — a recording exactly 90 days old stays, one a second older goes."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.call_recording", NOW - timedelta(days=90))
        add_content(conn, acc, "content.call_recording", NOW - timedelta(days=90, seconds=1))
        add_content(conn, acc, "content.fax_outgoing", NOW - timedelta(days=31))
        add_content(conn, acc, "content.fax_sent", NOW - timedelta(days=29))
    assert _plan(engine) == {"now": NOW.isoformat(), "accounts_purged": 0, "held": {},
                             "deletions": {"content.call_recording": 1, "content.fax_outgoing": 1}}


def test_a_count_cap_over_two_classes_keeps_the_newest_n_in_total(engine: Engine, keyring: Keyring) -> None:
    """Standard: "Incoming Faxes & Voice Messages: 200 Messages, then begin deleting oldest"."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        for i in range(150):
            add_content(conn, acc, "content.voice_message", NOW - timedelta(hours=2 * i))
            add_content(conn, acc, "content.fax_incoming", NOW - timedelta(hours=2 * i + 1))
    plan = _plan(engine)
    # the 200 newest alternate voice/fax: 100 of each stay, the 50 oldest of each go
    assert plan["deletions"] == {"content.voice_message": 50, "content.fax_incoming": 50}


def test_hipaa_sms_bodies_are_not_available_so_any_found_are_deleted(engine: Engine, keyring: Keyring) -> None:
    """HIPAA: "SMS Messages: Not Available" — the messages; their logs are billing records."""
    acc = an_account(engine, keyring, profile="hipaa")
    with transaction(engine) as conn:
        add_content(conn, acc, "content.sms_body", NOW - timedelta(minutes=1))
        add_sms(conn, acc, NOW - timedelta(minutes=1))
        add_call(conn, acc, NOW - timedelta(days=4000))
    assert _plan(engine)["deletions"] == {"content.sms_body": 1}


def test_a_hipaa_accounts_sms_logs_are_kept_as_long_as_its_call_logs(engine: Engine, keyring: Keyring,
                                                                      blobs: LocalBlobStore) -> None:
    """"Call/Fax Log Records" are kept "for as long as needed" on every account; the HIPAA table's "SMS Messages
    — Not Available" is about the messages: SMS logs are billing records and follow the call/fax log rule."""
    acc = an_account(engine, keyring, profile="hipaa")
    with transaction(engine) as conn:
        for age in (timedelta(minutes=1), timedelta(days=4000)):
            add_sms(conn, acc, NOW - age)
            add_call(conn, acc, NOW - age)
            add_content(conn, acc, "content.sms_body", NOW - age)
    run_retention(engine, Keyring(keyring.master_key), blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW,
                  actor="test")
    with engine.connect() as conn:
        kept = [conn.execute(select(func.count()).select_from(table).where(table.c.account_id == acc)).scalar_one()
                for table in (sms_log, call_log, content_item)]
    assert kept == [2, 2, 0]


def test_chat_is_kept_until_the_customer_sets_an_interval_and_never_under_24_hours(
        engine: Engine, keyring: Keyring) -> None:
    """Standard: chat retention "by individual customers at any interval between twenty-four (24) hours and up"."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.chat", NOW - timedelta(hours=30))
        add_content(conn, acc, "content.chat", NOW - timedelta(hours=12))
    assert _plan(engine)["deletions"] == {}
    with transaction(engine) as conn:
        conn.execute(insert(account_retention_choice).values(account_id=acc, record_class="content.chat",
                                                             keep_hours=1, set_at=NOW))
    assert _plan(engine)["deletions"] == {"content.chat": 1}  # 1 hour is raised to the 24-hour minimum


def test_a_held_record_is_reported_held_not_deleted(engine: Engine, keyring: Keyring) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.call_recording", NOW - timedelta(days=100))
        add_content(conn, acc, "content.call_recording", NOW - timedelta(days=200))
        hold_service.place_hold(conn, account_id=acc, until=NOW + timedelta(days=90), reason="2703(f)",
                                source="cli", actor="t", now=NOW - timedelta(days=1),
                                window_start=NOW - timedelta(days=150))
    assert _plan(engine) == {"now": NOW.isoformat(), "accounts_purged": 0,
                             "deletions": {"content.call_recording": 1}, "held": {"content.call_recording": 1}}


def test_a_closed_account_is_purged_from_day_30_after_closure(engine: Engine, keyring: Keyring) -> None:
    """Closure: purge "30 days" after closure, deadline 45."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_call(conn, acc, NOW - timedelta(days=40))
        conn.execute(update(account).where(account.c.id == acc).values(status="closed",
                                                                       closed_on=date(2026, 5, 3)))
    assert _plan(engine)["accounts_purged"] == 0  # closed 29 days before
    with transaction(engine) as conn:
        conn.execute(update(account).where(account.c.id == acc).values(closed_on=date(2026, 5, 2)))
    plan = _plan(engine)
    assert plan["accounts_purged"] == 1
    # holder, contact address, and the e-mail and postal address-of-record history
    assert plan["deletions"] == {"cpni.call_log": 1, "subscriber.basic": 4}


def test_a_profile_switch_applies_the_new_profiles_table_at_the_next_run(engine: Engine, keyring: Keyring) -> None:
    """Standard keeps 200 voice messages whatever their age; HIPAA keeps them 30 days and has no SMS."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.voice_message", NOW - timedelta(days=40))
        add_content(conn, acc, "content.sms_body", NOW - timedelta(days=1))
    assert _plan(engine)["deletions"] == {}
    with transaction(engine) as conn:
        conn.execute(update(account).where(account.c.id == acc).values(profile="hipaa"))
    assert _plan(engine)["deletions"] == {"content.voice_message": 1, "content.sms_body": 1}


def test_a_hold_on_a_closed_account_keeps_its_held_records_and_postpones_the_purge(
        engine: Engine, keyring: Keyring) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_call(conn, acc, NOW - timedelta(days=60))
        add_content(conn, acc, "content.voice_message", NOW - timedelta(days=60))
        conn.execute(update(account).where(account.c.id == acc).values(status="closed", closed_on=date(2026, 4, 1)))
        hold_service.place_hold(conn, account_id=acc, until=NOW + timedelta(days=90), reason="2703(f)",
                                source="legal:preservation:3", actor="desk", now=NOW - timedelta(days=1),
                                classes=["cpni.call_log"])
    assert _plan(engine) == {"now": NOW.isoformat(), "accounts_purged": 0, "held": {"cpni.call_log": 1},
                             "deletions": {"content.voice_message": 1, "subscriber.basic": 4}}


@pytest.mark.parametrize("path", sorted((SPECTRUMVOIP.parent).glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_policys_schedule_plans_on_a_database(engine: Engine, keyring: Keyring, path: Path) -> None:
    result = check_file(path)
    assert result.document is not None
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.voice_message", NOW - timedelta(days=4000))
        plan = build_plan(conn, compile_schedule(result.document.retention), NOW)
    assert plan.now == NOW and plan.accounts_purged == 0


def test_a_frozen_account_keeps_its_voicemail_like_an_open_one(engine: Engine, keyring: Keyring) -> None:
    """Seed 002: "keep voicemail and files you have saved in your account on our servers. This is also true of
    accounts that are Frozen (denied access) due to non-payment." """
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.voice_message", NOW - timedelta(days=400))
        conn.execute(update(account).where(account.c.id == acc).values(status="suspended"))
    plan = _plan(engine)
    assert plan["accounts_purged"] == 0
    assert "content.voice_message" not in plan["deletions"]
