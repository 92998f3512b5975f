"""The annual CPNI certification (47 CFR 64.2009(e)): its figures counted from records built here for 2025, with
records of 2024 and 2026 around them that must not count; the registers it summarises (issue 18 §1)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, insert

from custodian.access import store as access_store
from custodian.audit import store as audit
from custodian.compliance import breach_notify, breach_service, cpni_certification, registers
from custodian.compliance.breach_service import NewIncident
from custodian.compliance.certificate import certificate, document_text, statement
from custodian.consent.tables import cpni_notice
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.policy.document_compliance import default_rule_sets
from custodian.staff import service as staff_service
from custodian.staff import store as staff_store
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account

ROLES = ("support_representative", "privacy_officer")
GENERATED = datetime(2026, 2, 10, 9, tzinfo=UTC)


def _at(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, 10, tzinfo=UTC)


def _event(conn: Connection, action: str, at: datetime, *, reason: str = "", **detail: object) -> None:
    audit.append(conn, actor="staff:alice", action=action, reason=reason, detail=detail, now=at)


def _glass(conn: Connection, staff_id: int, account_id: int, at: datetime, outcome: str | None) -> None:
    access_id = access_store.insert_break_glass(conn, staff_id=staff_id, account_id=account_id, reason="outage call",
                                                opened_at=at, expires_at=at, reviewed=False)
    if outcome:
        access_store.update_break_glass(conn, access_id, reviewed=True, reviewed_by="olivia", reviewed_at=at,
                                        outcome=outcome)


def a_year_of_records(engine: Engine, master_key: bytes, account_id: int) -> None:
    """2025's records in time order (the audit chain only moves forward), with one of 2024 before them."""
    with transaction(engine) as conn:
        _event(conn, "access.deny", _at(12, 31, 2024))
        staff = [staff_service.add_staff(conn, master_key, username=name, display_name=name.title(),
                                         role="support_representative", roles=ROLES, actor="test", channel="shell",
                                         now=_at(1, 2)).staff_id for name in ("alice", "bob")]
        for staff_id in staff:
            staff_store.insert_acknowledgement(conn, staff_id, "a" * 64, _at(1, 3))
        staff_store.insert_acknowledgement(conn, staff[0], "b" * 64, _at(6, 1))
        ticket_id = access_store.insert_ticket(conn, staff_id=staff[0], account_id=account_id, topic="billing",
                                               channel="phone", summary="", opened_at=_at(2, 1),
                                               expires_at=_at(2, 2))
        for method in ("password", "password", "secret_question"):
            _event(conn, "ticket.cpni_verified", _at(2, 1), method=method, ticket=ticket_id)
        for failures in (1, 2, 3):
            _event(conn, "cpni.verification_failed", _at(2, 3), failures=failures)
        _event(conn, "portal.login", _at(3, 1))
        _event(conn, "portal.login_failed", _at(3, 2), reason="wrong password")
        _event(conn, "portal.login_failed", _at(3, 2), reason="wrong password; locked out")
        _event(conn, "access.deny", _at(4, 1))
        _event(conn, "access.deny", _at(4, 2))
        _event(conn, "notice.sent", _at(4, 3), kind="account_change")
        _event(conn, "notice.failed", _at(4, 3), kind="account_change")
        _event(conn, "notice.sent", _at(4, 4), kind="policy_change")
        for outcome in ("justified", "unjustified", None):
            _glass(conn, staff[0], account_id, _at(5, 1), outcome)
        for medium in ("email", "email", "post"):
            conn.execute(insert(cpni_notice).values(account_id=account_id, medium=medium, sent_at=_at(5, 2),
                                                    policy_version="a" * 64, audit_seq=1))
        incident = breach_service.record_incident(conn, "staff:olivia", NewIncident(
            _at(5, 18), _at(5, 20), "A representative browsed call detail", ("cpni.call_log",), True,
            ("fcc_2023",)), list(default_rule_sets()), _at(5, 21), known_classes=["cpni.call_log"])
        breach_notify.record_filed(conn, "staff:olivia", incident, "law_enforcement", _at(5, 22))
        for category, day in (("employee_access", 2), ("employee_access", 3), ("online_access", 4)):
            registers.record_complaint(conn, "staff:olivia", received_on=date(2025, 6, day), category=category,
                                       summary="says a representative read their calls", ticket_id=ticket_id,
                                       now=_at(6, 10))
        registers.record_broker_action(conn, "staff:olivia", detected_on=date(2025, 7, 1),
                                       attempt="caller posing as the customer asked for call detail",
                                       action="state_commission_complaint", action_detail="Texas PUC, docket 123",
                                       now=_at(7, 2))
        # 2026: none of this counts for 2025
        _event(conn, "access.deny", _at(1, 5, 2026))
        _glass(conn, staff[0], account_id, _at(1, 5, 2026), None)
        registers.record_complaint(conn, "staff:olivia", received_on=date(2026, 1, 6), category="other",
                                   summary="unclear", ticket_id=None, now=_at(1, 6, 2026))


