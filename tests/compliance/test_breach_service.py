"""The breach register on each database: incidents, affected accounts from the audit trail, delays,
notifications and the running clocks the dashboard lists (issue 18 §2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from custodian.audit import store as audit
from custodian.compliance import breach_service as service
from custodian.compliance import breach_store as store
from custodian.compliance.breach_service import BreachError, NewIncident
from custodian.compliance.breach_store import Notification
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.policy.document_compliance import default_rule_sets
from tests.builders.records import an_account

RULES = default_rule_sets()
CLASSES = ["subscriber.basic", "cpni.call_log"]
NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _incident(**changes: object) -> NewIncident:
    values: dict[str, object] = {
        "discovered_at": _at(16), "determined_at": _at(20), "description": "A representative browsed call detail",
        "classes": ("cpni.call_log",), "harm_likely": True, "rule_sets": ("fcc_2023", "texas")}
    return NewIncident(**{**values, **changes})  # type: ignore[arg-type]


def _record(engine: Engine, **changes: object) -> store.Incident:
    with transaction(engine) as conn:
        return service.record_incident(conn, "staff:olivia", _incident(**changes), list(RULES), NOW,
                                       known_classes=CLASSES)


def test_recording_numbers_the_incident_and_audits_it(engine: Engine) -> None:
    first, second = _record(engine), _record(engine)
    assert (first.reference, second.reference) == ("BR-2026-0001", "BR-2026-0002")
    with engine.connect() as conn:
        events = audit.search(conn, action="breach.record")
    assert [e.detail["incident"] for e in events] == ["BR-2026-0002", "BR-2026-0001"]
    assert events[0].record_classes == ("cpni.call_log",)


@pytest.mark.parametrize("change, reason", [
    ({"rule_sets": ("gdpr",)}, "no breach rule set gdpr"),
    ({"rule_sets": ()}, "at least one rule set"),
    ({"classes": ("content.chat",)}, "content.chat unknown"),
    ({"discovered_at": _at(21)}, "discovered on or before"),
    ({"description": "  "}, "describe what happened"),
])
def test_recording_refuses_what_the_clocks_cannot_count(engine: Engine, change: dict[str, object],
                                                        reason: str) -> None:
    with pytest.raises(BreachError, match=reason):
        _record(engine, **change)


def test_affected_accounts_are_those_the_actor_read_inside_the_window(engine: Engine, keyring: Keyring) -> None:
    inside, outside, other = (an_account(engine, keyring, ref=f"ACC-{n}") for n in (1, 2, 3))
    with transaction(engine) as conn:
        for account_id, actor, at, action in ((inside, "staff:mallory", _at(10), "access.permit"),
                                              (inside, "staff:mallory", _at(11), "legal.disclosure"),
                                              (outside, "staff:mallory", _at(15), "access.permit"),
                                              (other, "staff:olivia", _at(11), "access.permit"),
                                              (other, "staff:mallory", _at(11), "access.deny")):
            audit.append(conn, actor=actor, action=action, account_id=account_id, record_classes=("cpni.call_log",),
                         now=at)
    incident = _record(engine)
    with transaction(engine) as conn:
        added = service.add_affected_from_audit(conn, "staff:olivia", incident, "mallory", _at(10), _at(15), NOW)
        again = service.add_affected_from_audit(conn, "staff:olivia", incident, "mallory", _at(1), _at(15), NOW)
        listed = store.affected(conn, incident.id)
        event = audit.search(conn, action="breach.affected")[0]
    assert (added, again) == (1, 0)  # the read at the window's end is outside; a second search adds nothing new
    assert [(a.account_id, a.how_found, a.first_read_at) for a in listed] == [(inside, "audit_trail", _at(10))]
    assert event.detail["found"] == 1 and event.account_id is None


def test_clocks_count_from_the_registers_facts_and_stop_once_the_notice_is_sent(engine: Engine) -> None:
    """47 CFR 64.2011(a), (b) (2024) and Tex. Bus. & Com. Code 521.053(b): each sending stops its own clock."""
    incident = _record(engine)
    with engine.connect() as conn:
        before = {c.clock.key: c for c in service.incident_clocks(conn, incident, RULES, date(2026, 12, 10))}
    # Customers are told only after law enforcement; until then the earliest day is not reached, whatever the date.
    assert before["customer_notice_earliest"].clock.on == date(2026, 12, 2)
    assert not before["customer_notice_earliest"].done
    with transaction(engine) as conn:
        service.record_notification(conn, "staff:olivia", incident, Notification(
            0, "law_enforcement", "central_reporting_facility", NOW, NOW, "filed", 1, 0, "staff:olivia"), NOW)
        clocks = service.incident_clocks(conn, incident, RULES, date(2026, 11, 24))
    shown = {(c.rules, c.clock.key): (c.clock.on, c.days_left, c.done) for c in clocks}
    assert shown[("fcc_2023", "law_enforcement_due")] == (date(2026, 12, 2), 8, True)
    assert shown[("fcc_2023", "regulator_due")] == (date(2026, 12, 2), 8, False)
    assert shown[("fcc_2023", "customer_notice_earliest")] == (date(2026, 11, 24), 0, True)  # told today
    assert shown[("texas", "customer_notice_due")] == (date(2027, 1, 19), 56, False)
    assert ("texas", "attorney_general_due") in shown  # the count is unknown: the stricter case


def test_running_clocks_list_open_incidents_soonest_first_without_closed_ones(engine: Engine) -> None:
    kept, closed = _record(engine), _record(engine, rule_sets=("hipaa_business_associate",))
    with transaction(engine) as conn:
        service.close_incident(conn, "staff:olivia", closed, NOW)
        service.add_delay(conn, "staff:olivia", kept, date(2027, 2, 28), "United States Secret Service", NOW)
        running = service.running_clocks(conn, RULES, date(2026, 11, 24))
    assert {c.reference for c in running} == {kept.reference}
    assert [c.clock.on for c in running] == sorted(c.clock.on for c in running)
    # The delay holds customer notice under both rule sets until after its last day.
    assert {c.rules: c.clock.on for c in running if c.clock.key == "customer_notice_due"} == {
        "fcc_2023": date(2027, 3, 1), "texas": date(2027, 3, 1)}


def test_a_delay_needs_an_agency_and_a_day_not_past(engine: Engine) -> None:
    incident = _record(engine)
    with transaction(engine) as conn, pytest.raises(BreachError, match="agency"):
        service.add_delay(conn, "staff:olivia", incident, date(2026, 12, 24), " ", NOW)
    with transaction(engine) as conn, pytest.raises(BreachError, match="today or later"):
        service.add_delay(conn, "staff:olivia", incident, date(2026, 11, 1), "FBI", NOW)


def test_a_hipaa_account_among_the_affected_calls_for_the_business_associate_clock(engine: Engine,
                                                                                  keyring: Keyring) -> None:
    """45 CFR 164.410(b): a business associate tells the covered entity within 60 days of discovery; the policy
    applies that rule set to HIPAA accounts, so listing one asks for its clock."""
    from tests.builders.policy import example_policy

    policy = example_policy("002-spectrumvoip.yaml").document
    incident = _record(engine, rule_sets=("fcc_2023", "texas"))
    clinic = an_account(engine, keyring, ref="ACC-H", profile="hipaa")
    with transaction(engine) as conn:
        assert service.rule_sets_missing(conn, policy, incident) == []  # nothing listed yet
        store.insert_affected(conn, incident.id, [store.Affected(clinic, "entered", None, ())])
        assert service.rule_sets_missing(conn, policy, incident) == ["hipaa_business_associate"]
        service.add_rule_sets(conn, "staff:olivia", incident, ["hipaa_business_associate"], list(RULES), NOW)
        again = store.incident_by_id(conn, incident.id)
        clocks = {c.clock.key: c.clock.on for c in service.incident_clocks(conn, again, RULES, date(2026, 11, 24))}
        assert service.rule_sets_missing(conn, policy, again) == []
    assert again.rule_sets == ("fcc_2023", "texas", "hipaa_business_associate")
    assert clocks["covered_entity_due"] == date(2027, 1, 15)  # discovered 16 November + 60 calendar days
