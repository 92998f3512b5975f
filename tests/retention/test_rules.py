"""SpectrumVoIP's tables compiled into the schedule, and the closure timing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from custodian.policy.document import Retention, RetentionRule
from custodian.retention.rules import (
    COUNT,
    CUSTOMER_INTERVAL,
    NOT_AVAILABLE,
    TIME,
    ScheduledRule,
    closure_deadline,
    closure_due,
    closure_kept,
    compile_schedule,
    purge_sweep,
    sweeps_for,
)
from tests.builders.retention import spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _rules(profile: str) -> set[ScheduledRule]:
    return set(spectrumvoip_schedule().rules_for(profile))


def test_standard_accounts_follow_the_standard_table() -> None:
    """"Incoming Faxes & Voice Messages: 200 Messages", "Outgoing Faxes: 30 Days", "SMS Messages: 5,000 Messages",
    "Call Recordings: 90 Days", "Sent Faxes: 30 Days", chat at the customer's interval from 24 hours."""
    s = "standard"
    assert _rules(s) == {
        ScheduledRule(COUNT, frozenset({"content.fax_incoming", "content.voice_message"}), s, newest=200),
        ScheduledRule(TIME, frozenset({"content.fax_outgoing"}), s, days=30),
        ScheduledRule(COUNT, frozenset({"content.sms_body"}), s, newest=5000),
        ScheduledRule(TIME, frozenset({"content.call_recording"}), s, days=90),
        ScheduledRule(TIME, frozenset({"content.fax_sent"}), s, days=30),
        ScheduledRule(CUSTOMER_INTERVAL, frozenset({"content.chat"}), s, min_hours=24),
    }


def test_hipaa_accounts_follow_the_hipaa_table() -> None:
    """HIPAA: voice messages and incoming faxes 30 days, outgoing and sent faxes 30 days, call recordings 30
    days, chat 30 days, "SMS Messages: Not Available"."""
    h = "hipaa"
    assert _rules(h) == {
        ScheduledRule(TIME, frozenset({"content.fax_incoming", "content.voice_message"}), h, days=30),
        ScheduledRule(TIME, frozenset({"content.fax_outgoing", "content.fax_sent"}), h, days=30),
        ScheduledRule(NOT_AVAILABLE, frozenset({"content.sms_body"}), h),
        ScheduledRule(TIME, frozenset({"content.call_recording"}), h, days=30),
        ScheduledRule(TIME, frozenset({"content.chat"}), h, days=30),
    }


def test_account_data_is_kept_while_the_account_is_open() -> None:
    kept = spectrumvoip_schedule().while_needed
    for name in ("subscriber.basic", "billing.transactions", "numbers.assignments", "support.comment_log",
                 "cpni.call_log", "cpni.fax_log", "cpni.sms_log"):
        assert {(name, "standard"), (name, "hipaa")} <= kept


def test_a_closed_account_is_due_from_day_30_and_its_deadline_is_day_45() -> None:
    """"within 30-45 days of account closure"."""
    schedule = spectrumvoip_schedule()
    assert not closure_due(schedule, date(2026, 5, 3), NOW)
    assert closure_due(schedule, date(2026, 5, 2), NOW)
    assert closure_deadline(schedule, date(2026, 5, 2)) == date(2026, 6, 16)
    assert not closure_due(schedule, None, NOW)


def test_a_customer_interval_under_the_minimum_is_raised_to_it() -> None:
    [chat] = [s for s in sweeps_for(spectrumvoip_schedule(), "standard", {"content.chat": 2}, NOW)
              if s.kind == CUSTOMER_INTERVAL]
    assert chat.cutoff == NOW - timedelta(hours=24)


def test_not_available_never_reaches_a_billing_log_even_if_a_policy_says_so() -> None:
    """HIPAA "SMS Messages — Not Available" is about messages: SMS logs are billing records and follow the
    "Call/Fax Log Records" rule, so the engine never deletes them as "not available"."""
    retention = Retention(rules=[RetentionRule(classes=["content.sms_body", "cpni.sms_log"], profiles=["hipaa"],
                                               keep="not_available")])
    rule, = compile_schedule(retention).rules_for("hipaa")
    assert rule == ScheduledRule(NOT_AVAILABLE, frozenset({"content.sms_body"}), "hipaa")
    logs_only = Retention(rules=[RetentionRule(classes=["cpni.sms_log"], profiles=["hipaa"], keep="not_available")])
    assert compile_schedule(logs_only).rules_for("hipaa") == ()


def test_a_closure_purge_spares_the_classes_the_policy_keeps_de_identified() -> None:
    """"deletes or de-identifies all data from a customer's account within 30-45 days of account closure"."""
    schedule = spectrumvoip_schedule()
    assert schedule.deidentify == frozenset({"billing.transactions"})
    assert closure_kept(schedule) == frozenset({"billing.transactions", "billing.payment_instrument"})
    assert purge_sweep(closure_kept(schedule)).kept == closure_kept(schedule)