def test_the_figures_count_every_record_of_the_year_and_nothing_else(engine: Engine, keyring: Keyring,
                                                                      master_key: bytes) -> None:
    a_year_of_records(engine, master_key, an_account(engine, keyring))
    with engine.connect() as conn:
        fig = cpni_certification.figures_for_year(conn, 2025, GENERATED)
    assert fig.counted_to == date(2025, 12, 31)
    assert fig.staff_trained == {"a" * 12: 2, "b" * 12: 1}
    assert fig.staff_active == 2
    assert fig.cpni_authentications == {"password": 2, "secret_question": 1}
    assert fig.portal_sign_ins == 1
    assert (fig.failed_authentications, fig.lockouts) == (5, 2)
    assert fig.break_glass_uses == 3
    assert fig.break_glass_reviews == {"justified": 1, "unjustified": 1, "pending": 1}
    assert fig.access_denies == 2
    assert (fig.address_change_notices, fig.address_change_notices_failed) == (1, 1)
    assert fig.cpni_approval_notices == {"email": 2, "post": 1}
    assert fig.breaches == ({"reference": "BR-2025-0001", "determined": "2025-05-20",
                             "notified": {"law_enforcement": 1}},)
    assert [a["reference"] for a in fig.data_broker_actions] == ["DB-2025-0001"]
    assert fig.complaints == {"employee_access": 2, "unauthorized_disclosure": 0, "online_access": 1, "other": 0}


def test_the_certificate_states_the_summary_and_the_statement_every_figure(engine: Engine, keyring: Keyring,
                                                                           master_key: bytes) -> None:
    """64.2009(e): "an explanation of any actions taken against data brokers and a summary of all customer
    complaints received in the past year concerning the unauthorized release of CPNI"."""
    a_year_of_records(engine, master_key, an_account(engine, keyring))
    with engine.connect() as conn:
        fig = cpni_certification.figures_for_year(conn, 2025, GENERATED)
    cert = document_text(certificate(fig, "SpectrumVoIP", "Olivia Officer", GENERATED.date()))
    assert "EB Docket No. 06-36" in cert and "on or before March 1, 2026" in cert
    assert "personal knowledge" in cert and "received 3 customer complaints in 2025" in cert
    assert "detected 1 pretexting attempt in 2025 and took action against data brokers in 1" in cert
    text = document_text(statement(fig, "SpectrumVoIP", "Olivia Officer", GENERATED.date()))
    for sentence in ("- Improper access by employees: 2", "- Improper disclosure to unauthorized individuals: 0",
                     "- Improper online access by unauthorized individuals: 1", "- Other: 0",
                     "2 staff acknowledged policy version aaaaaaaaaaaa", "1 justified, 1 unjustified, 1 awaiting",
                     "3 callers were authenticated", "5 authentication attempts failed, and 2 led to a lockout",
                     "2 accesses were refused", "1 notice of a change to an account", "3 CPNI approval notices",
                     "1 breach determined: BR-2025-0001 determined 2025-05-20, notifications sent: law enforcement: 1",
                     "DB-2025-0001 (detected 2025-07-01): Complaint filed with a state commission"):
        assert sentence in text, sentence
    assert "DRAFT" not in text
    assert CANARY_NAME not in text and CANARY_EMAIL not in text


