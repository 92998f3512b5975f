"""Breach notices: what each says, as text and PDF, and the customer sending with each message recorded
(issue 18 §2), on each database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine

from custodian.access.customer_mail import CustomerNotice
from custodian.audit import store as audit
from custodian.compliance import breach_notify
from custodian.compliance import breach_service as service
from custodian.compliance import breach_store as store
from custodian.compliance.breach_service import NewIncident
from custodian.compliance.notices import IncidentFacts, Sender, notice_letter
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal.letters import letter_text
from tests.builders.policy import example_policy
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account

POLICY = example_policy("002-spectrumvoip.yaml").document
NOW = datetime(2026, 11, 24, 15, tzinfo=UTC)
FACTS = IncidentFacts("BR-2026-0001", "A representative browsed call detail", "Misuse of a staff account",
                      datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC), date(2026, 11, 16),
                      date(2026, 11, 20), 12, "", ("Call detail records",))
SENDER = Sender("SpectrumVoIP, Inc.", ("Privacy department", "SpectrumVoIP, Inc."), "+1 800 555 0100",
                "privacy@spectrumvoip.com")


def test_the_law_enforcement_notice_carries_every_field_of_the_central_reporting_facility() -> None:
    """47 CFR 64.2011(a)(1) (2024): "(i) The carrier's address and contact information; (ii) A description of the
    breach incident; (iii) The method of compromise; (iv) The date range of the incident; (v) The approximate
    number of customers affected; (vi) An estimate of financial loss ...; and (vii) The types of data breached"."""
    text = letter_text(notice_letter("law_enforcement", FACTS, SENDER, date(2026, 11, 24)))
    for line in ("Carrier: SpectrumVoIP, Inc.; contact: Privacy department, +1 800 555 0100",
                 "Description of the breach incident: A representative browsed call detail",
                 "Method of compromise: Misuse of a staff account",
                 "Date range of the incident: 2026-11-01 to 2026-11-10",
                 "Approximate number of customers affected: 12",
                 "Estimated financial loss to the carrier and customers: not yet estimated",
                 "Types of data breached: Call detail records"):
        assert line in text
    assert "Secret Service and Federal Bureau of Investigation" in text


def test_the_customer_notice_speaks_to_the_customer_and_says_how_to_reach_the_provider() -> None:
    text = letter_text(notice_letter("customer", FACTS, SENDER, date(2026, 11, 24)))
    assert text.count("Dear customer,") == 1 and "What you can do:" in text
    assert "+1 800 555 0100 or privacy@spectrumvoip.com" in text and "BR-2026-0001" in text


def _incident(engine: Engine) -> store.Incident:
    new = NewIncident(datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC), "Stolen laptop",
                      ("cpni.call_log",), True, ("fcc_2023",))
    with transaction(engine) as conn:
        return service.record_incident(conn, "staff:olivia", new, ["fcc_2023"], NOW, known_classes=["cpni.call_log"])


def test_exporting_writes_text_and_pdf_and_records_a_draft(engine: Engine, tmp_path: Path) -> None:
    incident = _incident(engine)
    with transaction(engine) as conn:
        paths = breach_notify.export(conn, "staff:olivia", incident, "attorney_general", POLICY, tmp_path, NOW)
        notes = store.notifications(conn, incident.id)
    assert [p.name for p in paths] == ["BR-2026-0001-attorney_general.txt", "BR-2026-0001-attorney_general.pdf"]
    assert paths[1].read_bytes().startswith(b"%PDF") and "521.053(i)" in paths[0].read_text(encoding="utf-8")
    assert [(n.kind, n.channel, n.sent_at) for n in notes] == [("attorney_general", "export", None)]


def test_customers_are_mailed_one_by_one_and_a_refused_message_is_counted_and_audited(
        engine: Engine, keyring: Keyring) -> None:
    incident = _incident(engine)
    accounts = [an_account(engine, keyring, ref=f"ACC-{n}") for n in (1, 2)]
    with transaction(engine) as conn:
        store.insert_affected(conn, incident.id, [store.Affected(a, "entered", None, ()) for a in accounts])
    mailed: list[CustomerNotice] = []

    def send(mail: CustomerNotice) -> str:
        mailed.append(mail)
        return "the server refused the recipient" if mail.account_id == accounts[1] else ""

    sent = breach_notify.send_to_customers(engine, keyring, send, "staff:olivia", incident.reference, POLICY, NOW)
    assert (sent.sent, sent.failed, sent.no_address) == (1, 1, 0)
    assert [m.to for m in mailed] == [CANARY_EMAIL, CANARY_EMAIL] and CANARY_NAME not in mailed[0].body
    assert "Call records: numbers called and calling" in mailed[0].body  # the notice's words, not staff's
    with engine.connect() as conn:
        note = store.notifications(conn, incident.id)[-1]
        events = {(e.action, e.account_id) for e in audit.search(conn, action="notice.*")}
    assert (note.kind, note.channel, note.recipients, note.failed) == ("customer", "email", 1, 1)
    assert events == {("notice.sent", accounts[0]), ("notice.failed", accounts[1])}
