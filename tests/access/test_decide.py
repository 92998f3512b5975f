"""The decision point over the SpectrumVoIP policy: deny by default, permits only as the policy grants."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custodian.access.decide import decide
from custodian.access.rules import AccessRules, compile_access
from custodian.access.types import CHANNELS, Actor, Context, TicketGrant
from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from custodian.policy.vocabulary import RECORD_CLASSES

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "002-spectrumvoip.yaml"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _rules() -> AccessRules:
    text = POLICY.read_text(encoding="utf-8")
    document = check_text(text).document
    assert document is not None
    return compile_access(compile_policy(document, text))


RULES = _rules()
REP = Actor(7, "rita", "support_representative", RULES.version)
TICKET = TicketGrant(ticket_id=1, staff_id=7, account_id=42, topic="technical", channel="inbound_call",
                     expires_at=NOW + timedelta(hours=1))


def _on(ticket: TicketGrant | None = TICKET, actor: Actor = REP, record_class: str = "subscriber.basic",
        account_id: int = 42, reason: str = "") -> bool:
    return decide(actor, "read", account_id, record_class, Context(NOW, RULES, ticket, reason)).permit


def test_a_representative_sees_on_a_technical_ticket_exactly_the_classes_the_policy_lists() -> None:
    """Seed 002: "the representative is allowed to access only the personal information that he or she needs"."""
    verified = replace(TICKET, cpni_verified=True)
    permitted = {name for name in RECORD_CLASSES if _on(verified, record_class=name)}
    assert permitted == {"subscriber.basic", "numbers.assignments", "support.comment_log", "network.session_log",
                         "cpni.call_log"}


def test_call_detail_on_an_inbound_call_needs_the_cpni_password_and_offers_the_alternatives() -> None:
    """47 CFR 64.2010(b): call detail on a customer-initiated call only after the password."""
    denied = decide(REP, "read", 42, "cpni.call_log", Context(NOW, RULES, TICKET))
    assert not denied.permit and "CPNI password" in denied.reason
    assert denied.alternatives == ("send_to_address_of_record", "call_number_of_record")
    allowed = decide(REP, "read", 42, "cpni.call_log", Context(NOW, RULES, replace(TICKET, cpni_verified=True)))
    assert allowed.permit and allowed.mask == "masked_counterpart" and allowed.purpose == "support"


def test_a_card_on_a_billing_ticket_is_shown_by_its_last_four_only() -> None:
    decision = decide(REP, "read", 42, "billing.payment_instrument",
                      Context(NOW, RULES, replace(TICKET, topic="billing", channel="email")))
    assert decision.permit and decision.mask == "last_four"


def test_an_abuse_analyst_sees_call_detail_as_counts_only() -> None:
    analyst = Actor(9, "abe", "abuse_analyst", RULES.version)
    ticket = replace(TICKET, staff_id=9, topic="abuse", channel="in_person")
    decision = decide(analyst, "read", 42, "cpni.sms_log", Context(NOW, RULES, ticket))
    assert decision.permit and decision.mask == "counts_only"


@pytest.mark.parametrize(("ticket", "actor", "account", "reason"), [
    (None, REP, 42, "no open ticket"),
    (replace(TICKET, closed_at=NOW - timedelta(seconds=1)), REP, 42, "closed"),
    (replace(TICKET, expires_at=NOW), REP, 42, "expired"),
    (TICKET, REP, 43, "not this staff member's ticket for this account"),
    (TICKET, replace(REP, staff_id=8), 42, "not this staff member's ticket"),
    (TICKET, replace(REP, acknowledged_version=None), 42, "not been acknowledged"),
    (TICKET, replace(REP, role="privacy_officer"), 42, "not needed"),
])
def test_access_ends_without_a_live_own_ticket_on_the_account_or_an_acknowledgement(
        ticket: TicketGrant | None, actor: Actor, account: int, reason: str) -> None:
    decision = decide(actor, "read", account, "subscriber.basic", Context(NOW, RULES, ticket))
    assert not decision.permit and reason in decision.reason


def test_break_glass_reaches_only_what_the_role_sees_on_some_topic_with_the_strictest_mask() -> None:
    context = Context(NOW, RULES, None, "customer on the line, outage, ticket system down")
    assert decide(REP, "read", 42, "location.e911_address", context).permit
    assert not decide(REP, "read", 42, "content.voice_message", context).permit
    calls = decide(REP, "read", 42, "cpni.call_log", context)
    assert calls.permit and calls.break_glass and calls.mask == "masked_counterpart"


def test_look_up_shows_directory_information_only() -> None:
    context = Context(NOW, RULES)
    assert decide(REP, "look_up", 42, "subscriber.basic", context).mask == "directory_only"
    assert not decide(REP, "look_up", 42, "cpni.call_log", context).permit


actors = st.builds(Actor, staff_id=st.integers(1, 5), username=st.just("x"),
                   role=st.sampled_from([*sorted(RULES.roles), "privacy_officer", "intruder"]),
                   acknowledged_version=st.sampled_from([RULES.version, None, "0" * 64]))
tickets = st.none() | st.builds(
    TicketGrant, ticket_id=st.just(1), staff_id=st.integers(1, 5), account_id=st.integers(1, 3),
    topic=st.sampled_from([*RULES.topics, "nonsense"]), channel=st.sampled_from(CHANNELS),
    expires_at=st.sampled_from([NOW - timedelta(hours=1), NOW + timedelta(hours=1)]),
    closed_at=st.sampled_from([None, NOW - timedelta(minutes=1)]), cpni_verified=st.booleans())
classes = st.sampled_from([*sorted(RECORD_CLASSES), "made.up"])


@given(actor=actors, ticket=tickets, account_id=st.integers(1, 3), record_class=classes)
def test_every_permit_is_a_policy_grant_on_the_actors_own_live_ticket_for_that_account(
        actor: Actor, ticket: TicketGrant | None, account_id: int, record_class: str) -> None:
    decision = decide(actor, "read", account_id, record_class, Context(NOW, RULES, ticket))
    if decision.permit:
        assert ticket is not None and ticket.staff_id == actor.staff_id and ticket.account_id == account_id
        assert ticket.closed_at is None and ticket.expires_at > NOW
        assert actor.acknowledged_version == RULES.version
        assert record_class in RULES.classes_on_topic[(actor.role, ticket.topic)]
        if record_class in RULES.cpni_classes and ticket.channel in RULES.cpni_channels:
            assert ticket.cpni_verified
    else:
        assert decision.reason


@given(actor=actors, record_class=classes, reason=st.text(max_size=3).filter(lambda r: not r.strip()))
def test_without_a_ticket_or_a_break_glass_reason_nothing_is_read(actor: Actor, record_class: str,
                                                                   reason: str) -> None:
    assert not decide(actor, "read", 1, record_class, Context(NOW, RULES, None, reason)).permit


@pytest.mark.parametrize("change", ["address_of_record", "password", "secret_question"])
def test_no_change_of_the_address_of_record_or_the_credentials_before_the_caller_is_authenticated(
        change: str) -> None:
    """47 CFR 64.2010(f) tells the customer of a change; it does not let an unauthenticated caller make one."""
    billing = replace(TICKET, topic="billing")
    refused = decide(REP, "change", 42, "subscriber.basic", Context(NOW, RULES, billing, change=change))
    assert not refused.permit and "after the caller is authenticated on this ticket" in refused.reason
    verified = replace(billing, cpni_verified=True)
    assert decide(REP, "change", 42, "subscriber.basic", Context(NOW, RULES, verified, change=change)).permit
    technical = replace(TICKET, cpni_verified=True)
    assert not decide(REP, "change", 42, "subscriber.basic", Context(NOW, RULES, technical, change=change)).permit