def test_generating_writes_text_and_pdf_and_records_the_years_certificate(engine: Engine, keyring: Keyring,
                                                                          master_key: bytes, tmp_path: Path) -> None:
    a_year_of_records(engine, master_key, an_account(engine, keyring))
    with transaction(engine) as conn:
        assert cpni_certification.generated(conn, 2025) is None
        _, written = cpni_certification.generate(conn, year=2025, officer="Olivia Officer", provider="SpectrumVoIP",
                                                 out=tmp_path, actor="cli:olivia", now=GENERATED)
    assert sorted(p.name for p in written) == ["cpni-2025-certificate.pdf", "cpni-2025-certificate.txt",
                                               "cpni-2025-statement.pdf", "cpni-2025-statement.txt"]
    assert (tmp_path / "cpni-2025-certificate.pdf").read_bytes().startswith(b"%PDF")
    with engine.connect() as conn:
        assert cpni_certification.generated(conn, 2025) == GENERATED
        assert audit.search(conn, action="cpni_certification.generate")[0].detail["year"] == 2025


def test_a_running_year_gives_a_draft_that_is_not_the_years_certificate(engine: Engine, tmp_path: Path) -> None:
    with transaction(engine) as conn:
        fig, _ = cpni_certification.generate(conn, year=2026, officer="Olivia Officer", provider="SpectrumVoIP",
                                             out=tmp_path, actor="cli:olivia", now=_at(12, 5, 2026))
        assert cpni_certification.generated(conn, 2026) is None
    assert (fig.counted_to, fig.draft) == (date(2026, 12, 5), True)
    assert "DRAFT: the year has not ended" in (tmp_path / "cpni-2026-certificate.txt").read_text()


@pytest.mark.parametrize("kwargs, reason", [
    ({"category": "rudeness"}, "category: one of"),
    ({"summary": " "}, "summary"),
    ({"ticket_id": 999}, "no ticket 999"),
    ({"received_on": date(2026, 1, 1)}, "in the future"),
])
def test_the_complaints_register_refuses_what_the_summary_cannot_count(engine: Engine, kwargs: dict[str, object],
                                                                        reason: str) -> None:
    values: dict[str, object] = {"received_on": date(2025, 6, 1), "category": "other", "summary": "a complaint",
                                 "ticket_id": None, **kwargs}
    with pytest.raises(registers.RegisterError, match=reason), transaction(engine) as conn:
        registers.record_complaint(conn, "staff:olivia", now=_at(6, 2), **values)  # type: ignore[arg-type]


def test_a_complaint_is_numbered_resolved_and_audited_on_its_tickets_account(
        engine: Engine, keyring: Keyring, master_key: bytes) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        staff_id = staff_service.add_staff(conn, master_key, username="alice", display_name="Alice",
                                           role="support_representative", roles=ROLES, actor="test",
                                           channel="shell", now=_at(6, 1)).staff_id
        ticket_id = access_store.insert_ticket(conn, staff_id=staff_id, account_id=account_id, topic="billing",
                                               channel="phone", summary="", opened_at=_at(6, 1),
                                               expires_at=_at(6, 2))
        made = registers.record_complaint(conn, "staff:olivia", received_on=date(2025, 6, 1),
                                          category="unauthorized_disclosure", summary="bill sent to ex-partner",
                                          ticket_id=ticket_id, now=_at(6, 2))
        done = registers.resolve_complaint(conn, "staff:olivia", made.reference, "address corrected; staff retrained",
                                           _at(6, 9))
    assert (made.reference, made.outcome, done.outcome, done.resolved_on) == (
        "CC-2025-0001", None, "address corrected; staff retrained", date(2025, 6, 9))
    with engine.connect() as conn:
        events = audit.search(conn, account_id=account_id)
    assert [e.action for e in events[:2]] == ["complaint.resolve", "complaint.record"]
