"""What the abuse desk sends out goes through the disclosure gate: reports to the fraud exchange and 10DLC campaign
registrations, each recorded in the disclosure ledger."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.abuse.campaigns import CampaignAsk, CampaignRefused
from custodian.abuse.desk import block_number, record_contact
from custodian.abuse.outbound import Outbound, register_campaign, report_to_fraud_exchange
from custodian.abuse.tables import sms_campaign, sms_campaign_number
from custodian.audit.tables import audit_event
from custodian.consent.service import load_snapshot
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.disclosures.tables import disclosure, disclosure_release
from tests.builders.abuse import NOW, an_abuse_ticket, an_account_with_usage, number_of, spectrumvoip


def outbound(engine: Engine, keyring: Keyring, out: Path) -> Outbound:
    with transaction(engine) as conn:
        return Outbound(keyring, spectrumvoip(), load_snapshot(conn, spectrumvoip(), NOW), out)


def releases(engine: Engine) -> list[tuple[str, str, int]]:
    with transaction(engine) as conn:
        return [(r.recipient, r.purpose, r.accounts_disclosed) for r in conn.execute(select(disclosure_release))]


def test_a_report_to_the_fraud_exchange_goes_through_the_gate_and_is_recorded(
        engine: Engine, keyring: Keyring, master_key: bytes, tmp_path: Path) -> None:
    """002 P67: "to exchange information with other companies and organizations for the purposes of fraud
    protection and credit risk reduction"."""
    account_id = an_account_with_usage(engine, keyring, "SPAM", messages=10)
    an_account_with_usage(engine, keyring, "OTHER", messages=10)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    out = tmp_path / "report.csv"
    outcome = report_to_fraud_exchange(engine, outbound(engine, keyring, out), ticket_id=ticket.grant.ticket_id,
                                       classes=["subscriber.basic"], actor="staff:abuse-ana", now=NOW)
    assert outcome.as_json() == {"disclosed": 1, "excluded_by_choice": 0, "refused": None}
    assert {row["account"] for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))} == {"SPAM"}
    assert releases(engine) == [("fraud_exchange", "fraud_prevention", 1)]
    with transaction(engine) as conn:
        assert conn.execute(select(disclosure.c.account_id)).scalars().all() == [account_id]


def test_the_gate_refuses_call_detail_to_the_fraud_exchange_and_nothing_leaves(
        engine: Engine, keyring: Keyring, master_key: bytes, tmp_path: Path) -> None:
    """The policy lists the fraud exchange for subscriber.basic and billing.transactions only."""
    account_id = an_account_with_usage(engine, keyring, "SPAM", calls=10)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    out = tmp_path / "report.csv"
    outcome = report_to_fraud_exchange(engine, outbound(engine, keyring, out), ticket_id=ticket.grant.ticket_id,
                                       classes=["cpni.call_log"], actor="staff:abuse-ana", now=NOW)
    assert outcome.refused is not None and outcome.refused.startswith("recipient_not_listed_for_class")
    assert not out.exists() and releases(engine) == []
    with transaction(engine) as conn:
        found = conn.execute(select(audit_event.c.action, audit_event.c.detail)
                             .where(audit_event.c.action == "abuse.report")).one()
    assert json.loads(found.detail)["refused"].startswith("recipient_not_listed_for_class")


def ask(entity_type: str = "llc", ein: str = "12-3456789", numbers: int = 2) -> CampaignAsk:
    return CampaignAsk(entity_type, ein, "appointment reminders", tuple(number_of("BIZ", i) for i in range(numbers)))


def test_a_business_registers_a_campaign_and_the_registration_goes_to_the_registry_through_the_gate(
        engine: Engine, keyring: Keyring, tmp_path: Path) -> None:
    """002 P111: "All businesses must provide an EIN to SpectrumVoIP at setup." """
    account_id = an_account_with_usage(engine, keyring, "BIZ", kind="business", numbers=3)
    out = tmp_path / "registration.csv"
    campaign_id, outcome = register_campaign(engine, outbound(engine, keyring, out), account_id=account_id,
                                             ask=ask(), actor="cli:ops", now=NOW)
    assert outcome.disclosed == 1 and out.exists()
    assert releases(engine) == [("campaign_registry", "provide_service", 1)]
    with transaction(engine) as conn:
        row = conn.execute(select(sms_campaign)).one()
        assert (row.id, row.numbers, row.release_id is not None) == (campaign_id, 2, True)
        assert b"12-3456789" not in row.ein_enc
    with pytest.raises(CampaignRefused, match="already sends for another campaign"):
        register_campaign(engine, outbound(engine, keyring, tmp_path / "again.csv"), account_id=account_id,
                          ask=ask(numbers=1), actor="cli:ops", now=NOW)


def test_a_sole_proprietor_without_an_ein_is_refused_and_nothing_is_sent(engine: Engine, keyring: Keyring,
                                                                         tmp_path: Path) -> None:
    """002 P111: "SpectrumVoIP cannot provide SMS / MMS functionality to businesses with the legal entity type of
    Sole Proprietorship without EINs." """
    account_id = an_account_with_usage(engine, keyring, "BIZ", kind="business", numbers=3)
    out = tmp_path / "registration.csv"
    with pytest.raises(CampaignRefused, match=r"^ein_required"):
        register_campaign(engine, outbound(engine, keyring, out), account_id=account_id,
                          ask=ask("sole_proprietor", ""), actor="cli:ops", now=NOW)
    assert not out.exists() and releases(engine) == []
    with transaction(engine) as conn:
        assert conn.execute(select(sms_campaign_number)).first() is None


def test_a_campaign_refuses_a_blocked_number_and_more_than_49(engine: Engine, keyring: Keyring, master_key: bytes,
                                                              tmp_path: Path) -> None:
    account_id = an_account_with_usage(engine, keyring, "BIZ", kind="business", numbers=50)
    with pytest.raises(CampaignRefused, match=r"^too_many_numbers"):
        register_campaign(engine, outbound(engine, keyring, tmp_path / "a.csv"), account_id=account_id,
                          ask=ask(numbers=50), actor="cli:ops", now=NOW)
    ticket = an_abuse_ticket(engine, master_key, account_id)
    with transaction(engine) as conn:
        record_contact(conn, ticket, method="phone", outcome="reached", actor="staff:abuse-ana", now=NOW)
        block_number(conn, keyring, ticket, number=number_of("BIZ", 0), reason="spam complaints from carriers",
                     actor="staff:abuse-ana", now=NOW)
    with pytest.raises(CampaignRefused, match=r"^blocked_number"):
        register_campaign(engine, outbound(engine, keyring, tmp_path / "b.csv"), account_id=account_id,
                          ask=ask(numbers=49), actor="cli:ops", now=NOW)
    assert releases(engine) == []
