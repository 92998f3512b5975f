"""CPNI opt-out notices (47 CFR 64.2008) and supervisor approval of outbound campaigns (64.2009(d))."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.consent import cpni, service
from custodian.consent.rules import two_years_after
from custodian.consent.tables import cpni_campaign, cpni_notice
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.mail.smtp import Mailer
from tests.builders.consent import CPNI_OFFERS_TEXT, T0, activate, snapshot
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import smtp_server

SENT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@given(days=st.integers(min_value=0, max_value=800))
def test_a_notice_is_due_when_never_sent_or_thirty_days_short_of_two_years(days: int) -> None:
    """64.2008(d)(2): "Carriers using the opt-out mechanism must provide notices to their customers every two
    years" - renewed 30 days early, so the new notice's waiting period ends as the old one lapses."""
    now = SENT + timedelta(days=days)
    assert cpni.notice_due(None, now)
    assert cpni.notice_due(SENT, now) == (now >= two_years_after(SENT) - timedelta(days=30))


def test_the_notice_says_what_64_2008_c_requires() -> None:
    terms = cpni.NoticeTerms("Example Telecom, Inc.", (CPNI_OFFERS_TEXT,), (), "https://telecom.example/portal",
                             "privacy@telecom.example")
    text = cpni.notice_text(terms, "ACC-1", "2026-03-02")
    for required in ("You have a right, and we have a duty under federal law, to protect the confidentiality",  # (c)(1)
                     "CPNI is information about the telecommunications services",  # (c)(2): what CPNI is
                     CPNI_OFFERS_TEXT, "It is received by: Example Telecom, Inc. only",  # (c)(2): uses, entities
                     "you may deny or withdraw our access to your CPNI at any time",  # (c)(2)
                     "https://telecom.example/portal", "privacy@telecom.example",  # (c)(3): precise steps
                     "Refusing will not affect the provision of any service",  # (c)(3)
                     "within 30 days of this notice",  # (d)(1): the waiting period
                     "remains valid until you revoke or limit it"):  # (c)(9)
        assert required in text, required


def test_notices_are_e_mailed_recorded_audited_and_sent_once(engine: Engine, keyring: Keyring) -> None:
    """64.2008(a)(2): records of notification are kept; 64.2008(d)(1): approval is inferred only 30 days later."""
    policy = activate(engine)
    account_id = an_account(engine, keyring)
    with engine.connect() as conn:
        rules = service.purpose_rules(conn, policy, T0)
    terms = cpni.notice_terms(policy, rules, "https://telecom.example")
    with smtp_server() as (inbox, port):
        mailer = Mailer("127.0.0.1", port, "privacy@telecom.example")
        first = cpni.send_due(engine, keyring, policy, rules, terms, mailer, letters_dir=None, actor="test", now=T0)
        second = cpni.send_due(engine, keyring, policy, rules, terms, mailer, letters_dir=None, actor="test",
                               now=T0 + timedelta(days=1))
    assert (first, second) == ({"email": 1, "post": 0, "not_sent": 0}, {"email": 0, "post": 0, "not_sent": 0})
    [message] = inbox.messages
    assert message["To"] == CANARY_EMAIL and message["Subject"] == cpni.SUBJECT
    with engine.connect() as conn:
        notice = conn.execute(select(cpni_notice)).one()
        event = conn.execute(select(audit_event).where(audit_event.c.seq == notice.audit_seq)).one()
    assert (notice.account_id, notice.medium, notice.sent_at) == (account_id, "email", T0)
    assert event.action == "consent.cpni_notice_sent"
    waiting = snapshot(engine, policy, T0 + timedelta(days=29))
    assert waiting.allowed(account_id, "calling_plan_offers", T0 + timedelta(days=29)).basis == (
        "cpni opt-out notice period running")
    inferred = snapshot(engine, policy, T0 + timedelta(days=30))
    assert inferred.allowed(account_id, "calling_plan_offers", T0 + timedelta(days=30)).basis == (
        "cpni opt-out approval inferred")


def test_without_a_mail_server_an_emailable_notice_stays_due(engine: Engine, keyring: Keyring) -> None:
    policy = activate(engine)
    an_account(engine, keyring)
    with engine.connect() as conn:
        rules = service.purpose_rules(conn, policy, T0)
    terms = cpni.notice_terms(policy, rules, "https://telecom.example")
    counts = cpni.send_due(engine, keyring, policy, rules, terms, None, letters_dir=None, actor="test", now=T0)
    assert counts == {"email": 0, "post": 0, "not_sent": 1}
    with engine.connect() as conn:
        assert [account for account, _ in cpni.accounts_due(conn, T0)] != []


def test_a_campaign_using_cpni_is_recorded_with_its_supervisor(engine: Engine) -> None:
    """64.2009(d): "sales personnel must obtain supervisory approval of any proposed outbound marketing request"."""
    policy = activate(engine)
    with transaction(engine) as conn:
        rules = service.purpose_rules(conn, policy, T0)
        campaign_id = cpni.approve_campaign(conn, rules, name="Spring plans", purpose="calling_plan_offers",
                                            description="Offer plans to frequent callers abroad.",
                                            supervisor="mgarcia", actor="staff:jdoe", now=T0)
    with engine.connect() as conn:
        row = conn.execute(select(cpni_campaign).where(cpni_campaign.c.id == campaign_id)).one()
        event = conn.execute(select(audit_event).where(audit_event.c.seq == row.audit_seq)).one()
    assert (row.supervisor, row.purpose, row.approved_at) == ("mgarcia", "calling_plan_offers", T0)
    assert event.action == "consent.cpni_campaign_approved"
